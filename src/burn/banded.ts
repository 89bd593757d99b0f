// A grid burned band by band on the CPU, in bounded memory: one band of rows at a time through the
// engine's row window, each band with only the shapes that reach it. Behind rasterizeTiles/Bands and
// the CLI's streamed GeoTIFF. Browser-safe.
import { abortError, now } from '../abort.js';
import { shapeRows } from '../cpu/bands.js';
import { burnShapesCpu } from '../cpu/engine.js';
import { DTYPES, fillPixels, samePixel } from '../dtype.js';
import type { ShapeSet } from '../features/shapes.js';
import type { TypedArray } from '../types.js';
import type { BurnRequest } from './request.js';
import type { BurnModes } from './shapes.js';
import type { BurnStages } from './stats.js';

/**
 * Which shapes meet which band: each shape's rows are bounded from its vertices (shapeRows: a margin
 * covering every GDAL routine's reach, the whole grid for a shape with a NaN or huge coordinate), shapes are ordered by their first band, and the active list
 * of each band is merged from the previous one, so no band scans all shapes.
 */
export class BandIndex {
  private readonly lastBand: Int32Array;
  /** shapes by first band, each band's in shape order */
  private readonly order: Uint32Array;
  private readonly bandStart: Uint32Array;
  private active: Uint32Array;
  private spare: Uint32Array;
  private nActive = 0;
  private nextBand = 0;
  /** shapes whose last band is below b, for b = 0..bands (progress in shapes) */
  private readonly doneBefore: Uint32Array;

  constructor(shapes: ShapeSet, height: number, readonly bandHeight: number) {
    const n = shapes.count;
    const bands = Math.ceil(height / bandHeight);
    const firstBand = new Int32Array(n);
    this.lastBand = new Int32Array(n);
    const counts = new Uint32Array(bands + 1);
    const { rowMin, rowMax } = shapeRows(shapes, height, (k) => new Int32Array(k));
    for (let i = 0; i < n; i++) {
      const r0 = Math.max(0, rowMin[i]);
      const r1 = Math.min(height - 1, rowMax[i]);
      if (r0 > r1) {
        firstBand[i] = bands;
        this.lastBand[i] = -1;
      } else {
        firstBand[i] = Math.floor(r0 / bandHeight);
        this.lastBand[i] = Math.floor(r1 / bandHeight);
      }
      counts[firstBand[i]]++;
    }
    this.doneBefore = new Uint32Array(bands + 1);
    for (let i = 0; i < n; i++) this.doneBefore[Math.max(0, this.lastBand[i] + 1)]++;
    for (let b = 1; b <= bands; b++) this.doneBefore[b] += this.doneBefore[b - 1];
    // counting sort by first band, stable: within a band, shape order
    this.bandStart = new Uint32Array(bands + 2);
    for (let b = 0; b <= bands; b++) this.bandStart[b + 1] = this.bandStart[b] + counts[b];
    const fill = this.bandStart.slice(0, bands + 1);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[firstBand[i]]++] = i;
    this.active = new Uint32Array(Math.max(n, 1));
    this.spare = new Uint32Array(Math.max(n, 1));
  }

  /** Shapes with nothing left to burn once bands 0..b are done (for progress in shapes). */
  doneAfter(b: number): number {
    return this.doneBefore[Math.min(b + 1, this.doneBefore.length - 1)];
  }

  /** The shapes that may burn pixels in band `b`, in shape order. Bands must be asked for in order, 0, 1, 2, ... */
  band(b: number): Uint32Array {
    if (b !== this.nextBand) throw new Error(`bands must be visited in order: asked for ${b}, expected ${this.nextBand}`);
    this.nextBand++;
    const { order, lastBand } = this;
    const old = this.active, out = this.spare;
    let i = 0, j = this.bandStart[b];
    const jEnd = this.bandStart[b + 1];
    let m = 0;
    // merge the survivors (still reaching this band) with the shapes starting here, both ascending
    while (i < this.nActive || j < jEnd) {
      let s: number;
      if (j >= jEnd || (i < this.nActive && old[i] < order[j])) {
        s = old[i++];
        if (lastBand[s] < b) continue;
      } else {
        s = order[j++];
      }
      out[m++] = s;
    }
    this.active = out;
    this.spare = old;
    this.nActive = m;
    return out.subarray(0, m);
  }
}

