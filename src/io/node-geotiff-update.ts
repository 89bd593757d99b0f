// The in-place band-1 updater (io/tiff/update.ts) for Node: DEFLATE chunks through node:zlib, at GDAL's
// default ZLEVEL as the caller's level. The CLI's `gdal_rasterize` onto an existing file uses this.
import { deflateSync, inflateSync } from 'node:zlib';
import type { TypedArray } from '../types.js';
import type { Deflate } from './tiff/codec.js';
import { inspectGeoTIFF, type GeoTIFFLayout } from './tiff/layout.js';
import * as update from './tiff/update.js';

export { compressionName } from './tiff/codec.js';
export { inspectGeoTIFF, type GeoTIFFLayout };

const NODE_DEFLATE: Deflate = {
  inflate: (data) => inflateSync(data),
  deflate: (data, level) => deflateSync(data, { level }),
};

/** update.updateGeoTIFFBand1 with node:zlib for DEFLATE chunks. */
export function updateGeoTIFFBand1(file: ArrayBuffer | Uint8Array, band1: TypedArray, layout: GeoTIFFLayout = inspectGeoTIFF(file)): Uint8Array[] {
  return update.updateGeoTIFFBand1(file, band1, layout, NODE_DEFLATE);
}

/** update.readGeoTIFFBand1 with node:zlib for DEFLATE chunks. */
export function readGeoTIFFBand1(file: ArrayBuffer | Uint8Array, like: TypedArray, layout: GeoTIFFLayout = inspectGeoTIFF(file), out?: TypedArray): TypedArray {
  return update.readGeoTIFFBand1(file, like, layout, out, NODE_DEFLATE);
}
