/**
 * A shape's burn values as the 32 bits a span carries to the GPU. Without Z every span of a shape
 * has the same value, so it is encoded once per shape (encoding converts and checks the value, which
 * would otherwise run for each of a big polygon's thousands of spans).
 */
export class ValueBits {
  private value = 0;
  private constant = 0;
  private known = false;

  /** `encode` maps value + variant to the bits (or -1 / throws, as the caller's encoding says) */
  constructor(private readonly encode: (v: number) => number) {}

  /** Starts a shape with burn value `value` (before the Z variant). */
  begin(value: number): void {
    this.value = value;
    this.known = false;
  }

  bits(variant: number): number {
    if (variant !== 0) return this.encode(this.value + variant);
    if (!this.known) {
      this.constant = this.encode(this.value + 0);
      this.known = true;
    }
    return this.constant;
  }
}
