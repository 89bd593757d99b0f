import type { BurnSink } from './sink.js';
import { cintFloor } from './point.js';

/*
 * GDAL's line rule without ALL_TOUCHED (pixel rules L1-L4): integer Bresenham between floored
 * endpoints, in stored vertex order (ShapeSet lines are already reversed as GDAL reverses them).
 * Each segment omits its end pixel except the last one of the part; off-grid pixels are skipped one
 * by one, so the path is the one from the unclipped endpoints. Z is interpolated per iterated pixel.
 *
 * Long segments that are mostly off the grid are not iterated pixel by pixel: the Bresenham state
 * after i steps has a closed form (below), so the walk jumps to the first step that can land on the
 * grid and stops once the path has left it. The visited pixels are exactly GDAL's.
 */

const TWO_30 = 1073741824;

const SAFE = 2 ** 52;

// [floor((p * q + c) / d), remainder] for integers with d > 0, exact even beyond 2^53
function divMod(p: number, q: number, c: number, d: number): [number, number] {
  if (Math.abs(p * q) + Math.abs(c) < SAFE) {
    const num = p * q + c;
    let f = Math.floor(num / d);
    while (f * d > num) f--;
    while ((f + 1) * d <= num) f++;
    return [f, num - f * d];
  }
  const num = BigInt(p) * BigInt(q) + BigInt(c);
  const D = BigInt(d);
  let f = num / D; // truncates toward zero
  if (f * D > num) f -= 1n;
  return [Number(f), Number(num - f * D)];
}

/**
 * Burns parts partFrom..partTo-1 as GDAL's Bresenham polylines. `z` holds per-vertex Z (burned as
 * the variant) or is null.
 */
export function bresenhamParts(
  xs: Float64Array,
  ys: Float64Array,
  z: Float64Array | null,
  vertexStart: Uint32Array,
  partFrom: number,
  partTo: number,
  width: number,
  height: number,
  sink: BurnSink,
): void {
  for (let p = partFrom; p < partTo; p++) {
    const s = vertexStart[p];
    const e = vertexStart[p + 1];
    for (let j = s + 1; j < e; j++) {
      segment(
        cintFloor(xs[j - 1]),
        cintFloor(ys[j - 1]),
        cintFloor(xs[j]),
        cintFloor(ys[j]),
        z === null ? null : z[j - 1],
        z === null ? 0 : z[j],
        j === e - 1,
        width,
        height,
        sink,
      );
    }
  }
}

/**
 * Where GDAL's Bresenham walk of one segment (integer endpoints) meets the grid: the major/minor
 * axis view, the first and last step that can burn, and the walker's state at that first step.
 * Shared by the CPU loop below and the GPU line kernel (src/gpu/fill/lines.ts), so both start
 * every walk from the same integers.
 */
export interface BresenhamWalk {
  xMajor: boolean;
  /** step directions along the major (a) and minor (b) axes */
  sa: number;
  sb: number;
  dA: number;
  dB: number;
  aSize: number;
  bSize: number;
  /** GDAL's error increments: errA when the error term is <= 0, errB (<= 0) when it is > 0 */
  errA: number;
  errB: number;
  /** steps iLo..iHi may burn; the state (a, b, err) is the one at step iLo */
  iLo: number;
  iHi: number;
  a: number;
  b: number;
  err: number;
}

/** Outcomes of bresenhamWalk besides a walk: nothing on the grid, or a walk only the C-int loop can follow. */
export const WALK_NONE = 0;
export const WALK_WRAPPED = 2;
export const WALK_OK = 1;

/**
 * Fills `w` for the segment (x0, y0) -> (x1, y1) of integer pixels (`last`: the part's last
 * segment, which keeps its end pixel). WALK_WRAPPED: GDAL's error terms overflow a C int (a
 * non-axis-parallel segment over 2^30 px), and only the literal wrapping loop reproduces it.
 */
