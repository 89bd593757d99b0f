// A rasterize() request settled once: every option name, its check and its default live here, so the
// clients (rasterize, the rasterizer and its batches, tiles and bands, the threaded burn, the CLI) read
// a finished record instead of re-deriving `init ?? nodata ?? 0` or the default type each on its own.
import { DTYPES, isBigDType, isDType, toPixel, type Pixel } from '../dtype.js';
import type { FlattenOptions } from '../features/flatten.js';
import { checkGrid } from '../grid.js';
import type { Backend, DType, Grid, ProgressInfo, RasterizeOptions, TypedArray } from '../types.js';

/** The output type when none is asked for (pixel rule G6). */
export const DEFAULT_DTYPE: DType = 'uint16';

const OPTION_KEYS = new Set([
  'burn', 'attribute', 'burnZ', 'dtype', 'allTouched', 'merge', 'init', 'nodata', 'invert',
  'featureCrs', 'into', 'backend', 'signal', 'onProgress', 'gpuFill', 'strict', 'where', 'gpuView',
]);

/** A rasterize() call's options, checked and with every default applied. */
export interface BurnRequest {
  grid: Grid;
  dtype: DType;
  /**
   * what a fresh array starts as, converted to dtype: GDAL's -init, else nodata (a new GTiff reads back as
   * nodata), else 0 (pixel rule V5); a BigInt for int64/uint64, which start at -init or 0 (V11)
   */
  start: Pixel;
  /** nodata recorded on the result */
  nodata: number | null;
  merge: 'replace' | 'add';
  allTouched: boolean;
  burnZ: boolean;
  invert: boolean;
  /** the options that shape the features, as given (prepared features refuse a different one) */
  shapeOptions: FlattenOptions;
  /** the caller's array to burn into (checked against grid and dtype); undefined: a fresh one */
  into: TypedArray | undefined;
  backend: Backend;
  gpuFill: 'spans' | 'triangles';
  /** the result may be a view of the GPU readback (released by the caller) */
  gpuView: boolean;
  signal: AbortSignal | undefined;
  onProgress: ((p: ProgressInfo) => void) | undefined;
}

/** Validates `options` and `grid`, naming the offending value, and settles the defaults. */
export function resolveRequest(grid: Grid, options: RasterizeOptions = {}): BurnRequest {
  const o = checkOptions(options);
  checkGrid(grid);
  const dtype = o.dtype ?? DEFAULT_DTYPE;
  if (o.into) checkInto(o.into, grid, dtype);
  const nodata = o.nodata ?? null;
  return {
    grid,
    dtype,
    start: toPixel(dtype, o.init ?? (isBigDType(dtype) ? 0 : nodata ?? 0)),
    nodata,
    merge: o.merge ?? 'replace',
    allTouched: !!o.allTouched,
    burnZ: !!o.burnZ,
    invert: !!o.invert,
    shapeOptions: { burn: o.burn, attribute: o.attribute, burnZ: o.burnZ, merge: o.merge, invert: o.invert, featureCrs: o.featureCrs, strict: o.strict, where: o.where },
    into: o.into,
    backend: o.backend ?? 'cpu',
    gpuFill: o.gpuFill ?? 'spans',
    gpuView: !!o.gpuView,
    signal: o.signal,
    onProgress: o.onProgress,
  };
}

// the option checks, each naming the bad option and value
function checkOptions(o: RasterizeOptions): RasterizeOptions {
  if (o === null || typeof o !== 'object') throw new Error(`options must be an object, got ${o}`);
  for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) throw new Error(unknownOption(k));
  if (o.dtype !== undefined && !isDType(o.dtype)) throw new Error(`unknown dtype "${o.dtype}": use one of ${Object.keys(DTYPES).join(', ')}`);
  if (o.merge !== undefined && o.merge !== 'replace' && o.merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got "${o.merge}"`);
  checkBackend(o.backend);
  if (o.gpuFill !== undefined && o.gpuFill !== 'spans' && o.gpuFill !== 'triangles') throw new Error(`gpuFill must be 'spans' or 'triangles', got ${String(o.gpuFill)}`);
  for (const k of ['burn', 'init'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'number') throw new Error(`${k} must be a number, got ${JSON.stringify(o[k])}`);
  }
  if (o.nodata !== undefined && o.nodata !== null && typeof o.nodata !== 'number') throw new Error(`nodata must be a number or null, got ${JSON.stringify(o.nodata)}`);
  if (o.attribute !== undefined && (typeof o.attribute !== 'string' || o.attribute === '')) throw new Error(`attribute must be a property name, got ${JSON.stringify(o.attribute)}`);
  return o;
}

// rasterio.features' keyword names (and their camelCase spellings), with what they are here
const RASTERIO_NAMES: Record<string, string> = {
  fill: 'init', default_value: 'burn', defaultValue: 'burn', out: 'into', merge_alg: 'merge', mergeAlg: 'merge',
  all_touched: 'allTouched', nodata: 'nodata', dtype: 'dtype',
  out_shape: 'the grid (width, height)', outShape: 'the grid (width, height)',
  transform: "the grid's transform (GDAL order; gridFromAffine() takes rasterio's Affine)",
};

/** The one-line error for an option rasterize() does not know, naming ours when it is rasterio's name for one. */
export function unknownOption(k: string, what = 'option'): string {
  const ours = Object.prototype.hasOwnProperty.call(RASTERIO_NAMES, k) ? RASTERIO_NAMES[k] : undefined;
  if (ours === undefined) return `unknown ${what} "${k}"`;
  return `unknown ${what} "${k}": rasterio's ${k} is ${ours.includes(' ') ? ours : `"${ours}"`} here`;
}

/** Refuses anything but 'cpu', 'webgpu' or 'auto' (undefined: the default). */
export function checkBackend(backend: unknown): asserts backend is Backend | undefined {
  if (backend !== undefined && backend !== 'cpu' && backend !== 'webgpu' && backend !== 'auto') {
    throw new Error(`backend must be 'cpu', 'webgpu' or 'auto', got "${String(backend)}"`);
  }
}

// an `into` array must be exactly the grid's pixels of the request's type
function checkInto(into: TypedArray, grid: Grid, dtype: DType): void {
  const n = grid.width * grid.height;
  if (into.length !== n) throw new Error(`into has ${into.length} elements, the grid needs ${grid.width} x ${grid.height} = ${n}`);
  const want = DTYPES[dtype].make(0).constructor;
  if (into.constructor !== want) throw new Error(`into is a ${into.constructor.name}, dtype ${dtype} needs a ${want.name}`);
}
