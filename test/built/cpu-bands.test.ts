// The threaded CPU burn (row bands taken by several threads) gives the one-thread burn's pixels in every
// mode and type: random scenes whose shapes cross many bands, the differential corpus's scenes and fuzz
// scenes, with real worker threads and with band heights down to one row. (The CLI's threaded path is
// also compared with gdal_rasterize itself in diff-fuzz.test.ts.)
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { burnBands, sharedGrid, sharedShapes, shapeRows, type BandJob } from '../../src/cpu/bands.js';
import { burnShapesCpu } from '../../src/cpu/engine.js';
import { converter, fillPixels, toPixel } from '../../src/dtype.js';
import { flattenFeatures } from '../../src/features/flatten.js';
import { BurnPool, usableThreads } from '../../src/burn/node-pool.js';
import { rasterizeParallel } from '../../src/burn/run.js';
import { rasterize } from '../../src/rasterize.js';
import type { DType, Grid, RasterizeOptions } from '../../src/types.js';
import { corpusScenes, firstDiff, fuzzScenes, modeOptions, randomScene } from '../shared/batch-scenes.js';

const ROOT = join(import.meta.dirname, '../..');
// the compiled worker (npm test builds dist/ first): worker threads cannot run TypeScript
const WORKER = pathToFileURL(join(ROOT, 'dist/src/burn/node-worker.js'));
const pool = new BurnPool(WORKER, 3);
afterAll(() => pool.close());

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;

function where(k: number, width: number): string {
  return k < 0 ? 'same' : `first difference at pixel (${k % width}, ${Math.floor(k / width)})`;
}

