// The Shapefile and FlatGeobuf readers write flat columns (src/features/flat.ts): the GeoJSON a layer
// gives from them is the file's geometries and values, every geometry type, Z, multi-part records, the
// bbox and where filters; and the burn takes the direct path. Files are written here: a .shp by hand,
// a FlatGeobuf by the flatgeobuf package's own writer.
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { readFeatures, rasterize } from '../../../src/index.js';
import { flatOf } from '../../../src/features/flat.js';
import { isPacked, type PackedPositions } from '../../../src/features/geojson.js';

const plain = (p: PackedPositions, z: boolean): number[][] => Array.from({ length: p.n }, (_, i) => {
  const o = (p.off ?? 0) + 3 * i;
  return z ? [p.xyz[o], p.xyz[o + 1], p.xyz[o + 2]] : [p.xyz[o], p.xyz[o + 1]];
});
const unpack = (g: any, z = false): any => {
  if (!g) return g;
  if (g.type === 'GeometryCollection') return { type: g.type, geometries: g.geometries.map((m: any) => unpack(m, z)) };
  const walk = (c: any): any => (isPacked(c) ? plain(c, z) : Array.isArray(c) && typeof c[0] !== 'number' ? c.map(walk) : c);
  const c = walk(g.coordinates);
  return { type: g.type, coordinates: g.type === 'Point' ? c[0] ?? [] : c };
};

// a .shp of records [type, content bytes], with its .dbf of one N(9,0) field "id"
function shapefile(records: [number, (v: DataView, at: number) => number][], ids: number[]): Record<string, Uint8Array> {
  const body: Uint8Array[] = [];
  records.forEach(([type, write], k) => {
    const buf = new Uint8Array(4096);
    const v = new DataView(buf.buffer);
    v.setInt32(0, k + 1, false);
    v.setInt32(8, type, true);
    const end = write(v, 8);
    v.setInt32(4, (end - 8) / 2, false);
    body.push(buf.slice(0, end));
  });
  const len = 100 + body.reduce((s, b) => s + b.length, 0);
  const shp = new Uint8Array(len);
  const h = new DataView(shp.buffer);
  h.setInt32(0, 9994, false); h.setInt32(24, len / 2, false); h.setInt32(28, 1000, true); h.setInt32(32, records[0][0], true);
  [-100, -100, 100, 100].forEach((x, i) => h.setFloat64(36 + 8 * i, x, true));
  let at = 100;
  for (const b of body) { shp.set(b, at); at += b.length; }
  const recLen = 10, headerLen = 65;
  const dbf = new Uint8Array(headerLen + ids.length * recLen + 1);
  const d = new DataView(dbf.buffer);
  dbf[0] = 3; d.setUint32(4, ids.length, true); d.setUint16(8, headerLen, true); d.setUint16(10, recLen, true);
  dbf.set([0x69, 0x64], 32); dbf[43] = 0x4e; dbf[48] = 9; dbf[64] = 0x0d;
  ids.forEach((id, r) => { const s = String(id).padStart(9); dbf[headerLen + r * recLen] = 0x20; for (let i = 0; i < 9; i++) dbf[headerLen + r * recLen + 1 + i] = s.charCodeAt(i); });
  return { 'a.shp': shp, 'a.dbf': dbf, 'a.prj': new TextEncoder().encode('PROJCS["WGS_1984_UTM_Zone_33N",GEOGCS["GCS_WGS_1984"]]') };
}

