// node:zlib for the GeoTIFF writer. The synchronous codec is what every thread of a parallel write uses
// (the calling one and the workers: the same zlib gives the same bytes); the asynchronous deflate runs on
// libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), for callers without workers.
import { deflate, deflateSync, inflateSync } from 'node:zlib';
import type { Deflate } from './tiff/codec.js';
import type { DeflateAsync } from './tiff/write-chunks.js';

/** DEFLATE (zlib streams, as TIFF's DEFLATE chunks are) on node:zlib's thread pool; levels 10-12 compress as 9. */
export const nodeDeflateAsync: DeflateAsync = (d, level) => new Promise((resolve, reject) => {
  deflate(d, { level: Math.max(1, Math.min(9, level)) }, (err, out) => {
    if (err) reject(err);
    else resolve(new Uint8Array(out.buffer, out.byteOffset, out.length));
  });
});

/**
 * node:zlib on the calling thread, about 7x faster than fflate on TIFF chunks (see FFLATE in
 * tiff/write-chunks.ts); the same bytes as nodeDeflateAsync.
 */
export const NODE_DEFLATE: Deflate = {
  inflate: (d) => inflateSync(d),
  deflate: (d, level) => deflateSync(d, { level: Math.max(1, Math.min(9, level)) }),
};
