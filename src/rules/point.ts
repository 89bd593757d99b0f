import type { BurnSink } from './sink.js';

const INT_MIN = -2147483648;

/**
 * GDAL's double -> int conversion as it behaves on x86-64 (pixel rule N1): a C truncation, with
 * NaN and anything outside [-2^31, 2^31) turned into -2^31. Every float -> int step of the burn
 * routines goes through here, so huge coordinates burn nothing or the wrong side exactly as in GDAL.
 */
export function cint(v: number): number {
  // + 0 turns trunc's -0 (of -1 < v < 0) into 0: the same integer, and the optimised burn code that assumed
  // small integers is not thrown away at the first shape touching the grid's top or left edge
  return v >= 2147483648 || v < INT_MIN || v !== v ? INT_MIN : Math.trunc(v) + 0;
}

/** cint(Math.floor(v)), the form every routine uses; cheaper since the value is already integral. */
export function cintFloor(v: number): number {
  const f = Math.floor(v);
  // NaN fails both comparisons
  return f >= INT_MIN && f < 2147483648 ? f : INT_MIN;
}

/**
 * Points (pixel rule L5): each vertex burns pixel (cint(floor(x)), cint(floor(y))) when it lies on
 * the grid. `z` holds the per-vertex variant (the Z term) or is null when Z is not burned.
 */
export function burnPoints(
  xs: Float64Array,
  ys: Float64Array,
  z: Float64Array | null,
  from: number,
  to: number,
  width: number,
  height: number,
  sink: BurnSink,
): void {
  for (let i = from; i < to; i++) {
    const px = cintFloor(xs[i]);
    const py = cintFloor(ys[i]);
    if (px >= 0 && px < width && py >= 0 && py < height) sink.point(py, px, z === null ? 0 : z[i]);
  }
}
