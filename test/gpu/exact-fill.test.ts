import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU, GpuResourcePool, type WebGPUBurnOptions, type WebGPUBurnResult } from '../../src/gpu/engine.js';
import type { TypedArray } from '../../src/types.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import { cpuBurn, differences, rng, shapeSet, startArray, testDevice, type BurnCase, type HandShape } from './helpers.js';

// The exact GPU fill (GDAL's crossings computed on the GPU, float32 with a certificate, emulated
// float64 where it cannot decide) against the CPU engine on the inputs that make rounding matter:
// vertices on pixel centres and pixel edges, 1e-9 and one-ulp offsets from them, huge and tiny
// coordinates, horizontal edges on row centres, overlapping shapes. Every pixel must be identical.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping exact GPU fill tests: ${why}`);

const SEED = Number(process.env.GPU_EXACT_SEED ?? (Date.now() % 1e9));

async function burn(shapes: ShapeSet, c: BurnCase, extra: Partial<WebGPUBurnOptions> = {}): Promise<{ diff: number[]; r: WebGPUBurnResult }> {
  // with `init` the GPU starts from that value instead of the array's contents
  const init = extra.init;
  const want = cpuBurn(shapes, init === undefined ? c : { ...c, start: () => init });
  const data = startArray(c);
  const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: c.allTouched ?? false, merge: c.merge ?? 'replace', burnZ: c.burnZ ?? false, device: device!, ...extra,
  });
  return { diff: differences(data, want), r };
}

const ring = (pts: number[][]) => [...pts, pts[0]];

// polygons whose vertices sit on a lattice of `step` px, offset by `off` (ties everywhere)
function latticeShapes(r: () => number, n: number, w: number, h: number, step: number, off: number): HandShape[] {
  const out: HandShape[] = [];
  const q = (v: number) => Math.round(v / step) * step + off;
  for (let k = 0; k < n; k++) {
    const cx = r() * w, cy = r() * h, R = 1 + r() * 12;
    const m = 3 + Math.floor(r() * 6);
    const pts: number[][] = [];
    for (let j = 0; j < m; j++) {
      const a = (j / m) * 2 * Math.PI + r() * 0.3;
      pts.push([q(cx + R * Math.cos(a)), q(cy + R * Math.sin(a))]);
    }
    const parts = [ring(pts)];
    // a rectangular hole on the lattice in every third shape
    if (k % 3 === 0) parts.push(ring([[q(cx - 1), q(cy - 1)], [q(cx - 1), q(cy + 1)], [q(cx + 1), q(cy + 1)], [q(cx + 1), q(cy - 1)]]));
    out.push({ kind: 'polygon', value: 1 + (k % 200), parts });
  }
  return out;
}

const CASES: Array<[string, (r: () => number) => HandShape[]]> = [
  ['vertices on pixel centres', (r) => latticeShapes(r, 300, 120, 90, 1, 0.5)],
  ['vertices on pixel edges', (r) => latticeShapes(r, 300, 120, 90, 1, 0)],
  ['vertices on half pixels', (r) => latticeShapes(r, 300, 120, 90, 0.5, 0)],
  ['1e-9 off pixel centres', (r) => latticeShapes(r, 300, 120, 90, 1, 0.5 + 1e-9)],
  ['1e-9 below pixel edges', (r) => latticeShapes(r, 300, 120, 90, 1, -1e-9)],
  ['one ulp above pixel centres', (r) => latticeShapes(r, 300, 120, 90, 1, 0.5 + 2 ** -52)],
  ['random real-world-like rings', (r) => latticeShapes(r, 300, 120, 90, 1e-7, 0.123456789)],
];

