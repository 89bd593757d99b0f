import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, type WebGPUBurnResult } from '../../src/gpu/engine.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import { cpuBurn, differences, rng, shapeSet, startArray, testDevice, type BurnCase, type HandShape } from './helpers.js';

// GDAL's ALL_TOUCHED walk on the GPU (shaders/touch.wgsl, pixel rules A1-A5, D7) against the CPU
// engine: polygon rings and lines with vertices on pixel corners and centres, 1e-9 either side of
// them, segments along grid lines, very long segments, huge coordinates (walked on the host), tiles
// and windows of rows, in merge 'replace' and merge 'add' (A6's chains: touch-add.test.ts). Every
// pixel must be identical.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping GPU all-touched tests: ${why}`);

const SEED = Number(process.env.GPU_TOUCH_SEED ?? (Date.now() % 1e9));

async function burn(shapes: ShapeSet, c: BurnCase, extra: { maxTileSize?: number; init?: number } = {}): Promise<{ diff: number[]; r: WebGPUBurnResult }> {
  const want = cpuBurn(shapes, extra.init === undefined ? c : { ...c, start: () => extra.init! });
  const data = startArray(c);
  const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: c.allTouched ?? false, merge: c.merge ?? 'replace', burnZ: c.burnZ ?? false, device: device!, ...extra,
  });
  return { diff: differences(data, want), r };
}

