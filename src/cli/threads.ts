// How the CLI's CPU burn uses the cores: every one for a big job, one for a small one, unless --threads
// says otherwise (the pixels are the same for any count). Big jobs get their worker threads before the
// source is read, and when the command line gives the new raster's grid, the workers touch its memory
// and warm up meanwhile.
import type { CliArgs } from './args.js';
import { DTYPES } from '../dtype.js';
import type { BurnPool } from '../burn/node-pool.js';
import type { ThreadOptions } from '../burn/pool.js';
import type { ChunkWorkers } from '../io/tiff/encode-queue.js';
import type { TypedArray } from '../types.js';

export interface Threads {
  /** how the threaded burn gets its workers and, when the grid was known early, its output grid; null: one thread */
  options: ThreadOptions | null;
  /**
   * Workers that compress the output's chunks, `threads` in all with the calling thread: the burn's pool
   * (grown when asked for more), else one started now; null for one thread or where no worker file exists.
   */
  compressors: (threads: number) => Promise<ChunkWorkers | null>;
  /** whether worker threads are already started */
  running: () => boolean;
  close: () => Promise<void>;
}

/**
 * The threads that compress a GeoTIFF of `rawBytes` uncompressed bytes: NUM_THREADS (GDAL's reading: a
 * number, ALL_CPUS, else GDAL_NUM_THREADS from the environment), else --threads or every core. Without
 * either of the first two a small output is compressed on the calling thread alone, unless a pool already
 * runs: starting workers costs more than they save there.
 */
export async function compressionThreads(asked: number | 'all' | undefined, args: Pick<CliArgs, 'threads'>, rawBytes: number, poolRunning: boolean): Promise<number> {
  const parallel = await import('../burn/node-pool.js');
  const env = process.env.GDAL_NUM_THREADS;
  const named = asked ?? (env === undefined ? undefined : /^all_cpus$/i.test(env) ? 'all' : Number.parseInt(env, 10) || 1);
  if (named !== undefined) return named === 'all' ? parallel.defaultThreads() : parallel.usableThreads(Math.min(named, 1024));
  if (!poolRunning && rawBytes < MIN_COMPRESS_BYTES) return 1;
  return args.threads !== undefined ? parallel.usableThreads(args.threads) : parallel.defaultThreads();
}

// below this the workers' start costs more than they save: node:zlib compresses ~8 MiB in ~0.1 s
const MIN_COMPRESS_BYTES = 8 << 20;

// A CLI run starts its workers for one job, so they must pay for their start as well as the hand-over:
// more work than a library caller's pool needs (src/burn/pool.ts). Whole CLI runs, median of 5-7, on a
// 2-core VM under load 3-7 (bench/results/2026-12-06-small-jobs.md), 1 vs 2 threads: US counties
// 5,900 x 2,600, 68k vertices 1.14 vs 1.36 s; 20k buildings on 4,000^2, 118k vertices 0.98 vs 1.47 s; W2s
// 2,000^2 0.62 vs 1.02 s; W1s 1,000^2 0.65 vs 0.86 s; W1 10,000^2, 590k vertices 2.54 vs 3.38 s. Even
// in-process, with no worker start to pay, threads won only from ~1M vertices or a 20,000^2 grid
// (bench/results/2026-11-26-W1+W2+W4-partial.md, library runs: W4 10,000^2, 1.0M vertices 1.81 vs 1.48 s;
// W2 20,000^2, 1.0M vertices 1.83 vs 1.62 s; W1 1.18 vs 1.14 s).
const MIN_PIXELS = 1 << 27;
const MIN_VERTICES = 800_000;

/** Whether a CLI burn of this size is worth starting threads for. */
export function worthThreads(pixels: number, vertices: number): boolean {
  return pixels >= MIN_PIXELS || vertices >= MIN_VERTICES;
}

/**
 * The threads for this command line. `workerUrl` is the burn worker's file (null: none to start, one
 * thread); `maxBytes` caps the grid that is allocated ahead of the plan.
 */
