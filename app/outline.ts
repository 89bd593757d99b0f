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
