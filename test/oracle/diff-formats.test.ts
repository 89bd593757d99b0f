// The vector readers against the real gdal_rasterize reading the same file: the differential corpus's
// GeoJSON inputs and seeded fuzz cases converted by ogr2ogr to GeoPackage, FlatGeobuf, GeoJSONSeq,
// Shapefile and a zipped Shapefile, burned by both tools from that file and compared pixel by pixel
// (size, geotransform, SRS, type and nodata too). GDAL 3.6 has no Parquet driver: GeoParquet files are
// written with hyparquet-writer from the same features and compared with GDAL's result on the
// GeoPackage copy. Plus multi-layer GeoPackages with -l, a non-UTF-8 .cpg, and bad files.
//   RASTERBURN_FORMAT_STRIDE=n   every n-th corpus case per format (default 12; 1 runs them all)
//   RASTERBURN_FORMATS=gpkg,shp  which formats (default all: gpkg, fgb, geojsonseq, shp, shpzip, parquet)
//   RASTERBURN_CASES=regex       only the corpus cases whose name matches
//   RASTERBURN_SEED=n            replay the fuzz part (its seed is printed)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { afterAll, describe, expect, it } from 'vitest';
import { geoParquetBytes } from '../formats/geoparquet-writer.js';
import { CORPUS } from './gdal/corpus.js';
import { fuzzCase } from './gdal/fuzz.js';
import { CLI, feature as F, OUT_DIR, report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { GDAL_ENV, run } from './gdal/oracle.js';
import { convert, type Format } from '../formats/convert.js';

const FAMILY: Record<string, string> = { Polygon: 'polygon', MultiPolygon: 'polygon', LineString: 'line', MultiLineString: 'line', Point: 'point', MultiPoint: 'multipoint' };

/** Whether ogr2ogr can write the case's features in the format (a Shapefile holds one geometry family, short field names). */
function convertible(format: Format, features: Feature[], args: string[]): boolean {
  if (format !== 'shp' && format !== 'shpzip') return true;
  const fams = new Set(features.filter((f) => f.geometry).map((f) => FAMILY[(f.geometry as { type: string }).type] ?? 'other'));
  if (fams.size !== 1 || fams.has('other')) return false;
  const a = args.indexOf('-a');
  if (a >= 0 && args[a + 1].length > 10) return false;
  // the DBF has no null/boolean/nested types GeoJSON has: a field burned by -a must be a plain number or text
  return features.every((f) => Object.values(f.properties ?? {}).every((v) => v === null || typeof v === 'number' || typeof v === 'string'));
}

const stride = Number(process.env.RASTERBURN_FORMAT_STRIDE ?? 12);
function corpusCases(format: Format, offset: number): DiffCase[] {
  const usable = CORPUS.filter((c) => (c.expect ?? 'same') === 'same' && !c.skipGdal && !(c.dst && 'rawBytes' in c.dst) && !c.tail
    && (Array.isArray(c.source) || ('json' in c.source && (c.source.json as { type?: string }).type === 'FeatureCollection')));
  const only = process.env.RASTERBURN_CASES ? new RegExp(process.env.RASTERBURN_CASES) : null;
  return usable
    .filter((c, i) => (only ? only.test(c.name) : (i + offset) % stride === 0))
    .filter((c) => convertible(format, Array.isArray(c.source) ? c.source : (c.source as { json: { features: Feature[] } }).json.features, c.args))
    // GDAL sizes a grid made from the layer extent by the GeoPackage's gpkg_contents, stored rounded
    // (6000007.35 for 6000007.350000001): a GeoParquet file records its exact extent, so those cases
    // would compare the reference's rounding, not the reader (the gpkg cases cover that path)
    .filter((c) => format !== 'parquet' || c.args.includes('-te') || c.dst !== undefined)
    // the corpus's recorded GDAL observations are of the GeoJSON input
    .map((c) => ({ ...c, name: `${format}-${c.name}`, gdalRows: undefined, gdalNonZero: undefined, gdalChecksum: undefined }));
}

const FORMATS: Format[] = (process.env.RASTERBURN_FORMATS?.split(',') ?? ['gpkg', 'fgb', 'geojsonseq', 'shp', 'shpzip', 'parquet']) as Format[];

describe('corpus through each format', () => {
  FORMATS.forEach((format, k) => {
    it(`${format}: gdal_rasterize and rasterburn read the same file, identical rasters`, async () => {
      expect(existsSync(CLI), `${CLI} missing: node scripts/build-cli.mjs`).toBe(true);
      const cases = corpusCases(format, k);
      expect(cases.length).toBeGreaterThan(stride > 20 || process.env.RASTERBURN_CASES ? 0 : format === 'shp' || format === 'shpzip' ? 5 : 10);
      const res = await runCases(cases, { sourceAs: (dir) => convert(format, dir), saveFailuresTo: join(OUT_DIR, 'formats') });
      console.log(`${format}: ${res.length} corpus cases, ${res.filter((r) => r.problems.length).length} differing\n${report(res)}`);
      expect(report(res)).toBe('');
    }, 600_000);
  });
});

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;
describe(`seeded fuzz through each format (seed ${seed})`, () => {
  const utm = proj4('+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', 'WGS84');
  const toLonLat = (xy: number[]) => utm.forward(xy);
  (['gpkg', 'fgb', 'geojsonseq', 'parquet'] as Format[]).forEach((format, k) => {
    it(`${format}: 8 fuzz cases`, async () => {
      // as for the corpus, a GeoParquet case needs -te: without it GDAL's reference (the GeoPackage
      // copy) sizes the grid from gpkg_contents' rounded extent, which the Parquet file does not share
      const cases: DiffCase[] = [];
      for (let i = 0; cases.length < 8; i++) {
        const c = fuzzCase(seed, 8 * k + i, toLonLat);
        if (format !== 'parquet' || c.args.includes('-te') || c.dst !== undefined) cases.push({ ...c, name: `${format}-${c.name}` });
      }
      const res = await runCases(cases, { sourceAs: (dir) => convert(format, dir), gdalErrorMeansError: true });
      expect(report(res), `replay: RASTERBURN_SEED=${seed}`).toBe('');
    }, 300_000);
  });
});

describe('multi-layer GeoPackage, -l in command order', () => {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-formats-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const layerA = [F('POLYGON((0 0,2 0,2 3,0 3,0 0))', { v: 1 }), F('LINESTRING(0.5 0.5,2.5 2.5)', { v: 4 })];
  const layerB = [F('POLYGON((1 0,3 0,3 3,1 3,1 0))', { v: 2 }), F('POINT(2.5 0.5)', { v: 3 })];
  const utm = [F('POLYGON((500000 6000000,500002 6000000,500002 6000002,500000 6000000))', { v: 9 })];
  const fc = (features: Feature[], crs?: string) => JSON.stringify({ type: 'FeatureCollection', ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}), features });

  it('burns -l A -l B and -l B -l A as GDAL does; refuses a missing -l or an unknown layer as GDAL does', async () => {
    writeFileSync(join(work, 'a.geojson'), fc(layerA));
    writeFileSync(join(work, 'b.geojson'), fc(layerB));
    writeFileSync(join(work, 'u.geojson'), fc(utm, 'urn:ogc:def:crs:EPSG::32633'));
    execFileSync('ogr2ogr', ['-f', 'GPKG', 'm.gpkg', 'a.geojson', '-nln', 'A'], { cwd: work, env: GDAL_ENV });
    execFileSync('ogr2ogr', ['-update', '-f', 'GPKG', 'm.gpkg', 'b.geojson', '-nln', 'B'], { cwd: work, env: GDAL_ENV });
    execFileSync('ogr2ogr', ['-update', '-f', 'GPKG', 'm.gpkg', 'u.geojson', '-nln', 'U'], { cwd: work, env: GDAL_ENV });
    const gpkg = readFileSync(join(work, 'm.gpkg'));
    const src = (dir: string) => { writeFileSync(join(dir, 'm.gpkg'), gpkg); return Promise.resolve('m.gpkg'); };
    const grid = ['-te', '0', '0', '4', '4', '-ts', '8', '8', '-ot', 'Float32'];
    const cases: DiffCase[] = [
      { name: 'gpkg-layers-A-B', source: [], args: ['-a', 'v', '-l', 'A', '-l', 'B', ...grid] },
      { name: 'gpkg-layers-B-A', source: [], args: ['-a', 'v', '-l', 'B', '-l', 'A', ...grid] },
      { name: 'gpkg-layers-A-B-A-add', source: [], args: ['-a', 'v', '-add', '-l', 'A', '-l', 'B', '-l', 'a', ...grid] },
      { name: 'gpkg-layers-b-lowercase-at', source: [], args: ['-burn', '5', '-at', '-l', 'b', ...grid] },
      { name: 'gpkg-layer-utm-creation-srs', source: [], args: ['-a', 'v', '-l', 'U', '-tr', '0.5', '0.5'] },
      { name: 'gpkg-layer-A-into-existing', source: [], args: ['-a', 'v', '-l', 'A', '-l', 'B'], dst: { width: 5, height: 4, gt: [0, 1, 0, 4, 0, -1], type: 'Byte' } as never },
      { name: 'gpkg-no-l-with-3-layers', expect: 'error', gdalFails: true, source: [], args: ['-burn', '1', ...grid] },
    ];
    const res = await runCases(cases, { sourceAs: src });
    expect(report(res)).toBe('');
  }, 120_000);
});

