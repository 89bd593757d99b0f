// The GeoPackage reader without GDAL: a GeoPackage written here with sql.js itself, read in place from
// sql.js's heap and through sql.js's Statement, with the values SQLite's loose typing allows (text in an
// INTEGER column), null and empty geometries, and a bbox decided by the stored envelope or the vertices.
import { describe, expect, it } from 'vitest';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import { geojsonToWkb } from 'hyparquet-writer';
import { readFeatures } from '../../../src/index.js';
import { useInlineSqlJs } from '../../../src/formats/sqljs-inline.js';
import { sqlRows, SQL_BLOB, SQL_INTEGER, SQL_NULL, SQL_TEXT } from '../../../src/formats/sqljs-rows.js';
import { flatOf } from '../../../src/features/flat.js';

useInlineSqlJs();

// the GeoPackage binary header (little-endian, with an xy envelope unless none) and the WKB
function gpkgBlob(g: unknown, envelope: number[] | null, empty = false): Uint8Array {
  const wkb = geojsonToWkb(g as never);
  const head = new Uint8Array(8 + (envelope ? 32 : 0));
  head.set([0x47, 0x50, 0, (envelope ? 2 : 0) | 1 | (empty ? 0x10 : 0)]);
  const v = new DataView(head.buffer);
  v.setInt32(4, 32633, true);
  if (envelope) envelope.forEach((x, k) => v.setFloat64(8 + 8 * k, x, true));
  const out = new Uint8Array(head.length + wkb.length);
  out.set(head); out.set(wkb, head.length);
  return out;
}

const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });

async function geopackage(rows: [Uint8Array | null, unknown, unknown][]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
    INSERT INTO gpkg_spatial_ref_sys VALUES ('UTM 33N', 32633, 'EPSG', 32633, 'undefined');
    CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
    INSERT INTO gpkg_contents VALUES ('b', 'features', 'b', '', '', 0, 0, 100, 100, 32633);
    CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
    INSERT INTO gpkg_geometry_columns VALUES ('b', 'geom', 'POLYGON', 32633, 0, 0);
    CREATE TABLE b (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POLYGON, h INTEGER, name TEXT);`);
  const ins = db.prepare('INSERT INTO b (geom, h, name) VALUES (?, ?, ?)');
  for (const r of rows) ins.run(r as never);
  ins.free();
  const bytes = db.export();
  db.close();
  return bytes;
}

describe('GeoPackage rows read in place', () => {
  it('gives the same values from the heap as sql.js Statement does, blobs included', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE t (a, b, c); INSERT INTO t VALUES (x'00ff10', 2.5, 'text'), (NULL, 9007199254740993, NULL), (x'', -1, 'é')`);
    const read = (inPlace: boolean) => {
      const r = sqlRows(SQL, db, 'SELECT a, b, c FROM t ORDER BY rowid', inPlace);
      const out: unknown[] = [];
      while (r.step()) {
        const blob = r.type(0) === SQL_BLOB ? r.blob(0) : null;
        out.push([r.type(0), blob ? Array.from(new Uint8Array(blob.view.buffer, blob.view.byteOffset + blob.start, blob.length)) : null, r.value(1), r.value(2)]);
      }
      r.free();
      return out;
    };
    // this sql.js build lets its heap be seen: the fast path is the one taken
    const probe = sqlRows(SQL, db, 'SELECT 1');
    expect(probe.constructor.name).toBe('HeapRows');
    probe.free();
    const inPlace = read(true);
    expect(inPlace).toEqual(read(false));
    expect(inPlace[0]).toEqual([SQL_BLOB, [0, 255, 16], 2.5, 'text']);
    // an integer beyond 2^53 keeps every digit, as a BigInt, on both paths
    expect(inPlace[1]).toEqual([SQL_NULL, null, 9007199254740993n, null]);
    expect([SQL_INTEGER, SQL_TEXT]).toEqual([1, 3]);
    db.close();
  });

  it('reads numbers into a typed column, and a numeric column holding text as its values', async () => {
    const bytes = await geopackage([
      [gpkgBlob(square(1, 1), [1, 2, 1, 2]), 7, 'a'],
      [null, null, 'no geometry'],
      [gpkgBlob(square(5, 5), null), 12, null],
    ]);
    const layer = await readFeatures(bytes);
    const flat = flatOf(layer);
    expect(flat?.columns.map((c) => c.numeric)).toEqual([true, false]);
    expect(layer.features.map((f) => f.properties)).toEqual([{ h: 7, name: 'a' }, { h: null, name: 'no geometry' }, { h: 12, name: null }]);
    expect(layer.features.map((f) => f.geometry?.type ?? null)).toEqual(['Polygon', null, 'Polygon']);
    const texty = await readFeatures(await geopackage([
      [gpkgBlob(square(1, 1), null), 7, 'a'],
      [gpkgBlob(square(2, 2), null), '12abc', 'b'],
    ]), { fields: ['h'] });
    expect(flatOf(texty)?.columns.map((c) => c.numeric)).toEqual([false]);
    expect(texty.features.map((f) => f.properties)).toEqual([{ h: 7 }, { h: '12abc' }]);
  });

  it('keeps features whose stored envelope or vertices meet the bbox; drops null and empty geometries then', async () => {
    const bytes = await geopackage([
      [gpkgBlob(square(1, 1), [1, 2, 1, 2]), 1, null],
      // a wrong envelope decides alone, as GDAL's reader lets it
      [gpkgBlob(square(1, 1), [50, 51, 50, 51]), 2, null],
      [gpkgBlob(square(60, 60), null), 3, null],
      [gpkgBlob(square(1.5, 1.5), null), 4, null],
      [null, 5, null],
      [gpkgBlob(square(1, 1), [1, 2, 1, 2], true), 6, null],
    ]);
    const near = await readFeatures(bytes, { bbox: [0, 0, 3, 3] });
    expect(near.features.map((f) => f.properties?.h)).toEqual([1, 4]);
    expect(near.featuresRead).toBe(6);
    const all = await readFeatures(bytes);
    expect(all.features.map((f) => f.geometry === null)).toEqual([false, false, false, false, true, true]);
  });

  it('refuses a geometry blob that is not one, naming the feature', async () => {
    const bytes = await geopackage([[gpkgBlob(square(1, 1), null), 1, null], [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 2, null]]);
    await expect(readFeatures(bytes)).rejects.toThrow(/layer b, feature 2: geometry blob does not start with the GeoPackage magic/);
    const cut = gpkgBlob(square(1, 1), null).subarray(0, 30);
    await expect(readFeatures(await geopackage([[cut, 1, null]]))).rejects.toThrow(/feature 1: WKB truncated/);
  });
});
