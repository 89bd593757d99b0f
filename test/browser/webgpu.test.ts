// rasterize() in headless Chromium: the browser bundle, WebGPU on SwiftShader through navigator.gpu,
// compared pixel for pixel with the CPU engine in the same page (and that one with Node's), with the
// triangle path's tie pixels counted and checked as test/gpu/fuzz.test.ts does in Node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DTYPES } from '../../src/dtype.js';
import { flattenFeatures } from '../../src/features/flatten.js';
import type { GeoJSONFeature, GeoJSONFeatureCollection, GeoJSONGeometry } from '../../src/features/geojson.js';
import { rasterize } from '../../src/rasterize.js';
import type { DType, GeoTransform, Grid, RasterizeOptions } from '../../src/types.js';
import { freshBundle, type Bundle } from './bundle.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { ROOT, startStaticServer, type StaticServer } from './server.js';
import { edgeDistances, rng, tieTolerance } from '../gpu/helpers.js';
import { ADVERSARIAL_MODES, hugeScenes, latticeScenes, seamScene, type AdversarialScene } from '../shared/adversarial-scenes.js';
import { makeNumbers, type NumberDType } from '../shared/pixels.js';

/** BROWSER_FUZZ_SEED=n reruns one scene set; the default keeps CI deterministic. */
const SEED = Number(process.env.BROWSER_FUZZ_SEED ?? 20251126);

const missing = chromiumMissing();
if (missing) console.warn(`skipping browser WebGPU tests: ${missing}`);

// --- what the page hands back (test/browser/pages/harness.js)
interface Stats {
  backend: 'cpu' | 'webgpu'; adapter?: string; fallbackReason?: string; features: number; shapes: number;
  gpu?: { crossings: number; exactFallbacks: number; linesOnGpu?: number; touchSegments?: number; polygonsOnCpu?: number };
}
interface GpuRun { fill: 'spans' | 'triangles'; ms: number; stats: Stats; hash: string; diffCount: number; diff: number[]; sample: { k: number; cpu: number; gpu: number }[] }
interface Comparison { cpu: { hash: string; ms: number; stats: Stats; nonzero: number; length: number }; gpu: GpuRun[] }
interface Values { data: number[]; dtype: DType; type: string; stats: Stats }
interface Rejection { rejected: boolean; ms: number; name?: string; message?: string; backend?: string }
interface AdapterReport {
  navigatorGpu: boolean;
  adapter: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean | null } | null;
  limits: Record<string, number>;
  features: string[];
  userAgent: string;
}
interface Harness {
  describeAdapter(): Promise<AdapterReport>;
  compare(f: unknown, g: Grid, o: RasterizeOptions, fills?: string[], cap?: number): Promise<Comparison>;
  values(f: unknown, g: Grid, o: RasterizeOptions): Promise<Values>;
  rejection(f: unknown, g: unknown, o: unknown): Promise<Rejection>;
  loseDeviceMidBurn(f: unknown, g: Grid, o: RasterizeOptions): Promise<Rejection & { destroyed: boolean; lostReason: string | null; devices: number }>;
  devices: unknown[];
}
declare global {
  interface Window { harness: Harness }
}

let bundle: Bundle;
let server: StaticServer;
let chromium: Chromium;
let page: Page;
const requested: string[] = [];
let report: AdapterReport;

/** FNV-1a over the raw bytes: the same function as hashBytes() in pages/harness.js */
function hashTyped(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// --- geometry in pixel space, turned into world coordinates of a north-up grid
type XY = number[];
const toWorld = (gt: GeoTransform) => ([x, y]: XY): XY => [gt[0] + x * gt[1], gt[3] + y * gt[5]];

function feature(geometry: GeoJSONGeometry, v: number): GeoJSONFeature {
  return { type: 'Feature', properties: { v }, geometry };
}

/** pixel-space geometry to a world-space feature on transform gt */
function pxFeature(gt: GeoTransform, kind: 'Polygon' | 'LineString' | 'Point' | 'MultiPolygon' | 'MultiLineString' | 'MultiPoint', coords: unknown, v: number): GeoJSONFeature {
  const w = toWorld(gt);
  const map = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? w(c as XY) : (c as unknown[]).map(map));
  return feature({ type: kind, coordinates: map(coords) } as GeoJSONGeometry, v);
}

