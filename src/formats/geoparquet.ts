// GeoParquet with hyparquet (+ hyparquet-compressors for zstd, gzip, brotli, lz4): the WKB geometry
// column named by the `geo` metadata, its CRS from PROJJSON, and the bbox covering column's row-group
// statistics to skip row groups that lie outside the bbox (only their column chunks are never fetched,
// which is what makes a URL read a small part of a big file). WKB is read by our parser into packed
// geometries through hyparquet's parsers hook: its own parser builds GeoJSON with an array per vertex.
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { AnyGeometry, GeoJSONFeature } from '../features/geojson.js';
import { baseName, boxesMeet, checkSingleLayer, crsMember, filterBox, resolveBBox, wantedFields, type BBox, type ReadOptions, type FeatureLayer, type FieldInfo, type FieldType, type Properties, type VectorSource } from './layer.js';
import { geometryBox, Packer } from './packer.js';
import { parseWKB } from './wkb.js';

interface GeoColumn { encoding?: string; crs?: unknown; bbox?: number[]; covering?: { bbox?: Record<'xmin' | 'ymin' | 'xmax' | 'ymax', string[]> } }

/** Opens a GeoParquet file from random-access bytes (a file in memory, or a URL read by range requests). */
export async function openGeoParquet(file: AsyncBuffer, name: string): Promise<VectorSource> {
  let metadata: FileMetaData;
  try {
    // the footer's usual size, not hyparquet's default 512 KiB: over HTTP that would be most of a small file
    metadata = await parquetMetadataAsync(file, { initialFetchSize: 1 << 14 });
  } catch (e) {
    throw new Error(`${name} is not a readable Parquet file: ${(e as Error).message}`);
  }
  const geoText = metadata.key_value_metadata?.find((kv) => kv.key === 'geo')?.value;
  if (!geoText) throw new Error(`${name} is a Parquet file without GeoParquet "geo" metadata: no geometry column`);
  let geo: { primary_column?: string; columns?: Record<string, GeoColumn> };
  try {
    geo = JSON.parse(geoText);
  } catch {
    throw new Error(`${name}: its "geo" metadata is not JSON`);
  }
  const column = geo.primary_column;
  const info = column !== undefined ? geo.columns?.[column] : undefined;
  if (column === undefined || !info) throw new Error(`${name}: the "geo" metadata names no primary geometry column`);
  if ((info.encoding ?? 'WKB').toUpperCase() !== 'WKB') throw new Error(`${name}: geometry encoding "${info.encoding}" is not supported (only WKB)`);
  const layer = baseName(name);
  return {
    format: 'geoparquet',
    name,
    layerNames: () => [layer],
    read: async (asked, options = {}) => {
      checkSingleLayer(layer, asked, name);
      return readRows(file, metadata, name, layer, column, info, options);
    },
  };
}

// the CRS: PROJJSON's id (EPSG:xxxx, OGC:CRS84); absent means OGC:CRS84, null means none
function srsOf(info: GeoColumn, name: string): string | undefined {
  if (!('crs' in info) || info.crs === undefined) return 'OGC:CRS84';
  const crs = info.crs;
  if (crs === null) return undefined;
  if (typeof crs === 'string') return crs;
  const id = (crs as { id?: { authority?: string; code?: string | number } }).id;
  if (id?.authority && id.code !== undefined) return `${id.authority}:${id.code}`;
  throw new Error(`${name}: the geometry column's PROJJSON CRS has no id (authority and code), which rasterburn needs`);
}

