// createRasterizer: rasterize() and rasterizeBatch() give exactly the arrays of single rasterize() calls,
// in job order, on the CPU and on WebGPU (Dawn on SwiftShader here; skipped without an adapter), with
// progress, abort, lazy job sources read no further ahead than the memory budget allows, and GPU
// buffers reused across calls.
import { afterAll, describe, expect, it } from 'vitest';
import { burnShapesWebGPU, GpuResourcePool } from '../../src/gpu/engine.js';
import { flattenFeatures } from '../../src/features/flatten.js';
import { setWebGPUProvider } from '../../src/gpu/device.js';
import { prepare } from '../../src/prepare.js';
import { rasterize, type RasterResult } from '../../src/rasterize.js';
import { createRasterizer, type BatchJob, type Rasterizer } from '../../src/rasterizer.js';
import type { DType, Grid, RasterizeOptions } from '../../src/types.js';
import { firstDiff, LATTICE_OFFSETS, latticeScene, modeOptions, randomScene } from '../shared/batch-scenes.js';
import { rng as mulberry32, testDevice } from './helpers.js';

// W5-like jobs: `n` polygons (some overlapping, some off the grid) on w x h north-up grids at
// different places; ids as attribute values
function w5Jobs(count: number, polygons: number, w = 64, h = 48, seed = 1): BatchJob[] {
  let a = seed >>> 0;
  const r = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const jobs: BatchJob[] = [];
  for (let j = 0; j < count; j++) {
    const ox = 500000 + Math.floor(r() * 1000), oy = 4000000 + Math.floor(r() * 1000);
    const features = [];
    for (let k = 0; k < polygons; k++) {
      const cx = ox - 5 + r() * (w + 10), cy = oy - 5 + r() * (h + 10), rad = 1 + r() * 12, n = 3 + Math.floor(r() * 8);
      const ring = Array.from({ length: n }, (_, i) => [cx + rad * Math.cos((2 * Math.PI * i) / n) * (0.5 + r() / 2), cy + rad * Math.sin((2 * Math.PI * i) / n) * (0.5 + r() / 2)]);
      ring.push(ring[0]);
      features.push({ type: 'Feature' as const, properties: { id: k + 1 + j }, geometry: { type: 'Polygon' as const, coordinates: [ring] } });
    }
    jobs.push({ features: { type: 'FeatureCollection', features }, grid: { width: w, height: h, transform: [ox, 1, 0, oy + h, 0, -1] }, options: { attribute: 'id', dtype: 'uint16' } });
  }
  return jobs;
}

// a mixed batch: every mode and type, prepared features, odd sizes, into arrays
function mixedJobs(): BatchJob[] {
  const jobs: BatchJob[] = [];
  for (let k = 0; k < 24; k++) {
    const w = [17, 64, 33, 130, 5][k % 5], h = [23, 40, 1, 77, 9][k % 5];
    const { features, grid } = randomScene(100 + k, w, h);
    const options = modeOptions(k);
    if (k % 6 === 2) {
      const { burn, attribute, burnZ, merge, invert, ...rest } = options;
      jobs.push({ features: prepare(features, { burn, attribute, burnZ, merge, invert }), grid, options: rest });
    } else {
      jobs.push({ features, grid, options });
    }
  }
  // replace-mode jobs the GPU batch kernel takes, with signed, clamped, NaN and non-zero initial values
  const { features } = randomScene(7, 50, 40);
  const g: Grid = { width: 50, height: 40, transform: [0, 1, 0, 40, 0, -1] };
  jobs.push({ features, grid: g, options: { attribute: 'v', dtype: 'int16', init: -3 } });
  jobs.push({ features, grid: g, options: { burn: 300, dtype: 'uint8', allTouched: true } });
  jobs.push({ features, grid: g, options: { attribute: 'v', dtype: 'float32', nodata: NaN } });
  jobs.push({ features, grid: g, options: { burnZ: true, dtype: 'int32', init: 9 } });
  jobs.push({ features, grid: g, options: { attribute: 'id', dtype: 'uint32', gpuFill: 'triangles' } });
  jobs.push({ features, grid: g, options: { attribute: 'id', dtype: 'uint16', into: new Uint16Array(2000).fill(4) } });
  return jobs;
}

async function singles(jobs: BatchJob[], backend: 'cpu' | 'webgpu'): Promise<RasterResult[]> {
  const out: RasterResult[] = [];
  for (const j of jobs) {
    const options = j.options?.into ? { ...j.options, into: j.options.into.slice() } : j.options;
    out.push(await rasterize(j.features, j.grid, { ...options, backend }));
  }
  return out;
}

