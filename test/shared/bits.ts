// Bit-for-bit double comparison for parser tests: Object.is would call two NaNs with different payloads equal.
const f64 = new Float64Array(2);
const u64 = new BigUint64Array(f64.buffer);

export function sameBits(a: number, b: number): boolean {
  f64[0] = a; f64[1] = b;
  return u64[0] === u64[1];
}
