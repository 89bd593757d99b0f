// rasterburn: burn GeoJSON into raster grids in memory, GDAL's pixels on the CPU, WebGPU when asked.
export { rasterize, MAX_RASTER_BYTES } from './rasterize.js';
export type { RasterizeStats, RasterResult } from './rasterize.js';
export { gridFromBounds } from './grid-from-bounds.js';
export { gridFromGeoTIFF } from './io/geotiff-read.js';
export { toGeoTIFF, toGeoTIFFParts } from './io/geotiff-write.js';
export { toNpy, toNpyParts } from './io/npy.js';
export { flattenFeatures } from './features/flatten.js';
export type { ShapeSet } from './features/shapes.js';
export type { FeatureInput, GeoJSONFeature, GeoJSONGeometry, GeoJSONFeatureCollection } from './features/geojson.js';
export type { Backend, DType, GeoTransform, Grid, ProgressInfo, Raster, RasterizeOptions, TypedArray } from './types.js';
