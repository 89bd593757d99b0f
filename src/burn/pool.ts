// What the burn needs from a set of burn threads. The threads themselves are the host's (worker_threads
// in Node: src/burn/node-pool.ts); the core only hands them a BandJob, so it stays browser-safe.
import type { BandJob } from '../cpu/bands.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';

// Below this much work, starting the threads and handing them the bands costs more than they save. Whole
// CLI runs, median of 5-7, 2-core VM under load 5-7 (bench/results/2026-12-06-small-jobs.md), 1 vs 2 threads:
// US counties 5,900 x 2,600, 68k vertices 1.14 vs 1.36 s; 20k buildings 4,000^2, 118k vertices 0.98 vs
// 1.47 s; W2s 2,000^2, 26k vertices 0.62 vs 1.02 s; W1s 1,000^2 0.65 vs 0.86 s; W1 10,000^2, 590k vertices
// 2.54 vs 3.38 s (bench/results/2026-11-26: 1.18 vs 1.14 s, even). Threads won only with ~1M vertices or a
// 20,000^2 grid: W4 10,000^2, 1.0M vertices 1.81 vs 1.48 s; W2 20,000^2, 1.0M vertices 1.83 vs 1.62 s.
const MIN_PIXELS = 1 << 27;
const MIN_VERTICES = 800_000;

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
  /** a zeroed shared grid prepared earlier (see BurnPool.prefault) if one of this type and size exists */
  output?: (dtype: DType, pixels: number) => TypedArray | null;
}

/** Whether a burn of this size is worth more than one thread. */
export function worthThreads(pixels: number, vertices: number): boolean {
  return pixels >= MIN_PIXELS || vertices >= MIN_VERTICES;
}
