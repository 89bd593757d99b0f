// Test-only adversarial scenes for comparing the WebGPU engine with the CPU engine, shared by the Node
// test (test/gpu/adversarial.test.ts) and the Chromium one (test/browser/webgpu.test.ts): every
// geometry kind (polygons with holes, multipolygons, rectangles with horizontal edges on row centres,
// lines along grid lines and diagonals, closed lines, points) with vertices on pixel centres, pixel
// edges, 1e-9 either side of them, and vertices far beyond 2^28 px or at 1e15 world units. Every
// vertex has a Z (halves and quarters: ties of V3's rounding) for the burnZ modes. Plain GeoJSON, so
// a scene crosses into a page as JSON.
import { mulberry32 as rng } from '../../bench/random.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { DType, GeoTransform, Grid, RasterizeOptions } from '../../src/types.js';

export interface AdversarialScene {
  name: string;
  features: FeatureInput;
  grid: Grid;
}

/** Pixel lattices the scenes put their vertices on: [name, lattice step in px, offset in px]. */
export const ADVERSARIAL_LATTICES: [string, number, number][] = [
  ['vertices on pixel centres', 1, 0.5],
  ['vertices on pixel edges', 1, 0],
  ['vertices on half pixels', 0.5, 0],
  ['1e-9 above pixel centres', 1, 0.5 + 1e-9],
  ['1e-9 below pixel centres', 1, 0.5 - 1e-9],
  ['1e-9 above pixel edges', 1, 1e-9],
  ['1e-9 below pixel edges', 1, -1e-9],
  ['real-world-like vertices', 1e-7, 0.123456789],
];

const Z = [0, 0.5, -1.5, 2.25, 7, -0.25];

// pixel-space features on a lattice (step px, offset off) over a width x height grid, mapped to world by `world`
function latticeFeatures(seed: number, width: number, height: number, step: number, off: number, world: (p: number[]) => number[]): unknown[] {
  const r = rng(seed);
  const q = (v: number) => Math.round(v / step) * step + off;
  const z = () => Z[Math.floor(r() * Z.length)];
  const p = (x: number, y: number) => world([q(x), q(y), z()]);
  const out: unknown[] = [];
  const add = (geometry: unknown, v: number) => out.push({ type: 'Feature', properties: { v }, geometry });
  const value = (k: number) => (k % 5 === 0 ? -(3 + k) : 1 + ((k * 37) % 200));
  for (let k = 0; k < 14; k++) {
    const cx = r() * width, cy = r() * height, R = 1.5 + r() * Math.min(width, height) * 0.3;
    const m = 3 + Math.floor(r() * 6);
    const ring = Array.from({ length: m }, (_, j) => {
      const a = (j / m) * 2 * Math.PI + r() * 0.4;
      return p(cx + R * Math.cos(a), cy + R * Math.sin(a));
    });
    const rings = [[...ring, ring[0]]];
    // a rectangular hole in every third shape
    if (k % 3 === 0) rings.push([p(cx - 1, cy - 1), p(cx - 1, cy + 1), p(cx + 1, cy + 1), p(cx + 1, cy - 1), p(cx - 1, cy - 1)]);
    add({ type: 'Polygon', coordinates: rings }, value(k));
  }
  for (let k = 0; k < 4; k++) {
    // axis-aligned: horizontal edges on row centres or row edges, vertical ones on column centres or edges
    const x0 = r() * width, y0 = r() * height, x1 = x0 + 1 + r() * 12, y1 = y0 + 1 + r() * 9;
    add({ type: 'Polygon', coordinates: [[p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)]] }, value(20 + k));
  }
  const tri = (cx: number, cy: number, s: number) => [p(cx, cy), p(cx + s, cy), p(cx, cy + s), p(cx, cy)];
  add({ type: 'MultiPolygon', coordinates: [[tri(r() * width, r() * height, 4)], [tri(r() * width, r() * height, 6)]] }, value(30));
  for (let k = 0; k < 10; k++) {
    const m = 2 + Math.floor(r() * 4);
    // every third line reaches well off the grid
    const reach = k % 3 === 0 ? 3 : 1.1;
    const pts = Array.from({ length: m }, () => p((r() * reach - (reach - 1) / 2) * width, (r() * reach - (reach - 1) / 2) * height));
    if (k % 4 === 0) pts.push(pts[0]);
    add({ type: 'LineString', coordinates: pts }, value(40 + k));
  }
  // along a grid line or a row centre, diagonal through pixel corners, a single-pixel stub
  const gx = Math.floor(r() * width), gy = Math.floor(r() * height);
  add({ type: 'LineString', coordinates: [p(gx, 0), p(gx, height), p(width, height)] }, value(51));
  add({ type: 'LineString', coordinates: [p(0, gy), p(width, gy)] }, value(52));
  add({ type: 'LineString', coordinates: [p(0, 0), p(Math.min(width, height), Math.min(width, height))] }, value(53));
  add({ type: 'MultiLineString', coordinates: [[p(gx, gy), p(gx + 0.5, gy)], [p(width, 0), p(0, height)]] }, value(54));
  add({ type: 'MultiPoint', coordinates: Array.from({ length: 8 }, () => p(r() * (width + 2) - 1, r() * (height + 2) - 1)) }, value(55));
  add({ type: 'Point', coordinates: p(width, height) }, value(56));
  return out;
}

