// GeoParquet with hyparquet (+ hyparquet-compressors for zstd, gzip, brotli, lz4): the WKB geometry
// column named by the `geo` metadata, its CRS from PROJJSON, and the bbox covering column's row-group
// statistics to skip row groups that lie outside the bbox (only their column chunks are never fetched,
// which is what makes a URL read a small part of a big file). Columns are taken chunk by chunk (no
// object per row) and the WKB, left as bytes by an identity parser (hyparquet's own builds GeoJSON with
// an array per vertex), is read by ours straight into the flat feature columns.
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type ColumnData, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { attachFlat, FlatBuilder, GEOM_NONE, type FlatFeatures } from '../features/flat.js';
import { baseName, boxesMeet, checkSingleLayer, crsMember, filterBox, resolveBBox, wantedFields, type BBox, type ReadOptions, type FeatureLayer, type FieldInfo, type FieldType, type VectorSource } from './layer.js';
import { WkbFlatReader } from './wkb-flat.js';

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

// per row group, judged by the covering column's statistics: 0 when none of its features can meet bbox
// (skipped), 2 when every feature's box lies inside bbox (kept without a test each), 1 otherwise
function rowGroupsFor(metadata: FileMetaData, info: GeoColumn, bbox: BBox | undefined): number[] {
  const cover = info.covering?.bbox;
  return metadata.row_groups.map((rg) => {
    if (!bbox) return 2;
    if (!cover) return 1;
    const stat = (path: string[] | undefined, which: 'min' | 'max'): number | undefined => {
      if (!path) return undefined;
      const chunk = rg.columns.find((c) => c.meta_data?.path_in_schema.join('.') === path.join('.'));
      const s = chunk?.meta_data?.statistics;
      const v = which === 'min' ? s?.min_value ?? s?.min : s?.max_value ?? s?.max;
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    };
    const xmin = stat(cover.xmin, 'min'), ymin = stat(cover.ymin, 'min'), xmax = stat(cover.xmax, 'max'), ymax = stat(cover.ymax, 'max');
    if (xmin === undefined || ymin === undefined || xmax === undefined || ymax === undefined) return 1;
    if (!boxesMeet([xmin, ymin, xmax, ymax], bbox)) return 0;
    // the covering box is the writer's claim about each geometry: trusted for skipping whole groups
    // above, and here for keeping them (a feature outside bbox burns no pixel anyway: the bbox only saves work)
    return xmin >= bbox[0] && ymin >= bbox[1] && xmax <= bbox[2] && ymax <= bbox[3] ? 2 : 1;
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
  // numbers straight into a typed column; dates, booleans, text and bytes as the properties held them. An
  // INT64 column with a value beyond 2^53, which no double holds, is read again as values (BigInts for those)
  const numeric = readFields.map((f) => f.type === 'Integer' || f.type === 'Integer64' || f.type === 'Real');
  const keep = rowGroupsFor(metadata, info, bbox);
  let pass = await readPass();
  while (typeof pass === 'number') {
    numeric[pass] = false;
    pass = await readPass();
  }
  const { flat, read } = pass;
  const out: FeatureLayer = { type: 'FeatureCollection', name: layer, format: 'geoparquet', fields, features: [], featuresRead: read };
  const e = info.bbox;
  if (Array.isArray(e) && e.length === 4 && e.every((v) => typeof v === 'number') && e[0] <= e[2] && e[1] <= e[3]) out.extent = [e[0], e[1], e[2], e[3]];
  const crs = crsMember(srs);
  if (crs) out.crs = crs;
  return attachFlat(out, flat);

  // the features, or the index of a numeric column that met an integer beyond 2^53
  async function readPass(): Promise<{ flat: FlatFeatures; read: number } | number> {
    const b = new FlatBuilder(readFields.map((f, k) => ({ name: f.name, numeric: numeric[k] })));
    const wkb = new WkbFlatReader(b);
    const box = [0, 0, 0, 0];
    let row = 0, read = 0;
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const n = Number(metadata.row_groups[g].num_rows);
      const rowStart = row;
      row += n;
      if (keep[g] === 0 || n === 0) continue;
      const test = keep[g] === 1 ? bbox : undefined;
      // the row group's columns as hyparquet decodes them, chunk by chunk (no object per row); the WKB is
      // left as bytes (the identity parser) and read into the columns below
      const chunks = new Map<string, ColumnData[]>();
      try {
        await parquetRead({
          file, metadata, compressors, rowStart, rowEnd: rowStart + n,
          columns: [column, ...readFields.map((f) => f.name)],
          parsers: { geometryFromBytes: (v: Uint8Array) => v, geographyFromBytes: (v: Uint8Array) => v },
          onChunk: (c) => { let l = chunks.get(c.columnName); if (!l) chunks.set(c.columnName, l = []); l.push(c); },
        });
      } catch (e) {
        throw new Error(`${name}: cannot read row group ${g}: ${(e as Error).message}`);
      }
      const geoms = rowsOf(chunks.get(column), rowStart, n);
      const attrs = readFields.map((f) => rowsOf(chunks.get(f.name), rowStart, n));
      // a column chunk's byte arrays are views of one page buffer: one DataView per buffer, not per row
      let buffer: ArrayBufferLike | null = null;
      let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
      for (let i = 0; i < n; i++) {
        read++;
        const v0 = b.vertices;
        const bytes = geoms[i];
        if (bytes instanceof Uint8Array && bytes.length) {
          if (bytes.buffer !== buffer) { buffer = bytes.buffer; view = new DataView(buffer); }
          try {
            wkb.feature(view, bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
          } catch (e) {
            throw new Error(`${name}: row group ${g}: ${(e as Error).message}`);
          }
          if (test && !verticesMeet(b, v0, test, box)) { b.dropFeature(); continue; }
        } else {
          if (bbox) continue;
          b.beginFeature(GEOM_NONE);
        }
        for (let k = 0; k < readFields.length; k++) {
          const v = attrs[k][i];
          if (!numeric[k]) b.value(k, value(v));
          else if (typeof v === 'bigint' && (v > MAX_SAFE || v < -MAX_SAFE)) return k;
          else b.number(k, v === null || v === undefined ? null : Number(v));
        }
        if (where && !where(b.properties())) { b.dropFeature(); continue; }
        b.endFeature();
      }
    }
    return { flat: b.finish(), read };
  }
}

// a column's values for rows rowStart .. rowStart + n from its chunks: the one chunk as it is when it
// holds exactly those rows (the usual case), else gathered; undefined for a row no chunk holds
function rowsOf(chunks: ColumnData[] | undefined, rowStart: number, n: number): ArrayLike<unknown> {
  if (chunks?.length === 1 && chunks[0].rowStart === rowStart && chunks[0].rowEnd === rowStart + n) return chunks[0].columnData;
  const out: unknown[] = new Array(n).fill(undefined);
  for (const c of chunks ?? []) {
    for (let r = Math.max(c.rowStart, rowStart), e = Math.min(c.rowEnd, rowStart + n); r < e; r++) out[r - rowStart] = c.columnData[r - c.rowStart];
  }
  return out;
}

// whether the vertices the open feature wrote from v0 on have a box (put in box) that meets bbox
function verticesMeet(b: FlatBuilder, v0: number, bbox: BBox, box: number[]): boolean {
  const xy = b.xy;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let k = 2 * v0, e = 2 * b.vertices; k < e; k += 2) {
    const x = xy[k], y = xy[k + 1];
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  box[0] = x0; box[1] = y0; box[2] = x1; box[3] = y1;
  return x0 <= x1 && boxesMeet(box, bbox);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// 64-bit integers as numbers, those beyond 2^53 as BigInts (every digit, as OGR's Integer64); undefined
// (a missing value) as null
function value(v: unknown): unknown {
  if (typeof v === 'bigint') return v > MAX_SAFE || v < -MAX_SAFE ? v : Number(v);
  return v === undefined ? null : v;
}
