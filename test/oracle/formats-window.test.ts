// The CLI reads only the features that can touch the grid (-te grown by two pixels: FlatGeobuf's index,
// GeoPackage's R-tree, GeoParquet's row groups, each Shapefile record's box) and only the fields -a and
// -where name. Here grids cover part of a seeded data set, with edges through features, on vertices, and
// off the data altogether, in every mode, and every pixel is compared with gdal_rasterize reading the
// same file; then the library's readFeatures shows that the index really read less.
//   RASTERBURN_SEED=n   replay (the seed is printed)
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { convert, type Format } from '../formats/convert.js';
import { CLI, report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { GDAL_ENV } from './gdal/oracle.js';
import { readFeatures } from '../../src/node.js';
import { mulberry32 as rng } from '../../bench/random.js';

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;
const X0 = 500_000, Y0 = 6_000_000;

// polygons (some on whole metres, so that grid edges fall on their vertices), lines and points over a
// 400 m square; `polygonsOnly` for a Shapefile, which holds one geometry family
function features(polygonsOnly: boolean): Feature[] {
  const r = rng(seed);
  const out: Feature[] = [];
  for (let i = 0; i < 300; i++) {
    const kind = polygonsOnly ? 0 : i % 5 === 3 ? 1 : i % 5 === 4 ? 2 : 0;
    const snap = i % 3 === 0;
    const x = X0 + (snap ? Math.round(r() * 400) : r() * 400), y = Y0 + (snap ? Math.round(r() * 400) : r() * 400);
    const w = snap ? 1 + Math.round(r() * 12) : 0.5 + r() * 12, h = snap ? 1 + Math.round(r() * 12) : 0.5 + r() * 12;
    const geometry = kind === 0 ? { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] }
      : kind === 1 ? { type: 'LineString', coordinates: [[x, y], [x + w * 3, y + h], [x + w, y + h * 3]] }
        : { type: 'Point', coordinates: [x, y] };
    out.push({ type: 'Feature', properties: { v: i + 1, w: Math.round(r() * 1000) / 10, name: `f${i % 7}` }, geometry });
  }
  return out;
}

const grids: { name: string; args: string[] }[] = [
  { name: 'quarter', args: ['-te', `${X0 + 100}`, `${Y0 + 100}`, `${X0 + 300}`, `${Y0 + 300}`, '-ts', '200', '200'] },
  { name: 'quarter-at', args: ['-te', `${X0 + 100}`, `${Y0 + 100}`, `${X0 + 300}`, `${Y0 + 300}`, '-ts', '200', '200', '-at'] },
  { name: 'odd-tr-tap', args: ['-te', `${X0 + 37.3}`, `${Y0 + 211.9}`, `${X0 + 151.1}`, `${Y0 + 288.2}`, '-tr', '0.7', '0.7', '-tap', '-at'] },
  { name: 'corner-strip', args: ['-te', `${X0 + 390}`, `${Y0 - 5}`, `${X0 + 420}`, `${Y0 + 405}`, '-tr', '1', '1'] },
  { name: 'off-the-data', args: ['-te', `${X0 + 2000}`, `${Y0 + 2000}`, `${X0 + 2100}`, `${Y0 + 2100}`, '-ts', '50', '50'] },
  { name: 'where', args: ['-te', `${X0 + 50}`, `${Y0 + 50}`, `${X0 + 250}`, `${Y0 + 150}`, '-ts', '300', '150', '-where', "name IN ('f1', 'f3') OR w > 70"] },
  { name: 'invert', args: ['-te', `${X0 + 100}`, `${Y0 + 100}`, `${X0 + 200}`, `${Y0 + 200}`, '-ts', '100', '100', '-i'] },
];

describe(`grids covering part of the data, every format (seed ${seed})`, () => {
  (['gpkg', 'fgb', 'shp', 'parquet'] as Format[]).forEach((format) => {
    it(`${format}: identical to gdal_rasterize on the same file`, async () => {
      const source = features(format === 'shp');
      const cases: DiffCase[] = [];
      for (const g of grids) {
        for (const burn of [['-a', 'v', '-ot', 'Int32'], ['-burn', '7', '-ot', 'Byte']]) {
          if (g.name === 'invert' && burn[0] === '-a') continue;
          cases.push({ name: `${format}-${g.name}${burn[0]}`, source, args: [...g.args, ...burn, '-a_srs', 'EPSG:32633'] });
        }
      }
      const res = await runCases(cases, {
        sourceAs: async (dir) => {
          // the features in EPSG:32633, as the file's own SRS
          const fc = JSON.parse(readFileSync(join(dir, 'src.geojson'), 'utf8'));
          fc.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } };
          writeFileSync(join(dir, 'src.geojson'), JSON.stringify(fc));
          return convert(format, dir);
        },
      });
      expect(report(res), `replay: RASTERBURN_SEED=${seed}`).toBe('');
    }, 300_000);
  });
});