describe('threaded burn equals the one-thread burn', () => {
  it(`random scenes, every mode and type, 3 threads (seed ${seed})`, async () => {
    const sizes: [number, number][] = [[97, 83], [64, 64], [130, 41], [50, 200], [33, 33], [20, 9]];
    for (let i = 0; i < 40; i++) {
      const s = (seed + i) >>> 0;
      const [w, h] = sizes[i % sizes.length];
      const { features, grid } = randomScene(s, w, h);
      const options = modeOptions(i);
      const one = await rasterize(features, grid, options);
      const many = await rasterizeParallel(features, grid, options, { pool: () => pool, force: true });
      expect(many.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(where(firstDiff(many.data, one.data), w), `seed ${s} ${JSON.stringify(options)}; replay with RASTERBURN_SEED=${seed}`).toBe('same');
    }
  });

  it('the differential corpus scenes and fuzz scenes', async () => {
    const scenes = [...corpusScenes(), ...fuzzScenes(seed, 30)];
    expect(scenes.length).toBeGreaterThan(50);
    for (const sc of scenes) {
      const one = await rasterize(sc.features, sc.grid, sc.options).catch((e: Error) => e);
      if (one instanceof Error) {
        // a scene GDAL refuses (e.g. a missing attribute) is refused the same way
        await expect(rasterizeParallel(sc.features, sc.grid, sc.options, { pool: () => pool, force: true }), sc.name).rejects.toThrow(one.message);
        continue;
      }
      const many = await rasterizeParallel(sc.features, sc.grid, sc.options, { pool: () => pool, force: true });
      expect(where(firstDiff(many.data, one.data), sc.grid.width), `${sc.name} (seed ${seed})`).toBe('same');
    }
  });

  it('bands of 1, 2, 5 and 13 rows on one thread', () => {
    for (let i = 0; i < 24; i++) {
      const s = (seed + 1000 + i) >>> 0;
      const { features, grid } = randomScene(s, 61, 47);
      const options = modeOptions(i);
      const shapes = flattenFeatures(features, grid, options);
      const dtype = (options.dtype ?? 'uint16') as DType;
      const opts = { allTouched: !!options.allTouched, merge: options.merge ?? 'replace', burnZ: !!options.burnZ } as const;
      const init = options.init ?? options.nodata ?? null;
      const whole = sharedGrid(dtype, grid.width * grid.height);
      if (init !== null) fillPixels(whole, toPixel(dtype, init));
      burnShapesCpu(shapes, { data: whole, width: grid.width, height: grid.height, dtype }, opts);
      for (const bandRows of [1, 2, 5, 13]) {
        const job = bandJob(shapes, grid, dtype, opts, init === null ? null : converter(dtype)(init), bandRows);
        burnBands(job);
        expect(where(firstDiff(job.data, whole), grid.width), `seed ${s} bands of ${bandRows} ${JSON.stringify(options)}`).toBe('same');
      }
    }
  });

  it('a big job picks the threads by itself; an `into` band is burned into and returned', async () => {
    const { features, grid } = randomScene(seed, 2100, 2100);
    const options: RasterizeOptions<'uint16'> = { attribute: 'id', dtype: 'uint16' };
    const one = await rasterize(features, grid, options);
    let asked = 0;
    const seen: { fraction: number; done: number; total: number }[] = [];
    const many = await rasterizeParallel(features, grid, { ...options, onProgress: (q) => seen.push(q) }, { pool: () => { asked++; return pool; } });
    expect(asked).toBe(1);
    expect(firstDiff(many.data, one.data)).toBe(-1);
    // progress counts shapes, as the one-thread burn's does, and ends at all of them
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((q) => q.total === one.stats.shapes && q.done <= q.total)).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ fraction: 1, done: one.stats.shapes, total: one.stats.shapes });

    const into = one.data.slice().fill(5);
    const twice = await rasterize(features, grid, { ...options, into: one.data.slice().fill(5) });
    const r = await rasterizeParallel(features, grid, { ...options, into }, { pool: () => pool, force: true });
    expect(r.data).toBe(into);
    expect(firstDiff(into, twice.data)).toBe(-1);
  });

  it('a grid touched in advance by the workers is burned into when its type and size match', async () => {
    const { features, grid } = randomScene(seed, 300, 200);
    const options: RasterizeOptions = { attribute: 'id', dtype: 'int16', init: 7, nodata: 7 };
    const one = await rasterize(features, grid, options);
    const early = sharedGrid('int16', 300 * 200);
    pool.prefault(early);
    const offers: string[] = [];
    const output = (dtype: DType, pixels: number) => { offers.push(`${dtype} ${pixels}`); return dtype === 'int16' && pixels === early.length ? early : null; };
    const r = await rasterizeParallel(features, grid, options, { pool: () => pool, force: true, output });
    expect(offers).toEqual(['int16 60000']);
    expect(r.data).toBe(early);
    expect(firstDiff(r.data, one.data)).toBe(-1);
    // a shared `into` (the CLI's second -l pass) is burned in place
    const again = await rasterizeParallel(features, grid, { ...options, into: r.data, init: undefined, nodata: undefined }, { pool: () => pool, force: true });
    expect(again.data).toBe(early);
  });

  it('a small job stays on this thread and never starts the pool', async () => {
    const { features, grid } = randomScene(seed, 40, 30);
    const r = await rasterizeParallel(features, grid, { burn: 1, dtype: "uint8" }, { pool: () => { throw new Error("pool started"); } });
    expect(r.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(firstDiff(r.data, (await rasterize(features, grid, { burn: 1, dtype: 'uint8' })).data)).toBe(-1);
  });

  it('a thread request is held to 4x the cores', () => {
    const cores = availableParallelism();
    expect(usableThreads(256)).toBe(Math.min(256, 4 * cores));
    expect(usableThreads(2)).toBe(Math.min(2, 4 * cores));
    expect(usableThreads(0)).toBe(1);
  });

  it('a failing burn thread is reported in one line', async () => {
    const { features, grid } = randomScene(seed, 40, 30);
    const shapes = flattenFeatures(features, grid, {});
    // a dtype the engine refuses: every thread fails the same way
    const job = bandJob(shapes, grid, 'uint7' as DType, { allTouched: false, merge: 'replace', burnZ: false }, null, 3, 'uint8');
    await expect(pool.run(job)).rejects.toThrow(/^unknown dtype uint7$/);
  });
});

function bandJob(
  shapes: ReturnType<typeof flattenFeatures>, grid: Grid, dtype: DType,
  opts: { allTouched: boolean; merge: 'replace' | 'add'; burnZ: boolean }, init: number | null, bandRows: number,
  storage: DType = dtype,
): BandJob {
  const rows = shapeRows(shapes, grid.height, (n) => new Int32Array(new SharedArrayBuffer(4 * n)));
  return {
    shapes: sharedShapes(shapes), ...rows, data: sharedGrid(storage, grid.width * grid.height), width: grid.width, height: grid.height,
    dtype, ...opts, init, bandRows, bands: Math.ceil(grid.height / bandRows), ctl: new Int32Array(new SharedArrayBuffer(8)),
  };
}
