import { abortError, now } from '../abort.js';
import type { ShapeSet } from '../features/shapes.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';
import { DTYPES } from '../dtype.js';
import { ArraySink } from './array-sink.js';
import { emitShape, type EmitOptions, type RowWindow } from '../rules/emit.js';

export interface CpuTarget {
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
  /**
   * Burn only rows window.y0..y1-1 of the width x height grid; `data` then holds just those rows
   * (width * (y1 - y0) pixels, grid row y at data row y - y0), each exactly as in the whole-grid burn.
   */
  window?: RowWindow;
}

export interface CpuBurnOptions {
  allTouched?: boolean;
  merge?: 'replace' | 'add';
  burnZ?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /**
   * Burn only these shapes (indices in increasing order, so draw order is kept), e.g. the ones
   * whose rows meet the window; default all. Progress then counts these.
   */
  only?: ArrayLike<number>;
  /**
   * Records where pixels were burned: cols[floor(x / tileWidth)] is set to 1 for every burned
   * pixel's column x (a tiled writer then knows which tiles still hold only the initial value).
   */
  touched?: { cols: Uint8Array; tileWidth: number };
}

export interface CpuBurnStats {
  /** shapes burned (all of them unless aborted, which throws) */
  shapesBurned: number;
  /** pixel visits: burned span lengths plus points; in ADD mode a pixel may count several times */
  pixelsVisited: number;
}

const PROGRESS_SHAPES = 1000;
const PROGRESS_MS = 50;


// an ArraySink that also marks the tile columns it writes to
class TrackingSink extends ArraySink {
  constructor(
    data: TypedArray, width: number, dtype: DType, merge: 'replace' | 'add', rowOffset: number,
    private readonly cols: Uint8Array,
    private readonly tileWidth: number,
  ) {
    super(data, width, dtype, merge, rowOffset);
  }

  override span(y: number, x0: number, x1: number, variant: number): void {
    super.span(y, x0, x1, variant);
    const t1 = Math.floor(x1 / this.tileWidth);
    for (let t = Math.floor(x0 / this.tileWidth); t <= t1; t++) this.cols[t] = 1;
  }

  override point(y: number, x: number, variant: number): void {
    super.point(y, x, variant);
    this.cols[Math.floor(x / this.tileWidth)] = 1;
  }
}

// one burn job: shapes are burned in order (last wins in REPLACE), a slice at a time
class Job {
  readonly sink: ArraySink;
  readonly emit: EmitOptions;
  /** shapes this job burns (all, or opts.only) */
  readonly total: number;
  next = 0;
  private lastReportShape = 0;
  private lastReportTime = now();

  constructor(
    readonly shapes: ShapeSet,
    readonly target: CpuTarget,
    readonly opts: CpuBurnOptions,
  ) {
    const { data, width, height, dtype, window } = target;
    if (!Object.prototype.hasOwnProperty.call(DTYPES, dtype)) throw new Error(`unknown dtype ${String(dtype)}`);
    if (!Number.isInteger(width) || width <= 0) throw new Error(`target width must be a positive integer, got ${width}`);
    if (!Number.isInteger(height) || height <= 0) throw new Error(`target height must be a positive integer, got ${height}`);
    let rows = height;
    if (window !== undefined) {
      const { y0, y1 } = window;
      if (!(Number.isInteger(y0) && Number.isInteger(y1) && y0 >= 0 && y1 <= height && y0 < y1)) {
        throw new Error(`target window rows [${y0}, ${y1}) are not inside the grid's ${height} rows`);
      }
      rows = y1 - y0;
    }
    if (data.length !== width * rows) {
      throw new Error(`target data has ${data.length} pixels, expected ${width} x ${rows} = ${width * rows}`);
    }
    const merge = opts.merge ?? 'replace';
    if (merge !== 'replace' && merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got ${String(merge)}`);
    this.emit = { allTouched: opts.allTouched ?? false, merge, burnZ: opts.burnZ ?? false };
    this.sink = opts.touched
      ? new TrackingSink(data, width, dtype, merge, window?.y0 ?? 0, opts.touched.cols, opts.touched.tileWidth)
      : new ArraySink(data, width, dtype, merge, window?.y0 ?? 0);
    this.total = opts.only ? opts.only.length : shapes.count;
  }

  // burns shapes until `deadline` (ms, performance.now) or the end; checks abort and reports progress
  run(deadline: number): boolean {
    const { shapes, target, sink, emit, opts, total } = this;
    const { signal, onProgress, only } = opts;
    const window = target.window;
    while (this.next < total) {
      if (signal?.aborted) throw abortError(signal);
      const stop = Math.min(total, this.next + 64);
      for (let k = this.next; k < stop; k++) {
        const i = only ? only[k] : k;
        sink.setValue(shapes.value[i]);
        emitShape(shapes, i, target.width, target.height, emit, sink, window);
      }
      this.next = stop;
      const t = now();
      if (onProgress && (this.next - this.lastReportShape >= PROGRESS_SHAPES || t - this.lastReportTime >= PROGRESS_MS)) {
        this.lastReportShape = this.next;
        this.lastReportTime = t;
        onProgress({ fraction: total === 0 ? 1 : this.next / total, done: this.next, total });
      }
      if (t >= deadline && this.next < total) return false;
    }
    if (signal?.aborted) throw abortError(signal);
    if (onProgress && this.lastReportShape !== total) {
      this.lastReportShape = total;
      onProgress({ fraction: 1, done: total, total });
    }
    return true;
  }

  stats(): CpuBurnStats {
    return { shapesBurned: this.next, pixelsVisited: this.sink.visits };
  }
}

/**
 * Burns `shapes` into `target.data` with GDAL 3.6.2's rules, synchronously. The signal is checked
 * between groups of shapes (an abort from another thread, a worker message or onProgress itself is
 * seen; a timer cannot fire while this runs — use burnShapesCpuAsync for that).
 */
export function burnShapesCpu(shapes: ShapeSet, target: CpuTarget, opts: CpuBurnOptions = {}): CpuBurnStats {
  const job = new Job(shapes, target, opts);
  job.run(Infinity);
  return job.stats();
}

/**
 * Same as burnShapesCpu, but yields to the event loop about every 50 ms so that timers, abort
 * signals and UI updates run while a large job burns. One shape is never split, so a single huge
 * polygon delays the abort until it is done.
 */
export async function burnShapesCpuAsync(shapes: ShapeSet, target: CpuTarget, opts: CpuBurnOptions = {}): Promise<CpuBurnStats> {
  const job = new Job(shapes, target, opts);
  while (!job.run(now() + PROGRESS_MS)) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return job.stats();
}
