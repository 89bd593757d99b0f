// What OGR's GeoJSON reader makes of a geometry it cannot fully read. gdal_rasterize never sees the
// JSON: a geometry the reader rejects reaches it as a null geometry (the feature burns nothing), and a
// member the reader drops is simply missing. The rules, per level (pixel rule F12):
// - a position needs an array of at least 2 numbers, and a number as its third member if it has one;
// - a Point or LineString with any bad position is rejected whole, as is a MultiPoint with a bad point;
// - a Polygon is rejected when its first ring is bad; a bad later ring is dropped;
// - a bad member of a MultiLineString, MultiPolygon or GeometryCollection is dropped, the rest kept;
// - an unknown type, a missing or non-array "coordinates"/"geometries" member rejects the geometry.
// Type names and member names match case-insensitively, as the reader matches them.
import { isPacked, type AnyGeometry } from './geojson.js';

/** A geometry as the reader keeps it: null when rejected, and one line per rejection or dropped part. */
export interface Readable {
  geometry: AnyGeometry | null;
  problems: string[];
}

const TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] as const;
const BY_LOWER = new Map<string, (typeof TYPES)[number]>(TYPES.map((t) => [t.toLowerCase(), t]));

/**
 * The geometry OGR's GeoJSON reader would hand gdal_rasterize for `g`. A geometry it reads whole comes
 * back as the same object with no problems; otherwise a cleaned copy (or null) and what was wrong.
 */
export function readableGeometry(g: unknown): Readable {
  const problems: string[] = [];
  const geometry = read(g, problems, 0);
  return { geometry, problems };
}

function read(g: unknown, problems: string[], depth: number): AnyGeometry | null {
  if (!g || typeof g !== 'object' || Array.isArray(g)) {
    problems.push(`geometry is not an object: ${show(g)}`);
    return null;
  }
  const rawType = member(g, 'type');
  const type = typeof rawType === 'string' ? BY_LOWER.get(rawType.toLowerCase()) : undefined;
  if (type === undefined) {
    problems.push(`unknown geometry type ${show(rawType)}`);
    return null;
  }
  if (type === 'GeometryCollection') {
    const members = member(g, 'geometries');
    if (!Array.isArray(members)) {
      problems.push(`GeometryCollection has ${members === undefined ? 'no "geometries" member' : `"geometries" ${show(members)}, not an array`}`);
      return null;
    }
    if (depth > 64) {
      problems.push('GeometryCollections nested more than 64 deep');
      return null;
    }
    const kept: AnyGeometry[] = [];
    let changed = rawType !== type;
    members.forEach((m, i) => {
      if (m === null) { changed = true; return; }
      const sub: string[] = [];
      const r = read(m, sub, depth + 1);
      for (const p of sub) problems.push(`member ${i}: ${p}`);
      if (r !== m) changed = true;
      if (r) kept.push(r);
    });
    return changed ? { type, geometries: kept } : (g as AnyGeometry);
  }
  const c = member(g, 'coordinates');
  if (c === undefined || !(Array.isArray(c) || isPacked(c))) {
    problems.push(`${type} has ${c === undefined ? 'no "coordinates" member' : `"coordinates" ${show(c)}, not an array`}`);
    return null;
  }
  const same = rawType === type && (g as { coordinates?: unknown }).coordinates === c;
  const out = (coordinates: unknown): AnyGeometry => (same && coordinates === c ? g : { type, coordinates }) as AnyGeometry;
  switch (type) {
    case 'Point': {
      if (isPacked(c)) return out(c);
      const why = badPosition(c);
      if (why) { problems.push(`Point rejected: ${why}`); return null; }
      return out(c);
    }
    case 'MultiPoint': {
      if (isPacked(c)) return out(c);
      const pts = c as unknown[];
      for (let i = 0; i < pts.length; i++) {
        if (pts[i] === null) continue;
        const why = badPosition(pts[i]);
        if (why) { problems.push(`MultiPoint rejected: point ${i}: ${why}`); return null; }
      }
      // a null point reads as an empty one, which burns nothing
      return pts.includes(null) ? out(pts.filter((p) => p !== null)) : out(c);
    }
    case 'LineString': {
      const why = badLine(c);
      if (why) { problems.push(`LineString rejected: ${why}`); return null; }
      return out(c);
    }
    case 'MultiLineString': {
      const lines = c as unknown[];
      const kept = lines.filter((l, i) => {
        if (l === null) return false;
        const why = badLine(l);
        if (why) problems.push(`line ${i} dropped: ${why}`);
        return !why;
      });
      return kept.length === lines.length ? out(c) : out(kept);
    }
    case 'Polygon': {
      const rings = polygon(c, problems);
      if (!rings) return null;
      return rings === c ? out(c) : out(rings);
    }
    case 'MultiPolygon': {
      const polys = c as unknown[];
      let changed = false;
      const kept: unknown[] = [];
      polys.forEach((p, i) => {
        if (p === null) { changed = true; return; }
        if (!Array.isArray(p)) { changed = true; problems.push(`polygon ${i} dropped: ${show(p)} is not an array of rings`); return; }
        const sub: string[] = [];
        const rings = polygon(p, sub);
        if (!rings) { changed = true; problems.push(`polygon ${i} dropped: ${sub.join('; ').replace(/^Polygon rejected: /, '')}`); return; }
        for (const m of sub) problems.push(`polygon ${i}: ${m}`);
        if (rings !== p) changed = true;
        kept.push(rings);
      });
      return changed ? out(kept) : out(c);
    }
  }
}

