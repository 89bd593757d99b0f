// rasterizeBatch walks lines on the GPU (lines.wgsl line_runs_jobs), each job's runs into its own
// grid: units of line-heavy jobs of different sizes and types give exactly the CPU engine's arrays
// and the single-raster WebGPU path's line counts. Lines cross each other, polygons and the grid's
// borders, start and end on pixel centres, pixel edges and 1e-9 off them, run thousands of pixels
// beyond the grid; some jobs are all-touched (touch.wgsl touch_walk_jobs walks their stepped segments,
// each in its own job's grid, as the single path's touch_walk does).
import { afterAll, describe, expect, it } from 'vitest';
import { rasterize, type RasterResult } from '../../src/rasterize.js';
import { createRasterizer, type BatchJob, type Rasterizer } from '../../src/rasterizer.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { DType } from '../../src/types.js';
import { firstDiff, LATTICE_OFFSETS, latticeScene, randomScene } from '../shared/batch-scenes.js';
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
    let onGpu = 0, onCpu = 0, walked = 0;
    got.forEach((x, k) => {
      expect(x.stats.backend, `job ${k}`).toBe('webgpu');
      expect(firstDiff(x.data, want[k].data), `job ${k} (${list[k].grid.width} x ${list[k].grid.height}): first differing pixel`).toBe(-1);
      const g = x.stats.gpu!;
      const single = gpuSingles[k].stats.gpu!;
      expect([g.linesOnGpu, g.linesOnCpu], `job ${k} lines on the GPU and the CPU`).toEqual([single.linesOnGpu, single.linesOnCpu]);
      // every line of these jobs fits GDAL's C ints and the walk's domain
      expect(g.linesOnCpu, `job ${k}`).toBe(0);
      expect(g.touchSegments ?? 0, `job ${k} all-touched segments on the GPU`).toBe(single.touchSegments ?? 0);
      if (list[k].options?.allTouched) walked += g.touchSegments ?? 0;
      onGpu += g.linesOnGpu ?? 0;
      onCpu += g.linesOnCpu ?? 0;
    });
    console.log(`batch lines: ${onGpu} lines walked on the GPU (${walked} all-touched segments), ${onCpu} as CPU spans`);
    expect(onGpu).toBeGreaterThan(300);
    expect(walked).toBeGreaterThan(20);
  });

  it('all-touched polygons and lines in units: identical to the CPU, every segment walked where the single path walks it', async () => {
    const list: BatchJob[] = [];
    const dtypes: DType[] = ['uint8', 'int16', 'uint32', 'float32'];
    for (let k = 0; k < 24; k++) {
      const { features, grid } = k % 2
        ? latticeScene(700 + k, 9 + 11 * (k % 7), 5 + 6 * (k % 5), LATTICE_OFFSETS[k % LATTICE_OFFSETS.length])
        : randomScene(800 + k, 13 + 9 * (k % 6), 7 + 8 * (k % 4));
      list.push({ features, grid, options: { attribute: 'v', dtype: dtypes[k % 4], init: k % 3, allTouched: true } });
    }
    // lines starting on the right edge x = W and leaving through the top: GDAL's column-W visit lands in
    // column 0 of the next row of the job's own band (A5)
    for (const [w, h] of [[40, 12], [17, 30]]) {
      const line = (a: number[], b: number[]) => ({ type: 'Feature', properties: { v: 9 }, geometry: { type: 'LineString', coordinates: [[a[0], h - a[1]], [b[0], h - b[1]]] } });
      const features = { type: 'FeatureCollection', features: [line([w, 3.5], [w - 30, -10]), line([w, h - 0.5], [w - 4.5, h + 10])] } as FeatureInput;
      list.push({ features, grid: { width: w, height: h, transform: [0, 1, 0, h, 0, -1] }, options: { attribute: 'v', dtype: 'uint8', allTouched: true } });
    }
    const want = await singles(list, 'cpu');
    const gpuSingles = await singles(list, 'webgpu');
    const rz = await createRasterizer({ backend: 'webgpu', memoryBudget: 1 << 18 });
    made.push(rz);
    const got = await rz.rasterizeBatch(list).toArray();
    let walked = 0;
    got.forEach((x, k) => {
      expect(x.stats.backend, `job ${k}`).toBe('webgpu');
      expect(firstDiff(x.data, want[k].data), `job ${k} (${list[k].grid.width} x ${list[k].grid.height}): first differing pixel`).toBe(-1);
      expect(x.stats.gpu!.touchSegments ?? 0, `job ${k}`).toBe(gpuSingles[k].stats.gpu!.touchSegments ?? 0);
      walked += x.stats.gpu!.touchSegments ?? 0;
    });
    console.log(`batch all-touched: ${walked} segments walked on the GPU`);
    expect(walked).toBeGreaterThan(200);
  });
});
