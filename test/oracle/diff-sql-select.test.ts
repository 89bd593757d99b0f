// -sql's OGR SQL SELECT against the real gdal_rasterize, on GeoJSON, GeoJSONSeq, Shapefile, FlatGeobuf and
// GeoPackage (where GDAL runs the statement in SQLite): ORDER BY (keys ASC/DESC, several keys, NULLs, text
// case, ties), LIMIT/OFFSET, column aliases that -a names, DISTINCT, with and without -te (the result's
// extent sizes a new raster), every pixel and the exit code compared. Overlapping polygons burned with
// REPLACE make the order visible: the last feature wins. Seeded; the seed is printed
// (RASTERBURN_SEED=n replays a run).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../bench/random.js';
import { CLI, report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { compareRasters, GDAL_ENV } from './gdal/oracle.js';

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;

const TEXT = ['b', 'B', 'a', 'A', 'ab', 'é', 'Z', 'z', ''];
function layer(rand: () => number): Feature[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: Feature[] = [];
  for (let k = 1; k <= 14; k++) {
    const x = Math.floor(rand() * 14), y = Math.floor(rand() * 14);
    const w = 3 + Math.floor(rand() * 6), h = 3 + Math.floor(rand() * 6);
    out.push({
      type: 'Feature',
      // small integers with ties and NULLs, reals with NULLs, text of mixed case (none empty: the
      // Shapefile driver reads an empty text cell as NULL)
      properties: { k, v: rand() < 0.15 ? null : 1 + Math.floor(rand() * 5), r: rand() < 0.2 ? null : Math.round(rand() * 80 - 40) / 8, s: rand() < 0.15 ? null : pick(TEXT.slice(0, -1)) },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] },
    });
  }
  return out;
}

const WHERES = ['', 'v > 2', 'r IS NULL OR r < 1', "s IN ('a', 'B', 'é')", 'k >= 12', 'v = 99'];
// FID: OGR's special field, the feature's place in the file (the GeoJSON features carry no ids)
const KEYS = ['v', 'r', 's', 'k', 'FID'];
function statement(rand: () => number, gpkg: boolean): { sql: string; a: string } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const cols = pick([['*'], ['k', 'v', 'r', 's'], ['v AS w', 's'], ['k x', 'r']]);
  const a = cols.includes('v AS w') ? 'w' : cols.includes('k x') ? 'x' : pick(['k', 'v']);
  const select = gpkg && cols[0] !== '*' ? [...cols, 'geom'] : cols;
  let sql = `SELECT ${select.join(', ')} FROM src`;
  const where = pick(WHERES);
  if (where) sql += ` WHERE ${where}`;
  const n = Math.floor(rand() * 3);
  if (n) sql += ` ORDER BY ${Array.from({ length: n }, () => `${pick(KEYS)}${pick(['', ' ASC', ' DESC'])}`).join(', ')}`;
  const limit = rand() < 0.4;
  if (limit) sql += ` LIMIT ${Math.floor(rand() * 8)}`;
  // SQLite takes OFFSET only after LIMIT
  if ((limit || !gpkg) && rand() < 0.35) sql += ` OFFSET ${Math.floor(rand() * 6)}`;
  return { sql, a };
}

type Format = 'geojson' | 'geojsons' | 'shp' | 'fgb' | 'gpkg';
const FORMATS: Format[] = ['geojson', 'geojsons', 'shp', 'fgb', 'gpkg'];
const convert = (f: Format) => (dir: string): Promise<string> => {
  if (f === 'geojson') return Promise.resolve('src.geojson');
  const driver = { geojsons: 'GeoJSONSeq', shp: 'ESRI Shapefile', fgb: 'FlatGeobuf', gpkg: 'GPKG' }[f];
  execFileSync('ogr2ogr', ['-f', driver, f === 'shp' ? 'shp' : `src.${f}`, 'src.geojson', '-nln', 'src'], { cwd: dir, env: GDAL_ENV });
  return Promise.resolve(f === 'shp' ? 'shp/src.shp' : `src.${f}`);
};

describe(`-sql SELECT against gdal_rasterize (seed ${seed})`, () => {
  it('burns what GDAL burns for ORDER BY, LIMIT/OFFSET, aliases and WHERE, with and without -te', async () => {
    console.log(`sql select seed ${seed}`);
    const rand = rng(seed);
    const src = layer(rand);
    const problems: string[] = [];
    for (const f of FORMATS) {
      const cases: DiffCase[] = [];
      for (let i = 0; i < 10; i++) {
        const { sql, a } = statement(rand, f === 'gpkg');
        const grid = i % 3 === 0 ? ['-tr', '1', '1'] : ['-te', '-1', '-1', '23', '23', '-tr', '1', '1'];
        cases.push({ name: `${f}-${i}`, source: src, args: ['-a', a, '-ot', 'Int16', '-a_nodata', '-1', ...grid, '-sql', sql] });
      }
      const res = await runCases(cases, { sourceAs: convert(f), gdalErrorMeansError: true });
      const bad = report(res);
      if (bad) problems.push(`${f} (seed ${seed}):\n${bad}`);
    }
    expect(problems.join('\n'), `replay: RASTERBURN_SEED=${seed}`).toBe('');
  }, 600_000);
});

