// Seeded random geometry for the GDAL differential fuzz (test/oracle/cpu-gdal-fuzz.test.ts and ad-hoc runs).
import type { GeoTransform } from '../../src/types.js';
import type { Geom, Pos, TestGrid } from './cpu-helpers.js';
import { mulberry32 } from './cpu-helpers.js';

export interface FuzzCase {
  grid: TestGrid;
  geoms: Geom[];
  kind: 'polygon' | 'line' | 'point' | 'mixed';
}

// pixel-space coordinate, often on a 1, 0.5 or 0.25 lattice so that ties on centres and edges occur
function coord(rnd: () => number, lo: number, hi: number, snap: number): number {
  const v = lo + rnd() * (hi - lo);
  if (snap === 0) return v;
  return Math.round(v / snap) * snap;
}

function pickSnap(rnd: () => number): number {
  const r = rnd();
  return r < 0.25 ? 0.5 : r < 0.45 ? 0.25 : r < 0.6 ? 1 : r < 0.7 ? 0.01 : 0;
}

function gridFor(rnd: () => number): TestGrid {
  const width = 6 + Math.floor(rnd() * 14);
  const height = 5 + Math.floor(rnd() * 12);
  const r = rnd();
  let transform: GeoTransform;
  if (r < 0.3) transform = [0, 1, 0, 0, 0, 1];
  else if (r < 0.65) transform = [0, 1, 0, height, 0, -1];
  else if (r < 0.75) transform = [width, -1, 0, height, 0, -1];
  else if (r < 0.8) transform = [width, -1, 0, 0, 0, 1];
  else if (r < 0.88) transform = [-3.25, 0.5, 0, 12.5, 0, -0.5];
  else if (r < 0.96) transform = [500000.15, 0.3, 0, 6000000.45, 0, -0.3];
  else transform = [100, 1, 0.25, 50, 0.125, -1];
  return { width, height, transform };
}

function toWorld(gt: GeoTransform, p: Pos): Pos {
  const out = [gt[0] + p[0] * gt[1] + p[1] * gt[2], gt[3] + p[0] * gt[4] + p[1] * gt[5]];
  if (p.length > 2) out.push(p[2]);
  return out;
}

// sometimes put a vertex exactly on the grid's border, where GDAL's clipping degenerates
function edgeSnap(rnd: () => number, grid: TestGrid, p: Pos): void {
  if (rnd() < 0.08) p[0] = rnd() < 0.5 ? 0 : grid.width;
  if (rnd() < 0.08) p[1] = rnd() < 0.5 ? 0 : grid.height;
}

function ring(rnd: () => number, grid: TestGrid, withZ: boolean): Pos[] {
  const snap = pickSnap(rnd);
  const n = 3 + Math.floor(rnd() * 7);
  const pts: Pos[] = [];
  const style = rnd();
  const cx = coord(rnd, 0, grid.width, 0.5);
  const cy = coord(rnd, 0, grid.height, 0.5);
  for (let i = 0; i < n; i++) {
    let p: Pos;
    if (style < 0.5) {
      // star-shaped around a centre
      const a = (i / n) * 2 * Math.PI + rnd() * 0.3;
      const rad = 1 + rnd() * Math.max(grid.width, grid.height) * 0.6;
      p = [snap ? Math.round((cx + rad * Math.cos(a)) / snap) * snap : cx + rad * Math.cos(a),
        snap ? Math.round((cy + rad * Math.sin(a)) / snap) * snap : cy + rad * Math.sin(a)];
    } else {
      // random order: self-intersections, bowties
      p = [coord(rnd, -3, grid.width + 3, snap), coord(rnd, -3, grid.height + 3, snap)];
    }
    edgeSnap(rnd, grid, p);
    if (i > 0 && rnd() < 0.25) {
      // axis-parallel edge: horizontal edges on centre rows and edges on grid lines
      const prev = pts[pts.length - 1];
      if (rnd() < 0.5) p[1] = prev[1];
      else p[0] = prev[0];
    }
    if (withZ) p.push(Math.round(rnd() * 40) / 4);
    pts.push(p);
  }
  if (rnd() > 0.05) pts.push([...pts[0]]);
  return pts.map((p) => toWorld(grid.transform, p));
}

function line(rnd: () => number, grid: TestGrid, withZ: boolean): Pos[] {
  const snap = pickSnap(rnd);
  const n = 2 + Math.floor(rnd() * 4);
  const pts: Pos[] = [];
  for (let i = 0; i < n; i++) {
    const p: Pos = [coord(rnd, -4, grid.width + 4, snap), coord(rnd, -4, grid.height + 4, snap)];
    edgeSnap(rnd, grid, p);
    if (i > 0 && rnd() < 0.25) {
      const prev = pts[pts.length - 1];
      if (rnd() < 0.5) p[1] = prev[1];
      else p[0] = prev[0];
    }
    if (withZ) p.push(Math.round(rnd() * 40) / 4);
    pts.push(p);
  }
  if (rnd() < 0.1) pts.push([...pts[0]]);
  return pts.map((p) => toWorld(grid.transform, p));
}

/** one random case: 1-3 features of one family (or mixed) on a random small grid */
export function fuzzCase(seed: number, withZ = false): FuzzCase {
  const rnd = mulberry32(seed);
  const grid = gridFor(rnd);
  const r = rnd();
  const kind = r < 0.55 ? 'polygon' : r < 0.85 ? 'line' : r < 0.92 ? 'point' : 'mixed';
  const nFeat = 1 + Math.floor(rnd() * 3);
  const geoms: Geom[] = [];
  for (let f = 0; f < nFeat; f++) {
    const k = kind === 'mixed' ? (['polygon', 'line', 'point'] as const)[Math.floor(rnd() * 3)] : kind;
    if (k === 'polygon') {
      const nPoly = rnd() < 0.2 ? 2 : 1;
      const polys: Pos[][][] = [];
      for (let p = 0; p < nPoly; p++) {
        const nRings = rnd() < 0.6 ? 1 : rnd() < 0.7 ? 2 : 3;
        polys.push(Array.from({ length: nRings }, () => ring(rnd, grid, withZ)));
      }
      geoms.push(nPoly === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys });
    } else if (k === 'line') {
      if (rnd() < 0.2) {
        geoms.push({ type: 'MultiLineString', coordinates: [line(rnd, grid, withZ), line(rnd, grid, withZ)] });
      } else {
        geoms.push({ type: 'LineString', coordinates: line(rnd, grid, withZ) });
      }
    } else {
      const n = 1 + Math.floor(rnd() * 4);
      const pts: Pos[] = [];
      for (let i = 0; i < n; i++) {
        const p: Pos = [coord(rnd, -1, grid.width + 1, 0.5), coord(rnd, -1, grid.height + 1, 0.5)];
        if (withZ) p.push(Math.round(rnd() * 40) / 4);
        pts.push(toWorld(grid.transform, p));
      }
      geoms.push(n === 1 ? { type: 'Point', coordinates: pts[0] } : { type: 'MultiPoint', coordinates: pts });
    }
  }
  return { grid, geoms, kind };
}
