import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, type WebGPUBurnResult } from '../../src/gpu/engine.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import { cpuBurn, differences, rng, shapeSet, startArray, testDevice, type BurnCase, type HandShape } from './helpers.js';

// GDAL's Bresenham lines walked on the GPU (shaders/lines.wgsl, pixel rule D6) against the CPU
// engine: vertices on pixel corners and centres, 1e-9 either side of them, lines far off the grid
// that cross it, lines longer than one run, lines crossing themselves (repeated 'add' visits),
// tiles, and lines between polygons in burn order. Every pixel must be identical.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping GPU line tests: ${why}`);

const SEED = Number(process.env.GPU_LINES_SEED ?? (Date.now() % 1e9));

async function burn(shapes: ShapeSet, c: BurnCase, extra: { maxTileSize?: number; init?: number } = {}): Promise<{ diff: number[]; r: WebGPUBurnResult }> {
  const want = cpuBurn(shapes, extra.init === undefined ? c : { ...c, start: () => extra.init! });
  const data = startArray(c);
  const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: c.allTouched ?? false, merge: c.merge ?? 'replace', burnZ: c.burnZ ?? false, device: device!, ...extra,
  });
  return { diff: differences(data, want), r };
}

// lines whose vertices sit on a lattice of `step` px offset by `off`, some reaching far off the grid
function lines(r: () => number, n: number, w: number, h: number, step: number, off: number): HandShape[] {
  const q = (v: number) => Math.round(v / step) * step + off;
  const out: HandShape[] = [];
  for (let k = 0; k < n; k++) {
    const m = 2 + Math.floor(r() * 5);
    const reach = k % 7 === 0 ? 40 : 1.2;
    const pts: number[][] = [];
    for (let j = 0; j < m; j++) pts.push([q((r() * reach - (reach - 1) / 2) * w), q((r() * reach - (reach - 1) / 2) * h)]);
    // every fifth line closes on itself (its start pixel visited twice)
    if (k % 5 === 0) pts.push(pts[0]);
    out.push({ kind: 'line', value: 1 + (k % 9), parts: [pts] });
  }
  return out;
}

const CASES: Array<[string, (r: () => number) => HandShape[]]> = [
  ['vertices on pixel corners', (r) => lines(r, 150, 130, 70, 1, 0)],
  ['vertices on pixel centres', (r) => lines(r, 150, 130, 70, 1, 0.5)],
  ['1e-9 below pixel corners', (r) => lines(r, 150, 130, 70, 1, -1e-9)],
  ['1e-9 above pixel corners', (r) => lines(r, 150, 130, 70, 1, 1e-9)],
  ['real-world-like vertices', (r) => lines(r, 150, 130, 70, 1e-7, 0.123456789)],
];

