// Field types of GeoJSON-like features, inferred from their values as OGR's GeoJSON readers do
// (integers wider than 32 bits make Integer64, any fraction Real, any text String).
import type { GeoJSONFeature } from '../features/geojson.js';
import type { FieldInfo, FieldType } from './layer.js';

export function inferFields(features: Iterable<GeoJSONFeature<unknown>>): FieldInfo[] {
  const types = new Map<string, FieldType | null>();
  for (const f of features) {
    const p = f.properties;
    if (!p) continue;
    for (const k of Object.keys(p)) {
      const v = p[k];
      const prev = types.get(k) ?? null;
      let t: FieldType | null;
      if (v === null || v === undefined) t = null;
      else if (typeof v === 'boolean') t = 'Boolean';
      else if (typeof v === 'number') t = Number.isInteger(v) ? (v > 2147483647 || v < -2147483648 ? 'Integer64' : 'Integer') : 'Real';
      else t = 'String';
      types.set(k, merge(prev, t));
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'String' }));
}

function merge(a: FieldType | null, b: FieldType | null): FieldType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const rank: Partial<Record<FieldType, number>> = { Boolean: 0, Integer: 1, Integer64: 2, Real: 3 };
  if (rank[a] !== undefined && rank[b] !== undefined) return (rank[a] as number) > (rank[b] as number) ? a : b;
  return 'String';
}
