// Seeded generators of tie-prone geometry for the differential fuzz run (the ties of pixel rules P2-P7, A3-A5, L1-L3):
// coordinates are drawn in pixel space, often snapped to 1/0.5/0.25 so edges and vertices land on pixel
// centres and boundaries, and then mapped to world coordinates through the grid's geotransform.
import type { DiffCase, Feature, GdalType, GT, RasterSpec } from './harness.js';

export type Rand = () => number;

/** mulberry32 (bench/random.ts): the same seed always gives the same cases. */
import { mulberry32 as rng } from '../../../bench/random.js';

export { rng };

/** Seed of case `index` of run `seed`, so one case replays without the others. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

// offsets from a grid line around -at's 0.01 px "edge lies on the grid" tolerance (pixel rule A3)
const NEAR = [0, 0, 0.001, -0.001, 0.0099, -0.0099, 0.01, -0.01, 0.0101, -0.0101, 0.5, 1e-9];

/** A pixel-space coordinate in [lo, hi], snapped to `snap` when snap > 0; snap < 0: an integer plus a NEAR offset. */
function coord(r: Rand, lo: number, hi: number, snap: number): number {
  const v = lo + r() * (hi - lo);
  return snapTo(v, snap, r);
}

/** World coordinate of a pixel-space point through gt (the forward transform GDAL inverts). */
function toWorld(gt: GT, px: number, py: number): [number, number] {
  return [gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5]];
}

interface Frame { gt: GT; w: number; h: number; snap: number; free?: boolean; big?: boolean }

function ringPixels(r: Rand, f: Frame, starShaped: boolean): [number, number][] {
  const n = f.big ? int(r, 100, 3000) : r() < 0.15 ? int(r, 10, 60) : int(r, 3, 9);
  const cx = coord(r, -2, f.w + 2, f.snap);
  const cy = coord(r, -2, f.h + 2, f.snap);
  const rad = 1 + r() * Math.max(f.w, f.h) * 0.6;
  const pts: [number, number][] = [];
  if (starShaped) {
    const angles = Array.from({ length: n }, () => r() * Math.PI * 2).sort((a, b) => a - b);
    for (const a of angles) {
      const rr = rad * (0.3 + 0.7 * r());
      pts.push([snapTo(cx + Math.cos(a) * rr, f.snap, r), snapTo(cy + Math.sin(a) * rr, f.snap, r)]);
    }
  } else {
    // random vertex order: self-intersections, bowties, repeated vertices
    for (let i = 0; i < n; i++) pts.push([coord(r, cx - rad, cx + rad, f.snap), coord(r, cy - rad, cy + rad, f.snap)]);
  }
  // repeated vertices and zero-width spikes
  if (r() < 0.1) {
    const i = int(r, 0, pts.length - 1);
    pts.splice(i, 0, [...pts[i]] as [number, number]);
  }
  // axis-aligned steps put horizontal edges on centre rows and vertical edges on boundaries
  if (r() < 0.3 && pts.length > 1) {
    const i = int(r, 0, pts.length - 1);
    const p = pts[i];
    pts.splice(i + 1, 0, [p[0] + pick(r, [-2, -1, 1, 2, 3]), p[1]]);
  }
  return pts;
}

function snapTo(v: number, snap: number, r?: Rand): number {
  if (snap < 0) return Math.round(v) + (r ? pick(r, NEAR) : 0);
  return snap > 0 ? Math.round(v / snap) * snap : v;
}

function closeRing(pts: [number, number][], gt: GT): number[][] {
  const ring = pts.map(([x, y]) => toWorld(gt, x, y));
  ring.push([...ring[0]]);
  return ring;
}

function polygon(r: Rand, f: Frame): number[][][] {
  const rings = [closeRing(ringPixels(r, f, r() < 0.6), f.gt)];
  const holes = r() < 0.5 ? int(r, 1, 2) : 0;
  for (let i = 0; i < holes; i++) rings.push(closeRing(ringPixels(r, { ...f, w: f.w * 0.6, h: f.h * 0.6 }, r() < 0.7), f.gt));
  return rings;
}

