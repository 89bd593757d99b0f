import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { rasterize } from '../../src/rasterize.js';
import { createRasterizer, type Rasterizer } from '../../src/rasterizer.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { Grid } from '../../src/types.js';
import { firstDiff, randomScene } from '../shared/batch-scenes.js';
import { testDevice } from './helpers.js';

// The `gpuView` option: a WebGPU result that is a view of the mapped readback, and its release(),
// on the shared device and on a pooled rasterizer (where a view not yet released must keep its pixels
// while later burns run, and a released one hands its readback to the next burn). The README's
// example runs as written.

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the gpuView tests: ${why}`);

const made: Rasterizer[] = [];
afterAll(() => { for (const r of made) r.destroy(); });

describe.skipIf(!device)('gpuView: results as views of the GPU readback', () => {
  test('the README example runs as written: a view equal to the CPU result, empty after release()', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const code = /gpuView: true[\s\S]*?```ts\n([\s\S]*?)\s*```/.exec(readme)?.[1];
    expect(code, 'the README shows a gpuView example').toBeDefined();
    const { features: fc, grid } = randomScene(41, 70, 50);
    const cpu = await rasterize(fc, grid);
    const run = new Function('rasterize', 'fc', 'grid', `return (async () => {\n${code!.replace(/^ {2}/gm, '')}\nreturn { r, total };\n})();`);
    // the example's view, checked between its lines: rasterize() is wrapped to look at it before release()
    let before: number[] = [];
    const spy = async (f: FeatureInput, g: Grid, o: object) => {
      const r = await rasterize(f, g, o);
      before = Array.from(r.data as Uint16Array);
      expect(r.release, 'a one-tile WebGPU result with gpuView has release()').toBeTypeOf('function');
      expect(r.stats.backend).toBe('webgpu');
      return r;
    };
    const { r, total } = await run(spy, fc, grid) as { r: Awaited<ReturnType<typeof rasterize>>; total: number };
    expect(firstDiff(Uint16Array.from(before), cpu.data)).toBe(-1);
    expect(total).toBe((cpu.data as Uint16Array).reduce((a, b) => a + b, 0));
    expect(r.data.length, 'released: the view is empty').toBe(0);
    r.release!();
  });

  test('without gpuView, and with `into`, results are ordinary arrays without release()', async () => {
    const { features, grid } = randomScene(42, 40, 30);
    const plain = await rasterize(features, grid, { backend: 'webgpu' });
    expect(plain.release).toBeUndefined();
    const into = new Uint16Array(40 * 30);
    const r = await rasterize(features, grid, { backend: 'webgpu', gpuView: true, into });
    expect(r.release).toBeUndefined();
    expect(r.data).toBe(into);
    expect(firstDiff(into, plain.data)).toBe(-1);
  });

  test('a pooled rasterizer: held views keep their pixels while later burns run; released ones are reused', async () => {
    const rz = await createRasterizer({ backend: 'webgpu' });
    made.push(rz);
    const scenes = [43, 44, 45, 46].map((s) => randomScene(s, 64, 48));
    const want = await Promise.all(scenes.map((s) => rasterize(s.features, s.grid, { dtype: 'int32', attribute: 'v' })));
    const a = await rz.rasterize(scenes[0].features, scenes[0].grid, { dtype: 'int32', attribute: 'v', gpuView: true });
    const b = await rz.rasterize(scenes[1].features, scenes[1].grid, { dtype: 'int32', attribute: 'v', gpuView: true });
    expect(a.release).toBeTypeOf('function');
    expect(b.release).toBeTypeOf('function');
    // a is still held: b's burn made its own readback instead of writing over a's
    expect(firstDiff(a.data, want[0].data)).toBe(-1);
    expect(firstDiff(b.data, want[1].data)).toBe(-1);
    a.release!();
    a.release!();
    expect(a.data.length).toBe(0);
    const c = await rz.rasterize(scenes[2].features, scenes[2].grid, { dtype: 'int32', attribute: 'v', gpuView: true });
    const d = await rz.rasterize(scenes[3].features, scenes[3].grid, { dtype: 'int32', attribute: 'v' });
    expect(firstDiff(b.data, want[1].data), 'b survives later burns').toBe(-1);
    expect(firstDiff(c.data, want[2].data)).toBe(-1);
    expect(firstDiff(d.data, want[3].data)).toBe(-1);
    expect(d.release).toBeUndefined();
    b.release!();
    c.release!();
    expect([b.data.length, c.data.length]).toEqual([0, 0]);
  });
});
