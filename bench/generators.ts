// Seeded generators for the synthetic workloads besides W1's buildings (bench/buildings.ts): one
// huge polygon with holes (W2), random-walk polylines (W4) and batches of small jobs (W5). All in
// projected metres; every coordinate carries float64 noise, as real data does.
import type { GeoJSONFeature, Position } from '../src/features/geojson.js';
import { makeBuildings } from './buildings.js';
import { mulberry32 } from './random.js';

/** A closed ring traced around (cx, cy) at radius r(θ) > 0: star-shaped, so never self-intersecting. */
function radialRing(n: number, cx: number, cy: number, radius: (t: number) => number, clockwise: boolean): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const t = ((clockwise ? n - i : i) / n) * 2 * Math.PI;
    const r = radius(t);
    ring.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  ring.push([...ring[0]]);
  return ring;
}

export interface HolesOptions {
  seed: number;
  /** [minx, miny, maxx, maxy] the polygon must stay inside */
  bounds: [number, number, number, number];
  outerVertices: number;
  /** holes on a holesPerSide x holesPerSide lattice (jittered) in the middle of the polygon */
  holesPerSide: number;
  holeVertices: number;
}

/**
 * W2: one Polygon whose outer ring is a wiggly closed curve (sum of a few sines plus per-vertex
 * noise around a radius of 45% of the bounds) and holesPerSide² star-shaped holes inside it,
 * counter-clockwise outside and clockwise holes as RFC 7946 asks. Holes never touch each other or
 * the outer ring: they sit on a lattice well inside the ring's smallest radius.
 */
export function makeHoledPolygon(o: HolesOptions): { feature: GeoJSONFeature; vertices: number } {
  const rnd = mulberry32(o.seed);
  const [minx, miny, maxx, maxy] = o.bounds;
  const cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
  const R = 0.45 * Math.min(maxx - minx, maxy - miny);
  const ph = [rnd(), rnd(), rnd()].map((x) => x * 2 * Math.PI);
  // smallest radius: R * (1 - 0.2 - 0.05 - 0.02) = 0.73 R
  const outer = radialRing(o.outerVertices, cx, cy, (t) => R * (1 + 0.2 * Math.sin(5 * t + ph[0]) + 0.05 * Math.sin(37 * t + ph[1]) + 0.02 * (2 * rnd() - 1)), false);
  const rings: Position[][] = [outer];
  // the lattice fills a square inscribed in the disc of radius 0.7 R
  const half = 0.7 * R / Math.SQRT2;
  const cell = (2 * half) / o.holesPerSide;
  for (let i = 0; i < o.holesPerSide; i++) {
    for (let j = 0; j < o.holesPerSide; j++) {
      const hx = cx - half + (i + 0.5) * cell + (rnd() - 0.5) * cell * 0.1;
      const hy = cy - half + (j + 0.5) * cell + (rnd() - 0.5) * cell * 0.1;
      // at most 0.3 * 1.3 = 0.39 of the cell: neighbours never meet
      const hr = cell * (0.15 + 0.15 * rnd());
      const k = 3 + Math.floor(rnd() * 6), p = rnd() * 2 * Math.PI;
      rings.push(radialRing(o.holeVertices, hx, hy, (t) => hr * (1 + 0.2 * Math.sin(k * t + p) + 0.1 * (2 * rnd() - 1)), true));
    }
  }
  const vertices = rings.reduce((s, r) => s + r.length, 0);
  return { feature: { type: 'Feature', properties: { id: 1 }, geometry: { type: 'Polygon', coordinates: rings } }, vertices };
}

export interface LinesOptions {
  seed: number;
  count: number;
  bounds: [number, number, number, number];
  /** vertices per line: uniform in [min, max] */
  minVertices: number;
  maxVertices: number;
  /** step length in metres: uniform in [min, max] */
  minStep: number;
  maxStep: number;
}

/**
 * W4: `count` LineStrings, each a random walk with a slowly turning heading (roads, rivers,
 * tracks), starting anywhere in the bounds and clamped to them, with an integer `id` property.
 */
export function makePolylines(o: LinesOptions): { features: GeoJSONFeature[]; vertices: number } {
  const rnd = mulberry32(o.seed);
  const [minx, miny, maxx, maxy] = o.bounds;
  const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
  const features: GeoJSONFeature[] = [];
  let vertices = 0;
  for (let i = 0; i < o.count; i++) {
    const n = o.minVertices + Math.floor(rnd() * (o.maxVertices - o.minVertices + 1));
    let x = minx + rnd() * (maxx - minx), y = miny + rnd() * (maxy - miny);
    let heading = rnd() * 2 * Math.PI;
    const line: Position[] = [[x, y]];
    for (let k = 1; k < n; k++) {
      heading += (rnd() - 0.5) * 0.8;
      const step = o.minStep + rnd() * (o.maxStep - o.minStep);
      x = clamp(x + step * Math.cos(heading), minx, maxx);
      y = clamp(y + step * Math.sin(heading), miny, maxy);
      line.push([x, y]);
    }
    vertices += n;
    features.push({ type: 'Feature', properties: { id: i + 1 }, geometry: { type: 'LineString', coordinates: line } });
  }
  return { features, vertices };
}

export interface JobsOptions {
  seed: number;
  jobs: number;
  perJob: number;
  /** grid side in pixels and pixel size in metres */
  size: number;
  res: number;
  /** the origin of job 0's tile; tiles are laid on a lattice `cols` wide */
  origin: [number, number];
  cols: number;
}

export interface BenchJob {
  /** -te of the job's grid */
  te: [number, number, number, number];
  features: { type: 'FeatureCollection'; features: GeoJSONFeature[] };
}

/**
 * W5: `jobs` tiles of size x size pixels, each with `perJob` seeded buildings (bench/buildings.ts)
 * whose BuildingID runs 1..perJob, burned by that ID. Each job is one small rasterize(): what a
 * tile server or a training-data pipeline does a thousand times.
 */
export function makeJobs(o: JobsOptions): { jobs: BenchJob[]; vertices: number } {
  const side = o.size * o.res;
  const jobs: BenchJob[] = [];
  let vertices = 0;
  for (let j = 0; j < o.jobs; j++) {
    const x0 = o.origin[0] + (j % o.cols) * side, y0 = o.origin[1] + Math.floor(j / o.cols) * side;
    const fc = makeBuildings({ count: o.perJob, bounds: [x0 + 2, y0 + 2, x0 + side - 2, y0 + side - 2], seed: o.seed + j, size: 12 });
    for (const f of fc.features) {
      if (f.geometry?.type === 'Polygon') for (const ring of f.geometry.coordinates as Position[][]) vertices += ring.length;
    }
    jobs.push({ te: [x0, y0, x0 + side, y0 + side], features: { type: 'FeatureCollection', features: fc.features } });
  }
  return { jobs, vertices };
}
