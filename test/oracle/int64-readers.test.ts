// Integer64 attributes read from GeoPackage (sql.js) and GeoParquet (hyparquet) burn every digit into an
// Int64 band, as gdal_rasterize burns them (pixel rule V10): values beyond 2^53, next to small ones in the
// same column, against GDAL on a GeoPackage written by ogr2ogr (GDAL 3.6 has no Parquet driver here: the
// GeoParquet copy of the same rows is compared with GDAL on the GeoPackage). Seeded values; the seed is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/random.js';
import { geoParquetBytes } from '../formats/geoparquet-writer.js';
import { python, run } from './gdal/oracle.js';
import { CLI } from './queue-helpers.js';

const SEED = Number(process.env.RASTERBURN_SEED ?? 20261207);
const DIR = mkdtempSync(join(tmpdir(), 'rb-int64-readers-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

// values near 2^53 and the ends of the Int64 range, and small ones, in one column
function values(seed: number, n: number): bigint[] {
  const r = mulberry32(seed);
  const fixed = [2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 63n - 1n, -(2n ** 63n) + 1n, 2n ** 53n, 7n];
  const out = [...fixed];
  while (out.length < n) {
    const k = r();
    const small = BigInt(Math.floor(r() * 2000) - 1000);
    const near53 = 2n ** 53n + BigInt(Math.floor(r() * 4096)) - 2048n;
    const high = 2n ** 63n - 1n - BigInt(Math.floor(r() * 1e9));
    const v = k < 0.3 ? small : k < 0.7 ? near53 : high;
    out.push(r() < 0.4 ? -v : v);
  }
  return out;
}

// Int64 pixels as decimal text (JSON numbers would pass through doubles)
function pixels(path: string): string[] {
  return python('import sys\nfrom osgeo import gdal\nd = gdal.Open(sys.argv[1])\nprint(gdal.GetDataTypeName(d.GetRasterBand(1).DataType), *d.ReadAsArray().ravel().tolist())', undefined, [path]).trim().split(' ');
}

describe(`Integer64 attributes beyond 2^53 from GeoPackage and GeoParquet (seed ${SEED})`, () => {
  it('burn what gdal_rasterize burns from the GeoPackage, every digit', async () => {
    console.log(`int64 readers seed ${SEED} (RASTERBURN_SEED=${SEED} repeats it)`);
    const vs = values(SEED, 40);
    const ring = (i: number) => [[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]];
    // text, so that ogr2ogr reads every digit (GeoJSON integers beyond 2^53 are Integer64 to OGR)
    const text = `{"type":"FeatureCollection","features":[${vs.map((v, i) => `{"type":"Feature","properties":{"v":${v},"id":${i}},"geometry":{"type":"Polygon","coordinates":${JSON.stringify([ring(i)])}}}`).join(',')}]}`;
    writeFileSync(join(DIR, 'src.geojson'), text);
    const o = await run('ogr2ogr', ['-f', 'GPKG', join(DIR, 'src.gpkg'), join(DIR, 'src.geojson'), '-nln', 'src']);
    expect(o.rc, o.stderr).toBe(0);
    const features = vs.map((v, i) => ({ geometry: { type: 'Polygon', coordinates: [ring(i)] }, properties: { v, id: i } }));
    writeFileSync(join(DIR, 'src.parquet'), geoParquetBytes(features, { crs: 'EPSG:4326', types: { v: 'INT64', id: 'INT64' }, rowGroupSize: 16 }));

    const grid = ['-te', '0', '0', String(vs.length), '1', '-ts', String(vs.length), '1'];
    const g = await run('gdal_rasterize', ['-q', '-a', 'v', ...grid, join(DIR, 'src.gpkg'), join(DIR, 'gdal.tif')]);
    expect(g.rc, g.stderr).toBe(0);
    const want = pixels(join(DIR, 'gdal.tif'));
    expect(want[0]).toBe('Int64');
    expect(want.slice(1)).toEqual(vs.map(String));
    for (const src of ['src.gpkg', 'src.parquet']) {
      const out = join(DIR, `${src}.tif`);
      const r = await run(process.execPath, [CLI, '-q', '-a', 'v', ...grid, join(DIR, src), out]);
      expect(r.rc, r.stderr).toBe(0);
      expect(pixels(out), src).toEqual(want);
    }
    // the same through -where on another column: the exact values are kept on the second pass too
    const w = await run('gdal_rasterize', ['-q', '-a', 'v', '-where', 'id >= 3', ...grid, join(DIR, 'src.gpkg'), join(DIR, 'gdal-where.tif')]);
    expect(w.rc, w.stderr).toBe(0);
    const wantWhere = pixels(join(DIR, 'gdal-where.tif'));
    for (const src of ['src.gpkg', 'src.parquet']) {
      const out = join(DIR, `${src}-where.tif`);
      const r = await run(process.execPath, [CLI, '-q', '-a', 'v', '-where', 'id >= 3', ...grid, join(DIR, src), out]);
      expect(r.rc, r.stderr).toBe(0);
      expect(pixels(out), `${src} -where`).toEqual(wantWhere);
    }
  });
});
