// -where and -sql on the other vector formats against the real gdal_rasterize: GDAL's GeoPackage driver hands the
// clause to SQLite (LIKE without case, three-valued NOT, ==, a bare column as a truth value), the Shapefile
// driver reads a blank text cell as NULL, and FlatGeobuf's rows are filtered on their columns.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feature as F, report, runCases, type DiffCase } from './gdal/harness.js';
import { GDAL_ENV } from './gdal/oracle.js';

const SRC = [
  F('POLYGON ((0 0, 6 0, 6 6, 0 6, 0 0))', { v: 3, s: 'abc', r: 1.5 }),
  F('POLYGON ((3 3, 9 3, 9 9, 3 9, 3 3))', { v: 7, s: 'XYZ', r: null }),
  F('POLYGON ((1 4, 8 4, 8 8, 1 8, 1 4))', { v: 5, s: null, r: 2.5 }),
  F('POLYGON ((5 0, 10 0, 10 2, 5 2, 5 0))', { v: 9, s: 'xyz', r: -1 }),
];
const GRID = ['-tr', '1', '1', '-te', '0', '0', '10', '10', '-ot', 'Byte'];

describe('-where and -sql on GeoPackage, Shapefile and FlatGeobuf', () => {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-where-formats-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('burn what GDAL burns', async () => {
    writeFileSync(join(work, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
    const made: Record<string, Buffer> = {};
    for (const [ext, driver] of [['gpkg', 'GPKG'], ['fgb', 'FlatGeobuf']] as const) {
      execFileSync('ogr2ogr', ['-f', driver, `src.${ext}`, 'src.geojson', '-nln', 'src'], { cwd: work, env: GDAL_ENV });
      made[ext] = readFileSync(join(work, `src.${ext}`));
    }
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', 'shp', 'src.geojson', '-nln', 'src'], { cwd: work, env: GDAL_ENV });
    const shp = ['shp', 'shx', 'dbf', 'prj'].map((e) => [e, readFileSync(join(work, 'shp', `src.${e}`))] as const);
    const as = (ext: 'gpkg' | 'fgb' | 'shp') => (dir: string) => {
      if (ext === 'shp') for (const [e, b] of shp) writeFileSync(join(dir, `src.${e}`), b);
      else writeFileSync(join(dir, `src.${ext}`), made[ext]);
      return Promise.resolve(`src.${ext}`);
    };
    const where = (ext: 'gpkg' | 'fgb' | 'shp', w: string, extra: string[] = []): DiffCase => ({ name: `${ext}-where-${w}`, source: [], args: ['-a', 'v', '-where', w, ...extra, ...GRID] });
    const groups: ['gpkg' | 'fgb' | 'shp', DiffCase[]][] = [
      ['gpkg', [
        where('gpkg', "s LIKE 'xy%'"), where('gpkg', "NOT s = 'xyz'"), where('gpkg', 'v == 7'), where('gpkg', 'r'), where('gpkg', 's IS NULL'),
        where('gpkg', "v > '4'"), where('gpkg', "lower(s) = 'xyz' OR r < 0"),
        { name: 'gpkg-sql-like', source: [], args: ['-a', 'v', '-sql', "SELECT * FROM src WHERE s LIKE 'XY%'", ...GRID] },
        { name: 'gpkg-sql-dialect-sqlite', source: [], args: ['-a', 'v', '-dialect', 'SQLITE', '-sql', "SELECT * FROM src WHERE NOT s = 'abc'", ...GRID] },
        { name: 'gpkg-sql-dialect-ogrsql', source: [], args: ['-a', 'v', '-dialect', 'OGRSQL', '-sql', "SELECT * FROM src WHERE s LIKE 'xy%'", ...GRID] },
        { name: 'gpkg-sql-ilike-refused-by-sqlite', source: [], args: ['-a', 'v', '-sql', "SELECT * FROM src WHERE s ILIKE 'x%'", ...GRID], expect: 'error', gdalFails: true },
      ]],
      ['fgb', [where('fgb', "s LIKE 'xy%'"), where('fgb', "NOT s = 'xyz'"), where('fgb', 's IS NULL'), where('fgb', 'r * 2 > 2 OR v IN (9)')]],
      ['shp', [where('shp', 's IS NULL'), where('shp', "s = 'XYZ'"), where('shp', 'r IS NULL'), where('shp', "NOT s LIKE 'x%'")]],
    ];
    for (const [ext, cases] of groups) {
      const res = await runCases(cases, { sourceAs: as(ext) });
      expect(report(res), ext).toBe('');
    }
    // SQLite's dialect on a source that is no GeoPackage: refused, where GDAL runs it
    const res = await runCases([{ name: 'geojson-sql-dialect-sqlite', source: SRC, args: ['-a', 'v', '-dialect', 'SQLite', '-sql', 'SELECT * FROM src', ...GRID], expect: 'error', gdalFails: false }]);
    expect(report(res)).toBe('');
  }, 300_000);
});
