// Field types of GeoJSON-like features, inferred from their values as OGR's GeoJSON readers do:
// integers wider than 32 bits make Integer64, any fraction Real, text String, and text that is all
// dates, times or date-times makes a Date, Time or DateTime field (for which GDAL's GetFieldAsDouble
// gives 0: such values are turned into Date objects, which fieldAsDouble reads as 0 too).
import type { AnyGeometry, GeoJSONFeature } from '../features/geojson.js';
import type { FieldInfo, FieldType } from './layer.js';

const DATE = /^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/;
const DATETIME = /^\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const TIME = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function typeOfValue(v: unknown): FieldType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? (v > 2147483647 || v < -2147483648 ? 'Integer64' : 'Integer') : 'Real';
  if (typeof v === 'string') return DATE.test(v) ? 'Date' : DATETIME.test(v) ? 'DateTime' : TIME.test(v) ? 'Time' : 'String';
  return 'String';
}

export function inferFields(features: Iterable<GeoJSONFeature<unknown>>): FieldInfo[] {
  const types = new Map<string, FieldType | null>();
  for (const f of features) {
    const p = f.properties;
    if (!p) continue;
    for (const k of Object.keys(p)) types.set(k, merge(types.get(k) ?? null, typeOfValue(p[k])));
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'String' }));
}

/**
 * Infers the fields and turns the values of date/time fields into Date objects (a copy of the
 * properties where one changes), so that -a burns 0 there as GDAL does.
 */
export function typedFields(features: GeoJSONFeature<AnyGeometry>[]): FieldInfo[] {
  const fields = inferFields(features);
  const dated = fields.filter((f) => f.type === 'Date' || f.type === 'DateTime' || f.type === 'Time').map((f) => f.name);
  if (dated.length) {
    for (const f of features) {
      const p = f.properties;
      if (!p) continue;
      let copy: Record<string, unknown> | null = null;
      for (const k of dated) {
        const v = p[k];
        if (typeof v !== 'string') continue;
        copy ??= { ...p };
        const d = new Date(TIME.test(v) ? `1970-01-01T${v}Z` : v.replace(/\//g, '-'));
        copy[k] = Number.isNaN(d.getTime()) ? new Date(0) : d;
      }
      if (copy) f.properties = copy;
    }
  }
  return fields;
}

function merge(a: FieldType | null, b: FieldType | null): FieldType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const rank: Partial<Record<FieldType, number>> = { Boolean: 0, Integer: 1, Integer64: 2, Real: 3 };
  if (rank[a] !== undefined && rank[b] !== undefined) return (rank[a] as number) > (rank[b] as number) ? a : b;
  if ((a === 'Date' && b === 'DateTime') || (a === 'DateTime' && b === 'Date')) return 'DateTime';
  return 'String';
}
