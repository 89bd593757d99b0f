// burnShapesWebGPU with `window`: a window of a larger grid, burned from shapes in the whole grid's
// pixel space, equals that window of the CPU engine's whole-grid burn, for windows on and off the
// GPU's own tile seams, merge 'replace' and 'add', all-touched, with init and from target data.
// Seeded shapes: the seed is printed.
import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, GpuUnsupportedError } from '../../src/gpu/engine.js';
import type { NumberArray as TypedArray } from '../../src/types.js';
import { makeNumbers, type NumberDType } from '../shared/pixels.js';
import { cpuBurn, rng, shapeSet, testDevice, type HandShape } from './helpers.js';

const { device, why } = await testDevice();
if (!device) console.warn(`skipping WebGPU window tests: ${why}`);

const W = 300, H = 220;

function scene(seed: number): HandShape[] {
  const r = rng(seed);
  const out: HandShape[] = [];
  for (let k = 0; k < 60; k++) {
    const cx = r() * (W + 40) - 20, cy = r() * (H + 40) - 20, s = 2 + r() * 40, n = 3 + Math.floor(r() * 9);
    const ring = Array.from({ length: n }, (_, i) => [cx + s * Math.cos((2 * Math.PI * i) / n) * (0.4 + r()), cy + s * Math.sin((2 * Math.PI * i) / n) * (0.4 + r())]);
    ring.push(ring[0]);
    out.push({ kind: 'polygon', value: 1 + (k % 200), parts: [ring] });
  }
  // a polygon over the whole grid, lines across it, points
  out.push({ kind: 'polygon', value: 201, parts: [[[-5.5, -3.2], [W + 7.1, 2.4], [W - 3.3, H + 4.6], [4.4, H - 2.2], [-5.5, -3.2]], [[50.2, 50.7], [120.4, 60.1], [90.9, 130.3], [50.2, 50.7]]] });
  for (let k = 0; k < 10; k++) out.push({ kind: 'line', value: 210 + k, parts: [[[r() * W, r() * H], [r() * W, r() * H], [r() * W, r() * H]]] });
  out.push({ kind: 'point', value: 230, parts: [Array.from({ length: 40 }, () => [r() * W, r() * H])] });
  return out;
}

function crop(data: TypedArray, x: number, y: number, w: number, h: number): TypedArray {
  const out = new (data.constructor as new (n: number) => TypedArray)(w * h);
  for (let r = 0; r < h; r++) out.set(data.subarray((y + r) * W + x, (y + r) * W + x + w), r * w);
  return out;
}

function diffs(a: TypedArray, b: TypedArray): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) n++;
  return n;
}

const WINDOWS: Array<[number, number, number, number]> = [[0, 0, W, H], [0, 0, 128, 96], [128, 96, 128, 96], [256, 192, 44, 28], [37, 11, 101, 177], [299, 0, 1, 220], [0, 219, 300, 1]];

describe.skipIf(!device)('WebGPU burn of a window of a larger grid (Dawn)', () => {
  const seed = 20261207;
  console.log(`window test seed: ${seed}`);
  const shapes = shapeSet(scene(seed));
  const cases: Array<{ dtype: NumberDType; merge: 'replace' | 'add'; allTouched: boolean; init: number }> = [
    { dtype: 'uint8', merge: 'replace', allTouched: false, init: 0 },
    { dtype: 'int16', merge: 'replace', allTouched: true, init: -7 },
    { dtype: 'uint16', merge: 'add', allTouched: false, init: 3 },
    { dtype: 'float32', merge: 'replace', allTouched: false, init: 0.5 },
  ];
  for (const c of cases) {
    test(`${c.dtype} merge ${c.merge}${c.allTouched ? ' all-touched' : ''}: every window equals the whole-grid CPU burn's, small GPU tiles too`, async () => {
      const want = cpuBurn(shapes, { width: W, height: H, dtype: c.dtype, allTouched: c.allTouched, merge: c.merge, start: () => c.init });
      for (const [x, y, w, h] of WINDOWS) {
        for (const maxTileSize of [undefined, 64]) {
          const data = makeNumbers(c.dtype, w * h);
          const r = await burnShapesWebGPU(shapes, { data, width: W, height: H, dtype: c.dtype }, {
            allTouched: c.allTouched, merge: c.merge, init: c.init, window: { x, y, width: w, height: h }, device: device!, maxTileSize,
          });
          expect(diffs(data, crop(want, x, y, w, h)), `window ${x},${y} ${w}x${h} maxTileSize ${maxTileSize}`).toBe(0);
          if (maxTileSize) expect(r.tiles).toBe(Math.ceil(w / 64) * Math.ceil(h / 64));
        }
      }
    }, 120_000);
  }

  test('without init the window starts from target.data (a second pass adds to the first)', async () => {
    const want = cpuBurn(shapes, { width: W, height: H, dtype: 'uint16', merge: 'add', start: () => 2 });
    const twice = new Uint16Array(want);
    const cpu2 = cpuBurn(shapes, { width: W, height: H, dtype: 'uint16', merge: 'add', start: (k) => twice[k] });
    const [x, y, w, h] = [37, 11, 101, 177];
    const data = new Uint16Array(w * h);
    const opts = { merge: 'add' as const, window: { x, y, width: w, height: h }, device: device!, maxTileSize: 64 };
    await burnShapesWebGPU(shapes, { data, width: W, height: H, dtype: 'uint16' }, { ...opts, init: 2 });
    await burnShapesWebGPU(shapes, { data, width: W, height: H, dtype: 'uint16' }, opts);
    expect(diffs(data, crop(cpu2, x, y, w, h))).toBe(0);
    const replace = cpuBurn(shapes, { width: W, height: H, dtype: 'uint8', start: (k) => k % 7 });
    const start = crop(new Uint8Array(W * H).map((_, k) => k % 7), x, y, w, h) as Uint8Array;
    await burnShapesWebGPU(shapes, { data: start, width: W, height: H, dtype: 'uint8' }, { window: opts.window, device: device!, maxTileSize: 64 });
    expect(diffs(start, crop(replace, x, y, w, h))).toBe(0);
  }, 120_000);

  test('a window outside the grid or of the wrong size is refused; a burn off the exact fill is GpuUnsupportedError', async () => {
    const t = (data: TypedArray) => ({ data, width: W, height: H, dtype: 'uint8' as const });
    await expect(burnShapesWebGPU(shapes, t(new Uint8Array(100)), { window: { x: 290, y: 0, width: 20, height: 5 }, device: device! })).rejects.toThrow(/is not inside the 300 x 220 grid/);
    await expect(burnShapesWebGPU(shapes, t(new Uint8Array(99)), { window: { x: 0, y: 0, width: 20, height: 5 }, device: device! })).rejects.toThrow(/expected the window's 20 x 5 = 100/);
    await expect(burnShapesWebGPU(shapes, t(new Uint8Array(100)), { window: { x: 0, y: 0, width: 20, height: 5 }, gpuFill: 'triangles', device: device! })).rejects.toBeInstanceOf(GpuUnsupportedError);
  });
});
