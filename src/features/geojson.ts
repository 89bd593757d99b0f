/** A GeoJSON position: [x, y] or [x, y, z]. */
export type Position = number[];

export type GeoJSONGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJSONGeometry[] };

export interface GeoJSONFeature {
  type: 'Feature';
  geometry: GeoJSONGeometry | null;
  properties?: Record<string, unknown> | null;
}

export interface GeoJSONFeatureCollection {
  type: 'FeatureCollection';
  features: GeoJSONFeature[];
  /** legacy (2008) CRS member, still written by GDAL and honoured by gdal_rasterize */
  crs?: { type: string; properties: Record<string, unknown> };
}

export type FeatureInput = GeoJSONFeatureCollection | GeoJSONFeature | GeoJSONGeometry | Iterable<GeoJSONFeature>;

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** yields the features of any accepted input; a bare geometry is one feature without properties */
export function* iterateFeatures(input: FeatureInput): Generator<GeoJSONFeature> {
  if (input === null || typeof input !== 'object') throw new Error(`features must be GeoJSON or an iterable of Features, got ${input === null ? 'null' : typeof input}`);
  const t = (input as { type?: unknown }).type;
  if (t === 'FeatureCollection') {
    const fs = (input as GeoJSONFeatureCollection).features;
    if (!Array.isArray(fs)) throw new Error('FeatureCollection has no "features" array');
    for (let i = 0; i < fs.length; i++) yield checkFeature(fs[i], i);
    return;
  }
  if (t === 'Feature') { yield checkFeature(input, 0); return; }
  if (typeof t === 'string' && GEOMETRY_TYPES.has(t)) { yield { type: 'Feature', geometry: input as GeoJSONGeometry, properties: null }; return; }
  if (typeof t === 'string') throw new Error(`unknown GeoJSON type ${JSON.stringify(t)}`);
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    let i = 0;
    for (const f of input as Iterable<GeoJSONFeature>) yield checkFeature(f, i++);
    return;
  }
  throw new Error('features must be a FeatureCollection, Feature, Geometry or an iterable of Features');
}

function checkFeature(f: unknown, i: number): GeoJSONFeature {
  if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
    throw new Error(`feature ${i}: not a GeoJSON Feature (type ${JSON.stringify((f as { type?: unknown } | null)?.type)})`);
  }
  const p = (f as { properties?: unknown }).properties;
  if (p !== undefined && p !== null && (typeof p !== 'object' || Array.isArray(p))) throw new Error(`feature ${i}: properties must be an object or null`);
  return f as GeoJSONFeature;
}

/** the CRS named by a FeatureCollection's legacy `crs` member, if any */
export function featureCrsOf(input: FeatureInput): string | undefined {
  const crs = (input as GeoJSONFeatureCollection).crs;
  if (!crs || typeof crs !== 'object' || !crs.properties) return undefined;
  if (crs.type === 'name' && typeof crs.properties.name === 'string') return crs.properties.name;
  if (crs.type === 'EPSG' && crs.properties.code !== undefined) return `EPSG:${crs.properties.code}`;
  return undefined;
}

/**
 * The CRS GDAL's GeoJSON reader gives a collection without a `crs` member: CRS84, or EPSG:4979
 * (WGS 84 3D) when every geometry has the same type and any of them has Z coordinates
 * (checked on GDAL 3.6.2: Polygon + Polygon with Z -> 4979; Polygon + MultiPolygon -> 4326).
 */
export function impliedCrs(input: FeatureInput): 'OGC:CRS84' | 'EPSG:4979' {
  let type: string | undefined;
  let hasZ = false;
  for (const f of iterateFeatures(input)) {
    const g = f.geometry;
    if (!g) continue;
    if (type === undefined) type = g.type;
    else if (type !== g.type) return 'OGC:CRS84';
    if (!hasZ) hasZ = geometryHasZ(g);
  }
  return hasZ ? 'EPSG:4979' : 'OGC:CRS84';
}

function geometryHasZ(g: GeoJSONGeometry): boolean {
  if (g.type === 'GeometryCollection') return Array.isArray(g.geometries) && g.geometries.some((m) => m && geometryHasZ(m));
  const walk = (c: unknown): boolean => Array.isArray(c) && (typeof c[0] === 'number' ? c.length >= 3 : c.some(walk));
  return walk((g as { coordinates?: unknown }).coordinates);
}
