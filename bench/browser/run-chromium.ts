#!/usr/bin/env node
// rasterize() in headless Chromium: backend 'cpu' and 'webgpu' (and the 'triangles' fill) on the
// W1 workload (bench/workloads.ts: seeded buildings, burned by BuildingID into UInt16), timed in
// the page from the parsed GeoJSON to the finished typed array (readback included), median of RUNS
// after one warm-up. Every timed result is compared with the page's CPU result; the adapter is
// recorded from navigator.gpu, and a software one (SwiftShader) is labelled as such.
//
//   node dist/bench/browser/run-chromium.js
//
// Environment:
//   COUNT=100000 SIZE=10000   buildings and grid side (W1 is 100,000 on 10,000 x 10,000)
//   RUNS=3                    timed runs per backend after one warm-up
//   BACKENDS=cpu,webgpu,webgpu-triangles
//   BENCH_CACHE=dir           where the workload GeoJSON is cached (default $TMPDIR/rasterburn-bench)
//   BENCH_JSON=file           also write the results there
//   NODE_CPU=0                skip the Node CPU engine row (same burn in this process, for scale)
//   CHROMIUM_PATH             default /usr/bin/chromium
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { flattenFeatures } from '../../src/features/flatten.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import { describeAdapterInfo } from '../../src/gpu/device.js';
import { gridFromBounds } from '../../src/grid-from-bounds.js';
import { rasterize } from '../../src/rasterize.js';
import type { Grid, RasterizeOptions } from '../../src/types.js';
import { freshBundle } from '../../test/browser/bundle.js';
import { launchChromium } from '../../test/browser/chromium.js';
import { startStaticServer } from '../../test/browser/server.js';
import { edgeDistances, tieTolerance } from '../../test/gpu/helpers.js';
import { buildingsWorkload } from '../workloads.js';

interface BenchResult {
  parseMs: number;
  features: number | null;
  stats: { backend: string; adapter?: string; fallbackReason?: string };
  times: number[];
  median: number;
  hash: string;
  nonzero: number;
  /** per timed run: pixels that differ from the CPU reference (empty for the reference) */
  diffCounts: number[];
  /** the differing pixel indices of the run with most differences */
  diff: number[];
}

interface Row extends BenchResult {
  backend: string;
  /** what the comparison with the CPU found */
  check: string;
  ok: boolean;
}

const env = process.env;

function positiveInt(name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
}

const COUNT = positiveInt('COUNT', 100_000);
const SIZE = positiveInt('SIZE', 10_000);
const RUNS = positiveInt('RUNS', 3);
const BACKENDS = (env.BACKENDS ?? 'cpu,webgpu,webgpu-triangles').split(',').map((s) => s.trim()).filter(Boolean);
for (const b of BACKENDS) if (!['cpu', 'webgpu', 'webgpu-triangles'].includes(b)) throw new Error(`BACKENDS: unknown backend '${b}' (cpu, webgpu, webgpu-triangles)`);
if (BACKENDS[0] !== 'cpu') throw new Error(`BACKENDS must start with cpu: its result is the reference the others are checked against`);

const NODE_CPU = env.NODE_CPU !== '0';

const log = (s: string): void => { process.stderr.write(`${s}\n`); };

