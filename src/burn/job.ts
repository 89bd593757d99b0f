// A request made ready to burn: its shapes flattened once and its output array in place (the caller's
// `into`, or a fresh array at the start value; on shared memory when threads will burn it).
import { now } from '../abort.js';
import { shared, sharedGrid } from '../cpu/bands.js';
import { DTYPES, fillPixels, samePixel } from '../dtype.js';
import type { FeatureInput } from '../features/geojson.js';
import type { ShapeSet } from '../features/shapes.js';
import type { PreparedFeatures } from '../prepare.js';
import type { DType, Raster, TypedArray } from '../types.js';
import { worthThreads, type BandPool, type ThreadOptions } from './pool.js';
import type { BurnRequest } from './request.js';
import { shapesOf, type BurnModes, type RequestShapes } from './shapes.js';
import { noStages, type RasterizeStats } from './stats.js';
import { nodataWarning, shapeWarnings } from './warnings.js';

/** Largest array rasterize() allocates; bigger grids need tiles (a typed array tops out near 4 GiB anyway). */
export const MAX_RASTER_BYTES = 2 ** 32 - 1;

/**
 * A burned raster with the burn's counts, stages and backend; `release` only when `data` is a view of a
 * GPU readback (the `gpuView` option): it ends the view and gives the readback back.
 */
export type RasterResult<D extends DType = DType> = Raster<D> & { stats: RasterizeStats; release?: () => void };

/** A request with its shapes and output array, ready for burn(). */
export interface BurnJob {
  request: BurnRequest;
  shapes: ShapeSet;
  modes: BurnModes;
  /** filled in as the job goes: counts now, backend and stages by burn() */
  stats: RasterizeStats;
  /** the array burned: `into`, or a fresh one holding the start value (shared memory when `pool` burns it) */
  data: TypedArray;
  /** the threads that burn it; null: one thread, or the GPU */
  pool: BandPool | null;
  /** set by burn() when `data` became a view of a GPU readback: ends it */
  release?: () => void;
}

/**
 * Flattens the features (unless `flat` brings shapesOf's answer for this request) and sets up the output
 * array; `threads` may put a big CPU burn on several threads.
 */
export function prepareJob(features: FeatureInput | PreparedFeatures, request: BurnRequest, threads?: ThreadOptions, flat?: RequestShapes): BurnJob {
  const t0 = now();
  const { grid, dtype } = request;
  if (!request.into) checkSize(request);
  const { shapes, modes, counts, attribute } = flat ?? shapesOf(features, request);
  request.signal?.throwIfAborted();
  const pixels = grid.width * grid.height;
  let pool: BandPool | null = null;
  if (threads && request.backend === 'cpu' && (threads.force || (threads.worth ?? worthThreads)(pixels, shapes.x.length))) {
    pool = threads.pool();
    if (pool && pool.threads < 2) pool = null;
  }
  let data: TypedArray;
  if (request.into) {
    // threads share memory: an ordinary `into` is burned on a shared copy and copied back (see burn())
    data = pool && !(request.into.buffer instanceof SharedArrayBuffer) ? shared(request.into) : request.into;
  } else if (pool) {
    data = threads?.output?.(dtype, pixels) ?? sharedGrid(dtype, pixels);
  } else {
    data = freshArray(request);
  }
  const stats: RasterizeStats = {
    features: counts.features, skipped: counts.skipped, shapes: shapes.count, backend: 'cpu', stages: noStages(),
    warnings: [...(counts.warnings ?? []), ...shapeWarnings(shapes, { grid, dtype, burnZ: modes.burnZ, merge: modes.merge, attribute }), ...[nodataWarning(dtype, request.nodata)].filter((w): w is string => w !== null)],
  };
  stats.stages.prepare = now() - t0;
  return { request, shapes, modes, stats, data, pool };
}

/** The finished result: the grid's georeferencing, a copied transform, the request's nodata. */
export function resultOf(job: BurnJob, data: TypedArray): RasterResult {
  const { grid, dtype, nodata } = job.request;
  return {
    data, width: grid.width, height: grid.height, transform: [...grid.transform] as Raster['transform'],
    crs: grid.crs, nodata, dtype, stats: job.stats, ...(job.release ? { release: job.release } : {}),
  };
}

// a grid over one array's limit is refused before anything is flattened
function checkSize({ grid, dtype }: BurnRequest): void {
  const bytes = grid.width * grid.height * DTYPES[dtype].bytes;
  if (bytes > MAX_RASTER_BYTES) {
    throw new Error(`grid ${grid.width} x ${grid.height} ${dtype} needs ${(bytes / 2 ** 30).toFixed(1)} GiB, more than the ${(MAX_RASTER_BYTES / 2 ** 30).toFixed(0)} GiB one array can hold`);
  }
}

/** A new array of the request's grid and type, every pixel at the start value as GDAL starts it. */
export function freshArray(request: BurnRequest): TypedArray {
  const { grid, dtype, start } = request;
  const n = grid.width * grid.height;
  let data: TypedArray;
  try {
    data = DTYPES[dtype].make(n);
  } catch {
    throw new Error(`grid ${grid.width} x ${grid.height} ${dtype} (${((n * DTYPES[dtype].bytes) / 2 ** 20).toFixed(0)} MiB) does not fit in memory`);
  }
  if (!samePixel(start, 0) && !samePixel(start, 0n)) fillPixels(data, start);
  return data;
}
