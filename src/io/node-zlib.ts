// node:zlib for the GeoTIFF writer: the asynchronous deflate runs on libuv's thread pool, so the chunks of
// a big DEFLATE output compress on several cores (UV_THREADPOOL_SIZE, 4 by default).
import { deflate } from 'node:zlib';
import type { DeflateAsync } from './tiff/write-chunks.js';

/** DEFLATE (zlib streams, as TIFF's DEFLATE chunks are) on node:zlib's thread pool; levels 10-12 compress as 9. */
export const nodeDeflateAsync: DeflateAsync = (d, level) => new Promise((resolve, reject) => {
  deflate(d, { level: Math.max(1, Math.min(9, level)) }, (err, out) => {
    if (err) reject(err);
    else resolve(new Uint8Array(out.buffer, out.byteOffset, out.length));
  });
});