// a Polygon/PolyLine record body: box, parts, points (and Z when zs)
const poly = (parts: number[][][], zs?: number[]) => (v: DataView, at: number): number => {
  const pts = parts.flat();
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((x, i) => v.setFloat64(at + 4 + 8 * i, x, true));
  v.setInt32(at + 36, parts.length, true); v.setInt32(at + 40, pts.length, true);
  let o = at + 44, first = 0;
  for (const p of parts) { v.setInt32(o, first, true); o += 4; first += p.length; }
  for (const [x, y] of pts) { v.setFloat64(o, x, true); v.setFloat64(o + 8, y, true); o += 16; }
  if (zs) { o += 16; for (const z of zs) { v.setFloat64(o, z, true); o += 8; } }
  return o;
};
const square = (x0: number, y0: number, x1: number, y1: number, cw = true): number[][] => cw
  ? [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]] : [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('Shapefile into flat columns', () => {
  const files = shapefile([
    [5, poly([square(0, 0, 10, 10), square(3, 3, 7, 7), square(4, 4, 5, 5, false), square(1, 1, 2, 2, false), square(20, 20, 21, 21, false)])],
    [5, poly([square(1, 1, 2, 2, false), square(0, 0, 10, 10)])],
    [0, (_v, at) => at + 4],
    [5, poly([square(-50, -50, -40, -40)])],
  ], [7, 8, 9, 10]);
  it('groups rings as GDAL does, keeps null shapes and values, filters by bbox and where', async () => {
    const layer = await readFeatures(zipSync(files));
    expect(layer.crs?.properties.name).toBe('EPSG:32633');
    const fs = layer.features;
    expect(fs.map((f) => f.properties)).toEqual([{ id: 7 }, { id: 8 }, { id: 9 }, { id: 10 }]);
    expect(unpack(fs[0].geometry)).toEqual({ type: 'MultiPolygon', coordinates: [[square(0, 0, 10, 10), square(1, 1, 2, 2, false)], [square(3, 3, 7, 7), square(4, 4, 5, 5, false)], [square(20, 20, 21, 21, false)]] });
    expect(unpack(fs[1].geometry)).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(1, 1, 2, 2, false)] });
    expect(fs[2].geometry).toBeNull();
    const part = await readFeatures(zipSync(files), { bbox: [-60, -60, -45, -45] });
    expect(part.features.map((f) => f.properties)).toEqual([{ id: 10 }]);
    expect(part.featuresRead).toBe(4);
    const some = await readFeatures(zipSync(files), { where: (p) => (p.id as number) % 2 === 0 });
    expect(some.features.map((f) => f.properties)).toEqual([{ id: 8 }, { id: 10 }]);
  });
  it('reads PolyLineZ parts as lines with Z, and burns through the columns', async () => {
    const lines = shapefile([[13, poly([[[0, 0], [5, 5]], [[5, 0], [0, 5]]], [1, 2, 3, 4])]], [3]);
    const layer = await readFeatures(zipSync(lines));
    expect(flatOf(layer)).toBeDefined();
    const r = await rasterize(layer, { width: 5, height: 5, transform: [0, 1, 0, 5, 0, -1], crs: 'EPSG:32633' }, { attribute: 'id', dtype: 'uint8' });
    // the direct path ran: the features were never built
    expect(flatOf(layer)).toBeDefined();
    expect(r.stats.shapes).toBe(2);
    expect(unpack(layer.features[0].geometry, true)).toEqual({ type: 'MultiLineString', coordinates: [[[0, 0, 1], [5, 5, 2]], [[5, 0, 3], [0, 5, 4]]] });
    // same pixels as the GeoJSON the layer gives
    const again = await rasterize(layer, { width: 5, height: 5, transform: [0, 1, 0, 5, 0, -1], crs: 'EPSG:32633' }, { attribute: 'id', dtype: 'uint8' });
    expect(flatOf(layer)).toBeUndefined();
    expect(Array.from(again.data)).toEqual(Array.from(r.data));
    expect(Array.from(r.data).filter((x) => x === 3).length).toBeGreaterThan(5);
  });
});

describe('FlatGeobuf into flat columns', () => {
  const geometries = [
    { type: 'Point', coordinates: [1, 2] },
    { type: 'LineString', coordinates: [[0, 0], [3, 4], [5, 5]] },
    { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(1, 1, 2, 2, false)] },
    { type: 'MultiPoint', coordinates: [[1, 1], [2, 2], [3, 3]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 4]]] },
    { type: 'MultiPolygon', coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 6, 6), square(5.2, 5.2, 5.4, 5.4, false)]] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [7, 8] }, { type: 'LineString', coordinates: [[0, 0], [9, 9]] }, { type: 'Polygon', coordinates: [square(30, 30, 31, 31)] }] },
  ];
  const fc = { type: 'FeatureCollection', features: geometries.map((geometry, i) => ({ type: 'Feature', geometry, properties: { n: i * 1.5, s: `f${i}`, flag: i % 2 === 0 } })) };
  it('gives back every geometry type and the values of the fields asked for', async () => {
    const bytes = serialize(fc as never, 3857);
    const layer = await readFeatures(bytes);
    expect(layer.crs?.properties.name).toBe('EPSG:3857');
    expect(layer.features.map((f) => unpack(f.geometry))).toEqual(geometries);
    expect(layer.features.map((f) => f.properties)).toEqual(fc.features.map((f) => f.properties));
    const some = await readFeatures(bytes, { fields: ['s'], where: (p) => p.s !== 'f1', bbox: [-1, -1, 2.5, 2.5] });
    expect(some.features.map((f) => f.properties)).toEqual([{ s: 'f0' }, { s: 'f2' }, { s: 'f3' }, { s: 'f4' }, { s: 'f5' }, { s: 'f6' }]);
  });
  it('reads Z and refuses a truncated file in one line', async () => {
    const z = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 6]] }, properties: { n: 1 } }] };
    const bytes = serialize(z as never);
    expect(unpack((await readFeatures(bytes)).features[0].geometry, true)).toEqual(z.features[0].geometry);
    await expect(readFeatures(bytes.subarray(0, bytes.length - 20))).rejects.toThrow(/^input: feature 0 is truncated$/);
  });
});