describe.skipIf(!device)('GPU line walk vs the CPU engine', () => {
  console.log(`GPU line seed ${SEED} (rerun with GPU_LINES_SEED=${SEED})`);

  for (const [name, make] of CASES) {
    test(`${name}: identical, replace and add, whole and tiled`, async () => {
      const shapes = shapeSet(make(rng(SEED + name.length)));
      let runs = 0;
      for (const c of [
        { width: 130, height: 70, dtype: 'uint8' },
        { width: 130, height: 70, dtype: 'int16', merge: 'add' },
        { width: 130, height: 70, dtype: 'uint32', merge: 'add' },
        { width: 130, height: 70, dtype: 'float32' },
      ] as BurnCase[]) {
        for (const extra of [{ init: 3 }, { maxTileSize: 48 }]) {
          const { diff, r } = await burn(shapes, c, extra);
          expect(diff.length, `${c.dtype} ${c.merge ?? 'replace'} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
          expect(r.linesOnGpu).toBe(shapes.count);
          expect(r.linesOnCpu).toBe(0);
          runs++;
        }
      }
      expect(runs).toBe(8);
    });
  }

  test('long lines cut into many runs, huge and wrapping coordinates, lines among polygons', async () => {
    const r = rng(SEED + 1);
    const list: HandShape[] = [
      // thousands of pixels long, crossing the grid at shallow and steep slopes
      { kind: 'line', value: 5, parts: [[[-3000.25, -10.5], [3300.75, 80.5]]] },
      { kind: 'line', value: 6, parts: [[[20.5, -5000], [31.5, 5070]]] },
      // ends near 2^31 (GDAL's int conversions clamp or wrap: the walk is then the CPU's)
      { kind: 'line', value: 7, parts: [[[10, 10], [2 ** 31 + 5, 40]]] },
      { kind: 'line', value: 8, parts: [[[-1e15, 30], [60, 30.5]]] },
      { kind: 'line', value: 9, parts: [[[1e300, 1], [5, 5]]] },
    ];
    for (let k = 0; k < 60; k++) {
      const cx = r() * 130, cy = r() * 70, s = 2 + r() * 30;
      if (k % 2) list.push({ kind: 'polygon', value: 100 + k, parts: [[[cx, cy], [cx + s, cy + 0.5], [cx + s / 2, cy + s], [cx, cy]]] });
      else list.push({ kind: 'line', value: 200 + k, parts: [[[cx, cy], [cx + s, cy + s / 3], [cx - s, cy + s / 2]], [[cx, cy + 1], [cx + 1, cy - s]]] });
    }
    const shapes = shapeSet(list);
    for (const c of [
      { width: 130, height: 70, dtype: 'uint16' },
      { width: 130, height: 70, dtype: 'uint16', merge: 'add' },
      { width: 130, height: 70, dtype: 'int32', burnZ: true },
    ] as BurnCase[]) {
      for (const extra of [{ init: 0 }, { maxTileSize: 33 }]) {
        const { diff, r: res } = await burn(shapes, c, extra);
        expect(diff.length, `${c.dtype} ${c.merge ?? 'replace'} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        // shapes without Z are lines on the GPU: all but those whose walk overflows C ints
        expect(res.linesOnGpu! + res.linesOnCpu!).toBe(35);
        expect(res.linesOnGpu! > 30).toBe(true);
      }
    }
  });
});

// GDAL's lines burning Z (pixel rules V7, D8; shaders/zline.wgsl): each pixel's value is Z accumulated
// by float64 addition from the segment's first vertex, plus the burn value, converted to the output
// type on the GPU. Values chosen to hit V3's ties and clamps and V4's infinities and subnormals.
describe.skipIf(!device)('GPU lines with Z vs the CPU engine', () => {
  const zs: Array<[string, (r: () => number) => number]> = [
    ['halves (ties of V3)', (r) => Math.round(r() * 40 - 20) + 0.5],
    ['fractions', (r) => r() * 600 - 300],
    ['clamped and huge', (r) => (r() - 0.5) * 2 ** (r() * 140)],
    ['float32 edges', (r) => [3.4028235e38, -3.5e38, 1e-40, -1e-44, 2 ** -149 * 1.5, 1e-300, 0, 7.000000476837158][Math.floor(r() * 8)]],
  ];
  for (const [name, z] of zs) {
    test(`${name}: identical, whole and tiled`, async () => {
      const r = rng(SEED + 7 + name.length);
      const list: HandShape[] = [];
      for (let k = 0; k < 80; k++) {
        const m = 2 + Math.floor(r() * 4);
        const reach = k % 9 === 0 ? 30 : 1.2;
        const pts: number[][] = [];
        const lattice = k % 3 === 0 ? (v: number) => Math.round(v) + 0.5 : k % 3 === 1 ? (v: number) => Math.round(v) : (v: number) => v;
        for (let j = 0; j < m; j++) pts.push([lattice((r() * reach - (reach - 1) / 2) * 130), lattice((r() * reach - (reach - 1) / 2) * 70), z(r)]);
        if (k % 5 === 0) pts.push(pts[0]);
        list.push({ kind: 'line', value: k % 4 === 0 ? 0.25 * (k % 3) : 0, parts: [pts] });
        if (k % 10 === 0) list.push({ kind: 'polygon', value: 3, parts: [[[pts[0][0], pts[0][1], 2], [pts[0][0] + 9, pts[0][1] + 1, 2], [pts[0][0] + 3, pts[0][1] + 8, 2], [pts[0][0], pts[0][1], 2]]] });
      }
      const shapes = shapeSet(list);
      const lines = list.filter((s) => s.kind === 'line').length;
      for (const dtype of ['uint8', 'int16', 'uint32', 'int32', 'float32', 'float64'] as const) {
        for (const extra of [{ init: 1 }, { maxTileSize: 41 }]) {
          const c: BurnCase = { width: 130, height: 70, dtype, burnZ: true };
          let res: { diff: number[]; r: WebGPUBurnResult };
          try {
            res = await burn(shapes, c, extra);
          } catch (e) {
            // float64 values float32 cannot hold are refused before anything is burned
            expect(dtype).toBe('float64');
            expect(String(e)).toMatch(/float32/);
            continue;
          }
          expect(res.diff.length, `${dtype} ${JSON.stringify(extra)}: pixels ${res.diff.slice(0, 8).join(', ')}`).toBe(0);
          // Z stays on the host only for float64 outputs
          if (dtype !== 'float64' && name !== 'float32 edges') expect(res.r.linesOnGpu, dtype).toBe(lines);
        }
      }
    });
  }
});
