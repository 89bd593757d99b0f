// Test-only scenes for the batch, prepare and tile tests: the differential corpus and fuzz cases turned
// into rasterize() calls (features, grid, options), and seeded random scenes of mixed geometry that
// cross many bands, including coordinates far enough out to make GDAL's int conversions wrap.
import proj4 from 'proj4';
import { CORPUS } from '../oracle/gdal/corpus.js';
import { fuzzCase, rng, type Rand } from '../oracle/gdal/fuzz.js';
import type { DiffCase, GdalType } from '../oracle/gdal/harness.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { DType, Grid, RasterizeOptions, TypedArray } from '../../src/types.js';

export interface Scene {
  name: string;
  features: FeatureInput;
  grid: Grid;
  options: RasterizeOptions;
}

const TYPE: Record<GdalType, DType> = {
  Byte: 'uint8', Int16: 'int16', UInt16: 'uint16', Int32: 'int32', UInt32: 'uint32', Float32: 'float32', Float64: 'float64',
  Int64: 'int64', UInt64: 'uint64',
};

/**
 * A differential case as a library call, when it burns into an existing georeferenced raster
 * (the grid is then fixed) with options the library takes directly; null for the rest (creation
 * grids, errors, raw sources, multi-band or ramp-filled destinations, layer options).
 */
export function sceneOf(c: DiffCase): Scene | null {
  if (!Array.isArray(c.source) || !c.dst || !('width' in c.dst) || c.dst.gt === null) return null;
  if ((c.dst.bands ?? 1) !== 1 || c.dst.fill === 'ramp' || c.expect === 'error' || c.tail?.length) return null;
  const options: RasterizeOptions = { dtype: TYPE[c.dst.type ?? 'Byte'] };
  if (c.dst.fill !== undefined) options.init = c.dst.fill;
  const a = c.args;
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '-burn': options.burn = Number(a[++i]); break;
      case '-a': options.attribute = a[++i]; break;
      case '-3d': options.burnZ = true; break;
      case '-at': options.allTouched = true; break;
      case '-add': options.merge = 'add'; break;
      case '-i': options.invert = true; break;
      case '-q': break;
      default: return null;
    }
  }
  if (options.burn !== undefined && Number.isNaN(options.burn)) return null;
  const grid: Grid = { width: c.dst.width, height: c.dst.height, transform: [...c.dst.gt] };
  if (c.dst.srs) grid.crs = c.dst.srs;
  return { name: c.name, features: { type: 'FeatureCollection', features: c.source } as FeatureInput, grid, options };
}

/** The corpus cases that are library calls (GDAL rule fixtures). */
export function corpusScenes(): Scene[] {
  return CORPUS.map(sceneOf).filter((s): s is Scene => s !== null);
}

const utm = proj4('+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', 'WGS84');

/** `n` cases of the differential fuzz generator (seeded) that are library calls. */
export function fuzzScenes(seed: number, n: number): Scene[] {
  const out: Scene[] = [];
  for (let i = 0; out.length < n && i < n * 4; i++) {
    const s = sceneOf(fuzzCase(seed, i, (xy) => utm.forward(xy)));
    if (s) out.push(s);
  }
  return out;
}

const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/**
 * Random features over a `width` x `height` north-up grid with world = pixel (y up): polygons with
 * holes, multipolygons, lines crossing the whole grid, points, collections, now and then a vertex
 * at 3e9 px (GDAL's int conversion wraps) or on pixel centres and boundaries; Z and an `id`.
 */