function linePixels(r: Rand, f: Frame): number[][] {
  const n = f.big ? int(r, 50, 500) : int(r, 2, 5);
  const pts: number[][] = [];
  for (let i = 0; i < n; i++) {
    const prev = pts[pts.length - 1];
    // sometimes axis-parallel runs, sometimes lines on grid lines
    if (prev && r() < 0.25) {
      const q = r() < 0.5 ? [prev[0], coord(r, -3, f.h + 3, f.snap)] : [coord(r, -3, f.w + 3, f.snap), prev[1]];
      pts.push(q);
    } else {
      pts.push([coord(r, -3, f.w + 3, f.snap), coord(r, -3, f.h + 3, f.snap)]);
    }
  }
  return pts;
}

function line(r: Rand, f: Frame): number[][] {
  return linePixels(r, f).map(([x, y]) => toWorld(f.gt, x, y));
}

function point(r: Rand, f: Frame): number[] {
  const snap = f.free ? 0 : f.snap || 0.5;
  return toWorld(f.gt, coord(r, -1, f.w + 1, snap), coord(r, -1, f.h + 1, snap));
}

export type Kind = 'polygon' | 'multipolygon' | 'line' | 'multiline' | 'point' | 'multipoint' | 'collection';

export function geometry(r: Rand, f: Frame, kind: Kind): unknown {
  switch (kind) {
    case 'polygon': return { type: 'Polygon', coordinates: polygon(r, f) };
    case 'multipolygon': return { type: 'MultiPolygon', coordinates: Array.from({ length: int(r, 2, 3) }, () => polygon(r, f)) };
    case 'line': return { type: 'LineString', coordinates: line(r, f) };
    case 'multiline': return { type: 'MultiLineString', coordinates: Array.from({ length: int(r, 2, 3) }, () => line(r, f)) };
    case 'point': return { type: 'Point', coordinates: point(r, f) };
    case 'multipoint': {
      const pts = Array.from({ length: int(r, 2, 6) }, () => point(r, f));
      if (r() < 0.5) pts.push([...pts[0]]);
      return { type: 'MultiPoint', coordinates: pts };
    }
    case 'collection': {
      const kinds: Kind[] = ['polygon', 'polygon', 'line', 'point', 'multipolygon'];
      return { type: 'GeometryCollection', geometries: Array.from({ length: int(r, 2, 3) }, () => geometry(r, f, pick(r, kinds))) };
    }
  }
}

/** A polygon whose vertices sit on pixel centres and edges of a georeferenced grid (pixel rule F1). */
export function tiePolygon(r: Rand, gt: GT, w: number, h: number): unknown {
  return { type: 'Polygon', coordinates: polygon(r, { gt, w, h, snap: 0.5 }) };
}

const ORIENTATIONS: ((w: number, h: number) => GT)[] = [
  (w, h) => [0, 1, 0, h, 0, -1], // north-up
  () => [0, 1, 0, 0, 0, 1], // y down
  (w, h) => [w, -1, 0, h, 0, -1], // x flipped
  (w) => [w, -1, 0, 0, 0, 1], // both flipped relative to north-up
  (w, h) => [-3.25, 0.5, 0, h * 0.5 - 3.25, 0, -0.5], // fractional origin, half-unit pixels
  () => [500000.15, 0.3, 0, 6000000.45, 0, -0.3], // UTM-sized coordinates, 0.3 m pixels
];
const TYPES: GdalType[] = ['Byte', 'Byte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Float32', 'Float64'];
const MODES: string[][] = [[], [], ['-at'], ['-add'], ['-at', '-add'], ['-i'], ['-i', '-at'], ['-i', '-add']];
const KINDS: Kind[] = ['polygon', 'polygon', 'polygon', 'multipolygon', 'line', 'line', 'multiline', 'point', 'multipoint', 'collection'];
const BURNS = ['1', '1', '2.5', '0.5', '-1', '200', '0.4', '7'];