/** Rows y0..y1-1 of the grid, burned, as the band loop hands them out. */
export interface BurnedBand {
  y0: number;
  y1: number;
  /** width * (y1 - y0) pixels; the loop reuses it for a later band (the next, with one buffer) */
  data: TypedArray;
  /** per tile column: 1 when a pixel of it was burned in this band */
  touched: Uint8Array;
  /** the band's index, from 0 at the top */
  index: number;
  /** shapes with nothing left to burn below this band (progress in shapes) */
  shapesDone: number;
}

/** What the band loop burns: a settled request's shapes and modes. */
export interface BandedJob {
  request: BurnRequest;
  shapes: ShapeSet;
  modes: BurnModes;
  /** stages.burn collects the time spent burning */
  stages: BurnStages;
}

/** How the band loop hands its bands out. */
export interface BandLoopOptions {
  /**
   * Band arrays used in turn (default 1): with 2, a band's pixels stay as they are while the next band
   * burns, so that a caller can write them out meanwhile.
   */
  buffers?: number;
  /** Record the touched tile columns (default true); without, `touched` stays all 0. */
  track?: boolean;
}

/**
 * Burns `job` a band of `bandHeight` rows at a time, each band starting at the request's start value,
 * and yields it; `tileWidth` sizes the touched columns; `passes` burns the shapes that many times.
 */
export async function* burnInBands(job: BandedJob, bandHeight: number, tileWidth: number, passes = 1, loop: BandLoopOptions = {}): AsyncGenerator<BurnedBand> {
  const { grid, dtype, start, signal } = job.request;
  const { width, height } = grid;
  const bands = Math.ceil(height / bandHeight);
  const index = new BandIndex(job.shapes, height, bandHeight);
  const touched = new Uint8Array(Math.ceil(width / tileWidth));
  const track = loop.track ?? true ? { cols: touched, tileWidth } : undefined;
  const rowsMax = Math.min(bandHeight, height);
  const ring: TypedArray[] = [];
  // a fresh array already holds 0: only a reused one (or another start value) is filled
  const fresh: boolean[] = [];
  const zero = samePixel(start, 0) || samePixel(start, 0n);
  try {
    for (let k = 0; k < Math.max(1, Math.min(loop.buffers ?? 1, bands)); k++) { ring.push(DTYPES[dtype].make(width * rowsMax)); fresh.push(true); }
  } catch {
    throw new Error(`a band of ${width} x ${rowsMax} ${dtype} pixels does not fit in memory: use a smaller tileHeight/bandHeight`);
  }
  let lastYield = now();
  for (let b = 0; b < bands; b++) {
    if (signal?.aborted) throw abortError(signal);
    const t0 = now();
    const y0 = b * bandHeight, y1 = Math.min(height, y0 + bandHeight);
    const k = b % ring.length, buffer = ring[k];
    const data = y1 - y0 === rowsMax ? buffer : buffer.subarray(0, width * (y1 - y0));
    if (!(zero && fresh[k])) fillPixels(data, start);
    fresh[k] = false;
    touched.fill(0);
    const only = index.band(b);
    if (only.length > 0) {
      for (let pass = 0; pass < passes; pass++) {
        burnShapesCpu(job.shapes, { data, width, height, dtype, window: { y0, y1 } }, { ...job.modes, only, signal, touched: track });
      }
    }
    job.stages.burn += now() - t0;
    yield { y0, y1, data, touched, index: b, shapesDone: index.doneAfter(b) };
    // let timers and abort signals in between bands (a timer turn costs ~1 ms: not after every small band)
    if (now() - lastYield > 20) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
}
