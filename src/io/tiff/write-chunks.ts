// A raster's strips or tiles, each encoded as libtiff writes it for GDAL: the chunk's rows in little-endian
// order, the predictor, then the compression (DEFLATE through fflate, LZW and PackBits by our encoders, ZSTD
// through the loaded zstd-wasm). Tiles at the right and bottom edges are padded with zeros to the full tile,
// strips are not. A chunk left out by `sparse` comes back empty. Browser-safe.
import { DTYPES, fillPixels, toPixel } from '../../dtype.js';
import type { Raster } from '../../types.js';
import { LITTLE_ENDIAN_HOST } from '../endian.js';
import type { Deflate } from './codec.js';
import { codecOfSpec, type ChunkSpec, type Compressors } from './chunk-spec.js';
import { ChunkEncoder, type ChunkWorkers } from './encode-queue.js';
import { chunkLayout, COMPRESSION_CODES, type GeoTIFFWriteOptions } from './write.js';
import { zstdIfLoaded } from './zstd.js';

import { FFLATE } from './fflate.js';
import { deflateRuns } from './deflate-runs.js';

export { FFLATE };

/** A deflater that runs off the calling thread (node:zlib's asynchronous deflate runs on libuv's thread pool). */
export type DeflateAsync = (d: Uint8Array, level: number) => Promise<Uint8Array>;

/** Every chunk of `raster` encoded per `options`, in TIFF chunk order; an empty array for a chunk left out. */
export function encodeChunks(raster: Raster, options: GeoTIFFWriteOptions): Uint8Array[] {
  const { spec, chunks } = chunkSamples(raster, options);
  const codec = codecOfSpec(spec, { deflate: FFLATE, zstd: zstdFor(spec) });
  return Array.from(chunks, (host) => (host ? codec.encode(host) : new Uint8Array(0)));
}

/** Where encodeChunksParallel encodes: the host's workers (none: this thread only) and the compressors they use. */
export interface ParallelEncoding {
  workers: ChunkWorkers | null;
  /** the compressors of this thread: the workers' must give the same bytes (the same zlib, the same zstd) */
  compressors: Compressors;
  /** whether this thread encodes too when every worker is busy (default true) */
  local?: boolean;
}

/**
 * encodeChunks on several threads: the same chunks, each encoded on whichever thread is free, so the bytes
 * are those of one thread with the same compressors.
 */
export async function encodeChunksParallel(raster: Raster, options: GeoTIFFWriteOptions, where: ParallelEncoding): Promise<Uint8Array[]> {
  const { spec, chunks, owned } = chunkSamples(raster, options);
  const codec = codecOfSpec(spec, { deflate: where.compressors.deflate, zstd: where.compressors.zstd ?? zstdFor(spec) });
  const out: Uint8Array[] = [];
  const q = new ChunkEncoder(spec, where.workers, where.local === false && where.workers?.size ? null : (h) => codec.encode(h), (i, b) => { out[i] = b; });
  for (const host of chunks) await q.push(host, owned);
  await q.finish();
  return out;
}

/**
 * encodeChunks with DEFLATE handed to `deflate`, `concurrency` chunks at a time: on node:zlib's thread pool the
 * compression of a big output runs on several cores while this thread cuts and predicts the next chunks.
 * Other compressions are encoded here, as encodeChunks does.
 */
export async function encodeChunksAsync(raster: Raster, options: GeoTIFFWriteOptions, deflate: DeflateAsync, concurrency = 8): Promise<Uint8Array[]> {
  if (options.compress !== 'deflate') return encodeChunks(raster, options);
  const { spec, chunks } = chunkSamples(raster, options);
  const codec = codecOfSpec(spec, { deflate: FFLATE, zstd: null });
  const level = options.zlevel ?? 6;
  const unit = DTYPES[raster.dtype].bytes * (options.samples ?? 1);
  const out: Uint8Array[] = [];
  const pending = new Set<Promise<void>>();
  let i = 0;
  for (const host of chunks) {
    const at = i++;
    if (!host) { out[at] = new Uint8Array(0); continue; }
    const predicted = codec.predict(host);
    // the synchronous writer's rule (codec.ts): up to level 6 a chunk of runs goes to the run coder, so both
    // writers give the same bytes
    const runs = level <= 6 ? deflateRuns(predicted, unit) : null;
    if (runs) { out[at] = runs; continue; }
    const p: Promise<void> = deflate(predicted, level).then((z) => { out[at] = z; pending.delete(p); });
    pending.add(p);
    if (pending.size >= concurrency) await Promise.race(pending);
  }
  await Promise.all(pending);
  return out;
}

