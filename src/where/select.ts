// A parsed OGR SQL SELECT (./sql.ts) run over a layer as GDAL 3.6's OGR SQL engine runs it for
// gdal_rasterize (pixel rule R7), checked against the real binary in test/oracle/diff-sql-select.test.ts:
// - WHERE first (the clause's semantics are compile.ts's), then ORDER BY, then OFFSET, then LIMIT;
// - ORDER BY is a stable sort on the layer's fields (an alias is not a key) or FID: NULL sorts before every value,
//   so first ascending and last descending; strings compare byte by byte (case-sensitive, UTF-8 order);
//   equal keys keep the layer's order in both directions;
// - the result's fields are the selected ones, renamed by their aliases: -a names the alias;
// - SELECT DISTINCT makes a table of values without geometry: nothing is burned;
// - the result's extent (what sizes a new raster) is the layer's own recorded one where the format records
//   it (Shapefile, FlatGeobuf), else the extent of the features the WHERE clause keeps, before ORDER BY,
//   OFFSET and LIMIT (GDAL asks the source layer for it with the clause as its filter).
// Browser-safe.
import { layerExtent } from '../features/extent.js';
import { flatOf } from '../features/flat.js';
import { iterateFeatures, type AnyGeometry, type FeatureInput, type GeoJSONFeature } from '../features/geojson.js';
import { compileWhere, compileWhereOnColumns, fieldsNamed, layerFields, WhereError } from './compile.js';
import type { SelectStatement } from './sql.js';

type Feature = GeoJSONFeature<AnyGeometry>;
type Bounds = [number, number, number, number];

/** The result of a SELECT: a FeatureCollection to burn as it is (no filter left to apply). */
export interface SelectResult {
  source: FeatureInput & { extent?: Bounds | null };
  /** the result has no geometry column (SELECT DISTINCT): nothing can be burned */
  noGeometry: boolean;
}

interface LayerField { name: string; type?: string }

// the result's field names, on a source that runSelect made (and only there)
const FIELDS = Symbol.for('rasterburn.sql-fields');

/** The field names of a SELECT's result (which exist even when no feature is left); undefined for any other source. */
export function selectedFields(source: unknown): string[] | undefined {
  return source && typeof source === 'object' ? (source as Record<symbol, string[] | undefined>)[FIELDS] : undefined;
}

/** Whether a source is the result of runSelect, its -sql already applied. */
export function isSelected(source: unknown): boolean {
  return selectedFields(source) !== undefined;
}

