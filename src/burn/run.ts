// A whole burn from options: settle the request, prepare the job, burn it. Every whole-grid client
// (rasterize, a rasterizer's jobs, the threaded burn, the CLI) is this call with its own context.
import type { FeatureInput } from '../features/geojson.js';
import type { PreparedFeatures } from '../prepare.js';
import type { Grid, RasterizeOptions } from '../types.js';
import { burn, type GpuContext } from './burn.js';
import { prepareJob, type RasterResult } from './job.js';
import type { ThreadOptions } from './pool.js';
import { resolveRequest, type BurnRequest } from './request.js';
import { loadShapesCrs } from './shapes.js';

/** Where a burn may run besides this thread: a kept GPU device, CPU threads. */
export interface BurnContext {
  gpu?: GpuContext | null;
  threads?: ThreadOptions;
}

/** rasterize() with a context: the one body behind every whole-grid burn. */
export async function rasterizeWith(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions, ctx: BurnContext = {}): Promise<RasterResult> {
  return burnRequest(features, resolveRequest(grid, options), ctx);
}

/** A settled request burned whole. */
export async function burnRequest(features: FeatureInput | PreparedFeatures, request: BurnRequest, ctx: BurnContext = {}): Promise<RasterResult> {
  await loadShapesCrs(features, request);
  return burn(prepareJob(features, request, ctx.threads), ctx.gpu ?? null);
}

/**
 * rasterize() on the CPU with `threads` (in Node: src/burn/node-pool.ts). A big job (or any, with
 * `force`) burns on the pool and its result lies on a SharedArrayBuffer; a small one runs on this thread
 * alone (same pixels, an ordinary array). An `into` array on a SharedArrayBuffer is burned in place.
 */
export function rasterizeParallel(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions, threads: ThreadOptions): Promise<RasterResult> {
  return rasterizeWith(features, grid, options, { threads });
}
