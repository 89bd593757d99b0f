// A batch unit's host plan (src/gpu/fill/unit.ts), without a GPU: each job's pixels, ids, edges and
// spans stay inside its own stretch of the unit, jobs start on whole output words, and every job's
// crossings are those of its own exact-fill plan.
import { describe, expect, it } from 'vitest';
import { flattenFeatures } from '../../../src/features/flatten.js';
import { REGION_WORDS } from '../../../src/gpu/fill/buffers.js';
import { RunStore } from '../../../src/gpu/fill/lines.js';
import { TouchStore, TOUCH_WORDS } from '../../../src/gpu/fill/touch.js';
import { planFill, SPAN_WORDS } from '../../../src/gpu/fill/plan.js';
import { planUnit, unitCells, type UnitJob } from '../../../src/gpu/fill/unit.js';
import { latticeScene, randomScene } from '../../shared/batch-scenes.js';

function jobsOf(sizes: [number, number][], allTouched = false): UnitJob[] {
  return sizes.map(([w, h], k) => {
    const { features, grid } = k % 2 ? latticeScene(10 + k, w, h, 0.5) : randomScene(20 + k, w, h);
    return { shapes: flattenFeatures(features, grid, { attribute: k % 2 ? 'v' : 'id' }), width: w, height: h, allTouched, burnZ: false, initBits: k };
  });
}

describe('a batch unit plan', () => {
  for (const [bytes, allTouched] of [[1, false], [2, true], [4, false]] as const) {
    it(`keeps each job in its own stretch (${bytes}-byte pixels${allTouched ? ', all-touched' : ''})`, () => {
      const jobs = jobsOf([[5, 3], [37, 21], [1, 1], [64, 9], [13, 40]], allTouched);
      const u = planUnit(jobs, bytes, (v) => v >>> 0, () => undefined);
      let cell = 0, idBase = 0, edgeBase = 0;
      const idsOf: [number, number][] = [], edgesOf: [number, number][] = [], touchOf: number[] = [];
      jobs.forEach((j, k) => {
        // lines and all-touched walks as the unit plans them: walked on the GPU from run and segment stores, not host spans
        const own = planFill(j.shapes, j.width, j.height, { allTouched, burnZ: false, merge: 'replace' }, (v) => v >>> 0, () => undefined, undefined, new RunStore(), new TouchStore());
        touchOf.push(own.nTouch);
        expect(u.base[k], `job ${k} base`).toBe(cell);
        expect(u.base[k] % 4).toBe(0);
        expect(u.jobTable[2 * k], `job ${k} first word`).toBe((cell * bytes) / 4);
        expect(u.jobTable[2 * k + 1]).toBe(k);
        expect(u.crossings[k], `job ${k} crossings`).toBe(own.crossings);
        expect(Array.from(u.values.subarray(idBase, idBase + own.ids))).toEqual(Array.from(own.values));
        idsOf.push([idBase + 1, idBase + own.ids]);
        edgesOf.push([edgeBase, edgeBase + own.nEdges]);
        cell += unitCells(j.width, j.height);
        idBase += own.ids;
        edgeBase += own.nEdges;
      });
      expect(u.cells).toBe(cell);
      expect(u.nEdges).toBe(edgeBase);
      // host spans: cells of their own job's grid, ids of their own job
      let spans = 0;
      for (let o = 0; o < u.nSpans * SPAN_WORDS; o += SPAN_WORDS) {
        const rowStart = u.spans[o] >>> 0, x0 = u.spans[o + 1], x1 = u.spans[o + 2], id = u.spans[o + 3];
        // the last job starting at or before the span's row (findLastIndex is ES2023, beyond the project's lib)
        let k = u.base.length - 1;
        while (k >= 0 && u.base[k] > rowStart) k--;
        const { width, height } = jobs[k];
        expect((rowStart - u.base[k]) % width).toBe(0);
        expect((rowStart - u.base[k]) / width).toBeLessThan(height);
        expect(0 <= x0 && x0 <= x1 && x1 < width, `span ${x0}..${x1} in a ${width}-wide job`).toBe(true);
        expect(id >= idsOf[k][0] && id <= idsOf[k][1]).toBe(true);
        spans++;
      }
      expect(spans).toBe(u.nSpans);
      expect(spans).toBeGreaterThan(0);
      // regions: inside their job's grid and stretch, with its ids and counter; the edges of each group
      let crossings = 0;
      for (const g of u.groups) {
        for (let r = 0; r < g.nRegions; r++) {
          const o = r * REGION_WORDS;
          const [, wpr, col0, cols, row0, rows, value, , base, stride, counter] = Array.from(g.regions.subarray(o, o + REGION_WORDS));
          const k = counter;
          expect(base).toBe(u.base[k]);
          expect(stride).toBe(jobs[k].width);
          expect(col0 >= 0 && col0 + cols <= jobs[k].width && row0 >= 0 && row0 + rows <= jobs[k].height).toBe(true);
          expect(wpr).toBe(Math.ceil(cols / 32));
          expect(value >= idsOf[k][0] && value <= idsOf[k][1]).toBe(true);
        }
        // its edges (the GPU makes their entries): each region's shape's edges, within its job's,
        // one shape after another through the group's range; their rows clipped to the region's
        // rows, as entries.wgsl clips them, are all of the job's crossings
        expect(g.first).toBe(g.shapeEdges[0]);
        expect(g.first + g.edges).toBe(g.shapeEdges[2 * g.nRegions - 1]);
        for (let r = 0; r < g.nRegions; r++) {
          const k = g.regions[r * REGION_WORDS + 10];
          const e0 = g.shapeEdges[2 * r], e1 = g.shapeEdges[2 * r + 1];
          expect(e0 < e1 && e0 >= edgesOf[k][0] && e1 <= edgesOf[k][1], `region ${r}: edges ${e0}..${e1} of job ${k}`).toBe(true);
          if (r > 0) expect(e0).toBe(g.shapeEdges[2 * r - 1]);
          const row0 = g.regions[r * REGION_WORDS + 4] | 0, rows = g.regions[r * REGION_WORDS + 5];
          for (let e = e0; e < e1; e++) crossings += Math.max(0, Math.min(u.edgeLast[e], row0 + rows - 1) - Math.max(u.edgeFirst[e], row0) + 1);
        }
      }
      expect(crossings).toBe(u.crossings.reduce((a, b) => a + b, 0));
      expect(crossings).toBeGreaterThan(0);
      // stepped all-touched segments: each job's own, in order, with its ids and its job index
      expect(u.nTouch).toBe(touchOf.reduce((a, b) => a + b, 0));
      if (allTouched) expect(u.nTouch).toBeGreaterThan(0);
      let t = 0;
      touchOf.forEach((n, k) => {
        for (let end = t + n; t < end; t++) {
          const id = u.touch[t * TOUCH_WORDS + 8], job = u.touch[t * TOUCH_WORDS + 10];
          expect(job, `segment ${t}`).toBe(k);
          expect(id >= idsOf[k][0] && id <= idsOf[k][1], `segment ${t} id ${id}`).toBe(true);
        }
      });
    });
  }
});
