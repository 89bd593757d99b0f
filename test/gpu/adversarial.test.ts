import { describe, expect, test } from 'vitest';
import { DTYPES } from '../../src/dtype.js';
import { flattenFeatures } from '../../src/features/flatten.js';
import { burnShapesWebGPU, GpuUnsupportedError } from '../../src/gpu/engine.js';
import { rasterize, type RasterResult } from '../../src/rasterize.js';
import { createRasterizer, type BatchJob } from '../../src/rasterizer.js';
import type { GpuStats } from '../../src/burn/stats.js';
import type { NumberArray } from '../../src/types.js';
import { ADVERSARIAL_DTYPES, ADVERSARIAL_MODES, hugeScenes, latticeScenes, type AdversarialScene } from '../shared/adversarial-scenes.js';
import { differences, testDevice } from './helpers.js';

// The adversarial set through the public rasterize() on WebGPU (Dawn) against the CPU engine, every
// mode of test/shared/adversarial-scenes.ts on every scene: vertices on pixel centres and edges, 1e-9
// either side of them, beyond 2^28 px and at 1e15 world units. Each burn also runs on forced small
// tiles (burnShapesWebGPU's maxTileSize), so shapes cross tile seams. Every pixel must be identical
// (Object.is: -0 and NaN too); the exact-path crossings are printed per scene. The whole set also
// runs as one rasterizeBatch. The same scenes run in headless Chromium in test/browser/webgpu.test.ts
// and test/browser/batch-chromium.test.ts.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the WebGPU adversarial set: ${why}`);

/** GPU_ADVERSARIAL_SEED=n reruns one scene set; the default keeps CI deterministic. */
const SEED = Number(process.env.GPU_ADVERSARIAL_SEED ?? 20261207);
const W = 61, H = 43;

interface Tally { crossings: number; exact: number; lines: number; touch: number; onCpu: number; polygonsOnCpu: number }
const add = (t: Tally, g: GpuStats | undefined) => {
  if (!g) return void t.onCpu++;
  t.crossings += g.crossings;
  t.exact += g.exactFallbacks;
  t.lines += g.linesOnGpu ?? 0;
  t.touch += g.touchSegments ?? 0;
  t.polygonsOnCpu += g.polygonsOnCpu ?? 0;
};
const tally = (): Tally => ({ crossings: 0, exact: 0, lines: 0, touch: 0, onCpu: 0, polygonsOnCpu: 0 });
const describeTally = (t: Tally) =>
  `${t.crossings} crossings on the GPU, ${t.exact} (${t.crossings ? ((100 * t.exact) / t.crossings).toFixed(1) : '0'}%) by the exact path; ${t.lines} lines and ${t.touch} all-touched segments on the GPU; ${t.polygonsOnCpu} polygons as CPU spans; ${t.onCpu} burns answered on the CPU`;

// one scene in every mode, whole and tiled; returns what the GPU reported
async function check(scene: AdversarialScene): Promise<Tally> {
  const t = tally();
  for (const mode of ADVERSARIAL_MODES) {
    const where = `seed ${SEED} (rerun with GPU_ADVERSARIAL_SEED=${SEED}), ${scene.name}, ${mode.name}`;
    const cpu = await rasterize(scene.features, scene.grid, { ...mode.options, backend: 'cpu' });
    const gpu = await rasterize(scene.features, scene.grid, { ...mode.options, backend: 'webgpu' });
    const diff = differences(gpu.data, cpu.data);
    expect(diff.slice(0, 8).map((k) => `pixel ${k} (col ${k % W}, row ${Math.floor(k / W)}) cpu ${cpu.data[k]} gpu ${gpu.data[k]}`), where).toEqual([]);
    expect(gpu.stats.backend, `${where}: ${gpu.stats.fallbackReason}`).toBe('webgpu');
    add(t, gpu.stats.gpu);
    if (mode.options.allTouched && (mode.options.merge ?? 'replace') === 'replace') expect(gpu.stats.gpu!.touchSegments, where).toBeGreaterThan(0);

    // the same shapes on tiles of 16 px: every shape crosses seams
    const o = mode.options;
    const shapes = flattenFeatures(scene.features, scene.grid, { burn: o.burn, attribute: o.attribute, burnZ: o.burnZ, merge: o.merge, invert: o.invert });
    const data = DTYPES[o.dtype!].make(W * H) as NumberArray;
    try {
      await burnShapesWebGPU(shapes, { data, width: W, height: H, dtype: o.dtype! }, {
        allTouched: !!o.allTouched, merge: o.merge ?? 'replace', burnZ: !!o.burnZ, init: o.init ?? 0, maxTileSize: 16, device: device!,
      });
    } catch (e) {
      // only what rasterize() itself answered on the CPU may be refused here
      if (!(e instanceof GpuUnsupportedError)) throw e;
      expect(gpu.stats.backend, where).toBe('cpu');
      continue;
    }
    const tiled = differences(data, cpu.data);
    expect(tiled.slice(0, 8).map((k) => `pixel ${k} (col ${k % W}, row ${Math.floor(k / W)}) cpu ${cpu.data[k]} gpu ${data[k]}`), `${where}, 16-px tiles`).toEqual([]);
  }
  return t;
}

