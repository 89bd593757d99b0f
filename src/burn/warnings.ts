// Results that are likely wrong though GDAL would burn the same pixels: no feature meets the grid, or burn
// values the output type cannot hold (clamped to its range, rounded to whole numbers). Each is one line for
// stats.warnings and the CLI's stderr; the pixels are left as GDAL burns them.
import { DTYPES, INT64_MAX, INT64_MIN, isBigDType, UINT64_MAX } from '../dtype.js';
import type { ShapeSet } from '../features/shapes.js';
import { formatGdalNoData } from '../io/tiff/gdal-nodata.js';
import type { DType, Grid } from '../types.js';

export interface WarningContext {
  grid: Grid;
  dtype: DType;
  /** values come from vertices' Z (their sum with the burn value is not checked) */
  burnZ: boolean;
  /** values are added to what is there: their sums are not checked either */
  merge: 'replace' | 'add';
  /** the attribute the values come from, for the message */
  attribute?: string;
}

/** The warnings a burn of `shapes` deserves (none for an empty set). */
export function shapeWarnings(shapes: ShapeSet, ctx: WarningContext): string[] {
  const out: string[] = [];
  if (shapes.count === 0) return out;
  const outside = outsideGrid(shapes, ctx.grid);
  if (outside) out.push(outside);
  const typeLoss = valuesLost(shapes, ctx);
  if (typeLoss) out.push(typeLoss);
  return out;
}

// every vertex beyond one side of the grid: nothing can be burned (the -i universe shape covers the grid, so
// an inverted burn never gets here)
function outsideGrid(s: ShapeSet, grid: Grid): string | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i], y = s.y[i];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (!(x0 <= x1 && y0 <= y1)) return null;
  if (!(x1 < 0 || y1 < 0 || x0 > grid.width || y0 > grid.height)) return null;
  const crs = grid.crs ? ` (in ${grid.crs})` : '';
  return `no feature meets the grid: the features lie in ${extentText(grid, x0, y0, x1, y1)}, the grid covers ${extentText(grid, 0, 0, grid.width, grid.height)}${crs}; nothing was burned`;
}

// a pixel-space box as the world box it covers, xmin ymin xmax ymax
function extentText(grid: Grid, px0: number, py0: number, px1: number, py1: number): string {
  const t = grid.transform;
  const xs: number[] = [], ys: number[] = [];
  for (const [px, py] of [[px0, py0], [px1, py0], [px0, py1], [px1, py1]]) {
    xs.push(t[0] + px * t[1] + py * t[2]);
    ys.push(t[3] + px * t[4] + py * t[5]);
  }
  const f = (v: number) => String(Number(v.toPrecision(10)));
  return `${f(Math.min(...xs))} ${f(Math.min(...ys))} ${f(Math.max(...xs))} ${f(Math.max(...ys))}`;
}

// GDAL's -ot names, for the type that would hold the values
const GDAL_NAMES: Record<DType, string> = {
  uint8: 'Byte', int16: 'Int16', uint16: 'UInt16', int32: 'Int32', uint32: 'UInt32', float32: 'Float32', float64: 'Float64', int64: 'Int64', uint64: 'UInt64',
};
const WIDER: DType[] = ['uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64'];

