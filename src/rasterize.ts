import { burnShapesCpu } from './cpu/engine.js';
import { converter, DTYPES, isDType } from './dtype.js';
import { flattenFeatures, type FlattenStats } from './features/flatten.js';
import type { FeatureInput } from './features/geojson.js';
import type { ShapeSet } from './features/shapes.js';
import type { GpuResourcePool } from './gpu/engine.js';
import { checkGrid } from './grid.js';
import { isPrepared, preparedShapes, type PreparedFeatures } from './prepare.js';
import type { DType, Grid, Raster, RasterizeOptions, TypedArray } from './types.js';

/** Largest array rasterize() allocates; bigger grids need tiles (a typed array tops out near 4 GiB anyway). */
export const MAX_RASTER_BYTES = 2 ** 32 - 1;

/** What happened during a burn, for summaries and benchmarks. */
export interface RasterizeStats {
  features: number;
  skipped: number;
  shapes: number;
  backend: 'cpu' | 'webgpu';
  /** adapter description when the WebGPU backend ran */
  adapter?: string;
  /** why 'auto' or 'webgpu' ended on the CPU */
  fallbackReason?: string;
}

export type RasterResult = Raster & { stats: RasterizeStats };

const OPTION_KEYS = new Set([
  'burn', 'attribute', 'burnZ', 'dtype', 'allTouched', 'merge', 'init', 'nodata', 'invert',
  'featureCrs', 'into', 'backend', 'signal', 'onProgress', 'gpuFill',
]);

/**
 * Burns features into a new raster on `grid`, pixel for pixel as GDAL 3.6's gdal_rasterize.
 * `features` may also be the output of prepare(), which skips parsing and reprojection.
 *
 * @example
 * const grid = gridFromBounds([500000, 4649000, 501000, 4650000], { resolution: [0.5, 0.5] }, { crs: 'EPSG:32633' });
 * const r = await rasterize(buildings, grid, { attribute: 'BuildingID', dtype: 'uint16' });
 * r.data; // Uint16Array of r.width * r.height, row 0 at the top
 */
export function rasterize(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions = {}): Promise<RasterResult> {
  return rasterizeOn(features, grid, options, null);
}

/** A WebGPU device and resource pool kept across burns (createRasterizer's); null: the shared device, nothing kept. */
export interface GpuContext {
  device: GPUDevice;
  pool: GpuResourcePool | null;
}

/** rasterize() on a given GPU context: the one body behind rasterize() and Rasterizer.rasterize(). */
export async function rasterizeOn(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions, gpu: GpuContext | null): Promise<RasterResult> {
  const opts = checkOptions(options);
  checkGrid(grid);
  const dtype: DType = opts.dtype ?? 'uint16';
  const data = allocate(grid, dtype, opts);
  const { shapes, stats, burnOpts } = shapesFor(features, grid, opts);
  opts.signal?.throwIfAborted();

  const target = { data, width: grid.width, height: grid.height, dtype };
  const backend = opts.backend ?? 'cpu';

  if (backend === 'cpu') {
    burnShapesCpu(shapes, target, burnOpts);
  } else {
    const init = opts.into ? undefined : opts.init ?? opts.nodata ?? 0;
    await burnOnGpu(shapes, target, { ...burnOpts, gpuFill: opts.gpuFill, init: init ?? undefined }, backend, stats, gpu);
  }
  return resultOf(data, grid, dtype, opts, stats);
}

/** The finished result: the grid's georeferencing, a copied transform, nodata as asked. */
export function resultOf(data: TypedArray, grid: Grid, dtype: DType, opts: RasterizeOptions, stats: RasterizeStats): RasterResult {
  return {
    data, width: grid.width, height: grid.height, transform: [...grid.transform] as Raster['transform'],
    crs: grid.crs, nodata: opts.nodata ?? null, dtype, stats,
  };
}

/** Options of the burn itself, as every engine takes them. */
export type BurnOptions = Parameters<typeof burnShapesCpu>[2] & { allTouched: boolean; merge: 'replace' | 'add'; burnZ: boolean };

/**
 * The flatten step: GeoJSON (or prepared features) to pixel-space shapes on `grid`, with the
 * stats the result reports and the burn options that go with them. Prepared features bring their
 * own burn/attribute/burnZ/merge/invert/featureCrs; a different value in `opts` is refused.
 */
export function shapesFor(features: FeatureInput | PreparedFeatures, grid: Grid, opts: RasterizeOptions): { shapes: ShapeSet; stats: RasterizeStats; burnOpts: BurnOptions } {
  let shapes: ShapeSet;
  let fstats: FlattenStats;
  let merge = opts.merge ?? 'replace';
  let burnZ = !!opts.burnZ;
  if (isPrepared(features)) {
    const po = features.options;
    const conflict = (k: string, asked: unknown, had: unknown) => {
      if (asked !== undefined && asked !== had) throw new Error(`option ${k} is ${JSON.stringify(asked)} but the features were prepared with ${JSON.stringify(had)}: pass it to prepare() instead`);
    };
    conflict('burn', opts.burn, po.burn);
    conflict('attribute', opts.attribute, po.attribute);
    conflict('burnZ', opts.burnZ, po.burnZ);
    conflict('merge', opts.merge, po.merge);
    conflict('invert', opts.invert, po.invert);
    if (opts.featureCrs !== undefined) throw new Error('option featureCrs does not apply to prepared features: pass it to prepare() instead');
    shapes = preparedShapes(features, grid);
    fstats = { features: features.features, skipped: features.skipped };
    merge = po.merge;
    burnZ = po.burnZ;
  } else {
    fstats = { features: 0, skipped: 0 };
    shapes = flattenFeatures(features, grid, {
      burn: opts.burn, attribute: opts.attribute, burnZ: opts.burnZ, merge: opts.merge,
      invert: opts.invert, featureCrs: opts.featureCrs,
    }, fstats);
  }
  const stats: RasterizeStats = { features: fstats.features, skipped: fstats.skipped, shapes: shapes.count, backend: 'cpu' };
  const burnOpts: BurnOptions = { allTouched: !!opts.allTouched, merge, burnZ, signal: opts.signal, onProgress: opts.onProgress };
  return { shapes, stats, burnOpts };
}

