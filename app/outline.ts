// The features' outlines for the map: every ring and line as a GeoJSON line, points as points, in
// lon/lat, thinned to a vertex budget so a 168 MB input still draws smoothly. Display only: the burn
// always uses every vertex.
import type { ShapeSet } from '../src/index.js';

/** Vertices the outlines keep at most (every ring keeps its first and last vertex besides). */
export const OUTLINE_VERTEX_BUDGET = 100_000;
const POINT_KIND = 0;

// 6 decimals of a degree is 11 cm: finer than any screen shows, and a third shorter than full precision
const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/** Outlines of `shapes` (world coordinates in lon/lat) as GeoJSON text, and their extent; json is null when there is nothing to draw. */
export function outlineGeoJSON(shapes: ShapeSet, budget = OUTLINE_VERTEX_BUDGET): { json: string | null; bounds: [number, number, number, number] | null } {
  const { x, y, partStart, vertexStart, kind, count } = shapes;
  const stride = Math.max(1, Math.ceil(x.length / budget));
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const lines: string[] = [];
  const points: string[] = [];
  for (let s = 0; s < count; s++) {
    for (let p = partStart[s]; p < partStart[s + 1]; p++) {
      const a = vertexStart[p], b = vertexStart[p + 1];
      const coords: string[] = [];
      for (let v = a; v < b; v++) {
        const px = x[v], py = y[v];
        if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
        if (px < x0) x0 = px;
        if (px > x1) x1 = px;
        if (py < y0) y0 = py;
        if (py > y1) y1 = py;
        if (v === a || v === b - 1 || (v - a) % stride === 0) coords.push(`[${fmt(px)},${fmt(py)}]`);
      }
      if (kind[s] === POINT_KIND) points.push(...coords);
      else if (coords.length >= 2) lines.push(`[${coords.join(',')}]`);
    }
  }
  const features: string[] = [];
  if (lines.length) features.push(`{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[${lines.join(',')}]}}`);
  if (points.length) features.push(`{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[${points.join(',')}]}}`);
  return {
    json: features.length ? `{"type":"FeatureCollection","features":[${features.join(',')}]}` : null,
    bounds: x0 <= x1 ? [x0, y0, x1, y1] : null,
  };
}

type Position = number[];
type Coords = Position | Coords[];
interface GeometryLike { type?: unknown; coordinates?: unknown; geometries?: unknown }

// calls `line` for every ring or line, and `point` for every point, of a GeoJSON geometry
function walk(g: GeometryLike | null | undefined, line: (ps: Position[]) => void, point: (p: Position) => void): void {
  if (!g || typeof g !== 'object') return;
  const c = g.coordinates as Coords;
  switch (g.type) {
    case 'Point': if (Array.isArray(c)) point(c as Position); break;
    case 'MultiPoint': for (const p of (c as Position[]) ?? []) point(p); break;
    case 'LineString': line(c as Position[]); break;
    case 'MultiLineString': case 'Polygon': for (const l of (c as Position[][]) ?? []) line(l); break;
    case 'MultiPolygon': for (const poly of (c as Position[][][]) ?? []) for (const l of poly ?? []) line(l); break;
    case 'GeometryCollection': for (const m of (g.geometries as GeometryLike[]) ?? []) walk(m, line, point); break;
  }
}

function geometries(input: unknown): GeometryLike[] {
  const o = input as { type?: string; features?: { geometry?: GeometryLike }[]; geometry?: GeometryLike };
  if (o?.type === 'FeatureCollection') return (o.features ?? []).map((f) => f?.geometry as GeometryLike);
  if (o?.type === 'Feature') return [o.geometry as GeometryLike];
  return [o as GeometryLike];
}

/**
 * outlineGeoJSON straight from lon/lat GeoJSON (no `crs` member): the same thinning without building
 * the library's shapes first, which for millions of vertices costs more than the outlines themselves.
 * Returns null when the input names a CRS (then the shapes, reprojected, are needed).
 */
export function outlineLonLatGeoJSON(input: unknown, budget = OUTLINE_VERTEX_BUDGET): { json: string | null; bounds: [number, number, number, number] | null } | null {
  if ((input as { crs?: unknown })?.crs) return null;
  const geoms = geometries(input);
  let total = 0;
  for (const g of geoms) walk(g, (ps) => { total += Array.isArray(ps) ? ps.length : 0; }, () => { total++; });
  const stride = Math.max(1, Math.ceil(total / budget));
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const lines: string[] = [];
  const points: string[] = [];
  // every vertex counts for the extent; only the kept ones are formatted (the costly part)
  const keep = (p: Position, format: boolean): string | null => {
    const px = Number(p?.[0]), py = Number(p?.[1]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) return null;
    if (px < x0) x0 = px;
    if (px > x1) x1 = px;
    if (py < y0) y0 = py;
    if (py > y1) y1 = py;
    return format ? `[${fmt(px)},${fmt(py)}]` : '';
  };
  for (const g of geoms) {
    walk(g, (ps) => {
      if (!Array.isArray(ps)) return;
      const coords: string[] = [];
      for (let v = 0; v < ps.length; v++) {
        const wanted = v === 0 || v === ps.length - 1 || v % stride === 0;
        const s = keep(ps[v], wanted);
        if (s !== null && wanted) coords.push(s);
      }
      if (coords.length >= 2) lines.push(`[${coords.join(',')}]`);
    }, (p) => {
      const s = keep(p, true);
      if (s !== null) points.push(s);
    });
  }
  const features: string[] = [];
  if (lines.length) features.push(`{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[${lines.join(',')}]}}`);
  if (points.length) features.push(`{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[${points.join(',')}]}}`);
  return { json: features.length ? `{"type":"FeatureCollection","features":[${features.join(',')}]}` : null, bounds: x0 <= x1 ? [x0, y0, x1, y1] : null };
}