describe.skipIf(!device)(`adversarial set on WebGPU (Dawn) vs the CPU engine (seed ${SEED})`, () => {
  const totals = { lattice: tally(), real: tally() };

  test('the modes cover every output type but the 64-bit integers', () => {
    expect([...ADVERSARIAL_DTYPES].sort()).toEqual(Object.keys(DTYPES).filter((d) => !/64$/.test(d) || d === 'float64').sort());
  });

  for (const scene of [...latticeScenes(SEED, W, H), ...hugeScenes(SEED, W, H)]) {
    test(`${scene.name}: identical in every mode, whole and on tiles`, async () => {
      const t = await check(scene);
      console.log(`adversarial ${scene.name}: ${describeTally(t)}`);
      const sum = /real-world/.test(scene.name) ? totals.real : totals.lattice;
      for (const k of Object.keys(t) as (keyof Tally)[]) sum[k] += t[k];
      expect(t.crossings).toBeGreaterThan(0);
      expect(t.lines).toBeGreaterThan(0);
      // ties are the exact path's business: every lattice scene sends crossings there
      if (!/real-world/.test(scene.name)) expect(t.exact).toBeGreaterThan(0);
    }, 120_000);
  }

  test('rasterizeBatch: every scene in every mode as one batch, identical to the CPU', async () => {
    const jobs: (BatchJob & { name: string })[] = [];
    for (const scene of [...latticeScenes(SEED, W, H), ...hugeScenes(SEED, W, H)]) {
      for (const mode of ADVERSARIAL_MODES) jobs.push({ name: `${scene.name}, ${mode.name}`, features: scene.features, grid: scene.grid, options: mode.options });
    }
    const want: RasterResult[] = [];
    for (const j of jobs) want.push(await rasterize(j.features, j.grid, { ...j.options, backend: 'cpu' }));
    const rz = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 20 });
    const t = tally();
    try {
      const got = await rz.rasterizeBatch(jobs).toArray();
      expect(got.length).toBe(jobs.length);
      got.forEach((x, k) => {
        const diff = differences(x.data, want[k].data);
        expect(diff.slice(0, 8).map((i) => `pixel ${i} cpu ${want[k].data[i]} gpu ${x.data[i]}`), `batch job ${k}: ${jobs[k].name}`).toEqual([]);
        add(t, x.stats.backend === 'webgpu' ? x.stats.gpu : undefined);
      });
    } finally {
      rz.destroy();
    }
    console.log(`adversarial batch of ${jobs.length} jobs: ${describeTally(t)}`);
    expect(t.exact).toBeGreaterThan(0);
  }, 300_000);

  test('summary: ties take the exact path, real-world-like vertices rarely do', () => {
    console.log(`adversarial totals, lattice and huge scenes: ${describeTally(totals.lattice)}`);
    console.log(`adversarial totals, real-world-like vertices: ${describeTally(totals.real)}`);
    expect(totals.lattice.exact).toBeGreaterThan(totals.lattice.crossings / 50);
    expect(totals.real.exact).toBeLessThan(totals.real.crossings / 100);
  });
});
