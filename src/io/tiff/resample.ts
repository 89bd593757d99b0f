// One overview level reduced from the level above it by GDAL 3.6's AVERAGE, RMS, GAUSS and convolution
// (BILINEAR, CUBIC, CUBICSPLINE, LANCZOS) resampling, pixel rule G11. The arithmetic follows GDAL's to the
// operation: the working type (Byte for Byte, UInt16 for UInt16, Float32 for every other type), float32 sums
// where GDAL adds in float, and the order of the double sums that its SSE2 code uses, since a different order
// can move a result across a rounding boundary. Browser-safe.
import { converter, bigConverter, isBigDType, DTYPES } from '../../dtype.js';
import type { DType, TypedArray } from '../../types.js';

/** The methods computed here. */
export type ReduceMethod = 'average' | 'rms' | 'gauss' | 'bilinear' | 'cubic' | 'cubicspline' | 'lanczos';

/** A level: its samples (row-major, one band) and size. */
interface Level { data: TypedArray; width: number; height: number }

type Work = Uint8Array | Uint16Array | Float32Array;
const f32 = Math.fround;
const FLT_MIN = 1.1754943508222875e-38;

/**
 * `src` (one band of type `dtype`) reduced to w x h by `method`, nodata (when set) left out of every window
 * as GDAL's nodata mask leaves it out.
 */
export function reduceLevel(src: Level, w: number, h: number, method: ReduceMethod, dtype: DType, nodata: number | null): TypedArray {
  const n = src.width * src.height;
  // GDAL reads the level above in its working type
  let work: Work;
  if (dtype === 'uint8') work = src.data as Uint8Array;
  else if (dtype === 'uint16') work = src.data as Uint16Array;
  else {
    work = new Float32Array(n);
    const d = src.data;
    for (let i = 0; i < n; i++) work[i] = Number(d[i]);
  }
  // the nodata mask GDAL builds from the band's nodata value (none without one)
  let mask: Uint8Array | null = null;
  if (nodata !== null) {
    mask = new Uint8Array(n);
    const d = src.data;
    const nan = Number.isNaN(nodata);
    const float = dtype === 'float32' || dtype === 'float64';
    const fn = f32(nodata);
    for (let i = 0; i < n; i++) {
      const v = Number(d[i]);
      mask[i] = (nan ? v !== v : float ? nearlyEqualF32(f32(v), fn) : v === nodata) ? 0 : 1;
    }
  }
  const hasNoData = nodata !== null;
  const fNoData = hasNoData ? f32(nodata) : 0;
  const g: Geometry = { sw: src.width, sh: src.height, dw: w, dh: h, rx: src.width / w, ry: src.height / h };
  if (method === 'average' || method === 'rms') {
    const out = average(work, g, mask, method === 'rms', dtype, hasNoData, fNoData);
    return toBand(out, dtype, w * h);
  }
  if (method === 'gauss') return toBand(gauss(work, g, mask, fNoData), dtype, w * h);
  return toBand(convolve(work, g, mask, method, dtype, hasNoData, fNoData), dtype, w * h);
}

// GDAL's nodata mask on a floating-point band: equal within two float32 ulps of the pair, in float32 arithmetic
function nearlyEqualF32(a: number, b: number): boolean {
  return a === b || Math.abs(f32(a - b)) < f32(f32(FLT_EPSILON * Math.abs(f32(a + b))) * 2);
}
const FLT_EPSILON = 1.1920928955078125e-7;

interface Geometry { sw: number; sh: number; dw: number; dh: number; rx: number; ry: number }

