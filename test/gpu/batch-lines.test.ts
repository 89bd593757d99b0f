// rasterizeBatch walks lines on the GPU (lines.wgsl line_runs_jobs), each job's runs into its own
// grid: units of line-heavy jobs of different sizes and types give exactly the CPU engine's arrays
// and the single-raster WebGPU path's line counts. Lines cross each other, polygons and the grid's
// borders, start and end on pixel centres, pixel edges and 1e-9 off them, run thousands of pixels
// beyond the grid; some jobs are all-touched (a unit walks those lines on the host).
import { afterAll, describe, expect, it } from 'vitest';
import { rasterize, type RasterResult } from '../../src/rasterize.js';
import { createRasterizer, type BatchJob, type Rasterizer } from '../../src/rasterizer.js';
import type { DType, FeatureInput } from '../../src/types.js';
import { firstDiff, LATTICE_OFFSETS } from '../shared/batch-scenes.js';
import { rng, testDevice } from './helpers.js';

// one job: lines (some multi-part, some long, some off the grid), a few polygons they overlap, a point
function lineJob(seed: number, width: number, height: number, off: number): { features: FeatureInput; width: number; height: number } {
  const r = rng(seed);
  const q = (v: number) => (r() < 0.6 ? Math.round(v) + off : v);
  const pt = (spread: number) => [q(-spread + r() * (width + 2 * spread)), q(-spread + r() * (height + 2 * spread))];
  const features = [];
  for (let s = 0; s < 14; s++) {
    const n = 2 + Math.floor(r() * 5);
    const spread = s % 5 === 4 ? 4000 : 6;
    const path = Array.from({ length: n }, () => pt(spread));
    const geometry = s % 4 === 3
      ? { type: 'MultiLineString', coordinates: [path, Array.from({ length: 3 }, () => pt(6))] }
      : { type: 'LineString', coordinates: path };
    features.push({ type: 'Feature', properties: { v: 10 + s }, geometry });
  }
  for (let s = 0; s < 3; s++) {
    const cx = r() * width, cy = r() * height, R = 2 + r() * 8;
    const ring = Array.from({ length: 5 }, (_, j) => [q(cx + R * Math.cos((j / 5) * 2 * Math.PI)), q(cy + R * Math.sin((j / 5) * 2 * Math.PI))]);
    features.push({ type: 'Feature', properties: { v: 50 + s }, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } });
  }
  features.push({ type: 'Feature', properties: { v: 77 }, geometry: { type: 'Point', coordinates: pt(0) } });
  return { features: { type: 'FeatureCollection', features } as FeatureInput, width, height };
}

function jobs(seed: number): BatchJob[] {
  const r = rng(seed);
  const dtypes: DType[] = ['uint8', 'int16', 'uint16', 'int32', 'float32'];
  const out: BatchJob[] = [];
  for (let k = 0; k < 30; k++) {
    const { features, width, height } = lineJob(seed + k, 3 + Math.floor(r() * 120), 1 + Math.floor(r() * 90), LATTICE_OFFSETS[k % LATTICE_OFFSETS.length]);
    out.push({
      features,
      grid: { width, height, transform: [0, 1, 0, height, 0, -1] },
      options: { attribute: 'v', dtype: dtypes[Math.floor(k / 6)], init: k % 3, allTouched: k % 10 === 7 },
    });
  }
  return out;
}

async function singles(list: BatchJob[], backend: 'cpu' | 'webgpu'): Promise<RasterResult[]> {
  const out: RasterResult[] = [];
  for (const j of list) out.push(await rasterize(j.features, j.grid, { ...j.options, backend }));
  return out;
}

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the WebGPU batch line tests: ${why}`);

describe.skipIf(!device)('rasterizeBatch walks lines on the GPU', () => {
  const made: Rasterizer[] = [];
  afterAll(() => { for (const r of made) r.destroy(); });

  it('units of line-heavy jobs: identical to the CPU, lines counted as the single path counts them', async () => {
    const seed = Number(process.env.BATCH_LINES_SEED ?? 5151);
    console.log(`batch lines seed ${seed} (rerun with BATCH_LINES_SEED=${seed})`);
    const list = jobs(seed);
    const want = await singles(list, 'cpu');
    const gpuSingles = await singles(list, 'webgpu');
    // units take consecutive jobs of one dtype (six each here) as far as the budget allows: several
    // units, each holding jobs of several sizes
    const rz = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 20 });
    made.push(rz);
    const got = await rz.rasterizeBatch(list).toArray();
    let onGpu = 0, onCpu = 0;
    got.forEach((x, k) => {
      expect(x.stats.backend, `job ${k}`).toBe('webgpu');
      expect(firstDiff(x.data, want[k].data), `job ${k} (${list[k].grid.width} x ${list[k].grid.height}): first differing pixel`).toBe(-1);
      const g = x.stats.gpu!;
      const single = gpuSingles[k].stats.gpu!;
      if (list[k].options?.allTouched) {
        // a unit walks all-touched lines on the host (touch.wgsl serves single burns only)
        expect([g.linesOnGpu, g.linesOnCpu], `job ${k} all-touched lines`).toEqual([0, (single.linesOnGpu ?? 0) + (single.linesOnCpu ?? 0)]);
      } else {
        expect([g.linesOnGpu, g.linesOnCpu], `job ${k} lines on the GPU and the CPU`).toEqual([single.linesOnGpu, single.linesOnCpu]);
        // every line of these jobs fits GDAL's C ints
        expect(g.linesOnCpu, `job ${k}`).toBe(0);
      }
      onGpu += g.linesOnGpu ?? 0;
      onCpu += g.linesOnCpu ?? 0;
    });
    console.log(`batch lines: ${onGpu} lines walked on the GPU, ${onCpu} as CPU spans (all-touched)`);
    expect(onGpu).toBeGreaterThan(300);
    expect(onCpu).toBeGreaterThan(0);
  });
});
