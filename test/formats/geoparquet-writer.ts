// Writes GeoParquet files for the tests with hyparquet-writer, as GDAL and pyarrow write them: the
// geometry a plain BYTE_ARRAY of WKB (hyparquet-writer's encoder), the `geo` metadata with a PROJJSON id,
// and optionally a bbox covering struct column.
import { ByteWriter, geojsonToWkb, parquetWrite } from 'hyparquet-writer';

export interface GeoParquetFeature { geometry: { type: string } | null; properties: Record<string, unknown> | null }

export interface GeoParquetOptions {
  /** 'EPSG:32633' etc.; undefined leaves crs out (GeoParquet: OGC:CRS84), null writes crs: null */
  crs?: string | null;
  rowGroupSize?: number;
  /** add a bbox struct column and name it as the geometry's covering */
  covering?: boolean;
  /** parquet types of the attribute columns: STRING, DOUBLE, INT32, INT64, BOOLEAN (default: from the values) */
  types?: Record<string, string>;
}

const SCHEMA: Record<string, object> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  DOUBLE: { type: 'DOUBLE' },
  INT32: { type: 'INT32' },
  INT64: { type: 'INT64' },
  BOOLEAN: { type: 'BOOLEAN' },
};

export function boxOf(g: unknown): [number, number, number, number] | null {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[2] = Math.max(b[2], c[0]);
      b[1] = Math.min(b[1], c[1] as number); b[3] = Math.max(b[3], c[1] as number);
    } else c.forEach(visit);
  };
  const walk = (x: any): void => { if (!x) return; if (x.type === 'GeometryCollection') x.geometries.forEach(walk); else visit(x.coordinates); };
  walk(g);
  return b[0] <= b[2] ? b : null;
}

function guess(data: unknown[]): string {
  if (data.every((v) => v === null || typeof v === 'boolean')) return 'BOOLEAN';
  if (data.every((v) => v === null || typeof v === 'number')) return 'DOUBLE';
  return 'STRING';
}

export function geoParquetBytes(features: GeoParquetFeature[], o: GeoParquetOptions = {}): Uint8Array<ArrayBuffer> {
  const names: string[] = [];
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) if (!names.includes(k)) names.push(k);
  const columnData: { name: string; data: unknown[] }[] = [{ name: 'geometry', data: features.map((f) => (f.geometry ? geojsonToWkb(f.geometry as never) : null)) }];
  const schema: object[] = [{ name: 'geometry', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' }];
  for (const k of names) {
    const raw = features.map((f) => (f.properties?.[k] ?? null));
    const type = o.types?.[k] ?? guess(raw);
    const data = raw.map((v) => (v === null ? null : type === 'INT64' ? BigInt(v as number) : type === 'STRING' && typeof v !== 'string' ? JSON.stringify(v) : v));
    columnData.push({ name: k, data });
    schema.push({ name: k, repetition_type: 'OPTIONAL', ...SCHEMA[type] });
  }
  const column: Record<string, unknown> = { encoding: 'WKB', geometry_types: [] };
  if (o.crs !== undefined) {
    if (o.crs === null) column.crs = null;
    else {
      const [authority, code] = o.crs.split(':');
      column.crs = { type: 'ProjectedCRS', name: o.crs, id: { authority, code: /^\d+$/.test(code) ? Number(code) : code } };
    }
  }
  if (o.covering) {
    const boxes = features.map((f) => boxOf(f.geometry));
    columnData.push({ name: 'bbox', data: boxes.map((b) => (b ? { xmin: b[0], ymin: b[1], xmax: b[2], ymax: b[3] } : null)) });
    schema.push({ name: 'bbox', num_children: 4, repetition_type: 'OPTIONAL' });
    for (const key of ['xmin', 'ymin', 'xmax', 'ymax']) schema.push({ name: key, type: 'DOUBLE', repetition_type: 'REQUIRED' });
    column.covering = { bbox: { xmin: ['bbox', 'xmin'], ymin: ['bbox', 'ymin'], xmax: ['bbox', 'xmax'], ymax: ['bbox', 'ymax'] } };
  }
  const geo = { version: '1.1.0', primary_column: 'geometry', columns: { geometry: column } };
  const writer = new ByteWriter();
  parquetWrite({
    writer, columnData,
    schema: [{ name: 'root', num_children: columnData.length }, ...schema],
    rowGroupSize: o.rowGroupSize ?? 1000,
    kvMetadata: [{ key: 'geo', value: JSON.stringify(geo) }],
  } as never);
  return new Uint8Array(writer.getBuffer());
}