// the working buffer written to the band as GDALCopyWords writes it: from float32 to an integer type it adds
// +/-0.5 in float32, so above 2^23 an odd integer rounds to the even one above it (13333431 -> 13333432)
function toBand(buf: Work, dtype: DType, n: number): TypedArray {
  const out = DTYPES[dtype].make(n);
  if ((dtype === 'uint8' && buf instanceof Uint8Array) || (dtype === 'uint16' && buf instanceof Uint16Array)) {
    out.set(buf as never);
    return out;
  }
  const integer = DTYPES[dtype].integer;
  const round = (v: number) => (integer && buf instanceof Float32Array && v === v ? Math.trunc(v >= 0 ? f32(v + 0.5) : f32(v - 0.5)) : v);
  if (isBigDType(dtype)) {
    const c = bigConverter(dtype);
    for (let i = 0; i < n; i++) (out as BigInt64Array)[i] = c(round(buf[i]));
    return out;
  }
  const c = converter(dtype);
  for (let i = 0; i < n; i++) (out as Float64Array)[i] = c(round(buf[i]));
  return out;
}

// the value GDAL writes instead of a computed value that happens to equal nodata
function replacementValue(dtype: DType, hasNoData: boolean, fNoData: number): number {
  if (!hasNoData) return 0;
  const bump = (limit: number) => (fNoData === limit ? limit - 1 : f32(fNoData + 1));
  if (dtype === 'uint8') return bump(255);
  if (dtype === 'uint16') return bump(65535);
  if (dtype === 'int16') return bump(32767);
  if (dtype === 'uint32' || dtype === 'int32') {
    // float32 cannot hold every 32-bit integer: step until the value differs
    const top = dtype === 'uint32' ? 4294967295 - 128 : 2147483647 - 64;
    let r = f32(fNoData + 1);
    let v = fNoData;
    const step = r >= top ? -1 : 1;
    while (r === fNoData) { v += step; r = f32(v); }
    return r;
  }
  if (dtype === 'float32' || dtype === 'float64') return fNoData === 0 ? FLT_MIN : f32(fNoData + 1e-7 * fNoData);
  return f32(fNoData + 1);
}

// ---------------------------------------------------------------- AVERAGE and RMS

