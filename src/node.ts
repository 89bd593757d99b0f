// Node entry: the browser-safe core plus what needs Node: grids and features from file paths, file
// helpers (node:fs), the threaded CPU burn (worker_threads), and proj4 and the EPSG table loaded
// synchronously on first need (so flattenFeatures, prepare and toGeoTIFF take any CRS at once).
import type { RasterResult } from './burn/job.js';
import { defaultThreads, usableThreads } from './burn/node-pool.js';
import { libraryPool } from './burn/node-shared-pools.js';
import { rasterizeParallel } from './burn/run.js';
import type { FeatureInput } from './features/geojson.js';
import type { FeatureLayer, ReadOptions } from './formats/layer.js';
import { readFeatures as readFeaturesAnywhere, type VectorInput } from './formats/open.js';
import { readFeaturesFromPath } from './io/node-vector.js';
import type { DType, Grid, RasterizeOptions } from './types.js';
import { useInlineSqlJs } from './formats/sqljs-inline.js';
import { useNodeCrsLoader } from './io/node-crs.js';
import { useNodeEncodeThreads } from './io/node-encode.js';

export * from './index.js';
export { readFileAsArrayBuffer, writeFileAtomic } from './io/node-files.js';
// gridFromGeoTIFF here also takes a path or file: URL (it shadows the core's of the same name)
export { gridFromGeoTIFF, readGeoJSON } from './io/node-inputs.js';

useNodeCrsLoader();
useInlineSqlJs();
useNodeEncodeThreads();

/**
 * readFeatures() that also takes a file path: a .shp finds its .dbf, .prj and .cpg beside it, '-' reads
 * standard input, '/vsizip/x.zip' or x.zip a zipped Shapefile; URLs, bytes and Blobs as in the browser.
 *
 * @example
 * import { readFeatures, rasterize, gridFromBounds } from 'rasterburn/node';
 * const parcels = await readFeatures('city.gpkg', { layer: 'parcels' });
 * const r = await rasterize(parcels, gridFromBounds([0, 0, 1000, 1000], { resolution: [1, 1] }, { crs: 'EPSG:25832' }));
 */
export async function readFeatures(input: string | VectorInput, options: ReadOptions = {}): Promise<FeatureLayer> {
  if (typeof input === 'string' && !/^(https?|blob|data):/i.test(input)) return readFeaturesFromPath(input, options);
  return readFeaturesAnywhere(input, options);
}

/**
 * rasterize() on the CPU with several threads: the grid is cut into row bands that the threads burn in
 * turn, each with every shape that reaches it, in order, so the pixels are rasterize()'s for any thread
 * count. Small jobs (under ~4 Mpixel and ~260k vertices) run on the calling thread. The result's data
 * lies on a SharedArrayBuffer (it can be posted to other workers without a copy).
 *
 * @example
 * import { rasterizeThreaded, gridFromBounds } from 'rasterburn/node';
 * const grid = gridFromBounds([500000, 5400000, 505000, 5405000], { size: [10000, 10000] }, { crs: 'EPSG:32633' });
 * const r = await rasterizeThreaded(buildings, grid, { attribute: 'BuildingID', dtype: 'uint16' });
 */
export async function rasterizeThreaded<D extends DType = 'uint16'>(
  features: FeatureInput,
  grid: Grid,
  options: RasterizeOptions<D> = {},
  { threads = defaultThreads() }: { threads?: number } = {},
): Promise<RasterResult<D>> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number of at least 1, got ${threads}`);
  if (options.backend !== undefined && options.backend !== 'cpu') throw new Error(`rasterizeThreaded burns on the CPU; backend "${options.backend}" is rasterize()'s`);
  options.signal?.throwIfAborted();
  const n = usableThreads(threads);
  const pool = () => (n < 2 ? null : libraryPool(n));
  return rasterizeParallel(features, grid, options, { pool }) as Promise<RasterResult<D>>;
}
