// rasterburn: burn GeoJSON into raster grids in memory, GDAL's pixels on the CPU, WebGPU when asked.
export { rasterize, MAX_RASTER_BYTES } from './rasterize.js';
export type { RasterizeStats, RasterResult } from './rasterize.js';
export { gridFromBounds } from './grid-from-bounds.js';
export { gridFromGeoTIFF } from './io/geotiff-read.js';
export { toGeoTIFF, toGeoTIFFParts } from './io/geotiff-write.js';
export { toNpy, toNpyParts } from './io/npy.js';
export { createRasterizer, DEFAULT_BATCH_BUDGET } from './rasterizer.js';
export type { BatchJob, BatchOptions, BatchProgress, BatchRun, Rasterizer, RasterizerOptions } from './rasterizer.js';
export { prepare, isPrepared, preparedTransferables } from './prepare.js';
export type { PrepareOptions, PreparedFeatures } from './prepare.js';
export { rasterizeTiles, rasterizeBands } from './tiles.js';
export type { BandOptions, RasterBand, RasterTile, StreamStats, TileOptions } from './tiles.js';
export { TiledGeoTIFFWriter } from './io/geotiff-stream.js';
export type { PositionalSink, TiledGeoTIFFMeta, TiledGeoTIFFOptions, TiledGeoTIFFSummary } from './io/geotiff-stream.js';
export { flattenFeatures } from './features/flatten.js';
export type { ShapeSet } from './features/shapes.js';
export type { FeatureInput, GeoJSONFeature, GeoJSONGeometry, GeoJSONFeatureCollection } from './features/geojson.js';
export type { Backend, DType, GeoTransform, Grid, ProgressInfo, Raster, RasterizeOptions, TypedArray } from './types.js';