function average(src: Work, g: Geometry, mask: Uint8Array | null, rms: boolean, dtype: DType, hasNoData: boolean, fNoData: number): Work {
  const { sw, dw, dh, rx, ry } = g;
  const intWork = !(src instanceof Float32Array);
  const out: Work = src instanceof Uint8Array ? new Uint8Array(dw * dh) : src instanceof Uint16Array ? new Uint16Array(dw * dh) : new Float32Array(dw * dh);
  // the nodata value and its replacement in the working type
  const tNoData = intWork ? (hasNoData ? toWorkInt(fNoData, src) : 0) : fNoData;
  const tReplace = intWork ? toWorkInt(replacementValue(dtype, hasNoData, fNoData), src) : replacementValue(dtype, hasNoData, fNoData);
  const left = new Int32Array(dw), right = new Int32Array(dw);
  const lw = new Float64Array(dw), rw = new Float64Array(dw), fullLine = new Float64Array(dw);
  let spacingTwo = true, last = -1;
  for (let i = 0; i < dw; i++) {
    const a = i * rx, b = (i + 1) * rx;
    const x0 = Math.trunc(a + 1e-8);
    let x1 = Math.trunc(Math.ceil(b - 1e-8));
    if (x1 === x0) x1++;
    if (x1 > sw) x1 = sw;
    left[i] = x0; right[i] = x1;
    lw[i] = x1 === x0 + 1 ? 1 : 1 - (a - x0);
    rw[i] = 1 - (x1 - b);
    fullLine[i] = lw[i];
    if (x0 + 1 < x1) { fullLine[i] += x1 - x0 - 2; fullLine[i] += rw[i]; }
    if (x1 - x0 !== 2 || (last >= 0 && last !== x0)) spacingTwo = false;
    last = x1;
  }
  for (let j = 0; j < dh; j++) {
    const a = j * ry, b = (j + 1) * ry;
    const y0 = Math.trunc(a + 1e-8);
    let y1 = Math.trunc(Math.ceil(b - 1e-8));
    if (y1 === y0) y1++;
    if (y1 > g.sh) y1 = g.sh;
    const row = j * dw;
    if (spacingTwo && y1 === y0 + 2 && mask === null) {
      // GDAL's factor-of-two path: integer sums rounded half up, float32 sums scaled by 0.25
      const r0 = y0 * sw, r1 = r0 + sw;
      if (intWork) {
        for (let i = 0; i < dw; i++) {
          const x = left[i];
          const p = src[r0 + x], q = src[r0 + x + 1], s = src[r1 + x], t = src[r1 + x + 1];
          out[row + i] = rms ? integerRms4(p * p + q * q + s * s + t * t, src instanceof Uint8Array) : Math.trunc((p + q + s + t + 2) / 4);
        }
      } else {
        // SSE2 handles four outputs at a time, adding the two rows first; the rest go left to right
        const simd = dw - (dw % 4);
        for (let i = 0; i < dw; i++) {
          const x = left[i];
          const p = src[r0 + x], q = src[r0 + x + 1], s = src[r1 + x], t = src[r1 + x + 1];
          if (rms) out[row + i] = i < simd ? rmsFloatSse(p, q, s, t) : f32(Math.sqrt(0.25 * (p * p + q * q + s * s + t * t)));
          else out[row + i] = i < simd ? f32(f32(f32(p + s) + f32(q + t)) * 0.25) : f32(0.25 * f32(f32(f32(p + q) + s) + t));
        }
      }
      continue;
    }
    const bottom = y0 + 1 === y1 ? 1 : 1 - (a - y0);
    const top = 1 - (y1 - b);
    let fullColumn = bottom;
    if (y0 + 1 < y1) { fullColumn += y1 - y0 - 2; fullColumn += top; }
    for (let i = 0; i < dw; i++) {
      const x0 = left[i], x1 = right[i];
      let total = 0, weight = 0;
      if (mask === null) {
        for (let y = y0; y < y1; y++) {
          const r = y * sw;
          let v = src[r + x0];
          let line = (rms ? v * v : v) * lw[i];
          if (x0 + 1 < x1) {
            for (let x = x0 + 1; x + 1 < x1; x++) { v = src[r + x]; line += rms ? v * v : v; }
            v = src[r + x1 - 1];
            line += (rms ? v * v : v) * rw[i];
          }
          total += line * (y === y0 ? bottom : y + 1 === y1 ? top : 1);
        }
        weight = fullLine[i] * fullColumn;
      } else {
        let count = 0;
        for (let y = y0; y < y1; y++) {
          const r = y * sw;
          let line = 0, lineWeight = 0;
          if (mask[r + x0]) {
            count++;
            const v = src[r + x0];
            lineWeight = lw[i];
            line = (rms ? v * v : v) * lw[i];
          }
          if (x0 + 1 < x1) {
            for (let x = x0 + 1; x + 1 < x1; x++) {
              if (!mask[r + x]) continue;
              count++;
              lineWeight += 1;
              const v = src[r + x];
              line += rms ? v * v : v;
            }
            if (mask[r + x1 - 1]) {
              count++;
              const v = src[r + x1 - 1];
              lineWeight += rw[i];
              line += (rms ? v * v : v) * rw[i];
            }
          }
          const wy = y === y0 ? bottom : y + 1 === y1 ? top : 1;
          total += line * wy;
          weight += lineWeight * wy;
        }
        if (count === 0) { out[row + i] = tNoData; continue; }
      }
      let v: number;
      if (intWork) {
        // the working type wraps before the nodata test, as GDAL's T does
        v = toWorkInt(rms ? integerRms(total, weight) : Math.trunc(total / weight + 0.5), src);
        if (hasNoData && v === tNoData) v = tReplace;
      } else {
        v = f32(rms ? Math.sqrt(total / weight) : total / weight);
        if (hasNoData && v === tNoData) v = tReplace;
      }
      out[row + i] = v;
    }
  }
  return out;
}

// a float cast to the integer working type (C++ static_cast: truncation, wrapping as the array stores it)
function toWorkInt(v: number, like: Work): number {
  const t = Math.trunc(v);
  return like instanceof Uint8Array ? t & 0xff : t & 0xffff;
}

