import type { BurnSink } from '../rules/sink.js';
import { ValueBits } from './value-bits.js';

/** How the grid is cut into tiles (row-major, all tiles tileW x tileH except at the right/bottom). */
export interface TileLayout {
  width: number;
  height: number;
  tileW: number;
  tileH: number;
  tilesX: number;
  tilesY: number;
}

/** Rectangle record: x0, x1, y0, y1 (inclusive, full-grid pixels), value bits. */
export const RECT_WORDS = 5;
export const RECT_BYTES = RECT_WORDS * 4;

/** One tile's rectangles in draw order. */
export interface Bucket {
  /** RECT_WORDS words per rectangle */
  rects: Uint32Array;
  /** rectangles stored */
  n: number;
  /** per rectangle: the shape it came from (only when shapes must interleave with triangles) */
  shapes: Uint32Array | null;
  /** shape of the last rectangle, for merging */
  lastShape: number;
}

/**
 * A BurnSink that turns GDAL's spans and points into pixel rectangles for the GPU, sorted into
 * the tiles they touch (the exact spatial index of the span path). Coordinates stay full-grid;
 * the shaders clip to each tile. A span continuing the previous rectangle of the same shape and
 * value (the next row with the same columns, or the next columns of a one-row rectangle) extends
 * it instead: the pixels and their visit counts are the same and the relative order of all other
 * rectangles is kept, so this is exact in 'replace' and 'add' alike.
 */
export class SpanCollector implements BurnSink {
  readonly buckets: Bucket[];
  /** rectangles pushed before merging (sum over tiles) */
  spans = 0;
  /** upper bound of |increment| summed over all visits of any pixel (merge 'add' bookkeeping) */
  magnitudeSum = 0;
  private shape = 0;
  private readonly values: ValueBits;

  /**
   * @param encode maps a burn value (value + variant) of shape `shape` to the 32 bits the GPU
   *   stores, or throws; -1 means "this visit changes nothing" (a zero increment in 'add')
   * @param magnitude maps encoded bits to the |increment| counted in magnitudeSum (add only)
   */
  constructor(
    readonly layout: TileLayout,
    withShapes: boolean,
    encode: (v: number, shape: number) => number,
    private readonly magnitude: ((bits: number) => number) | null = null,
  ) {
    this.values = new ValueBits((v) => encode(v, this.shape));
    const count = layout.tilesX * layout.tilesY;
    this.buckets = [];
    for (let t = 0; t < count; t++) {
      this.buckets.push({ rects: new Uint32Array(RECT_WORDS * 64), n: 0, shapes: withShapes ? new Uint32Array(64) : null, lastShape: -1 });
    }
  }

  /** Starts shape `i` with burn value `value` (before the Z variant). */
  begin(i: number, value: number): void {
    this.shape = i;
    this.values.begin(value);
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    const bits = this.values.bits(variant);
    if (bits < 0) return;
    this.spans++;
    if (this.magnitude) this.magnitudeSum += this.magnitude(bits);
    const { tileW, tileH, tilesX } = this.layout;
    const row = Math.floor(y / tileH) * tilesX;
    const t1 = Math.floor(x1 / tileW);
    for (let tx = Math.floor(x0 / tileW); tx <= t1; tx++) this.push(this.buckets[row + tx], y, x0, x1, bits);
  }

  point(y: number, x: number, variant: number): void {
    this.span(y, x, x, variant);
  }

  private push(b: Bucket, y: number, x0: number, x1: number, bits: number): void {
    if (b.n > 0 && b.lastShape === this.shape) {
      const r = b.rects;
      const o = (b.n - 1) * RECT_WORDS;
      if (r[o + 4] === bits) {
        if (r[o] === x0 && r[o + 1] === x1 && r[o + 3] + 1 === y) {
          r[o + 3] = y;
          return;
        }
        if (r[o + 2] === y && r[o + 3] === y && r[o + 1] + 1 === x0) {
          r[o + 1] = x1;
          return;
        }
      }
    }
    if ((b.n + 1) * RECT_WORDS > b.rects.length) {
      const bigger = new Uint32Array(b.rects.length * 2);
      bigger.set(b.rects);
      b.rects = bigger;
      if (b.shapes) {
        const s = new Uint32Array(b.shapes.length * 2);
        s.set(b.shapes);
        b.shapes = s;
      }
    }
    const o = b.n * RECT_WORDS;
    b.rects[o] = x0;
    b.rects[o + 1] = x1;
    b.rects[o + 2] = y;
    b.rects[o + 3] = y;
    b.rects[o + 4] = bits;
    if (b.shapes) b.shapes[b.n] = this.shape;
    b.lastShape = this.shape;
    b.n++;
  }
}