/** The encoding of a raster's chunks per `options`, as plain numbers (see chunk-spec.ts). */
export function chunkSpecFor(dtype: Raster['dtype'], width: number, options: GeoTIFFWriteOptions): ChunkSpec {
  const spp = options.samples ?? 1;
  const bps = DTYPES[dtype].bytes;
  const { tiled, tileW } = chunkLayout(width, 1, bps * spp, options);
  const compression = COMPRESSION_CODES[options.compress ?? 'none'];
  if (compression === undefined) throw new Error(`unknown compression '${String(options.compress)}': use none, deflate, lzw, packbits or zstd`);
  // a big-endian host's samples are swapped to the file's little-endian order after the predictor, as libtiff does
  return {
    compression, predictor: options.predictor ?? 1, littleEndian: LITTLE_ENDIAN_HOST, bps, stride: spp,
    rowBytes: (tiled ? tileW : width) * bps * spp, deflateLevel: options.zlevel, zstdLevel: options.zstdLevel,
  };
}

// the loaded zstd for a ZSTD spec (null for other compressions)
function zstdFor(spec: ChunkSpec): Compressors['zstd'] {
  if (spec.compression !== COMPRESSION_CODES.zstd) return null;
  const z = zstdIfLoaded();
  if (!z) throw new Error('ZSTD compression: await loadZstd() before writing');
  return z;
}

// the chunks' encoding and each chunk's samples in host order (null for a chunk left out), cut one at a time;
// owned: the chunks are fresh buffers (tiles), not views of the raster (strips)
function chunkSamples(raster: Raster, options: GeoTIFFWriteOptions): { spec: ChunkSpec; chunks: Iterable<Uint8Array | null>; owned: boolean } {
  const { width, height, data, dtype } = raster;
  const spp = options.samples ?? 1;
  const bps = DTYPES[dtype].bytes;
  // bytes of one pixel, every band's sample side by side
  const bpp = bps * spp;
  const { tiled, tileW, tileH, rowsPerStrip } = chunkLayout(width, height, bpp, options);
  const spec = chunkSpecFor(dtype, width, options);
  const chunkW = tiled ? tileW : width;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // what a left-out chunk reads back as
  const fill = options.sparse ? DTYPES[dtype].make(1) : null;
  if (fill) fillPixels(fill, toPixel(dtype, raster.nodata ?? 0));
  const across = tiled ? Math.ceil(width / tileW) : 1;
  const down = tiled ? Math.ceil(height / tileH) : Math.ceil(height / rowsPerStrip);
  function* chunks(): Generator<Uint8Array | null> {
    for (let cy = 0; cy < down; cy++) {
      for (let cx = 0; cx < across; cx++) {
        const x0 = cx * chunkW, y0 = cy * (tiled ? tileH : rowsPerStrip);
        const w = Math.min(chunkW, width - x0), h = Math.min(tiled ? tileH : rowsPerStrip, height - y0);
        if (fill && allEqual(data, width * spp, x0 * spp, y0, w * spp, h, fill[0])) { yield null; continue; }
        const rows = tiled ? tileH : h;
        if (!tiled) {
          // a strip is one run of the array: the codec copies it before changing anything
          yield src.subarray(y0 * width * bpp, (y0 + h) * width * bpp);
          continue;
        }
        const host = new Uint8Array(chunkW * rows * bpp);
        for (let r = 0; r < h; r++) {
          const from = ((y0 + r) * width + x0) * bpp;
          host.set(src.subarray(from, from + w * bpp), r * chunkW * bpp);
        }
        yield host;
      }
    }
  }
  return { spec, chunks: chunks(), owned: tiled };
}

// NaN counts as equal to NaN: a NaN nodata's chunk is left out like any other
function allEqual(data: Raster['data'], width: number, x0: number, y0: number, w: number, h: number, v: number | bigint): boolean {
  const nan = v !== v;
  for (let r = 0; r < h; r++) {
    for (let k = (y0 + r) * width + x0, end = k + w; k < end; k++) {
      const d = data[k];
      if (d !== v && !(nan && d !== d)) return false;
    }
  }
  return true;
}
