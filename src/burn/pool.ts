// What the burn needs from a set of burn threads. The threads themselves are the host's (worker_threads
// in Node: src/burn/node-pool.ts); the core only hands them a BandJob, so it stays browser-safe.
import type { BandJob } from '../cpu/bands.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';

// below this much work the threads' hand-over costs more than it saves
const MIN_PIXELS = 1 << 22;
const MIN_VERTICES = 1 << 18;

/** Threads that burn the bands of a job together (the calling thread is one of them). */
export interface BandPool {
  readonly threads: number;
  /** burns every band of `job`; resolves when all are done */
  run(job: BandJob, onProgress?: (p: ProgressInfo) => void): Promise<void>;
}

/** How a CPU burn gets its threads. */
export interface ThreadOptions {
  /** the pool, started on first call; may answer null (then one thread burns) */
  pool: () => BandPool | null;
  /** use the threads even for a small job */
  force?: boolean;
  /** whether a job this big gets the threads (default worthThreads); a host that starts its workers for one job asks for more */
  worth?: (pixels: number, vertices: number) => boolean;
  /** a zeroed shared grid prepared earlier (see BurnPool.prefault) if one of this type and size exists */
  output?: (dtype: DType, pixels: number) => TypedArray | null;
}

/** Whether a burn of this size is worth more than one thread. */
export function worthThreads(pixels: number, vertices: number): boolean {
  return pixels >= MIN_PIXELS || vertices >= MIN_VERTICES;
}
