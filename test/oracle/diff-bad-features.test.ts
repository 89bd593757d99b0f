// Features GDAL's GeoJSON reader cannot read whole (pixel rule F12) and -a over fields of mixed kinds
// (pixel rule F13), against the real gdal_rasterize: the same pixels and grid, a warning per bad
// feature, the count in --json, and --strict refusing. A seeded fuzz corrupts positions of generated
// geometries; its seed is printed (RASTERBURN_BAD_SEED replays a run).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { caseSeed, fuzzCase, rng } from './gdal/fuzz.js';

const poly = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const G = (geometry: unknown, properties: Record<string, unknown> = {}): Feature => ({ type: 'Feature', properties, geometry });

const BAD: Feature[] = [
  G({ type: 'Polygon', coordinates: poly(0, 0, 4, 4) }, { v: 1 }),
  G({ type: 'Polygon', coordinates: [[[0, 0], ['a', 0], [10, 10], [0, 10], [0, 0]]] }, { v: 2 }),
  G({ type: 'Point', coordinates: [5] }, { v: 3 }),
  G({ type: 'Foo', coordinates: [5, 5] }, { v: 4 }),
  G({ type: 'LineString', coordinates: [[1, 1], [5]] }, { v: 5 }),
  G({ type: 'LineString', coordinates: [[1, 9], [9, 6]] }, { v: 6 }),
  G({ type: 'Polygon', coordinates: 5 }, { v: 7 }),
  G({ type: 'Polygon' }, { v: 8 }),
  G({ type: 'Point', coordinates: [2, '3'] }, { v: 9 }),
  G({ type: 'Point', coordinates: [2, 3, 'x'] }, { v: 10 }),
  G({ type: 'Point', coordinates: [2, 3, null] }, { v: 10.5 }),
  G({ type: 'MultiPolygon', coordinates: [poly(5, 5, 7, 7), [[[5, 5], [6, 'q'], [6, 6], [5, 5]]], null, 7, poly(8, 1, 9, 3)] }, { v: 11 }),
  G('hello', { v: 12 }),
  G({ type: 'point', coordinates: [8.5, 8.5] }, { v: 13 }),
  G({ type: 'Polygon', coordinates: [poly(1, 5, 4, 9)[0], [[2, 6], ['b', 7], [3, 7], [2, 6]], null, [[2.2, 7.2], [2.8, 7.2], [2.8, 8.2], [2.2, 7.2]]] }, { v: 14 }),
  G({ type: 'MultiLineString', coordinates: [[[0, 9.5], [9, 9.5]], [[0, 0], [1]], 3, null] }, { v: 15 }),
  G({ type: 'MultiPoint', coordinates: [[0.5, 5.5], null, [1.5, 5.5]] }, { v: 16 }),
  G({ type: 'MultiPoint', coordinates: [[3.5, 3.5], ['x', 1]] }, { v: 17 }),
  G({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [9.5, 0.5] }, { type: 'Point', coordinates: [1] }, null, { type: 'Nope' }] }, { v: 18 }),
  G({ type: 'GeometryCollection' }, { v: 19 }),
  G({ type: 'LineString', coordinates: [[0, 2], [9, 2, 1, 7]] }, { v: 20 }),
];

// what -a burns for each kind of value in fields of each mix (pixel rule F13)
const mixed = (vals: unknown[]): Feature[] => vals.map((v, i) => G({ type: 'Point', coordinates: [i + 0.5, 0.5] }, { v }));
const MIXES: Record<string, unknown[]> = {
  'bool-in-string': [true, 'x', 5, '12abc', false],
  'bool-in-number': [true, 2.5, 3, false],
  dates: ['2020-01-01', '2021-05-06'],
  datetimes: ['2020-01-01T10:00:00', '2021-05-06'],
  times: ['10:00:00', '11:30'],
  'date-and-time': ['2020-01-01', '10:00:00'],
  'date-and-text': ['2020-01-01', 'abc', true],
  'date-and-number': ['2020/01/05', 5],
  'intlist-and-numbers': [[1, 2], 5, true],
  'numbers-then-list': [5, [1.5], false],
  'strlist-and-string': [['a'], '7'],
  'intlist-and-string': [[1, 2], '7', true],
  'objects': [{ a: 1 }, 4, true],
  'mixed-array': [[1, 'a'], 4],
  'empty-array': [[], 4],
  'not-quite-dates': ['2020-13-01', '99:00', '2020-01-01x'],
};

