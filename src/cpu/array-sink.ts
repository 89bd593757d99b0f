import type { DType, NumberArray } from '../types.js';
import { converter } from '../dtype.js';
import type { BurnSink } from '../rules/sink.js';

/**
 * A BurnSink writing into a row-major band of width * height pixels (pixel rules V1-V4, V6).
 * REPLACE stores convert(value + variant); ADD does, for every single visit,
 * new = convert(old + (value + variant)), so rounding and clamping happen after each visit as in
 * GDAL's RASTER mode. Call setValue() before each shape. With a rowOffset the array holds a band of
 * a taller grid: full-grid row y lands in band row y - rowOffset.
 */
export class ArraySink implements BurnSink {
  /** pixel visits so far (a span of n pixels counts n) */
  visits = 0;
  private readonly convert: (v: number) => number;
  private value = 0;
  /** the converted constant of the current shape when its variant is always 0 */
  private constant = 0;

  constructor(
    private readonly data: NumberArray,
    private readonly width: number,
    dtype: DType,
    private readonly merge: 'replace' | 'add',
    private readonly rowOffset = 0,
  ) {
    this.convert = converter(dtype);
  }

  setValue(value: number): void {
    this.value = value;
    this.constant = this.convert(value + 0);
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    const off = (y - this.rowOffset) * this.width;
    this.visits += x1 - x0 + 1;
    if (this.merge === 'replace') {
      const c = variant === 0 ? this.constant : this.convert(this.value + variant);
      const data = this.data;
      // fill() has a fixed call cost that dominates the short spans of small polygons
      if (x1 - x0 < 24) for (let k = off + x0, end = off + x1; k <= end; k++) data[k] = c;
      else data.fill(c, off + x0, off + x1 + 1);
      return;
    }
    const w = this.value + variant;
    const data = this.data;
    const convert = this.convert;
    for (let k = off + x0, end = off + x1; k <= end; k++) data[k] = convert(data[k] + w);
  }

  point(y: number, x: number, variant: number): void {
    const k = (y - this.rowOffset) * this.width + x;
    this.visits++;
    if (this.merge === 'replace') {
      this.data[k] = variant === 0 ? this.constant : this.convert(this.value + variant);
    } else {
      this.data[k] = this.convert(this.data[k] + (this.value + variant));
    }
  }
}
