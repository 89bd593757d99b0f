// End to end: the built CLI (node dist/src/cli/main.js) and the real gdal_rasterize 3.6.2 run with the same
// arguments on the same small inputs; the two rasters must agree in size, geotransform, SRS, type, nodata and
// every pixel (read back with osgeo.gdal). Bad input must exit 1 with one "rasterburn: " line on stderr,
// create no file and leave an existing destination byte-identical.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRasters, makeRasters, num, pythonAsync, readRasters, run, type Proc, type RasterSpec } from './gdal/oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
let DIR = '';

// the CLI and gdal_rasterize run in DIR, each without blocking the vitest worker
const exec = (cmd: string, argv: string[], opts: { cwd?: string } = {}): Promise<Proc> => run(cmd, argv, { cwd: opts.cwd ?? (DIR || ROOT) });

// runs f over items, at most `width` at a time (the machine's cores are shared)
async function pool<T>(items: T[], width: number, f: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  }));
}

const ours = (args: string[]): Promise<Proc> => exec(process.execPath, [CLI, ...args]);
const gdal = (args: string[]): Promise<Proc> => exec('gdal_rasterize', args);

const P = (name: string) => join(DIR, name);

function fc(features: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'FeatureCollection', ...extra, features });
}
const F = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry });
const poly = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });
const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

// sources shared by the cases
const SOURCES: Record<string, string> = {
  'shapes.geojson': fc([
    F(poly(rect(0.3, 0.2, 10.1, 5.05)), { id: 3, s: '12.5', h: 2.5 }),
    F(poly(rect(2, 1, 6, 4), rect(3, 2, 4, 3)), { id: 7, s: 'abc', h: -3.7 }),
    F({ type: 'LineString', coordinates: [[0.5, 0.5], [9.7, 4.6], [1, 4.9]] }, { id: 300, s: ' 5 ', h: 300 }),
    F({ type: 'MultiPoint', coordinates: [[8.5, 1.5], [9.0, 1.0], [0.3, 5.05]] }, { id: -2, h: 65535.5 }),
    F(null, { id: 9 }),
    F({ type: 'MultiPolygon', coordinates: [[rect(6.5, 0.5, 8.5, 2.5)], [rect(7.5, 1.5, 9.5, 3.5)]] }, { id: 4, h: 0.5 }),
  ]),
  'z.geojson': fc([
    F({ type: 'Point', coordinates: [0.5, 0.5, 7.25] }),
    F({ type: 'LineString', coordinates: [[0.5, 1.5, 0], [8.5, 1.5, 80]] }),
    F(poly([[1, 2, 10], [4, 2, 20], [4, 4, 30], [1, 4, 40], [1, 2, 10]])),
  ]),
  'named.geojson': fc([F(poly(rect(0, 0, 4, 3)), { ID: 5 })], { name: 'bldg' }),
  'utm.geojson': fc([
    F(poly(rect(500000.15, 4649000.45, 500010.3, 4649007.05)), { BuildingID: 101 }),
    F(poly(rect(500004.1, 4649002.2, 500013.9, 4649009.9)), { BuildingID: 102 }),
  ], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } } }),
  'geo.geojson': fc([F(poly(rect(2, 49, 3, 50)), { v: 1 }), F(poly(rect(2.4, 49.2, 2.9, 49.9)), { v: 2 })]),
  'big.geojson': fc([F(poly(rect(2, 49, 3, 50)), { big: 3000000000 }), F(poly(rect(2.2, 49.1, 2.3, 49.3)), { big: 1 })]),
  'urn4326.geojson': fc([F(poly(rect(1.2, 0.7, 8.9, 4.1)))], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } } }),
  // F13: a property all of whose values are dates, times or date-times is a date field, which -a burns as 0
  'dates.geojson': fc([
    F(poly(rect(0, 0, 3, 2)), { d: '2020-01-02', dt: '2020-01-02', t: '12:30:00', mix: '2020-01-02', num: '2020-01-02', dtime: '2020-01-02', b: 'x' }),
    F(poly(rect(3, 0, 6, 2)), { d: null, dt: '2021-03-04T05:06:07Z', t: '7:05', mix: '17 apples', num: 5, dtime: '12:30', b: true }),
    F(poly(rect(6, 0, 9, 2)), { d: '2022/12/31', dt: '2022-01-01 10:00', mix: '2020-01-02', num: '2020-01-02', dtime: '2020-01-02', b: '3' }),
  ]),
  'empty.geojson': fc([]),
  'bad.geojson': '{"type":"FeatureCollection","features":[',
  'topo.geojson': JSON.stringify({ type: 'Topology', objects: {} }),
  'badgeom.geojson': fc([F({ type: 'Polygon', coordinates: [[['a', 1], [2, 2], [3, 1], ['a', 1]]] })]),
  'garbage.tif': 'this is not a tiff\n',
};

