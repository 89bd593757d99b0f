// The CLI's GeoTIFF encoding for a raster held whole: compressed chunks on the run's worker threads (the burn's
// own, src/cli/threads.ts) and on this thread, all with node:zlib, so that the bytes are those of one thread.
import { NODE_DEFLATE } from '../io/node-zlib.js';
import { toGeoTIFFParts, toGeoTIFFPartsParallel, type GeoTIFFWriteOptions } from '../io/tiff/write.js';
import { zstdIfLoaded } from '../io/tiff/zstd.js';
import type { DType, Raster } from '../types.js';
import { chunkSpecFor } from '../io/tiff/write-chunks.js';
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
 * thread alone (W1's), the workers boot on the idle cores meanwhile instead of after it, and each encodes
 * made-up chunks of runs of the output's kind, so that their codec is compiled (a fresh thread's first few
 * hundred W1 strips take 3-7x the CPU of later ones) before the real chunks come.
 */
export async function prestartCompressors(options: GeoTIFFWriteOptions, dtype: DType, width: number, args: Pick<CliArgs, 'threads'>, rawBytes: number, threads: Threads): Promise<void> {
  if ((options.compress ?? 'none') === 'none' && !options.sparse) return;
  const n = await compressionThreads(options.threads, args, rawBytes, threads.running());
  const workers = n > 1 ? await threads.compressors(n) : null;
  if (!workers || (options.compress !== 'deflate' && options.compress !== 'zstd')) return;
  const spec = chunkSpecFor(dtype, width, options);
  const unit = spec.bps * spec.stride, rows = Math.max(1, Math.ceil(WARM_CHUNK_BYTES / spec.rowBytes));
  let seed = 1;
  const chunk = (): Uint8Array => {
    const c = new Uint8Array(rows * spec.rowBytes);
    for (let at = 0; at + unit <= c.length;) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const len = unit * (1 + (seed >>> 27) + ((seed >>> 22) & 7)), v = seed & 0xffff;
      for (let e = Math.min(c.length - (c.length % unit), at + len); at < e; at++) c[at] = (v >>> (8 * ((at % unit) % 2))) & 0xff;
    }
    return c;
  };
  for (let k = 0; k < workers.size; k++) {
    for (let b = 0; b < WARM_BATCHES; b++) {
      // nothing waits for these: a failure shows again with the real chunks
      workers.encode(k, spec, Array.from({ length: 32 }, chunk), true).catch(() => undefined);
    }
  }
}

// made-up chunks to warm a worker's codec: WARM_BATCHES batches of 32 chunks of about this many bytes
const WARM_CHUNK_BYTES = 16 << 10;
const WARM_BATCHES = 8;
