// A raster's strips or tiles, each encoded as libtiff writes it for GDAL: the chunk's rows in little-endian
// order, the predictor, then the compression (DEFLATE through fflate, LZW and PackBits by our encoders, ZSTD
// through the loaded zstd-wasm). Tiles at the right and bottom edges are padded with zeros to the full tile,
// strips are not. A chunk left out by `sparse` comes back empty. Browser-safe.
import { unzlibSync, zlibSync } from 'fflate';
import { DTYPES } from '../../dtype.js';
import type { Raster } from '../../types.js';
import { LITTLE_ENDIAN_HOST } from '../endian.js';
import { codecFor, type Deflate } from './codec.js';
import { chunkLayout, COMPRESSION_CODES, type GeoTIFFWriteOptions } from './write.js';
import { zstdIfLoaded } from './zstd.js';

/** DEFLATE by fflate (zlib streams, as TIFF's DEFLATE chunks are); levels past 9 compress as 9. */
export const FFLATE: Deflate = {
  inflate: (d) => unzlibSync(d),
  deflate: (d, level) => zlibSync(d, { level: Math.max(1, Math.min(9, level)) as 1 }),
};

/** Every chunk of `raster` encoded per `options`, in TIFF chunk order; an empty array for a chunk left out. */
export function encodeChunks(raster: Raster, options: GeoTIFFWriteOptions): Uint8Array[] {
  const { width, height, data, dtype } = raster;
  const bpp = DTYPES[dtype].bytes;
  const { tiled, tileW, tileH, rowsPerStrip } = chunkLayout(width, height, bpp, options);
  const compress = options.compress ?? 'none';
  const code = COMPRESSION_CODES[compress];
  const zstd = compress === 'zstd' ? zstdIfLoaded() : null;
  if (compress === 'zstd' && !zstd) throw new Error('ZSTD compression: await loadZstd() before writing');
  const chunkW = tiled ? tileW : width;
  // a big-endian host's samples are swapped to the file's little-endian order after the predictor, as libtiff does
  const codec = codecFor(code, options.predictor ?? 1, LITTLE_ENDIAN_HOST, bpp, 1, chunkW * bpp, FFLATE, zstd, { deflate: options.zlevel, zstd: options.zstdLevel });
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // what a left-out chunk reads back as
  const fill = options.sparse ? DTYPES[dtype].make(1) : null;
  if (fill) fill[0] = raster.nodata ?? 0;

  const out: Uint8Array[] = [];
  const across = tiled ? Math.ceil(width / tileW) : 1;
  const down = tiled ? Math.ceil(height / tileH) : Math.ceil(height / rowsPerStrip);
  for (let cy = 0; cy < down; cy++) {
    for (let cx = 0; cx < across; cx++) {
      const x0 = cx * chunkW, y0 = cy * (tiled ? tileH : rowsPerStrip);
      const w = Math.min(chunkW, width - x0), h = Math.min(tiled ? tileH : rowsPerStrip, height - y0);
      if (fill && allEqual(data, width, x0, y0, w, h, fill[0])) {
        out.push(new Uint8Array(0));
        continue;
      }
      const rows = tiled ? tileH : h;
      const host = new Uint8Array(chunkW * rows * bpp);
      for (let r = 0; r < h; r++) {
        const from = ((y0 + r) * width + x0) * bpp;
        host.set(src.subarray(from, from + w * bpp), r * chunkW * bpp);
      }
      out.push(codec.encode(host));
    }
  }
  return out;
}

// NaN counts as equal to NaN: a NaN nodata's chunk is left out like any other
function allEqual(data: Raster['data'], width: number, x0: number, y0: number, w: number, h: number, v: number): boolean {
  const nan = v !== v;
  for (let r = 0; r < h; r++) {
    for (let k = (y0 + r) * width + x0, end = k + w; k < end; k++) {
      const d = data[k];
      if (d !== v && !(nan && d !== d)) return false;
    }
  }
  return true;
}
