import type { BigDType, BigArray } from '../types.js';
import { addInt64, bigConverter } from '../dtype.js';
import type { BurnSink } from '../rules/sink.js';

/**
 * The ArraySink of the 64-bit integer types, whose pixels are BigInts (pixel rules V8-V10).
 * A double burn value is converted once per shape (or per Z variant); add mode goes through a double
 * as GDAL does, new = convert(double(old) + burn), so sums beyond 2^53 round. setExact() instead
 * burns an Int64 attribute value as it is, and add mode then sums in Int64, saturating.
 */
export class BigArraySink implements BurnSink {
  /** pixel visits so far (a span of n pixels counts n) */
  visits = 0;
  private readonly convert: (v: number) => bigint;
  private value = 0;
  private constant = 0n;
  /** the current shape's exact Int64 value, or null when it burns a double */
  private exact: bigint | null = null;

  constructor(
    private readonly data: BigArray,
    private readonly width: number,
    dtype: BigDType,
    private readonly merge: 'replace' | 'add',
    private readonly rowOffset = 0,
  ) {
    this.convert = bigConverter(dtype);
  }

  setValue(value: number): void {
    this.value = value;
    this.exact = null;
    this.constant = this.convert(value + 0);
  }

  /** burns `v` exactly (an Int64 attribute into an Int64 band; the Z variant is not added, as in GDAL) */
  setExact(v: bigint): void {
    this.exact = v;
    this.constant = BigInt.asIntN(64, v);
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    const off = (y - this.rowOffset) * this.width;
    this.visits += x1 - x0 + 1;
    const data = this.data;
    if (this.merge === 'replace') {
      const c = variant === 0 || this.exact !== null ? this.constant : this.convert(this.value + variant);
      data.fill(c, off + x0, off + x1 + 1);
      return;
    }
    if (this.exact !== null) {
      const e = this.exact;
      for (let k = off + x0, end = off + x1; k <= end; k++) data[k] = addInt64(data[k], e);
      return;
    }
    const w = this.value + variant;
    const convert = this.convert;
    for (let k = off + x0, end = off + x1; k <= end; k++) data[k] = convert(Number(data[k]) + w);
  }

  point(y: number, x: number, variant: number): void {
    this.span(y, x, x, variant);
  }
}