function expectSame(got: RasterResult[], want: RasterResult[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    expect(got[k].dtype, `${what} job ${k}`).toBe(want[k].dtype);
    expect([got[k].width, got[k].height], `${what} job ${k}`).toEqual([want[k].width, want[k].height]);
    expect(got[k].transform, `${what} job ${k}`).toEqual(want[k].transform);
    expect(firstDiff(got[k].data, want[k].data), `${what} job ${k}: first differing pixel`).toBe(-1);
    expect(got[k].stats.shapes, `${what} job ${k}`).toBe(want[k].stats.shapes);
  }
}

// `into` arrays are written by the burn: each run gets its own copies
function fresh(jobs: BatchJob[]): BatchJob[] {
  return jobs.map((j) => (j.options?.into ? { ...j, options: { ...j.options, into: j.options.into.slice() } } : j));
}

describe('createRasterizer on the CPU', () => {
  it('batch results equal single rasterize() calls, in job order', async () => {
    const jobs = mixedJobs();
    const want = await singles(jobs, 'cpu');
    const r = await createRasterizer();
    expect(r.backend).toBe('cpu');
    expectSame(await r.rasterizeBatch(fresh(jobs)).toArray(), want, 'toArray');
    const seen: RasterResult[] = [];
    for await (const x of r.rasterizeBatch(fresh(jobs))) seen.push(x);
    expectSame(seen, want, 'async iteration');
    expectSame([await r.rasterize(jobs[3].features, jobs[3].grid, jobs[3].options)], [want[3]], 'rasterize');
    r.destroy();
    await expect(r.rasterize(jobs[0].features, jobs[0].grid)).rejects.toThrow(/destroyed/);
  });

  it('reports progress per job, reads a lazy source as it goes, and aborts', async () => {
    const jobs = w5Jobs(30, 10);
    const r = await createRasterizer({ backend: 'cpu' });
    const progress: [number, number | null, number | null][] = [];
    await r.rasterizeBatch(jobs, { onProgress: (p) => progress.push([p.done, p.total, p.fraction]) }).toArray();
    expect(progress.length).toBe(30);
    expect(progress[0]).toEqual([1, 30, 1 / 30]);
    expect(progress[29]).toEqual([30, 30, 1]);

    let pulled = 0;
    async function* lazy(): AsyncGenerator<BatchJob> {
      for (const j of jobs) { pulled++; yield j; }
    }
    let taken = 0;
    let maxAhead = 0;
    const ac = new AbortController();
    await expect((async () => {
      for await (const x of r.rasterizeBatch(lazy(), { signal: ac.signal, onProgress: (p) => expect(p.total).toBeNull() })) {
        expect(x.width).toBe(64);
        taken++;
        maxAhead = Math.max(maxAhead, pulled - taken);
        if (taken === 12) ac.abort(new Error('stop at 12'));
      }
    })()).rejects.toThrow('stop at 12');
    expect(taken).toBe(12);
    expect(maxAhead).toBeLessThanOrEqual(1);
    expect(pulled).toBeLessThanOrEqual(13);
  });

  it('refuses bad jobs and options, naming them', async () => {
    const r = await createRasterizer();
    await expect(r.rasterizeBatch([w5Jobs(1, 1)[0], { grid: null } as unknown as BatchJob]).toArray()).rejects.toThrow(/batch job 1 must be \{ features, grid, options\? \}/);
    await expect(r.rasterizeBatch(w5Jobs(1, 1).map((j) => ({ ...j, options: { backend: 'webgpu' as const } }))).toArray()).rejects.toThrow(/job backend "webgpu" differs from the rasterizer's "cpu"/);
    expect(() => r.rasterizeBatch(w5Jobs(1, 1), { concurrency: 0 })).toThrow(/concurrency must be a positive integer, got 0/);
    expect(() => r.rasterizeBatch(42 as unknown as BatchJob[])).toThrow(/jobs must be an array or an \(async\) iterable/);
    await expect(createRasterizer({ backend: 'gpu' as 'cpu' })).rejects.toThrow(/backend must be 'cpu', 'webgpu' or 'auto', got "gpu"/);
    await expect(createRasterizer({ memoryBudget: -1 })).rejects.toThrow(/memoryBudget must be a positive number of bytes, got -1/);
  });
});

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the WebGPU batch tests: ${why}`);

describe.skipIf(!device)('createRasterizer on WebGPU', () => {
  const made: Rasterizer[] = [];
  afterAll(() => { for (const r of made) r.destroy(); });

  it('batch results equal single rasterize() calls (CPU and WebGPU), in job order, for every mode', async () => {
    const jobs = mixedJobs();
    const want = await singles(jobs, 'cpu');
    const r = await createRasterizer({ backend: 'webgpu' });
    made.push(r);
    expect(r.backend).toBe('webgpu');
    expect(r.adapter).toMatch(/^(GPU|software adapter): /);
    const got = await r.rasterizeBatch(fresh(jobs)).toArray();
    expectSame(got, want, 'webgpu batch');
    expectSame(got, await singles(jobs, 'webgpu'), 'webgpu batch vs webgpu singles');
    // jobs the GPU cannot do exactly were answered on the CPU, saying why
    expect(got.filter((x) => x.stats.fallbackReason).length).toBeGreaterThan(0);
    expect(got.filter((x) => x.stats.backend === 'webgpu').length).toBeGreaterThan(10);
  });

  it('W5-like jobs in units: identical to the CPU, lazy source bounded by the memory budget', async () => {
    const jobs = w5Jobs(120, 40, 96, 80);
    const want = await singles(jobs, 'cpu');
    // 96 x 80 uint16 takes 60 KiB of GPU memory a job (owner ids, output, staging); a 1 MiB budget
    // over 3 units in flight holds 5 jobs a unit
    const r = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 20 });
    made.push(r);
    let pulled = 0, taken = 0, maxAhead = 0;
    async function* lazy(): AsyncGenerator<BatchJob> {
      for (const j of jobs) { pulled++; yield j; }
    }
    const got: RasterResult[] = [];
    const done: number[] = [];
    for await (const x of r.rasterizeBatch(lazy(), { concurrency: 3, onProgress: (p) => done.push(p.done) })) {
      got.push(x);
      taken++;
      maxAhead = Math.max(maxAhead, pulled - taken);
    }
    expectSame(got, want, 'units');
    expect(done).toEqual(Array.from({ length: 120 }, (_, k) => k + 1));
    // three units of 5 jobs in flight, plus the one job read ahead: never the whole batch
    expect(maxAhead).toBeLessThan(45);
    expect(maxAhead).toBeGreaterThan(3);
  });

  it('a job that fails comes after the results before it, on both backends', async () => {
    const bad: [BatchJob, RegExp][] = [
      [{ ...w5Jobs(1, 5)[0], options: { attribute: 'no-such-property' } }, /attribute "no-such-property" not found/],
      [{ grid: null } as unknown as BatchJob, /batch job 5 must be \{ features, grid, options\? \}/],
      [{ ...w5Jobs(1, 5)[0], options: { dtype: 'uint16', bogus: 1 } as RasterizeOptions }, /unknown option "bogus"/],
    ];
    for (const [job, message] of bad) {
      const jobs = w5Jobs(8, 5);
      jobs[5] = job;
      for (const backend of ['webgpu', 'cpu'] as const) {
        const r = await createRasterizer({ backend, memoryBudget: 1 << 20 });
        made.push(r);
        const taken: number[] = [];
        await expect((async () => {
          for await (const x of r.rasterizeBatch(jobs)) taken.push(x.width);
        })()).rejects.toThrow(message);
        expect(taken.length, `${backend} ${message}`).toBe(5);
      }
    }
  });

  // adversarial units: vertices on pixel centres, on pixel edges, 1e-9 off them, overlapping shapes
  // with holes and a line, on grids of different sizes and types (world = pixel space, y up), so
  // that units hold jobs of several sizes and the exact float64 path is taken often
  it('adversarial jobs of different sizes and types in units: identical to the CPU, exact path counted per job', async () => {
    const seed = Number(process.env.BATCH_SEED ?? 4242);
    console.log(`adversarial batch seed ${seed} (rerun with BATCH_SEED=${seed})`);
    const r = mulberry32(seed);
    const dtypes: DType[] = ['uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32'];
    const jobs: BatchJob[] = [];
    for (let k = 0; k < 36; k++) {
      const w = 5 + Math.floor(r() * 90), h = 1 + Math.floor(r() * 70);
      const { features, grid } = latticeScene(seed + k, w, h, LATTICE_OFFSETS[k % LATTICE_OFFSETS.length]);
      jobs.push({ features, grid, options: { attribute: 'v', dtype: dtypes[Math.floor(k / 6)], init: k % 5, allTouched: k % 7 === 3 } });
    }
    const want = await singles(jobs, 'cpu');
    const gpuSingles = await singles(jobs, 'webgpu');
    const rz = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 18 });
    made.push(rz);
    const got = await rz.rasterizeBatch(jobs).toArray();
    expectSame(got, want, 'adversarial batch');
    let crossings = 0, exact = 0;
    got.forEach((x, k) => {
      expect(x.stats.backend, `job ${k}`).toBe('webgpu');
      // the same crossings, the same certificate decisions as the job burned alone
      expect(x.stats.gpu?.crossings, `job ${k} crossings`).toBe(gpuSingles[k].stats.gpu?.crossings);
      expect(x.stats.gpu?.exactFallbacks, `job ${k} exact path`).toBe(gpuSingles[k].stats.gpu?.exactFallbacks);
      crossings += x.stats.gpu!.crossings;
      exact += x.stats.gpu!.exactFallbacks;
    });
    console.log(`adversarial batch: ${crossings} crossings on the GPU, ${exact} took the exact float64 path`);
    expect(crossings).toBeGreaterThan(1000);
    expect(exact).toBeGreaterThan(0);
  });

  it('aborts a GPU batch', async () => {
    const jobs = w5Jobs(60, 20);
    const r = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 20 });
    made.push(r);
    const ac = new AbortController();
    let taken = 0;
    await expect((async () => {
      for await (const x of r.rasterizeBatch(jobs, { signal: ac.signal })) {
        void x;
        if (++taken === 5) ac.abort();
      }
    })()).rejects.toThrow(/abort/i);
    expect(taken).toBe(5);
    // the rasterizer still works after an aborted batch
    expectSame(await r.rasterizeBatch(jobs.slice(0, 4)).toArray(), await singles(jobs.slice(0, 4), 'cpu'), 'after abort');
  });

  // the exact fill (merge 'replace') and the span path's accumulators (merge 'add' with gpuFill
  // 'triangles'); the pool must not change pixels: the reference is the same burn without one
  for (const [what, extra] of [
    ['exact fill', {}],
    ["span path's accumulators (merge 'add')", { merge: 'add', gpuFill: 'triangles' }],
  ] as const) {
    it(`a pool makes repeated burns allocate nothing after the first: ${what}`, async () => {
      const d = device!;
      const grid: Grid = { width: 300, height: 200, transform: [0, 1, 0, 200, 0, -1] };
      const { features } = randomScene(31, 300, 200);
      const shapes = flattenFeatures(features, grid, { attribute: 'id' });
      const pool = new GpuResourcePool(d, 64 << 20);
      let created = 0;
      const createBuffer = d.createBuffer.bind(d), createTexture = d.createTexture.bind(d);
      d.createBuffer = (desc) => { created++; return createBuffer(desc); };
      d.createTexture = (desc) => { created++; return createTexture(desc); };
      try {
        const counts: number[] = [];
        const ref = new Uint16Array(300 * 200);
        await burnShapesWebGPU(shapes, { data: ref, width: 300, height: 200, dtype: 'uint16' }, { device: d, init: 0, maxTileSize: 128, ...extra });
        for (let k = 0; k < 4; k++) {
          const before = created;
          const data = new Uint16Array(300 * 200);
          await burnShapesWebGPU(shapes, { data, width: 300, height: 200, dtype: 'uint16' }, { device: d, pool, init: 0, maxTileSize: 128, ...extra });
          counts.push(created - before);
          expect(firstDiff(data, ref), `burn ${k}`).toBe(-1);
        }
        expect(counts[0]).toBeGreaterThan(0);
        expect(counts.slice(1)).toEqual([0, 0, 0]);
        expect(pool.heldBytes).toBeGreaterThan(0);
        pool.destroy();
        expect(pool.heldBytes).toBe(0);
      } finally {
        d.createBuffer = createBuffer;
        d.createTexture = createTexture;
      }
    });
  }

  it('rasterize() on a rasterizer reuses its device and equals the CPU', async () => {
    const r = await createRasterizer({ backend: 'webgpu' });
    made.push(r);
    for (const k of [0, 1, 3, 5]) {
      const { features, grid } = randomScene(50 + k, 80, 60);
      const options: RasterizeOptions = { ...modeOptions(k), dtype: 'uint16' as DType };
      const want = await rasterize(features, grid, options);
      const got = await r.rasterize(features, grid, options);
      expect(firstDiff(got.data, want.data), JSON.stringify(options)).toBe(-1);
    }
  });
});

describe('createRasterizer auto without an adapter', () => {
  it("falls back to the CPU and says why; 'webgpu' refuses", async () => {
    setWebGPUProvider(async () => ({ adapter: null, why: 'no adapter in this test' }));
    try {
      const r = await createRasterizer({ backend: 'auto' });
      expect(r.backend).toBe('cpu');
      expect(r.fallbackReason).toMatch(/no adapter in this test/);
      const jobs = w5Jobs(3, 5);
      expectSame(await r.rasterizeBatch(jobs).toArray(), await singles(jobs, 'cpu'), 'auto on the CPU');
      await expect(createRasterizer({ backend: 'webgpu' })).rejects.toThrow(/no adapter in this test/);
    } finally {
      setWebGPUProvider(null);
    }
  });
});
