import { bresenhamWalk, WALK_NONE, WALK_OK, WALK_WRAPPED, type BresenhamWalk } from '../../rules/line.js';
import { cintFloor } from '../../rules/point.js';
import { PackedRecords } from './packed.js';

/*
 * The host half of the GPU's Bresenham lines with Z (pixel rules L1-L4, V7, D8; shaders/zline.wgsl),
 * merge 'replace': per segment, the floors of its ends, the walk's integer state where it meets the
 * grid (bresenhamWalk, as for the lines without Z), GDAL's float64 increment of Z, and one owner id a
 * step, in burn order. The GPU accumulates Z itself, from the segment's first vertex, so each walk
 * is one invocation; the host computes no pixel and no value.
 */

/** 32-bit words of one segment (struct ZRun in zline.wgsl). */
export const ZRUN_WORDS = 16;

// Z and burn values the emulated float64 takes without leaving the normal range (f64.wgsl's
// domain): with |z|, |value| in [2^-200, 2^200] or 0, an increment is 0 or in [2^-283, 2^201], every
// sum a multiple of its ulp (>= 2^-335) and below 2^233
const Z_MAX = 2 ** 200;
const Z_TINY = 2 ** -200;
// increments GDAL adds before a segment reaches the grid: beyond this the walk stays on the host
const MAX_PRE = 1 << 20;

/** Whether a Z or burn value lies in the domain of the GPU's float64 Z arithmetic. */
export function zValue(v: number): boolean {
  const a = Math.abs(v);
  return a === 0 || (a >= Z_TINY && a <= Z_MAX);
}

const walk: BresenhamWalk = { xMajor: true, sa: 1, sb: 1, dA: 0, dB: 0, aSize: 0, bSize: 0, errA: 0, errB: 0, iLo: 0, iHi: 0, a: 0, b: 0, err: 0 };

/** The segments of the burn's lines with Z, packed for zline.wgsl. */
export class ZRunStore extends PackedRecords {
  constructor() {
    super(ZRUN_WORDS);
  }


  /**
   * Whether parts p0..p1-1 (vertices v0..v1-1) of a line burning `value` plus Z can be walked on the
   * GPU: every Z and the value inside the emulation's domain, every walk within GDAL's C ints, and
   * no segment reaching the grid only after more than MAX_PRE steps.
   */
  fits(xs: Float64Array, ys: Float64Array, z: Float64Array, vertexStart: Uint32Array, p0: number, p1: number, width: number, height: number, value: number): boolean {
    if (!zValue(value)) return false;
    const w = walk;
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      for (let j = s; j < e; j++) if (!zValue(z[j])) return false;
      for (let j = s + 1; j < e; j++) {
        const how = bresenhamWalk(cintFloor(xs[j - 1]), cintFloor(ys[j - 1]), cintFloor(xs[j]), cintFloor(ys[j]), j === e - 1, width, height, w);
        if (how === WALK_WRAPPED || (how !== WALK_NONE && w.iLo > MAX_PRE)) return false;
      }
    }
    return true;
  }

  /**
   * The walks of parts p0..p1-1 (checked by fits()) burning `value` plus Z. `ids(n)` hands out n
   * consecutive owner ids (their values are left for the GPU to write) and returns the first.
   */
  addParts(
    xs: Float64Array, ys: Float64Array, z: Float64Array, vertexStart: Uint32Array, p0: number, p1: number,
    width: number, height: number, value: number, ids: (n: number) => number,
  ): void {
    const w = walk;
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      for (let j = s + 1; j < e; j++) {
        const how = bresenhamWalk(cintFloor(xs[j - 1]), cintFloor(ys[j - 1]), cintFloor(xs[j]), cintFloor(ys[j]), j === e - 1, width, height, w);
        if (how !== WALK_OK) continue;
        const steps = w.iHi - w.iLo + 1;
        const z0 = z[j - 1];
        // src/rules/line.ts's increment, in the same operations
        const dz = w.dA === 0 ? 0 : (z[j] - z0) / w.dA;
        this.push(w, steps, ids(steps), z0, dz, value);
      }
    }
  }

  private push(w: BresenhamWalk, steps: number, id0: number, z0: number, dz: number, value: number): void {
    this.room();
    const o = this.n * ZRUN_WORDS;
    const i32 = this.i32;
    i32[o] = w.a;
    i32[o + 1] = w.b;
    i32[o + 2] = w.err;
    this.words[o + 3] = steps;
    i32[o + 4] = w.errA;
    i32[o + 5] = w.errB;
    this.words[o + 6] = (w.xMajor ? 1 : 0) | (w.sa < 0 ? 2 : 0) | (w.sb < 0 ? 4 : 0);
    this.words[o + 7] = id0;
    const f = (o + 8) >> 1;
    this.f64[f] = z0;
    this.f64[f + 1] = dz;
    this.f64[f + 2] = value;
    this.words[o + 14] = w.iLo;
    this.words[o + 15] = 0;
    this.n++;
  }
}
