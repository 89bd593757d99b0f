// A burn value computed on the GPU in emulated float64 (f64.wgsl), converted to the output type as the
// CPU rules convert it (pixel rules V3, V4; converter() in src/dtype.ts). A library concatenated in
// front of zline.wgsl and ztouch.wgsl after f64.wgsl (src/gpu/shader-source.ts): it uses the `min`
// and `max` members of their `params` (binary64 words: an integer type's range, or FLT_MAX as max
// for float32).

// |a| truncated to an integer, for |a| < 2^32
fn convert_trunc_u32(a: vec2<u32>) -> u32 {
  let e = f64_exp(a) - 1023;
  if (e < 0) {
    return 0u;
  }
  let m = f64_sig(a);
  let s = u32(52 - e);
  if (s >= 32u) {
    return m.y >> (s - 32u);
  }
  return (m.x >> s) | (m.y << (32u - s));
}

// V3: clamp to [min, max], then round half away from zero as trunc(v +/- 0.5) in float64; the
// two's complement bits of the result. v - 0.5 for v < 0 is -(|v| + 0.5), rounded alike.
fn convert_int_bits(v: vec2<u32>) -> u32 {
  if (!f64_lt(params.min, v)) {
    let m = convert_trunc_u32(params.min);
    return select(m, 0u - m, f64_negative(params.min));
  }
  if (!f64_lt(v, params.max)) {
    return convert_trunc_u32(params.max);
  }
  let neg = f64_negative(v);
  let r = convert_trunc_u32(f64_add(vec2<u32>(v.x, v.y & 0x7fffffffu), F64_HALF));
  return select(r, 0u - r, neg);
}

// V4: beyond FLT_MAX (v > max) is infinity, anything else rounds to nearest float32, ties to even,
// through float32's subnormals to a signed zero
fn convert_f32_bits(v: vec2<u32>) -> u32 {
  let sign = v.y & F64_SIGN;
  let mag = vec2<u32>(v.x, v.y & 0x7fffffffu);
  if (f64_lt(params.max, mag)) {
    return sign | 0x7f800000u;
  }
  if (f64_is_zero(v)) {
    return sign;
  }
  let e = f64_exp(v) - 1023;
  // the 53-bit significand keeps 24 bits (normal results) or fewer (subnormal ones): shift by d,
  // then keep the guard bit (bit 1 after shifting by d - 2) and the sticky bit (bit 0)
  let d = 29 + max(0, -126 - e);
  let t = f64_shr_sticky(f64_sig(v), u32(d - 2));
  var q = (t.x >> 2u) | (t.y << 30u);
  let guard = (t.x >> 1u) & 1u;
  let sticky = t.x & 1u;
  q += guard & (sticky | (q & 1u));
  if (e < -126) {
    // a carry into bit 23 makes the smallest normal, as the field's encoding has it
    return sign | q;
  }
  // the significand's implicit bit lands on the exponent field e + 126, making it e + 127; a carry
  // out of the significand bumps it once more
  return sign | ((u32(e + 126) << 23u) + q);
}

// the output bits of v: float32 when params.float32 is set, else the integer type of [min, max]
fn convert_bits(v: vec2<u32>) -> u32 {
  return select(convert_int_bits(v), convert_f32_bits(v), params.float32 != 0u);
}