export async function burnThreads(args: CliArgs, workerUrl: URL | null, maxBytes: number): Promise<Threads> {
  let pool: BurnPool | null = null;
  const compressors = async (threads: number): Promise<ChunkWorkers | null> => {
    if (!workerUrl || threads <= 1) return null;
    if (pool) pool.grow(threads);
    else pool = new (await import('../burn/node-pool.js')).BurnPool(workerUrl, threads);
    const p = pool;
    // a bigger pool lends only as many workers as were asked for
    return { size: Math.min(p.size, threads - 1), encode: (k, spec, host, owned) => p.encode(k, spec, host, owned) };
  };
  const running = (): boolean => pool !== null;
  const none: Threads = { options: null, compressors, running, close: async () => { await pool?.close(); } };
  if (args.backend !== 'cpu' || !workerUrl) return none;
  const parallel = await import('../burn/node-pool.js');
  const n = args.threads !== undefined ? parallel.usableThreads(args.threads) : parallel.defaultThreads();
  if (n <= 1) return none;
  const start = (): BurnPool => (pool ??= new parallel.BurnPool(workerUrl, n));
  let early: TypedArray | null = null;
  const threads: Threads = {
    compressors,
    running,
    options: {
      pool: start,
      force: args.threads !== undefined,
      worth: worthThreads,
      output: (dtype, pixels) => {
        const grid = early && early.length === pixels && DTYPES[dtype].make(0).constructor === early.constructor ? early : null;
        early = null;
        return grid;
      },
    },
    close: async () => { await pool?.close(); },
  };

  // With -te and -ts/-tr the grid of a new raster is known before the source is read (only creation
  // makes sense with them): its memory is touched by the workers while this thread parses, since first-touch
  // page faults cost about as much as the burn
  const [{ statSync }, { freemem }] = await Promise.all([import('node:fs'), import('node:os')]);
  let srcBytes = 0;
  try {
    srcBytes = statSync(args.src).size;
  } catch { /* reported when the source is read */ }
  // a building file as big as W1's, whose threads do not pay, must not start them
  const forced = args.threads !== undefined;
  const rough = roughPixels(args);
  const vertices = srcBytes / bytesPerVertex(args.src);
  if (!(forced || worthThreads(rough * 2, vertices))) return threads;
  // the plan's exact grid only for a job that may be big: the plan brings the CRS layer (proj4 and the
  // EPSG table, the biggest chunk a run loads), which a small job should not wait for before its parse
  const plan = await import('./plan.js');
  let pixels = 0;
  if (args.te && (args.ts || args.tr) && !args.template) {
    try {
      const g = plan.creationGrid(null, args, undefined);
      pixels = g.width * g.height;
    } catch { /* reported by the plan */ }
  }
  if (!(forced || worthThreads(pixels, vertices))) return threads;
  const p = start();
  const dtype = args.dtype ?? plan.CLI_DEFAULT_DTYPE;
  if (worthThreads(pixels, 0) && pixels * DTYPES[dtype].bytes <= Math.min(maxBytes, freemem() / 2)) {
    // only a head start: without the memory now, the burn allocates (and reports) it later
    try {
      early = (await import('../cpu/bands.js')).sharedGrid(dtype, pixels);
      p.prefault(early);
    } catch {
      early = null;
    }
  }
  p.warmUp(dtype, args.allTouched, args.add ? 'add' : 'replace');
  return threads;
}

// a source file's bytes a vertex, by its extension: the files of W1's 100,000 buildings (590k vertices,
// bench/formats.ts) weigh 25.6 as .shp, 34.2 as .fgb, 39 as .gpkg, 18.9 as GeoParquet, 55 as GeoJSON;
// GeoJSON's 48 is the mean over W1, W4's lines (40) and the US counties (45). Anything else (a .zip, a
// sequence, standard input) counts as GeoJSON: fewer vertices, so no threads started for nothing
const BYTES_PER_VERTEX: Record<string, number> = { shp: 26, fgb: 34, gpkg: 39, parquet: 19 };

/** The bytes a vertex takes in the source `path` (a rough figure for the early threads decision). */
export function bytesPerVertex(path: string): number {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return BYTES_PER_VERTEX[ext] ?? 48;
}

// the new grid's pixels from -te with -ts or -tr, before the plan's exact rules (-tap, rounding): within a
// row or column of them, enough to tell a job far below the threads' bar (0: not known before the plan)
export function roughPixels(args: CliArgs): number {
  if (!args.te || args.template) return 0;
  if (args.ts) return args.ts[0] * args.ts[1];
  if (!args.tr) return 0;
  const [xmin, ymin, xmax, ymax] = args.te;
  const n = (Math.abs(xmax - xmin) / Math.abs(args.tr[0]) + 2) * (Math.abs(ymax - ymin) / Math.abs(args.tr[1]) + 2);
  return Number.isFinite(n) ? n : 0;
}