describe.skipIf(!device)('exact GPU fill vs the CPU engine', () => {
  console.log(`exact fill seed ${SEED} (rerun with GPU_EXACT_SEED=${SEED})`);

  for (const [name, make] of CASES) {
    test(`${name}: identical in every mode and type`, async () => {
      const shapes = shapeSet(make(rng(SEED)));
      let crossings = 0, fallbacks = 0;
      for (const c of [
        { width: 120, height: 90, dtype: 'uint16' },
        { width: 120, height: 90, dtype: 'uint8', allTouched: true },
        { width: 120, height: 90, dtype: 'int16', start: (k: number) => -(k % 7) },
        { width: 120, height: 90, dtype: 'float32', start: (k: number) => k / 8 },
        { width: 120, height: 90, dtype: 'float64' },
        { width: 120, height: 90, dtype: 'int32', allTouched: true, start: (k: number) => k },
        { width: 120, height: 90, dtype: 'uint8', merge: 'add', allTouched: true },
        { width: 120, height: 90, dtype: 'int16', merge: 'add', start: (k: number) => -(k % 50) },
        { width: 120, height: 90, dtype: 'uint32', merge: 'add', start: (k: number) => 4294967000 + (k % 300) },
      ] as BurnCase[]) {
        for (const extra of [{}, { maxTileSize: 37 }, { init: 3 }]) {
          const { diff, r } = await burn(shapes, c, extra);
          expect(diff.length, `${c.dtype} ${c.merge ?? 'replace'}${c.allTouched ? ' all-touched' : ''} ${JSON.stringify(extra)}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
          crossings += r.crossings;
          fallbacks += r.exactFallbacks;
        }
      }
      expect(crossings).toBeGreaterThan(0);
      console.log(`${name}: ${crossings} crossings on the GPU, ${fallbacks} (${((100 * fallbacks) / crossings).toFixed(2)}%) took the exact float64 path`);
    }, 120_000);
  }

  test('ties do take the exact path, and real-world-like data rarely does', async () => {
    const c: BurnCase = { width: 120, height: 90, dtype: 'uint16' };
    const tied = await burn(shapeSet(latticeShapes(rng(SEED), 300, 120, 90, 1, 0)), c);
    expect(tied.r.exactFallbacks).toBeGreaterThan(tied.r.crossings / 50);
    const real = await burn(shapeSet(latticeShapes(rng(SEED + 1), 300, 120, 90, 1e-7, 0.123456789)), c);
    expect(real.diff.length).toBe(0);
    expect(real.r.exactFallbacks).toBeLessThan(real.r.crossings / 100);
  });

  test('far, tiny and non-finite coordinates: exact, through the CPU rules where outside the GPU domain', async () => {
    const list: HandShape[] = [
      // in the domain, far from the grid (the other shapes: 5 outside the domain, 3 inside): crossings far left clamp into the first column
      { kind: 'polygon', value: 1, parts: [ring([[-(2 ** 28), 10.5], [60.5, 3.5], [70.25, 40.5], [-(2 ** 28) + 0.5, 50.5]])] },
      // beyond 2^29: the CPU rules (GDAL's int conversion wraps here)
      { kind: 'polygon', value: 2, parts: [ring([[20.5, 20.5], [3e9, 22.5], [40.5, 60.5]])] },
      { kind: 'polygon', value: 3, parts: [ring([[1e15, 1e15], [1e15 + 5, 1e15], [1e15, 1e15 + 5]])] },
      // tiny non-zero coordinates (subnormal-prone differences)
      { kind: 'polygon', value: 4, parts: [ring([[1e-300, 5e-310], [30.5, 1e-300], [30.5, 20.5], [2e-300, 20.5]])] },
      // NaN and infinity vertices
      { kind: 'polygon', value: 5, parts: [ring([[50.5, 50.5], [NaN, 60.5], [80.5, 70.5]])] },
      { kind: 'polygon', value: 6, parts: [ring([[10.5, 70.5], [Infinity, 75.5], [30.5, 85.5]])] },
      // a near-horizontal edge: a huge slope the float32 bound cannot certify
      { kind: 'polygon', value: 7, parts: [ring([[5, 30.5], [115, 30.5 + 1e-12], [100, 45.5], [10, 44.5]])] },
      // horizontal edges exactly on row centres, both directions, over a hole
      { kind: 'polygon', value: 8, parts: [ring([[60.5, 60.5], [100.5, 60.5], [100.5, 80.5], [60.5, 80.5]]), ring([[70.5, 65.5], [90.5, 65.5], [90.5, 75.5], [70.5, 75.5]])] },
    ];
    const shapes = shapeSet(list);
    for (const c of [
      { width: 120, height: 90, dtype: 'uint16' },
      { width: 120, height: 90, dtype: 'uint16', allTouched: true },
    ] as BurnCase[]) {
      const { diff, r } = await burn(shapes, c);
      expect(diff.length, `${c.allTouched ? 'all-touched' : 'plain'}: pixels ${diff.slice(0, 8).join(', ')}`).toBe(0);
      expect(r.polygonsAsSpans).toBe(5);
      expect(r.exactFallbacks).toBeGreaterThan(0);
    }
  });

  test('later shapes win, lines and points between polygons keep their order, Z values per burn', async () => {
    const r = rng(SEED + 2);
    const list: HandShape[] = [];
    for (let k = 0; k < 200; k++) {
      const cx = r() * 100, cy = r() * 80, s = 2 + r() * 20;
      if (k % 5 === 3) list.push({ kind: 'line', value: 1000 + k, parts: [[[cx, cy, k], [cx + s, cy + s / 2, k + 7], [cx - s, cy + s, k + 3]]] });
      else if (k % 5 === 4) list.push({ kind: 'point', value: 2000 + k, parts: [[[cx, cy, k]]] });
      else list.push({ kind: 'polygon', value: 3000 + k, parts: [ring([[cx, cy, k], [cx + s, cy + 0.3, k + 1], [cx + s * 0.7, cy + s, k + 2], [cx - 0.4, cy + s * 0.8, k]])] });
    }
    const shapes = shapeSet(list);
    for (const c of [
      { width: 120, height: 90, dtype: 'uint16' },
      { width: 120, height: 90, dtype: 'float32', burnZ: true },
      { width: 120, height: 90, dtype: 'int32', burnZ: true, allTouched: true },
    ] as BurnCase[]) {
      const { diff } = await burn(shapes, c);
      expect(diff.length, `${c.dtype}${c.burnZ ? ' Z' : ''}${c.allTouched ? ' all-touched' : ''}`).toBe(0);
    }
  });

  test('a one-tile result comes back as a view of the readback, and stays intact after later burns', async () => {
    const shapes = shapeSet(latticeShapes(rng(SEED + 3), 200, 120, 90, 0.25, 0.5));
    const pool = new GpuResourcePool(device!, 2 ** 28);
    try {
      const views: Array<{ data: TypedArray; want: TypedArray }> = [];
      for (const dtype of ['uint8', 'int16', 'float32', 'float64', 'uint8'] as const) {
        const c: BurnCase = { width: 120, height: 90, dtype };
        const data = startArray(c);
        const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype }, { device: device!, init: 7, pool, viewResult: true });
        const want = cpuBurn(shapes, { ...c, start: () => 7 });
        // float64 travels as float32: no view of it can be the result
        expect(r.data === undefined, dtype).toBe(dtype === 'float64');
        const got = r.data ?? data;
        if (r.data) expect(differences(data, startArray(c)).length, `${dtype}: target untouched`).toBe(0);
        expect(differences(got, want).length, dtype).toBe(0);
        views.push({ data: got, want });
      }
      // the pool hands each view's buffer over for good: later burns must not write into it
      for (const v of views) expect(differences(v.data, v.want).length).toBe(0);
      // tiled, or without viewResult: written into target.data as before
      const c: BurnCase = { width: 120, height: 90, dtype: 'uint16' };
      for (const extra of [{ viewResult: true, maxTileSize: 50 }, {}]) {
        const data = startArray(c);
        const r = await burnShapesWebGPU(shapes, { data, width: 120, height: 90, dtype: 'uint16' }, { device: device!, init: 7, pool, ...extra });
        expect(r.data).toBeUndefined();
        expect(differences(data, cpuBurn(shapes, { ...c, start: () => 7 })).length).toBe(0);
      }
    } finally {
      pool.destroy();
    }
  });

  test('release() ends a view and gives its readback back to the pool: the next burn makes none', async () => {
    const shapes = shapeSet(latticeShapes(rng(SEED + 4), 150, 120, 90, 0.25, 0.5));
    const c: BurnCase = { width: 120, height: 90, dtype: 'uint16' };
    const want = cpuBurn(shapes, { ...c, start: () => 7 });
    const pool = new GpuResourcePool(device!, 2 ** 28);
    const dev = device!;
    const create = dev.createBuffer;
    let readbacks = 0;
    dev.createBuffer = function (d: GPUBufferDescriptor) {
      if (d.label?.startsWith('tile readback')) readbacks++;
      return create.call(dev, d);
    };
    try {
      // each burn: [whether the previous view was released first, readbacks the burn made]
      const made: Array<[boolean, number]> = [];
      let last: WebGPUBurnResult | null = null;
      for (const release of [false, false, true, true]) {
        if (release) { last!.release!(); last!.release!(); }
        const before = readbacks;
        const data = startArray(c);
        const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, { device: dev, init: 7, pool, viewResult: true });
        expect(r.data).toBeDefined();
        expect(differences(r.data!, want).length).toBe(0);
        made.push([release, readbacks - before]);
        last = r;
      }
      expect(made).toEqual([[false, 1], [false, 1], [true, 0], [true, 0]]);
      // without a pool, release() frees the readback
      const data = startArray(c);
      const r = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, { device: dev, init: 7, viewResult: true });
      expect(differences(r.data!, want).length).toBe(0);
      r.release!();
    } finally {
      dev.createBuffer = create;
      pool.destroy();
    }
  });
});
