// Correctly rounded decimal-to-double conversion for the numbers that Clinger's fast path (mantissa below
// 2^53) misses but real coordinates are full of: 16 to 23 significant digits, such as 500018.02223746054.
// Number(text) needs the text as a string, which costs a slice per number; this works on the digits.
//
// Method: the digits D (an integer below 2^53 * 10^7) are held exactly as a double-double H + L, the power of
// ten 10^|s| (|s| <= 22, an exact double) is applied with error-free transformations (Dekker's product,
// Fast2Sum), giving y1 + y2 within a proven 11u^2 |V| of the true value V = D * 10^s (u = 2^-53). Then r =
// fl(y1 + y2) and the exact offset e = y1 + y2 - r are known; r is returned only when |e| plus the error
// bound stays strictly inside r's rounding interval, so that every value the bound allows rounds to r.
// Otherwise (an exact tie between two doubles, such as 4503599627370497.5, or a decimal within 2^-96 of an
// ulp from one) the caller is told to fall back (NaN). Browser-safe.

// 10^0 .. 10^22: exact doubles
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
// Veltkamp's constant for splitting a double into two halves of at most 26 bits
const SPLIT = 134217729;
const TWO24 = 16777216;
const TWO53 = 9007199254740992;
// each power of ten split once, for Dekker's product
const POW10_HI = POW10.map(p => { const t = SPLIT * p; return t - (t - p); });
const POW10_LO = POW10.map((p, k) => p - POW10_HI[k]);
const INV10 = POW10.map(p => 1 / p);

// Rump's unit in the first place: 2^floor(log2 p) for a positive normal p far from overflow (p * 2^52 finite)
const UFP_PHI = 4503599627370497; // 2^52 + 1
const UFP_ONE = 1 - 2 ** -53;

// |e| must stay below these multiples of ufp(r): half the gap to the neighbour (2^-53 ufp, or 2^-54 below
// a power of two) less 2^-96 ufp, which exceeds the 11u^2 |V| <= 23 * 2^-106 ufp(r) error bound 40-fold
const LIMIT = 2 ** -53 - 2 ** -96;
const LIMIT_BELOW_POW2 = 2 ** -54 - 2 ** -96;

/** 2^floor(log2 p) for positive normal doubles below 2^970 (exported for the tests) */
export function ufp(p: number): number {
  const q = UFP_PHI * p;
  return Math.abs(q - UFP_ONE * q);
}

/**
 * The double nearest to (hi * 10^loDigits + lo) * 10^exp10, ties to even, negated when `neg`: exactly what
 * Number() gives for that decimal. hi is an integer below 2^53, lo an integer below 10^loDigits,
 * 0 <= loDigits <= 7 (so up to 23 significant digits). NaN when this cannot be decided cheaply (|exp10| >
 * 22, or a decimal too close to a halfway point between two doubles): the caller then uses Number().
 */
export function decimalToDouble(hi: number, lo: number, loDigits: number, exp10: number, neg: boolean): number {
  if (exp10 < -22 || exp10 > 22) return NaN;
  // D = x + y with both exact: hi's bits above 2^24 times 10^k (< 2^24) fit in 53 bits, the rest in 48
  const pk = POW10[loDigits];
  const top = Math.floor(hi / TWO24);
  const x = top * pk * TWO24;
  const y = (hi - top * TWO24) * pk + lo;
  // Fast2Sum (x > y): D = H + L exactly, H = D correctly rounded, |L| <= ulp(H) / 2
  const H = x + y;
  const L = y - (H - x);
  if (exp10 === 0) return neg ? -H : H;
  if (L === 0 && H <= TWO53) {
    // D itself is exact: Clinger's fast path
    const v = exp10 > 0 ? H * POW10[exp10] : H / POW10[-exp10];
    return neg ? -v : v;
  }
  let y1: number, y2: number;
  if (exp10 > 0) {
    const P = POW10[exp10];
    // Dekker: H * P = a + a2 exactly; L * P and a2 + L * P each round once, by at most u^2 |V| and 2u^2 |V|
    const a = H * P;
    const t = SPLIT * H;
    const hh = t - (t - H), hl = H - hh;
    const ph = POW10_HI[exp10], pl = POW10_LO[exp10];
    const a2 = ((hh * ph - a) + hh * pl + hl * ph) + hl * pl;
    y1 = a;
    y2 = a2 + L * P;
  } else {
    const P = POW10[-exp10], inv = INV10[-exp10];
    // multiplications by 1/P (rounded) instead of divisions, which cost more: q = H / P (1 + d), |d| <= 2u;
    // the remainder D - q P is found almost exactly: q * P = p + p2 exactly (Dekker), H - p is exact
    // (Sterbenz: p is within 3u of H), (H - p) - p2 = H - qP (at most 2u|H|) rounds by at most 2u^2 |H|,
    // adding L (|L| <= u|H|) by at most 3u^2 |H|, and the multiplication by 1/P errs by at most 6u^2 |V|:
    // 11u^2 |V| in all
    const q = H * inv;
    const p = q * P;
    const t = SPLIT * q;
    const qh = t - (t - q), ql = q - qh;
    const ph = POW10_HI[-exp10], pl = POW10_LO[-exp10];
    const p2 = ((qh * ph - p) + qh * pl + ql * ph) + ql * pl;
    y1 = q;
    y2 = (((H - p) - p2) + L) * inv;
  }
  // Fast2Sum (|y2| is a few u |y1|): r + e = y1 + y2 exactly
  const r = y1 + y2;
  const e = y2 - (r - y1);
  const f = ufp(r);
  const limit = e < 0 && r === f ? f * LIMIT_BELOW_POW2 : f * LIMIT;
  if (e < limit && -e < limit) return neg ? -r : r;
  return NaN;
}
