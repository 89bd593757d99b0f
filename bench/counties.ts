// Seeded county-like polygons for the GPU kit's real-world-like workload: a jittered lattice of
// regions whose borders wiggle and are shared exactly by both neighbours (the same coordinates,
// walked in opposite directions), as administrative boundaries are. Shared borders are what makes
// such data hard: every pixel centre on a border belongs to exactly one of two features, and a
// rasterizer that rounds either side differently burns the wrong id there.
import type { GeoJSONFeature, Position } from '../src/features/geojson.js';
import { mulberry32 } from './random.js';

export interface CountiesOptions {
  seed: number;
  /** regions across and down */
  cols: number;
  rows: number;
  /** [minx, miny, maxx, maxy] the lattice fills */
  bounds: [number, number, number, number];
  /** vertices inside each border between two lattice corners */
  edgeVertices: number;
  /** one region in this many gets a lake (a hole); 0: none */
  lakeEvery: number;
}

/**
 * `cols` x `rows` Polygons with an integer `id` (1..cols*rows, row by row from the bottom), each
 * ring counter-clockwise and closed. Corners are jittered by up to 20% of a cell, borders bend by
 * a few sines (up to ~4% of their length) plus noise; every `lakeEvery`-th region has a clockwise
 * star-shaped hole around its centre.
 */
export function makeCounties(o: CountiesOptions): { features: GeoJSONFeature[]; vertices: number } {
  const rnd = mulberry32(o.seed);
  const [minx, miny, maxx, maxy] = o.bounds;
  const cw = (maxx - minx) / o.cols, ch = (maxy - miny) / o.rows;
  // lattice corners; those on the frame stay on it so the outer border is the bounds' outline
  const corner: Position[][] = [];
  for (let i = 0; i <= o.cols; i++) {
    corner.push([]);
    for (let j = 0; j <= o.rows; j++) {
      const jx = i === 0 || i === o.cols ? 0 : (rnd() - 0.5) * 0.4 * cw;
      const jy = j === 0 || j === o.rows ? 0 : (rnd() - 0.5) * 0.4 * ch;
      corner[i].push([minx + i * cw + jx, miny + j * ch + jy]);
    }
  }
  // one border between two corners: the interior vertices only, from a to b
  const border = (a: Position, b: Position): Position[] => {
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    const nx = -dy / len, ny = dx / len;
    const k1 = 1 + Math.floor(rnd() * 3), k2 = 4 + Math.floor(rnd() * 5);
    const a1 = (rnd() - 0.5) * 0.06 * len, a2 = (rnd() - 0.5) * 0.02 * len;
    const out: Position[] = [];
    for (let v = 1; v <= o.edgeVertices; v++) {
      const t = v / (o.edgeVertices + 1);
      // zero at both ends, so borders meet exactly at the corners
      const d = a1 * Math.sin(Math.PI * k1 * t) + a2 * Math.sin(Math.PI * k2 * t) + (rnd() - 0.5) * 0.004 * len * Math.sin(Math.PI * t);
      out.push([a[0] + t * dx + d * nx, a[1] + t * dy + d * ny]);
    }
    return out;
  };
  // horizontal[i][j]: corner (i, j) to (i + 1, j); vertical[i][j]: corner (i, j) to (i, j + 1)
  const horizontal = Array.from({ length: o.cols }, (_, i) => Array.from({ length: o.rows + 1 }, (_, j) => border(corner[i][j], corner[i + 1][j])));
  const vertical = Array.from({ length: o.cols + 1 }, (_, i) => Array.from({ length: o.rows }, (_, j) => border(corner[i][j], corner[i][j + 1])));
  const features: GeoJSONFeature[] = [];
  let vertices = 0;
  for (let j = 0; j < o.rows; j++) {
    for (let i = 0; i < o.cols; i++) {
      const ring: Position[] = [
        corner[i][j], ...horizontal[i][j],
        corner[i + 1][j], ...vertical[i + 1][j],
        corner[i + 1][j + 1], ...[...horizontal[i][j + 1]].reverse(),
        corner[i][j + 1], ...[...vertical[i][j]].reverse(),
        corner[i][j],
      ].map((p) => [p[0], p[1]]);
      const rings = [ring];
      const id = j * o.cols + i + 1;
      if (o.lakeEvery > 0 && id % o.lakeEvery === 0) {
        const cx = (corner[i][j][0] + corner[i + 1][j][0] + corner[i + 1][j + 1][0] + corner[i][j + 1][0]) / 4;
        const cy = (corner[i][j][1] + corner[i + 1][j][1] + corner[i + 1][j + 1][1] + corner[i][j + 1][1]) / 4;
        // corners move at most 20% of a cell, so 12% around the centre stays inside the region
        const r = 0.12 * Math.min(cw, ch), n = 24 + Math.floor(rnd() * 40);
        const lake: Position[] = [];
        for (let v = 0; v < n; v++) {
          const t = (-v / n) * 2 * Math.PI;
          const rr = r * (0.6 + 0.4 * rnd());
          lake.push([cx + rr * Math.cos(t), cy + rr * Math.sin(t)]);
        }
        lake.push([...lake[0]]);
        rings.push(lake);
      }
      for (const r of rings) vertices += r.length;
      features.push({ type: 'Feature', properties: { id }, geometry: { type: 'Polygon', coordinates: rings } });
    }
  }
  return { features, vertices };
}
