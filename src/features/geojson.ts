import { readableGeometry } from './readable.js';

/** A GeoJSON position: [x, y] or [x, y, z]. */
export type Position = number[];

/**
 * A list of positions packed as parseGeoJSON reads them: position i is xyz[o + 3i], xyz[o + 3i + 1],
 * xyz[o + 3i + 2] with o = off ?? 0, Z = 0 for a position that has none; hasZ tells whether any position of
 * the list had one. It stands wherever a Position[] can (and, with n = 1 or 0, for a Point's Position).
 * parseGeoJSON packs many lists into one shared array (an offset per list, not a view: a typed-array view
 * per ring of 100k buildings costs a fifth of the parse in allocation and garbage collection).
 */
export interface PackedPositions {
  xyz: Float64Array;
  /** where position 0 starts in xyz (default 0) */
  off?: number;
  n: number;
  hasZ: boolean;
}

/** The innermost coordinate list of a geometry: plain positions or packed ones. */
export type Positions = Position[] | PackedPositions;

/**
 * A GeoJSON geometry. L is the innermost coordinate list and P a Point's position: plain arrays by
 * default (what JSON.parse gives), or packed as parseGeoJSON gives them (see AnyGeometry).
 */
export type GeoJSONGeometry<L = Position[], P = Position> =
  | { type: 'Point'; coordinates: P }
  | { type: 'MultiPoint'; coordinates: L }
  | { type: 'LineString'; coordinates: L }
  | { type: 'MultiLineString'; coordinates: L[] }
  | { type: 'Polygon'; coordinates: L[] }
  | { type: 'MultiPolygon'; coordinates: L[][] }
  | { type: 'GeometryCollection'; geometries: GeoJSONGeometry<L, P>[] };

/** A geometry whose coordinate lists may be plain or packed: what flatten and the readers accept. */
export type AnyGeometry = GeoJSONGeometry<Positions, Position | PackedPositions>;

export interface GeoJSONFeature<G = GeoJSONGeometry> {
  type: 'Feature';
  geometry: G | null;
  properties?: Record<string, unknown> | null;
}

export interface GeoJSONFeatureCollection<G = GeoJSONGeometry> {
  type: 'FeatureCollection';
  features: GeoJSONFeature<G>[];
  /** legacy (2008) CRS member, still written by GDAL and honoured by gdal_rasterize */
  crs?: { type: string; properties: Record<string, unknown> };
}

/**
 * rasterio's `(geometry, value)` shape: the geometry burned with this value (options.burn and
 * options.attribute apply to the other items).
 */
export type GeometryValuePair = readonly [AnyGeometry | GeoJSONFeature<AnyGeometry>, number];

/**
 * What rasterize() burns: a FeatureCollection, a Feature, a geometry, or an iterable (an array) of
 * Features, bare geometries and `[geometry, value]` pairs, in any mix.
 */
export type FeatureInput =
  | GeoJSONFeatureCollection<AnyGeometry>
  | GeoJSONFeature<AnyGeometry>
  | AnyGeometry
  | Iterable<GeoJSONFeature<AnyGeometry> | AnyGeometry | GeometryValuePair>;

/** A feature as the readers hand it on: a pair's value rides along as `value`. */
export type InputFeature = GeoJSONFeature<AnyGeometry> & { value?: number };

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** yields the features of any accepted input; a bare geometry is one feature without properties */
export function* iterateFeatures(input: FeatureInput): Generator<InputFeature> {
  if (input === null || typeof input !== 'object') throw new Error(`features must be GeoJSON or an iterable of Features, got ${input === null ? 'null' : typeof input}`);
  const t = (input as { type?: unknown }).type;
  if (t === 'FeatureCollection') {
    const fs = (input as GeoJSONFeatureCollection<AnyGeometry>).features;
    if (!Array.isArray(fs)) throw new Error('FeatureCollection has no "features" array');
    for (let i = 0; i < fs.length; i++) yield checkFeature(fs[i], i);
    return;
  }
  if (t === 'Feature') { yield checkFeature(input, 0); return; }
  if (typeof t === 'string' && GEOMETRY_TYPES.has(t)) { yield { type: 'Feature', geometry: input as AnyGeometry, properties: null }; return; }
  if (typeof t === 'string') throw new Error(`unknown GeoJSON type ${JSON.stringify(t)}`);
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    let i = 0;
    for (const f of input as Iterable<unknown>) yield itemFeature(f, i++);
    return;
  }
  throw new Error('features must be a FeatureCollection, Feature, Geometry or an iterable of Features');
}

// an iterable's item: a Feature, a bare geometry, or a [geometry or Feature, value] pair
function itemFeature(f: unknown, i: number): InputFeature {
  if (Array.isArray(f)) {
    const [g, value] = f as unknown[];
    if (f.length !== 2 || typeof value !== 'number' || !g || typeof g !== 'object') {
      throw new Error(`feature ${i}: an array item must be a [geometry, value] pair with a number value, got ${short(f)}`);
    }
    const t = (g as { type?: unknown }).type;
    if (t === 'Feature') return { ...checkFeature(g, i), value };
    if (typeof t === 'string' && GEOMETRY_TYPES.has(t)) return { type: 'Feature', geometry: g as AnyGeometry, properties: null, value };
    throw new Error(`feature ${i}: a pair's first item must be a GeoJSON geometry or Feature (type ${JSON.stringify(t)})`);
  }
  const t = f && typeof f === 'object' ? (f as { type?: unknown }).type : undefined;
  if (typeof t === 'string' && GEOMETRY_TYPES.has(t)) return { type: 'Feature', geometry: f as AnyGeometry, properties: null };
  return checkFeature(f, i);
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function checkFeature(f: unknown, i: number): GeoJSONFeature<AnyGeometry> {
  if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
    throw new Error(`feature ${i}: not a GeoJSON Feature, geometry or [geometry, value] pair (type ${JSON.stringify((f as { type?: unknown } | null)?.type)})`);
  }
  const p = (f as { properties?: unknown }).properties;
  if (p !== undefined && p !== null && (typeof p !== 'object' || Array.isArray(p))) throw new Error(`feature ${i}: properties must be an object or null`);
  return f as GeoJSONFeature<AnyGeometry>;
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
    // what the reader keeps of the geometry (pixel rule F12): a rejected one is null and does not count
    const g = f.geometry ? readableGeometry(f.geometry).geometry : null;
    if (!g) continue;
    if (type === undefined) type = g.type;
    else if (type !== g.type) return 'OGC:CRS84';
    if (!hasZ) hasZ = geometryHasZ(g);
  }
  return hasZ ? 'EPSG:4979' : 'OGC:CRS84';
}

// (64 levels of GeometryCollection at most: a deep or cyclic object is not followed further)
function geometryHasZ(g: AnyGeometry, level = 0): boolean {
  if (g.type === 'GeometryCollection') return level < 64 && Array.isArray(g.geometries) && g.geometries.some((m) => m && geometryHasZ(m, level + 1));
  const walk = (c: unknown): boolean => Array.isArray(c) ? (typeof c[0] === 'number' ? c.length >= 3 : c.some(walk)) : isPacked(c) && c.hasZ;
  return walk((g as { coordinates?: unknown }).coordinates);
}

/** True for a PackedPositions (as parseGeoJSON makes them). */
export function isPacked(v: unknown): v is PackedPositions {
  return !!v && typeof v === 'object' && (v as PackedPositions).xyz instanceof Float64Array;
}
