// The features' outlines for the map: every ring and line as a GeoJSON line, points as points, in
// lon/lat, thinned to a vertex budget so a 168 MB input still draws smoothly. Display only: the burn
// always uses every vertex.
import type { ShapeSet } from '../src/index.js';

/** Vertices the outlines keep at most (every ring keeps its first and last vertex besides). */
export const OUTLINE_VERTEX_BUDGET = 100_000;
/**
 * Rings the outlines keep at most: the largest ones. The world's countries have 920,000 rings (islets,
 * lakes), and with two vertices each they alone made 40 MB of outlines that MapLibre took tens of
 * seconds of the page's main thread to take in from its worker; a ring smaller than the largest
 * 25,000 is under a pixel until the map is zoomed far into it.
 */
export const OUTLINE_RING_BUDGET = 25_000;
const POINT_KIND = 0;

/**
 * Which rings to draw and how thinly: rings of `sizes[i]` (the longer side of their extent) and
 * `counts[i]` vertices; the largest `ringBudget` are kept (ties kept too), every `stride`-th vertex of them.
 */
export function ringSelection(sizes: Float64Array, counts: Int32Array, budget: number, ringBudget = OUTLINE_RING_BUDGET): { minSize: number; stride: number } {
  let minSize = -Infinity;
  if (sizes.length > ringBudget) minSize = Float64Array.from(sizes).sort()[sizes.length - ringBudget];
  let total = 0;
  for (let i = 0; i < sizes.length; i++) if (sizes[i] >= minSize) total += counts[i];
  return { minSize, stride: Math.max(1, Math.ceil(total / budget)) };
}

// 6 decimals of a degree is 11 cm: finer than any screen shows, and a third shorter than full precision
const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/** Outlines of `shapes` (world coordinates in lon/lat) as GeoJSON text, and their extent; json is null when there is nothing to draw. */
export function outlineGeoJSON(shapes: ShapeSet, budget = OUTLINE_VERTEX_BUDGET, ringBudget = OUTLINE_RING_BUDGET): { json: string | null; bounds: [number, number, number, number] | null } {
  const { x, y, partStart, vertexStart, kind, count } = shapes;
  const parts = partStart[count];
  const sizes = new Float64Array(parts), counts = new Int32Array(parts);
  for (let s = 0; s < count; s++) {
    for (let p = partStart[s]; p < partStart[s + 1]; p++) {
      if (kind[s] === POINT_KIND) { sizes[p] = Infinity; continue; }
      let a0 = Infinity, b0 = Infinity, a1 = -Infinity, b1 = -Infinity;
      for (let v = vertexStart[p]; v < vertexStart[p + 1]; v++) {
        if (x[v] < a0) a0 = x[v];
        if (x[v] > a1) a1 = x[v];
        if (y[v] < b0) b0 = y[v];
        if (y[v] > b1) b1 = y[v];
      }
      sizes[p] = a0 <= a1 ? Math.max(a1 - a0, b1 - b0) : -Infinity;
      counts[p] = vertexStart[p + 1] - vertexStart[p];
    }
  }
  const { minSize, stride } = ringSelection(sizes, counts, budget, ringBudget);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const lines: string[] = [];
  const points: string[] = [];
  for (let s = 0; s < count; s++) {
    for (let p = partStart[s]; p < partStart[s + 1]; p++) {
      const a = vertexStart[p], b = vertexStart[p + 1];
      const drawn = sizes[p] >= minSize;
      const coords: string[] = [];
      for (let v = a; v < b; v++) {
        const px = x[v], py = y[v];
        if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
        if (px < x0) x0 = px;
        if (px > x1) x1 = px;
        if (py < y0) y0 = py;
        if (py > y1) y1 = py;
        if (drawn && (v === a || v === b - 1 || (v - a) % stride === 0)) coords.push(`[${fmt(px)},${fmt(py)}]`);
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
export function outlineLonLatGeoJSON(input: unknown, budget = OUTLINE_VERTEX_BUDGET, ringBudget = OUTLINE_RING_BUDGET): { json: string | null; bounds: [number, number, number, number] | null } | null {
  if ((input as { crs?: unknown })?.crs) return null;
  const geoms = geometries(input);
  // each ring's size and length, for ringSelection
  const sizeList: number[] = [], countList: number[] = [];
  for (const g of geoms) {
    walk(g, (ps) => {
      let a0 = Infinity, b0 = Infinity, a1 = -Infinity, b1 = -Infinity, n = 0;
      if (Array.isArray(ps)) {
        n = ps.length;
        for (const p of ps) {
          const px = Number(p?.[0]), py = Number(p?.[1]);
          if (px < a0) a0 = px;
          if (px > a1) a1 = px;
          if (py < b0) b0 = py;
          if (py > b1) b1 = py;
        }
      }
      sizeList.push(a0 <= a1 && b0 <= b1 ? Math.max(a1 - a0, b1 - b0) : -Infinity);
      countList.push(n);
    }, () => { /* points are all drawn */ });
  }
  const sizes = Float64Array.from(sizeList);
  const { minSize, stride } = ringSelection(sizes, Int32Array.from(countList), budget, ringBudget);
  let ring = 0;
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
      const drawn = sizes[ring++] >= minSize;
      if (!Array.isArray(ps)) return;
      const coords: string[] = [];
      for (let v = 0; v < ps.length; v++) {
        const wanted = drawn && (v === 0 || v === ps.length - 1 || v % stride === 0);
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