// dist/ is stale when some src/**/*.ts is newer than its compiled .js (or that .js is missing)
function distIsStale(dir = join(ROOT, 'src')): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (distIsStale(p)) return true; continue; }
    if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) continue;
    const js = join(ROOT, 'dist', p.slice(ROOT.length + 1)).replace(/\.ts$/, '.js');
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) return true;
  }
  return false;
}

beforeAll(async () => {
  // npm test builds first (pretest); rebuilding here only when stale keeps this suite from rewriting dist/
  // under another suite that is running the CLI at the same moment
  if (distIsStale()) {
    const b = await exec('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT });
    if (distIsStale() || !existsSync(CLI)) throw new Error(`the build did not bring dist/ up to date: ${b.stdout}${b.stderr}`);
  }
  DIR = mkdtempSync(join(tmpdir(), 'rb-cli-'));
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(P(name), text);
  const gt = (g: number[]) => g as RasterSpec['gt'];
  makeRasters([
    { path: P('byte9.tif'), width: 12, height: 7, type: 'Byte', gt: gt([-0.5, 1, 0, 6, 0, -1]), srs: 'EPSG:4326', fill: 'ramp', nodata: 0 },
    { path: P('int16nd.tif'), width: 12, height: 7, type: 'Int16', gt: gt([-0.5, 1, 0, 6, 0, -1]), srs: 'EPSG:4326', fill: -9999, nodata: -9999 },
    { path: P('merc.tif'), width: 10, height: 10, type: 'Float32', gt: gt([200000, 20000, 0, 6500000, 0, -30000]), srs: 'EPSG:3857', fill: 'ramp' },
    { path: P('nosrs.tif'), width: 12, height: 7, type: 'UInt16', gt: gt([-0.5, 1, 0, 6, 0, -1]), fill: 1 },
    { path: P('utm-template.tif'), width: 40, height: 30, type: 'Byte', gt: gt([500000, 0.5, 0, 4649012, 0, -0.5]), srs: 'EPSG:32633', fill: 0 },
    { path: P('merc-template.tif'), width: 10, height: 10, type: 'Byte', gt: gt([200000, 20000, 0, 6500000, 0, -30000]), srs: 'EPSG:3857', fill: 0 },
    { path: P('point.tif'), width: 12, height: 7, type: 'Float32', gt: gt([-0.5, 1, 0, 6, 0, -1]), srs: 'EPSG:4326', fill: 'ramp', nodata: NaN, pixelIsPoint: true },
    { path: P('two-band.tif'), width: 4, height: 4, type: 'Byte', gt: gt([0, 1, 0, 4, 0, -1]), srs: 'EPSG:4326', fill: 1, bands: 2 },
    // blank Float64 copies of the templates' grids: gdal_rasterize updating these is what --template must equal
    { path: P('utm-template-blank.tif'), width: 40, height: 30, type: 'Float64', gt: gt([500000, 0.5, 0, 4649012, 0, -0.5]), srs: 'EPSG:32633', fill: 0 },
    { path: P('merc-template-blank.tif'), width: 10, height: 10, type: 'Float64', gt: gt([200000, 20000, 0, 6500000, 0, -30000]), srs: 'EPSG:3857', fill: 0 },
  ]);
}, 180_000);

afterAll(() => {
  if (DIR) rmSync(DIR, { recursive: true, force: true });
});

interface SameCase {
  name: string;
  args: string[];
  src: string;
  /** existing destination copied for both tools (update mode) */
  existing?: string;
  /** what gdal_rasterize runs on when ours uses rasterburn-only options (--template) */
  gdalArgs?: string[];
  gdalExisting?: string;
  /** the warning rasterburn prints (values the type cannot hold); GDAL's pixels all the same */
  warns?: RegExp;
  ext?: string;
}

const SAME: SameCase[] = [
  { name: 'layer extent, -tr, default Float64 and CRS84 -> EPSG:4326', args: ['-burn', '1', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-tap and Byte', args: ['-burn', '7', '-ot', 'Byte', '-tr', '0.5', '0.5', '-tap'], src: 'shapes.geojson' },
  { name: '-ot Int64', args: ['-burn', '1', '-ot', 'Int64', '-tr', '1', '1'], src: 'shapes.geojson' },
  // OGR types the field Integer64, so GDAL makes an Int64 raster (pixel rules G6, V10)
  { name: 'Integer64 attribute without -ot', args: ['-a', 'big', '-tr', '0.1', '0.1'], src: 'big.geojson' },
  { name: '-a integer attribute, -ts, UInt16', args: ['-a', 'id', '-ot', 'UInt16', '-ts', '20', '10'], src: 'shapes.geojson', warns: /does not fit/ },
  { name: '-a string attribute (atof), Float32, -te -tr', args: ['-a', 's', '-ot', 'Float32', '-te', '-1', '-1', '11', '6', '-tr', '0.25', '0.25'], src: 'shapes.geojson' },
  { name: '-a real attribute into Byte (rounding, clamping)', args: ['-a', 'h', '-ot', 'Byte', '-tr', '0.5', '0.5'], src: 'shapes.geojson', warns: /does not fit/ },
  { name: '-a real attribute into Int16', args: ['-a', 'h', '-ot', 'Int16', '-tr', '0.5', '0.5'], src: 'shapes.geojson', warns: /does not fit/ },
  { name: '-a field looked up case-insensitively', args: ['-a', 'Id', '-ot', 'Int32', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: 'F13-date field (with a null) burns 0', args: ['-a', 'd', '-init', '5', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-Date and DateTime values make a DateTime field, Float32', args: ['-a', 'dt', '-init', '5', '-ot', 'Float32', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-time field (a feature without it)', args: ['-a', 't', '-init', '5', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-dates with other text are a String field (atof)', args: ['-a', 'mix', '-init', '5', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-dates with a number are a String field, Int32', args: ['-a', 'num', '-init', '5', '-ot', 'Int32', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-dates with a time are a String field', args: ['-a', 'dtime', '-init', '5', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: 'F13-a boolean in a String field reads 0, -add', args: ['-a', 'b', '-add', '-init', '5', '-te', '-1', '-1', '10', '3', '-ts', '11', '4'], src: 'dates.geojson' },
  { name: '-3d', args: ['-3d', '-tr', '1', '1'], src: 'z.geojson' },
  { name: '-at', args: ['-burn', '1', '-at', '-ot', 'Byte', '-tr', '0.3', '0.3'], src: 'shapes.geojson' },
  { name: '-add', args: ['-burn', '2', '-add', '-ot', 'Int16', '-tr', '0.5', '0.5'], src: 'shapes.geojson' },
  { name: '-at -add', args: ['-burn', '1', '-at', '-add', '-ot', 'UInt32', '-tr', '0.7', '0.7'], src: 'shapes.geojson' },
  { name: '-i', args: ['-burn', '1', '-i', '-ot', 'Byte', '-tr', '0.5', '0.5'], src: 'shapes.geojson' },
  { name: '-init with -a_nodata', args: ['-burn', '5', '-init', '3', '-a_nodata', '3', '-ot', 'Int32', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-init without -a_nodata', args: ['-burn', '1', '-init', '5', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-a_nodata without -init fills with nodata', args: ['-burn', '1', '-a_nodata', '-5', '-ot', 'Int16', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-a_nodata out of the type range (300 on Byte)', args: ['-burn', '1', '-a_nodata', '300', '-ot', 'Byte', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-a_nodata 2.5 on Byte', args: ['-burn', '1', '-a_nodata', '2.5', '-ot', 'Byte', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-init nan -a_nodata nan Float32', args: ['-burn', '1', '-init', 'nan', '-a_nodata', 'nan', '-ot', 'Float32', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-burn conversions: -1 into UInt32, 4294967294.5', args: ['-burn', '4294967294.5', '-ot', 'UInt32', '-tr', '1', '1'], src: 'shapes.geojson', warns: /does not fit/ },
  { name: '-burn nan into Byte', args: ['-burn', 'nan', '-ot', 'Byte', '-init', '9', '-tr', '1', '1'], src: 'shapes.geojson', warns: /does not fit/ },
  { name: '-a_srs assigns without reprojecting', args: ['-burn', '1', '-a_srs', 'EPSG:32631', '-tr', '0.5', '0.5'], src: 'shapes.geojson' },
  { name: 'GeoJSON crs member (UTM), 0.5 m pixels', args: ['-a', 'BuildingID', '-ot', 'UInt16', '-tr', '0.5', '0.5'], src: 'utm.geojson' },
  { name: 'UTM with -tap and -a_nodata 0', args: ['-a', 'BuildingID', '-ot', 'UInt16', '-tr', '0.3', '0.3', '-tap', '-a_nodata', '0'], src: 'utm.geojson' },
  { name: '-l with the file basename, --config ignored', args: ['-burn', '1', '-l', 'shapes', '--config', 'GDAL_CACHEMAX', '1', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-l with the collection name (case-insensitive)', args: ['-a', 'id', '-l', 'BLDG', '-ot', 'Byte', '-ts', '8', '6'], src: 'named.geojson' },
  { name: '-l given twice burns the layer twice (-add)', args: ['-burn', '1', '-add', '-l', 'shapes', '-l', 'shapes', '-ot', 'Byte', '-tr', '1', '1'], src: 'shapes.geojson' },
  { name: '-ts with -te, -of GTiff, no extension', args: ['-burn', '1', '-te', '0', '0', '10', '5', '-ts', '7', '3', '-of', 'GTiff'], src: 'shapes.geojson', ext: '' },
  { name: '-tr with -ts (extent from origin and size)', args: ['-burn', '1', '-tr', '3', '2', '-ts', '7', '3'], src: 'shapes.geojson' },
  { name: 'negative -tr y is made positive', args: ['-burn', '1', '-tr', '1', '-1'], src: 'shapes.geojson' },
  { name: 'reversed -te with -ts (negative pixel width)', args: ['-burn', '1', '-te', '10', '0', '0', '5', '-ts', '10', '5'], src: 'shapes.geojson' },
  { name: 'geographic source, small pixels', args: ['-a', 'v', '-ot', 'Byte', '-tr', '0.01', '0.01'], src: 'geo.geojson' },
  { name: '-q', args: ['-q', '-burn', '1', '-tr', '2', '2'], src: 'shapes.geojson' },
  // update mode: the existing raster's grid, type and nodata are kept, other pixels too
  { name: 'update: burn into an existing Byte raster', args: ['-burn', '1'], src: 'shapes.geojson', existing: 'byte9.tif' },
  { name: 'update: several -burn values burn band 1 with the first', args: ['-burn', '3', '4'], src: 'shapes.geojson', existing: 'byte9.tif' },
  { name: 'update: -add onto nodata', args: ['-burn', '1', '-add'], src: 'shapes.geojson', existing: 'int16nd.tif' },
  { name: 'update: -a and -at', args: ['-a', 'id', '-at'], src: 'shapes.geojson', existing: 'byte9.tif', warns: /does not fit/ },
  { name: 'update: -i', args: ['-burn', '200', '-i'], src: 'shapes.geojson', existing: 'byte9.tif' },
  { name: 'update: CRS84 features reprojected into EPSG:3857', args: ['-a', 'v'], src: 'geo.geojson', existing: 'merc.tif' },
  // GDAL's warning, word for word (it prints it too)
  { name: 'update: raster without SRS, no reprojection', args: ['-burn', '9'], src: 'shapes.geojson', existing: 'nosrs.tif', warns: /^rasterburn: warning: The input vector layer has a SRS, but the output raster dataset SRS is unknown\. Ensure output raster dataset has the same SRS, otherwise results might be incorrect\.\n$/ },
  { name: 'update: PixelIsPoint Float32 raster with nodata nan', args: ['-a', 'h'], src: 'shapes.geojson', existing: 'point.tif' },
  { name: 'update: EPSG:4326 urn crs member into an EPSG:4326 raster', args: ['-burn', '4', '-at'], src: 'urn4326.geojson', existing: 'byte9.tif' },
  { name: 'update: -b 1', args: ['-burn', '5', '-b', '1'], src: 'shapes.geojson', existing: 'byte9.tif' },
  { name: 'update: a 2-band raster burns band 1 and keeps band 2', args: ['-burn', '5'], src: 'shapes.geojson', existing: 'two-band.tif' },
  // --template = gdal_rasterize burning into a blank Float64 raster on the template's grid
  { name: '--template (same CRS)', args: ['-a', 'BuildingID', '--template', 'utm-template.tif'], src: 'utm.geojson', gdalArgs: ['-a', 'BuildingID'], gdalExisting: 'utm-template-blank.tif' },
  { name: '--template in another CRS reprojects', args: ['-a', 'v', '--template', 'merc-template.tif'], src: 'geo.geojson', gdalArgs: ['-a', 'v'], gdalExisting: 'merc-template-blank.tif' },
];

describe('rasterburn CLI vs gdal_rasterize', () => {
  it('produces identical rasters on every case', async () => {
    const pairs: [string, string][] = [];
    const failures: string[] = [];
    await pool(SAME, 2, async (c, i) => {
      const ext = c.ext ?? '.tif';
      const mine = P(`same${i}-ours${ext}`), theirs = P(`same${i}-gdal${ext}`);
      if (c.existing) { copyFileSync(P(c.existing), mine); copyFileSync(P(c.existing), theirs); }
      if (c.gdalExisting) copyFileSync(P(c.gdalExisting), theirs);
      const [o, g] = await Promise.all([ours([...c.args, c.src, mine]), gdal([...(c.gdalArgs ?? c.args), c.src, theirs])]);
      if (g.rc !== 0) failures.push(`${c.name}: gdal_rasterize failed: ${g.stderr}`);
      if (o.rc !== 0) failures.push(`${c.name}: rasterburn exit ${o.rc}: ${o.stderr}`);
      else if (c.warns ? !(o.stdout === '' && /^rasterburn: warning: [^\n]*\n$/.test(o.stderr) && c.warns.test(o.stderr)) : o.stdout !== '' || o.stderr !== '') {
        failures.push(`${c.name}: rasterburn printed ${JSON.stringify(o.stdout + o.stderr)}`);
      }
      pairs[i] = [mine, theirs];
    });
    expect(failures).toEqual([]);
    // a = GDAL's raster (its pixels come back too, to see that the case burns something), b = ours
    const cmp = compareRasters(pairs.map(([mine, theirs]) => ({ a: theirs, b: mine, wantArray: 1 << 20 })));
    const bad: string[] = [];
    cmp.forEach((r, i) => {
      const c = SAME[i];
      if (!r.a || 'error' in r.a) { bad.push(`${c.name}: gdal unreadable: ${r.a && 'error' in r.a ? r.a.error : '?'}`); return; }
      if (!r.b || 'error' in r.b) { bad.push(`${c.name}: ours unreadable: ${r.b && 'error' in r.b ? r.b.error : '?'}`); return; }
      const { a: g, b: o } = r;
      const facts = (m: typeof g) => ({ w: m.width, h: m.height, bands: m.bands.length, type: m.bands[0]?.type, nodata: m.bands[0]?.nodata, srs: m.srs });
      const [fo, fg] = [facts(o), facts(g)];
      for (const k of Object.keys(fo) as Array<keyof typeof fo>) {
        if (JSON.stringify(fo[k]) !== JSON.stringify(fg[k])) bad.push(`${c.name}: ${k} ours ${JSON.stringify(fo[k])} gdal ${JSON.stringify(fg[k])}`);
      }
      if (!r.gtSame) bad.push(`${c.name}: geotransform ours ${o.gt} gdal ${g.gt}`);
      if (!r.srsSame) bad.push(`${c.name}: SRS differs (ours ${o.srs}, gdal ${g.srs})`);
      for (const d of r.pixelDiffs ?? []) bad.push(`${c.name}: band ${d.band}: ${d.count} pixels differ, first [row, col, gdal, ours] ${JSON.stringify(d.first[0])}`);
      // a case that burns nothing would prove little
      const nonZero = (r.aArray ?? []).flat().filter((v) => { const x = num(v); return x !== 0 && !Number.isNaN(x); }).length;
      if (nonZero === 0 && !c.args.includes('nan')) bad.push(`${c.name}: GDAL's raster is all zero; the case is not exercising anything`);
    });
    expect(bad).toEqual([]);
  });

  it('writes .npy by extension with the same pixels and dtype', async () => {
    const o = await ours(['-a', 'id', '-ot', 'Int16', '-tr', '0.5', '0.5', 'shapes.geojson', P('a.npy')]);
    expect(o.rc, o.stderr).toBe(0);
    const g = await gdal(['-a', 'id', '-ot', 'Int16', '-tr', '0.5', '0.5', 'shapes.geojson', P('a-gdal.tif')]);
    expect(g.rc).toBe(0);
    const [dtype, shape, same, nonzero] = await pythonAsync<[string, boolean, boolean, number]>(String.raw`
import sys, json, numpy as np
from osgeo import gdal
a = np.load(sys.argv[1]); b = gdal.Open(sys.argv[2]).ReadAsArray()
print(json.dumps([a.dtype.str, a.shape == b.shape, bool((a == b).all()), int((b != 0).sum())]))`, undefined, [P('a.npy'), P('a-gdal.tif')]);
    expect([dtype, shape, same]).toEqual(['<i2', true, true]);
    expect(nonzero).toBeGreaterThan(0);
  });

  it('--json prints one summary line with the run\'s numbers', async () => {
    const o = await ours(['-burn', '1', '-ot', 'Byte', '-tr', '0.5', '0.5', '--json', 'shapes.geojson', P('j.tif')]);
    expect(o.rc, o.stderr).toBe(0);
    expect(o.stderr).toBe('');
    const lines = o.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0]);
    expect(Object.keys(s).sort()).toEqual(['backend', 'dtype', 'features', 'height', 'pixelsBurned', 'seconds', 'shapes', 'skipped', 'stages', 'width', 'write']);
    expect(s.write).toBe('created');
    expect(Object.keys(s.stages).sort()).toEqual(['burn', 'parse', 'prepare', 'read', 'write']);
    for (const k of ['read', 'parse', 'prepare', 'burn']) expect(s.stages[k], k).toBeGreaterThanOrEqual(0);
    expect(s.stages.write).toBeGreaterThan(0);
    expect(Object.values(s.stages).reduce((a: number, b) => a + (b as number), 0)).toBeLessThanOrEqual(s.seconds * 1000 + 1);
    const px = readRasters([P('j.tif')], { pixels: true })[0].pixels!;
    expect(s).toMatchObject({ width: px[0].length, height: px.length, dtype: 'uint8', backend: 'cpu', features: 6 });
    // shapes: replace mode burns multi-polygon members one by one; the null geometry makes none
    expect(s.shapes).toBe(6);
    expect(s.pixelsBurned).toBe(px.flat().filter((v) => v !== 0).length);
    expect(s.seconds).toBeGreaterThanOrEqual(0);
  });

  it('--json with --backend webgpu adds the GPU record; --backend auto on a software adapter burns on the CPU', async () => {
    const o = await ours(['-burn', '1', '-ot', 'Byte', '-tr', '0.5', '0.5', '--backend', 'webgpu', '--json', 'shapes.geojson', P('jg.tif')]);
    if (o.rc !== 0 && /no WebGPU adapter/.test(o.stderr)) return;
    expect(o.rc, o.stderr).toBe(0);
    const s = JSON.parse(o.stdout);
    expect(s.backend).toBe('webgpu');
    expect(Object.keys(s.gpu).sort()).toEqual(['adapter', 'crossings', 'exactFallbacks', 'hostMs', 'linesOnCpu', 'linesOnGpu', 'polygonsOnCpu', 'software', 'touchSegments']);
    expect(s.gpu.software).toBe(/^software adapter/.test(s.gpu.adapter));
    for (const k of ['crossings', 'exactFallbacks', 'hostMs', 'polygonsOnCpu', 'linesOnGpu', 'linesOnCpu', 'touchSegments']) expect(s.gpu[k], k).toBeGreaterThanOrEqual(0);
    const a = await ours(['-burn', '1', '-ot', 'Byte', '-tr', '0.5', '0.5', '--backend', 'auto', '--json', 'shapes.geojson', P('ja.tif')]);
    expect(a.rc, a.stderr).toBe(0);
    const sa = JSON.parse(a.stdout);
    expect(sa.backend).toBe(s.gpu.software ? 'cpu' : 'webgpu');
    if (s.gpu.software) expect(a.stderr).toMatch(/notice: burned on the CPU: .* is a software rasterizer/);
    expect(sa.pixelsBurned).toBe(s.pixelsBurned);
  });

  it('answers --help on stdout with exit 0', async () => {
    const o = await ours(['--help']);
    expect(o.rc).toBe(0);
    expect(o.stdout).toMatch(/^Usage: rasterburn/);
  });
});

describe('--backend webgpu on stderr', () => {
  // Debian's chromium ships SwiftShader's Vulkan driver: with it the burn runs on WebGPU even without a GPU
  const swiftshader = existsSync('/usr/lib/chromium/vk_swiftshader_icd.json');

  it("prints only rasterburn's own lines without --verbose", async () => {
    const o = await ours(['-burn', '1', '-ot', 'Byte', '-tr', '0.5', '0.5', '--backend', 'webgpu', '--json', 'shapes.geojson', P('gpu-quiet.tif')]);
    expect(o.rc, o.stderr).toBe(0);
    for (const line of o.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^rasterburn: /);
    if (swiftshader) {
      expect(o.stderr).toBe('');
      expect(JSON.parse(o.stdout).backend).toBe('webgpu');
    }
  });

  it('with --verbose says how the adapter was found, and keeps stdout clean', async () => {
    const o = await ours(['-burn', '1', '-ot', 'Byte', '-tr', '0.5', '0.5', '--backend', 'webgpu', '--json', '--verbose', 'shapes.geojson', P('gpu-verbose.tif')]);
    expect(o.rc, o.stderr).toBe(0);
    expect(o.stdout.trimEnd().split('\n')).toHaveLength(1);
    const ourLines = o.stderr.split('\n').filter((l) => l.startsWith('rasterburn: '));
    expect(ourLines.every((l) => l.startsWith('rasterburn: verbose: ') || l.startsWith('rasterburn: notice: ')), o.stderr).toBe(true);
    if (swiftshader) {
      expect(ourLines.some((l) => /^rasterburn: verbose: adapter: /.test(l)), o.stderr).toBe(true);
      expect(JSON.parse(o.stdout).backend).toBe('webgpu');
    }
  });
});

interface BadCase {
  name: string;
  args: string[];
  /** existing destination (copied before the run, compared byte for byte after) */
  existing?: string;
  /** destination path relative to DIR (default: a fresh name) */
  dst?: string;
  message: RegExp;
  /** what GDAL 3.6.2 does with the same command: 'fails' (checked), 'accepts', or 'n/a' (rasterburn-only input) */
  gdal: 'fails' | 'accepts' | 'n/a';
}

const BAD: BadCase[] = [
  { name: 'malformed GeoJSON', args: ['-burn', '1', '-tr', '1', '1', 'bad.geojson'], message: /bad\.geojson is not valid JSON/, gdal: 'fails' },
  { name: 'malformed GeoJSON, existing destination', args: ['-burn', '1', 'bad.geojson'], existing: 'byte9.tif', message: /not valid JSON/, gdal: 'fails' },
  { name: 'not GeoJSON (TopoJSON)', args: ['-burn', '1', '-tr', '1', '1', 'topo.geojson'], message: /not GeoJSON.*"Topology"/, gdal: 'n/a' },
  { name: 'missing source', args: ['-burn', '1', '-tr', '1', '1', 'nope.geojson'], message: /nope\.geojson.*no such file/, gdal: 'fails' },
  { name: 'unknown option', args: ['-burn', '1', '-tr', '1', '1', '-foo', 'shapes.geojson'], message: /Unknown option name '-foo'/, gdal: 'fails' },
  { name: 'unknown option, existing destination', args: ['-burn', '1', '-foo', 'shapes.geojson'], existing: 'byte9.tif', message: /Unknown option name '-foo'/, gdal: 'fails' },
  { name: 'missing attribute (creating)', args: ['-a', 'nope', '-tr', '1', '1', 'shapes.geojson'], message: /Failed to find field nope on layer shapes/, gdal: 'fails' },
  { name: 'missing attribute (updating)', args: ['-a', 'nope', 'shapes.geojson'], existing: 'byte9.tif', message: /Failed to find field nope/, gdal: 'fails' },
  // GDAL skips the feature (pixel rule F13); --strict makes it an error
  { name: 'malformed geometry with --strict', args: ['--strict', '-burn', '1', '-te', '0', '0', '4', '4', '-tr', '1', '1', 'badgeom.geojson'], message: /feature 0 skipped: .* \(strict\)/, gdal: 'n/a' },
  { name: 'unreadable existing raster', args: ['-burn', '1', 'shapes.geojson'], existing: 'garbage.tif', message: /cannot read .*out\.tif as a GeoTIFF raster/, gdal: 'fails' },
  { name: 'unreadable template', args: ['-burn', '1', '--template', 'garbage.tif', 'shapes.geojson'], message: /template garbage\.tif/, gdal: 'n/a' },
  { name: 'missing template', args: ['-burn', '1', '--template', 'nothere.tif', 'shapes.geojson'], message: /nothere\.tif: no such file/, gdal: 'n/a' },
  { name: 'bad number in -tr', args: ['-burn', '1', '-tr', 'abc', '1', 'shapes.geojson'], message: /-tr: 'abc' is not a number/, gdal: 'fails' },
  { name: 'bad number in -te (GDAL reads it as 0)', args: ['-burn', '1', '-te', '0', '0', 'x', '5', '-tr', '1', '1', 'shapes.geojson'], message: /-te: 'x' is not a number/, gdal: 'fails' },
  { name: 'bad number in -a_nodata (GDAL reads it as 0)', args: ['-burn', '1', '-a_nodata', 'abc', '-tr', '1', '1', 'shapes.geojson'], message: /-a_nodata: 'abc' is not a number/, gdal: 'accepts' },
  { name: 'bad -burn value', args: ['-burn', 'x', '-tr', '1', '1', 'shapes.geojson'], message: /-burn needs a burn value, got 'x'/, gdal: 'fails' },
  // grids over the memory budget are streamed band by band (src/cli/stream.ts); one whose 256-row band alone is over it is refused
  { name: 'grid too wide to stream', args: ['-burn', '1', '-te', '0', '0', '20000000', '1000', '-tr', '1', '1', 'shapes.geojson'], message: /20000000 x 1000 float64 is too wide to stream: one band of 256 rows needs 40960000000 bytes/, gdal: 'n/a' },
  { name: 'grid size over GDAL\'s int limit', args: ['-burn', '1', '-tr', '1e-9', '1e-9', 'shapes.geojson'], message: /over GDAL's limit/, gdal: 'fails' },
  { name: 'no -tr/-ts for a new destination', args: ['-burn', '1', 'shapes.geojson'], message: /Size and resolutions are missing/, gdal: 'fails' },
  { name: 'creation option on an existing raster without -tr', args: ['-burn', '1', '-init', '0', 'shapes.geojson'], existing: 'byte9.tif', message: /'-tr xres yres' or '-ts xsize ysize' is required/, gdal: 'fails' },
  { name: 'layer name mismatch', args: ['-burn', '1', '-l', 'zz', '-tr', '1', '1', 'shapes.geojson'], message: /Unable to find layer "zz"/, gdal: 'fails' },
  { name: 'empty layer without -te', args: ['-burn', '1', '-tr', '1', '1', 'empty.geojson'], message: /Cannot get layer extent/, gdal: 'fails' },
  { name: 'several bands into .npy', args: ['-burn', '1', '2', '-tr', '1', '1', 'shapes.geojson'], dst: 'out.npy', message: /2 bands .* cannot be written to a \.npy file/, gdal: 'n/a' },
  { name: '.npy cannot be updated', args: ['-burn', '1', 'shapes.geojson'], existing: 'garbage.tif', dst: 'old.npy', message: /cannot burn into the existing .*old\.npy/, gdal: 'n/a' },
  { name: 'unknown output extension', args: ['-burn', '1', '-tr', '1', '1', 'shapes.geojson'], dst: 'out.png', message: /cannot tell the output format of '.*out\.png'/, gdal: 'fails' },
  { name: 'destination directory missing', args: ['-burn', '1', '-tr', '1', '1', 'shapes.geojson'], dst: 'no/such/dir/out.tif', message: /cannot write .*out\.tif/, gdal: 'fails' },
  { name: 'bad -a_srs', args: ['-burn', '1', '-a_srs', 'EPSG:999999', '-tr', '1', '1', 'shapes.geojson'], message: /Failed to process SRS definition: EPSG:999999/, gdal: 'fails' },
];

describe('bad input', () => {
  it.each(BAD.map((c, i) => [c.name, c, i] as const))('%s: exit 1, one line, no file, destination untouched', async (_n, c, i) => {
    const sub = join(DIR, `bad${i}`);
    mkdirSync(sub, { recursive: true });
    const dstRel = c.dst ?? 'out.tif';
    const mine = join(sub, 'ours', dstRel), theirs = join(sub, 'gdal', dstRel);
    for (const p of [mine, theirs]) if (!c.dst?.startsWith('no/')) mkdirSync(dirname(p), { recursive: true });
    let before: Buffer | null = null;
    if (c.existing) {
      copyFileSync(P(c.existing), mine);
      copyFileSync(P(c.existing), theirs);
      before = readFileSync(mine);
    }
    const o = await ours([...c.args, mine]);
    expect(o.rc, o.stderr).toBe(1);
    expect(o.stdout).toBe('');
    expect(o.stderr.endsWith('\n')).toBe(true);
    const lines = o.stderr.slice(0, -1).split('\n');
    expect(lines, o.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^rasterburn: /);
    expect(lines[0]).toMatch(c.message);
    if (before) expect(readFileSync(mine).equals(before), 'existing destination changed').toBe(true);
    else expect(existsSync(mine), 'an output file was created').toBe(false);
    // nothing else (no temp file) was left beside the destination
    if (existsSync(dirname(mine))) expect(readdirSync(dirname(mine))).toEqual(before ? [dstRel.split('/').pop()] : []);

    if (c.gdal !== 'n/a') {
      const g = await gdal([...c.args, theirs]);
      if (c.gdal === 'fails') expect(g.rc, `gdal_rasterize was expected to fail: ${g.stdout}`).not.toBe(0);
      else expect(g.rc, `gdal_rasterize was expected to accept this: ${g.stderr}`).toBe(0);
    }
  });
});
