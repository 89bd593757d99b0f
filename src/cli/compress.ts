// The CLI's GeoTIFF encoding for a raster held whole: compressed chunks on the run's worker threads (the burn's
// own, src/cli/threads.ts) and on this thread, all with node:zlib, so that the bytes are those of one thread.
import { NODE_DEFLATE } from '../io/node-zlib.js';
import { toGeoTIFFParts, toGeoTIFFPartsParallel, type GeoTIFFWriteOptions } from '../io/tiff/write.js';
import { zstdIfLoaded } from '../io/tiff/zstd.js';
import type { Raster } from '../types.js';
import type { CliArgs } from './args.js';
import { compressionThreads, type Threads } from './threads.js';

/** The GeoTIFF of `raster` as parts to write one after another. */
export async function encodeGeoTIFF(raster: Raster, options: GeoTIFFWriteOptions, args: Pick<CliArgs, 'threads'>, threads: Threads): Promise<Uint8Array[]> {
  if ((options.compress ?? 'none') === 'none' && !options.sparse) return toGeoTIFFParts(raster, options);
  const n = await compressionThreads(options.threads, args, raster.data.byteLength, threads.running());
  const workers = await threads.compressors(n);
  return toGeoTIFFPartsParallel(raster, options, { workers, compressors: { deflate: NODE_DEFLATE, zstd: zstdIfLoaded() } });
}

/**
 * Starts the compression workers of a compressed output now, before the burn: on a burn that runs on this
 * thread alone (W1's), the workers boot on the idle cores meanwhile instead of after it.
 */
export async function prestartCompressors(options: GeoTIFFWriteOptions, args: Pick<CliArgs, 'threads'>, rawBytes: number, threads: Threads): Promise<void> {
  if ((options.compress ?? 'none') === 'none' && !options.sparse) return;
  const n = await compressionThreads(options.threads, args, rawBytes, threads.running());
  if (n > 1) await threads.compressors(n);
}
