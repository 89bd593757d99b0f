// Prepared features: GeoJSON parsed, reprojected and put into GDAL's shape order once, so that the
// same features can be burned onto many grids (tiles, time steps, resolutions) paying only the
// pixel transform each time. Browser-safe, and structured-clone friendly for workers.
import { unknownOption } from './burn/request.js';
import { flattenFeatures, type FlattenOptions, type FlattenStats } from './features/flatten.js';
import type { FeatureInput } from './features/geojson.js';
import { isClockwise } from './features/orient.js';
import type { ShapeSet } from './features/shapes.js';
import { invertTransform } from './grid.js';
import type { Grid } from './types.js';

/** The shape options of flattenFeatures, plus the grids' CRS. */
export interface PrepareOptions extends FlattenOptions {
  /**
   * CRS of the grids these features will be burned onto: coordinates are reprojected to it once.
   * Leave it out only for grids without a CRS (no reprojection, as rasterize() does for them).
   */
  crs?: string;
}

/**
 * Features flattened to GDAL's shapes in the grid CRS's world coordinates: reprojected, rings
 * oriented clockwise (OGR's test, on world coordinates), lines reversed, multi-geometries split as
 * GDAL splits them, one burn value per shape. Only the pixel transform is left for each grid.
 * Plain data: typed arrays, strings and numbers, so it can be posted to a worker (see
 * preparedTransferables) and rebuilt there unchanged.
 */
export interface PreparedFeatures {
  format: 'rasterburn.prepared';
  version: 1;
  /** the CRS of the coordinates; every grid burned with these features must have exactly this CRS */
  crs: string | undefined;
  /** the options the shapes were built with (rasterize() refuses different ones) */
  options: { burn?: number; attribute?: string; burnZ: boolean; merge: 'replace' | 'add'; invert: boolean };
  /** GDAL's shapes; x and y are world coordinates in `crs` */
  shapes: ShapeSet;
  /** features read, and those skipped (no geometry, or a vertex that failed to reproject) */
  features: number;
  skipped: number;
  /** the flatten's warnings (features whose geometries GDAL's reader rejects or cuts) */
  warnings?: string[];
  /**
   * -i only: the first vertex of the universe rectangle (the grid grown by 2 pixels), which
   * depends on the grid and is rebuilt for each one; -1 otherwise
   */
  universe: number;
}

// world = pixel: its inverse maps every coordinate to itself (x*1 + y*0, exact), so flattening onto
// it leaves the world coordinates that the real grid's inverse transform then maps exactly as
// flattenFeatures would have
const IDENTITY: Grid['transform'] = [0, 1, 0, 0, 0, 1];

/**
 * Parses, reprojects and orders `features` once; the result burns onto any grid in `options.crs`
 * with the same pixels as rasterize(features, grid, options).
 *
 * @example
 * const prepared = prepare(parcels, { attribute: 'zone', crs: 'EPSG:32633' });
 * for (const grid of tileGrids) await rasterize(prepared, grid, { dtype: 'uint8' });
 */