export function bresenhamWalk(
  x0: number, y0: number, x1: number, y1: number, last: boolean, width: number, height: number, w: BresenhamWalk,
): number {
  // GDAL works in C ints: differences wrap at 2^32 (only reachable with coordinates near 2^31)
  let dx = (x1 - x0) | 0;
  if (dx < 0) dx = -dx | 0;
  let dy = (y1 - y0) | 0;
  if (dy < 0) dy = -dy | 0;
  const sx = x0 > x1 ? -1 : 1;
  const sy = y0 > y1 ? -1 : 1;
  const xMajor = dx >= dy;
  // major/minor axis view: a moves every step, b when the error term says so
  const dA = xMajor ? dx : dy;
  const dB = xMajor ? dy : dx;
  const a0 = xMajor ? x0 : y0;
  const b0 = xMajor ? y0 : x0;
  const sa = xMajor ? sx : sy;
  const sb = xMajor ? sy : sx;
  const aSize = xMajor ? width : height;
  const bSize = xMajor ? height : width;
  w.xMajor = xMajor;
  w.sa = sa;
  w.sb = sb;
  w.dA = dA;
  w.dB = dB;
  w.aSize = aSize;
  w.bSize = bSize;
  w.a = a0;
  w.b = b0;
  // GDAL decrements the count (a C int) unless this is the part's last segment
  const cnt = last ? dA : (dA - 1) | 0;
  if (cnt < 0) return WALK_NONE;
  const steps = cnt + 1;
  w.iLo = 0;
  w.iHi = steps - 1;

  // GDAL's error term lives in (2dB - 2dA, 2dB]; as long as that range fits a C int, its wrapping
  // intermediate arithmetic gives the exact values the closed form below reproduces. Otherwise
  // (a non-axis-parallel segment over 2^30 px long) follow the wrapping loop literally.
  if (dA < 0 || dB < 0 || (dB !== 0 && (dB >= TWO_30 || dA - dB >= TWO_30))) return WALK_WRAPPED;

  // pixels can only land on the grid for steps i with a0 + i*sa in [0, aSize-1] ...
  let iLo: number, iHi: number;
  if (sa > 0) {
    iLo = -a0;
    iHi = aSize - 1 - a0;
  } else {
    iLo = a0 - (aSize - 1);
    iHi = a0;
  }
  if (iLo < 0) iLo = 0;
  if (iHi > steps - 1) iHi = steps - 1;
  if (iLo > iHi) return WALK_NONE;
  // ... and with b (between b0 and its end) in [0, bSize-1]
  const bEnd = b0 + sb * dB;
  if ((b0 < 0 && bEnd < 0) || (b0 >= bSize && bEnd >= bSize)) return WALK_NONE;
  // after i steps b has moved n(i) = ceil((2 dB i - dA) / (2 dA)) times (the error term stays in
  // (2dB - 2dA, 2dB]); the first step with n(i) >= N is floor((2 dA (N-1) + dA) / (2 dB)) + 1
  const bNeed = sb > 0 ? -b0 : b0 - (bSize - 1);
  if (bNeed > 0) {
    const iB = divMod(2 * dA, bNeed - 1, dA, 2 * dB)[0] + 1;
    if (iB > iLo) iLo = iB;
    if (iLo > iHi) return WALK_NONE;
  }
  w.errA = dB * 2; // GDAL's nXError for an x-major segment
  w.errB = w.errA - dA * 2; // nYError
  w.iLo = iLo;
  w.iHi = iHi;
  w.err = w.errA - dA;
  walkTo(w, iLo, a0, b0);
  return WALK_OK;
}

/**
 * Moves a walk's state to step i of the segment that starts at (a0, b0), by the closed form:
 * with T = 2 dB i - dA, b has moved n = ceil(T / 2dA) times and GDAL's error term is
 * 2dB(i+1) - dA - 2dA n = 2dB - r, where -T = 2dA q + r, 0 <= r < 2dA, n = -q.
 */
export function walkTo(w: BresenhamWalk, i: number, a0: number, b0: number): void {
  let n = 0;
  let err = w.errA - w.dA;
  if (i > 0) {
    const [q, r] = divMod(-2 * w.dB, i, w.dA, 2 * w.dA);
    n = -q;
    err = w.errA - r;
  }
  w.a = a0 + w.sa * i;
  w.b = b0 + w.sb * n;
  w.err = err;
}

const walk: BresenhamWalk = { xMajor: true, sa: 1, sb: 1, dA: 0, dB: 0, aSize: 0, bSize: 0, errA: 0, errB: 0, iLo: 0, iHi: 0, a: 0, b: 0, err: 0 };