/** Runs `sel` over the layer `source` (already read whole, no filter applied); throws GDAL's one-line errors. */
export function runSelect(source: FeatureInput, sel: SelectStatement): SelectResult {
  const s = source as { name?: unknown; crs?: unknown; format?: unknown; fields?: unknown; extent?: Bounds };
  // the flat columns, while the features were never read as GeoJSON: the clause is compiled over them, as
  // the engine does, so that a column's type is the reader's
  const flat = flatOf(source);
  const pass = sel.where === undefined ? null : flat ? compileWhereOnColumns(sel.where, flat.columns, flat.count) : undefined;
  const all: Feature[] = [...iterateFeatures(source)];
  const readerFields = typeof s.format === 'string' && Array.isArray(s.fields) ? s.fields as LayerField[] : undefined;
  const typed = layerFields(all);
  const fields: LayerField[] = readerFields ?? [...typed.values()].map((f) => ({ name: f.key, type: f.type }));
  const find = (name: string): LayerField | undefined => fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());

  for (const c of sel.columns) if (c !== '*' && !find(c.field)) throw new WhereError(`Unrecognized field name ${c.field}.`);
  const keys = sel.orderBy.map((k) => {
    const f = find(k.field);
    if (f) return { f, desc: k.desc, text: isText(f.type) };
    // OGR's FID special field: the feature's place in the layer as read, where no id of the file's own can stand for it
    if (k.field.toUpperCase() === 'FID') {
      if (!readerFields || s.format === 'geojson' || s.format === 'geojsonseq') {
        if (all.some((g) => (g as { id?: unknown }).id !== undefined || prop(g.properties, 'id') !== null)) throw new WhereError('ORDER BY FID on GeoJSON features that carry ids is not supported (GDAL takes their ids for FIDs)');
      }
      return { f: null, desc: k.desc, text: false };
    }
    throw new WhereError(`Unrecognized field name ${k.field} in ORDER BY.`);
  });

  let kept: number[] = all.map((_, i) => i);
  if (sel.where !== undefined) {
    const test = pass ?? (() => {
      const p = compileWhere(sel.where!, layerFields(all, fieldsNamed(sel.where!)));
      return (i: number) => p(all[i].properties as Record<string, unknown> | null);
    })();
    kept = kept.filter((i) => test(i));
  }
  // a reader's recorded extent stands; else the kept features' (null: none has a coordinate)
  const extent = s.extent ?? layerExtent({ type: 'FeatureCollection', features: kept.map((i) => all[i]) });

  if (keys.length) {
    const value = (i: number, f: LayerField | null): unknown => (f ? prop(all[i].properties, f.name) : i);
    // Array#sort is stable: equal keys keep the layer's order, ascending and descending alike
    kept.sort((a, b) => {
      for (const k of keys) {
        const c = compare(value(a, k.f), value(b, k.f), k.text);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }
  const from = Math.min(sel.offset ?? 0, kept.length);
  kept = kept.slice(from, sel.limit === undefined ? undefined : from + sel.limit);

  // the result's fields: '*' is every field of the layer, a column its field under its alias
  const out: Array<{ from: string; to: string; type?: string }> = [];
  for (const c of sel.columns) {
    if (c === '*') for (const f of fields) out.push({ from: f.name, to: f.name, type: f.type });
    else {
      const f = find(c.field)!;
      out.push({ from: f.name, to: c.alias ?? f.name, type: f.type });
    }
  }
  const features: Feature[] = sel.distinct ? [] : kept.map((i) => {
    const p = all[i].properties;
    const props: Record<string, unknown> = {};
    for (const o of out) props[o.to] = prop(p, o.from);
    return { type: 'Feature', geometry: all[i].geometry, properties: props };
  });
  const result: Record<string | symbol, unknown> = { type: 'FeatureCollection', features };
  if (typeof s.name === 'string') result.name = s.name;
  if (s.crs !== undefined) result.crs = s.crs;
  // the result's schema: its fields exist even when no feature is left (a GeoJSON source stays one: no format)
  result.fields = out.map((o) => ({ name: o.to, type: o.type }));
  if (readerFields) result.format = s.format;
  result.extent = sel.distinct ? null : extent;
  Object.defineProperty(result, FIELDS, { value: out.map((o) => o.to), enumerable: false });
  return { source: result as unknown as SelectResult['source'], noGeometry: !!sel.distinct };
}

// a property by its field's name: exactly, else case-insensitively
function prop(p: Record<string, unknown> | null | undefined, name: string): unknown {
  if (!p) return null;
  if (Object.prototype.hasOwnProperty.call(p, name)) return p[name] ?? null;
  const lower = name.toLowerCase();
  for (const k of Object.keys(p)) if (k.toLowerCase() === lower) return p[k] ?? null;
  return null;
}

// a reader's String, Date, Time and DateTime fields, or a GeoJSON field OGR reads as one: compared as text
function isText(type: string | undefined): boolean {
  return type === undefined || !/^(integer|integer64|real|boolean)$/i.test(type);
}

// OGR's ORDER BY comparison: NULL before everything; text by code point (strcmp over UTF-8), numbers by value
function compare(a: unknown, b: unknown, text: boolean): number {
  const an = a === null || a === undefined, bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  if (text) return codePointCompare(String(a), String(b));
  const x = typeof a === 'boolean' ? Number(a) : a as number | bigint;
  const y = typeof b === 'boolean' ? Number(b) : b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!, y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
