import { SEG_HORIZONTAL, SEG_STEPPED, SEG_VERTICAL, walkSegment, WalkSegment } from '../../rules/walker.js';
import { F64_COORD_LIMIT, F64_TINY } from '../f64.js';
import type { RunStore } from './lines.js';
import { PackedRecords } from './packed.js';

/*
 * The host half of the GPU's ALL_TOUCHED walk (pixel rules A1-A5, D7), merge 'replace': per segment,
 * what src/rules/walker.ts decides before it steps (the off-grid test, the order of the ends, A3's
 * skip of polygon edges on grid lines, A4's vertical/horizontal cases, the clip to the grid), taken
 * from its walkSegment, the one copy of those float64 operations. A vertical segment becomes one column of pixels (a Bresenham
 * run of lines.wgsl with a minor axis that never moves), a horizontal one a host span; any other
 * segment becomes its clipped start, end and slope, which shaders/touch.wgsl steps through in
 * emulated float64. Work per segment, none per pixel.
 */

/** 32-bit words of one segment (struct TouchSeg in touch.wgsl). */
export const TOUCH_WORDS = 12;

// the walk's coordinates stay in f64.wgsl's exact domain (see inTouchDomain)
const LIMIT = F64_COORD_LIMIT / 4;

// the segment walkSegment prepares, reused
const seg = new WalkSegment();

/**
 * Whether the walk of vertices v0..v1-1 can run on the GPU exactly: every coordinate finite, zero
 * or at least 2^-200, and below 2^28 px. A stepped segment then has |dx|, |dy| in [0.01, 2^29], so
 * its slope lies in [2^-36, 2^36]; every position stays below 2^30 and every step, product and
 * quotient is zero or far above the subnormal range, which keeps each emulated operation correctly
 * rounded (f64.wgsl's domain).
 */
export function inTouchDomain(xs: Float64Array, ys: Float64Array, v0: number, v1: number): boolean {
  for (let i = v0; i < v1; i++) {
    const x = xs[i] < 0 ? -xs[i] : xs[i];
    const y = ys[i] < 0 ? -ys[i] : ys[i];
    if (!(x < LIMIT && y < LIMIT)) return false;
    if ((x !== 0 && x < F64_TINY) || (y !== 0 && y < F64_TINY)) return false;
  }
  return true;
}

/** Receives a horizontal segment's span (row, columns x0..x1) under owner id `id`. */
export interface SpanTarget {
  push(y: number, x0: number, x1: number, id: number): void;
}

/** The stepped segments of a burn, packed for touch.wgsl. */
export class TouchStore extends PackedRecords {
  constructor() {
    super(TOUCH_WORDS);
  }

  /** vertical segments sent to the line runs */
  columns = 0;

  override reset(): void {
    super.reset();
    this.columns = 0;
  }

  private push(x: number, y: number, xEnd: number, slope: number, id: number, steps: number): void {
    this.room();
    const o = this.n * TOUCH_WORDS;
    const f = o >> 1;
    this.f64[f] = x;
    this.f64[f + 1] = y;
    this.f64[f + 2] = xEnd;
    this.f64[f + 3] = slope;
    this.words[o + 8] = id;
    this.words[o + 9] = steps;
    this.words[o + 10] = 0;
    this.words[o + 11] = 0;
    this.n++;
  }

  /**
   * The walk of every segment (consecutive vertex pairs, A2) of parts p0..p1-1 burned by owner id
   * `id`: stepped segments here, vertical ones into `runs`, horizontal ones into `spans`.
   * `intersectOnly`: polygon rings (A3). The caller has checked inTouchDomain.
   */
  addParts(
    xs: Float64Array, ys: Float64Array, vertexStart: Uint32Array, p0: number, p1: number,
    width: number, height: number, intersectOnly: boolean, id: number, runs: RunStore, spans: SpanTarget,
  ): void {
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      for (let j = s + 1; j < e; j++) this.segment(xs[j - 1], ys[j - 1], xs[j], ys[j], width, height, intersectOnly, id, runs, spans);
    }
  }

  // one segment as walkParts sees it without avoidSame and without a Z term
  private segment(
    x: number, y: number, xEnd: number, yEnd: number, width: number, height: number,
    intersectOnly: boolean, id: number, runs: RunStore, spans: SpanTarget,
  ): void {
    const kind = walkSegment(x, y, xEnd, yEnd, 0, 0, width, height, intersectOnly, seg);
    if (kind === SEG_VERTICAL) {
      // A4 vertical: one column, as a line run
      if (seg.b <= seg.c) {
        runs.addColumn(seg.a, seg.b, seg.c, id);
        this.columns++;
      }
    } else if (kind === SEG_HORIZONTAL) {
      if (seg.b <= seg.c) spans.push(seg.a, seg.b, seg.c, id);
    } else if (kind === SEG_STEPPED) {
      this.push(seg.x, seg.y, seg.xEnd, seg.slope, id, stepBound(seg, height));
    }
  }
}