const northUp = (width: number, height: number, x0 = 0, y0 = height, px = 1): GeoTransform => [x0, px, 0, y0, 0, -px];
const toWorld = (gt: GeoTransform) => ([x, y, z]: number[]): number[] => [gt[0] + x * gt[1], gt[3] + y * gt[5], z];

/** One scene per lattice, on a north-up grid whose world coordinates are its pixel coordinates. */
export function latticeScenes(seed: number, width: number, height: number): AdversarialScene[] {
  return ADVERSARIAL_LATTICES.map(([name, step, off], i) => {
    const gt = northUp(width, height);
    const features = latticeFeatures(seed + i, width, height, step, off, toWorld(gt));
    return { name, features: { type: 'FeatureCollection', features } as FeatureInput, grid: { width, height, transform: gt } };
  });
}

/**
 * Huge coordinates: vertices beyond 2^28 px (inside the GPU fill's domain up to 2^29, the CPU rules
 * beyond it, GDAL's int conversion wrapping past 2^31) and at 1e15 world units; and a grid whose
 * origin is at 1e15 world units (world ulp 0.125 = half a pixel of 0.25: every vertex ties).
 */
export function hugeScenes(seed: number, width: number, height: number): AdversarialScene[] {
  const gt = northUp(width, height);
  const w = toWorld(gt);
  const base = latticeFeatures(seed, width, height, 1, 0.5, w);
  const f = (v: number, geometry: unknown) => ({ type: 'Feature', properties: { v }, geometry });
  const far = [
    f(201, { type: 'Polygon', coordinates: [[w([-(2 ** 28) - 0.5, 10.5, 1]), w([width / 2 + 0.5, 3.5, 1]), w([width - 2.5, height - 4.5, 1]), w([-(2 ** 28) + 0.5, height - 1.5, 1]), w([-(2 ** 28) - 0.5, 10.5, 1])]] }),
    f(202, { type: 'Polygon', coordinates: [[w([2.5, 2.5, 0.5]), w([2 ** 28 + 3.5, 5.5, 0.5]), w([10.5, height - 2.5, 0.5]), w([2.5, 2.5, 0.5])]] }),
    f(203, { type: 'Polygon', coordinates: [[w([5.5, 5.5, 0]), w([3e9, 7.5, 0]), w([12.5, 20.5, 0]), w([5.5, 5.5, 0])]] }),
    f(204, { type: 'Polygon', coordinates: [[[1e15, 1e15, 0], [1e15 + 5, 1e15, 0], [1e15, 1e15 + 5, 0], [1e15, 1e15, 0]]] }),
    f(205, { type: 'Polygon', coordinates: [[[-1e15, -1e15, 0], [1e15, -1e15, 0], [0.5, 1e15, 0], [-1e15, -1e15, 0]]] }),
    f(206, { type: 'LineString', coordinates: [[-1e15, height / 2, 2], w([width / 2, height / 2 + 0.5, 2])] }),
    f(207, { type: 'LineString', coordinates: [w([1.5, 1.5, 0.5]), w([2 ** 31 + 5, 9.5, 0.5])] }),
    f(208, { type: 'LineString', coordinates: [w([-(2 ** 28), 4.5, -1]), w([width + 2 ** 28, height - 4.5, -1])] }),
    f(209, { type: 'MultiPoint', coordinates: [[1e15, 1e15, 0], w([2 ** 29, 3.5, 0]), w([width - 0.5, 0.5, 3])] }),
  ];
  // first, so that the lattice shapes overwrite the ones covering the whole grid
  const gtFar = northUp(width, height, 1e15, 1e15 + height * 0.25, 0.25);
  const farGrid = latticeFeatures(seed + 1, width, height, 0.5, 0, toWorld(gtFar));
  return [
    { name: 'vertices beyond 2^28 px and at 1e15 world units', features: { type: 'FeatureCollection', features: [...far, ...base] } as FeatureInput, grid: { width, height, transform: gt } },
    { name: 'grid origin at 1e15 world units', features: { type: 'FeatureCollection', features: farGrid } as FeatureInput, grid: { width, height, transform: gtFar } },
  ];
}

