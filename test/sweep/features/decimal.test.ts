// decimalToDouble, and parseGeoJSON's number scanning that feeds it, against Number(): bit-identical doubles
// on millions of seeded random decimals, dense where rounding is hard: 16-23 digit mantissas, coordinates,
// leading zeros, exponents, decimals just below, at and just above the exact halfway points between two
// doubles, and around powers of two. NaN from decimalToDouble means "undecided, use Number()": the tests
// also check that it is left to Number() only when it must be (exact ties, scales beyond 10^+-22).
import { describe, expect, it } from 'vitest';
import { decimalToDouble, ufp } from '../../../src/features/decimal.js';
import { parseGeoJSON } from '../../../src/features/scan.js';
import { mulberry32 } from '../../../bench/random.js';
import { sameBits } from '../../shared/bits.js';

const SEED = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) : 20260417;
if (!Number.isInteger(SEED)) throw new Error(`RASTERBURN_SEED must be an integer, got ${process.env.RASTERBURN_SEED}`);

// mulberry32, the seeded PRNG of the benchmarks and fuzz tests
const rng = mulberry32;


/** a JSON number's digits d (no leading zeros; '' for zero) and scale s: |value| = d * 10^s */
function digitsOf(text: string): { d: string; s: number; neg: boolean } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a JSON number: ${text}`);
  return { d: (m[2] + (m[3] ?? '')).replace(/^0+/, ''), s: Number(m[4] ?? 0) - (m[3] ?? '').length, neg: m[1] === '-' };
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** whether d * 10^s lies exactly halfway between two doubles, `value` being its correctly rounded one (BigInt, exact) */
function isTie(d: string, s: number, value: number): boolean {
  f64[0] = Math.abs(value);
  const bits = u64[0];
  const q = Number(bits >> 52n) - 1075;
  const mant = (bits & (2n ** 52n - 1n)) | 2n ** 52n;
  // the halfway points above and below the value as M * 2^p
  const mids: [bigint, number][] = [[2n * mant + 1n, q - 1], mant === 2n ** 52n ? [4n * mant - 1n, q - 2] : [2n * mant - 1n, q - 1]];
  const D = BigInt(d);
  for (const [M, p] of mids) {
    // D * 10^s === M * 2^p, both sides made integers
    const lhs = D * 10n ** BigInt(Math.max(s, 0)) * 2n ** BigInt(Math.max(-p, 0));
    const rhs = M * 2n ** BigInt(Math.max(p, 0)) * 10n ** BigInt(Math.max(-s, 0));
    if (lhs === rhs) return true;
  }
  return false;
}

/**
 * Checks each text two ways against Number(): decimalToDouble on its digits, split at random into hi and
 * lo (any split the contract allows), and parseGeoJSON on the texts gathered into MultiPoints.
 */
class Checker {
  private readonly r: () => number;
  private pending: string[] = [];
  checked = 0;
  /** texts whose digits decimalToDouble was asked about, and how many it left undecided */
  asked = 0;
  undecided = 0;
  /** undecided ones that are exact ties between two doubles, or out of range (|scale| > 22) */
  ties = 0;
  outOfRange = 0;
  failures: string[] = [];

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private fail(what: string): void {
    if (this.failures.length < 10) this.failures.push(what);
  }

  /** `tie`: the text was built as an exact halfway point */
  check(text: string, tie = false): void {
    const want = Number(text);
    this.checked++;
    this.pending.push(text);
    if (this.pending.length >= 20000) this.flush();
    let { d, s, neg } = digitsOf(text);
    // zero never reaches decimalToDouble: the scanner's fast path takes it
    if (d === '') return;
    if (d.length > 23 || this.r() < 0.5) {
      // trailing zeros off
      let z = d.length;
      while (d[z - 1] === '0') z--;
      s += d.length - z;
      d = d.slice(0, z);
    }
    // hi: the first h digits, below 2^53; lo: the k <= 7 after them
    const hMax = d.length <= 15 ? d.length : d.slice(0, 16) < '9007199254740992' ? 16 : 15;
    const hMin = Math.max(1, d.length - 7);
    if (hMin > hMax) return;
    const h = hMin + Math.floor(this.r() * (hMax - hMin + 1));
    const hi = Number(d.slice(0, h)), lo = h < d.length ? Number(d.slice(h)) : 0;
    const got = decimalToDouble(hi, lo, d.length - h, s, neg);
    this.asked++;
    // D exact in a double and one correctly rounded operation, or D alone (s = 0): such a tie is decided
    // exactly; any other tie needs more than double-double precision to be proven, so must be left alone
    const provable = s === 0 || BigInt(d) <= 2n ** 53n;
    if (got !== got) {
      this.undecided++;
      if (s < -22 || s > 22) { this.outOfRange++; return; }
      if (isTie(d, s, want)) this.ties++;
      // a decidable decimal this close to a halfway point (within 2^-96 of an ulp) is possible but
      // astronomically unlikely at random: left undecided, it means the rounding check is too wide
      else this.fail(`${text}: undecided, though neither a tie nor out of range`);
      return;
    }
    if (!sameBits(got, want)) this.fail(`${text} (hi ${hi}, lo ${lo}, scale ${s}): decimalToDouble ${got}, Number ${want}`);
    else if (tie && !provable) this.fail(`${text} (hi ${hi}, lo ${lo}, scale ${s}): an exact tie, decided`);
  }

  /** parseGeoJSON on the gathered texts */
  flush(): void {
    const texts = this.pending;
    this.pending = [];
    if (texts.length === 0) return;
    if (texts.length % 2 === 1) texts.push('0');
    const pairs: string[] = [];
    for (let i = 0; i < texts.length; i += 2) pairs.push(`[${texts[i]},${texts[i + 1]}]`);
    const g = parseGeoJSON(`{"type":"MultiPoint","coordinates":[${pairs.join(',')}]}`) as { coordinates: { xyz: Float64Array; off: number; n: number } };
    const xyz = g.coordinates.xyz.subarray(g.coordinates.off);
    for (let i = 0; i < texts.length; i++) {
      const got = xyz[3 * (i >> 1) + (i & 1)];
      if (!sameBits(got, Number(texts[i]))) this.fail(`${texts[i]}: parseGeoJSON ${got}, Number ${Number(texts[i])}`);
    }
  }

  assertOk(what: string): void {
    this.flush();
    if (this.failures.length > 0) throw new Error(`${what}, seed ${SEED} (set RASTERBURN_SEED to vary): ${this.failures.join('; ')}`);
  }
}

/** n random decimal digits, the first not 0 */
function digits(r: () => number, n: number): string {
  let s = String(1 + Math.floor(r() * 9));
  while (s.length < n) s += String(Math.floor(r() * 1e9)).padStart(9, '0');
  return s.slice(0, n);
}

/** the JSON text of the value D * 10^e (D: digits without leading zeros), positional or with an exponent */
function format(d: string, e: number, form: number, neg: boolean): string {
  const sign = neg ? '-' : '';
  if (form === 0) {
    // d.ddd e X
    const x = e + d.length - 1;
    return `${sign}${d[0]}${d.length > 1 ? '.' + d.slice(1) : ''}e${x}`;
  }
  if (form === 1) return `${sign}${d}E${e >= 0 ? '+' : ''}${e}`;
  if (e >= 0) return sign + d + '0'.repeat(e);
  const point = d.length + e;
  if (point > 0) return `${sign}${d.slice(0, point)}.${d.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${d}`;
}

/** the exact decimal digits and exponent of m * 2^q (m a positive BigInt): value = digits * 10^exp */
function exactDecimal(m: bigint, q: number): { d: string; e: number } {
  let d = q >= 0 ? (m << BigInt(q)).toString() : (m * 5n ** BigInt(-q)).toString();
  let e = q >= 0 ? 0 : q;
  // trailing zeros off, so that "exact" means the shortest digit string
  let z = d.length;
  while (z > 1 && d[z - 1] === '0') z--;
  e += d.length - z;
  d = d.slice(0, z);
  return { d, e };
}

describe('ufp (Rump)', () => {
  it('is 2^floor(log2 p) over the whole range decimalToDouble uses', () => {
    const r = rng(SEED);
    const bits = new Float64Array(1), hi = new Uint32Array(bits.buffer);
    const viaBits = (x: number): number => { bits[0] = x; hi[0] = 0; hi[1] &= 0x7ff00000; return bits[0]; };
    for (let q = -200; q <= 200; q++) {
      for (const m of [1, 2 - 2 ** -52, 1 + 2 ** -52, 1.5, 1 + r(), 1 + r(), 1 + r()]) {
        const x = m * 2 ** q;
        if (ufp(x) !== viaBits(x)) throw new Error(`ufp(${x}) = ${ufp(x)}, want ${viaBits(x)}`);
      }
    }
  });
});

describe('decimalToDouble and parseGeoJSON are bit-identical to Number()', () => {
  it('on fixed cases', () => {
    const c = new Checker(SEED);
    const texts = ['-0.0', '-0.000000000000000000000000000', '0e-99999', '-0e5', '0.0000000000000000000000000000000000000', '1.0000000000000000000000000000',
      '-1.000000000000000000000000000000000000000000000000000001', '9007199254740993', '9007199254740992.5', '9007199254740993.0000000001', '9007199254740993e-5',
      '90071992547409930e-1', '18014398509481985', '18014398509481985.000000000000000000000000000', '18014398509481983', '500018.02223746054',
      '-5400009.632455327', '0.000123456789012345678', '1.2345678901234567e22', '1.2345678901234567e23', '1.2345678901234567e-7', '4503599627370496.5',
      '4503599627370497.5', '2251799813685248.25', '2251799813685248.75', '1125899906842624.125', '9223372036854775807', '9223372036854775808',
      '9999999999999999999', '99999999999999999999', '1000000000000000000', '1e22', '1.0e-22', '123456789012345678e-22', '123456789012345678e22',
      '0.1000000000000000055511151231257827', '17976931348623157e292', '12345678901234567890', '1234567890123456789000000', '1234567890123456789000001',
      '-1.00000000000000011102230246251565404236316680908203125', '1e-400', '-1e-400', '123456789012345678901234567890e-30'];
    for (const t of texts) c.check(t);
    c.assertOk('fixed cases');
    expect(c.checked).toBe(texts.length);
    for (const t of ['-0.0', '-0.000000000000000000000000000', '-0e-99999', '-0e5']) {
      const g = parseGeoJSON(`{"type":"Point","coordinates":[${t},1]}`) as { coordinates: { xyz: Float64Array; off: number } };
      expect(Object.is(g.coordinates.xyz[g.coordinates.off], -0)).toBe(true);
    }
  });

  it('on random decimals of 16 to 25 significant digits', () => {
    const r = rng(SEED + 1);
    const c = new Checker(SEED + 11);
    for (let k = 0; k < 400_000; k++) {
      // 24 and 25 digits are beyond decimalToDouble: the scanner must leave them to Number()
      const n = 16 + Math.floor(r() * 10);
      const d = digits(r, n);
      // exponents keep the value within what decimalToDouble decides (|scale| <= 22)
      const e = Math.floor(r() * 45) - 22;
      c.check(format(d, e, Math.floor(r() * 3), r() < 0.5));
    }
    c.assertOk('random 16-25 digits');
    // exact ties (x.5 between 2^52 and 2^53, and the like) are the only undecided ones
    expect(c.asked).toBeGreaterThan(300_000);
    expect(c.undecided).toBe(c.ties + c.outOfRange);
    expect(c.ties).toBeLessThan(c.asked * 0.002);
  });

  it('on coordinates as GeoJSON files have them (6-7 integer digits, 9-12 fraction digits)', () => {
    const r = rng(SEED + 2);
    const c = new Checker(SEED + 12);
    for (let k = 0; k < 400_000; k++) {
      const int = 6 + Math.floor(r() * 2);
      const frac = 9 + Math.floor(r() * 4);
      const d = digits(r, int + frac);
      c.check(`${r() < 0.3 ? '-' : ''}${d.slice(0, int)}.${d.slice(int)}`);
    }
    // real coordinates: what JS itself prints for doubles in projected and geographic ranges
    for (let k = 0; k < 100_000; k++) {
      const v = k % 2 === 0 ? 100000 + r() * 9e6 : (r() - 0.5) * 360;
      c.check(String(v));
    }
    c.assertOk('coordinates');
    expect(c.asked).toBe(c.checked);
    expect(c.undecided).toBe(0);
  });

  it('on leading zeros, trailing zeros and exponents', () => {
    const r = rng(SEED + 3);
    const c = new Checker(SEED + 13);
    for (let k = 0; k < 200_000; k++) {
      const n = 14 + Math.floor(r() * 6);
      let d = digits(r, n);
      // zeros inside and at the end of the mantissa
      if (r() < 0.3) d = d.slice(0, n - 4) + '0000'.slice(0, 1 + Math.floor(r() * 4)) + d.slice(n - 3);
      if (r() < 0.2) d += '0'.repeat(1 + Math.floor(r() * 8));
      const lead = Math.floor(r() * 8);
      const neg = r() < 0.5;
      // 0.000ddd..., the digits placed so that the value keeps a decidable scale most of the time
      c.check(`${neg ? '-' : ''}0.${'0'.repeat(lead)}${d}`);
      const x = Math.floor(r() * 60) - 30;
      c.check(`${neg ? '-' : ''}${d[0]}.${d.slice(1)}${r() < 0.5 ? 'e' : 'E'}${x < 0 ? '-' : r() < 0.5 ? '+' : ''}${Math.abs(x)}`);
      c.check(`${neg ? '-' : ''}0.${'0'.repeat(lead)}${d}e${Math.floor(r() * 30)}`);
    }
    c.assertOk('leading zeros and exponents');
    // out of range exponents are left to Number(), and ties; everything else is decided (checked above)
    expect(c.undecided).toBeLessThan(c.asked * 0.5);
  });

  it('just below, at and just above halfway points between doubles, and around powers of two', () => {
    const r = rng(SEED + 4);
    const c = new Checker(SEED + 14);
    let ties = 0;
    const one = (text: string, tie: boolean): void => {
      c.check(text, tie);
      if (!tie) return;
      const { d, s: scale } = digitsOf(text);
      if (!isTie(d, scale, Number(text))) throw new Error(`${text} was built as a halfway point but is none`);
      ties++;
    };
    const TWO52 = 2n ** 52n;
    for (let k = 0; k < 25_000; k++) {
      // a double m * 2^q, then the halfway point to its successor: (2m + 1) * 2^(q-1)
      const kind = k % 8;
      let m: bigint;
      if (kind === 0) m = TWO52; // the midpoint above a power of two
      else if (kind === 1) m = 2n * TWO52 - 1n; // the midpoint below the next power of two
      else m = TWO52 + BigInt(Math.floor(r() * 2 ** 20)) * 2n ** 32n + BigInt(Math.floor(r() * 2 ** 32));
      // doubles from about 2^-20 to 2^130; exact decimal ties of <= 23 digits exist from 2^49 to about 2^76
      const q = kind === 2 ? Math.floor(r() * 28) - 4 : Math.floor(r() * 150) - 72;
      const mid = exactDecimal(2n * m + 1n, q - 1);
      const neg = r() < 0.5;
      // (24 and 25 digits: beyond decimalToDouble, where a scanner sending them there would be off by one)
      for (let n = 16; n <= 25; n++) {
        // the midpoint cut to n digits (at or just below it), one unit in the last digit up and down
        const cut = mid.d.length > n ? mid.d.slice(0, n) : mid.d;
        const e = mid.e + (mid.d.length - cut.length);
        const exact = cut === mid.d;
        const base = BigInt(cut);
        for (const delta of [-1n, 0n, 1n, 2n]) {
          const t = base + delta;
          if (t <= 0n) continue;
          one(format(t.toString(), e, Math.floor(r() * 3), neg), exact && delta === 0n);
        }
        // the tie again with trailing zeros, so that it takes the division path
        if (exact) one(format(cut + '000', e - 3, 2, neg), true);
      }
      // the double itself, and its exact value cut to 17-19 digits
      const x = exactDecimal(m, q);
      for (let n = 17; n <= 19; n++) {
        const cut = x.d.length > n ? x.d.slice(0, n) : x.d;
        one(format(cut, x.e + (x.d.length - cut.length), Math.floor(r() * 3), neg), false);
      }
    }
    c.assertOk('near halfway points');
    // ties needing scaling were left to Number() (checked above), in numbers
    expect(ties).toBeGreaterThan(10_000);
    expect(c.ties).toBeGreaterThan(ties / 4);
    expect(c.checked).toBeGreaterThan(800_000);
  });
});

describe('decimalToDouble', () => {
  it('refuses out-of-range scales rather than guessing', () => {
    expect(decimalToDouble(123456789012345, 67, 2, 23, false)).toBeNaN();
    expect(decimalToDouble(123456789012345, 67, 2, -23, false)).toBeNaN();
    expect(sameBits(decimalToDouble(500018022237460, 54, 2, -11, false), 500018.02223746054)).toBe(true);
    expect(sameBits(decimalToDouble(540000963245532, 7, 1, -9, true), -5400009.632455327)).toBe(true);
  });
});

const INT64_MAX = 2n ** 63n - 1n, INT64_MIN = -(2n ** 63n);

describe('parseGeoJSON numbers', () => {
  it('are JSON.parse\'s in a generated FeatureCollection of long coordinates', () => {
    const r = rng(SEED + 5);
    const texts: string[] = [];
    const num = (): string => {
      const kind = Math.floor(r() * 5);
      if (kind === 0) return String(100000 + r() * 9e6);
      if (kind === 1) return String((r() - 0.5) * 360);
      if (kind === 2) { const d = digits(r, 16 + Math.floor(r() * 4)); return format(d, Math.floor(r() * 30) - 25, Math.floor(r() * 3), r() < 0.5); }
      if (kind === 3) return `${r() < 0.5 ? '-' : ''}0.${'0'.repeat(Math.floor(r() * 6))}${digits(r, 17)}`;
      return (r() * 1000).toFixed(Math.floor(r() * 8));
    };
    const features: string[] = [];
    const vTexts: string[] = [];
    for (let f = 0; f < 4000; f++) {
      const ring: string[] = [];
      const n = 3 + Math.floor(r() * 40);
      for (let k = 0; k < n; k++) {
        const p = r() < 0.2 ? [num(), num(), num()] : [num(), num()];
        texts.push(...p);
        ring.push(`[${p.join(',')}]`);
      }
      vTexts.push(num());
      features.push(`{"type":"Feature","properties":{"id":${f},"v":${vTexts[f]}},"geometry":{"type":"LineString","coordinates":[${ring.join(',')}]}}`);
    }
    const text = `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
    const plain = JSON.parse(text) as { features: { properties: { v: number }; geometry: { coordinates: number[][] } }[] };
    const packed = parseGeoJSON(new TextEncoder().encode(text)) as unknown as { features: { properties: { v: number | bigint }; geometry: { coordinates: { xyz: Float64Array; off: number; n: number } } }[] };
    let compared = 0, bigints = 0;
    const bad: string[] = [];
    for (let f = 0; f < plain.features.length; f++) {
      const want = plain.features[f].geometry.coordinates;
      const got = packed.features[f].geometry.coordinates;
      expect(got.n).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        for (let k = 0; k < 3; k++) {
          const w = k < want[i].length ? want[i][k] : 0;
          compared++;
          if (!sameBits(got.xyz[got.off + 3 * i + k], w) && bad.length < 10) bad.push(`feature ${f} position ${i}[${k}]: ${got.xyz[got.off + 3 * i + k]} vs ${w}`);
        }
      }
      // a whole number beyond 2^53 is kept with every digit (a BigInt: OGR's Integer64), clamped to the
      // Int64 range as OGR's reader clamps it (pixel rule V10)
      const v = packed.features[f].properties.v;
      if (typeof v === 'bigint') {
        const exact = BigInt(vTexts[f]);
        const want = exact > INT64_MAX ? INT64_MAX : exact < INT64_MIN ? INT64_MIN : exact;
        if (v !== want) bad.push(`feature ${f} property v ${vTexts[f]} as ${v}`);
        bigints++;
      } else if (!sameBits(v, plain.features[f].properties.v)) bad.push(`feature ${f} property v`);
    }
    if (bad.length > 0) throw new Error(`seed ${SEED}: ${bad.join('; ')}`);
    expect(compared).toBeGreaterThan(200_000);
    expect(texts.length).toBeGreaterThan(150_000);
    expect(bigints, 'some properties are whole numbers beyond 2^53').toBeGreaterThan(0);
  });
});
