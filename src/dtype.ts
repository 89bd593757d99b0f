import type { DType, TypedArray } from './types.js';

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
};

export function isDType(s: string): s is DType {
  return Object.prototype.hasOwnProperty.call(DTYPES, s);
}

/**
 * Converts a double to the band type the way GDAL's GDALCopyWord does (pixel rules V3, V4):
 * NaN -> 0, clamp to the type's range, round half away from zero via trunc(v +/- 0.5) in float64.
 * Float32 rounds to nearest, and anything beyond FLT_MAX becomes +/-Infinity; Float64 is exact.
 */
export function converter(dtype: DType): (v: number) => number {
  const t = DTYPES[dtype];
  if (dtype === 'float64') return (v) => v;
  // GDAL sends anything beyond FLT_MAX to infinity, even values that would round down to FLT_MAX
  if (dtype === 'float32') return (v) => (v > FLT_MAX ? Infinity : v < -FLT_MAX ? -Infinity : Math.fround(v));
  const { min, max } = t;
  return (v) => {
    if (v !== v) return 0;
    if (v <= min) return min;
    if (v >= max) return max;
    // the +/-0.5 is a float64 addition, so 0.49999999999999994 rounds to 1 as in GDAL
    return v >= 0 ? Math.trunc(v + 0.5) : Math.trunc(v - 0.5);
  };
}