const cases: DiffCase[] = [
  { name: 'F12-bad-features-burn-the-rest', source: BAD, args: ['-a', 'v', '-tr', '1', '-1', '-te', '-1', '-1', '11', '11', '-ot', 'Float32'] },
  { name: 'F12-bad-features-replace-at', source: BAD, args: ['-burn', '3', '-at', '-ts', '24', '24', '-te', '-1', '-1', '11', '11', '-ot', 'Byte'] },
  { name: 'F12-bad-features-add', source: BAD, args: ['-burn', '1', '-add', '-tr', '0.5', '0.5', '-te', '-1', '-1', '11', '11', '-ot', 'Byte'] },
  { name: 'F12-bad-features-invert', source: BAD, args: ['-burn', '9', '-i', '-tr', '1', '1', '-te', '-1', '-1', '11', '11', '-ot', 'Byte'] },
  // the layer extent counts only what the reader keeps
  { name: 'F12-extent-without-bad-features', source: BAD, args: ['-a', 'v', '-tr', '0.5', '0.5', '-ot', 'Float64'] },
  {
    name: 'F12-extent-without-bad-features-lines',
    source: [G({ type: 'Polygon', coordinates: poly(0, 0, 10, 10) }, { v: 1 }), G({ type: 'LineString', coordinates: [[50, 50], ['a', 0], [60, 60]] }, { v: 2 }), G({ type: 'LineString', coordinates: [[-20, -20], [5]] }, { v: 3 })],
    args: ['-a', 'v', '-tr', '1', '1'],
  },
  ...Object.entries(MIXES).map(([name, vals]): DiffCase => ({
    name: `F13-field-${name}`, source: mixed(vals), args: ['-a', 'v', '-ts', String(vals.length), '1', '-te', '0', '0', String(vals.length), '1', '-ot', 'Float64'],
  })),
];

describe('bad features and mixed field types against gdal_rasterize', () => {
  it('burns what GDAL burns', async () => {
    const res = await runCases(cases);
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
    // our runs warn, one line per bad feature, and only for cases that have bad features
    for (const r of res) {
      const warned = r.ours.stderr.split('\n').filter((l) => l.includes('warning: feature')).length;
      if (r.c.name.startsWith('F12-bad-features')) expect(warned, r.c.name).toBe(16);
      if (r.c.name.startsWith('F13')) expect(warned, r.c.name).toBe(0);
    }
  }, 300_000);

  it('seeded corruptions of generated geometries burn what GDAL burns', async () => {
    const seed = Number(process.env.RASTERBURN_BAD_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`bad-feature fuzz seed ${seed} (RASTERBURN_BAD_SEED=${seed} replays it)`);
    const fuzz: DiffCase[] = [];
    for (let i = 0; fuzz.length < 24; i++) {
      const c = fuzzCase(seed, i);
      if (c.dst || !Array.isArray(c.source) || c.args.includes('-3d')) continue;
      const r = rng(caseSeed(seed ^ 0x5bad, i));
      const features = JSON.parse(JSON.stringify(c.features)) as Feature[];
      for (const f of features) if (r() < 0.5) corrupt(f.geometry, r);
      fuzz.push({ ...c, name: `bad-${seed}-${i}`, source: features });
    }
    const res = await runCases(fuzz, { gdalErrorMeansError: true });
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 300_000);

  it('counts skipped features in --json and refuses them with --strict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-bad-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: BAD }));
      const args = ['-burn', '1', '-ts', '10', '10', '-te', '0', '0', '10', '10', '-ot', 'Byte', 'src.geojson'];
      const out = execFileSync(process.execPath, [CLI, '--json', '-q', ...args, 'a.tif'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const summary = JSON.parse(out);
      // rejected whole: features 1-4, 6-10, 12, 17 and 19 (the others lose parts, or none)
      expect(summary.skipped).toBe(12);
      expect(summary.features).toBe(BAD.length);
      let failed: { status: number; stderr: string } | undefined;
      try {
        execFileSync(process.execPath, [CLI, '--strict', ...args, 'b.tif'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        failed = e as { status: number; stderr: string };
      }
      expect(failed?.status).toBe(1);
      expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
      expect(failed?.stderr).toMatch(/feature 1 skipped: Polygon rejected: exterior ring: position 1: x is "a"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// breaks one position of the geometry the way files do: a string, a lone number, a null, a bad Z
function corrupt(g: any, r: () => number): void {
  const lists: any[][] = [];
  const walk = (a: any): void => {
    if (!Array.isArray(a)) return;
    if (typeof a[0] === 'number') return;
    if (a.length && Array.isArray(a[0]) && typeof a[0][0] === 'number') lists.push(a);
    for (const x of a) walk(x);
  };
  if (g.type === 'GeometryCollection') { for (const m of g.geometries) if (r() < 0.5) corrupt(m, r); return; }
  if (g.type === 'Point') { g.coordinates = pickBad(g.coordinates, r); return; }
  walk(g.coordinates);
  if (!lists.length) return;
  const list = lists[Math.floor(r() * lists.length)];
  const k = Math.floor(r() * list.length);
  list[k] = pickBad(list[k], r);
}

function pickBad(p: number[], r: () => number): unknown {
  const forms = [[String(p[0]), p[1]], [p[0]], null, [p[0], p[1], 'z'], [p[0], null], 'x', [p[0], p[1], 1, 2]];
  return forms[Math.floor(r() * forms.length)];
}