describe('attribute values as GDAL reads them', () => {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-attrs-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // GetFieldAsDouble of every field of every feature, by GDAL, against fieldAsDouble of ours
  const gdalDoubles = (path: string, layer?: string): { values: number[][]; strings: (string | null)[][] } => JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayerByName(sys.argv[2]) if len(sys.argv) > 2 else ds.GetLayer(0)
vals, strs = [], []
for f in lyr:
    vals.append([f.GetFieldAsDouble(i) if f.IsFieldSetAndNotNull(i) else 0 for i in range(f.GetFieldCount())])
    strs.append([f.GetFieldAsString(i) if f.IsFieldSetAndNotNull(i) and f.GetFieldDefnRef(i).GetType() == ogr.OFTString else None for i in range(f.GetFieldCount())])
print(json.dumps({"values": vals, "strings": strs}))
`, path, ...(layer ? [layer] : [])], { env: GDAL_ENV, encoding: 'utf8' }));

  const features = [
    F('POINT(1 1)', { n: 3, r: 2.75, s: '12.5abc', t: 'Zürich Ærø', d: '2020-01-02', e: '', b: true }),
    F('POINT(2 2)', { n: -7, r: null, s: ' 0x10', t: 'ΑΒΓ', d: null, e: null, b: false }),
    F('POINT(3 3)', { n: null, r: -1e-3, s: null, t: null, d: '1999-12-31', e: '7', b: null }),
  ];

  it.each(['gpkg', 'fgb', 'shp', 'shp-cp1252', 'geojsonseq'])('%s', async (kind) => {
    writeFileSync(join(work, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
    const out = { gpkg: 'a.gpkg', fgb: 'a.fgb', shp: 'a.shp', 'shp-cp1252': 'w.shp', geojsonseq: 'a.geojsonl' }[kind] as string;
    const driver = { gpkg: 'GPKG', fgb: 'FlatGeobuf', shp: 'ESRI Shapefile', 'shp-cp1252': 'ESRI Shapefile', geojsonseq: 'GeoJSONSeq' }[kind] as string;
    // a .cpg other than UTF-8: text stored in Windows-1252
    const lco = kind === 'shp-cp1252' ? ['-lco', 'ENCODING=CP1252'] : [];
    execFileSync('ogr2ogr', ['-f', driver, out, 'src.geojson', ...lco], { cwd: work, env: GDAL_ENV, stdio: 'ignore' });
    if (kind === 'shp-cp1252') expect(readFileSync(join(work, 'w.cpg'), 'utf8')).toMatch(/1252/);
    const gdal = gdalDoubles(join(work, out));
    const { readFeatures } = await import('../../src/node.js');
    const { fieldAsDouble } = await import('../../src/features/field.js');
    const layer = await readFeatures(join(work, out));
    const names = layer.fields.map((f) => f.name);
    const ours = layer.features.map((f) => names.map((n) => fieldAsDouble(f.properties?.[n])));
    expect(ours).toEqual(gdal.values);
    // text fields decode to what GDAL decodes (the .cpg's encoding)
    const strings = layer.features.map((f) => names.map((n, i) => (gdal.strings[0][i] === undefined ? null : typeof f.properties?.[n] === 'string' ? f.properties?.[n] : null)));
    const gdalStrings = gdal.strings.map((row) => row.map((v) => v));
    for (let r = 0; r < strings.length; r++) for (let c = 0; c < names.length; c++) if (gdalStrings[r][c] !== null) expect(strings[r][c]).toBe(gdalStrings[r][c]);
  }, 60_000);
});

describe('bad files: one line, exit 1, no output', () => {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-bad-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const polys = [F('POLYGON((0 0,4 0,4 4,0 4,0 0))', { v: 1 }), F('POLYGON((5 5,9 5,9 9,5 5))', { v: 2 })];

  it('truncated, wrong magic, missing .dbf, no geometry column', async () => {
    writeFileSync(join(work, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: polys }));
    for (const [d, f] of [['GPKG', 'ok.gpkg'], ['FlatGeobuf', 'ok.fgb'], ['ESRI Shapefile', 'ok.shp']]) execFileSync('ogr2ogr', ['-f', d, f, 'src.geojson'], { cwd: work, env: GDAL_ENV });
    writeFileSync(join(work, 'ok.parquet'), geoParquetBytes(polys as never));
    const bytes = (f: string) => readFileSync(join(work, f));
    const cut = (f: string, n: number) => bytes(f).subarray(0, n);
    const bad: Record<string, Uint8Array> = {
      'trunc.gpkg': cut('ok.gpkg', 3000),
      'trunc.fgb': cut('ok.fgb', bytes('ok.fgb').length - 20),
      'trunc.parquet': cut('ok.parquet', bytes('ok.parquet').length - 30),
      'magic.gpkg': new TextEncoder().encode('not a database at all, just text that goes on'),
      'magic.fgb': new Uint8Array(64).fill(7),
      'magic.parquet': new Uint8Array(64).fill(1),
      'nodbf.shp': bytes('ok.shp'),
      'trunc.shp': cut('ok.shp', bytes('ok.shp').length - 10),
      'trunc.dbf': bytes('ok.dbf'),
      'plain.parquet': new Uint8Array(0),
    };
    for (const [name, b] of Object.entries(bad)) writeFileSync(join(work, name), b);
    // a GeoPackage whose only table has no geometry column
    execFileSync('ogr2ogr', ['-f', 'GPKG', 'nogeom.gpkg', 'src.geojson', '-nlt', 'NONE', '-nln', 'attrs'], { cwd: work, env: GDAL_ENV, stdio: 'ignore' });
    const checks: [string, RegExp][] = [
      ['trunc.gpkg', /trunc\.gpkg/],
      ['trunc.fgb', /trunc\.fgb.*truncated|trunc\.fgb/],
      ['trunc.parquet', /trunc\.parquet/],
      ['magic.gpkg', /magic\.gpkg is not a GeoPackage/],
      ['magic.fgb', /magic\.fgb is not a FlatGeobuf/],
      ['magic.parquet', /magic\.parquet is not a readable Parquet/],
      ['nodbf.shp', /nodbf\.shp has no nodbf\.dbf/],
      ['trunc.shp', /record 2 is truncated/],
      ['nogeom.gpkg', /no vector layer with a geometry column/],
      ['plain.parquet', /is empty/],
    ];
    for (const [f, message] of checks) {
      const out = join(work, `${f}.tif`);
      const r = await run(process.execPath, [CLI, '-burn', '1', '-tr', '1', '1', f, out], { cwd: work });
      const lines = r.stderr.split('\n').filter(Boolean);
      expect({ f, rc: r.rc, lines: lines.length }).toEqual({ f, rc: 1, lines: 1 });
      expect(lines[0], f).toMatch(message);
      expect(existsSync(out), `${f}: output written`).toBe(false);
    }
  }, 120_000);
});

describe('standard input', () => {
  it('reads a GeoJSONSeq and a GeoPackage from - and /vsistdin/', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rasterburn-stdin-'));
    try {
      const polys = [F('POLYGON((0 0,4 0,4 4,0 4,0 0))', { v: 1 }), F('POLYGON((2 2,9 2,9 9,2 2))', { v: 2 })];
      writeFileSync(join(work, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: polys }));
      execFileSync('ogr2ogr', ['-f', 'GeoJSONSeq', 'src.geojsonl', 'src.geojson'], { cwd: work, env: GDAL_ENV });
      execFileSync('ogr2ogr', ['-f', 'GPKG', 'src.gpkg', 'src.geojson'], { cwd: work, env: GDAL_ENV });
      const args = ['-a', 'v', '-te', '0', '0', '10', '10', '-ts', '10', '10', '-ot', 'Byte'];
      execFileSync('gdal_rasterize', [...args, 'src.geojsonl', 'gdal.tif'], { cwd: work, env: GDAL_ENV });
      const gdal = execFileSync('/usr/bin/python3', ['-c', 'import sys; from osgeo import gdal; print(gdal.Open(sys.argv[1]).ReadAsArray().tolist())', join(work, 'gdal.tif')], { encoding: 'utf8' });
      for (const [file, spelled] of [['src.geojsonl', '-'], ['src.gpkg', '/vsistdin/'], ['src.geojson', '-']]) {
        execFileSync(process.execPath, [CLI, ...args, spelled, 'ours.tif'], { cwd: work, input: readFileSync(join(work, file)) });
        const ours = execFileSync('/usr/bin/python3', ['-c', 'import sys; from osgeo import gdal; print(gdal.Open(sys.argv[1]).ReadAsArray().tolist())', join(work, 'ours.tif')], { encoding: 'utf8' });
        expect(ours, `${file} as ${spelled}`).toBe(gdal);
        rmSync(join(work, 'ours.tif'));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
