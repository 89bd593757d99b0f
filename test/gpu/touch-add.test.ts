import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, GpuResourcePool, type WebGPUBurnResult } from '../../src/gpu/engine.js';
import { ADD_TOUCH_BUFFERS_KEY, AddTouchBuffers } from '../../src/gpu/fill/touch-add-pass.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import type { NumberDType } from '../shared/pixels.js';
import { cpuBurn, differences, rng, shapeSet, startArray, testDevice, type BurnCase, type HandShape } from './helpers.js';

// GDAL's ALL_TOUCHED walks of merge 'add' on the GPU (shaders/touchadd.wgsl, pixel rules A6, D10)
// against the CPU engine's walker, whose avoid-the-previous-segment bookkeeping (A6) the GPU resolves
// as chains of links: spikes that walk back over the previous segment, zigzags inside one pixel
// (long chains), segments through pixel corners and centres and 1e-9 beside them, closing segments,
// multi-part shapes, overlapping shapes, every integer type (saturating and wrapping sums), tiles.
// Every pixel must be identical.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping GPU all-touched add tests: ${why}`);

const SEED = Number(process.env.GPU_TOUCH_ADD_SEED ?? (Date.now() % 1e9));

async function burn(shapes: ShapeSet, c: BurnCase, extra: { maxTileSize?: number; init?: number } = {}): Promise<{ diff: number[]; r: WebGPUBurnResult }> {
  const want = cpuBurn(shapes, extra.init === undefined ? c : { ...c, start: () => extra.init! });
  const data = startArray(c);
  const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: true, merge: 'add', device: device!, ...extra,
  });
  return { diff: differences(data, want), r };
}

const W = 61, H = 47;

// rings and lines whose consecutive segments share pixels in every way A6 distinguishes
function adversarial(r: () => number): HandShape[] {
  const list: HandShape[] = [];
  const v = () => 1 + Math.floor(r() * 4);
  // a spike: out and straight back along the same line (the whole segment is shared), then on
  list.push({ kind: 'line', value: v(), parts: [[[3.3, 4.1], [40.7, 20.2], [3.3, 4.1], [3.3, 30.5]]] });
  list.push({ kind: 'polygon', value: v(), parts: [[[10, 10], [50.5, 10.5], [10, 10], [10, 40], [30, 40], [10, 10]]] });
  // a zigzag inside one pixel, then out: a chain as long as the zigzag
  const zig: number[][] = [];
  for (let k = 0; k < 41; k++) zig.push([20.2 + (k % 2) * 0.5, 20.3 + (k % 3) * 0.2]);
  zig.push([45.5, 33.5]);
  list.push({ kind: 'line', value: v(), parts: [zig] });
  list.push({ kind: 'polygon', value: v(), parts: [[...zig, zig[0]]] });
  // back and forth along one row and one column (horizontal and vertical segments, A4)
  list.push({ kind: 'line', value: v(), parts: [[[2.5, 44.5], [58.5, 44.6], [5.5, 44.4], [55.5, 44.5], [55.5, 2.5], [55.6, 40.5], [55.4, 5.5]]] });
  // diagonal and anti-diagonal through pixel corners, reversed, and 1e-9 beside them
  for (const e of [0, 1e-9, -1e-9]) {
    list.push({ kind: 'line', value: v(), parts: [[[5 + e, 5], [25, 25 + e], [5, 5 - e], [25 + e, -15]]] });
    list.push({ kind: 'polygon', value: v(), parts: [[[30 + e, 30], [45, 15 + e], [60, 30], [45, 45 - e], [30 + e, 30]]] });
  }
  // vertices on pixel centres, a ring left open (its closing edge filled, not walked: A2), two parts
  list.push({ kind: 'polygon', value: v(), parts: [[[5.5, 30.5], [15.5, 35.5], [8.5, 44.5], [2.5, 38.5]], [[6.5, 33.5], [12.5, 36.5], [8.5, 40.5], [6.5, 33.5]]] });
  // a multi-part line crossing itself and leaving the grid (column W, rows above and below)
  list.push({ kind: 'line', value: v(), parts: [[[61, 3.5], [40, -10], [61, 20.5], [70, 60]], [[-5, 50], [30, -3], [30.5, 60]]] });
  return list;
}

