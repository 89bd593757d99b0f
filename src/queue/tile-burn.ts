// One tile of a job, burned: the whole grid's shapes through the engine's rules in whole-grid pixel
// coordinates, rows limited by the engine's row window and columns clipped by the sink. Every pixel
// is then the one the single-machine burn writes there, whatever the tile size. Browser-safe.
import { abortError, now } from '../abort.js';
import { arraySink } from '../cpu/array-sink.js';
import { DTYPES } from '../dtype.js';
import type { ShapeSet } from '../features/shapes.js';
import { emitShape, type EmitOptions } from '../rules/emit.js';
import type { BurnSink } from '../rules/sink.js';
import type { TypedArray } from '../types.js';
import type { TileJobSpec, TileRect } from './tile-grid.js';

// keeps the columns x0..x1-1 of whole-grid spans and moves them to the tile's own columns
class ColumnClip implements BurnSink {
  touched = false;
  constructor(private readonly inner: BurnSink, private readonly x0: number, private readonly x1: number) {}
  span(y: number, a: number, b: number, variant: number): void {
    const lo = a > this.x0 ? a : this.x0;
    const hi = b < this.x1 - 1 ? b : this.x1 - 1;
    if (lo > hi) return;
    this.touched = true;
    this.inner.span(y, lo - this.x0, hi - this.x0, variant);
  }
  point(y: number, x: number, variant: number): void {
    if (x < this.x0 || x >= this.x1) return;
    this.touched = true;
    this.inner.point(y, x - this.x0, variant);
  }
}

export interface BurnedTile {
  /** (x1 - x0) * (y1 - y0) pixels, row-major */
  data: TypedArray;
  /** false: no shape wrote a pixel of the tile, so every pixel holds the start value */
  touched: boolean;
  /** pixels that differ from the start value */
  pixelsBurned: number;
}

// a slice of shapes between turns of the event loop: a worker keeps renewing its job locks (and
// answering signals) while it burns
const SLICE_MS = 50;

/** Burns `shapes` (flattened on the job's whole grid) into tile `rect`. */
export async function burnTile(spec: TileJobSpec, rect: TileRect, shapes: ShapeSet, signal?: AbortSignal): Promise<BurnedTile> {
  const w = rect.x1 - rect.x0, h = rect.y1 - rect.y0;
  const data = DTYPES[spec.dtype].make(w * h);
  // the queue refuses int64/uint64 when the job is submitted
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw new Error(`the tile queue does not burn ${spec.dtype}`);
  data.fill(spec.start);
  const array = arraySink(data, w, spec.dtype, spec.merge, rect.y0);
  const clip = new ColumnClip(array, rect.x0, rect.x1);
  const emit: EmitOptions = { allTouched: spec.allTouched, merge: spec.merge, burnZ: spec.burnZ };
  const { width, height } = spec.grid;
  const window = { y0: rect.y0, y1: rect.y1 };
  let lastTurn = now();
  for (let pass = 0; pass < spec.passes; pass++) {
    for (let i = 0; i < shapes.count; i++) {
      array.setValue(shapes.value[i]);
      emitShape(shapes, i, width, height, emit, clip, window);
      if ((i & 63) === 63 && now() - lastTurn > SLICE_MS) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        if (signal?.aborted) throw abortError(signal);
        lastTurn = now();
      }
    }
  }
  let pixelsBurned = 0;
  if (clip.touched) {
    const s = spec.start;
    // NaN equals NaN here: an unburned NaN start has not changed
    for (let k = 0; k < data.length; k++) { const v = data[k]; if (v !== s && (v === v || s === s)) pixelsBurned++; }
  }
  return { data, touched: clip.touched, pixelsBurned };
}
