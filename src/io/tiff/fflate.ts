// The DEFLATE codec through fflate, in a module of its own: the GeoTIFF reader needs it without the
// writer's chunk encoder (keeping the encoder out of a bundle that only reads or only rasterizes).
import { unzlibSync, zlibSync } from 'fflate';
import type { Deflate } from './codec.js';

/**
 * DEFLATE by fflate (zlib streams, as TIFF's DEFLATE chunks are); levels past 9 compress as 9. The browser's
 * and the library's default: in Node the CLI hands DEFLATE to node:zlib instead (encodeChunksAsync), about
 * 7x faster on 20 KB strips of a W1-like UInt16 band (fflate 37 s, node:zlib 4.9 s for 2,000 strips on
 * the loaded 2-core test VM, one thread each).
 */
export const FFLATE: Deflate = {
  inflate: (d) => unzlibSync(d),
  deflate: (d, level) => zlibSync(d, { level: Math.max(1, Math.min(9, level)) as 1 }),
};