export function randomScene(seed: number, width: number, height: number): { features: FeatureInput; grid: Grid } {
  const r = rng(seed);
  const snap = (v: number) => (r() < 0.3 ? Math.round(v * 2) / 2 : v);
  const pt = (spread = 1): number[] => [snap(-5 + r() * (width + 10) * spread), snap(-5 + r() * (height + 10) * spread), pick(r, [0, 1, 2.5, -3])];
  const ring = (cx: number, cy: number, rad: number): number[][] => {
    const n = int(r, 3, 12);
    const pts: number[][] = [];
    for (let i = 0; i < n; i++) {
      const a = (i / n) * Math.PI * 2 + r() * 0.3;
      const rr = rad * (0.4 + 0.6 * r());
      pts.push([snap(cx + Math.cos(a) * rr), snap(cy + Math.sin(a) * rr), pick(r, [0, 5, 10.5])]);
    }
    if (r() < 0.05) pts[int(r, 0, n - 1)] = [pick(r, [3e9, -3e9, 2e9]), pts[0][1], 1];
    pts.push([...pts[0]]);
    return pts;
  };
  const polygon = (): number[][][] => {
    const cx = -10 + r() * (width + 20), cy = -10 + r() * (height + 20);
    const rad = 1 + r() * Math.max(width, height) * pick(r, [0.05, 0.2, 0.7]);
    const rings = [ring(cx, cy, rad)];
    if (r() < 0.3) rings.push(ring(cx, cy, rad * 0.4));
    return rings;
  };
  const line = (): number[][] => {
    const n = int(r, 2, 8);
    const pts = Array.from({ length: n }, () => pt());
    if (r() < 0.1) pts.push([pick(r, [3e9, -3e9]), pick(r, [0.5, height / 2, 3e9]), 0]);
    return pts;
  };
  const geometry = (): unknown => {
    switch (pick(r, ['polygon', 'polygon', 'polygon', 'multipolygon', 'line', 'line', 'multiline', 'point', 'multipoint', 'collection'])) {
      case 'polygon': return { type: 'Polygon', coordinates: polygon() };
      case 'multipolygon': return { type: 'MultiPolygon', coordinates: [polygon(), polygon()] };
      case 'line': return { type: 'LineString', coordinates: line() };
      case 'multiline': return { type: 'MultiLineString', coordinates: [line(), line()] };
      case 'point': return { type: 'Point', coordinates: pt() };
      case 'multipoint': return { type: 'MultiPoint', coordinates: [pt(), pt(), pt()] };
      default: return { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: polygon() }, { type: 'LineString', coordinates: line() }, { type: 'Point', coordinates: pt() }] };
    }
  };
  const n = int(r, 5, 40);
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature' as const,
    properties: { id: i + 1, v: pick(r, [1, 2.5, -7, 300, 0.5]) },
    geometry: geometry(),
  }));
  return {
    features: { type: 'FeatureCollection', features } as FeatureInput,
    grid: { width, height, transform: [0, 1, 0, height, 0, -1] },
  };
}

/**
 * Polygons (a third with a hole) and a line whose vertices sit on whole pixels plus `off` (0.5:
 * pixel centres, 0: pixel edges, 1e-9 off either) over a `width` x `height` grid, world = pixel
 * space (y up): GDAL's crossings tie or nearly tie everywhere. Attribute `v`, some values negative.
 */
export function latticeScene(seed: number, width: number, height: number, off: number): { features: FeatureInput; grid: Grid } {
  const r = rng(seed);
  const q = (v: number) => Math.round(v) + off;
  const features = [];
  for (let s = 0; s < 12; s++) {
    const cx = r() * width, cy = r() * height, R = 1 + r() * 10, m = 3 + Math.floor(r() * 6);
    const pts = Array.from({ length: m }, (_, j) => {
      const a = (j / m) * 2 * Math.PI + r() * 0.3;
      return [q(cx + R * Math.cos(a)), q(cy + R * Math.sin(a))];
    });
    const rings = [[...pts, pts[0]]];
    if (s % 3 === 0) rings.push([[q(cx - 1), q(cy - 1)], [q(cx + 1), q(cy - 1)], [q(cx + 1), q(cy + 1)], [q(cx - 1), q(cy + 1)], [q(cx - 1), q(cy - 1)]]);
    features.push({ type: 'Feature', properties: { v: s % 4 === 0 ? -7 - s : 3 * s + 1 }, geometry: { type: 'Polygon', coordinates: rings } });
  }
  features.push({ type: 'Feature', properties: { v: 99 }, geometry: { type: 'LineString', coordinates: [[q(0), q(r() * height)], [q(width), q(r() * height)]] } });
  return {
    features: { type: 'FeatureCollection', features } as FeatureInput,
    grid: { width, height, transform: [0, 1, 0, height, 0, -1] },
  };
}

/** Pixel offsets latticeScene takes: centres, edges, and 1e-9 off them on either side. */
export const LATTICE_OFFSETS = [0.5, 0, 0.5 + 1e-9, -1e-9, 1e-9, 0.5 - 1e-9];

/** Every burn mode the engines have, as rasterize() options (dtype and values vary by index). */
export function modeOptions(k: number): RasterizeOptions {
  const modes: RasterizeOptions[] = [
    { burn: 1 },
    { attribute: 'id' },
    { attribute: 'v', allTouched: true },
    { attribute: 'v', merge: 'add' },
    { burn: 2, allTouched: true, merge: 'add' },
    { burnZ: true },
    { burnZ: true, allTouched: true, merge: 'add' },
    { invert: true, burn: 3 },
    { invert: true, allTouched: true, merge: 'add', attribute: 'id' },
  ];
  const dtypes: DType[] = ['uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'];
  return { ...modes[k % modes.length], dtype: dtypes[k % dtypes.length], ...(k % 4 === 1 ? { init: 7, nodata: 7 } : {}) };
}

/** Index of the first differing element (NaN equals NaN), or -1. */
export function firstDiff(a: TypedArray, b: TypedArray): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x !== y && !(x !== x && y !== y)) return i;
  }
  return -1;
}