export function prepare(features: FeatureInput, options: PrepareOptions = {}): PreparedFeatures {
  if (options === null || typeof options !== 'object') throw new Error(`prepare options must be an object, got ${options}`);
  const known = new Set(['burn', 'attribute', 'burnZ', 'merge', 'invert', 'featureCrs', 'crs', 'strict', 'where']);
  for (const k of Object.keys(options)) if (!known.has(k)) throw new Error(unknownOption(k, 'prepare option'));
  const merge = options.merge ?? 'replace';
  if (merge !== 'replace' && merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got "${merge}"`);
  if (options.burn !== undefined && typeof options.burn !== 'number') throw new Error(`burn must be a number, got ${JSON.stringify(options.burn)}`);
  if (options.attribute !== undefined && (typeof options.attribute !== 'string' || options.attribute === '')) {
    throw new Error(`attribute must be a property name, got ${JSON.stringify(options.attribute)}`);
  }
  if (options.crs !== undefined && (typeof options.crs !== 'string' || options.crs === '')) throw new Error(`crs must be a CRS string, got ${JSON.stringify(options.crs)}`);
  const invert = !!options.invert;
  const stats: FlattenStats = { features: 0, skipped: 0 };
  const shapes = flattenFeatures(features, { width: 1, height: 1, transform: IDENTITY, crs: options.crs }, {
    burn: options.burn, attribute: options.attribute, burnZ: options.burnZ, merge, invert, featureCrs: options.featureCrs, strict: options.strict, where: options.where,
  }, stats);
  const opts: PreparedFeatures['options'] = { burnZ: !!options.burnZ, merge, invert };
  if (options.burn !== undefined) opts.burn = options.burn;
  if (options.attribute !== undefined) opts.attribute = options.attribute;
  return {
    format: 'rasterburn.prepared',
    version: 1,
    crs: options.crs,
    options: opts,
    shapes,
    features: stats.features,
    skipped: stats.skipped,
    warnings: stats.warnings ?? [],
    // flatten's -i shape starts with the universe ring: shape 0, part 0, 5 vertices
    universe: invert ? shapes.vertexStart[shapes.partStart[0]] : -1,
  };
}

/** True for the output of prepare() (also after a structured clone). */
export function isPrepared(input: unknown): input is PreparedFeatures {
  return !!input && typeof input === 'object' && (input as { format?: unknown }).format === 'rasterburn.prepared';
}

/** The buffers to list in postMessage's transfer list to hand prepared features to a worker without copying. */
export function preparedTransferables(p: PreparedFeatures): ArrayBuffer[] {
  const s = p.shapes;
  const out = new Set<ArrayBuffer>();
  for (const a of [s.kind, s.value, s.partStart, s.vertexStart, s.x, s.y, s.z, s.feature]) {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  }
  return [...out];
}

/**
 * The shapes of `p` in `grid`'s pixel space: flattenFeatures' pixel transform, term for term, on
 * the prepared world coordinates. Only x and y (and -i's universe ring) are new; the other
 * columns are shared with `p`.
 */
export function preparedShapes(p: PreparedFeatures, grid: Grid): ShapeSet {
  if (!isPrepared(p) || p.version !== 1) throw new Error(`not prepared features (from prepare()): format ${JSON.stringify((p as { format?: unknown })?.format)}`);
  if ((grid.crs ?? undefined) !== p.crs) {
    throw new Error(`grid CRS ${grid.crs === undefined ? '(none)' : JSON.stringify(grid.crs)} differs from the prepared features' CRS ${p.crs === undefined ? '(none)' : JSON.stringify(p.crs)}: prepare() them with { crs: grid.crs }`);
  }
  const s = p.shapes;
  const igt = invertTransform(grid.transform);
  const n = s.x.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const wx = s.x, wy = s.y;
  for (let i = 0; i < n; i++) {
    const X = wx[i], Y = wy[i];
    x[i] = igt[0] + X * igt[1] + Y * igt[2];
    y[i] = igt[3] + X * igt[4] + Y * igt[5];
  }
  if (p.universe >= 0) universeRing(grid, igt, p.universe, x, y);
  return { ...s, x, y };
}

// flatten's -i rectangle for this grid: its corners in world coordinates, oriented as pushRing does
function universeRing(grid: Grid, igt: Grid['transform'], at: number, x: Float64Array, y: Float64Array): void {
  const gt = grid.transform;
  const W = grid.width, H = grid.height;
  const px = [-2, W + 2, W + 2, -2, -2], py = [-2, -2, H + 2, H + 2, -2];
  const wx = new Float64Array(5), wy = new Float64Array(5);
  for (let k = 0; k < 5; k++) {
    wx[k] = gt[0] + px[k] * gt[1] + py[k] * gt[2];
    wy[k] = gt[3] + px[k] * gt[4] + py[k] * gt[5];
  }
  const cw = isClockwise(wx, wy, 0, 5);
  for (let k = 0; k < 5; k++) {
    const j = cw ? k : 4 - k;
    x[at + k] = igt[0] + wx[j] * igt[1] + wy[j] * igt[2];
    y[at + k] = igt[3] + wx[j] * igt[4] + wy[j] * igt[5];
  }
}
