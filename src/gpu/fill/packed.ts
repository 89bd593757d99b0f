/**
 * Fixed-size records of 32-bit words, some of them read as int32 or float64, in one growing buffer: what each
 * GPU segment store packs its records into before one upload (touch.wgsl's, ztouch.wgsl's, touchadd.wgsl's,
 * zline.wgsl's). The views are renewed together whenever the buffer doubles.
 */
export class PackedRecords {
  /** records */
  n = 0;
  words: Uint32Array;
  protected i32: Int32Array;
  protected f64: Float64Array;

  constructor(private readonly recordWords: number) {
    this.words = new Uint32Array(64 * recordWords);
    this.i32 = new Int32Array(this.words.buffer);
    this.f64 = new Float64Array(this.words.buffer);
  }

  /** Empties the store for another burn, keeping its buffer. */
  reset(): void {
    this.n = 0;
  }

  /** Room for one more record: the buffer doubles when it is full. */
  protected room(): void {
    if ((this.n + 1) * this.recordWords <= this.words.length) return;
    const words = new Uint32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    this.i32 = new Int32Array(words.buffer);
    this.f64 = new Float64Array(words.buffer);
  }
}
