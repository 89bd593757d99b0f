// Exact IEEE binary64 arithmetic from u32/i32 operations only, for GDAL's polygon row crossing.
// WGSL has no f64, and f32 emulation (double-float) is unsafe here because a driver may fuse a
// multiply and an add, which changes the rounding that emulation relies on. This file is a library:
// no entry points, no bindings; kernels that need it are concatenated after it, so every name
// starts with f64_.
//
// A binary64 value is vec2<u32>: x = low word, y = high word (sign, 11-bit exponent, top 20
// fraction bits), the word order of a Float64Array viewed as a Uint32Array.
//
// Domain (src/gpu/f64.ts exports it for the host-side check):
// - f64_add, f64_sub, f64_mul, f64_div: every operand finite, zero or normal (the divisor nonzero),
//   and no result, exact or rounded, outside the normal range: no overflow, no subnormal. Inside
//   it each is correctly rounded, to nearest with ties to even, and zeros keep IEEE's signs.
// - f64_gdal_crossing: coordinates xl, yl with |v| < 2^30, each 0 or |v| >= 2^-200; dx, dy the
//   float64 differences of such coordinates, dy > 0; row in [0, 2^30). Then every intermediate
//   is zero or normal: coordinates, rows + 0.5 and their rounded differences are multiples of
//   2^-252 (the ulp of 2^-200), so yc - yl and dx, dy are 0 or in [2^-252, 2^31], the product
//   0 or in [2^-504, 2^62], the quotient 0 or in [2^-535, 2^314], and the sums with xl and 0.5,
//   multiples of the quotient's ulp (>= 2^-587), are 0 or at least that.

const F64_SIGN: u32 = 0x80000000u;
const F64_HALF: vec2<u32> = vec2<u32>(0u, 0x3fe00000u);

// true for +0 and -0
fn f64_is_zero(a: vec2<u32>) -> bool {
  return ((a.y << 1u) | a.x) == 0u;
}

// the biased exponent field
fn f64_exp(a: vec2<u32>) -> i32 {
  return i32((a.y >> 20u) & 0x7ffu);
}

// the 53-bit significand with its implicit bit: low word, high 21 bits
fn f64_sig(a: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x, (a.y & 0xfffffu) | 0x100000u);
}

// 64-bit helpers on (low, high) pairs
fn f64_add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

fn f64_sub64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}

// shift left by n in [0, 63]; WGSL takes shift counts modulo 32, so 0 and >= 32 are split off
fn f64_shl64(v: vec2<u32>, n: u32) -> vec2<u32> {
  if (n == 0u) {
    return v;
  }
  if (n < 32u) {
    return vec2<u32>(v.x << n, (v.y << n) | (v.x >> (32u - n)));
  }
  return vec2<u32>(0u, v.x << (n - 32u));
}

// shift right by d, OR-ing every bit shifted out into bit 0 (the sticky bit of rounding)
fn f64_shr_sticky(v: vec2<u32>, d: u32) -> vec2<u32> {
  if (d == 0u) {
    return v;
  }
  if (d < 32u) {
    let lost = select(0u, 1u, (v.x << (32u - d)) != 0u);
    return vec2<u32>((v.x >> d) | (v.y << (32u - d)) | lost, v.y >> d);
  }
  if (d < 64u) {
    let k = d - 32u;
    let lost = select(0u, 1u, (v.x | (v.y & ((1u << k) - 1u))) != 0u);
    return vec2<u32>((v.y >> k) | lost, 0u);
  }
  return vec2<u32>(select(0u, 1u, (v.x | v.y) != 0u), 0u);
}

// number of leading zero bits of a 64-bit value
fn f64_clz64(v: vec2<u32>) -> u32 {
  return select(countLeadingZeros(v.y), 32u + countLeadingZeros(v.x), v.y == 0u);
}

// rounds significand m (53 bits, bit 52 set) to nearest even on guard bit g (0 or 1) and the
// sticky flag, then packs it with sign and biased exponent e. The significand is added onto the
// exponent field e - 1, so its implicit bit makes the field e, and a carry out of an all-ones
// significand bumps the exponent with no extra test.
fn f64_round_pack(sign: u32, e: i32, m: vec2<u32>, g: u32, sticky: bool) -> vec2<u32> {
  let up = g & (select(0u, 1u, sticky) | m.x) & 1u;
  let lo = m.x + up;
  let carry = select(0u, 1u, lo < up);
  return vec2<u32>(lo, sign | ((u32(e - 1) << 20u) + m.y + carry));
}

