import type { ShapeSet } from '../features/shapes.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';
import { DTYPES } from '../dtype.js';
import { ArraySink } from './array-sink.js';
import { emitShape, type EmitOptions } from './emit.js';

export interface CpuTarget {
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
}

export interface CpuBurnOptions {
  allTouched?: boolean;
  merge?: 'replace' | 'add';
  burnZ?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
}

export interface CpuBurnStats {
  /** shapes burned (all of them unless aborted, which throws) */
  shapesBurned: number;
  /** pixel visits: burned span lengths plus points; in ADD mode a pixel may count several times */
  pixelsVisited: number;
}

const PROGRESS_SHAPES = 1000;
const PROGRESS_MS = 50;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('burn aborted');
  err.name = 'AbortError';
  return err;
}

// one burn job: shapes are burned in order (last wins in REPLACE), a slice at a time
class Job {
  readonly sink: ArraySink;
  readonly emit: EmitOptions;
  next = 0;
  private lastReportShape = 0;
  private lastReportTime = now();

  constructor(
    readonly shapes: ShapeSet,
    readonly target: CpuTarget,
    readonly opts: CpuBurnOptions,
  ) {
    const { data, width, height, dtype } = target;
    if (!Object.prototype.hasOwnProperty.call(DTYPES, dtype)) throw new Error(`unknown dtype ${String(dtype)}`);
    if (!Number.isInteger(width) || width <= 0) throw new Error(`target width must be a positive integer, got ${width}`);
    if (!Number.isInteger(height) || height <= 0) throw new Error(`target height must be a positive integer, got ${height}`);
    if (data.length !== width * height) {
      throw new Error(`target data has ${data.length} pixels, expected ${width} x ${height} = ${width * height}`);
    }
    const merge = opts.merge ?? 'replace';
    if (merge !== 'replace' && merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got ${String(merge)}`);
    this.emit = { allTouched: opts.allTouched ?? false, merge, burnZ: opts.burnZ ?? false };
    this.sink = new ArraySink(data, width, dtype, merge);
  }

  // burns shapes until `deadline` (ms, performance.now) or the end; checks abort and reports progress
  run(deadline: number): boolean {
    const { shapes, target, sink, emit, opts } = this;
    const { signal, onProgress } = opts;
    const total = shapes.count;
    while (this.next < total) {
      if (signal?.aborted) throw abortError(signal);
      const stop = Math.min(total, this.next + 64);
      for (let i = this.next; i < stop; i++) {
        sink.setValue(shapes.value[i]);
        emitShape(shapes, i, target.width, target.height, emit, sink);
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