// the integer nearest to sqrt(sum / weight) in the sense of the smaller squared error; GDAL's test is C int
// arithmetic, which wraps for 16-bit values near 65535 (then 65535 rounds up and wraps to 0 in the band)
function integerRms(sum: number, weight: number): number {
  const q = sum / weight;
  let r = Math.trunc(Math.sqrt(q));
  if ((Math.imul(Math.imul(2, r), r + 1) + 1 | 0) < 2 * q) r++;
  return r;
}

function integerRms4(sumSquares: number, byte: boolean): number {
  if (byte) {
    const q = Math.trunc((sumSquares + 1) / 4);
    let r = Math.trunc(Math.sqrt(f32(q)));
    if (r * (r + 1) < q) r++;
    return r;
  }
  const q = sumSquares * 0.25;
  let r = Math.trunc(Math.sqrt(q));
  if (r * (r + 1) < Math.trunc(q + 0.25)) r++;
  return r;
}

// GDAL's SSE2 RMS of four float32 values: scaled by their largest magnitude before squaring
function rmsFloatSse(p: number, q: number, s: number, t: number): number {
  const ap = Math.abs(p), aq = Math.abs(q), as = Math.abs(s);
  // the SSE2 code takes max(max(p, q), max(s, s)): the fourth value does not take part
  const m = Math.max(Math.max(ap, aq), as);
  if (m === Infinity) return Infinity;
  const inv = m === 0 ? 0 : f32(1 / m);
  const a = f32(ap * inv), b = f32(aq * inv), c = f32(as * inv), d = f32(Math.abs(t) * inv);
  const sum = f32(f32(f32(a * a) + f32(b * b)) + f32(f32(c * c) + f32(d * d)));
  return f32(m * f32(Math.sqrt(f32(sum * 0.25))));
}

// ---------------------------------------------------------------- GAUSS

const GAUSS3 = [1, 2, 1, 2, 4, 2, 1, 2, 1];
const GAUSS5 = [1, 4, 6, 4, 1, 4, 16, 24, 16, 4, 6, 24, 36, 24, 6, 4, 16, 24, 16, 4, 1, 4, 6, 4, 1];
const GAUSS7 = [1, 6, 15, 20, 15, 6, 1, 6, 36, 90, 120, 90, 36, 6, 15, 90, 225, 300, 225, 90, 15, 20, 120, 300, 400, 300, 120, 20,
  15, 90, 225, 300, 225, 90, 15, 6, 36, 90, 120, 90, 36, 6, 1, 6, 15, 20, 15, 6, 1];

function gauss(src: Work, g: Geometry, mask: Uint8Array | null, fNoData: number): Float32Array {
  const { sw, sh, dw, dh, rx, ry } = g;
  const out = new Float32Array(dw * dh);
  const factor = Math.trunc(0.5 + ry);
  const [matrix, dim] = factor <= 2 ? [GAUSS3, 3] : factor <= 4 ? [GAUSS5, 5] : [GAUSS7, 7];
  const half = Math.trunc(dim / 2);
  // each axis: the window's first source pixel, its end, and how far the matrix is shifted at the edge
  const axis = (i: number, r: number, size: number, dsize: number): [number, number, number] => {
    let a = Math.trunc(0.5 + i * r);
    let b = Math.trunc(0.5 + (i + 1) * r) + 1;
    if (a < 0) { a = 0; b++; }
    const span = b - a;
    a = a + Math.trunc(span / 2) - half;
    b = a + dim;
    if (b > size || (r > 1 && i === dsize - 1)) b = Math.min(size, a + dim);
    let shift = 0;
    if (a < 0) { shift = -a; a = 0; }
    return [a, b, shift];
  };
  for (let j = 0; j < dh; j++) {
    const [y0, y1, sy] = axis(j, ry, sh, dh);
    for (let i = 0; i < dw; i++) {
      const [x0, x1, sx] = axis(i, rx, sw, dw);
      let total = 0, count = 0;
      for (let y = y0, k = sy; y < y1; y++, k++) {
        for (let x = x0, l = sx; x < x1; x++, l++) {
          const at = y * sw + x;
          if (mask !== null && !mask[at]) continue;
          const wgt = matrix[k * dim + l];
          total += src[at] * wgt;
          count += wgt;
        }
      }
      out[j * dw + i] = count === 0 ? fNoData : f32(total / count);
    }
  }
  return out;
}