// shapes whose vertices sit on a lattice of `step` px offset by `off`: lines, triangles, quads and
// axis-aligned rectangles (edges along grid lines when the lattice is whole pixels), some reaching
// far off the grid
function shapes(r: () => number, n: number, w: number, h: number, step: number, off: number): HandShape[] {
  const q = (v: number) => Math.round(v / step) * step + off;
  const out: HandShape[] = [];
  for (let k = 0; k < n; k++) {
    const reach = k % 7 === 0 ? 6 : 1.2;
    const pt = () => [q((r() * reach - (reach - 1) / 2) * w), q((r() * reach - (reach - 1) / 2) * h)];
    const value = 1 + (k % 9);
    if (k % 4 === 0) {
      const pts: number[][] = [];
      const m = 2 + Math.floor(r() * 5);
      for (let j = 0; j < m; j++) pts.push(pt());
      if (k % 8 === 0) pts.push(pts[0]);
      out.push({ kind: 'line', value, parts: [pts] });
    } else if (k % 4 === 1) {
      const [x0, y0] = pt();
      const x1 = x0 + q(1 + r() * 20), y1 = y0 + q(1 + r() * 20);
      out.push({ kind: 'polygon', value, parts: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
    } else {
      const a = pt(), b = pt(), c = pt();
      const ring = k % 4 === 2 ? [a, b, c, a] : [a, b, c, pt(), a];
      out.push({ kind: 'polygon', value, parts: [ring] });
    }
  }
  return out;
}

const CASES: Array<[string, (r: () => number) => HandShape[]]> = [
  ['vertices on pixel corners', (r) => shapes(r, 100, 130, 70, 1, 0)],
  ['vertices on pixel centres', (r) => shapes(r, 100, 130, 70, 1, 0.5)],
  ['vertices on half pixels', (r) => shapes(r, 100, 130, 70, 0.5, 0)],
  ['1e-9 below pixel corners', (r) => shapes(r, 100, 130, 70, 1, -1e-9)],
  ['1e-9 above pixel corners', (r) => shapes(r, 100, 130, 70, 1, 1e-9)],
  ['1e-9 off pixel centres', (r) => shapes(r, 100, 130, 70, 1, 0.5 + 1e-9)],
  ['real-world-like vertices', (r) => shapes(r, 100, 130, 70, 1e-7, 0.123456789)],
];

describe.skipIf(!device)('GPU all-touched walk vs the CPU engine', () => {
  console.log(`GPU all-touched seed ${SEED} (rerun with GPU_TOUCH_SEED=${SEED})`);

  for (const [name, make] of CASES) {
    test(`${name}: identical, replace and add on the GPU, whole and tiled`, async () => {
      const set = shapeSet(make(rng(SEED + name.length)));
      let walked = 0;
      for (const c of [
        { width: 130, height: 70, dtype: 'uint8', allTouched: true },
        { width: 130, height: 70, dtype: 'float32', allTouched: true },
        { width: 130, height: 70, dtype: 'int16', allTouched: true, merge: 'add' },
      ] as BurnCase[]) {
        for (const extra of [{ init: 3 }, { maxTileSize: 37 }]) {
          const { diff, r } = await burn(set, c, extra);
          expect(diff.length, `${c.dtype} ${c.merge ?? 'replace'} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
          expect(r.linesOnCpu).toBe(0);
          expect(r.touchSegments! > 50).toBe(true);
          walked += r.touchSegments!;
        }
      }
      console.log(`${name}: ${walked} segments walked on the GPU`);
    });
  }

  test('long segments, grid-line segments, column W, huge coordinates, polygons with Z', async () => {
    const r = rng(SEED + 1);
    const list: HandShape[] = [
      // thousands of pixels long, crossing the grid at shallow and steep slopes
      { kind: 'line', value: 5, parts: [[[-3000.25, -10.5], [3300.75, 80.5]]] },
      { kind: 'line', value: 6, parts: [[[20.5, -5000], [31.5, 5070]]] },
      { kind: 'line', value: 7, parts: [[[-5000.3, 5000.3], [5000.7, -4999.9]]] },
      // diagonal and anti-diagonal through pixel corners (A5's staircase)
      { kind: 'line', value: 8, parts: [[[0, 0], [70, 70]]] },
      { kind: 'line', value: 9, parts: [[[0, 70], [70, 0]]] },
      { kind: 'polygon', value: 10, parts: [[[10, 10], [30, 30], [50, 10], [10, 10]]] },
      // along grid lines: polygons skip them (A3), lines burn them
      { kind: 'line', value: 11, parts: [[[2, 5], [2, 60], [100, 60]]] },
      { kind: 'polygon', value: 12, parts: [[[60, 5], [90, 5], [90, 25], [60, 25], [60, 5]]] },
      { kind: 'polygon', value: 13, parts: [[[60.005, 30], [90.004, 30.002], [90.003, 50], [60.001, 50.009], [60.005, 30]]] },
      // starting on the right edge x = W, rising through the top (GDAL's column-W write)
      { kind: 'line', value: 14, parts: [[[130, 3.5], [100, -10]]] },
      { kind: 'line', value: 15, parts: [[[130, 69.5], [125.5, 80]]] },
      // huge coordinates: outside the GPU walk's domain, walked on the host
      { kind: 'line', value: 16, parts: [[[-1e15, 30], [60, 35.5]]] },
      { kind: 'polygon', value: 17, parts: [[[1e300, 1], [5, 5], [5, 40], [1e300, 1]]] },
      // Z: a polygon burns its first vertex's Z along its walk too
      { kind: 'polygon', value: 0, parts: [[[70.5, 40, 9], [120.25, 45.5, 3], [100, 69.9, 4], [70.5, 40, 9]]] },
    ];
    for (let k = 0; k < 60; k++) {
      const cx = r() * 130, cy = r() * 70, s = 2 + r() * 30;
      if (k % 2) list.push({ kind: 'polygon', value: 100 + k, parts: [[[cx, cy], [cx + s, cy + 0.5], [cx + s / 2, cy + s], [cx, cy]]] });
      else list.push({ kind: 'line', value: 200 + k, parts: [[[cx, cy], [cx + s, cy + s / 3], [cx - s, cy + s / 2]], [[cx, cy + 1], [cx + 1, cy - s]]] });
    }
    const set = shapeSet(list);
    for (const c of [
      { width: 130, height: 70, dtype: 'uint16', allTouched: true },
      { width: 130, height: 70, dtype: 'float32', allTouched: true, burnZ: true },
      { width: 130, height: 70, dtype: 'uint16', allTouched: true, merge: 'add' },
    ] as BurnCase[]) {
      for (const extra of [{ init: 0 }, { maxTileSize: 33 }]) {
        const { diff, r: res } = await burn(set, c, extra);
        expect(diff.length, `${c.dtype} ${c.merge ?? 'replace'} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        if (!c.burnZ) {
          // the one huge line is walked on the host
          expect(res.linesOnCpu).toBe(1);
          expect(res.touchSegments! > 100).toBe(true);
        }
      }
    }
  });

  test('lines burning Z: vertical, horizontal and stepped segments, Z per unit of x or y (V7), every converting type', async () => {
    const r = rng(SEED + 3);
    const list: HandShape[] = [];
    const zOf = (k: number) => [() => Math.round(r() * 40 - 20) + 0.5, () => r() * 600 - 300, () => (r() - 0.5) * 2 ** (r() * 140)][k % 3]();
    for (let k = 0; k < 90; k++) {
      const lattice = k % 3 === 0 ? (v: number) => Math.round(v) + 0.5 : k % 3 === 1 ? (v: number) => Math.round(v) : (v: number) => v;
      const reach = k % 9 === 0 ? 20 : 1.2;
      const pts: number[][] = [];
      const m = 2 + Math.floor(r() * 4);
      for (let j = 0; j < m; j++) {
        // every third vertex repeats the previous x or y: vertical and horizontal segments
        const prev = pts[j - 1];
        let x = lattice((r() * reach - (reach - 1) / 2) * 130), y = lattice((r() * reach - (reach - 1) / 2) * 70);
        if (prev && j % 3 === 1) x = prev[0] + (k % 2 ? 0.004 : 0);
        if (prev && j % 3 === 2) y = prev[1];
        pts.push([x, y, zOf(k)]);
      }
      list.push({ kind: 'line', value: k % 4 === 0 ? 0.25 : 0, parts: [pts] });
    }
    const set = shapeSet(list);
    for (const dtype of ['uint8', 'int16', 'uint32', 'int32', 'float32'] as const) {
      for (const extra of [{ init: 1 }, { maxTileSize: 29 }]) {
        const { diff, r: res } = await burn(set, { width: 130, height: 70, dtype, allTouched: true, burnZ: true }, extra);
        expect(diff.length, `${dtype} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        expect(res.linesOnCpu, dtype).toBe(0);
        expect(res.touchSegments! > 100).toBe(true);
      }
    }
  });

  test('a window of rows of a taller grid gives the whole grid rows', async () => {
    const set = shapeSet(shapes(rng(SEED + 2), 120, 90, 90, 0.5, 0));
    const c: BurnCase = { width: 90, height: 90, dtype: 'uint8', allTouched: true };
    const whole = cpuBurn(set, c);
    const data = new Uint8Array(90 * 30);
    const r = await burnShapesWebGPU(set, { data, width: 90, height: 90, dtype: 'uint8' }, {
      allTouched: true, merge: 'replace', device: device!, window: { x: 0, y: 40, width: 90, height: 30 },
    } as never);
    expect(differences(data, whole.subarray(40 * 90, 70 * 90)).length).toBe(0);
    expect(r.touchSegments! > 0).toBe(true);
  });
});