describe('a bbox reads less', () => {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-window-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('FlatGeobuf, GeoPackage and GeoParquet read a few features; a Shapefile parses only those; fields only those asked', async () => {
    const fc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } }, features: features(true) };
    writeFileSync(join(work, 'src.geojson'), JSON.stringify(fc));
    const files: Record<string, string> = {};
    for (const f of ['gpkg', 'fgb', 'shp', 'parquet'] as Format[]) {
      const p = await convert(f, work);
      files[f] = join(work, typeof p === 'string' ? p : p.ours);
    }
    // 1% of the extent
    const bbox: [number, number, number, number] = [X0 + 180, Y0 + 180, X0 + 220, Y0 + 220];
    const inside = (g: { coordinates: number[][][] }) => g.coordinates[0].some(() => true)
      && Math.min(...g.coordinates[0].map((p) => p[0])) <= bbox[2] && Math.max(...g.coordinates[0].map((p) => p[0])) >= bbox[0]
      && Math.min(...g.coordinates[0].map((p) => p[1])) <= bbox[3] && Math.max(...g.coordinates[0].map((p) => p[1])) >= bbox[1];
    const expected = fc.features.filter((f) => inside(f.geometry as never)).map((f) => f.properties?.v);
    expect(expected.length).toBeGreaterThan(0);
    for (const [format, path] of Object.entries(files)) {
      const all = await readFeatures(path);
      const some = await readFeatures(path, { bbox: (srs) => (srs === 'EPSG:32633' ? bbox : undefined), fields: ['V'] });
      expect(all.features.length, format).toBe(300);
      // in file order (ogr2ogr writes a FlatGeobuf's features in its index's order)
      const want = all.features.filter((f) => expected.includes(f.properties?.v)).map((f) => f.properties?.v);
      expect(want.length, format).toBe(expected.length);
      expect(some.features.map((f) => f.properties?.v), format).toEqual(want);
      // the other fields are listed, not decoded
      expect(some.fields.map((f) => f.name), format).toEqual(all.fields.map((f) => f.name));
      expect(Object.keys(some.features[0].properties ?? {}), format).toEqual(['v']);
      if (format === 'shp') expect(some.featuresRead).toBe(300);
      else if (format === 'parquet') expect(some.featuresRead, format).toBeLessThan(300);
      else if (format === 'gpkg') {
        // the R-tree holds float32 boxes rounded outwards: a feature a few centimetres outside may be read, then dropped
        expect(some.featuresRead).toBeGreaterThanOrEqual(expected.length);
        expect(some.featuresRead).toBeLessThan(expected.length + 10);
      } else expect(some.featuresRead, format).toBe(expected.length);
    }
    // the CLI through the index: nothing on standard output (the package's own search logs every node range)
    const cli = execFileSync(process.execPath, [CLI, '-q', '-te', `${bbox[0]}`, `${bbox[1]}`, `${bbox[2]}`, `${bbox[3]}`, '-ts', '40', '40', '-burn', '1', files.fgb, join(work, 'o.tif')], { encoding: 'utf8' });
    expect(cli).toBe('');
    // an R-tree GDAL wrote is what the GeoPackage read used: without it every row is read
    execFileSync('python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute("DROP TABLE rtree_src_geom")\nc.commit()', files.gpkg], { env: GDAL_ENV });
    const noIndex = await readFeatures(files.gpkg, { bbox });
    expect(noIndex.features.map((f) => f.properties?.v)).toEqual(expected);
    expect(noIndex.featuresRead).toBe(300);
  }, 120_000);
});

describe('a text field whose values look like dates', () => {
  // GDAL reads a String field's value with atof whatever it looks like (2021-05-01 burns 2021); a
  // layer's declared type decides, not the values the window left
  const source: Feature[] = [
    { type: 'Feature', properties: { d: '2020-01-01' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]] } },
    { type: 'Feature', properties: { d: '2021-05-01' }, geometry: { type: 'Polygon', coordinates: [[[5, 5], [9, 5], [9, 9], [5, 9], [5, 5]]] } },
    { type: 'Feature', properties: { d: 'x12' }, geometry: { type: 'Polygon', coordinates: [[[50, 50], [59, 50], [59, 59], [50, 59], [50, 50]]] } },
  ];
  const DRIVER: Record<string, [string, string]> = { shp: ['ESRI Shapefile', 'src.shp'], gpkg: ['GPKG', 'src.gpkg'], fgb: ['FlatGeobuf', 'src.fgb'] };
  it('burns what GDAL burns from a Shapefile, a GeoPackage and a FlatGeobuf, whole and through a window', async () => {
    const cases: DiffCase[] = [];
    for (const f of Object.keys(DRIVER)) {
      cases.push({ name: `${f}-date-text-whole`, source, args: ['-a', 'd', '-ot', 'Int32', '-te', '0', '0', '60', '60', '-ts', '60', '60'] });
      cases.push({ name: `${f}-date-text-window`, source, args: ['-a', 'd', '-ot', 'Int32', '-te', '0', '0', '10', '10', '-ts', '10', '10'] });
    }
    const res = await runCases(cases, {
      sourceAs: async (dir, c) => {
        const [driver, file] = DRIVER[c.name.split('-')[0]];
        execFileSync('ogr2ogr', ['-f', driver, '-mapFieldType', 'Date=String', file, 'src.geojson'], { cwd: dir, env: GDAL_ENV });
        return file;
      },
    });
    expect(report(res)).toBe('');
  }, 120_000);
});
