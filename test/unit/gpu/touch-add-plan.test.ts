// The host half of the merge-'add' all-touched walks (src/gpu/fill/touch-add.ts), without a GPU:
// each stepped segment's visit slots bound the distinct pixels the CPU walker visits (shallow, steep,
// long, near-vertical and near-horizontal segments, segments reaching far beyond the grid), and the
// records link a segment to the one before it only within a part and after a segment that burned.
import { describe, expect, it } from 'vitest';
import { AddTouchStore, ADD_TOUCH_WORDS, steppedSlots } from '../../../src/gpu/fill/touch-add.js';
import { SEG_STEPPED, walkParts, walkSegment, WalkSegment } from '../../../src/rules/walker.js';
import { mulberry32 as rng } from '../../../bench/random.js';

const SEED = Number(process.env.TOUCH_ADD_PLAN_SEED ?? 4242);

// distinct pixels the CPU walk of one segment burns (avoidSame on, no previous segment: each once)
function distinctVisits(x0: number, y0: number, x1: number, y1: number, w: number, h: number): number {
  let n = 0;
  const sink = { span: (_y: number, a: number, b: number) => { n += b - a + 1; }, point: () => { n++; } };
  walkParts(Float64Array.of(x0, x1), Float64Array.of(y0, y1), Uint32Array.of(0, 2), 0, 1, w, h, { intersectOnly: false, avoidSame: true, variants: null }, sink);
  return n;
}

describe('merge-add all-touched walk records', () => {
  it(`a stepped segment's slots bound its distinct visits (seed ${SEED})`, () => {
    const r = rng(SEED);
    const seg = new WalkSegment();
    let stepped = 0, tightest = Infinity;
    for (let k = 0; k < 4000; k++) {
      const w = 1 + Math.floor(r() * (k % 10 === 0 ? 3000 : 90)), h = 1 + Math.floor(r() * (k % 10 === 1 ? 3000 : 90));
      const spread = k % 4 === 0 ? 50 : 1.5;
      const x0 = (r() * spread - (spread - 1) / 2) * w, y0 = (r() * spread - (spread - 1) / 2) * h;
      // steep and shallow: one axis moves little
      const x1 = k % 5 === 0 ? x0 + (r() - 0.5) * 0.05 + 0.011 : (r() * spread - (spread - 1) / 2) * w;
      const y1 = k % 5 === 1 ? y0 + (r() - 0.5) * 0.05 + 0.011 : (r() * spread - (spread - 1) / 2) * h;
      if (walkSegment(x0, y0, x1, y1, 0, 0, w, h, false, seg) !== SEG_STEPPED) continue;
      stepped++;
      const slots = steppedSlots(seg, w, h);
      const visits = distinctVisits(x0, y0, x1, y1, w, h);
      expect(visits, `segment (${x0}, ${y0}) - (${x1}, ${y1}) on ${w} x ${h}`).toBeLessThanOrEqual(slots);
      tightest = Math.min(tightest, slots - visits);
    }
    expect(stepped).toBeGreaterThan(1000);
    console.log(`${stepped} stepped segments, smallest spare slots ${tightest}`);
  });

  it('links a segment to the previous one of its part, never across parts or after a segment that burns nothing', () => {
    const store = new AddTouchStore(1 << 20);
    // part 0: three burning segments, one wholly off the grid, one more; part 1: two segments
    const xs = Float64Array.of(1.5, 8.5, 8.5, -20, -30, 3.2, 2.5, 7.5, 4.4);
    const ys = Float64Array.of(1.5, 2.5, 9.5, 9.5, 5, 4.1, 2.5, 6.5, 8.8);
    expect(store.addParts(xs, ys, Uint32Array.of(0, 6, 9), 0, 2, 10, 10, false, 7)).toBe(true);
    const linked = Array.from({ length: store.n }, (_, k) => store.words[k * ADD_TOUCH_WORDS + 13]);
    const kinds = Array.from({ length: store.n }, (_, k) => store.words[k * ADD_TOUCH_WORDS + 8]);
    // (1.5,1.5)-(8.5,2.5) stepped, (8.5,2.5)-(8.5,9.5) vertical, (8.5,9.5)-(-20,9.5) horizontal,
    // (-20,9.5)-(-30,5) off the grid, (-30,5)-(3.2,4.1) stepped; part 1: two stepped
    expect(kinds).toEqual([0, 1, 2, 0, 0, 0]);
    expect(linked).toEqual([0, 1, 1, 0, 0, 1]);
    expect(store.maxChain).toBe(2);
    // ids and slots: consecutive, each record's first slot after the last one's
    let at = 0;
    for (let k = 0; k < store.n; k++) {
      expect(store.words[k * ADD_TOUCH_WORDS + 12]).toBe(7);
      expect(store.words[k * ADD_TOUCH_WORDS + 14]).toBe(at);
      at += store.words[k * ADD_TOUCH_WORDS + 15];
    }
    expect(store.slots).toBe(at);
    // past the budget: nothing added
    const small = new AddTouchStore(5);
    expect(small.addParts(xs, ys, Uint32Array.of(0, 6, 9), 0, 2, 10, 10, false, 7)).toBe(false);
    expect([small.n, small.slots, small.maxChain]).toEqual([0, 0, 0]);
  });
});
