import { bresenhamWalk, walkTo, WALK_NONE, WALK_WRAPPED, type BresenhamWalk } from '../../rules/line.js';
import { cintFloor } from '../../rules/point.js';

/*
 * The host half of the GPU line walk (shaders/lines.wgsl): per segment, the float64 floors of its
 * ends and the integer state of GDAL's Bresenham walk where it meets the grid, cut into runs the GPU
 * walks one invocation each. Work per segment plus one closed-form state per RUN_STEPS pixels.
 */

/** 32-bit words of one run (struct LineRun in lines.wgsl). */
export const RUN_WORDS = 8;
/** Most steps one invocation walks: long segments are cut so that the GPU walks them in parallel. */
export const RUN_STEPS = 256;

const walk: BresenhamWalk = { xMajor: true, sa: 1, sb: 1, dA: 0, dB: 0, aSize: 0, bSize: 0, errA: 0, errB: 0, iLo: 0, iHi: 0, a: 0, b: 0, err: 0 };

// a y-major walk whose x never changes
const column: BresenhamWalk = { xMajor: false, sa: 1, sb: 1, dA: 0, dB: 0, aSize: 0, bSize: 0, errA: 0, errB: 0, iLo: 0, iHi: 0, a: 0, b: 0, err: 0 };

/** Growable run storage. */
export class RunStore {
  n = 0;
  words = new Int32Array(64 * RUN_WORDS);

  /** Empties the store for another burn, keeping its buffer. */
  reset(): void {
    this.n = 0;
  }

  private push(a: number, b: number, err: number, steps: number, w: BresenhamWalk, id: number): void {
    if ((this.n + 1) * RUN_WORDS > this.words.length) {
      const words = new Int32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
    }
    const o = this.n * RUN_WORDS;
    const words = this.words;
    words[o] = a;
    words[o + 1] = b;
    words[o + 2] = err;
    words[o + 3] = steps;
    words[o + 4] = w.errA;
    words[o + 5] = w.errB;
    words[o + 6] = (w.xMajor ? 1 : 0) | (w.sa < 0 ? 2 : 0) | (w.sb < 0 ? 4 : 0);
    words[o + 7] = id;
    this.n++;
  }

  /**
   * Rows row0..row1 of column `col`, burned by owner id `id`: the pixels of an all-touched vertical
   * segment (pixel rule A4) as runs whose minor axis never moves (both error increments 0).
   */
  addColumn(col: number, row0: number, row1: number, id: number): void {
    const w = column;
    for (let r = row0; r <= row1; r += RUN_STEPS) this.push(r, col, 0, Math.min(RUN_STEPS, row1 - r + 1), w, id);
  }

  /**
   * The runs of parts p0..p1-1 as GDAL's Bresenham polylines burned by owner id `id`. Returns
   * false as soon as a segment's walk overflows GDAL's C ints (only the CPU's literal loop follows
   * it): the caller then burns the whole shape on the host, and the runs pushed so far are dropped.
   */
  addParts(xs: Float64Array, ys: Float64Array, vertexStart: Uint32Array, p0: number, p1: number, width: number, height: number, id: number): boolean {
    const n0 = this.n;
    const w = walk;
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      for (let j = s + 1; j < e; j++) {
        const x0 = cintFloor(xs[j - 1]), y0 = cintFloor(ys[j - 1]);
        const how = bresenhamWalk(x0, y0, cintFloor(xs[j]), cintFloor(ys[j]), j === e - 1, width, height, w);
        if (how === WALK_NONE) continue;
        if (how === WALK_WRAPPED) {
          this.n = n0;
          return false;
        }
        const a0 = w.xMajor ? x0 : y0, b0 = w.xMajor ? y0 : x0;
        for (let i = w.iLo; i <= w.iHi; i += RUN_STEPS) {
          if (i > w.iLo) {
            walkTo(w, i, a0, b0);
            // b only moves away from the grid once it has left it: nothing more to burn
            if (w.sb > 0 ? w.b >= w.bSize : w.b < 0) break;
          }
          this.push(w.a, w.b, w.err, Math.min(RUN_STEPS, w.iHi - i + 1), w, id);
        }
      }
    }
    return true;
  }
}
