import { flatExtent, flatOf } from './flat.js';
import { isPacked, type FeatureInput } from './geojson.js';
import { readableGeometry } from './readable.js';

/**
 * The envelope [minx, miny, maxx, maxy] of every coordinate of every feature, as OGR_L_GetExtent gives it
 * for a GeoJSON layer: all features count, including ones the burn skips later (GDAL computes the extent
 * before -where filters), Z is ignored, GeoJSON `bbox` members are ignored, null and empty geometries add
 * nothing. Returns null when no feature has a coordinate (gdal_rasterize: "Cannot get layer extent").
 *
 * A geometry GDAL's reader cannot read whole counts for what the reader keeps of it (pixel rule F12): often
 * nothing. rasterize() reports those with their index.
 */
export function layerExtent(input: FeatureInput): [number, number, number, number] | null {
  const flat = flatOf(input);
  if (flat) return flatExtent(flat);
  const env = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const g of geometries(input)) {
    if (g === null || g === undefined) continue;
    const one = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    if (!addGeometry(g, one, 0)) {
      // what GDAL's reader keeps of a geometry it cannot read whole (often nothing) is what counts
      one.minX = one.minY = Infinity; one.maxX = one.maxY = -Infinity;
      const kept = readableGeometry(g).geometry;
      if (kept) addGeometry(kept, one, 0);
    }
    if (one.minX < env.minX) env.minX = one.minX;
    if (one.minY < env.minY) env.minY = one.minY;
    if (one.maxX > env.maxX) env.maxX = one.maxX;
    if (one.maxY > env.maxY) env.maxY = one.maxY;
  }
  if (!(env.minX <= env.maxX)) return null;
  return [env.minX, env.minY, env.maxX, env.maxY];
}

type Env = { minX: number; minY: number; maxX: number; maxY: number };

// the geometry of each feature-like member of the input (a bare geometry is its own)
function* geometries(input: FeatureInput): Generator<unknown> {
  if (input === null || typeof input !== 'object') return;
  const t = (input as { type?: unknown }).type;
  if (t === 'FeatureCollection') {
    const fs = (input as { features?: unknown }).features;
    if (!Array.isArray(fs)) return;
    for (const f of fs) if (f && typeof f === 'object') yield (f as { geometry?: unknown }).geometry;
    return;
  }
  if (t === 'Feature') { yield (input as { geometry?: unknown }).geometry; return; }
  if (typeof t === 'string') { yield input; return; }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const f of input as Iterable<unknown>) if (f && typeof f === 'object') yield (f as { geometry?: unknown }).geometry;
  }
}

// nesting depth of positions in `coordinates` per geometry type
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

// false when the geometry is not one GDAL's reader reads whole: the caller then asks what it keeps
function addGeometry(g: unknown, env: Env, level: number): boolean {
  if (!g || typeof g !== 'object' || level > 64) return false;
  const t = (g as { type?: unknown }).type;
  if (t === 'GeometryCollection') {
    const members = (g as { geometries?: unknown }).geometries;
    if (!Array.isArray(members)) return false;
    for (const m of members) if (m !== null && !addGeometry(m, env, level + 1)) return false;
    return true;
  }
  const depth = typeof t === 'string' ? DEPTH[t] : undefined;
  if (depth === undefined) return false;
  return addPositions((g as { coordinates?: unknown }).coordinates, depth, env);
}

function addPositions(c: unknown, depth: number, env: Env): boolean {
  if (isPacked(c)) {
    const xyz = c.xyz;
    const off = c.off ?? 0;
    for (let k = off, end = Math.min(off + 3 * c.n, xyz.length - 2); k < end; k += 3) addXY(xyz[k], xyz[k + 1], env);
    return true;
  }
  if (!Array.isArray(c)) return false;
  if (depth > 0) {
    for (const sub of c) if (!addPositions(sub, depth - 1, env)) return false;
    return true;
  }
  if (c.length < 2) return false;
  const x = c[0], y = c[1];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  if (c.length > 2 && typeof c[2] !== 'number') return false;
  addXY(x, y, env);
  return true;
}

function addXY(x: number, y: number, env: Env): void {
  if (x < env.minX) env.minX = x;
  if (x > env.maxX) env.maxX = x;
  if (y < env.minY) env.minY = y;
  if (y > env.maxY) env.maxY = y;
}
