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
  protected readonly convert: (v: number) => number;
  protected value = 0;
  /** the converted constant of the current shape when its variant is always 0 */
  protected constant = 0;

  constructor(
    protected readonly data: NumberArray,
    protected readonly width: number,
    dtype: DType,
    private readonly merge: 'replace' | 'add',
    protected readonly rowOffset = 0,
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

/**
 * ArraySink for REPLACE into 2-byte pixels, storing them two at a time as 32-bit words. A burn of many small
 * shapes writes one short span in each of many rows, each row a cache line the store must wait for; half
 * the stores keeps more of those waits in flight (W1's 2.8M spans of 15 pixels on average, replayed alone
 * into a UInt16 grid: 165 -> 125 ms). A class of its own so that the span stays small enough for the fill
 * to inline it.
 */
export class PairSink extends ArraySink {
  private readonly words: Uint32Array;
  /** the buffer's pixel index of data[0] */
  private readonly lead: number;

  constructor(data: Int16Array | Uint16Array, width: number, dtype: DType, rowOffset = 0) {
    super(data, width, dtype, 'replace', rowOffset);
    this.words = new Uint32Array(data.buffer, 0, data.buffer.byteLength >> 2);
    this.lead = data.byteOffset >> 1;
  }

  /**
   * the current shape's constant pixel twice, as one word; in an array, since a field would change its
   * representation (and the object its map, throwing the fill's optimised code away) at the first word
   * beyond a small integer
   */
  private readonly word = new Uint32Array(1);

  override setValue(value: number): void {
    super.setValue(value);
    this.word[0] = pairOf(this.constant);
  }

  override span(y: number, x0: number, x1: number, variant: number): void {
    const c = variant === 0 ? this.constant : this.convert(this.value + variant);
    let k = (y - this.rowOffset) * this.width + x0;
    const stop = k + (x1 - x0) + 1;
    this.visits += x1 - x0 + 1;
    const data = this.data;
    // one pixel up to an even pixel of the buffer, then pairs, then the one left
    if (((this.lead + k) & 1) !== 0) data[k++] = c;
    const word = variant === 0 ? this.word[0] : pairOf(c);
    const words = this.words;
    let w = (this.lead + k) >> 1;
    const end = w + ((stop - k) >> 1);
    if (end - w < 32) while (w < end) words[w++] = word;
    else words.fill(word, w, end);
    if (((stop - k) & 1) !== 0) data[stop - 1] = c;
  }
}

// a 2-byte pixel's bytes twice: the same word in either byte order
function pairOf(c: number): number {
  return ((c & 0xffff) * 0x10001) >>> 0;
}

/** The ArraySink for this target: a PairSink where it applies. */
export function arraySink(data: NumberArray, width: number, dtype: DType, merge: 'replace' | 'add', rowOffset = 0): ArraySink {
  return merge === 'replace' && (data instanceof Uint16Array || data instanceof Int16Array)
    ? new PairSink(data, width, dtype, rowOffset)
    : new ArraySink(data, width, dtype, merge, rowOffset);
}
