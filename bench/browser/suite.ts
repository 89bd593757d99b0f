// The Chromium runners of `npm run bench`: one headless Chromium (Debian's /usr/bin/chromium,
// WebGPU on SwiftShader, never a downloaded browser) per workload, one page that imports the
// rasterburn bundle and, on demand, gdal3.js from node_modules. Each run is timed in the page; the
// first run of each runner is checked against the reference (the CPU engine's array, or for W5 the
// GDAL MEM loop's stack of job rasters) by hash, and on a mismatch pixel by pixel. Peak memory is
// the Chromium process tree's summed RSS, sampled every 250 ms while a runner runs.
import { readdirSync, readFileSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer';
import { launchChromium, type Chromium } from '../../test/browser/chromium.js';
import { startStaticServer, type StaticServer } from '../../test/browser/server.js';
import { describeAdapterInfo } from '../../src/gpu/device.js';
import type { RasterizeOptions } from '../../src/types.js';
import { rasterizeArgs, type PreparedWorkload, type Workload } from '../workloads.js';
import { BROWSER_RUNNERS } from '../runners.js';
import { fnv1a, readNpyHeader } from '../npy.js';
import type { CheckResult, RunnerResult } from '../report.js';
import { median } from '../measure.js';

export interface SuiteOptions {
  runs: number;
  slowS: number;
  budgetS: number;
  /** a single in-page run longer than this is abandoned (the browser is restarted) */
  timeoutS: number;
  /** runner ids to run (those of BROWSER_RUNNERS that fit the workload's kind) */
  runners: string[];
  bundleDir: string;
  /** the array every result is compared with: the CPU engine's .npy, or for W5 the GDAL MEM stack */
  reference: { path: string; what: string } | null;
  log: (s: string) => void;
}

export interface SuiteInfo {
  userAgent: string | null;
  adapter: Record<string, unknown> | null;
  adapterLabel: string | null;
  software: boolean | null;
  gdal3js: { initMs: number; version: string | null } | null;
}

function gdal3jsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('gdal3.js/dist/package/gdal3.js'));
  } catch {
    throw new Error('gdal3.js is not installed: run npm install (it is a devDependency) or leave out the chromium-gdal3js runners');
  }
}

/**
 * The GDAL version compiled into gdal3.js's WebAssembly: GDAL_RELEASE_NAME's string, "GDAL x.y.z"
 * standing alone between NULs (messages that merely mention a version are longer strings).
 */
function gdal3jsVersion(dir: string): string | null {
  try {
    const m = /\0(GDAL \d+\.\d+\.\d+)\0/.exec(readFileSync(join(dir, 'gdal3WebAssembly.wasm')).toString('latin1'));
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/** Sum of VmRSS over `root` and all its descendants, in bytes (Linux /proc); null elsewhere. */
function treeRss(root: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const children = new Map<number, number[]>();
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      // the command name may hold spaces and parentheses: fields resume after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch { /* exited meanwhile */ }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const statm = readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ');
      total += Number(statm[1]) * 4096;
    } catch { /* exited meanwhile */ }
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return total;
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly pid: () => number | undefined) {}
  start(): void {
    this.peak = 0;
    const tick = (): void => {
      const pid = this.pid();
      const v = pid ? treeRss(pid) : null;
      if (v !== null && v > this.peak) this.peak = v;
    };
    tick();
    this.timer = setInterval(tick, 250);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.peak;
  }
}

/** FNV-1a hash of a whole .npy's pixels, or one per job of a (jobs, h, w) stack. */
function referenceHashes(path: string, perJob: boolean): string[] {
  const info = readNpyHeader(path);
  const size = statSync(path).size - info.offset;
  const buf = new Uint8Array(size);
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    while (at < size) at += readSync(fd, buf, at, Math.min(size - at, 1 << 26), info.offset + at);
  } finally {
    closeSync(fd);
  }
  if (!perJob) return [fnv1a(buf)];
  const n = info.shape[0];
  const per = size / n;
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(fnv1a(buf, k * per, (k + 1) * per));
  return out;
}

function timeout<T>(p: Promise<T>, s: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`${what} did not finish within ${s} s`)), s * 1000); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface RunOut {
  ms: number;
  parseMs?: number;
  rasterizeMs?: number;
  hash?: string;
  hashes?: string[] | null;
  stats?: { backend: string; adapter?: string; fallbackReason?: string };
  adapter?: string;
  nonzero?: number | null;
}

