// The result viewer: draws a raster on a canvas with zoom (wheel) and pan (drag), and reports the
// pixel under the pointer. Only the visible part is drawn, at the canvas's own resolution, so a
// 10,000 x 10,000 raster costs no more to show than a small one (and no full-size RGBA copy is made).
import type { Raster } from '../src/index.js';
import type { ValueColors } from './colormap.js';

/** Screen placement of the raster: canvas pixel (x, y) shows raster pixel floor((x - offsetX) / scale), ... */
export interface ViewPlacement {
  /** canvas pixels per raster pixel */
  scale: number;
  /** canvas position of the raster's top-left corner */
  offsetX: number;
  offsetY: number;
}

/** What is under the pointer. */
export interface PixelInfo {
  row: number;
  col: number;
  /** map coordinates of the pixel centre, from the raster's geotransform */
  x: number;
  y: number;
  value: number;
}

const MAX_SCALE = 64;
/** Milliseconds of drawing per animation frame. */
const SLICE_MS = 12;

export class RasterView {
  private raster: Raster | null = null;
  private colors: ValueColors | null = null;
  private place: ViewPlacement = { scale: 1, offsetX: 0, offsetY: 0 };
  private frame = 0;
  private drag: { x: number; y: number; offsetX: number; offsetY: number } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** called with the pixel under the pointer, or null when it leaves the raster */
    private readonly onHover: (p: PixelInfo | null) => void,
  ) {
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    canvas.addEventListener('pointercancel', (e) => this.onPointerUp(e));
    canvas.addEventListener('pointerleave', () => { if (!this.drag) this.onHover(null); });
    canvas.addEventListener('dblclick', () => this.fit());
    // the canvas follows its CSS box; its backing store is resized to match (sharp on HiDPI screens)
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  /** Shows a new raster, fitted to the canvas, in `colors` (which draw the background transparent). */
  show(raster: Raster, colors: ValueColors): void {
    this.raster = raster;
    this.colors = colors;
    this.fit();
  }

  /** Recolours the raster shown, keeping the view where it is. */
  recolor(colors: ValueColors): void {
    this.colors = colors;
    this.requestDraw();
  }

  clear(): void {
    this.raster = null;
    this.colors = null;
    this.requestDraw();
  }

  get placement(): ViewPlacement {
    return { ...this.place };
  }

  /** Whole raster in view, centred. */
  fit(): void {
    const r = this.raster;
    if (!r) return;
    const { width: cw, height: ch } = this.canvas;
    const scale = Math.min(cw / r.width, ch / r.height);
    this.place = { scale, offsetX: (cw - r.width * scale) / 2, offsetY: (ch - r.height * scale) / 2 };
    this.requestDraw();
  }

  /** The raster pixel at a canvas position (in canvas pixels), or null outside the raster. */
  pixelAt(canvasX: number, canvasY: number): PixelInfo | null {
    const r = this.raster;
    if (!r) return null;
    const col = Math.floor((canvasX - this.place.offsetX) / this.place.scale);
    const row = Math.floor((canvasY - this.place.offsetY) / this.place.scale);
    if (col < 0 || row < 0 || col >= r.width || row >= r.height) return null;
    const [x0, dx, rx, y0, ry, dy] = r.transform;
    const px = col + 0.5, py = row + 0.5;
    return { row, col, x: x0 + px * dx + py * rx, y: y0 + px * ry + py * dy, value: Number(r.data[row * r.width + col]) };
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (w === this.canvas.width && h === this.canvas.height) return;
    // keep the centre of the view where it was
    const { scale, offsetX, offsetY } = this.place;
    this.place = { scale, offsetX: offsetX + (w - this.canvas.width) / 2, offsetY: offsetY + (h - this.canvas.height) / 2 };
    this.canvas.width = w;
    this.canvas.height = h;
    this.requestDraw();
  }

  // pointer position in canvas pixels: from the content box (inside any CSS border), scaled to the
  // backing store, which is larger than the CSS box on HiDPI screens
  private canvasPoint(e: MouseEvent): [number, number] {
    const c = this.canvas, box = c.getBoundingClientRect();
    const x = e.clientX - box.left - c.clientLeft, y = e.clientY - box.top - c.clientTop;
    return [(x * c.width) / c.clientWidth, (y * c.height) / c.clientHeight];
  }

  private onWheel(e: WheelEvent): void {
    if (!this.raster) return;
    e.preventDefault();
    const [cx, cy] = this.canvasPoint(e);
    const { scale, offsetX, offsetY } = this.place;
    const fitScale = Math.min(this.canvas.width / this.raster.width, this.canvas.height / this.raster.height);
    const next = Math.min(MAX_SCALE, Math.max(fitScale / 4, scale * Math.exp(-e.deltaY * 0.002)));
    // zoom about the pointer: the raster point under it stays under it
    const k = next / scale;
    this.place = { scale: next, offsetX: cx - (cx - offsetX) * k, offsetY: cy - (cy - offsetY) * k };
    this.requestDraw();
  }

  private onPointerDown(e: PointerEvent): void {
    if (!this.raster || e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const [x, y] = this.canvasPoint(e);
    this.drag = { x, y, offsetX: this.place.offsetX, offsetY: this.place.offsetY };
    this.canvas.classList.add('dragging');
  }

  private onPointerMove(e: PointerEvent): void {
    const [x, y] = this.canvasPoint(e);
    if (this.drag) {
      this.place = { ...this.place, offsetX: this.drag.offsetX + x - this.drag.x, offsetY: this.drag.offsetY + y - this.drag.y };
      this.requestDraw();
    }
    this.onHover(this.pixelAt(x, y));
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag) return;
    this.drag = null;
    this.canvas.classList.remove('dragging');
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
  }

  // one draw per animation frame, however many wheel or move events arrive; the draw itself is cut
  // into slices of rows of about SLICE_MS each, one slice per frame, so a large canvas over a large
  // raster never holds the main thread for long (the page must answer clicks while it draws)
  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.slices = this.drawRows();
      this.nextSlice();
    });
  }

  private slices: Generator<void, void, void> | null = null;

  private nextSlice(): void {
    const job = this.slices;
    if (!job) return;
    if (job.next().done) {
      if (this.slices === job) this.slices = null;
      return;
    }
    requestAnimationFrame(() => { if (this.slices === job && !this.frame) this.nextSlice(); });
  }

  /** Draws now, whole (the page calls this before reading pixels back, e.g. in tests). */
  draw(): void {
    this.slices = null;
    for (const _ of this.drawRows(Infinity)) void _;
  }

  // draws row by row, putting each finished slice on the canvas and yielding after `sliceMs`
  private *drawRows(sliceMs = SLICE_MS): Generator<void, void, void> {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: cw, height: ch } = this.canvas;
    const r = this.raster, colors = this.colors;
    if (!r || !colors) {
      ctx.clearRect(0, 0, cw, ch);
      return;
    }
    const { scale, offsetX, offsetY } = this.place;
    const image = ctx.createImageData(cw, ch);
    // ImageData is RGBA bytes; a Uint32 view writes a pixel at once (ColorMap packs for little-endian hosts)
    const out = new Uint32Array(image.data.buffer);
    // raster column of each canvas column, -1 outside: computed once, reused on every row
    const cols = new Int32Array(cw);
    for (let x = 0; x < cw; x++) {
      const c = Math.floor((x + 0.5 - offsetX) / scale);
      cols[x] = c >= 0 && c < r.width ? c : -1;
    }
    const data = r.data;
    let from = 0, t0 = performance.now();
    for (let y = 0; y < ch; y++) {
      const row = Math.floor((y + 0.5 - offsetY) / scale);
      if (row >= 0 && row < r.height) {
        const base = row * r.width, o = y * cw;
        for (let x = 0; x < cw; x++) {
          const c = cols[x];
          if (c >= 0) out[o + x] = colors.packed(Number(data[base + c]));
        }
      }
      if (y === ch - 1 || performance.now() - t0 > sliceMs) {
        ctx.putImageData(image, 0, 0, 0, from, cw, y + 1 - from);
        from = y + 1;
        if (y < ch - 1) {
          yield;
          t0 = performance.now();
        }
      }
    }
  }
}
