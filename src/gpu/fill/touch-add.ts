import { SEG_HORIZONTAL, SEG_SKIP, SEG_VERTICAL, walkSegment, WalkSegment } from '../../rules/walker.js';
import { PackedRecords } from './packed.js';

/*
 * The host half of the GPU's ALL_TOUCHED walks of merge 'add' (pixel rules A1-A6, D10): each segment
 * of a part as walkSegment prepares it (the one copy of GDAL's per-segment rules), packed for
 * shaders/touchadd.wgsl with the slots its visits may take and whether the record before it is the
 * part's previous segment, on which A6's rule chains it. Work per segment, none per pixel.
 */

/** 32-bit words of one segment (struct AddSeg in touchadd.wgsl). */
export const ADD_TOUCH_WORDS = 16;

const KIND_STEPPED = 0;

// the segment walkSegment prepares, reused
const seg = new WalkSegment();

/**
 * Visit slots a stepped walk needs: more than its distinct pixels. A walk is monotone in both axes,
 * so it changes pixel at most once a column boundary (ceil(xEnd) - floor(x) of them before x reaches
 * xEnd) and once a row boundary in the grid. Its y travel is the slope times its x travel, each step
 * within a relative 2^-52 of that, plus the roundings of the running x (at most half an ulp of a
 * value below the grid's width a step, three steps a row at most): hence the relative slack
 * 4 |slope| max(W, H) 2^-52, and a few rows more. The kernel counts a walk beyond it as an overflow
 * (the burn fails loudly), never writes past it.
 */
export function steppedSlots(s: WalkSegment, width: number, height: number): number {
  const cols = Math.ceil(s.xEnd) - Math.floor(s.x);
  const slope = Math.abs(s.slope);
  const rowsEst = slope * (s.xEnd - s.x);
  const slack = 1 + 4 * slope * Math.max(width, height) * 2 ** -52 + 1e-6;
  const rows = Math.min(height, Math.ceil(rowsEst * slack) + 4);
  return cols + rows + 2;
}

/** The segments of a burn's merge-'add' all-touched walks, packed for touchadd.wgsl. */
export class AddTouchStore extends PackedRecords {
  /** records */
  /** visit slots reserved by them */
  slots = 0;
  /** the longest run of records each linked to the one before it */
  maxChain = 0;
  private chain = 0;

  /** `maxSlots`: the most visit slots the GPU buffers may hold (a shape beyond it is walked on the host). */
  constructor(private maxSlots: number) {
    super(ADD_TOUCH_WORDS);
  }

  /** Empties the store for another burn with this budget of slots, keeping its buffer. */
  resetFor(maxSlots: number): void {
    this.reset();
    this.maxSlots = maxSlots;
    this.slots = 0;
    this.maxChain = 0;
    this.chain = 0;
  }

  /** Whether a width x height grid's visit keys, row * (W + 1) + col, fit 32 bits. */
  static fits(width: number, height: number): boolean {
    return (width + 1) * height < 2 ** 32 - 1;
  }

  private push(kind: number, linked: boolean, id: number, slots: number): void {
    this.room();
    const o = this.n * ADD_TOUCH_WORDS;
    if (kind === KIND_STEPPED) {
      const f = o >> 1;
      this.f64[f] = seg.x;
      this.f64[f + 1] = seg.y;
      this.f64[f + 2] = seg.xEnd;
      this.f64[f + 3] = seg.slope;
    } else {
      this.words.fill(0, o, o + 8);
    }
    this.words[o + 8] = kind;
    this.i32[o + 9] = seg.a;
    this.i32[o + 10] = seg.b;
    this.i32[o + 11] = seg.c;
    this.words[o + 12] = id;
    this.words[o + 13] = linked ? 1 : 0;
    this.words[o + 14] = this.slots;
    this.words[o + 15] = slots;
    this.slots += slots;
    this.n++;
    this.chain = linked ? this.chain + 1 : 0;
    if (this.chain > this.maxChain) this.maxChain = this.chain;
  }

  /**
   * The walks (consecutive vertex pairs, A2) of parts p0..p1-1 burning increment id `id`;
   * `intersectOnly`: polygon rings (A3). The caller has checked inTouchDomain and fits(). Returns
   * false, adding nothing, when their slots would pass the budget.
   */
  addParts(
    xs: Float64Array, ys: Float64Array, vertexStart: Uint32Array, p0: number, p1: number,
    width: number, height: number, intersectOnly: boolean, id: number,
  ): boolean {
    const n0 = this.n, slots0 = this.slots, chain0 = this.maxChain;
    for (let p = p0; p < p1; p++) {
      const s = vertexStart[p], e = vertexStart[p + 1];
      // A6: a segment that burns nothing leaves nothing for the next one to avoid
      let linked = false;
      for (let j = s + 1; j < e; j++) {
        const kind = walkSegment(xs[j - 1], ys[j - 1], xs[j], ys[j], 0, 0, width, height, intersectOnly, seg);
        if (kind === SEG_SKIP) {
          linked = false;
          continue;
        }
        if (kind === SEG_VERTICAL || kind === SEG_HORIZONTAL) {
          if (seg.b > seg.c) {
            linked = false;
            continue;
          }
          this.push(kind === SEG_VERTICAL ? 1 : 2, linked, id, seg.c - seg.b + 1);
        } else {
          this.push(KIND_STEPPED, linked, id, steppedSlots(seg, width, height));
        }
        linked = true;
      }
      this.chain = 0;
    }
    if (this.slots > this.maxSlots) {
      this.n = n0;
      this.slots = slots0;
      this.maxChain = chain0;
      return false;
    }
    return true;
  }
}
