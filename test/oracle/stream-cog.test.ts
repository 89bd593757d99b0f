// -of COG over the memory budget: the band-by-band path (src/cli/stream.ts) writes what GDAL's COG validator
// accepts, with gdal_rasterize -of COG's pixels, compression and block size. main.ts takes that path only for
// grids past its budget; the test calls it as main.ts does, so that a small grid takes it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { planOutput } from '../../src/cli/plan.js';
import { streamGeoTIFF } from '../../src/cli/stream.js';
import { burnThreads } from '../../src/cli/threads.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import { checkDestination } from '../../src/io/node-destination.js';
import { parseCogOptions } from '../../src/io/tiff/cog-options.js';
import { loadZstd } from '../../src/io/tiff/zstd.js';
import { randomScene } from '../shared/batch-scenes.js';
import { compareRasters, GDAL_ENV, PYTHON } from './gdal/oracle.js';

const DIR = mkdtempSync(join(tmpdir(), 'rasterburn-stream-cog-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: GDAL_ENV, cwd: DIR, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  return r.stdout + r.stderr;
}

// main.ts's streamed write of a COG, with its -co parsed as main.ts parses COG's
async function streamCog(argv: string[]): Promise<string[]> {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error('bad test arguments');
  const args = parsed.args;
  const source = JSON.parse(readFileSync(args.src, 'utf8')) as FeatureInput;
  const plan = planOutput({ args, source, srcPath: args.src, mode: 'create' });
  const co = parseCogOptions(args.creationOptions, plan.dtype, plan.grid.width, plan.grid.height);
  if (co.options.compress === 'zstd') await loadZstd();
  const threads = await burnThreads(args, new URL('../../dist/src/burn/node-worker.js', import.meta.url), 0);
  const warnings: string[] = [];
  try {
    await streamGeoTIFF({ args, dest: checkDestination(args.dst), source, plan, bar: { update() {}, clear() {} }, notice: () => {}, budget: 1e8,
      t0: performance.now(), creation: co.options, threads, warnings });
  } finally {
    await threads.close();
  }
  return warnings;
}

describe('-of COG streamed over the memory budget', () => {
  it('is a valid COG with gdal_rasterize -of COG\'s pixels, compression and blocks', async () => {
    const { features } = randomScene(5, 900, 700);
    writeFileSync(join(DIR, 'scene.geojson'), JSON.stringify(features));
    const grid = ['-te', '0', '0', '1300', '700', '-ts', '1300', '700'];
    // GDAL 3.6's gdal_rasterize cannot write a COG: its GTiff turned COG by gdal_translate is the reference
    const cases: Array<{ burn: string[]; co: string[] }> = [
      { burn: ['-a', 'id', '-ot', 'UInt16'], co: [] },
      { burn: ['-burn', '7', '-ot', 'Byte', '-a_nodata', '0'], co: ['COMPRESS=DEFLATE', 'BLOCKSIZE=256'] },
      { burn: ['-a', 'v', '-ot', 'Float32'], co: ['COMPRESS=ZSTD', 'PREDICTOR=YES'] },
      { burn: ['-a', 'id', '-ot', 'Int32'], co: ['COMPRESS=NONE', 'BLOCKSIZE=128'] },
    ];
    for (const [k, c] of cases.entries()) {
      const ours = join(DIR, `ours-${k}.tif`), plain = join(DIR, `plain-${k}.tif`), gdal = join(DIR, `gdal-${k}.tif`);
      const co = ['OVERVIEWS=NONE', ...c.co].flatMap((o) => ['-co', o]);
      run('gdal_rasterize', ['-q', ...c.burn, ...grid, 'scene.geojson', plain]);
      run('gdal_translate', ['-q', '-of', 'COG', ...co, plain, gdal]);
      await streamCog(['-q', '-of', 'COG', ...co, ...c.burn, ...grid, join(DIR, 'scene.geojson'), ours]);
      const what = `case ${k} (${[...c.burn, ...c.co].join(' ')})`;
      expect(run(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', ours]), what).toMatch(/is a valid cloud optimized GeoTIFF/);
      const [cmp] = compareRasters([{ a: gdal, b: ours }]);
      const detail = `${what}: ${JSON.stringify(cmp).slice(0, 600)}`;
      expect(cmp.sizeSame && cmp.gtSame && cmp.srsSame && cmp.typeSame && cmp.nodataSame, detail).toBe(true);
      expect(cmp.pixelDiffs ?? [], detail).toEqual([]);
      const a = cmp.a as { structure: { compression: string | null; block: unknown; predictor?: string | null } };
      const b = cmp.b as typeof a;
      expect([b.structure.compression, b.structure.block, b.structure.predictor ?? null], detail).toEqual([a.structure.compression, a.structure.block, a.structure.predictor ?? null]);
    }
  }, 300_000);
});
