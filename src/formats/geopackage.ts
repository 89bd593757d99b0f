// GeoPackage: SQLite read with sql.js (SQLite compiled to WebAssembly; the build with the wasm inlined,
// loaded on first use, so neither Node nor a browser page has to find a separate .wasm file). Every
// feature table of gpkg_contents is a layer; geometries are the GPKG header followed by WKB, parsed in
// sql.js's heap (formats/sqljs-rows.ts) straight into the flat feature columns: no object per feature.
import type { Database, SqlValue, Statement } from 'sql.js';
import { attachFlat, FlatBuilder, GEOM_NONE, type FlatFeatures } from '../features/flat.js';
import { boxesMeet, crsMember, filterBox, resolveBBox, wantedFields, type BBox, type FeatureLayer, type FieldInfo, type FieldType, type ReadOptions, type VectorSource } from './layer.js';
import { isSQLite } from './magic.js';
import { sqlRows, SQL_BLOB, SQL_INTEGER, SQL_NULL, SQL_TEXT } from './sqljs-rows.js';
import { WkbFlatReader } from './wkb-flat.js';

type SqlJs = Awaited<ReturnType<typeof import('sql.js').default>>;
let sqlJsLoader: (() => Promise<SqlJs>) | null = null;
let sqlJs: Promise<SqlJs> | null = null;

/** What `useSqlJs` takes: sql.js's module once initialised (what `initSqlJs()` resolves to). */
export interface SqlJsModule {
  Database: new (data?: Uint8Array) => unknown;
}

/**
 * Says where the GeoPackage reader gets sql.js (SQLite in WebAssembly). In Node ('rasterburn',
 * 'rasterburn/node', the CLI) it is set already, to sql.js's build with the wasm inlined; in a browser
 * bundle set it once, e.g. `useSqlJs(() => initSqlJs({ locateFile: (f) => `/wasm/${f}` }))`, so that
 * the core never makes a bundler resolve sql.js's Node-only branches.
 */
export function useSqlJs(loader: () => Promise<SqlJsModule>): void {
  // the public type is structural, so that users' type checks never need sql.js's own types
  sqlJsLoader = loader as () => Promise<SqlJs>;
  sqlJs = null;
}

function loadSqlJs(): Promise<SqlJs> {
  if (!sqlJsLoader) {
    return Promise.reject(new Error('reading a GeoPackage here needs sql.js: call useSqlJs(() => initSqlJs({ locateFile })) first (Node sets it itself)'));
  }
  sqlJs ??= sqlJsLoader();
  return sqlJs;
}

interface LayerInfo { table: string; column: string; srsId: number; fid: string | null }

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

/** Opens a GeoPackage held in memory. */
export async function openGeoPackage(bytes: Uint8Array, name: string): Promise<VectorSource> {
  if (!isSQLite(bytes) || bytes.length < 100) throw new Error(`${name} is not a GeoPackage: no SQLite header`);
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
    db.exec('PRAGMA schema_version');
  } catch (e) {
    throw new Error(`${name} is not a readable GeoPackage: ${(e as Error).message}`);
  }
  let layers: LayerInfo[];
  try {
    const rows = all(db, `SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name) WHERE c.data_type = 'features' ORDER BY c.rowid`);
    layers = rows.map((r) => ({ table: String(r[0]), column: String(r[1]), srsId: Number(r[2]), fid: null }));
  } catch (e) {
    db.close();
    throw new Error(`${name} is not a GeoPackage: ${(e as Error).message}`);
  }
  if (layers.length === 0) { db.close(); throw new Error(`${name} has no vector layer with a geometry column`); }
  for (const l of layers) {
    const pk = all(db, `PRAGMA table_info(${quote(l.table)})`).find((r) => Number(r[5]) === 1 && /^INT/i.test(String(r[2])));
    l.fid = pk ? String(pk[1]) : null;
  }
  return {
    format: 'geopackage',
    name,
    layerNames: () => layers.map((l) => l.table),
    read: async (layer, options = {}) => {
      const l = layers.find((x) => x.table === layer) ?? layers.find((x) => x.table.toLowerCase() === layer.toLowerCase());
      if (!l) throw new Error(`Unable to find layer "${layer}" in ${name}: it has ${layers.map((x) => `"${x.table}"`).join(', ')}`);
      return readLayer(SQL, db, l, name, options);
    },
    close: () => db.close(),
  };
}

