// GeoJSON properties whose values are all dates, times or date-times (pixel rule F13): seeded strings,
// some of them dates OGR accepts and some near misses, mixed with nulls, other text and numbers. OGR's
// own field types (read with osgeo.ogr) must equal inferFields', and -a must burn what gdal_rasterize
// burns, through rasterize() on the parsed document (the CLI's path) and through readFeatures.
//   RASTERBURN_SEED=n   replay a run (the seed is printed)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeoJSONFeature, GeoJSONFeatureCollection } from '../../src/features/geojson.js';
import { inferFields } from '../../src/formats/infer.js';
import { readFeatures } from '../../src/formats/open.js';
import { rasterize } from '../../src/index.js';
import { gdalRasterizeAsync, pythonJson, readRasters } from './gdal/oracle.js';

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;
const COLUMNS = 240, FEATURES = 3, BURNED = 48;

function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r = rng(seed);
const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
// mostly well-formed pieces, with the edges OGR checks: year range, month 1-12, day 1-31, hour 0-23,
// minute 0-59, seconds up to 60, what may follow a date or a time
// half the columns draw only pieces OGR accepts, so that every type turns up in every seed
let clean = false;
const odd = <T>(ok: T[], bad: T[]): T => pick(clean || r() < 0.6 ? ok : bad);
const datePart = () => odd(['', '', ' '], ['-', '+', '\t'])
  + odd(['2020', '1999', '20', '0', '32767'], ['32768', '100000']) + odd(['-', '/'], ['--'])
  + odd(['01', '1', '12', '09'], ['13', '0', '1a']) + odd(['-', '/'], ['-'])
  + odd(['02', '2', '31', '30'], ['32', '0']);
const timePart = () => odd(['12', '0', '23', '7'], ['24', 'a1']) + ':' + odd(['30', '0', '59', '5'], ['60', '-1'])
  + (r() < 0.6 ? ':' + odd(['00', '60', '5.5', '59.999'], ['61', 'xx', '-1']) : '')
  + odd(['', '', 'Z', '+02', '-0330', '+02:00', ' '], ['abc']);
function dateish(kind: string): string {
  switch (kind) {
    case 'date': return datePart() + odd(['', '', 'Z', 'T', ' ', 'Zabc'], ['x', '\t', 'T03', ' abc']);
    case 'datetime': return datePart() + odd(['T', ' ', '  ', 'T '], [' T']) + timePart();
    case 'time': return odd(['', ' '], ['\t']) + timePart();
    default: return pick(['2020', '12', '12-30', '1-1-1', 'abc', '', '2020-01-02T25:00', '12:30:00-05']);
  }
}
// a column: mostly one kind of string, sometimes another kind, null, a missing value, a number or a boolean
function column(): unknown[] {
  clean = r() < 0.5;
  const kind = pick(['date', 'date', 'datetime', 'datetime', 'time', 'time', 'odd']);
  const base = dateish(kind);
  return Array.from({ length: FEATURES }, () => {
    const x = r();
    if (x < 0.1) return null;
    if (x < 0.15) return undefined;
    if (x < 0.19) return pick([5, 2.5, true, 'abc', '7 days']);
    if (x < 0.5) return base;
    return dateish(r() < 0.9 ? kind : pick(['date', 'datetime', 'time']));
  });
}

const columns = Array.from({ length: COLUMNS }, column);
const doc: GeoJSONFeatureCollection = {
  type: 'FeatureCollection',
  features: Array.from({ length: FEATURES }, (_, i): GeoJSONFeature => {
    const properties: Record<string, unknown> = {};
    columns.forEach((c, k) => { if (c[i] !== undefined) properties[`f${k}`] = c[i]; });
    return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]] } };
  }),
};
const DIR = mkdtempSync(join(tmpdir(), 'rb-dates-'));
const SRC = join(DIR, 'dates.geojson');
writeFileSync(SRC, JSON.stringify(doc));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const OGR_TYPES = `
import json, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])  # kept: the layer dies with its dataset
layer = ds.GetLayer(0)
d = layer.GetLayerDefn()
print(json.dumps({d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName() for i in range(d.GetFieldCount())}))
`;

describe(`GeoJSON date fields (seed ${seed})`, () => {
  it('inferFields types every column as OGR does', () => {
    console.log(`date-fields seed ${seed}`);
    const ogr = pythonJson<Record<string, string>>(OGR_TYPES, undefined, [SRC]);
    // OGR calls a Boolean field an Integer one (of subtype Boolean)
    const ours = Object.fromEntries(inferFields(doc.features).map((f) => [f.name, f.type === 'Boolean' ? 'Integer' : f.type]));
    const wrong = Object.keys(ogr).filter((k) => ogr[k] !== ours[k])
      .map((k) => `${k} ${JSON.stringify(columns[Number(k.slice(1))])}: OGR ${ogr[k]}, ours ${ours[k]}`);
    expect(wrong, `replay: RASTERBURN_SEED=${seed}`).toEqual([]);
    // the columns must exercise both sides of the rule
    const kinds = new Set(Object.values(ogr));
    for (const k of ['Date', 'DateTime', 'Time', 'String']) expect(kinds.has(k), `no ${k} column in seed ${seed}`).toBe(true);
  });

  it('-a burns what gdal_rasterize burns, from the document and from readFeatures', async () => {
    const grid = { width: FEATURES, height: 1, transform: [0, 1, 0, 1, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:4326' };
    const layer = await readFeatures(new Uint8Array(Buffer.from(JSON.stringify(doc))));
    const names = Array.from({ length: BURNED }, (_, k) => `f${k}`);
    const outs = names.map((n) => join(DIR, `${n}.tif`));
    for (let k = 0; k < BURNED; k++) {
      const p = await gdalRasterizeAsync(['-q', '-a', names[k], '-ot', 'Float64', '-init', '-1', '-te', '0', '0', String(FEATURES), '1', '-ts', String(FEATURES), '1', SRC, outs[k]]);
      expect(p.rc, p.stderr).toBe(0);
    }
    const want = readRasters(outs, { pixels: true }).map((m) => (m.pixels ?? [])[0]);
    const bad: string[] = [];
    for (let k = 0; k < BURNED; k++) {
      const opts = { attribute: names[k], dtype: 'float64' as const, init: -1 };
      const fromDoc = Array.from((await rasterize(doc, grid, opts)).data);
      const fromLayer = Array.from((await rasterize(layer, grid, opts)).data);
      const g = want[k].map(Number);
      if (JSON.stringify(fromDoc) !== JSON.stringify(g)) bad.push(`${names[k]} ${JSON.stringify(columns[k])}: gdal ${g}, rasterize ${fromDoc}`);
      if (JSON.stringify(fromLayer) !== JSON.stringify(g)) bad.push(`${names[k]} ${JSON.stringify(columns[k])}: gdal ${g}, readFeatures ${fromLayer}`);
    }
    expect(bad, `replay: RASTERBURN_SEED=${seed}`).toEqual([]);
  }, 120_000);
});