/** FNV-1a over the raw bytes: the same function as hashBytes() in test/browser/pages/harness.js */
function hashTyped(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// the same burn by Node's CPU engine in this process, for scale: browser CPU vs Node CPU
async function nodeCpu(path: string, grid: Grid, options: RasterizeOptions, reference: string): Promise<Row> {
  log(`node cpu: 1 warm-up + ${RUNS} timed runs ...`);
  const features = JSON.parse(readFileSync(path, 'utf8')) as FeatureInput;
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof rasterize>> | null = null;
  for (let k = 0; k <= RUNS; k++) {
    last = null;
    const t0 = performance.now();
    const r = await rasterize(features, grid, { ...options, backend: 'cpu' });
    if (k > 0) times.push(performance.now() - t0);
    last = r;
  }
  const hash = hashTyped(last!.data);
  let nonzero = 0;
  for (let k = 0; k < last!.data.length; k++) if (last!.data[k] !== 0) nonzero++;
  const sorted = [...times].sort((a, b) => a - b);
  const ok = hash === reference;
  return {
    parseMs: 0, features: null, stats: last!.stats, times, median: sorted[Math.floor(sorted.length / 2)], hash, nonzero,
    diffCounts: [], diff: [], backend: 'node cpu', ok, check: ok ? 'identical to the browser CPU' : `hash ${hash} differs from the browser CPU's ${reference}`,
  };
}

async function main(): Promise<void> {
  const w = buildingsWorkload({ id: 'W1-browser', count: COUNT, size: SIZE });
  const cacheDir = env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
  mkdirSync(cacheDir, { recursive: true });
  log(`preparing ${w.title} in ${cacheDir}`);
  const prepared = await w.prepare(cacheDir);
  const grid: Grid = gridFromBounds(w.te, { size: [w.width, w.height] }, { crs: w.crs });
  const options: RasterizeOptions = { attribute: w.attribute, dtype: w.dtype, allTouched: w.allTouched };

  const bundle = freshBundle();
  const server = await startStaticServer({ '/dist/': bundle.dir, '/data/': dirname(prepared.path), '/': 'test/browser/pages' });
  // one burn of the full W1 on SwiftShader can take minutes: the DevTools call waits for it
  const chromium = await launchChromium({ protocolTimeout: 60 * 60_000 });
  try {
    const page = await chromium.open(`${server.origin}/index.html`, log);
    await page.waitForFunction('window.harness !== undefined', { timeout: 30_000 });
    const adapter = await page.evaluate('window.harness.describeAdapter()') as { adapter: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean | null } | null; userAgent: string };
    log(`adapter.info: ${JSON.stringify(adapter.adapter)}`);
    const rows: Row[] = [];
    const t0 = Date.now();
    let parseMs = 0;
    const tol = tieTolerance(true);
    let shapes: ShapeSet | null = null;
    for (const b of BACKENDS) {
      const o: RasterizeOptions = { ...options, backend: b === 'cpu' ? 'cpu' : 'webgpu', gpuFill: b === 'webgpu-triangles' ? 'triangles' : undefined };
      log(`${b}: 1 warm-up + ${RUNS} timed runs ...`);
      const res = await page.evaluate(
        (url: string, g: Grid, oo: RasterizeOptions, runs: number, ref: boolean) => (window as unknown as { harness: { bench: (...a: unknown[]) => Promise<BenchResult> } }).harness.bench(url, g, oo, runs, ref),
        `/data/${basename(prepared.path)}`, grid, o, RUNS, b === 'cpu',
      );
      if (res.parseMs > 0) parseMs = res.parseMs;
      const worst = Math.max(0, ...res.diffCounts);
      let check: string, ok: boolean;
      if (b === 'cpu') {
        check = 'reference';
        ok = true;
      } else if (worst === 0) {
        check = 'identical to CPU';
        ok = true;
      } else if (b === 'webgpu-triangles') {
        // the triangle path may differ at ties: every differing pixel must sit on a polygon edge
        shapes ??= flattenFeatures(JSON.parse(readFileSync(prepared.path, 'utf8')) as FeatureInput, grid, { attribute: options.attribute, merge: options.merge });
        const dist = res.diff.length === worst ? edgeDistances(shapes, grid.width, res.diff) : [];
        const far = dist.filter((d) => !(d <= tol)).length;
        ok = res.diff.length === worst && far === 0;
        check = `${worst.toLocaleString('en-US')} tie pixels (${((100 * worst) / (grid.width * grid.height)).toFixed(4)}%), ${res.diff.length === worst ? `${far} farther than ${tol.toFixed(4)} px from an edge` : 'too many to check'}`;
      } else {
        ok = false;
        check = `${worst.toLocaleString('en-US')} pixels differ from the CPU, first at ${res.diff.slice(0, 4).join(', ')}`;
      }
      rows.push({ ...res, backend: b, check, ok });
      log(`${b}: median ${res.median.toFixed(0)} ms (${res.times.map((t) => t.toFixed(0)).join(', ')}); ${check}`);
    }
    const cpu = rows.find((r) => r.backend === 'cpu');
    if (NODE_CPU && cpu) rows.push(await nodeCpu(prepared.path, grid, options, cpu.hash));
    const lines: string[] = [];
    lines.push(`rasterize() in headless Chromium: ${w.title}`);
    lines.push(`${prepared.features.toLocaleString('en-US')} features, ${prepared.vertices.toLocaleString('en-US')} vertices, ${(prepared.bytes / 2 ** 20).toFixed(1)} MiB GeoJSON (fetch + JSON.parse ${parseMs.toFixed(0)} ms, not timed)`);
    lines.push(`browser: ${adapter.userAgent}`);
    const a = adapter.adapter;
    // the library's own classification, so the table and rasterize()'s stats never disagree
    const desc = a ? describeAdapterInfo(a as unknown as GPUAdapterInfo, a.isFallbackAdapter === true) : null;
    lines.push(`adapter.info: ${a ? `${JSON.stringify(a)} -> ${desc!.label}${desc!.software ? ' (not a GPU: these timings show correctness, not GPU speed)' : ''}` : 'none (navigator.gpu.requestAdapter() returned null)'}`);
    lines.push(`median of ${RUNS} after 1 warm-up, ms from parsed GeoJSON to finished array (flatten + burn + readback)`);
    lines.push('');
    lines.push(`| backend | ran on | median ms | runs ms | vs CPU | burned pixels | check |`);
    lines.push(`|---|---|---:|---|---:|---:|---|`);
    for (const r of rows) {
      const ranOn = r.stats.backend === 'webgpu' ? r.stats.adapter ?? 'webgpu' : `cpu${r.stats.fallbackReason ? ` (fell back: ${r.stats.fallbackReason})` : ''}`;
      const speed = cpu && r.median > 0 ? `${(cpu.median / r.median).toFixed(2)}x` : '';
      lines.push(`| ${r.backend} | ${ranOn} | ${r.median.toFixed(0)} | ${r.times.map((t) => t.toFixed(0)).join(', ')} | ${speed} | ${r.nonzero.toLocaleString('en-US')} | ${r.ok ? '' : 'FAILED: '}${r.check} |`);
    }
    lines.push('');
    lines.push(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(lines.join('\n'));
    if (env.BENCH_JSON) writeFileSync(env.BENCH_JSON, JSON.stringify({ workload: { ...w, prepare: undefined }, prepared, grid, adapter, runs: RUNS, rows: rows.map((r) => ({ ...r, diff: r.diff.length })) }, null, 2));
    if (rows.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    await chromium.close();
    await server.close();
    bundle.cleanup();
  }
}

main().catch((e) => {
  log(`run-chromium: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
