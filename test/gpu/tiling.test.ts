import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, type WebGPUBurnOptions } from '../../src/gpu/engine.js';
import { describeAdapter } from '../../src/gpu/device.js';
import { cpuBurn, differences, edgeDistances, rng, shapeSet, startArray, testDevice, tieTolerance, type BurnCase, type HandShape } from './helpers.js';

const { device, why } = await testDevice();
if (!device) console.warn(`skipping WebGPU tiling tests: ${why}`);
const tie = device ? tieTolerance((await describeAdapter(device)).software) : 0;

async function compare(shapes: ReturnType<typeof shapeSet>, c: BurnCase, extra: Partial<WebGPUBurnOptions>, known?: ReturnType<typeof cpuBurn>) {
  const want = known ?? cpuBurn(shapes, c);
  const data = startArray(c);
  const result = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: c.allTouched ?? false, merge: c.merge ?? 'replace', burnZ: false, device: device!, ...extra,
  });
  return { want, data, result, diff: differences(data, want) };
}

// shapes that straddle tile seams at multiples of `seam` in both directions
function seamShapes(w: number, h: number, seam: number, r: () => number): HandShape[] {
  const out: HandShape[] = [];
  out.push({ kind: 'polygon', value: 1, parts: [
    [[2.3, 1.7], [w - 3.1, 4.2], [w - 1.6, h - 2.8], [5.5, h - 1.2], [2.3, 1.7]],
    [[seam - 40.3, seam - 30.2], [seam + 50.7, seam - 35.1], [seam + 45.2, seam + 60.9], [seam - 33.3, seam + 41.4], [seam - 40.3, seam - 30.2]],
  ] });
  for (let k = 0; k < 12; k++) {
    const cx = seam * (1 + Math.floor(r() * Math.max(1, Math.floor(w / seam) - 1))) + (r() - 0.5) * 20;
    const cy = seam * (1 + Math.floor(r() * Math.max(1, Math.floor(h / seam) - 1))) + (r() - 0.5) * 20;
    const s = 3 + r() * 30;
    out.push({ kind: 'polygon', value: 2 + k, parts: [[[cx - s, cy - s * 0.7], [cx + s * 1.1, cy - s], [cx + s * 0.8, cy + s], [cx - s * 0.9, cy + s * 0.6], [cx - s, cy - s * 0.7]]] });
  }
  out.push({ kind: 'line', value: 20, parts: [[[0.5, seam - 0.5], [w - 0.5, seam + 0.5]], [[seam + 0.25, 0.1], [seam - 0.75, h - 0.1]]] });
  out.push({ kind: 'point', value: 21, parts: [[[seam - 0.5, seam - 0.5], [seam + 0.5, seam + 0.5], [seam, seam], [w - 0.5, h - 0.5]]] });
  return out;
}

describe.skipIf(!device)('tiling and large draws (Dawn)', () => {
  test('indexed-draw regression: 150,000 instances (900,000 vertices) into one 8192 x 8192 tile', async () => {
    // Dawn on SwiftShader aborted the process on very large non-indexed draws; spans are drawn
    // indexed and instanced, and this one draw must come back identical to the CPU engine
    const seed = 8192;
    const r = rng(seed);
    const shapes: HandShape[] = [];
    for (let k = 0; k < 150_000; k++) shapes.push({ kind: 'point', value: 1 + (k % 250), parts: [[[r() * 8192, r() * 8192]]] });
    const { diff, result } = await compare(shapeSet(shapes), { width: 8192, height: 8192, dtype: 'uint8' }, {});
    expect(result.tiles).toBe(1);
    expect(result.rects).toBe(150_000);
    expect(diff.length).toBe(0);
  }, 120_000);

  test('a grid larger than 8192 in both directions (8200 x 8300 uint8) equals the CPU engine', async () => {
    const seed = 8300;
    console.log(`seed ${seed}`);
    const shapes = shapeSet(seamShapes(8200, 8300, 8192, rng(seed)));
    const spans = await compare(shapes, { width: 8200, height: 8300, dtype: 'uint8' }, {});
    // the exact fill keeps a u32 owner id a pixel in a storage buffer: its tiles obey that binding's limit
    expect(spans.result.tileWidth * spans.result.tileHeight * 4).toBeLessThanOrEqual(device!.limits.maxStorageBufferBindingSize);
    expect(spans.result.crossings).toBeGreaterThan(0);
    expect(spans.diff.length).toBe(0);
    const add = await compare(shapes, { width: 8200, height: 8300, dtype: 'uint8', merge: 'add', allTouched: true }, {});
    expect(add.diff.length).toBe(0);
    const tri = await compare(shapes, { width: 8200, height: 8300, dtype: 'uint8' }, { gpuFill: 'triangles' }, spans.want);
    expect(tri.result.polygonsTriangulated).toBeGreaterThan(0);
    const dist = edgeDistances(shapes, 8200, tri.diff);
    const far = dist.filter((d) => d > tie);
    console.log(`8200 x 8300 triangles: ${tri.diff.length} tie pixels of ${8200 * 8300}, farthest ${Math.max(0, ...dist).toFixed(4)} px from an edge (allowed ${tie.toFixed(4)})`);
    expect(far).toEqual([]);
  }, 300_000);

  test('forced small tiles: every mode and fill matches the CPU engine across seams', async () => {
    const seed = 20240;
    console.log(`seed ${seed}`);
    const shapes = shapeSet(seamShapes(300, 200, 64, rng(seed)));
    for (const c of [
      { width: 300, height: 200, dtype: 'uint16' },
      { width: 300, height: 200, dtype: 'int16', allTouched: true, start: (k: number) => -k },
      { width: 300, height: 200, dtype: 'float64', start: (k: number) => k / 4 },
      { width: 300, height: 200, dtype: 'uint8', merge: 'add', allTouched: true },
      { width: 300, height: 200, dtype: 'int32', merge: 'add', start: (k: number) => k },
      { width: 300, height: 200, dtype: 'float32', merge: 'add', start: (k: number) => k / 16 },
    ] as BurnCase[]) {
      for (const extra of [{ maxTileSize: 64 }, { maxTileSize: 100, memoryBudget: 40_000 }, { maxTileSize: 37 }]) {
        if (c.merge === 'add' && c.dtype === 'float32' && !device!.features.has('float32-blendable')) continue;
        const spans = await compare(shapes, c, extra);
        expect(spans.result.tiles, JSON.stringify(extra)).toBeGreaterThan(1);
        expect(spans.diff.length, `${c.dtype} ${c.merge ?? 'replace'} ${JSON.stringify(extra)}`).toBe(0);
      }
    }
    const tri = await compare(shapes, { width: 300, height: 200, dtype: 'uint16' }, { gpuFill: 'triangles', maxTileSize: 64 });
    expect(edgeDistances(shapes, 300, tri.diff).filter((d) => d > tie)).toEqual([]);
  }, 120_000);
});