// one Bresenham segment between integer endpoints; v === null means no Z
function segment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  v: number | null,
  v1: number,
  last: boolean,
  width: number,
  height: number,
  sink: BurnSink,
): void {
  const w = walk;
  const how = bresenhamWalk(x0, y0, x1, y1, last, width, height, w);
  if (how === WALK_NONE) return;
  const { xMajor, sa, sb, dA, bSize, errA, errB, iHi } = w;
  const dv = v === null || dA === 0 ? 0 : (v1 - v) / dA;
  if (how === WALK_WRAPPED) {
    wrappedSegment(w.a, w.b, dA, w.dB, sa, sb, iHi + 1, xMajor, w.aSize, bSize, v, dv, sink);
    return;
  }
  let i = w.iLo;
  let err = w.err;
  let a = w.a;
  let b = w.b;
  let val = v === null ? 0 : v;
  if (v !== null && i > 0) {
    // GDAL accumulates Z by repeated addition; reproduce it to stay bit-identical
    if (dv === 0) val += 0;
    else for (let k = 0; k < i; k++) val += dv;
  }
  for (; i <= iHi; i++) {
    if (b >= 0 && b < bSize) {
      if (xMajor) sink.point(b, a, val);
      else sink.point(a, b, val);
    } else if (sb > 0 ? b >= bSize : b < 0) {
      break;
    }
    val += dv;
    a += sa;
    if (err > 0) {
      b += sb;
      err += errB;
    } else {
      err += errA;
    }
  }
}

// the literal C-int loop, used only when the error terms of GDAL's code overflow int32; it runs in
// O(length) like GDAL itself (seconds for a segment over 2^30 px), with a tight loop up to the grid
function wrappedSegment(
  a0: number,
  b0: number,
  dA: number,
  dB: number,
  sa: number,
  sb: number,
  steps: number,
  xMajor: boolean,
  aSize: number,
  bSize: number,
  v: number | null,
  dv: number,
  sink: BurnSink,
): void {
  const aLast = a0 + sa * (steps - 1);
  if ((a0 < 0 && aLast < 0) || (a0 >= aSize && aLast >= aSize)) return;
  const errA = (dB << 1) | 0;
  const errB = (errA - (dA << 1)) | 0;
  let err = (errA - dA) | 0;
  let b = b0;
  let val = v === null ? 0 : v;
  // steps before the major axis reaches the grid: only the error term and b move
  const skip = Math.min(steps, sa > 0 ? Math.max(0, -a0) : Math.max(0, a0 - (aSize - 1)));
  if (v !== null) {
    for (let i = 0; i < skip; i++) val += dv;
  }
  // jump whole runs of steps spent on one side of the error test; each run is linear until the
  // error term changes sign (possibly by wrapping past +/-2^31)
  let left = skip;
  while (left > 0) {
    const pos = err > 0;
    const d = pos ? errB : errA;
    let k: number;
    if (d === 0) k = left;
    else if (pos) k = d < 0 ? Math.ceil(err / -d) : Math.ceil((2147483648 - err) / d);
    else k = d > 0 ? Math.floor(-err / d) + 1 : Math.floor((err + 2147483648) / -d) + 1;
    if (k >= 64) {
      // a quotient rounded up must not overshoot: the first k - 1 steps stay on this side
      for (;;) {
        const e = err + (k - 1) * d;
        if (pos ? (d < 0 ? e > 0 : e < 2147483648) : (d > 0 ? e <= 0 : e >= -2147483648)) break;
        k--;
      }
      if (k > left) k = left;
      err = (err + k * d) | 0;
      if (pos) b = (b + sb * k) | 0;
      left -= k;
      continue;
    }
    // short runs: plain steps
    const n = left < 256 ? left : 256;
    for (let i = 0; i < n; i++) {
      if (err > 0) {
        b = (b + sb) | 0;
        err = (err + errB) | 0;
      } else {
        err = (err + errA) | 0;
      }
    }
    left -= n;
  }
  let a = a0 + sa * skip;
  for (let i = skip; i < steps; i++) {
    if (a >= 0 && a < aSize && b >= 0 && b < bSize) {
      if (xMajor) sink.point(b, a, val);
      else sink.point(a, b, val);
    } else if (sa > 0 ? a >= aSize : a < 0) {
      break;
    }
    val += dv;
    a = (a + sa) | 0;
    if (err > 0) {
      b = (b + sb) | 0;
      err = (err + errB) | 0;
    } else {
      err = (err + errA) | 0;
    }
  }
}
