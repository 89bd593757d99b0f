// Test-only views of band arrays. DTYPES[dtype].make and the library's results are typed for every
// dtype (TypedArray, BigInt arrays included); a test that burns a number dtype says so here, checked
// at run time, instead of casting.
import { DTYPES, type Pixel } from '../../src/dtype.js';
import type { BigDType, DType, NumberArray, TypedArray } from '../../src/types.js';

/** The dtypes whose pixels are numbers: all but int64/uint64. */
export type NumberDType = Exclude<DType, BigDType>;

/** `a` as a number array; throws for the BigInt arrays of int64/uint64. */
export function asNumbers(a: TypedArray): NumberArray {
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) throw new Error(`expected an array of numbers, got a ${a.constructor.name}`);
  return a;
}

/** A zeroed array of `n` pixels of a number dtype. */
export function makeNumbers(dtype: NumberDType, n: number): NumberArray {
  return asNumbers(DTYPES[dtype].make(n));
}

/** Every pixel of a band of any type (numbers, or BigInts for int64/uint64) as a plain list, for toEqual. */
export function pixelList(a: TypedArray): Pixel[] {
  return Array.from<Pixel>(a);
}