// random shapes: short segments on a lattice (shared pixels at most vertices) plus overlaps
function random(r: () => number, n: number, step: number, off: number): HandShape[] {
  const q = (x: number) => Math.round(x / step) * step + off;
  const list: HandShape[] = [];
  for (let k = 0; k < n; k++) {
    const m = 3 + Math.floor(r() * 8);
    const cx = r() * W, cy = r() * H, s = 1 + r() * (k % 5 === 0 ? 60 : 6);
    const pts: number[][] = [];
    for (let j = 0; j < m; j++) pts.push([q(cx + (r() - 0.5) * s), q(cy + (r() - 0.5) * s)]);
    const value = 1 + (k % 5);
    if (k % 3 === 0) list.push({ kind: 'line', value, parts: [pts] });
    else list.push({ kind: 'polygon', value, parts: k % 3 === 1 ? [[...pts, pts[0]]] : [[...pts, pts[0]], [[q(cx), q(cy)], [q(cx + 2), q(cy)], [q(cx + 1), q(cy + 2)], [q(cx), q(cy)]]] });
  }
  return list;
}

const TYPES: NumberDType[] = ['uint8', 'uint16', 'int16', 'uint32', 'int32'];

describe.skipIf(!device)('GPU all-touched walks of merge add vs the CPU engine', () => {
  console.log(`GPU all-touched add seed ${SEED} (rerun with GPU_TOUCH_ADD_SEED=${SEED})`);

  test('adversarial chains (spikes, zigzags in one pixel, grid lines, corners, closing segments): every integer type, whole and tiled', async () => {
    const set = shapeSet(adversarial(rng(SEED)));
    for (const dtype of TYPES) {
      for (const extra of [{ init: 0 }, { maxTileSize: 19 }]) {
        const { diff, r } = await burn(set, { width: W, height: H, dtype, allTouched: true, merge: 'add' }, extra);
        expect(diff.length, `${dtype} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        expect(r.linesOnCpu, dtype).toBe(0);
        expect(r.touchSegments! > 100, dtype).toBe(true);
      }
    }
  });

  for (const [name, step, off] of [['pixel corners', 1, 0], ['pixel centres', 1, 0.5], ['1e-9 off corners', 1, 1e-9], ['real-world-like', 1e-7, 0.123456789]] as const) {
    test(`random overlapping shapes, vertices on ${name}`, async () => {
      const set = shapeSet(random(rng(SEED + off * 7 + step), 150, step, off));
      for (const dtype of ['uint8', 'int16', 'uint32'] as NumberDType[]) {
        const { diff, r } = await burn(set, { width: W, height: H, dtype, allTouched: true, merge: 'add' }, { maxTileSize: dtype === 'int16' ? 23 : undefined });
        expect(diff.length, `${dtype}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        expect(r.touchSegments! > 500).toBe(true);
      }
    });
  }

  test('burns through one pool reuse the walk buffers, larger or smaller than the burn needs and holding the last burn\'s data', async () => {
    const pool = new GpuResourcePool(device!);
    try {
      const big = shapeSet(random(rng(SEED + 11), 300, 1, 0.5));
      const small = shapeSet(adversarial(rng(SEED + 12)));
      let kept: AddTouchBuffers | null = null;
      for (const [set, dtype] of [[big, 'uint16'], [small, 'uint8'], [big, 'int32'], [small, 'int16']] as const) {
        const c: BurnCase = { width: W, height: H, dtype, allTouched: true, merge: 'add' };
        const want = cpuBurn(set, c);
        const data = startArray(c);
        await burnShapesWebGPU(set, { data, width: W, height: H, dtype }, { allTouched: true, merge: 'add', device: device!, pool });
        const diff = differences(data, want);
        expect(diff.length, `${dtype}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
        // the set went back to the pool: the same one every time (made once, grown in place)
        const set2 = pool.take(ADD_TOUCH_BUFFERS_KEY);
        expect(set2).toBeInstanceOf(AddTouchBuffers);
        if (kept) expect(set2).toBe(kept);
        kept = set2 as AddTouchBuffers;
        pool.give(kept);
      }
    } finally {
      pool.destroy();
    }
  });

  test('saturation and negative burns: Byte 200 + 200, Int16 and UInt16 past their limits, starting from the target', async () => {
    const r = rng(SEED + 5);
    const list = adversarial(r).map((s, k) => ({ ...s, value: k % 2 ? 200 : 90 }));
    const neg = adversarial(r).map((s) => ({ ...s, value: -9000 }));
    for (const [dtype, shapes] of [['uint8', list], ['uint16', neg], ['int16', neg], ['int32', neg]] as const) {
      const set = shapeSet(shapes);
      const c: BurnCase = { width: W, height: H, dtype, allTouched: true, merge: 'add', start: (k) => (k % 7) * 3 };
      const want = cpuBurn(set, c);
      const data = startArray(c);
      await burnShapesWebGPU(set, { data, width: W, height: H, dtype }, { allTouched: true, merge: 'add', device: device! });
      const diff = differences(data, want);
      expect(diff.length, `${dtype}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
    }
  });
});
