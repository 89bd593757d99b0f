// GeoJSON without a `crs` member is read as longitude/latitude (CRS84), as RFC 7946 and GDAL read it. When such
// features are reprojected and their coordinates cannot be degrees, they are almost surely projected
// coordinates whose CRS was lost: GDAL's PROJ then fails on every vertex and burns nothing, where proj4 would
// return numbers and burn nonsense. Browser-safe.
import { flatBeyondLonLat, flatOf } from './flat.js';
import { isPacked, iterateFeatures, type FeatureInput } from './geojson.js';

/** GeometryCollections nest at most this deep (deeper, or cyclic, input is refused). */
export const MAX_NESTING = 64;

/** The first position of `input` outside longitude/latitude's range (|x| > 180 or |y| > 90), or null. */
export function firstBeyondLonLat(input: FeatureInput): [number, number] | null {
  const flat = flatOf(input);
  if (flat) return flatBeyondLonLat(flat);
  for (const f of iterateFeatures(input)) {
    const hit = inGeometry(f.geometry, 0);
    if (hit) return hit;
  }
  return null;
}

/**
 * The error for features read as lon/lat (no `crs` member) and about to be reprojected to `target` when a
 * coordinate cannot be lon/lat; null when all are in range. `fix` names the caller's way to give their CRS.
 */
export function assumedLonLatError(input: FeatureInput, target: string, fix: string): Error | null {
  const p = firstBeyondLonLat(input);
  if (!p) return null;
  return new Error(`the features have no "crs" member, so they are read as longitude/latitude (CRS84) and reprojected to ${target}, but they hold coordinates such as [${p[0]}, ${p[1]}] outside longitude/latitude's range: they are likely in a projected CRS; nothing was burned. Name their CRS in a "crs" member of the GeoJSON or ${fix}`);
}

function inGeometry(g: unknown, level: number): [number, number] | null {
  if (!g || typeof g !== 'object' || level > MAX_NESTING) return null;
  const t = (g as { type?: unknown }).type;
  if (t === 'GeometryCollection') {
    const members = (g as { geometries?: unknown }).geometries;
    if (Array.isArray(members)) for (const m of members) {
      const hit = inGeometry(m, level + 1);
      if (hit) return hit;
    }
    return null;
  }
  return inCoordinates((g as { coordinates?: unknown }).coordinates, 0);
}

function inCoordinates(c: unknown, level: number): [number, number] | null {
  if (isPacked(c)) {
    const xyz = c.xyz, off = c.off ?? 0;
    for (let k = off, end = Math.min(off + 3 * c.n, xyz.length - 2); k < end; k += 3) if (beyond(xyz[k], xyz[k + 1])) return [xyz[k], xyz[k + 1]];
    return null;
  }
  if (!Array.isArray(c) || level > 4) return null;
  if (typeof c[0] === 'number') return typeof c[1] === 'number' && beyond(c[0], c[1]) ? [c[0], c[1]] : null;
  for (const sub of c) {
    const hit = inCoordinates(sub, level + 1);
    if (hit) return hit;
  }
  return null;
}

function beyond(x: number, y: number): boolean {
  return Math.abs(x) > 180 || Math.abs(y) > 90;
}