export interface FuzzCase extends DiffCase { seed: number; index: number; features: Feature[] }

// a number with few decimals, like a user would type (pixel rule G4's rounding is where grids go wrong)
function typed(r: Rand, lo: number, hi: number): number {
  const d = int(r, hi - lo >= 50 ? 0 : 1, 3);
  return Number((lo + r() * (hi - lo)).toFixed(d));
}

/** Creation-mode grid case: random extents and -te/-tr/-ts/-tap combinations (pixel rules G1-G5). */
function gridCase(r: Rand, seed: number, index: number): FuzzCase {
  const ox = pick(r, [0, 0, 1000, 500000, -75.5, 13.4]);
  const oy = pick(r, [0, 0, 2000, 6000000, 45.25, 52.5]);
  const span = pick(r, [1, 10, 100]);
  const features: Feature[] = Array.from({ length: int(r, 1, 3) }, (_, i) => {
    const x0 = ox + typed(r, 0, span);
    const y0 = oy + typed(r, 0, span);
    const x1 = x0 + typed(r, span / 20, span / 2);
    const y1 = y0 + typed(r, span / 20, span / 2);
    const geometry = r() < 0.7
      ? { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] }
      : { type: 'LineString', coordinates: [[x0, y0], [x1, y1]] };
    return { type: 'Feature', properties: { id: i + 1 }, geometry };
  });
  const res = () => String(Number((span / int(r, 4, 60) * pick(r, [1, 1, 0.3, 0.7])).toPrecision(int(r, 1, 4))));
  const size = () => String(int(r, 1, 64));
  const args = ['-burn', '1', '-ot', 'Byte'];
  const te = () => {
    const x = ox + typed(r, -span / 4, span / 2);
    const y = oy + typed(r, -span / 4, span / 2);
    return ['-te', String(x), String(y), String(x + typed(r, span / 10, span)), String(y + typed(r, span / 10, span))];
  };
  switch (int(r, 0, 5)) {
    case 0: args.push('-tr', res(), res()); break;
    case 1: args.push('-tr', res(), res(), '-tap'); break;
    case 2: args.push('-ts', size(), size()); break;
    case 3: args.push(...te(), '-tr', res(), res(), ...(r() < 0.5 ? ['-tap'] : [])); break;
    case 4: args.push(...te(), '-ts', size(), size()); break;
    default: args.push('-tr', res(), res(), '-ts', size(), size());
  }
  if (r() < 0.3) args.push('-at');
  return { seed, index, features, source: features, name: `fuzz-${seed}-${index}`, args };
}

/** Maps every coordinate of a GeoJSON geometry (in place). */
function mapCoords(g: any, fn: (c: number[]) => number[]): void {
  if (g.type === 'GeometryCollection') return g.geometries.forEach((x: unknown) => mapCoords(x, fn));
  const walk = (a: any): any => (typeof a[0] === 'number' ? fn(a) : a.map(walk));
  g.coordinates = walk(g.coordinates);
}

/**
 * Case `index` of fuzz run `seed`: random grid orientation (north-up, y-down, flipped, fractional, UTM-sized),
 * geometry kinds, mode (plain / -at / -add / -i, -3d), band type, burn source, and destination: an existing raster
 * (sometimes a reprojection target in EPSG:32633 fed with CRS84 features) or a created one (-te/-ts, -tr/-tap).
 * `toLonLat` converts UTM 33N to CRS84 (the test passes proj4; the generator stays dependency-free).
 */