/**
 * Burns on the GPU; a request the GPU cannot do exactly (and, for 'auto', a missing or failing
 * adapter) is answered on the CPU instead, with the reason in stats.fallbackReason.
 */
export async function burnOnGpu(
  shapes: ShapeSet,
  target: { data: TypedArray; width: number; height: number; dtype: DType },
  opts: BurnOptions & { gpuFill?: 'spans' | 'triangles'; init?: number },
  backend: 'webgpu' | 'auto',
  stats: RasterizeStats,
  gpu: GpuContext | null = null,
): Promise<void> {
  // loaded lazily so CPU users never pay for the GPU module
  const engine = await import('./gpu/engine.js');
  // a fresh array is re-made from its init value; a caller's `into` array needs a copy to undo a failed GPU run
  const restore = opts.init === undefined && backend === 'auto' ? target.data.slice() : null;
  try {
    const r = await engine.burnShapesWebGPU(shapes, target, gpu ? { ...opts, device: gpu.device, pool: gpu.pool ?? undefined } : opts);
    stats.backend = 'webgpu';
    stats.adapter = r.adapter;
  } catch (e) {
    if (!(e instanceof Error) || e.name === 'AbortError') throw e;
    // a request the GPU cannot do exactly is still answered, on the CPU; 'auto' also covers a missing or failing adapter
    const unsupported = e instanceof engine.GpuUnsupportedError;
    if (!unsupported && backend !== 'auto') throw e;
    if (!unsupported) {
      if (restore) target.data.set(restore);
      else target.data.fill(converter(target.dtype)(opts.init ?? 0));
    }
    stats.fallbackReason = e.message;
    burnShapesCpu(shapes, target, opts);
  }
}

/** Validates rasterize() options, naming the offending one. */
export function checkOptions(o: RasterizeOptions): RasterizeOptions {
  if (o === null || typeof o !== 'object') throw new Error(`options must be an object, got ${o}`);
  for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) throw new Error(`unknown option "${k}"`);
  if (o.dtype !== undefined && !isDType(o.dtype)) throw new Error(`unknown dtype "${o.dtype}": use one of ${Object.keys(DTYPES).join(', ')}`);
  if (o.merge !== undefined && o.merge !== 'replace' && o.merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got "${o.merge}"`);
  if (o.backend !== undefined && !['cpu', 'webgpu', 'auto'].includes(o.backend)) throw new Error(`backend must be 'cpu', 'webgpu' or 'auto', got "${o.backend}"`);
  for (const k of ['burn', 'init'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'number') throw new Error(`${k} must be a number, got ${JSON.stringify(o[k])}`);
  }
  if (o.nodata !== undefined && o.nodata !== null && typeof o.nodata !== 'number') throw new Error(`nodata must be a number or null, got ${JSON.stringify(o.nodata)}`);
  if (o.attribute !== undefined && (typeof o.attribute !== 'string' || o.attribute === '')) throw new Error(`attribute must be a property name, got ${JSON.stringify(o.attribute)}`);
  return o;
}

/** The result array: `into` checked, or a fresh one filled with the init value as GDAL starts it. */
export function allocate(grid: Grid, dtype: DType, o: RasterizeOptions): TypedArray {
  const n = grid.width * grid.height;
  if (o.into) {
    if (o.into.length !== n) throw new Error(`into has ${o.into.length} elements, the grid needs ${grid.width} x ${grid.height} = ${n}`);
    const want = DTYPES[dtype].make(0).constructor;
    if (o.into.constructor !== want) throw new Error(`into is a ${o.into.constructor.name}, dtype ${dtype} needs a ${want.name}`);
    return o.into;
  }
  const bytes = n * DTYPES[dtype].bytes;
  if (bytes > MAX_RASTER_BYTES) {
    throw new Error(`grid ${grid.width} x ${grid.height} ${dtype} needs ${(bytes / 2 ** 30).toFixed(1)} GiB, more than the ${(MAX_RASTER_BYTES / 2 ** 30).toFixed(0)} GiB one array can hold`);
  }
  let data: TypedArray;
  try {
    data = DTYPES[dtype].make(n);
  } catch {
    throw new Error(`grid ${grid.width} x ${grid.height} ${dtype} (${(bytes / 2 ** 20).toFixed(0)} MiB) does not fit in memory`);
  }
  // GDAL leaves unburned pixels at -init, else at nodata (a fresh GTiff reads back as nodata), else 0
  const init = o.init ?? (o.nodata ?? undefined);
  if (init !== undefined && init !== null) {
    const v = converter(dtype)(init);
    if (v !== 0 || Object.is(v, -0)) data.fill(v);
  }
  return data;
}