// ---------------------------------------------------------------- convolution kernels

type Kernel = { radius: number; one: (x: number) => number; four: (w: Float64Array, at: number) => number; negative: boolean };

function cubic(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 1) return x * x * (1.5 * ax - 2.5) + 1;
  if (ax <= 2) return x * x * (-0.5 * ax + 2.5) - 4 * ax + 2;
  return 0;
}
function bilinear(x: number): number {
  const ax = Math.abs(x);
  return ax <= 1 ? 1 - ax : 0;
}
// the cubic B-spline, unscaled (GDAL normalizes the weights afterwards)
function bspline(x: number): number {
  const xp2 = x + 2, xp1 = x + 1, xm1 = x - 1;
  const xp2c = xp2 * xp2 * xp2;
  return xp2 > 0 ? (xp1 > 0 ? (x > 0 ? (xm1 > 0 ? -4 * xm1 * xm1 * xm1 : 0) + 6 * x * x * x : 0) + -4 * xp1 * xp1 * xp1 : 0) + xp2c : 0;
}
function lanczos(x: number): number {
  if (x === 0) return 1;
  const pix = Math.PI * x;
  const pixR = pix / 3;
  return (Math.sin(pix) * Math.sin(pixR)) / (pix * pixR);
}
// GDAL's four-at-a-time variants write the weights in place and return their sum, added left to right
const fourOf = (f: (x: number) => number) => (w: Float64Array, at: number): number => {
  w[at] = f(w[at]); w[at + 1] = f(w[at + 1]); w[at + 2] = f(w[at + 2]); w[at + 3] = f(w[at + 3]);
  return w[at] + w[at + 1] + w[at + 2] + w[at + 3];
};
const KERNELS: Record<'bilinear' | 'cubic' | 'cubicspline' | 'lanczos', Kernel> = {
  bilinear: { radius: 1, one: bilinear, four: fourOf(bilinear), negative: false },
  cubic: { radius: 2, one: cubic, four: fourOf(cubic), negative: true },
  cubicspline: { radius: 2, one: bspline, four: fourOf(bspline), negative: false },
  lanczos: { radius: 3, one: lanczos, four: fourOf(lanczos), negative: true },
};

// the band type's range as float32, which GDAL clamps to before comparing with nodata
function dstRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'uint8': return [0, 255];
    case 'uint16': return [0, 65535];
    case 'int16': return [-32768, 32767];
    case 'uint32': return [0, f32(4294967295)];
    case 'int32': return [f32(-2147483648), f32(2147483647)];
    default: return [-3.4028234663852886e38, 3.4028234663852886e38];
  }
}

