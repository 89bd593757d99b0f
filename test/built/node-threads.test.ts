// rasterburn/node's rasterizeThreaded: rasterize()'s pixels on several threads, from the built package
// (worker threads run compiled JavaScript), and a script that uses it ends by itself (idle workers do
// not hold the process) without ending before its answer arrives.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rasterize } from '../../src/rasterize.js';
import { firstDiff, modeOptions, randomScene } from '../shared/batch-scenes.js';

const ROOT = join(import.meta.dirname, '../..');
const NODE_ENTRY = join(ROOT, 'dist/src/node.js');
type NodeEntry = typeof import('../../src/node.js');
const load = (): Promise<NodeEntry> => import(NODE_ENTRY) as Promise<NodeEntry>;
const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;

describe('rasterizeThreaded', () => {
  it(`equals rasterize() on random scenes, big enough to use the threads (seed ${seed})`, async () => {
    const { rasterizeThreaded } = await load();
    for (let i = 0; i < 6; i++) {
      const { features, grid } = randomScene((seed + i) >>> 0, 2100 + 7 * i, 2050);
      const options = modeOptions(i);
      const one = await rasterize(features, grid, options);
      const many = await rasterizeThreaded(features, grid, options, { threads: 2 + (i % 2) });
      expect(many.data.buffer, 'a big job runs on the threads').toBeInstanceOf(SharedArrayBuffer);
      expect(firstDiff(many.data, one.data), `seed ${seed + i} ${JSON.stringify(options)}`).toBe(-1);
      expect(many.stats.features).toBe(one.stats.features);
    }
  });

  it('refuses a bad thread count and a GPU backend in one line', async () => {
    const { rasterizeThreaded } = await load();
    const { features, grid } = randomScene(seed, 30, 20);
    await expect(rasterizeThreaded(features, grid, {}, { threads: 0 })).rejects.toThrow(/^threads must be a whole number of at least 1, got 0$/);
    await expect(rasterizeThreaded(features, grid, { backend: 'webgpu' })).rejects.toThrow(/backend "webgpu"/);
  });

  it('a script awaiting it ends by itself, after the answer', () => {
    const script = `
      const { rasterizeThreaded, gridFromBounds } = await import(${JSON.stringify(NODE_ENTRY)});
      const ring = [[0, 0], [3000, 0], [3000, 2500], [0, 0]];
      const grid = gridFromBounds([0, 0, 3000, 3000], { size: [3000, 3000] });
      const r = await rasterizeThreaded({ type: 'Polygon', coordinates: [ring] }, grid, { dtype: 'uint8' }, { threads: 2 });
      let n = 0;
      for (const v of r.data) n += v;
      console.log(r.data.buffer instanceof SharedArrayBuffer, n);
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    const [shared, burned] = out.trim().split(' ');
    expect(shared).toBe('true');
    // the triangle's lower-right half of 3000 x 2500 px, about 3.75 M pixels
    expect(Number(burned)).toBeGreaterThan(3_700_000);
    expect(Number(burned)).toBeLessThan(3_800_000);
  });
});