/** Runs the Chromium runners that fit `w` and returns their results in the harness's shape. */
export async function runChromiumSuite(w: Workload, p: PreparedWorkload, o: SuiteOptions): Promise<{ results: RunnerResult[]; info: SuiteInfo }> {
  const wanted = BROWSER_RUNNERS.filter((r) => r.kinds.includes(w.kind) && o.runners.includes(r.id));
  const info: SuiteInfo = { userAgent: null, adapter: null, adapterLabel: null, software: null, gdal3js: null };
  if (!wanted.length) return { results: [], info };
  const jobs = w.kind === 'jobs';
  const mounts: Record<string, string> = { '/dist/': o.bundleDir, '/data/': dirname(p.path), '/': 'bench/browser/pages' };
  if (o.reference) mounts['/ref/'] = dirname(o.reference.path);
  if (wanted.some((r) => r.id.startsWith('chromium-gdal3js'))) mounts['/gdal/'] = gdal3jsDir();
  const server: StaticServer = await startStaticServer(mounts);
  let refHashes: string[] | null = null;
  if (o.reference) {
    refHashes = referenceHashes(o.reference.path, jobs);
    o.log(`${w.id} chromium: reference ${o.reference.what} (${basename(o.reference.path)})`);
  }

  let chromium: Chromium | null = null;
  let page: Page | null = null;
  const sampler = new RssSampler(() => chromium?.browser.process()?.pid);
  const start = async (): Promise<Page> => {
    // one burn on SwiftShader can take minutes: the DevTools calls wait, our own timeout decides
    chromium = await launchChromium({ protocolTimeout: (o.timeoutS + 120) * 1000 });
    const pg = await chromium.open(`${server.origin}/index.html`, (l) => o.log(`${w.id} ${l}`));
    await pg.waitForFunction('window.bench !== undefined', { timeout: 60_000 });
    await pg.evaluate((url: string, kind: string) => (window as unknown as { bench: { load(u: string, k: string): Promise<unknown> } }).bench.load(url, kind), `/data/${basename(p.path)}`, w.kind);
    return pg;
  };
  const stop = async (): Promise<void> => {
    const c = chromium as Chromium | null;
    chromium = null;
    page = null;
    if (c) await c.close().catch(() => c.browser.process()?.kill('SIGKILL'));
  };

  const results: RunnerResult[] = [];
  try {
    page = await start();
    const desc = await page.evaluate('window.bench.describeAdapter()') as { adapter: Record<string, unknown> | null; userAgent: string };
    info.userAgent = desc.userAgent;
    info.adapter = desc.adapter;
    if (desc.adapter) {
      const d = describeAdapterInfo(desc.adapter as unknown as GPUAdapterInfo, desc.adapter.isFallbackAdapter === true);
      info.adapterLabel = d.label;
      info.software = d.software;
    }

    const options: RasterizeOptions = { dtype: w.dtype, allTouched: !!w.allTouched };
    if (w.attribute !== undefined) options.attribute = w.attribute;
    else options.burn = w.burn ?? 1;
    // gdal3.js gets the same gdal_rasterize arguments; for W5 every job adds its own -te
    const gdalArgs = jobs
      ? [...rasterizeArgs(w, { grid: false, quiet: false }), '-ts', String(w.width), String(w.height)]
      : rasterizeArgs(w, { quiet: false });

    for (const r of wanted) {
      const res: RunnerResult = { runner: r.id, description: r.description, samples: [], wall: [], cpu: [], rssMiB: [], phases: {}, check: null, error: null, inPage: true };
      results.push(res);
      const backend: 'webgpu' | 'cpu' = r.id.includes('webgpu') ? 'webgpu' : 'cpu';
      const isGdal = r.id.startsWith('chromium-gdal3js');
      const call = async (check: boolean): Promise<RunOut> => {
        const pg = page!;
        if (isGdal) {
          if (!info.gdal3js) {
            info.gdal3js = await pg.evaluate('window.bench.initGdal()') as NonNullable<SuiteInfo['gdal3js']>;
            info.gdal3js.version ??= gdal3jsVersion(gdal3jsDir());
          }
          return jobs
            ? pg.evaluate((a: string[], c: boolean) => (window as unknown as { bench: { runGdal3Jobs(a: string[], c: boolean): Promise<RunOut> } }).bench.runGdal3Jobs(a, c), gdalArgs, check)
            : pg.evaluate((a: string[], n: string, c: boolean) => (window as unknown as { bench: { runGdal3(a: string[], n: string, c: boolean): Promise<RunOut> } }).bench.runGdal3(a, n, c), gdalArgs, basename(p.path), check);
        }
        if (jobs) {
          const mode = r.id.endsWith('batch') ? 'batch' : 'loop';
          return pg.evaluate((m: string, b: string, op: RasterizeOptions, c: boolean) => (window as unknown as { bench: { runJobs(m: string, b: string, op: RasterizeOptions, c: boolean): Promise<RunOut> } }).bench.runJobs(m, b, op, c), mode, backend, options, check);
        }
        const single: RasterizeOptions = { ...options, backend };
        return pg.evaluate(
          (te: number[], size: number[], tr: number[] | null, crs: string, op: RasterizeOptions, c: boolean) => (window as unknown as { bench: { runSingle(...a: unknown[]): Promise<RunOut> } }).bench.runSingle(te, size, tr, crs, op, c),
          w.te, [w.width, w.height], w.tr ?? null, w.crs, single, check,
        );
      };

      sampler.start();
      const t0 = Date.now();
      let planned = o.runs;
      try {
        // warm-up: the checked run
        const first = await timeout(call(true), o.timeoutS, `${r.id} on ${w.id}`);
        o.log(`${w.id} ${r.id} warm-up: ${(first.ms / 1000).toFixed(2)} s`);
        const adapter = first.stats?.adapter ?? first.adapter;
        if (adapter) res.adapter = adapter;
        if (first.stats?.fallbackReason) res.error = `fell back to the CPU: ${first.stats.fallbackReason}`;
        if (first.ms / 1000 >= o.slowS) {
          res.samples.push(first.ms / 1000);
          res.warmupCounted = true;
          planned = Math.max(1, Math.min(o.runs, Math.floor(o.budgetS / (first.ms / 1000))));
        }
        res.check = await checkRun(first, refHashes, jobs, w, o, page!);
        o.log(`${w.id} ${r.id} check: ${res.check.mismatches === 0 ? 'identical' : `${res.check.mismatches ?? '?'} ${jobs ? 'jobs' : 'pixels'} differ`}`);
        while (res.samples.length < planned && !res.error) {
          const out = await timeout(call(false), o.timeoutS, `${r.id} on ${w.id}`);
          res.samples.push(out.ms / 1000);
          if (out.parseMs !== undefined) (res.phases.parse ??= []).push(out.parseMs / 1000);
          if (out.rasterizeMs !== undefined) (res.phases.rasterize ??= []).push(out.rasterizeMs / 1000);
          o.log(`${w.id} ${r.id} run ${res.samples.length}/${planned}: ${(out.ms / 1000).toFixed(2)} s`);
          if ((Date.now() - t0) / 1000 > o.budgetS + o.timeoutS) break;
        }
      } catch (e) {
        res.error = (e as Error).message.split('\n')[0];
        if (/did not finish within/.test(res.error)) res.timedOutS = o.timeoutS;
        o.log(`${w.id} ${r.id} FAILED: ${res.error}`);
        // a page stuck in a burn is no use to the next runner
        await stop();
        page = await start();
      }
      const peak = sampler.stop();
      if (peak > 0) res.rssMiB.push(peak / 2 ** 20);
    }
  } finally {
    sampler.stop();
    await stop();
    await server.close();
  }
  return { results, info };
}

async function checkRun(first: RunOut, refHashes: string[] | null, jobs: boolean, w: Workload, o: SuiteOptions, page: Page): Promise<CheckResult> {
  if (!refHashes || !o.reference) return { against: 'nothing (no reference output)' };
  const against = o.reference.what;
  if (jobs) {
    const got = first.hashes ?? [];
    if (got.length !== refHashes.length) return { against, mismatches: null, shape: [got.length], refShape: [refHashes.length] };
    const bad = got.reduce((n, h, k) => n + (h === refHashes[k] ? 0 : 1), 0);
    return { against, mismatches: bad, unit: 'jobs' };
  }
  if (first.hash === refHashes[0]) return { against, mismatches: 0 };
  // hashes differ: count the pixels in the page against the reference .npy
  const d = await page.evaluate((url: string, dtype: string) => (window as unknown as { bench: { diffLast(u: string, d: string): Promise<{ count: number; first: [number, number, number][] }> } }).bench.diffLast(url, dtype), `/ref/${basename(o.reference.path)}`, w.dtype);
  return { against, mismatches: d.count, first: d.first.map(([i, a, b]) => [Math.floor(i / w.width), i % w.width, a, b]) };
}

export { median };
