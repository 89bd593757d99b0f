import { rasterizeWith } from './burn/run.js';
import type { RasterResult } from './burn/job.js';
import type { FeatureInput } from './features/geojson.js';
import type { PreparedFeatures } from './prepare.js';
import type { DType, Grid, RasterizeOptions } from './types.js';

export { MAX_RASTER_BYTES, type RasterResult } from './burn/job.js';
export type { BurnStages, GpuStats, RasterizeStats } from './burn/stats.js';

/**
 * Burns features into a new raster on `grid`, pixel for pixel as GDAL 3.6's gdal_rasterize.
 * `features` may also be the output of prepare(), which skips parsing and reprojection.
 *
 * @example
 * const grid = gridFromBounds([500000, 4649000, 501000, 4650000], { resolution: [0.5, 0.5] }, { crs: 'EPSG:32633' });
 * const r = await rasterize(buildings, grid, { attribute: 'BuildingID', dtype: 'uint16' });
 * r.data; // Uint16Array of r.width * r.height, row 0 at the top
 */
export function rasterize<D extends DType = 'uint16'>(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions<D> = {}): Promise<RasterResult<D>> {
  return rasterizeWith(features, grid, options) as Promise<RasterResult<D>>;
}