function valuesLost(s: ShapeSet, ctx: WarningContext): string | null {
  if (ctx.burnZ || ctx.dtype === 'float64') return null;
  // an Integer64 attribute burns into Int64 exactly (V10)
  if (s.value64 && ctx.dtype === 'int64') return null;
  const t = DTYPES[ctx.dtype];
  // the 64-bit types' max is 2^63 or 2^64 as a double, which does not fit either
  const big = isBigDType(ctx.dtype);
  const FLT_MAX = 3.4028234663852886e38;
  let min = Infinity, max = -Infinity, clamped = 0, rounded = 0, nan = 0, fractions = false;
  // a feature split into several shapes counts once. The flatteners emit a feature's shapes one after
  // another, so the last lost feature is enough to tell; a Set (one hash lookup a shape, a sixth of
  // W1's whole burn setup) only for an order where a feature comes back later
  const feature = s.feature;
  let ordered = true;
  for (let i = 1; i < s.count; i++) if (feature[i] < feature[i - 1]) { ordered = false; break; }
  const features = ordered ? null : new Set<number>();
  let lostFeatures = 0, lastLost = -1;
  for (let i = 0; i < s.count; i++) {
    const v = s.value[i];
    const f = feature[i];
    if (f === lastLost || (features !== null && features.has(f))) continue;
    if (v !== v) nan++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
      if (Number.isFinite(v) && !Number.isInteger(v)) fractions = true;
    }
    let lost = false;
    if (ctx.dtype === 'float32') {
      if (Math.abs(v) > FLT_MAX && Number.isFinite(v)) { clamped++; lost = true; }
    } else if (v !== v || v < t.min || v > t.max || (big && v === t.max)) { clamped++; lost = true; }
    else if (!Number.isInteger(v)) { rounded++; lost = true; }
    if (lost) {
      lostFeatures++;
      lastLost = f;
      features?.add(f);
    }
  }
  if (!lostFeatures) return null;
  const type = GDAL_NAMES[ctx.dtype];
  const range = min <= max ? `${min === max ? `${min}` : `${min} to ${max}`}${nan ? ' and NaN' : ''}` : 'NaN';
  const single = (min === max && !nan) || (!(min <= max) && nan > 0);
  const holds = WIDER.find((d) => fits(d, min, max, fractions, nan > 0));
  const hint = holds ? `; ${GDAL_NAMES[holds]} holds ${single ? 'it' : 'them'} (-ot ${GDAL_NAMES[holds]}, dtype '${holds}')` : '';
  // GDAL sends what is beyond Float32's range to infinity, and clamps integer types
  const float = ctx.dtype === 'float32';
  const into = big ? `${type}'s range ${ctx.dtype === 'int64' ? `${INT64_MIN} to ${INT64_MAX}, or wrapped (2^63 gives ${INT64_MIN})` : `0 to ${UINT64_MAX}, or wrapped (2^64 and more give 0)`}` : `${type}'s range ${t.min} to ${t.max}`;
  if (ctx.attribute === undefined) {
    // one burn value for every feature (after any merge='add' sums, which are not checked)
    const how = clamped ? (float ? 'it becomes infinite' : nan ? 'NaN is written as 0' : `it is clamped to ${into}`) : 'it is rounded to a whole number';
    return `the burn value ${range} does not fit ${type}: ${how}${hint}`;
  }
  const what = [clamped ? (float ? `${clamped} become infinite` : `${clamped} clamped to ${into}${nan ? ' (NaN written as 0)' : ''}`) : '', rounded ? `${rounded} rounded to whole numbers` : ''].filter(Boolean).join(', ');
  const sum = ctx.merge === 'add' ? ' (before adding)' : '';
  const n = lostFeatures;
  return `${n} feature${n > 1 ? 's' : ''} ha${n > 1 ? 've' : 's'} a value of attribute ${ctx.attribute}${sum} that does not fit ${type}: ${what}; ${single ? `the value is ${range}` : `the values range over ${range}`}${hint}`;
}

function fits(d: DType, min: number, max: number, fractions: boolean, nan: boolean): boolean {
  const t = DTYPES[d];
  if (nan && t.integer) return false;
  if (!(min <= max)) return d === 'float32' || d === 'float64';
  if (t.integer && fractions) return false;
  if (isBigDType(d)) return min >= t.min && max < t.max;
  if (d === 'float32') return Math.fround(min) === min && Math.fround(max) === max && !fractions;
  return min >= t.min && max <= t.max;
}

/**
 * An Int64/UInt64 nodata that is not a whole number inside the type (pixel rules V11, K5): GDAL writes its
 * double text all the same, reads it back truncated, and may rewrite a block equal to it; null when fine.
 */
export function nodataWarning(dtype: DType, nodata: number | null): string | null {
  if (nodata === null || !isBigDType(dtype)) return null;
  const t = DTYPES[dtype];
  if (Number.isInteger(nodata) && nodata >= t.min && nodata < t.max) return null;
  return `nodata ${nodata} is not a whole number in ${GDAL_NAMES[dtype]}'s range: GDAL writes its text ${formatGdalNoData(nodata)} and reads it back as another value, and GDAL 3.6 would fill a block holding only that value truncated with the value rounded`;
}