function all(db: Database, sql: string): SqlValue[][] {
  const r = db.exec(sql);
  return r.length ? r[0].values : [];
}

// the layer's SRS as GDAL names it: an EPSG code, else the stored WKT; none for the undefined SRSs 0 and -1
function layerSrs(db: Database, srsId: number): string | undefined {
  const rows = all(db, `SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ${Number(srsId) | 0}`);
  if (!rows.length) return undefined;
  const [org, code, def] = rows[0];
  if (String(org).toUpperCase() === 'EPSG' && Number(code) > 0) return `EPSG:${code}`;
  const wkt = typeof def === 'string' ? def.trim() : '';
  return wkt && wkt.toLowerCase() !== 'undefined' ? wkt : undefined;
}

// OGR's reading of the declared column types
function fieldType(decl: string): FieldType {
  const t = decl.toUpperCase().replace(/\(.*$/, '').trim();
  if (t === 'INTEGER' || t === 'INT' || t === 'BIGINT') return 'Integer64';
  if (t === 'MEDIUMINT' || t === 'SMALLINT' || t === 'TINYINT') return 'Integer';
  if (t === 'BOOLEAN') return 'Boolean';
  if (t === 'REAL' || t === 'DOUBLE' || t === 'FLOAT') return 'Real';
  if (t === 'DATE') return 'Date';
  if (t === 'DATETIME') return 'DateTime';
  if (t === 'BLOB') return 'Binary';
  return 'String';
}

async function readLayer(SQL: SqlJs, db: Database, l: LayerInfo, file: string, options: Omit<ReadOptions, 'layer'>): Promise<FeatureLayer> {
  const cols = all(db, `PRAGMA table_info(${quote(l.table)})`).map((r) => ({ name: String(r[1]), decl: String(r[2] ?? '') }));
  const fields: FieldInfo[] = cols.filter((c) => c.name !== l.column && c.name !== l.fid).map((c) => ({ name: c.name, type: fieldType(c.decl) }));
  const srs = layerSrs(db, l.srsId);
  const extent = layerExtent(db, l);
  const bbox = filterBox(resolveBBox(options.bbox, srs), extent);
  const where = options.where;
  // only the geometry and the wanted columns are selected
  const wanted = wantedFields(fields, options.fields);
  const selected = fields.filter((_, k) => wanted[k]);
  const select = `SELECT ${[l.column, ...selected.map((f) => f.name)].map(quote).join(', ')} FROM ${quote(l.table)}`;
  // with a bbox, the R-tree's leaves name the features to read (none of the others is stepped over);
  // one lookup a feature costs several times a step of the whole table, so past an eighth of the rows
  // the table is stepped through instead, each row's envelope deciding
  // (not under -sql's ORDER BY or LIMIT, which SQLite applies to the whole table's rows)
  const tail = options.sqlTail;
  let ids = bbox && l.fid && !tail ? rtreeIds(db, l, bbox) : null;
  if (ids && ids.length * 8 > Number(all(db, `SELECT count(*) FROM ${quote(l.table)}`)[0]?.[0] ?? 0)) ids = null;
  const clause = options.sqlWhere;
  const sql = ids ? `${select} WHERE ${quote(l.fid as string)} = ?${clause ? ` AND (${clause})` : ''}`
    : `${select}${clause ? ` WHERE (${clause})` : ''}${tail ? ` ${tail}` : l.fid ? ` ORDER BY ${quote(l.fid)}` : ''}`;
  // fields declared numeric are read as numbers into typed columns; SQLite lets any column hold text or
  // a blob, which keeps its value as sql.js gives it (-a and -where read it as GDAL does): a numeric
  // column that meets one is read again as plain values (a second pass, only for such files)
  const numeric = selected.map((f) => f.type === 'Integer' || f.type === 'Integer64' || f.type === 'Real' || f.type === 'Boolean');
  for (;;) {
    const r = readRows(numeric);
    if (typeof r === 'number') { numeric[r] = false; continue; }
    const layer: FeatureLayer = { type: 'FeatureCollection', name: l.table, format: 'geopackage', fields, geometryColumn: l.column, features: [], featuresRead: r.read };
    if (extent) layer.extent = extent;
    const crs = crsMember(srs);
    if (crs) layer.crs = crs;
    return attachFlat(layer, r.flat);
  }

  // the features, or the index of a numeric column that met a value no number
  function readRows(numeric: boolean[]): { flat: FlatFeatures; read: number } | number {
    let rows: ReturnType<typeof sqlRows>;
    try {
      rows = sqlRows(SQL, db, sql);
    } catch (e) {
      // GDAL's words when SQLite refuses the statement (a bad -where)
      throw new Error(`failed to prepare SQL: ${sql}: ${(e as Error).message}`);
    }
    let read = 0;
    let notNumber = -1;
    const box = [0, 0, 0, 0];
    const b = new FlatBuilder(selected.map((f, k) => ({ name: f.name, numeric: numeric[k] })));
    const wkb = new WkbFlatReader(b);
    // the current row, kept as a feature unless the bbox or where leaves it out
    const row = (): void => {
      read++;
      const type = rows.type(0);
      const v0 = b.vertices;
      if (type === SQL_BLOB) {
        const { view, start, length } = rows.blob(0);
        if (length === 0) {
          if (bbox) return;
          b.beginFeature(GEOM_NONE);
        } else {
          let wkbAt: number;
          try {
            wkbAt = header(view, start, length, box);
            // the envelope, when stored, says whether the WKB need be read at all
            if (bbox && wkbAt > start + 8 && !Number.isNaN(box[0]) && !boxesMeet(box, bbox)) return;
            if (wkbAt < 0) b.beginFeature(GEOM_NONE);
            else wkb.feature(view, wkbAt, start + length);
          } catch (e) {
            throw new Error(`${file}: layer ${l.table}, feature ${read}: ${(e as Error).message}`);
          }
          if (bbox && (wkbAt <= start + 8 || Number.isNaN(box[0])) && !verticesMeet(b, v0, bbox)) { b.dropFeature(); return; }
        }
      } else {
        // NULL, or a value that is no geometry blob: no geometry
        if (bbox) return;
        b.beginFeature(GEOM_NONE);
      }
      for (let k = 0; k < selected.length; k++) {
        const c = k + 1;
        if (numeric[k]) {
          const t = rows.type(c);
          if (t === SQL_TEXT || t === SQL_BLOB) { notNumber = k; return; }
          const d = t === SQL_NULL ? null : rows.number(c);
          // an integer beyond 2^53 is no double: the column is read again as values, BigInts for those
          if (t === SQL_INTEGER && d !== null && Math.abs(d) > Number.MAX_SAFE_INTEGER) { notNumber = k; return; }
          b.number(k, d);
        } else b.value(k, value(rows.value(c), selected[k].type));
      }
      if (where && !where(b.properties())) { b.dropFeature(); return; }
      b.endFeature();
    };
    try {
      if (ids) {
        for (const id of ids) {
          rows.bindId(id);
          if (rows.step()) row();
          if (notNumber >= 0) return notNumber;
        }
      } else {
        while (rows.step()) {
          row();
          if (notNumber >= 0) return notNumber;
        }
      }
    } finally {
      rows.free();
    }
    return { flat: b.finish(), read };
  }
}

// whether the vertices the open feature wrote from v0 on have a box that meets bbox (none: no)
function verticesMeet(b: FlatBuilder, v0: number, bbox: BBox): boolean {
  const xy = b.xy;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let k = 2 * v0, e = 2 * b.vertices; k < e; k += 2) {
    const x = xy[k], y = xy[k + 1];
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  return x0 <= x1 && boxesMeet([x0, y0, x1, y1], bbox);
}

// GDAL takes the layer extent from gpkg_contents, read as text: SQLite writes a REAL with 15 significant
// digits, so 6000007.350000001 comes back as 6000007.35 (and 0.2999999999999999 as 0.3)
function layerExtent(db: Database, l: LayerInfo): BBox | undefined {
  const ext = all(db, `SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = lower('${l.table.replace(/'/g, "''")}')`)[0];
  if (ext && ext.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const e = (ext as number[]).map((v) => Number(v.toPrecision(15)));
    if (e[0] <= e[2] && e[1] <= e[3]) return e as BBox;
  }
  return undefined;
}

/**
 * The ids of the features whose R-tree box meets bbox, ascending (the file order GDAL reads), from the
 * rtree_<table>_<column> index GDAL writes; null when there is none. sql.js is built without SQLite's
 * rtree module, so the index's own node table is walked: each node is a big-endian blob of a depth (root
 * only), a cell count and cells of (id, minx, maxx, miny, maxy as float32, rounded outwards by SQLite).
 */
function rtreeIds(db: Database, l: LayerInfo, bbox: BBox): number[] | null {
  const nodes = `rtree_${l.table}_${l.column}_node`;
  const exists = all(db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${nodes.replace(/'/g, "''")}'`).length > 0;
  if (!exists) return null;
  let stmt: Statement;
  try {
    stmt = db.prepare(`SELECT data FROM ${quote(nodes)} WHERE nodeno = ?`);
  } catch {
    return null;
  }
  const node = (no: number): DataView | null => {
    stmt.bind([no]);
    const b = stmt.step() ? stmt.get()[0] : null;
    stmt.reset();
    return b instanceof Uint8Array && b.length >= 4 ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
  };
  try {
    const root = node(1);
    if (!root) return null;
    const ids: number[] = [];
    const visit = (v: DataView, level: number): boolean => {
      const n = v.getUint16(2, false);
      if (4 + n * 24 > v.byteLength) return false;
      for (let c = 0, at = 4; c < n; c++, at += 24) {
        const x0 = v.getFloat32(at + 8, false), x1 = v.getFloat32(at + 12, false), y0 = v.getFloat32(at + 16, false), y1 = v.getFloat32(at + 20, false);
        if (!(x0 <= bbox[2] && x1 >= bbox[0] && y0 <= bbox[3] && y1 >= bbox[1])) continue;
        const id = Number(v.getBigInt64(at, false));
        if (level === 0) ids.push(id);
        else {
          const child = node(id);
          if (!child || !visit(child, level - 1)) return false;
        }
      }
      return true;
    };
    const depth = root.getUint16(0, false);
    // an index that does not read as one is not used: every row is read instead
    if (depth > 40 || !visit(root, depth)) return null;
    return ids.sort((a, b) => a - b);
  } finally {
    stmt.free();
  }
}

// values as OGR gives them: booleans as 0/1 numbers (GetFieldAsDouble reads them so), dates as Date objects
// (GetFieldAsDouble reads 0 for dates, and so does fieldAsDouble for an object)
function value(v: SqlValue | bigint, type: FieldType): unknown {
  if (v === null || v === undefined) return null;
  if ((type === 'Date' || type === 'DateTime') && typeof v === 'string') {
    const d = new Date(type === 'Date' ? `${v}T00:00:00Z` : v);
    return Number.isNaN(d.getTime()) ? v : d;
  }
  return v;
}

/**
 * Reads the GeoPackage binary header of the blob at view[start, start + length): returns where the WKB
 * starts (-1 for an empty geometry) and puts the envelope, when one is stored, into box as xmin, ymin,
 * xmax, ymax (NaN when it is absent or NaN).
 */
function header(v: DataView, start: number, length: number, box: number[]): number {
  if (length < 8 || v.getUint8(start) !== 0x47 || v.getUint8(start + 1) !== 0x50) throw new Error('geometry blob does not start with the GeoPackage magic "GP"');
  const flags = v.getUint8(start + 3);
  if (flags & 0x20) throw new Error('extended GeoPackage geometry types are not supported');
  const le = (flags & 1) === 1;
  const env = (flags >> 1) & 7;
  const envLen = [0, 32, 48, 48, 64][env];
  if (envLen === undefined) throw new Error(`bad GeoPackage envelope indicator ${env}`);
  if (length < 8 + envLen) throw new Error('geometry blob truncated in its header');
  box[0] = NaN;
  if (envLen) {
    const at = start + 8;
    // minx, maxx, miny, maxy -> xmin, ymin, xmax, ymax
    box[0] = v.getFloat64(at, le); box[2] = v.getFloat64(at + 8, le); box[1] = v.getFloat64(at + 16, le); box[3] = v.getFloat64(at + 24, le);
    if (Number.isNaN(box[1]) || Number.isNaN(box[2]) || Number.isNaN(box[3])) box[0] = NaN;
  }
  return (flags & 0x10) !== 0 ? -1 : start + 8 + envLen;
}