// more steps than a stepped walk can take (a runaway guard): each column and each row boundary takes
// at most three steps (a landing a rounding short of the boundary, the boundary itself, the nudge
// past it); the walk ends once y leaves the grid
function stepBound(s: WalkSegment, height: number): number {
  const cols = Math.ceil(s.xEnd) - Math.floor(s.x) + 1;
  return Math.min(0xffffffff, 4 * (cols + height + 4));
}

/** 32-bit words of one segment of an all-touched line burning Z (struct ZTouchSeg in ztouch.wgsl). */
export const ZTOUCH_WORDS = 22;

/**
 * All-touched lines burning Z (pixel rules V7, D9), merge 'replace': each segment as walkParts sees
 * it with per-vertex Z, packed for ztouch.wgsl with one owner id a visit (`ids(n)` hands out n
 * consecutive ids and returns the first; the GPU writes their values).
 */
export class ZTouchStore extends PackedRecords {
  constructor() {
    super(ZTOUCH_WORDS);
  }


  private push(kind: number, a: number, b: number, c: number, visits: number, ids: (n: number) => number, x: number, y: number, xEnd: number, slope: number, z: number, dz: number, base: number): void {
    this.room();
    const o = this.n * ZTOUCH_WORDS;
    this.words[o] = kind;
    this.words[o + 1] = ids(visits);
    this.i32[o + 2] = a;
    this.i32[o + 3] = b;
    this.i32[o + 4] = c;
    this.words[o + 5] = visits;
    this.words[o + 6] = 0;
    this.words[o + 7] = 0;
    const f = (o + 8) >> 1;
    this.f64[f] = x;
    this.f64[f + 1] = y;
    this.f64[f + 2] = xEnd;
    this.f64[f + 3] = slope;
    this.f64[f + 4] = z;
    this.f64[f + 5] = dz;
    this.f64[f + 6] = base;
    this.n++;
  }

  /** The walks of parts p0..p1-1 of a line burning `value` plus Z; the caller has checked inTouchDomain and zValues. */
  addParts(
    xs: Float64Array, ys: Float64Array, zs: Float64Array, vertexStart: Uint32Array, p0: number, p1: number,
    width: number, height: number, value: number, ids: (n: number) => number,
  ): void {
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      for (let j = s + 1; j < e; j++) this.segment(xs[j - 1], ys[j - 1], zs[j - 1], xs[j], ys[j], zs[j], width, height, value, ids);
    }
  }

  // walkParts' per-segment work for a line (no intersectOnly, no avoidSame) with per-vertex Z
  private segment(
    x: number, y: number, v: number, xEnd: number, yEnd: number, vEnd: number,
    width: number, height: number, value: number, ids: (n: number) => number,
  ): void {
    const kind = walkSegment(x, y, xEnd, yEnd, v, vEnd, width, height, false, seg);
    if (kind === SEG_VERTICAL || kind === SEG_HORIZONTAL) {
      if (seg.b <= seg.c) this.push(kind === SEG_VERTICAL ? 1 : 2, seg.a, seg.b, seg.c, seg.c - seg.b + 1, ids, 0, 0, 0, 0, seg.v, seg.dv, value);
    } else if (kind === SEG_STEPPED) {
      // one id a step: each column and each row boundary the walk crosses takes at most three steps,
      // and it crosses at most |slope| (xEnd - x) + 2 row boundaries, never more than the grid's rows
      const cols = Math.ceil(seg.xEnd) - Math.floor(seg.x) + 1;
      const rows = Math.min(height + 2, Math.ceil(Math.abs(seg.slope) * (seg.xEnd - seg.x)) + 2);
      this.push(0, 0, 0, 0, 3 * (cols + rows) + 4, ids, seg.x, seg.y, seg.xEnd, seg.slope, seg.v, seg.dv, value);
    }
  }
}
