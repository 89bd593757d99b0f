// The in-place band-1 updater (io/tiff/update.ts) for Node: DEFLATE chunks through node:zlib, at GDAL's
// default ZLEVEL as the caller's level, ZSTD chunks through @bokuweb/zstd-wasm (libzstd built to WebAssembly)
// at GDAL's default ZSTD_LEVEL. The CLI's `gdal_rasterize` onto an existing file (any -b bands) uses this.
import { deflateSync, inflateSync } from 'node:zlib';
import type { TypedArray } from '../types.js';
import type { Deflate, Zstd } from './tiff/codec.js';
import { inspectGeoTIFF, type GeoTIFFLayout } from './tiff/layout.js';
import { overviewsUnrebuildable } from './tiff/overview.js';
import * as update from './tiff/update.js';

export { compressionName } from './tiff/codec.js';
export type { BandUpdate } from './tiff/update.js';
export { inspectGeoTIFF, overviewsUnrebuildable, type GeoTIFFLayout };

const NODE_DEFLATE: Deflate = {
  inflate: (data) => inflateSync(data),
  deflate: (data, level) => deflateSync(data, { level }),
};

let zstd: Zstd | null = null;

/** Loads the WebAssembly zstd, once; a ZSTD file's update needs it first. */
export async function loadZstd(): Promise<void> {
  if (zstd) return;
  const z = await import('@bokuweb/zstd-wasm');
  await z.init();
  zstd = {
    // libtiff's frames do not always record their size: the chunk's size bounds the output
    decompress: (data, expected) => z.decompress(data, { defaultHeapSize: Math.max(expected, 1) }),
    compress: (data, level) => z.compress(data, level),
  };
}

/** update.updateGeoTIFFBand1 with node:zlib for DEFLATE chunks and zstd (after loadZstd) for ZSTD ones. */
export function updateGeoTIFFBand1(file: ArrayBuffer | Uint8Array, band1: TypedArray, layout: GeoTIFFLayout = inspectGeoTIFF(file), rebuildOverviews = true): Uint8Array[] {
  return update.updateGeoTIFFBand1(file, band1, layout, NODE_DEFLATE, zstd, rebuildOverviews);
}

/** update.updateGeoTIFFBands with node:zlib for DEFLATE chunks and zstd (after loadZstd) for ZSTD ones. */
export function updateGeoTIFFBands(file: ArrayBuffer | Uint8Array, bands: readonly update.BandUpdate[], layout: GeoTIFFLayout = inspectGeoTIFF(file), rebuildOverviews = true): Uint8Array[] {
  return update.updateGeoTIFFBands(file, bands, layout, NODE_DEFLATE, zstd, rebuildOverviews);
}

/** update.readGeoTIFFBand with node:zlib for DEFLATE chunks and zstd (after loadZstd) for ZSTD ones. */
export function readGeoTIFFBand(file: ArrayBuffer | Uint8Array, band: number, like: TypedArray, layout: GeoTIFFLayout = inspectGeoTIFF(file), out?: TypedArray): TypedArray {
  return update.readGeoTIFFBand(file, band, like, layout, out, NODE_DEFLATE, zstd);
}

/** update.readGeoTIFFBand1 with node:zlib for DEFLATE chunks and zstd (after loadZstd) for ZSTD ones. */
export function readGeoTIFFBand1(file: ArrayBuffer | Uint8Array, like: TypedArray, layout: GeoTIFFLayout = inspectGeoTIFF(file), out?: TypedArray): TypedArray {
  return update.readGeoTIFFBand1(file, like, layout, out, NODE_DEFLATE, zstd);
}
