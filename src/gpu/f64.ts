/**
 * Host side of shaders/f64.wgsl, the exact binary64 library for GPU kernels: the word layout of a
 * value in a GPU buffer and the domain inside which f64_gdal_crossing is exact.
 */

/** Every coordinate behind f64_gdal_crossing's inputs (xl, yl and the ends that dx, dy come from) is below this in magnitude. */
export const F64_COORD_LIMIT = 2 ** 30;

/** Rows passed to f64_gdal_crossing lie in [0, F64_ROW_LIMIT). */
export const F64_ROW_LIMIT = 2 ** 30;

/** A nonzero coordinate is at least this in magnitude: the intermediates then never go subnormal. */
export const F64_TINY = 2 ** -200;

/** Whether v may be a coordinate of f64_gdal_crossing (finite, 0 or F64_TINY <= |v| < F64_COORD_LIMIT). */
export function f64Coordinate(v: number): boolean {
  const a = Math.abs(v);
  return a === 0 || (a >= F64_TINY && a < F64_COORD_LIMIT);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The two u32 words of v's binary64 bits, [low, high] (WebGPU hosts are little-endian): the vec2<u32> of shaders/f64.wgsl. */
export function f64Words(v: number): [number, number] {
  f64[0] = v;
  return [u32[0], u32[1]];
}
