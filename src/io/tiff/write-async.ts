// toGeoTIFF with the chunks compressed on several threads: the platform's workers where the host has
// registered them (Node: src/io/node-encode.ts, through 'rasterburn/node' and the package's Node entry),
// else on the calling thread. The bytes are the same for any thread count. Browser-safe.
import type { Raster } from '../../types.js';
import type { Deflate } from './codec.js';
import type { ChunkWorkers } from './encode-queue.js';
import { joinParts, toGeoTIFFParts, toGeoTIFFPartsParallel, type GeoTIFFWriteOptions } from './write.js';
import { FFLATE } from './write-chunks.js';
import { loadZstd } from './zstd.js';

/** What the platform lends toGeoTIFFAsync to compress on several threads. */
export interface EncodeThreads {
  /** every core the process may use (NUM_THREADS=ALL_CPUS) */
  cores(): number;
  /** workers for `threads` threads in all, the calling one counted (null: none) */
  workers(threads: number): Promise<ChunkWorkers | null>;
  /** this thread's DEFLATE: the workers' must give the same bytes */
  deflate: Deflate;
}

let platform: EncodeThreads | null = null;

/** Registers the platform's compression threads (null: compress on the calling thread with fflate). */
export function setEncodeThreads(p: EncodeThreads | null): void {
  platform = p;
}

// below this a worker's start costs more than it saves
const MIN_THREADED_BYTES = 8 << 20;

/**
 * toGeoTIFF with `options.threads` threads compressing the chunks (GDAL's NUM_THREADS: a count or 'all';
 * default every core for a raster of 8 MiB or more, else one). In Node DEFLATE is node:zlib's, several times
 * faster than the fflate that toGeoTIFF and browsers use: the pixels are the same, the compressed bytes are
 * not; for a given platform they are the same for any thread count. ZSTD's codec is loaded when needed.
 *
 * @example
 * import { rasterize, toGeoTIFFAsync } from 'rasterburn/node';
 * const tif = await toGeoTIFFAsync(await rasterize(parcels, grid), { compress: 'deflate', predictor: 2, threads: 'all' });
 */
export async function toGeoTIFFAsync(raster: Raster, options: GeoTIFFWriteOptions = {}): Promise<ArrayBuffer> {
  if ((options.compress ?? 'none') === 'none' && !options.sparse) return joinParts(toGeoTIFFParts(raster, options));
  const zstd = options.compress === 'zstd' ? await loadZstd() : null;
  const p = platform;
  const asked = options.threads ?? (raster.data.byteLength >= MIN_THREADED_BYTES ? 'all' : 1);
  if (asked !== 'all' && !(Number.isInteger(asked) && asked >= 1)) throw new Error(`threads must be a whole number of at least 1 or 'all', got ${String(asked)}`);
  const n = asked === 'all' ? p?.cores() ?? 1 : asked;
  const workers = p && n > 1 ? await p.workers(n) : null;
  return joinParts(await toGeoTIFFPartsParallel(raster, options, { workers, compressors: { deflate: p?.deflate ?? FFLATE, zstd } }));
}
