// The reader layer's own parts, without GDAL: WKB, ring grouping of Shapefile polygons, DBF values and
// encodings, the dispatcher's choices and its one-line errors, GeoParquet row-group skipping.
import { describe, expect, it } from 'vitest';
import { geojsonToWkb } from 'hyparquet-writer';
import { zipSync } from 'fflate';
import { readFeatures, listLayers } from '../../../src/index.js';
import { WkbFlatReader } from '../../../src/formats/wkb-flat.js';
import { FlatBuilder, toGeoJSON } from '../../../src/features/flat.js';
import { organize } from '../../../src/formats/shp.js';
import { dbfEncoding, readDbf } from '../../../src/formats/dbf.js';
import { prjSrs } from '../../../src/formats/prj.js';
import { isPacked, type PackedPositions } from '../../../src/features/geojson.js';
import { geoParquetBytes } from '../../formats/geoparquet-writer.js';

const plain = (p: PackedPositions): number[][] => Array.from({ length: p.n }, (_, i) => {
  const o = (p.off ?? 0) + 3 * i;
  return p.hasZ ? [p.xyz[o], p.xyz[o + 1], p.xyz[o + 2]] : [p.xyz[o], p.xyz[o + 1]];
});
// a geometry with packed lists turned back into plain arrays
const unpack = (g: any): any => {
  if (g.type === 'GeometryCollection') return { type: g.type, geometries: g.geometries.map(unpack) };
  const walk = (c: any): any => (isPacked(c) ? plain(c) : Array.isArray(c) && typeof c[0] !== 'number' ? c.map(walk) : c);
  const c = walk(g.coordinates);
  return { type: g.type, coordinates: g.type === 'Point' ? c[0] ?? [] : c };
};

// one WKB geometry read into flat columns, as the GeoPackage and GeoParquet readers read them, and back as GeoJSON
function parseWKB(bytes: Uint8Array): unknown {
  const b = new FlatBuilder();
  new WkbFlatReader(b).feature(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
  b.endFeature();
  return toGeoJSON(b.finish())[0].geometry;
}

describe('WKB', () => {
  const cases = [
    { type: 'Point', coordinates: [1.5, -2] },
    { type: 'LineString', coordinates: [[0, 0, 5], [1, 1, 6]] },
    { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] },
    { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
    { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [7, 8] }, { type: 'LineString', coordinates: [[0, 0], [9, 9]] }] },
  ];
  it.each(cases.map((c) => [c.type, c]))('%s round-trips', (_, g) => {
    expect(unpack(parseWKB(geojsonToWkb(g as never)))).toEqual(g);
  });
  it('reads big-endian, EWKB Z with SRID, and refuses curves and truncation in one line', () => {
    const be = new Uint8Array([0, 0, 0, 0, 1, ...new Uint8Array(new Float64Array([0]).buffer).fill(0), ...new Uint8Array(8)]);
    const v = new DataView(be.buffer);
    v.setFloat64(5, 3.25, false); v.setFloat64(13, -1, false);
    expect(unpack(parseWKB(be))).toEqual({ type: 'Point', coordinates: [3.25, -1] });
    const ewkb = new Uint8Array(1 + 4 + 4 + 24);
    const e = new DataView(ewkb.buffer);
    e.setUint8(0, 1); e.setUint32(1, 0xa0000001, true); e.setUint32(5, 4326, true);
    e.setFloat64(9, 1, true); e.setFloat64(17, 2, true); e.setFloat64(25, 3, true);
    expect(unpack(parseWKB(ewkb))).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    const curve = new Uint8Array([1, 8, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => parseWKB(curve)).toThrow(/CircularString is not supported/);
    expect(() => parseWKB(geojsonToWkb({ type: 'LineString', coordinates: [[0, 0], [1, 1]] } as never).subarray(0, 20))).toThrow(/WKB truncated/);
  });
});

describe('Shapefile rings into polygons', () => {
  const ring = (pts: number[][]): PackedPositions => {
    const xyz = new Float64Array(pts.length * 3);
    pts.forEach(([x, y], i) => { xyz[3 * i] = x; xyz[3 * i + 1] = y; });
    return { xyz, n: pts.length, hasZ: false };
  };
  // clockwise (y up) = exterior in a shapefile
  const cw = (x0: number, y0: number, x1: number, y1: number) => ring([[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]);
  const ccw = (x0: number, y0: number, x1: number, y1: number) => ring([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]);
  it('gives each hole to the smallest exterior around it; a lone counter-clockwise ring stands alone', () => {
    const big = cw(0, 0, 10, 10), island = cw(3, 3, 7, 7), lakeInBig = ccw(1, 1, 2, 2), lakeInIsland = ccw(4, 4, 5, 5), far = ccw(20, 20, 21, 21);
    const g = organize([big, island, lakeInIsland, lakeInBig, far]) as { type: string; coordinates: PackedPositions[][] };
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates).toEqual([[big, lakeInBig], [island, lakeInIsland], [far]]);
    expect(organize([ccw(1, 1, 2, 2), cw(0, 0, 10, 10)])).toEqual({ type: 'Polygon', coordinates: [cw(0, 0, 10, 10), ccw(1, 1, 2, 2)] });
  });
});