// a + b, correctly rounded
fn f64_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  if (f64_is_zero(b)) {
    if (f64_is_zero(a)) {
      // -0 only from -0 + -0
      return vec2<u32>(0u, a.y & b.y & F64_SIGN);
    }
    return a;
  }
  if (f64_is_zero(a)) {
    return b;
  }
  // x is the operand of larger magnitude: it gives the sign, and x - y never goes negative
  let am = a.y & 0x7fffffffu;
  let bm = b.y & 0x7fffffffu;
  let swap = am < bm || (am == bm && a.x < b.x);
  let x = select(a, b, swap);
  let y = select(b, a, swap);
  let ex = f64_exp(x);
  // significands moved up 10 bits: bit 62 leads, bit 63 takes the carry of an addition, and the
  // 10 bits below the last significand bit keep guard and sticky (three would do: 10 is free)
  let mx = f64_shl64(f64_sig(x), 10u);
  let my = f64_shr_sticky(f64_shl64(f64_sig(y), 10u), u32(ex - f64_exp(y)));
  var r: vec2<u32>;
  if (((x.y ^ y.y) & F64_SIGN) == 0u) {
    r = f64_add64(mx, my);
  } else {
    r = f64_sub64(mx, my);
    if ((r.x | r.y) == 0u) {
      // exact cancellation is +0 when rounding to nearest
      return vec2<u32>(0u, 0u);
    }
  }
  // lead bit to 63. A shift of more than 2 only happens when y was shifted by at most 1 bit, so
  // nothing was lost and the sticky bit, if set, is never shifted up into the significand.
  let n = f64_clz64(r);
  let t = f64_shl64(r, n);
  let m = vec2<u32>((t.y << 21u) | (t.x >> 11u), t.y >> 11u);
  return f64_round_pack(x.y & F64_SIGN, ex + 1 - i32(n), m, (t.x >> 10u) & 1u, (t.x & 0x3ffu) != 0u);
}

// a - b, correctly rounded (IEEE defines it as a + (-b), signed zeros included)
fn f64_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return f64_add(a, vec2<u32>(b.x, b.y ^ F64_SIGN));
}

// a * b, correctly rounded
fn f64_mul(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let sign = (a.y ^ b.y) & F64_SIGN;
  if (f64_is_zero(a) || f64_is_zero(b)) {
    return vec2<u32>(0u, sign);
  }
  let ma = f64_sig(a);
  let mb = f64_sig(b);
  // 14-bit limbs (the top one 11 bits): WGSL's u32 multiply keeps only the low 32 bits, a limb
  // product is below 2^28, and the at most four products of a column sum below 2^30, so the
  // columns need no carries until the end
  let a0 = ma.x & 0x3fffu;
  let a1 = (ma.x >> 14u) & 0x3fffu;
  let a2 = ((ma.x >> 28u) | (ma.y << 4u)) & 0x3fffu;
  let a3 = ma.y >> 10u;
  let b0 = mb.x & 0x3fffu;
  let b1 = (mb.x >> 14u) & 0x3fffu;
  let b2 = ((mb.x >> 28u) | (mb.y << 4u)) & 0x3fffu;
  let b3 = mb.y >> 10u;
  var c0 = a0 * b0;
  var c1 = a0 * b1 + a1 * b0;
  var c2 = a0 * b2 + a1 * b1 + a2 * b0;
  var c3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  var c4 = a1 * b3 + a2 * b2 + a3 * b1;
  var c5 = a2 * b3 + a3 * b2;
  var c6 = a3 * b3;
  c1 += c0 >> 14u;
  c2 += c1 >> 14u;
  c3 += c2 >> 14u;
  c4 += c3 >> 14u;
  c5 += c4 >> 14u;
  c6 += c5 >> 14u;
  c0 &= 0x3fffu;
  c1 &= 0x3fffu;
  c2 &= 0x3fffu;
  c3 &= 0x3fffu;
  c4 &= 0x3fffu;
  c5 &= 0x3fffu;
  // the 106-bit product as four words, w3 on top; it lies in [2^104, 2^106)
  var w0 = c0 | (c1 << 14u) | (c2 << 28u);
  var w1 = (c2 >> 4u) | (c3 << 10u) | (c4 << 24u);
  var w2 = (c4 >> 8u) | (c5 << 6u) | (c6 << 20u);
  var w3 = c6 >> 12u;
  let top = (w3 >> 9u) & 1u;
  if (top == 0u) {
    w3 = (w3 << 1u) | (w2 >> 31u);
    w2 = (w2 << 1u) | (w1 >> 31u);
    w1 = (w1 << 1u) | (w0 >> 31u);
    w0 = w0 << 1u;
  }
  // lead bit 105: significand bits 105..53, guard bit 52, sticky bits 51..0
  let m = vec2<u32>((w2 << 11u) | (w1 >> 21u), (w3 << 11u) | (w2 >> 21u));
  let e = f64_exp(a) + f64_exp(b) - 1023 + i32(top);
  return f64_round_pack(sign, e, m, (w1 >> 20u) & 1u, ((w1 & 0xfffffu) | w0) != 0u);
}