// a polygon's rings as the reader keeps them: null when the first ring is bad, bad later rings dropped
function polygon(c: unknown, problems: string[]): unknown[] | null {
  if (isPacked(c)) { problems.push('Polygon rejected: its rings are one list of positions'); return null; }
  const rings = c as unknown[];
  if (rings.length === 0) return rings;
  // a null first ring leaves the polygon empty, and the next ring read becomes its exterior
  if (rings[0] !== null) {
    const why = badLine(rings[0]);
    if (why) { problems.push(`Polygon rejected: exterior ring: ${why}`); return null; }
  }
  let changed = rings[0] === null;
  const kept = rings.filter((r, i) => {
    if (i === 0) return r !== null;
    if (r === null) { changed = true; return false; }
    const why = badLine(r);
    if (why) { problems.push(`ring ${i} dropped: ${why}`); changed = true; }
    return !why;
  });
  return changed ? kept : rings;
}

// why a list of positions cannot be read, or '' when it can
function badLine(l: unknown): string {
  if (isPacked(l)) return '';
  if (!Array.isArray(l)) return `${show(l)} is not an array of positions`;
  for (let i = 0; i < l.length; i++) {
    const why = badPosition(l[i]);
    if (why) return `position ${i}: ${why}`;
  }
  return '';
}

// why a position cannot be read, or '' when it can
function badPosition(p: unknown): string {
  if (!Array.isArray(p)) return `${show(p)} is not a position`;
  if (p.length < 2) return `${show(p)} has fewer than 2 coordinates`;
  const n = Math.min(p.length, 3);
  for (let k = 0; k < n; k++) {
    const v = p[k];
    if (typeof v !== 'number') return `${'xyz'[k]} is ${show(v)}, not a number`;
    if (!Number.isFinite(v)) return `${'xyz'[k]} is ${v}, not a finite number`;
  }
  return '';
}

// an object member as the reader finds it: the exact name, else the first that matches case-insensitively
function member(o: object, name: string): unknown {
  const rec = o as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(rec, name)) return rec[name];
  for (const k of Object.keys(rec)) if (k.toLowerCase() === name) return rec[k];
  return undefined;
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (isPacked(v)) return 'packed positions';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
