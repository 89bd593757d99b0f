// ESRI Shapefile: .shp geometries, .dbf attributes (text in the .cpg's encoding, else the one the DBF
// header names), .prj SRS. Several shapefiles (a zip of them) are several layers, named by basename.
import { attachFlat, FlatBuilder } from '../features/flat.js';
import { readDbf, dbfEncoding } from './dbf.js';
import { crsMember, filterBox, resolveBBox, type BBox, type FeatureLayer, type ReadOptions, type VectorSource } from './layer.js';
import { prjSrs } from './prj.js';
import { readShp, shpBox, shpHeader } from './shp.js';

/** One shapefile's files (bytes), the .shp and .dbf required. */
export interface ShapefileParts { shp: Uint8Array; dbf?: Uint8Array; prj?: string; cpg?: string }

const utf8 = new TextDecoder();

/** Opens one or more shapefiles held in memory, keyed by layer name (the basename). */
export function openShapefiles(layers: Map<string, ShapefileParts>, name: string): VectorSource {
  if (layers.size === 0) throw new Error(`${name} holds no .shp file`);
  for (const [layer, parts] of layers) {
    shpHeader(parts.shp, `${layer}.shp`);
    if (!parts.dbf) throw new Error(`${name}: ${layer}.shp has no ${layer}.dbf beside it`);
  }
  return {
    format: 'shapefile',
    name,
    layerNames: () => [...layers.keys()],
    read: async (layer, options = {}) => {
      const key = layers.has(layer) ? layer : [...layers.keys()].find((k) => k.toLowerCase() === layer.toLowerCase());
      if (key === undefined) throw new Error(`Unable to find layer "${layer}" in ${name}: it has ${[...layers.keys()].map((k) => `"${k}"`).join(', ')}`);
      return readShapefile(key, layers.get(key) as ShapefileParts, options);
    },
  };
}

function readShapefile(layer: string, parts: ShapefileParts, options: Omit<ReadOptions, 'layer'>): FeatureLayer {
  const where = options.where;
  const srs = parts.prj !== undefined ? prjSrs(parts.prj) : undefined;
  const bbox: BBox | undefined = filterBox(resolveBBox(options.bbox, srs), shpBox(parts.shp));
  const dbfBytes = parts.dbf as Uint8Array;
  const ldid = dbfBytes.length > 29 ? dbfBytes[29] : 0;
  const table = readDbf(dbfBytes, dbfEncoding(parts.cpg, ldid), `${layer}.dbf`, options.fields);
  const columns = table.columns;
  // the .shx would give the record count; the .dbf's header gives it too, and 16 bytes a vertex bound the rest
  const out = new FlatBuilder(columns, { features: table.count, vertices: parts.shp.length >> 4 });
  // a record past the .dbf's end has no attribute values (null)
  const read = readShp(parts.shp, out, `${layer}.shp`, bbox, (k) => {
    const has = k < table.count;
    for (let c = 0; c < columns.length; c++) {
      const v = has ? table.cell(k, c) : null;
      if (columns[c].numeric) out.number(c, v as number | null);
      else out.value(c, v);
    }
    if (where && !where(out.properties())) out.dropFeature();
    else out.endFeature();
  });
  const result: FeatureLayer = { type: 'FeatureCollection', name: layer, format: 'shapefile', fields: table.fields, features: [], featuresRead: read };
  const box = shpBox(parts.shp);
  if (read > 0 && box.every(Number.isFinite) && box[0] <= box[2] && box[1] <= box[3]) result.extent = box;
  const crs = crsMember(srs);
  if (crs) result.crs = crs;
  return attachFlat(result, out.finish());
}

/** Groups files by basename into shapefiles: the entries of a zip, or files dropped on a page together. */
export function groupShapefiles(files: Iterable<[string, Uint8Array]>): Map<string, ShapefileParts> {
  const byBase = new Map<string, Partial<Record<'shp' | 'dbf' | 'prj' | 'cpg', Uint8Array>>>();
  for (const [path, bytes] of files) {
    const m = /^(?:.*[\\/])?([^\\/]+)\.(shp|dbf|prj|cpg)$/i.exec(path);
    if (!m || /(^|\/)__MACOSX\//.test(path)) continue;
    const base = m[1];
    const ext = m[2].toLowerCase() as 'shp' | 'dbf' | 'prj' | 'cpg';
    const key = [...byBase.keys()].find((k) => k.toLowerCase() === base.toLowerCase()) ?? base;
    const entry = byBase.get(key) ?? {};
    entry[ext] = bytes;
    byBase.set(key, entry);
  }
  const out = new Map<string, ShapefileParts>();
  for (const [base, e] of byBase) {
    if (!e.shp) continue;
    out.set(base, { shp: e.shp, dbf: e.dbf, prj: e.prj && utf8.decode(e.prj), cpg: e.cpg && utf8.decode(e.cpg) });
  }
  return out;
}