describe('DBF', () => {
  // a one-field-per-type table written by hand: N(9,0) N(12,0) N(8,3) C(6) D(8) L(1)
  function dbf(rows: string[][], ldid = 0): Uint8Array {
    const fields: [string, string, number, number][] = [['I', 'N', 9, 0], ['BIG', 'N', 12, 0], ['R', 'N', 8, 3], ['S', 'C', 6, 0], ['D', 'D', 8, 0], ['L', 'L', 1, 0]];
    const recLen = 1 + fields.reduce((s, f) => s + f[2], 0);
    const headerLen = 32 + 32 * fields.length + 1;
    const b = new Uint8Array(headerLen + rows.length * recLen + 1);
    const v = new DataView(b.buffer);
    b[0] = 3; v.setUint32(4, rows.length, true); v.setUint16(8, headerLen, true); v.setUint16(10, recLen, true); b[29] = ldid;
    fields.forEach(([name, t, len, dec], k) => {
      const at = 32 + 32 * k;
      for (let i = 0; i < name.length; i++) b[at + i] = name.charCodeAt(i);
      b[at + 11] = t.charCodeAt(0); b[at + 16] = len; b[at + 17] = dec;
    });
    b[headerLen - 1] = 0x0d;
    rows.forEach((row, r) => {
      let at = headerLen + r * recLen;
      b[at++] = 0x20;
      row.forEach((cell, k) => { for (let i = 0; i < fields[k][2]; i++) b[at + i] = i < cell.length ? cell.charCodeAt(i) & 0xff : 0x20; at += fields[k][2]; });
    });
    b[b.length - 1] = 0x1a;
    return b;
  }
  it('types fields as GDAL does and reads values, nulls, dates and Latin-1 text', () => {
    const t = readDbf(dbf([['       42', '123456789012', '  -1.500', ' 7x\xe9 ', '20200102', 'T'], ['', '************', '', '', '00000000', '?']]), 'iso-8859-1', 't.dbf');
    expect(t.fields).toEqual([{ name: 'I', type: 'Integer' }, { name: 'BIG', type: 'Integer64' }, { name: 'R', type: 'Real' }, { name: 'S', type: 'String' }, { name: 'D', type: 'Date' }, { name: 'L', type: 'String' }]);
    expect(t.record(0)).toEqual({ I: 42, BIG: 123456789012, R: -1.5, S: '7xé', D: new Date(Date.UTC(2020, 0, 2)), L: 'T' });
    // a blank text cell is NULL to GDAL (ogrinfo prints (null), -where "S IS NULL" takes it)
    expect(t.record(1)).toEqual({ I: null, BIG: null, R: null, S: null, D: null, L: null });
  });
  it('takes the encoding from the .cpg, else the language driver id', () => {
    expect(dbfEncoding('UTF-8', 0)).toBe('utf-8');
    expect(dbfEncoding('1251', 0)).toBe('windows-1251');
    expect(dbfEncoding('CP1252', 0)).toBe('windows-1252');
    expect(dbfEncoding('ISO-8859-2', 0)).toBe('iso-8859-2');
    expect(dbfEncoding('88591', 0)).toBe('iso-8859-1');
    expect(dbfEncoding(undefined, 0x57)).toBe('windows-1252');
    expect(dbfEncoding(undefined, 0)).toBe('iso-8859-1');
  });
  it('recognises the ESRI names GDAL identifies', () => {
    expect(prjSrs('PROJCS["WGS_1984_UTM_Zone_33N",GEOGCS["GCS_WGS_1984"]]')).toBe('EPSG:32633');
    expect(prjSrs('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]')).toBe('EPSG:4326');
    expect(prjSrs('GEOGCS["WGS_1984_3D",DATUM["D_WGS_1984"]]')).toBe('EPSG:4979');
    expect(prjSrs('PROJCS["Some_Local",GEOGCS["x"]]')).toMatch(/^PROJCS/);
  });
});

describe('dispatcher', () => {
  it('reads a GeoJSON sequence and a GeoJSON document from bytes; refuses unknown bytes in one line', async () => {
    const seq = new TextEncoder().encode('{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}\n{"type":"Feature","properties":{"a":"2020-01-01"},"geometry":null}\n');
    const l = await readFeatures(seq);
    expect(l.format).toBe('geojsonseq');
    expect(l.features).toHaveLength(2);
    expect(l.crs?.properties.name).toBe('OGC:CRS84');
    const rs = new TextEncoder().encode('\x1e{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}\n\x1e{"type":"Feature","properties":{},"geometry":null}\n');
    expect((await readFeatures(rs)).features).toHaveLength(2);
    const doc = new TextEncoder().encode('{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{},"geometry":null}\n]}');
    expect((await readFeatures(doc)).format).toBe('geojson');
    await expect(readFeatures(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/^input: unrecognised vector format/);
    await expect(readFeatures(new Uint8Array(0))).rejects.toThrow(/input is empty/);
  });
  it('reads a GeoParquet file, skips row groups outside the bbox, and a zip without a .shp is refused', async () => {
    const features = Array.from({ length: 30 }, (_, i) => ({ geometry: { type: 'Point', coordinates: [i, i] }, properties: { id: i, name: `n${i}` } }));
    const bytes = geoParquetBytes(features, { crs: 'EPSG:3857', covering: true, rowGroupSize: 10, types: { id: 'INT64' } });
    const all = await readFeatures(bytes);
    expect(all.fields).toEqual([{ name: 'id', type: 'Integer64' }, { name: 'name', type: 'String' }]);
    expect(all.features.map((f) => f.properties?.id)).toEqual(features.map((f) => f.properties.id));
    const part = await readFeatures(bytes, { bbox: [12.5, 12.5, 14.5, 14.5], where: (p) => p.id !== 13 });
    expect(part.features.map((f) => f.properties?.id)).toEqual([14]);
    expect(part.featuresRead).toBe(10);
    expect(await listLayers(new Blob([bytes]))).toEqual(['blob']);
    await expect(readFeatures(zipSync({ 'a.txt': new Uint8Array([1]) }))).rejects.toThrow(/holds no \.shp file/);
  });
});
