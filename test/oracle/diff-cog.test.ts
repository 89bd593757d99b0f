// -of COG: GDAL 3.6's gdal_rasterize cannot write COG (its COG driver has no direct creation), so the
// reference is gdal_rasterize's GTiff through gdal_translate -of COG with the same options (OVERVIEWS=NONE:
// rasterburn computes none). Pixels, type, nodata, georeferencing, compression and block size must match,
// and GDAL's validator must accept our file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, feature as F } from './gdal/harness.js';
import { compareRasters, GDAL_ENV, PYTHON } from './gdal/oracle.js';

const SRC = [
  F('POLYGON ((3.2 4.1, 290.5 12.7, 250.3 190.2, 10.4 170.9, 3.2 4.1))', { v: 7.25 }),
  F('LINESTRING (0 199, 299 0)', { v: 1000 }),
];
const GRID = ['-te', '0', '0', '300', '200', '-ts', '1200', '800'];
const CASES: { burn: string[]; co: string[] }[] = [
  { burn: ['-burn', '1', '-ot', 'Byte'], co: [] },
  { burn: ['-a', 'v', '-ot', 'Float32'], co: ['COMPRESS=DEFLATE', 'PREDICTOR=YES', 'BLOCKSIZE=256'] },
  { burn: ['-a', 'v', '-ot', 'Int16', '-a_nodata', '-1'], co: ['COMPRESS=ZSTD', 'LEVEL=3'] },
  { burn: ['-burn', '3', '-ot', 'UInt16', '-a_srs', 'EPSG:32633'], co: ['COMPRESS=NONE', 'BLOCKSIZE=128'] },
];

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, env: GDAL_ENV, encoding: 'utf8' });
  return { rc: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('-of COG', () => {
  it("matches GDAL's GTiff turned COG, and passes GDAL's COG validator", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cog-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      // GDAL 3.6.2 itself refuses
      expect(run('gdal_rasterize', ['-of', 'COG', '-burn', '1', ...GRID, 'src.geojson', 'x.tif'], dir).rc).not.toBe(0);
      CASES.forEach((c, i) => {
        const co = ['OVERVIEWS=NONE', ...c.co].flatMap((o) => ['-co', o]);
        expect(run('gdal_rasterize', ['-q', ...c.burn, ...GRID, 'src.geojson', `g${i}.tif`], dir).rc).toBe(0);
        expect(run('gdal_translate', ['-q', '-of', 'COG', ...co, `g${i}.tif`, `gc${i}.tif`], dir).rc).toBe(0);
        const ours = run(process.execPath, [CLI, '-q', '-of', 'COG', ...co, ...c.burn, ...GRID, 'src.geojson', `o${i}.tif`], dir);
        expect(ours.rc, ours.out).toBe(0);
        const v = run(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', `o${i}.tif`], dir);
        expect(v.out, `case ${i}`).toMatch(/is a valid cloud optimized GeoTIFF/);
        const [cmp] = compareRasters([{ a: join(dir, `gc${i}.tif`), b: join(dir, `o${i}.tif`) }]);
        const what = `case ${i}: ${JSON.stringify(cmp).slice(0, 600)}`;
        expect(cmp.sizeSame && cmp.gtSame && cmp.srsSame && cmp.typeSame && cmp.nodataSame, what).toBe(true);
        expect(cmp.pixelDiffs ?? [], what).toEqual([]);
        const a = cmp.a as { structure: { compression: string | null; block: unknown; predictor?: string | null } };
        const b = cmp.b as typeof a;
        expect([b.structure.compression, b.structure.block, b.structure.predictor ?? null], what).toEqual([a.structure.compression, a.structure.block, a.structure.predictor ?? null]);
      });
      // over one block without OVERVIEWS=NONE: written with GDAL's default CUBIC overviews (pixel rule G11), valid, silent
      const auto = run(process.execPath, [CLI, '-of', 'COG', '-burn', '1', ...GRID, 'src.geojson', 'auto.tif'], dir);
      expect([auto.rc, auto.out]).toEqual([0, '']);
      expect(run(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', 'auto.tif'], dir).out).toMatch(/is a valid cloud optimized GeoTIFF/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