function fieldType(e: SchemaElement): FieldType {
  const lt = e.logical_type?.type, ct = e.converted_type;
  if (lt === 'DATE' || ct === 'DATE') return 'Date';
  if (lt === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') return 'DateTime';
  switch (e.type) {
    case 'BOOLEAN': return 'Boolean';
    case 'INT32': return 'Integer';
    case 'INT64': return 'Integer64';
    case 'FLOAT': case 'DOUBLE': return 'Real';
    case 'BYTE_ARRAY': return lt === 'STRING' || ct === 'UTF8' || lt === 'JSON' || ct === 'JSON' ? 'String' : 'Binary';
    default: return 'String';
  }
}

// which row groups may hold a feature meeting bbox, judged by the covering column's statistics
function rowGroupsFor(metadata: FileMetaData, info: GeoColumn, bbox: BBox | undefined): boolean[] {
  const cover = info.covering?.bbox;
  return metadata.row_groups.map((rg) => {
    if (!bbox || !cover) return true;
    const stat = (path: string[] | undefined, which: 'min' | 'max'): number | undefined => {
      if (!path) return undefined;
      const chunk = rg.columns.find((c) => c.meta_data?.path_in_schema.join('.') === path.join('.'));
      const s = chunk?.meta_data?.statistics;
      const v = which === 'min' ? s?.min_value ?? s?.min : s?.max_value ?? s?.max;
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    };
    const xmin = stat(cover.xmin, 'min'), ymin = stat(cover.ymin, 'min'), xmax = stat(cover.xmax, 'max'), ymax = stat(cover.ymax, 'max');
    if (xmin === undefined || ymin === undefined || xmax === undefined || ymax === undefined) return true;
    return boxesMeet([xmin, ymin, xmax, ymax], bbox);
  });
}

async function readRows(file: AsyncBuffer, metadata: FileMetaData, name: string, layer: string, column: string, info: GeoColumn, options: Omit<ReadOptions, 'layer'>): Promise<FeatureLayer> {
  const srs = srsOf(info, name);
  const bbox = filterBox(resolveBBox(options.bbox, srs), info.bbox);
  const where = options.where;
  // top-level columns: the geometry, the covering struct (skipped), the attributes
  const top: SchemaElement[] = [];
  const schema = metadata.schema;
  const coverName = info.covering?.bbox?.xmin?.[0];
  for (let i = 1; i < schema.length; i++) {
    const e = schema[i];
    top.push(e);
    // skip a group's descendants
    let skip = e.num_children ?? 0;
    while (skip > 0) { i++; skip += (schema[i].num_children ?? 0) - 1; }
  }
  if (!top.some((e) => e.name === column)) throw new Error(`${name}: geometry column "${column}" is not in the file`);
  const attrs = top.filter((e) => e.name !== column && e.name !== coverName && !e.num_children);
  const fields: FieldInfo[] = attrs.map((e) => ({ name: e.name, type: fieldType(e) }));
  // only the wanted attribute columns are fetched and decoded at all
  const wanted = wantedFields(fields, options.fields);
  const readFields = fields.filter((_, k) => wanted[k]);
  const packer = new Packer();
  const features: GeoJSONFeature<AnyGeometry>[] = [];
  const keep = rowGroupsFor(metadata, info, bbox);
  let row = 0, read = 0;
  let failure: Error | null = null;
  const parsers = {
    geometryFromBytes: (b: Uint8Array | undefined) => {
      if (!b || failure) return null;
      try {
        return parseWKB(b, packer);
      } catch (e) {
        failure = e as Error;
        return null;
      }
    },
  };
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const n = Number(metadata.row_groups[g].num_rows);
    const rowStart = row;
    row += n;
    if (!keep[g] || n === 0) continue;
    let rows: Record<string, unknown>[] = [];
    try {
      await parquetRead({
        file, metadata, compressors, rowStart, rowEnd: rowStart + n,
        columns: [column, ...readFields.map((f) => f.name)],
        rowFormat: 'object',
        parsers: { ...parsers, geographyFromBytes: parsers.geometryFromBytes },
        onComplete: (r) => { rows = r; },
      });
    } catch (e) {
      throw new Error(`${name}: cannot read row group ${g}: ${(e as Error).message}`);
    }
    if (failure) throw new Error(`${name}: row group ${g}: ${(failure as Error).message}`);
    for (const r of rows) {
      read++;
      const geometry = (r[column] ?? null) as AnyGeometry | null;
      if (bbox) {
        const box = geometry && geometryBox(geometry);
        if (!box || !boxesMeet(box, bbox)) continue;
      }
      const props: Properties = {};
      for (const f of readFields) props[f.name] = value(r[f.name]);
      if (where && !where(props)) continue;
      features.push({ type: 'Feature', geometry, properties: props });
    }
  }
  const out: FeatureLayer = { type: 'FeatureCollection', name: layer, format: 'geoparquet', fields, features, featuresRead: read };
  const b = info.bbox;
  if (Array.isArray(b) && b.length === 4 && b.every((v) => typeof v === 'number') && b[0] <= b[2] && b[1] <= b[3]) out.extent = [b[0], b[1], b[2], b[3]];
  const crs = crsMember(srs);
  if (crs) out.crs = crs;
  return out;
}

// 64-bit integers as the double GDAL's GetFieldAsDouble gives; undefined (a missing value) as null
function value(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v === undefined ? null : v;
}
