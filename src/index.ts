// rasterburn: burn GeoJSON into raster grids in memory, GDAL's pixels on the CPU, WebGPU when asked.
export { rasterize, MAX_RASTER_BYTES } from './rasterize.js';
export type { BurnStages, GpuStats, RasterizeStats, RasterResult } from './rasterize.js';
export { gridFromBounds } from './grid-from-bounds.js';
export type { BoundsGridSize, GridFromBoundsOptions } from './grid-from-bounds.js';
export { gridFromAffine } from './grid-from-affine.js';
export type { Affine } from './grid-from-affine.js';
export { geometryMask } from './geometry-mask.js';
export type { GeometryMaskOptions } from './geometry-mask.js';
export { gridFromGeoTIFF } from './io/tiff/read.js';
export type { GeoTIFFSource } from './io/tiff/read.js';
export { toGeoTIFF, toGeoTIFFParts } from './io/tiff/write.js';
export { toGeoTIFFAsync } from './io/tiff/write-async.js';
export { useWebEncodeThreads } from './io/tiff/web-encode.js';
export type { Compression, GeoTIFFWriteOptions } from './io/tiff/write.js';
export { loadZstd } from './io/tiff/zstd.js';
export { parseCreationOptions } from './io/tiff/creation-options.js';
// -of COG's -co list read as GDAL's COG driver reads it; toCOG(raster, co) is -of COG's file, overviews included
export { parseCogOptions } from './io/tiff/cog-options.js';
export { toCOG } from './io/tiff/to-cog.js';
export { toNpy, toNpyParts } from './io/npy.js';
export { createRasterizer, DEFAULT_BATCH_BUDGET } from './rasterizer.js';
export type { BatchJob, BatchOptions, BatchProgress, BatchRun, Rasterizer, RasterizerOptions } from './rasterizer.js';
export { prepare, isPrepared, preparedTransferables } from './prepare.js';
export type { PrepareOptions, PreparedFeatures } from './prepare.js';
export { rasterizeTiles, rasterizeBands } from './tiles.js';
export type { BandOptions, RasterBand, RasterTile, StreamStats, TileOptions } from './tiles.js';
export { TiledGeoTIFFWriter } from './io/tiff/stream.js';
export type { PositionalSink, TiledGeoTIFFMeta, TiledGeoTIFFOptions, TiledGeoTIFFSummary } from './io/tiff/stream.js';
export { flattenFeatures } from './features/flatten.js';
export type { FlattenOptions, FlattenStats } from './features/flatten.js';
export type { ShapeSet } from './features/shapes.js';
export type { AnyGeometry, FeatureInput, GeoJSONFeature, GeoJSONGeometry, GeoJSONFeatureCollection, GeometryValuePair, PackedPositions, Position, Positions } from './features/geojson.js';
export { parseGeoJSON, isPacked } from './features/scan.js';
export type { Backend, DType, DTypeArrays, GeoTransform, Grid, ProgressInfo, Raster, RasterizeOptions, TypedArray, WebGPUDevice } from './types.js';
// CRSs beyond EPSG:4326/3857/UTM load on demand (the EPSG table, proj4): loadCrs() before a synchronous call
export { loadCrs, CrsNotLoadedError } from './crs.js';
export type { Crs } from './crs.js';
// thrown by backend 'webgpu' without an adapter; GpuUnsupportedError never reaches rasterize()'s caller (the CPU answers)
export { GpuUnsupportedError, WebGPUUnavailableError } from './gpu/errors.js';
export { readFeatures, listLayers } from './formats/open.js';
export { useSqlJs } from './formats/geopackage.js';
export type { SqlJsModule } from './formats/geopackage.js';
export type { VectorInput } from './formats/open.js';
export type { BBox, FeatureLayer, FieldInfo, FieldType, ReadOptions, VectorFormat } from './formats/layer.js';