function convolve(src: Work, g: Geometry, mask: Uint8Array | null, method: keyof typeof KERNELS, dtype: DType, hasNoData: boolean, fNoData: number): Float32Array {
  const { sw, sh, dw, dh, rx, ry } = g;
  const k = KERNELS[method];
  const sse = !(src instanceof Float32Array);
  const integer = DTYPES[dtype].integer;
  const replacement = replacementValue(dtype, hasNoData, fNoData);
  const [lo, hi] = dstRange(dtype);
  const nodataInt = Math.trunc(fNoData);
  const replaceIfNodata = (v: number): number => {
    if (!hasNoData) return v;
    const c = v < lo ? lo : v > hi ? hi : v;
    if (integer ? nodataInt === roundHalfAway(c) : fNoData === c) return replacement;
    return c;
  };
  const xScale = 1 / rx, xWeightScale = xScale >= 1 ? 1 : xScale, xRadius = k.radius / xWeightScale;
  const yScale = 1 / ry, yWeightScale = yScale >= 1 ? 1 : yScale, yRadius = k.radius / yWeightScale;
  const weights = new Float64Array(Math.trunc(2 + 2 * Math.max(xRadius, yRadius) + 0.5) + 8);
  const hf = new Float64Array(sh * dw);
  const hmask = mask ? new Uint8Array(sh * dw) : null;
  const less8 = xRadius < 4;

  // first pass: each source row filtered horizontally to the overview's columns; every column's weights first,
  // then row by row (a column at a time strides across the whole band, which is several times slower)
  const stride = weights.length;
  const colWeights = new Float64Array(dw * stride);
  const colStart = new Int32Array(dw), colCount = new Int32Array(dw);
  for (let i = 0; i < dw; i++) {
    const centre = (i + 0.5) * rx;
    let start = Math.trunc(Math.floor(centre - xRadius + 0.5));
    if (start < 0) start = 0;
    let stop = Math.trunc(centre + xRadius + 0.5);
    if (stop > sw) stop = sw;
    const base = i * stride - start;
    let sum = 0;
    let p = start;
    let x = xWeightScale * (p - centre + 0.5);
    for (; p + 3 < stop; p += 4) {
      colWeights[base + p] = x; x += xWeightScale;
      colWeights[base + p + 1] = x; x += xWeightScale;
      colWeights[base + p + 2] = x; x += xWeightScale;
      colWeights[base + p + 3] = x; x += xWeightScale;
      sum += k.four(colWeights, base + p);
    }
    for (; p < stop; p++, x += xWeightScale) {
      const wgt = k.one(x);
      colWeights[base + p] = wgt;
      sum += wgt;
    }
    if (mask === null && sum !== 0) {
      const inv = 1 / sum;
      for (let q = 0; q < stop - start; q++) colWeights[i * stride + q] *= inv;
    }
    colStart[i] = start;
    colCount[i] = stop - start;
  }
  // GDAL filters three rows at a time (the rows of a chunk, which starts at row 0 here), then one by one
  const grouped = sh - (sh % 3);
  for (let row = 0; row < sh; row++) {
    const inGroup = row < grouped;
    for (let i = 0; i < dw; i++) {
      const at = row * sw + colStart[i];
      const count = colCount[i], wo = i * stride;
      const o = row * dw + i;
      if (mask === null) {
        hf[o] = !sse ? plain(src, at, colWeights, wo, count)
          : !inGroup ? sseOneRow(src, at, colWeights, wo, count)
            : count === 4 ? sse4(src, at, colWeights, wo) : less8 ? sseLess8(src, at, colWeights, wo, count) : sse3rows(src, at, colWeights, wo, count);
        continue;
      }
      if (k.negative && maxRun(mask, at, 1, count) < Math.trunc(count / 2)) { hf[o] = 0; hmask![o] = 0; continue; }
      const v = sse ? sseMasked(src, mask, at, colWeights, wo, count) : plainMasked(src, mask, at, colWeights, wo, count);
      const ws = maskedWeight;
      if (ws > 0) { hf[o] = v / ws; hmask![o] = 1; } else { hf[o] = 0; hmask![o] = 0; }
    }
  }

  // second pass: vertically, to the overview's rows
  const out = new Float32Array(dw * dh);
  const simd = dw - (dw % 8);
  const acc = new Float64Array(dw), accWeight = new Float64Array(dw), run = new Int32Array(dw), best = new Int32Array(dw);
  for (let j = 0; j < dh; j++) {
    const centre = (j + 0.5) * ry;
    let start = Math.trunc(Math.floor(centre - yRadius + 0.5));
    let stop = Math.trunc(centre + yRadius + 0.5);
    if (start < 0) start = 0;
    if (stop > sh) stop = sh;
    const count = stop - start;
    let sum = 0;
    let p = start;
    let y = yWeightScale * (p - centre + 0.5);
    for (; p + 3 < stop; p += 4, y += 4 * yWeightScale) {
      weights[p - start] = y;
      weights[p + 1 - start] = y + yWeightScale;
      weights[p + 2 - start] = y + 2 * yWeightScale;
      weights[p + 3 - start] = y + 3 * yWeightScale;
      sum += k.four(weights, p - start);
    }
    for (; p < stop; p++, y += yWeightScale) {
      const wgt = k.one(y);
      weights[p - start] = wgt;
      sum += wgt;
    }
    const row = j * dw;
    if (mask === null) {
      if (sum !== 0) {
        const inv = 1 / sum;
        for (let q = 0; q < count; q++) weights[q] *= inv;
      }
      // SSE2: eight columns at a time, each one sum down the rows (accumulated here row by row, the same order)
      acc.fill(0, 0, simd);
      for (let q = 0; q < count; q++) {
        const wq = weights[q], from = (start + q) * dw;
        for (let i = 0; i < simd; i++) acc[i] += hf[from + i] * wq;
      }
      for (let i = 0; i < simd; i++) out[row + i] = replaceIfNodata(f32(acc[i]));
      for (let i = simd; i < dw; i++) {
        let a = 0, b = 0, q = 0;
        for (; q + 3 < count; q += 4) {
          a += hf[(start + q) * dw + i] * weights[q];
          a += hf[(start + q + 1) * dw + i] * weights[q + 1];
          b += hf[(start + q + 2) * dw + i] * weights[q + 2];
          b += hf[(start + q + 3) * dw + i] * weights[q + 3];
        }
        for (; q < count; q++) a += hf[(start + q) * dw + i] * weights[q];
        out[row + i] = replaceIfNodata(f32(a + b));
      }
    } else {
      acc.fill(0); accWeight.fill(0); run.fill(0); best.fill(0);
      for (let q = 0; q < count; q++) {
        const wq = weights[q], from = (start + q) * dw;
        for (let i = 0; i < dw; i++) {
          const valid = hmask![from + i];
          const wgt = wq * valid;
          if (valid) run[i]++;
          else if (run[i]) { if (run[i] > best[i]) best[i] = run[i]; run[i] = 0; }
          acc[i] += hf[from + i] * wgt;
          accWeight[i] += wgt;
        }
      }
      for (let i = 0; i < dw; i++) {
        if (k.negative && Math.max(best[i], run[i]) < Math.trunc(count / 2)) { out[row + i] = fNoData; continue; }
        out[row + i] = accWeight[i] > 0 ? replaceIfNodata(f32(acc[i] / accWeight[i])) : fNoData;
      }
    }
  }
  return out;
}