const rectRing = (x0: number, y0: number, x1: number, y1: number): XY[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

function collection(features: GeoJSONFeature[]): GeoJSONFeatureCollection {
  return { type: 'FeatureCollection', features };
}

// star-shaped ring around (cx, cy), as in test/gpu/fuzz.test.ts: always simple
function star(r: () => number, cx: number, cy: number, rMin: number, rMax: number, n: number, snap: number): XY[] {
  const angles = Array.from({ length: n }, () => r() * 2 * Math.PI).sort((a, b) => a - b);
  const pts = angles.map((a) => {
    const d = rMin + r() * (rMax - rMin);
    let x = cx + d * Math.cos(a), y = cy + d * Math.sin(a);
    if (snap) { x = Math.round(x * snap) / snap; y = Math.round(y * snap) / snap; }
    return [x, y];
  });
  return [...pts, pts[0]];
}

/** A random scene in pixel space (the mix of test/gpu/fuzz.test.ts, plus multi-geometries), as world features. */
function scene(r: () => number, gt: GeoTransform, w: number, h: number, n: number, value: () => number): GeoJSONFeature[] {
  const out: GeoJSONFeature[] = [];
  for (let k = 0; k < n; k++) {
    const t = r();
    const cx = r() * w * 1.1 - 0.05 * w, cy = r() * h * 1.1 - 0.05 * h;
    const R = 1 + r() * Math.min(w, h) * 0.25;
    // vertices on pixel corners and centres half the time: the tie-prone input users draw
    const snap = r() < 0.5 ? 2 : 0;
    if (t < 0.4) {
      const rings = [star(r, cx, cy, 0.5 * R, R, 3 + Math.floor(r() * 10), snap)];
      if (r() < 0.3 && R > 6) rings.push(star(r, cx, cy, 0.1 * R, 0.4 * R, 3 + Math.floor(r() * 6), snap));
      out.push(pxFeature(gt, 'Polygon', rings, value()));
    } else if (t < 0.5) {
      // axis-aligned box on the half-pixel lattice: every edge is a tie candidate
      const x0 = Math.round(cx * 2) / 2, y0 = Math.round(cy * 2) / 2;
      const x1 = x0 + Math.round(r() * R * 2) / 2 + 0.5, y1 = y0 + Math.round(r() * R * 2) / 2 + 0.5;
      out.push(pxFeature(gt, 'Polygon', [rectRing(x0, y0, x1, y1)], value()));
    } else if (t < 0.6) {
      // random vertices: mostly self-intersecting, the triangle path must hand these to spans
      const m = 4 + Math.floor(r() * 6);
      const ring = Array.from({ length: m }, () => [cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R]);
      out.push(pxFeature(gt, 'Polygon', [[...ring, ring[0]]], value()));
    } else if (t < 0.68) {
      const parts = [0, 1].map(() => [star(r, cx + (r() - 0.5) * R, cy + (r() - 0.5) * R, 0.3 * R, 0.7 * R, 3 + Math.floor(r() * 6), snap)]);
      out.push(pxFeature(gt, 'MultiPolygon', parts, value()));
    } else if (t < 0.82) {
      const m = 2 + Math.floor(r() * 4);
      out.push(pxFeature(gt, 'LineString', Array.from({ length: m }, () => [cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R]), value()));
    } else if (t < 0.88) {
      const parts = [0, 1].map(() => Array.from({ length: 2 + Math.floor(r() * 3) }, () => [cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R]));
      out.push(pxFeature(gt, 'MultiLineString', parts, value()));
    } else if (t < 0.94) {
      out.push(pxFeature(gt, 'Point', [cx + (r() - 0.5) * R, cy + (r() - 0.5) * R], value()));
    } else {
      out.push(pxFeature(gt, 'MultiPoint', Array.from({ length: 1 + Math.floor(r() * 4) }, () => [cx + (r() - 0.5) * R, cy + (r() - 0.5) * R]), value()));
    }
  }
  return out;
}

async function harness<T>(fn: (h: Harness, ...args: any[]) => Promise<T>, ...args: unknown[]): Promise<T> {
  return page.evaluate((src: string, a: unknown[]) => {
    // eslint-disable-next-line no-new-func
    const f = new Function(`return (${src})`)() as (h: unknown, ...x: unknown[]) => Promise<unknown>;
    return f(window.harness, ...a);
  }, fn.toString(), args) as Promise<T>;
}

/** The CPU engine's answer in Node, from the source (not the bundle), as a hash. */
async function nodeCpuHash(fc: GeoJSONFeatureCollection, grid: Grid, o: RasterizeOptions): Promise<string> {
  return hashTyped((await rasterize(fc, grid, { ...o, backend: 'cpu' })).data);
}

/**
 * Checks one comparison: the page's CPU result equals Node's, spans equal the CPU, and triangles
 * differ only at pixels whose centre lies within the rasterizer's snap of a polygon edge (or not
 * at all where the triangle path does not apply). Returns the tie count and farthest tie.
 */
async function check(where: string, fc: GeoJSONFeatureCollection, grid: Grid, o: RasterizeOptions, cmp: Comparison, tol: number): Promise<{ ties: number; farthest: number }> {
  expect(cmp.cpu.hash, `${where}: CPU engine in the browser bundle vs in Node`).toBe(await nodeCpuHash(fc, grid, o));
  let ties = 0, farthest = 0;
  for (const g of cmp.gpu) {
    const label = `${where}, gpuFill ${g.fill}: first differences ${JSON.stringify(g.sample)}`;
    expect(g.stats.backend, `${label}; fallback: ${g.stats.fallbackReason}`).toBe('webgpu');
    const triangles = g.fill === 'triangles' && (o.merge ?? 'replace') === 'replace' && !o.allTouched && !o.burnZ;
    if (!triangles) {
      expect(g.diffCount, label).toBe(0);
      continue;
    }
    expect(g.diff.length, `${label}: difference list capped`).toBe(g.diffCount);
    const shapes = flattenFeatures(fc, grid, { attribute: o.attribute, burn: o.burn, merge: o.merge });
    const dist = edgeDistances(shapes, grid.width, g.diff);
    ties += g.diffCount;
    for (const d of dist) farthest = Math.max(farthest, d);
    const far = g.diff.filter((_, i) => !(dist[i] <= tol));
    expect(far.slice(0, 8).map((k) => `pixel ${k} (col ${k % grid.width}, row ${Math.floor(k / grid.width)}) is ${dist[g.diff.indexOf(k)]} px from an edge`), `${label}; allowed ${tol} px`).toEqual([]);
  }
  return { ties, farthest };
}

describe.skipIf(!!missing)('rasterize() in headless Chromium (WebGPU on SwiftShader)', () => {
  beforeAll(async () => {
    bundle = freshBundle();
    server = await startStaticServer({ '/dist/': bundle.dir, '/': 'test/browser/pages' });
    chromium = await launchChromium();
    page = await chromium.open(`${server.origin}/index.html`, (line) => console.error(line));
    page.on('request', (r: HTTPRequest) => { requested.push(new URL(r.url()).pathname); });
    await page.waitForFunction(() => window.harness !== undefined, { timeout: 30_000 });
    report = await harness((h) => h.describeAdapter());
    console.log(`Chromium adapter: ${JSON.stringify(report.adapter)}; limits ${JSON.stringify(report.limits)}; ${report.userAgent}`);
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    bundle?.cleanup();
  });

  test('the bundle has no Node-only module, and the build refuses one', () => {
    const entry = bundle.files.find((f) => f.entry)!;
    expect(entry.path.endsWith('rasterburn.js')).toBe(true);
    // the WebGPU engine is a chunk of its own, fetched on first use
    expect(bundle.files.some((f) => f.lazy === 'src/gpu/engine.ts')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-bad-entry-'));
    try {
      writeFileSync(join(dir, 'entry.ts'), `export { requestDawnAdapter } from ${JSON.stringify(join(ROOT, 'src', 'gpu', 'dawn.js'))};\n`);
      let err = '';
      try {
        execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-browser.mjs'), '--outdir', join(dir, 'out'), '--json', '--entry', join(dir, 'entry.ts')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        err = (e as { stderr: string }).stderr;
      }
      expect(err).toMatch(/Node-only module "node:fs" imported by src\/gpu\/dawn\.ts/);
      expect(err).toMatch(/Node-only module "webgpu" imported by src\/gpu\/dawn\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('navigator.gpu gives an adapter; SwiftShader is labelled software, never a GPU', async () => {
    expect(report.navigatorGpu).toBe(true);
    expect(report.adapter, 'navigator.gpu.requestAdapter() returned null').not.toBeNull();
    const info = report.adapter!;
    // the flags select SwiftShader: anything else means the launch flags were not applied
    expect(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`).toMatch(/swiftshader/i);
    const fc = collection([pxFeature([0, 1, 0, 4, 0, -1], 'Polygon', [rectRing(0, 0, 4, 4)], 9)]);
    const grid: Grid = { width: 4, height: 4, transform: [0, 1, 0, 4, 0, -1] };
    expect(requested.some((p) => /\/chunks\/engine-/.test(p)), 'engine chunk fetched before any WebGPU burn').toBe(false);
    const r = await harness((h, f, g) => h.values(f, g, { attribute: 'v', backend: 'webgpu' }), fc, grid);
    expect(requested.some((p) => /\/chunks\/engine-/.test(p)), 'engine chunk fetched for the WebGPU burn').toBe(true);
    expect(r.stats.backend).toBe('webgpu');
    expect(r.stats.adapter).toMatch(/^software adapter: google swiftshader/);
    expect(r.data).toEqual(new Array(16).fill(9));
  });

  // hand-computed pixels (pixel rules P2-P7 north-up, A1-A6, L1-L5): both backends must give them
  test('tiny exact targets: 1x1, 3x3 and 10x10 by hand, every dtype, allTouched, merge add, lines and points', async () => {
    const gtOf = (h: number): GeoTransform => [0, 1, 0, h, 0, -1];
    interface Case { name: string; size: number; fc: GeoJSONFeatureCollection; o: RasterizeOptions; want: number[]; ties?: boolean }
    const cases: Case[] = [];
    const grid1 = (pix: (c: number, r: number) => number, n: number): number[] => Array.from({ length: n * n }, (_, k) => pix(k % n, Math.floor(k / n)));

    cases.push({ name: '1x1 covered', size: 1, fc: collection([pxFeature(gtOf(1), 'Polygon', [rectRing(0, 0, 1, 1)], 4)]), o: {}, want: [4] });
    cases.push({ name: '1x1 centre outside', size: 1, fc: collection([pxFeature(gtOf(1), 'Polygon', [rectRing(0.6, 0, 1, 1)], 4)]), o: {}, want: [0] });
    cases.push({ name: '1x1 point off centre', size: 1, fc: collection([pxFeature(gtOf(1), 'Point', [0.25, 0.75], 6)]), o: {}, want: [6] });
    cases.push({ name: '3x3 no ties', size: 3, fc: collection([pxFeature(gtOf(3), 'Polygon', [rectRing(0.2, 0.7, 2.3, 2.9)], 2)]), o: {}, want: grid1((c, r) => (c <= 1 && r >= 1 ? 2 : 0), 3) });
    // centres on every edge: left exclusive, right inclusive; north-up keeps top and bottom rows
    cases.push({ name: '3x3 ties', size: 3, fc: collection([pxFeature(gtOf(3), 'Polygon', [rectRing(0.5, 0.5, 1.5, 2.5)], 3)]), o: {}, want: grid1((c) => (c === 1 ? 3 : 0), 3), ties: true });
    cases.push({ name: '3x3 allTouched', size: 3, fc: collection([pxFeature(gtOf(3), 'Polygon', [rectRing(0.5, 0.5, 1.5, 1.5)], 5)]), o: { allTouched: true }, want: grid1((c, r) => (c <= 1 && r <= 1 ? 5 : 0), 3), ties: true });
    cases.push({ name: '3x3 line, floored Bresenham', size: 3, fc: collection([pxFeature(gtOf(3), 'LineString', [[0.9, 0.9], [2.1, 0.9]], 8)]), o: {}, want: grid1((c, r) => (r === 0 ? 8 : 0), 3) });

    // 10x10, every dtype: a polygon with a hole, then a line along the bottom row, then a point
    const values: Record<NumberDType, [number, number, number]> = {
      uint8: [200, 3, 255], int16: [-300, 12, -32768], uint16: [60000, 3, 5], int32: [-100000, 2 ** 31 - 1, 5],
      uint32: [4e9, 1, 2 ** 32 - 1], float32: [1.5, -2.25, 0.1], float64: [0.25, -3, 1e6],
    };
    const gt10 = gtOf(10);
    for (const dtype of Object.keys(values) as NumberDType[]) {
      const [a, b, c] = values[dtype];
      const conv = (v: number): number => makeNumbers(dtype, 1).fill(v)[0];
      const fc = collection([
        pxFeature(gt10, 'Polygon', [rectRing(1.2, 1.2, 8.8, 8.8), rectRing(3.2, 3.2, 6.8, 6.8)], a),
        pxFeature(gt10, 'LineString', [[0.5, 9.5], [9.5, 9.5]], b),
        pxFeature(gt10, 'Point', [9.5, 0.5], c),
      ]);
      const want = grid1((x, y) => {
        if (y === 0 && x === 9) return conv(c);
        if (y === 9) return conv(b);
        const inShell = x >= 1 && x <= 8 && y >= 1 && y <= 8, inHole = x >= 3 && x <= 6 && y >= 3 && y <= 6;
        return inShell && !inHole ? conv(a) : 0;
      }, 10);
      cases.push({ name: `10x10 ${dtype}`, size: 10, fc, o: { dtype }, want });
    }
    // merge add from an init value: two overlapping squares, the overlap gets both
    for (const [dtype, init, a, b] of [['uint8', 1, 2, 3], ['int16', -1, -2, -3], ['uint32', 7, 100, 1000], ['float32', 0.5, 0.25, 1.5]] as [DType, number, number, number][]) {
      const fc = collection([pxFeature(gt10, 'Polygon', [rectRing(1.2, 1.2, 5.8, 5.8)], a), pxFeature(gt10, 'Polygon', [rectRing(3.2, 3.2, 8.8, 8.8)], b)]);
      const want = grid1((x, y) => init + (x >= 1 && x <= 5 && y >= 1 && y <= 5 ? a : 0) + (x >= 3 && x <= 8 && y >= 3 && y <= 8 ? b : 0), 10);
      cases.push({ name: `10x10 merge add ${dtype}`, size: 10, fc, o: { dtype, merge: 'add', init }, want });
    }

    for (const c of cases) {
      const grid: Grid = { width: c.size, height: c.size, transform: gtOf(c.size) };
      const runs: [string, RasterizeOptions][] = [['cpu', { backend: 'cpu' }], ['webgpu spans', { backend: 'webgpu', gpuFill: 'spans' }]];
      // the triangle path is exact away from ties; at ties it is the fuzz test's business
      if (!c.ties) runs.push(['webgpu triangles', { backend: 'webgpu', gpuFill: 'triangles' }]);
      for (const [name, b] of runs) {
        const r = await harness((h, f, g, o) => h.values(f, g, o), c.fc, grid, { attribute: 'v', ...c.o, ...b });
        expect(r.stats.backend, `${c.name} ${name}: ${r.stats.fallbackReason}`).toBe(b.backend);
        expect(r.type, c.name).toBe(DTYPES[c.o.dtype ?? 'uint16'].make(0).constructor.name);
        expect(r.data, `${c.name} on ${name}`).toEqual(c.want);
      }
    }
  });

  test('float64 values float32 cannot hold are burned on the CPU, and the stats say why', async () => {
    const gt: GeoTransform = [0, 1, 0, 4, 0, -1];
    const fc = collection([pxFeature(gt, 'Polygon', [rectRing(0, 0, 3, 3)], 0.1)]);
    const r = await harness((h, f, g) => h.values(f, g, { attribute: 'v', dtype: 'float64', backend: 'webgpu' }), fc, { width: 4, height: 4, transform: gt });
    expect(r.stats.backend).toBe('cpu');
    expect(r.stats.fallbackReason).toMatch(/0\.1 .*not exactly representable in float32/);
    expect(r.data.filter((v) => v === 0.1)).toHaveLength(9);
  });

  test(`seeded random scenes, every dtype and mode: spans identical to the CPU, triangles only at counted ties (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const tol = tieTolerance(true);
    const gt: GeoTransform = [500000, 0.5, 0, 4650000, 0, -0.5];
    const int = (lo: number, hi: number) => () => lo + Math.floor(r() * (hi - lo + 1));
    const modes: { dtype: DType; merge?: 'add'; allTouched?: boolean; init?: number; value: () => number }[] = [
      { dtype: 'uint8', value: int(1, 255) },
      { dtype: 'int16', value: int(-32768, 32767) },
      { dtype: 'uint16', value: int(1, 65535) },
      { dtype: 'int32', allTouched: true, value: int(-1e6, 1e6) },
      { dtype: 'uint32', value: int(1, 2 ** 32 - 1) },
      { dtype: 'float32', value: () => int(-8000, 8000)() / 8 },
      { dtype: 'float64', value: () => int(-4000, 4000)() / 4 },
      { dtype: 'uint16', merge: 'add', init: 3, value: int(1, 300) },
      { dtype: 'int16', merge: 'add', allTouched: true, init: -5, value: int(-300, -1) },
      { dtype: 'float32', merge: 'add', value: () => int(-800, 800)() / 8 },
      { dtype: 'uint8', allTouched: true, value: int(1, 255) },
      { dtype: 'uint8', merge: 'add', value: int(1, 40) },
    ];
    // rounds over the modes: each scene takes tens of milliseconds on SwiftShader
    const ROUNDS = 3;
    let ties = 0, pixels = 0, farthest = 0, crossings = 0, exact = 0;
    const t0 = Date.now();
    for (let s = 0; s < ROUNDS * modes.length; s++) {
      const m = modes[s % modes.length];
      const w = 20 + Math.floor(r() * 280), h = 20 + Math.floor(r() * 280);
      const fc = collection(scene(r, gt, w, h, 5 + Math.floor(r() * 60), m.value));
      const grid: Grid = { width: w, height: h, transform: gt };
      const o: RasterizeOptions = { attribute: 'v', dtype: m.dtype, merge: m.merge, allTouched: m.allTouched, init: m.init };
      const where = `seed ${SEED} (rerun with BROWSER_FUZZ_SEED=${SEED}) scene ${s}: ${w} x ${h}, ${fc.features.length} features, ${JSON.stringify({ ...o, attribute: undefined })}`;
      const cmp = await harness((hh, f, g, oo) => hh.compare(f, g, oo), fc, grid, o);
      const t = await check(where, fc, grid, o, cmp, tol);
      for (const g of cmp.gpu) {
        if (g.fill !== 'spans' || !g.stats.gpu) continue;
        crossings += g.stats.gpu.crossings;
        exact += g.stats.gpu.exactFallbacks;
      }
      ties += t.ties;
      farthest = Math.max(farthest, t.farthest);
      if (!m.merge && !m.allTouched) pixels += w * h;
    }
    console.log(`Chromium, seed ${SEED}: ${ROUNDS * modes.length} scenes in ${Date.now() - t0} ms; triangle path ${ties} tie pixels of ${pixels} (${((100 * ties) / pixels).toFixed(4)}%), farthest ${farthest.toFixed(4)} px from an edge (allowed ${tol.toFixed(4)}); exact fill ${crossings} crossings on the GPU, ${exact} by the exact path`);
    expect(crossings).toBeGreaterThan(0);
  });

  // the scenes of test/gpu/adversarial.test.ts (Dawn in Node), here through navigator.gpu
  test('adversarial set: every mode on pixel-centre, pixel-edge, 1e-9-offset and huge-coordinate scenes, and across the tile seam', async () => {
    const W = 61, H = 43;
    const seamSide = report.limits.maxTextureDimension2D;
    const scenes: [AdversarialScene, typeof ADVERSARIAL_MODES][] = [
      ...[...latticeScenes(SEED, W, H), ...hugeScenes(SEED, W, H)].map((s): [AdversarialScene, typeof ADVERSARIAL_MODES] => [s, ADVERSARIAL_MODES]),
      // a 2-tile grid (wider than the texture limit), the lattice shapes around the seam: the modes that walk or fill on the GPU
      [seamScene(SEED, seamSide + 8, 24, seamSide - 30, 60), ADVERSARIAL_MODES.filter((m) => /^(fill uint16|all-touched replace uint8|all-touched 'add'|Z int16)/.test(m.name))],
    ];
    const sum = { lattice: { crossings: 0, exact: 0 }, real: { crossings: 0, exact: 0 }, lines: 0, touch: 0, runs: 0 };
    for (const [scene, modes] of scenes) {
      const s = { crossings: 0, exact: 0, lines: 0, touch: 0 };
      for (const m of modes) {
        const where = `${scene.name} (${scene.grid.width} x ${scene.grid.height}), ${m.name}`;
        const cmp = await harness((hh, f, g, oo) => hh.compare(f, g, oo, ['spans']), scene.features, scene.grid, m.options);
        await check(where, scene.features as GeoJSONFeatureCollection, scene.grid, m.options, cmp, 0);
        const g = cmp.gpu[0].stats.gpu!;
        s.crossings += g.crossings;
        s.exact += g.exactFallbacks;
        s.lines += g.linesOnGpu ?? 0;
        s.touch += g.touchSegments ?? 0;
        if (m.options.allTouched && !m.options.merge) expect(g.touchSegments, where).toBeGreaterThan(0);
        sum.runs++;
      }
      console.log(`Chromium adversarial ${scene.name}: ${modes.length} modes, ${s.crossings} crossings on the GPU, ${s.exact} by the exact path; ${s.lines} lines and ${s.touch} all-touched segments on the GPU`);
      expect(s.crossings, scene.name).toBeGreaterThan(0);
      const real = /real-world/.test(scene.name);
      if (!real) expect(s.exact, scene.name).toBeGreaterThan(0);
      const bucket = real ? sum.real : sum.lattice;
      bucket.crossings += s.crossings;
      bucket.exact += s.exact;
      sum.lines += s.lines;
      sum.touch += s.touch;
    }
    console.log(`Chromium adversarial totals: ${sum.runs} burns identical; lattice, huge and seam scenes ${sum.lattice.crossings} crossings, ${sum.lattice.exact} by the exact path; real-world-like ${sum.real.crossings} crossings, ${sum.real.exact} by the exact path; ${sum.lines} lines and ${sum.touch} all-touched segments on the GPU`);
    expect(sum.real.exact).toBeLessThan(sum.real.crossings / 100);
    expect(sum.lines).toBeGreaterThan(0);
  }, 300_000);

  test('a grid wider than maxTextureDimension2D is tiled and matches the CPU', async () => {
    const maxSide = report.limits.maxTextureDimension2D;
    expect(maxSide).toBeGreaterThan(0);
    const w = maxSide + 8, h = 64;
    const r = rng(SEED + 1);
    const gt: GeoTransform = [0, 1, 0, h, 0, -1];
    const features = scene(r, gt, w, h, 300, () => 1 + Math.floor(r() * 60000));
    // shapes across the tile seam at x = maxSide, and at the grid's right edge
    features.push(pxFeature(gt, 'Polygon', [rectRing(maxSide - 40.5, 2.5, w + 3, 20.5)], 111));
    features.push(pxFeature(gt, 'Polygon', [star(r, maxSide, 40, 6, 20, 9, 2)], 222));
    features.push(pxFeature(gt, 'LineString', [[maxSide - 30.3, 60.2], [maxSide + 6.7, 30.9]], 333));
    features.push(pxFeature(gt, 'Point', [maxSide + 0.5, 50.5], 444));
    const fc = collection(features);
    const grid: Grid = { width: w, height: h, transform: gt };
    for (const o of [{ attribute: 'v' }, { attribute: 'v', allTouched: true }] as RasterizeOptions[]) {
      const cmp = await harness((hh, f, g, oo) => hh.compare(f, g, oo), fc, grid, o);
      const t = await check(`seed ${SEED + 1}, ${w} x ${h} (${maxSide}-px texture limit) ${JSON.stringify(o)}`, fc, grid, o, cmp, tieTolerance(true));
      console.log(`Chromium ${w} x ${h}${o.allTouched ? ' allTouched' : ''}: CPU ${cmp.cpu.ms.toFixed(0)} ms, ${cmp.gpu.map((g) => `${g.fill} ${g.ms.toFixed(0)} ms`).join(', ')}; ${t.ties} tie pixels`);
    }
  });

  test("without navigator.gpu, 'auto' burns on the CPU and says why; 'webgpu' rejects; nothing else is fetched", async () => {
    const noGpu = await chromium.open(`${server.origin}/index.html?nogpu`, (line) => console.error(line));
    const fetched: string[] = [];
    noGpu.on('request', (r: HTTPRequest) => { fetched.push(new URL(r.url()).pathname); });
    try {
      await noGpu.waitForFunction(() => window.harness !== undefined, { timeout: 30_000 });
      const gt: GeoTransform = [0, 1, 0, 6, 0, -1];
      const fc = collection([pxFeature(gt, 'Polygon', [rectRing(1, 1, 5, 5)], 3)]);
      const grid: Grid = { width: 6, height: 6, transform: gt };
      const auto = await noGpu.evaluate((f, g) => window.harness.values(f, g, { attribute: 'v', backend: 'auto' }), fc as unknown, grid);
      expect(auto.stats.backend).toBe('cpu');
      expect(auto.stats.fallbackReason).toBe('no WebGPU adapter: navigator.gpu is undefined (this browser or worker has no WebGPU)');
      expect(auto.data.filter((v) => v === 3)).toHaveLength(16);
      const gpu = await noGpu.evaluate((f, g) => window.harness.rejection(f, g, { attribute: 'v', backend: 'webgpu' }), fc as unknown, grid);
      expect(gpu.rejected).toBe(true);
      expect(gpu.name).toBe('WebGPUUnavailableError');
      expect(gpu.message).toMatch(/navigator\.gpu is undefined/);
      // the engine's own chunks load (esbuild may split shared code into chunk-*.js), but nothing
      // outside the bundle: in particular no attempt to fetch Node's Dawn module from the page's server
      expect(fetched.filter((p) => !/^\/dist\/chunks\/(engine|chunk)-[\w-]+\.js$/.test(p))).toEqual([]);
      expect(fetched.filter((p) => /dawn/i.test(p))).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });

  test('broken input rejects with a one-line message naming it; a lost device rejects, then a new one works', async () => {
    const grid: Grid = { width: 8, height: 8, transform: [0, 1, 0, 8, 0, -1] };
    const poly = (coords: unknown) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { v: 1 }, geometry: { type: 'Polygon', coordinates: coords } }] });
    const bad: [string, unknown, unknown, Record<string, unknown>, RegExp][] = [
      // a geometry GDAL's reader cannot read is skipped with a warning unless strict (pixel rule F12)
      ['a coordinate that is a string, strict', poly([[[0, 0], ['x', 1], [1, 1], [0, 0]]]), grid, { strict: true }, /position 1: x is "x", not a number/],
      ['an unknown geometry type, strict', { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygonn', coordinates: [] } }] }, grid, { strict: true }, /Polygonn/],
      ['not GeoJSON at all', { type: 'Topology' }, grid, {}, /unknown GeoJSON type "Topology"/],
      ['a missing attribute', poly([[[0, 0], [1, 0], [1, 1], [0, 0]]]), grid, { attribute: 'height' }, /attribute "height" not found/],
      ['a zero-width grid', poly([[[0, 0], [1, 0], [1, 1], [0, 0]]]), { ...grid, width: 0 }, {}, /grid width must be a positive integer, got 0/],
      ['an unknown dtype', poly([[[0, 0], [1, 0], [1, 1], [0, 0]]]), grid, { dtype: 'int128' }, /unknown dtype "int128"/],
      ['an unknown gpuFill', poly([[[0, 0], [1, 0], [1, 1], [0, 0]]]), grid, { gpuFill: 'voxels' }, /gpuFill must be 'spans' or 'triangles', got voxels/],
    ];
    for (const [what, f, g, o, re] of bad) {
      const res = await harness((h, ff, gg, oo) => h.rejection(ff, gg, oo), f, g, { attribute: 'v', backend: 'webgpu', ...o });
      expect(res.rejected, `${what}: resolved on ${res.backend}`).toBe(true);
      expect(res.message, what).toMatch(re);
      expect(res.message, what).not.toContain('\n');
    }

    // two tiles, so the device can be destroyed between the first tile's submit and its readback
    const w = report.limits.maxTextureDimension2D + 8;
    const wide: Grid = { width: w, height: 32, transform: [0, 1, 0, 32, 0, -1] };
    const fc = collection([pxFeature(wide.transform, 'Polygon', [rectRing(0.3, 0.3, w - 0.3, 31.7)], 77)]);
    const lost = await harness((h, f, g) => h.loseDeviceMidBurn(f, g, { attribute: 'v' }), fc, wide);
    expect(lost.destroyed, 'the burn never reached its GPU phase').toBe(true);
    expect(lost.rejected, 'resolved despite a destroyed device').toBe(true);
    expect(lost.message).toMatch(/WebGPU device lost \(destroyed\)/);
    expect(lost.lostReason).toBe('destroyed');
    console.log(`device destroyed mid-burn: rejected after ${lost.ms.toFixed(0)} ms with "${lost.message}"`);
    const before = lost.devices;
    const again = await harness((h, f, g) => h.compare(f, g, { attribute: 'v' }, ['spans']), fc, wide);
    expect(again.gpu[0].stats.backend).toBe('webgpu');
    expect(again.gpu[0].diffCount).toBe(0);
    expect(await page.evaluate(() => window.harness.devices.length)).toBe(before + 1);
  });
});