/**
 * The centre-lattice scene over a `span` x `height` window of a `width` x `height` grid starting at
 * column x0: with x0 near a tile boundary (the texture limit), shapes cross the seam.
 */
export function seamScene(seed: number, width: number, height: number, x0: number, span: number): AdversarialScene {
  const gt = northUp(width, height);
  const w = toWorld(gt);
  const features = latticeFeatures(seed, span, height, 1, 0.5, ([x, y, z]) => w([x + x0, y, z]));
  return { name: `vertices on pixel centres across column ${x0 + span / 2}`, features: { type: 'FeatureCollection', features } as FeatureInput, grid: { width, height, transform: gt } };
}

export interface AdversarialMode {
  name: string;
  options: RasterizeOptions;
}

/**
 * The burn modes, each output type at least once: fill, all-touched (replace and add), merge 'add'
 * (saturating), Z lines (plain and all-touched), inverted, into an init value. Merge 'add' burns a
 * constant, so the GPU takes it (it refuses fractional or mixed-sign 'add' burns).
 */
export const ADVERSARIAL_MODES: AdversarialMode[] = [
  { name: 'fill uint16', options: { attribute: 'v', dtype: 'uint16' } },
  { name: 'fill float32 from init -1.5', options: { attribute: 'v', dtype: 'float32', init: -1.5 } },
  { name: 'fill float64', options: { attribute: 'v', dtype: 'float64' } },
  { name: 'all-touched replace uint8', options: { attribute: 'v', dtype: 'uint8', allTouched: true } },
  { name: 'all-touched replace int32 from init 9', options: { attribute: 'v', dtype: 'int32', allTouched: true, init: 9 } },
  { name: "all-touched 'add' int16 from init -4", options: { burn: 3, dtype: 'int16', allTouched: true, merge: 'add', init: -4 } },
  { name: "'add' uint32 saturating", options: { burn: 70, dtype: 'uint32', merge: 'add', init: 4294967200 } },
  { name: "'add' uint8 saturating", options: { burn: 60, dtype: 'uint8', merge: 'add', init: 10 } },
  { name: 'Z float32', options: { burnZ: true, dtype: 'float32' } },
  { name: 'Z int16 all-touched', options: { burnZ: true, dtype: 'int16', allTouched: true, init: 1 } },
  { name: 'Z plus attribute uint8', options: { burnZ: true, attribute: 'v', dtype: 'uint8' } },
  { name: 'inverted int16', options: { invert: true, burn: 5, dtype: 'int16' } },
];

/** The output types the modes cover (a test checks it is all of them but the 64-bit integers). */
export const ADVERSARIAL_DTYPES: DType[] = [...new Set(ADVERSARIAL_MODES.map((m) => m.options.dtype!))];