describe('-sql results GDAL burns nothing from, and statements it refuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rasterburn-sql-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = layer(rng(7));
  writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: src }));
  execFileSync('ogr2ogr', ['-f', 'GPKG', 'src.gpkg', 'src.geojson', '-nln', 'src'], { cwd: dir, env: GDAL_ENV });
  const TE = ['-te', '-1', '-1', '23', '23', '-tr', '1', '1'];
  const both = (args: string[], source: string, name: string) => {
    const g = spawnSync('gdal_rasterize', ['-q', ...args, source, `g-${name}.tif`], { cwd: dir, env: GDAL_ENV, encoding: 'utf8' });
    const o = spawnSync(process.execPath, [CLI, '-q', ...args, source, `o-${name}.tif`], { cwd: dir, encoding: 'utf8' });
    return { g, o, gPath: join(dir, `g-${name}.tif`), oPath: join(dir, `o-${name}.tif`) };
  };

  it('a GeoPackage SELECT without the geometry column, and SELECT DISTINCT: nothing burned (warned), no extent without -te', () => {
    const runs: [string, string, string][] = [
      ['gpkg-no-geometry', 'src.gpkg', 'SELECT k, v FROM src WHERE v > 1'],
      ['gpkg-no-geometry-ordered', 'src.gpkg', 'SELECT v FROM src ORDER BY v LIMIT 3'],
      ['geojson-distinct', 'src.geojson', 'SELECT DISTINCT v FROM src'],
      ['shp-distinct-alias', 'src.geojson', 'SELECT DISTINCT v AS w FROM src ORDER BY v'],
    ];
    for (const [name, source, sql] of runs) {
      const a = sql.includes(' AS w') ? 'w' : 'v';
      const r = both(['-a', a, ...TE, '-ot', 'Byte', '-init', '3', '-sql', sql], source, name);
      expect(r.g.status, `${name}: ${r.g.stderr}`).toBe(0);
      expect(r.o.status, `${name}: ${r.o.stderr}`).toBe(0);
      expect(r.o.stderr, name).toMatch(/^rasterburn: warning: nothing burned: -sql's SELECT/);
      const [c] = compareRasters([{ a: r.gPath, b: r.oPath, wantArray: 4096 }]);
      expect(c.sizeSame && c.gtSame && c.pixelDiffs?.every((d) => d.count === 0), `${name}: ${JSON.stringify(c.pixelDiffs)}`).toBe(true);
      expect(c.aArray?.flat().every((v) => Number(v) === 3), name).toBe(true);
      // without -te: GDAL cannot size a raster from a result without geometry, and neither can we
      const n = both(['-a', a, '-tr', '1', '1', '-sql', sql], source, `${name}-no-te`);
      expect(n.g.status, name).not.toBe(0);
      expect(n.g.stderr).toMatch(/Cannot get layer extent/);
      expect(n.o.status, name).toBe(1);
      expect(n.o.stderr).toMatch(/^rasterburn: Cannot get layer extent/);
      // -a must still name one of the result's columns
      const m = both(['-a', 'nope', ...TE, '-sql', sql], source, `${name}-nope`);
      expect(m.g.status, name).not.toBe(0);
      expect(m.o.status, name).toBe(1);
      expect(m.o.stderr).toMatch(/Failed to find field nope/);
    }
  }, 120_000);

  it('refuses what GDAL refuses, in one line', () => {
    const refused = [
      'SELECT k FROM src ORDER BY nope', 'SELECT k AS x FROM src ORDER BY x', 'SELECT nope FROM src', 'SELECT k FROM src LIMIT 1.5',
      'SELECT k FROM src OFFSET 1 LIMIT 2', 'SELECT DISTINCT k, v FROM src', 'SELECT k FROM src ORDER BY k ASC DESC',
    ];
    for (const sql of refused) {
      const a = /AS x/.test(sql) ? 'x' : 'k';
      const r = both(['-a', a, ...TE, '-sql', sql], 'src.geojson', 'refused');
      expect(r.g.status, `gdal: ${sql}`).not.toBe(0);
      expect(r.o.status, `ours: ${sql}`).toBe(1);
      expect(r.o.stderr.trim().split('\n'), sql).toHaveLength(1);
    }
    // GDAL prints SQLite's error for OFFSET without LIMIT on a GeoPackage and burns nothing with exit 0;
    // rasterburn stops at the error
    const o = both(['-a', 'k', ...TE, '-sql', 'SELECT * FROM src OFFSET 2'], 'src.gpkg', 'gpkg-offset');
    expect(o.g.stderr).toMatch(/syntax error/);
    expect(o.o.status).toBe(1);
    expect(o.o.stderr).toMatch(/syntax error/);
    // ORDER BY FID where GeoJSON features carry ids (GDAL's FIDs then): refused rather than ordered otherwise
    writeFileSync(join(dir, 'ids.geojson'), JSON.stringify({ type: 'FeatureCollection', features: src.map((f, i) => ({ ...f, id: (i * 7) % 5 + 10 * i })) }));
    const ids = both(['-a', 'k', ...TE, '-sql', 'SELECT * FROM ids ORDER BY FID DESC'], 'ids.geojson', 'ids');
    expect(ids.g.status).toBe(0);
    expect(ids.o.status).toBe(1);
    expect(ids.o.stderr.trim().split('\n')).toHaveLength(1);
    expect(ids.o.stderr).toMatch(/ORDER BY FID on GeoJSON features that carry ids is not supported/);
  }, 120_000);
});
