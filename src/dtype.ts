import type { BigDType, DType, TypedArray } from './types.js';

const FLT_MAX = 3.4028234663852886e38;

/** Range and constructor of each output type. */
export const DTYPES: Record<DType, { min: number; max: number; bytes: number; integer: boolean; make: (n: number) => TypedArray }> = {
  uint8: { min: 0, max: 255, bytes: 1, integer: true, make: (n) => new Uint8Array(n) },
  int16: { min: -32768, max: 32767, bytes: 2, integer: true, make: (n) => new Int16Array(n) },
  uint16: { min: 0, max: 65535, bytes: 2, integer: true, make: (n) => new Uint16Array(n) },
  int32: { min: -2147483648, max: 2147483647, bytes: 4, integer: true, make: (n) => new Int32Array(n) },
  uint32: { min: 0, max: 4294967295, bytes: 4, integer: true, make: (n) => new Uint32Array(n) },
  float32: { min: -3.4028234663852886e38, max: 3.4028234663852886e38, bytes: 4, integer: false, make: (n) => new Float32Array(n) },
  float64: { min: -Infinity, max: Infinity, bytes: 8, integer: false, make: (n) => new Float64Array(n) },
  // min/max as doubles: 2^63 and 2^64 are the nearest doubles to the types' maxima
  int64: { min: -(2 ** 63), max: 2 ** 63, bytes: 8, integer: true, make: (n) => new BigInt64Array(n) },
  uint64: { min: 0, max: 2 ** 64, bytes: 8, integer: true, make: (n) => new BigUint64Array(n) },
};

/** Whether pixels of `dtype` are BigInts (BigInt64Array, BigUint64Array). */
export function isBigDType(dtype: DType): dtype is BigDType {
  return dtype === 'int64' || dtype === 'uint64';
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

export function isDType(s: string): s is DType {
  return Object.prototype.hasOwnProperty.call(DTYPES, s);
}

/**
 * Converts a double to the band type the way GDAL's GDALCopyWord does (pixel rules V3, V4):
 * NaN -> 0, clamp to the type's range, round half away from zero via trunc(v +/- 0.5) in float64.
 * Float32 rounds to nearest, and anything beyond FLT_MAX becomes +/-Infinity; Float64 is exact.
 */
export function converter(dtype: DType): (v: number) => number {
  // one function a type: a sink made per band of rows calls the same target as the band before, which the
  // optimised code that inlined it checks
  let c = converters.get(dtype);
  if (!c) converters.set(dtype, c = makeConverter(dtype));
  return c;
}

const converters = new Map<DType, (v: number) => number>();

function makeConverter(dtype: DType): (v: number) => number {
  if (isBigDType(dtype)) throw new Error(`${dtype} pixels are BigInts: use bigConverter`);
  const t = DTYPES[dtype];
  if (dtype === 'float64') return (v) => v;
  // GDAL sends anything beyond FLT_MAX to infinity, even values that would round down to FLT_MAX
  if (dtype === 'float32') return (v) => (v > FLT_MAX ? Infinity : v < -FLT_MAX ? -Infinity : Math.fround(v));
  const { min, max } = t;
  return (v) => {
    if (v !== v) return 0;
    // rounded first, then clamped: the same as clamping first, the bounds being whole numbers and the rounding
    // monotonic, and every operation runs for every value (a first band of rows whose values all clamp would
    // otherwise leave the rounding without type feedback, and the first value in range would throw away the
    // optimised code that inlined it). The +/-0.5 is a float64 addition, so 0.49999999999999994 rounds to 1 as in GDAL
    const r = v >= 0 ? Math.trunc(v + 0.5) : Math.trunc(v - 0.5);
    return r <= min ? min : r >= max ? max : r;
  };
}

/**
 * Converts a double to Int64 or UInt64 as GDAL 3.6.2 does (pixel rules V8, V9): NaN -> 0, round half
 * away from zero via trunc(v +/- 0.5) in float64, then the x86-64 cast. Int64 clamps values above 2^63
 * and below -2^63, but 2^63 itself (INT64_MAX as a double) is cast and wraps to INT64_MIN. UInt64
 * sends negatives to 0 and +inf to UINT64_MAX, but a finite value of 2^64 or more is cast and becomes 0.
 */
export function bigConverter(dtype: BigDType): (v: number) => bigint {
  if (dtype === 'int64') {
    return (v) => {
      if (v !== v) return 0n;
      if (v > 2 ** 63) return INT64_MAX;
      if (v < -(2 ** 63)) return INT64_MIN;
      // asIntN wraps 2^63 to INT64_MIN, the result of x86's out-of-range cast
      return BigInt.asIntN(64, BigInt(v >= 0 ? Math.trunc(v + 0.5) : Math.trunc(v - 0.5)));
    };
  }
  return (v) => {
    if (v !== v || v < 0) return 0n;
    if (v === Infinity) return UINT64_MAX;
    const r = Math.trunc(v + 0.5);
    // the cast of 2^64 and beyond gives 0 on x86-64 (it subtracts 2^63, overflows and flips the top bit back)
    return r >= 2 ** 64 ? 0n : BigInt(r);
  };
}

/** Saturating add of two Int64 values (GDAL's add mode with Int64 burn values, V10). */
export function addInt64(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s > INT64_MAX ? INT64_MAX : s < INT64_MIN ? INT64_MIN : s;
}

/** One pixel's value: a number, or a BigInt for the 64-bit integer types. */
export type Pixel = number | bigint;

/** `v` converted to `dtype` by GDAL's rules (V3, V4, V8, V9): a BigInt for int64/uint64. */
export function toPixel(dtype: DType, v: number): Pixel {
  return isBigDType(dtype) ? bigConverter(dtype)(v) : converter(dtype)(v);
}

/** Fills data[start..end) with `v`, which must be a BigInt exactly when data holds BigInts. */
export function fillPixels(data: TypedArray, v: Pixel, start?: number, end?: number): void {
  if ((typeof v === 'bigint') !== (data instanceof BigInt64Array || data instanceof BigUint64Array)) {
    throw new Error(`cannot fill a ${data.constructor.name} with ${typeof v} ${String(v)}`);
  }
  (data as { fill(v: Pixel, s?: number, e?: number): unknown }).fill(v, start, end);
}

/** Whether two pixel values are the same (NaN equals NaN, -0 is not 0 for floats). */
export function samePixel(a: Pixel, b: Pixel): boolean {
  return typeof a === 'bigint' || typeof b === 'bigint' ? a === b : Object.is(a, b);
}

/** dst.set(src, offset) for two arrays of the same type (TypeScript cannot see that through the union). */
export function setPixels(dst: TypedArray, src: TypedArray, offset = 0): void {
  if ((dst instanceof BigInt64Array || dst instanceof BigUint64Array) !== (src instanceof BigInt64Array || src instanceof BigUint64Array)) {
    throw new Error(`cannot copy a ${src.constructor.name} into a ${dst.constructor.name}`);
  }
  (dst as { set(a: ArrayLike<unknown>, o?: number): void }).set(src, offset);
}