// one k-bit digit (k in [8, 15]) of r * 2^k / d for r < d (d a significand): returns
// q = floor(r * 2^k / d) and leaves the remainder, again below d, in r. The estimate is
// e = floor(floor(x) / (D + 1)) by u32 division, with x = r * 2^k / 2^37, D = d >> 37 >= 2^15 and
// d / 2^37 = y in [D, D + 1). It is never over, e <= x / (D + 1) < x / y, and at most one under:
// q - e < x / y - (x - 1) / (D + 1) + 1 = x (D + 1 - y) / (y (D + 1)) + 1 / (D + 1) + 1, which,
// as x < y 2^15, is below (2^15 + 1) / (D + 1) + 1 <= 2. So one conditional subtraction of d
// finishes the digit. r * 2^k - e d lies in [0, 2d), so it is computed modulo 2^64.
fn f64_div_digit(r: ptr<function, vec2<u32>>, d: vec2<u32>, k: u32) -> u32 {
  let v = *r;
  let s = 37u - k;
  let e = ((v.y << (32u - s)) | (v.x >> s)) / ((d.y >> 5u) + 1u);
  // e * d modulo 2^64: e < 2^15, so a product of e and a 16-bit half of d.x fits in 32 bits
  let p0 = e * (d.x & 0xffffu);
  let p1 = e * (d.x >> 16u);
  let lo = p0 + (p1 << 16u);
  let ed = vec2<u32>(lo, (p1 >> 16u) + select(0u, 1u, lo < p0) + e * d.y);
  let t = f64_sub64(vec2<u32>(v.x << k, (v.y << k) | (v.x >> (32u - k))), ed);
  // t < 2d < 2^54: the sign of t - d is its top bit
  let u = f64_sub64(t, d);
  let under = (u.y >> 31u) == 0u;
  *r = select(t, u, under);
  return e + select(0u, 1u, under);
}

// a / b, correctly rounded; b is nonzero
fn f64_div(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let sign = (a.y ^ b.y) & F64_SIGN;
  if (f64_is_zero(a)) {
    return vec2<u32>(0u, sign);
  }
  var r = f64_sig(a);
  let d = f64_sig(b);
  var e = f64_exp(a) - f64_exp(b) + 1023;
  if (r.y < d.y || (r.y == d.y && r.x < d.x)) {
    r = vec2<u32>(r.x << 1u, (r.y << 1u) | (r.x >> 31u));
    e -= 1;
  }
  // r in [d, 2d): the quotient's first bit is 1, then 53 more in digits of 15, 15, 15 and 8 bits
  // make the 53-bit significand and the guard bit; the remainder left over is the sticky flag
  r = f64_sub64(r, d);
  let q1 = f64_div_digit(&r, d, 15u);
  let q2 = f64_div_digit(&r, d, 15u);
  let q3 = f64_div_digit(&r, d, 15u);
  let q4 = f64_div_digit(&r, d, 8u);
  // the 54-bit quotient 1.q1 q2 q3 q4 as (qh, ql)
  let qh = (1u << 21u) | (q1 << 6u) | (q2 >> 9u);
  let ql = (q2 << 23u) | (q3 << 8u) | q4;
  let m = vec2<u32>((qh << 31u) | (ql >> 1u), qh >> 1u);
  return f64_round_pack(sign, e, m, ql & 1u, (r.x | r.y) != 0u);
}

