// Field types of GeoJSON-like features, inferred from their values as OGR's GeoJSON readers do:
// integers wider than 32 bits make Integer64, any fraction Real, text String, and text that is all
// dates, times or date-times makes a Date, Time or DateTime field (rule F13) (for which GDAL's GetFieldAsDouble
// gives 0: such values are turned into Date objects, which fieldAsDouble reads as 0 too).
import type { AnyGeometry, GeoJSONFeature } from '../features/geojson.js';
import { dateKind, mergeTypes as merge, valueType as typeOfValue } from '../features/field-type.js';
import type { FieldInfo, FieldType } from './layer.js';

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
        const d = new Date(dateKind(v) === 'time' ? `1970-01-01T${v}Z` : v.replace(/\//g, '-'));
        copy[k] = Number.isNaN(d.getTime()) ? new Date(0) : d;
      }
      if (copy) f.properties = copy;
    }
  }
  return fields;
}