function roundHalfAway(v: number): number {
  return v >= 0 ? Math.trunc(v + 0.5) : Math.trunc(v - 0.5);
}

// the longest run of valid pixels among `count` from `at`
function maxRun(mask: Uint8Array, at: number, step: number, count: number): number {
  let run = 0, best = 0;
  for (let q = 0; q < count; q++) {
    if (mask[at + q * step]) run++;
    else if (run) { best = Math.max(best, run); run = 0; }
  }
  return Math.max(best, run);
}

// the horizontal dot products in the orders GDAL's code adds them
function plain(src: Work, at: number, w: Float64Array, wo: number, count: number): number {
  let a = 0, b = 0, q = 0;
  for (; q + 3 < count; q += 4) {
    a += src[at + q] * w[wo + q];
    a += src[at + q + 1] * w[wo + q + 1];
    b += src[at + q + 2] * w[wo + q + 2];
    b += src[at + q + 3] * w[wo + q + 3];
  }
  for (; q < count; q++) a += src[at + q] * w[wo + q];
  return a + b;
}

// four lanes summed as SSE2 pairs do: (l0 + l2) + (l1 + l3)
const horiz = (l0: number, l1: number, l2: number, l3: number) => (l0 + l2) + (l1 + l3);

function sse4(src: Work, at: number, w: Float64Array, wo: number): number {
  return horiz(src[at] * w[wo], src[at + 1] * w[wo + 1], src[at + 2] * w[wo + 2], src[at + 3] * w[wo + 3]);
}

