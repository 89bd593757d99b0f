import { abortError, now } from '../abort.js';
import type { ShapeSet } from '../features/shapes.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';
import { DTYPES, isBigDType } from '../dtype.js';
import { ArraySink, arraySink } from './array-sink.js';
import { BigArraySink } from './big-sink.js';
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


// a sink that also marks the tile columns the sink it wraps writes to
class TrackingSink<S extends ArraySink | BigArraySink> {
  constructor(
    readonly inner: S,
    private readonly cols: Uint8Array,
    private readonly tileWidth: number,
  ) {}

  get visits(): number {
    return this.inner.visits;
  }

  setValue(v: number): void {
    this.inner.setValue(v);
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    this.inner.span(y, x0, x1, variant);
    const t1 = Math.floor(x1 / this.tileWidth);
    for (let t = Math.floor(x0 / this.tileWidth); t <= t1; t++) this.cols[t] = 1;
  }

  point(y: number, x: number, variant: number): void {
    this.inner.point(y, x, variant);
    this.cols[Math.floor(x / this.tileWidth)] = 1;
  }
}

type Sink = ArraySink | BigArraySink | TrackingSink<ArraySink | BigArraySink>;

// one burn job: shapes are burned in order (last wins in REPLACE), a slice at a time
class Job {
  readonly sink: Sink;
  /** the BigArraySink when shapes burn their exact Int64 values (shapes.value64 into int64) */
  private readonly exact: BigArraySink | null;
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
    const rowOffset = window?.y0 ?? 0;
    let inner: ArraySink | BigArraySink;
    if (isBigDType(dtype)) {
      if (!(data instanceof BigInt64Array || data instanceof BigUint64Array)) throw new Error(`a ${dtype} target needs a BigInt array, got a ${data.constructor.name}`);
      inner = new BigArraySink(data, width, dtype, merge, rowOffset);
    } else {
      if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw new Error(`a ${dtype} target cannot be a ${data.constructor.name}`);
      inner = arraySink(data, width, dtype, merge, rowOffset);
    }
    // GDAL burns an Integer64 attribute exactly only into an Int64 band, and not with -3d
    this.exact = inner instanceof BigArraySink && dtype === 'int64' && shapes.value64 && !this.emit.burnZ ? inner : null;
    this.sink = opts.touched ? new TrackingSink(inner, opts.touched.cols, opts.touched.tileWidth) : inner;
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
        if (this.exact) this.exact.setExact(shapes.value64![i]);
        else sink.setValue(shapes.value[i]);
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