// v as binary64 (exact: every i32 fits in 53 bits)
fn f64_from_i32(v: i32) -> vec2<u32> {
  if (v == 0) {
    return vec2<u32>(0u, 0u);
  }
  let sign = select(0u, F64_SIGN, v < 0);
  // magnitude as u32: 0 - u32(v) is right for -2^31 too
  let u = select(u32(v), 0u - u32(v), v < 0);
  let n = countLeadingZeros(u);
  // lead bit to 31, then dropped: the 31 bits below it are the top of the fraction
  let f = (u << n) << 1u;
  return vec2<u32>(f << 20u, sign | ((1054u - n) << 20u) | (f >> 12u));
}

// floor(a) as i32, with GDAL's clamp: a floor outside [-2^31, 2^31) gives -2^31
fn f64_floor_i32(a: vec2<u32>) -> i32 {
  let e = f64_exp(a) - 1023;
  let neg = (a.y & F64_SIGN) != 0u;
  if (e < 0) {
    // |a| < 1: -0 and +0 floor to 0, other negatives to -1
    return select(0, -1, neg && !f64_is_zero(a));
  }
  if (e >= 31) {
    // |a| >= 2^31: floor is -2^31 itself or out of range, which clamps to -2^31
    return bitcast<i32>(0x80000000u);
  }
  let m = f64_sig(a);
  // the integer part is m >> s, s in [22, 52]; the bits below it are the fraction
  let s = u32(52 - e);
  var ip: u32;
  var frac: bool;
  if (s >= 32u) {
    let k = s - 32u;
    ip = m.y >> k;
    frac = (m.x | (m.y & ((1u << k) - 1u))) != 0u;
  } else {
    ip = (m.x >> s) | (m.y << (32u - s));
    frac = (m.x & ((1u << s) - 1u)) != 0u;
  }
  if (neg) {
    return -i32(ip) - select(0, 1, frac);
  }
  return i32(ip);
}

// a < b for finite values, zeros of either sign equal (IEEE's order)
fn f64_lt(a: vec2<u32>, b: vec2<u32>) -> bool {
  let az = f64_is_zero(a);
  let bz = f64_is_zero(b);
  if (az && bz) {
    return false;
  }
  let an = !az && (a.y & F64_SIGN) != 0u;
  let bn = !bz && (b.y & F64_SIGN) != 0u;
  if (an != bn) {
    return an;
  }
  // one sign: compare magnitudes (a zero's is the smallest), reversed for negatives
  let am = vec2<u32>(select(a.x, 0u, az), select(a.y & 0x7fffffffu, 0u, az));
  let bm = vec2<u32>(select(b.x, 0u, bz), select(b.y & 0x7fffffffu, 0u, bz));
  let less = am.y < bm.y || (am.y == bm.y && am.x < bm.x);
  let more = am.y > bm.y || (am.y == bm.y && am.x > bm.x);
  return select(less, more, an);
}

// a < 0 (false for -0)
fn f64_negative(a: vec2<u32>) -> bool {
  return !f64_is_zero(a) && (a.y & F64_SIGN) != 0u;
}

// GDAL's crossing column on row `row` of the edge from (xl, yl) with dx = xh - xl, dy = yh - yl:
// floor((yc - yl) * dx / dy + xl + 0.5) with yc = row + 0.5, each operation rounded in binary64
// in that order, then the clamp of f64_floor_i32 (crossing() in src/rules/polygon.ts)
fn f64_gdal_crossing(row: i32, xl: vec2<u32>, yl: vec2<u32>, dx: vec2<u32>, dy: vec2<u32>) -> i32 {
  // row + 0.5 = (2 row + 1) / 2, exact: halving only lowers the exponent of a nonzero value
  let odd = f64_from_i32(2 * row + 1);
  let yc = vec2<u32>(odd.x, odd.y - 0x100000u);
  var t = f64_sub(yc, yl);
  t = f64_mul(t, dx);
  t = f64_div(t, dy);
  t = f64_add(t, xl);
  t = f64_add(t, F64_HALF);
  return f64_floor_i32(t);
}