function sseLess8(src: Work, at: number, w: Float64Array, wo: number, count: number): number {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, q = 0;
  for (; q + 3 < count; q += 4) {
    l0 += src[at + q] * w[wo + q]; l1 += src[at + q + 1] * w[wo + q + 1]; l2 += src[at + q + 2] * w[wo + q + 2]; l3 += src[at + q + 3] * w[wo + q + 3];
  }
  let v = horiz(l0, l1, l2, l3);
  for (; q < count; q++) v += src[at + q] * w[wo + q];
  return v;
}

function sse3rows(src: Work, at: number, w: Float64Array, wo: number, count: number): number {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, q = 0;
  for (; q + 7 < count; q += 8) {
    l0 += src[at + q] * w[wo + q]; l1 += src[at + q + 1] * w[wo + q + 1]; l2 += src[at + q + 2] * w[wo + q + 2]; l3 += src[at + q + 3] * w[wo + q + 3];
    l0 += src[at + q + 4] * w[wo + q + 4]; l1 += src[at + q + 5] * w[wo + q + 5]; l2 += src[at + q + 6] * w[wo + q + 6]; l3 += src[at + q + 7] * w[wo + q + 7];
  }
  let v = horiz(l0, l1, l2, l3);
  for (; q < count; q++) v += src[at + q] * w[wo + q];
  return v;
}

function sseOneRow(src: Work, at: number, w: Float64Array, wo: number, count: number): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, q = 0;
  for (; q + 7 < count; q += 8) {
    a0 += src[at + q] * w[wo + q]; a1 += src[at + q + 1] * w[wo + q + 1]; a2 += src[at + q + 2] * w[wo + q + 2]; a3 += src[at + q + 3] * w[wo + q + 3];
    b0 += src[at + q + 4] * w[wo + q + 4]; b1 += src[at + q + 5] * w[wo + q + 5]; b2 += src[at + q + 6] * w[wo + q + 6]; b3 += src[at + q + 7] * w[wo + q + 7];
  }
  let v = horiz(a0 + b0, a1 + b1, a2 + b2, a3 + b3);
  for (; q < count; q++) v += src[at + q] * w[wo + q];
  return v;
}

// the masked dot products leave their weight sum here (no tuple per call: this runs once per row and column)
let maskedWeight = 0;

function plainMasked(src: Work, mask: Uint8Array, at: number, w: Float64Array, wo: number, count: number): number {
  let v = 0, ws = 0, q = 0;
  for (; q + 3 < count; q += 4) {
    const w0 = w[wo + q] * mask[at + q], w1 = w[wo + q + 1] * mask[at + q + 1], w2 = w[wo + q + 2] * mask[at + q + 2], w3 = w[wo + q + 3] * mask[at + q + 3];
    v += src[at + q] * w0; v += src[at + q + 1] * w1; v += src[at + q + 2] * w2; v += src[at + q + 3] * w3;
    ws += w0 + w1 + w2 + w3;
  }
  for (; q < count; q++) { const wq = w[wo + q] * mask[at + q]; v += src[at + q] * wq; ws += wq; }
  maskedWeight = ws;
  return v;
}

function sseMasked(src: Work, mask: Uint8Array, at: number, w: Float64Array, wo: number, count: number): number {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0, q = 0;
  for (; q + 3 < count; q += 4) {
    const w0 = w[wo + q] * mask[at + q], w1 = w[wo + q + 1] * mask[at + q + 1], w2 = w[wo + q + 2] * mask[at + q + 2], w3 = w[wo + q + 3] * mask[at + q + 3];
    l0 += src[at + q] * w0; l1 += src[at + q + 1] * w1; l2 += src[at + q + 2] * w2; l3 += src[at + q + 3] * w3;
    m0 += w0; m1 += w1; m2 += w2; m3 += w3;
  }
  let v = horiz(l0, l1, l2, l3), ws = horiz(m0, m1, m2, m3);
  for (; q < count; q++) { const wq = w[wo + q] * mask[at + q]; v += src[at + q] * wq; ws += wq; }
  maskedWeight = ws;
  return v;
}