export function fuzzCase(seed: number, index: number, toLonLat?: (xy: number[]) => number[]): FuzzCase {
  const r = rng(caseSeed(seed, index));
  if (r() < 0.1) return gridCase(r, seed, index);
  // now and then a large grid with long rings: many active edges, and whatever strips or tiles ours uses
  const big = r() < 0.06;
  const w = big ? int(r, 200, 1500) : int(r, 6, 40);
  const h = big ? int(r, 200, 1500) : int(r, 6, 40);
  const reproject = toLonLat !== undefined && r() < 0.1;
  const gt: GT = reproject
    ? [391400 + int(r, 0, 40) * 0.5, pick(r, [0.5, 0.3, 1]), 0, 5820120 - int(r, 0, 40) * 0.5, 0, -pick(r, [0.5, 0.3, 1])]
    : ORIENTATIONS[int(r, 0, ORIENTATIONS.length - 1)](w, h);
  // reprojected vertices are not snapped: PROJ and proj4js differ by ~1e-9 m, which moves exact ties
  // (pinned once in the corpus, F3-K2-reproject-utm-pixel-centre-ties; pixel rule K2), not the rest
  const snap = reproject ? 0 : pick(r, [0.5, 0.5, 0.25, 1, 0, -1]);
  const frame: Frame = { gt, w, h, snap, free: reproject, big };
  const kind = big ? pick(r, ['polygon', 'multipolygon', 'line'] as Kind[]) : pick(r, KINDS);
  const n = int(r, 1, 4);
  const features: Feature[] = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    properties: { id: i + 1, v: pick(r, [1, 2, 3.5, -2, 0.5, 100, 250]) },
    geometry: geometry(r, frame, r() < 0.75 ? kind : pick(r, KINDS)),
  }));
  // not with reprojection: Z interpolated along a line or an all-touched walk (pixel rule V7) is a
  // function of the vertex positions, so PROJ's and proj4js's ~1e-9 m difference (pixel rule K2)
  // reaches the burned values themselves (seen: 4.5e-9 in a Float64 band); the draw is still made so
  // the cases after it stay the same
  const burnZ = r() < 0.1 && !reproject;
  if (burnZ) for (const f of features) mapCoords(f.geometry, (c) => [c[0], c[1], pick(r, [0, 1, 2.5, -3, 10.25, 100])]);
  if (reproject) for (const f of features) mapCoords(f.geometry, (c) => [...toLonLat!(c.slice(0, 2)), ...c.slice(2)]);
  const mode = burnZ ? pick(r, MODES).filter((m) => m !== '-i') : pick(r, MODES);
  const type = pick(r, TYPES);
  const burn = burnZ ? ['-3d'] : r() < 0.4 ? ['-a', pick(r, ['id', 'v'])] : ['-burn', pick(r, BURNS)];
  const base = { seed, index, features, source: features, name: `fuzz-${seed}-${index}` };
  const u = r();
  if (reproject || u < 0.65) {
    const dst: RasterSpec = { width: w, height: h, gt, type, fill: r() < 0.3 ? 'ramp' : 0, ...(reproject ? { srs: 'EPSG:32633' } : {}) };
    return { ...base, args: [...burn, ...mode], dst };
  }
  const init = r() < 0.3 ? ['-init', pick(r, ['0', '3', '-1', 'nan', '0.5'])] : [];
  const nodata = r() < 0.3 ? ['-a_nodata', pick(r, ['0', '255', '-9999', 'nan', '3'])] : [];
  if (u < 0.85) {
    // -te in world coordinates, possibly inverted (giving y-down or x-flipped grids), with -ts
    const [x0, y0] = toWorld(gt, 0, 0);
    const [x1, y1] = toWorld(gt, w, h);
    const te = [x0, y1, x1, y0].map(String);
    return { ...base, args: [...burn, ...mode, ...init, ...nodata, '-ot', type, '-te', ...te, '-ts', String(w), String(h)] };
  }
  // grid from the layer extent: -tr (grown by half a pixel) or -tr -tap
  const res = String(Math.abs(gt[1]) * pick(r, [1, 0.5, 2, 0.75]));
  const tap = r() < 0.5 ? ['-tap'] : [];
  return { ...base, args: [...burn, ...mode, ...init, ...nodata, '-ot', type, '-tr', res, res, ...tap] };
}
