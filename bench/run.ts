#!/usr/bin/env node
// `npm run bench`: rasterburn against gdal_rasterize, GDAL's in-memory route, rasterio and gdal3.js,
// on seeded or derived workloads, in one run on this machine, every output checked pixel for pixel.
//
// Environment:
//   RUNS=5            timed runs per runner (median reported)
//   WARMUP=1          untimed runs first; the first one's output is the one checked pixel for pixel
//   WORKLOADS=W1,W2,W3,W4,W5,R1,R2   which workloads (bench/workloads.ts; C1 and the *s smoke tests too)
//   RUNNERS=...       which runners (bench/runners.ts: process runners and chromium-*); the
//                     workload's reference (gdal_rasterize, or gdal-mem-python on W5) always runs
//   BENCH_CACHE=dir   where workloads and outputs go (default: $TMPDIR/rasterburn-bench)
//   BENCH_RESULTS=dir where <date>.json, .md and .svg go (default: bench/results)
//   BENCH_TIMEOUT=s   per process and per in-page run (default 1800): a runner past it is recorded
//                     as "did not finish in s" (a lower bound), not as a time
//   BENCH_SLOW_S=60   a runner whose warm-up takes longer (GDAL on C1: minutes) counts that run as a
//                     timed sample and runs again only while its total stays under BENCH_BUDGET_S=600
//   BENCH_REF_TIMEOUT=s  the same for the reference runner (default BENCH_TIMEOUT): its output is
//                     what everything is checked against, so it may need longer than the others
//   SKIP=R1:rasterio,...  workload:runner pairs not to run (time budget); listed as skipped
//   BENCH_SPLIT=1     one extra library run per workload that times flatten and burn apart (0: skip)
// --sweep [--quick] [--jobs B1k,US]: the job-size sweep of bench/sweep.ts instead (RUNS, BENCH_CACHE,
//                     BENCH_RESULTS apply; SWEEP_JOBS=B1k,US picks jobs too)
import { cpus, freemem, loadavg, totalmem, tmpdir, release } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_GNU_TIME, measure, median, probe, type Measurement } from './measure.js';
import { BROWSER_RUNNERS, COMPARE, LIB_RUNNER, PYTHON, RUNNERS, libSpec, type Runner } from './runners.js';
import { WORKLOADS, type PreparedWorkload, type Workload } from './workloads.js';
import { FORMAT_WORKLOADS } from './formats.js';
import { evaluateGoals, goalsText, toMarkdown, toSvg, type BenchResults, type RunnerResult, type Machine, type CheckResult, type WorkloadResult } from './report.js';
import { runChromiumSuite } from './browser/suite.js';
import { fnv1a } from './npy.js';
import { freshBundle, type Bundle } from '../test/browser/bundle.js';

const env = process.env;
const RUNS = positiveInt('RUNS', 5);
const WARMUP = Math.max(1, positiveInt('WARMUP', 1));
const TIMEOUT = positiveInt('BENCH_TIMEOUT', 1800);
const SLOW_S = positiveInt('BENCH_SLOW_S', 60);
const BUDGET_S = positiveInt('BENCH_BUDGET_S', 600);
const REF_TIMEOUT = positiveInt('BENCH_REF_TIMEOUT', TIMEOUT);
const SPLIT = env.BENCH_SPLIT !== '0';
const SKIP = new Set((env.SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const DEFAULT_WORKLOADS = 'W1,W2,W3,W4,W5,R1,R2,W1shp,W1gpkg,W1fgb,W1parquet';
// W1 read from other vector formats (their runners: the CLI against gdal_rasterize on the same file)
Object.assign(WORKLOADS, FORMAT_WORKLOADS);
const workloadIds = (env.WORKLOADS ?? DEFAULT_WORKLOADS).split(',').map((s) => s.trim()).filter(Boolean);
const allIds = [...RUNNERS.map((r) => r.id), ...BROWSER_RUNNERS.map((r) => r.id)];
const runnerIds = env.RUNNERS ? env.RUNNERS.split(',').map((s) => s.trim()).filter(Boolean) : allIds;
const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cacheDir = env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
const resultsDir = env.BENCH_RESULTS ?? join(repoRoot, 'bench', 'results');

function positiveInt(name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

const log = (s: string): void => { process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`); };

async function machine(): Promise<Machine> {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1].trim();
    const name = field('model name');
    // virtual machines often report a bare "AMD EPYC": family and model tell the generation
    if (name) cpu = `${name} (family ${field('cpu family') ?? '?'} model ${field('model') ?? '?'}, ${Math.round(Number(field('cpu MHz') ?? NaN))} MHz)`;
  } catch { /* not Linux: os.cpus() model */ }
  const gdal = await probe('gdal_rasterize', ['--version']);
  const pyGdal = await probe(PYTHON, ['-c', 'from osgeo import gdal; print(gdal.__version__)']);
  const rasterio = await probe(PYTHON, ['-c', 'import rasterio; print(rasterio.__version__, "(GDAL", rasterio.__gdal_version__ + ")")']);
  const chromium = await probe(env.CHROMIUM_PATH || '/usr/bin/chromium', ['--version']);
  return {
    cpu, cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), freeGiB: Math.round(freemem() / 2 ** 30),
    os: `${process.platform} ${release()}`, node: process.version, gdal: gdal ?? 'not found', pythonGdal: pyGdal ?? 'not found',
    rasterio: rasterio ?? 'not found', chromium: chromium ?? 'not found',
    loadavgStart: loadavg().map((x) => Math.round(x * 100) / 100), loadavgEnd: [], gnuTime: HAVE_GNU_TIME,
  };
}

/** A fingerprint of the compiled code the runners execute: the library under dist/src and the CLI bundle. */
function distFingerprint(): string {
  const dist = join(repoRoot, 'dist');
  const parts: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.m?js$/.test(e.name)) parts.push(`${relative(dist, p)}:${fnv1a(readFileSync(p))}`);
    }
  };
  for (const sub of ['src', 'cli']) {
    try {
      walk(join(dist, sub));
    } catch { /* not built */ }
  }
  if (!parts.length) return 'missing';
  parts.sort();
  return fnv1a(new TextEncoder().encode(parts.join('\n')));
}

function gitState(): { commit: string | null; dirty: string[] } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts', 'shaders'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: [] };
  }
}

async function check(ref: string, candidate: string, against: string): Promise<CheckResult> {
  const m = await measure(PYTHON, [COMPARE, ref, candidate], TIMEOUT);
  const c = JSON.parse(m.stdout.trim()) as CheckResult & { jobsDiffer?: number };
  c.against = against;
  // a W5 stack: count the jobs that differ, the unit the Chromium runners report too
  if (c.jobsDiffer !== undefined) {
    c.mismatches = c.jobsDiffer;
    c.unit = 'jobs';
  }
  return c;
}

function parsePhases(stdout: string): Record<string, number | string> | null {
  const line = stdout.trim().split('\n').pop();
  if (!line) return null;
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function record(w: Workload, r: Runner, res: RunnerResult, m: Measurement): void {
  res.wall.push(m.wall);
  if (m.cpu !== null) res.cpu.push(m.cpu);
  if (m.rssMiB !== null) res.rssMiB.push(m.rssMiB);
  const ph = r.phases ? parsePhases(m.stdout) : null;
  if (ph) {
    for (const name of r.phases!) if (typeof ph[name] === 'number') (res.phases[name] ??= []).push(ph[name] as number);
    if (typeof ph.adapter === 'string') res.adapter = ph.adapter;
  }
  // W5's time is the in-process loop over all jobs, not the process around it
  if (w.kind === 'jobs') {
    if (typeof ph?.loop !== 'number') throw new Error(`${r.id} printed no "loop" time on ${w.id}`);
    res.samples.push(ph.loop);
  } else {
    res.samples.push(m.wall);
  }
}

let bundle: Bundle | null = null;

async function benchWorkload(w: Workload, runners: Runner[]): Promise<WorkloadResult> {
  const t0 = performance.now();
  const p: PreparedWorkload = await w.prepare(cacheDir);
  log(`${w.id}: ${p.path} (${(p.bytes / 2 ** 20).toFixed(1)} MiB, ${p.features} features, ${p.vertices} vertices) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const outDir = join(cacheDir, 'out');
  mkdirSync(outDir, { recursive: true });
  runners = runners.filter((r) => r.kinds.includes(w.kind) && (r.reference === w.kind || (runnerIds.includes(r.id) && (!w.runners || w.runners.includes(r.id)))));
  const reference = runners.find((r) => r.reference === w.kind)!;
  // the reference runs first: every check needs its output
  runners = [reference, ...runners.filter((r) => r !== reference)];

  const results = new Map<string, RunnerResult>();
  for (const r of runners) results.set(r.id, { runner: r.id, description: r.description, samples: [], wall: [], cpu: [], rssMiB: [], phases: {}, check: null, error: null });
  for (const r of runners) if (r !== reference && SKIP.has(`${w.id}:${r.id}`)) results.get(r.id)!.error = 'skipped (SKIP: time budget)';
  const limit = (r: Runner): number => (r === reference ? REF_TIMEOUT : TIMEOUT);
  const planned = new Map<string, number>(runners.map((r) => [r.id, RUNS]));
  const fail = (r: Runner, res: RunnerResult, e: unknown): void => {
    res.error = (e as Error).message;
    if (/after the \d+ s timeout/.test(res.error)) res.timedOutS = limit(r);
    log(`${w.id} ${r.id} FAILED: ${res.error}`);
  };

  // warm-up: the first run of each runner writes the output that is checked against the reference's
  let refOutput: string | undefined;
  let cpuOutput: string | undefined;
  const keep: string[] = [];
  for (let k = 0; k < WARMUP; k++) {
    for (const r of runners) {
      const res = results.get(r.id)!;
      if (res.error || res.warmupCounted) continue;
      const spec = r.command(w, p, outDir, k === 0);
      if (spec.output) rmSync(spec.output, { force: true });
      try {
        const m = await measure(spec.cmd, spec.args, limit(r), spec.env);
        log(`${w.id} ${r.id} warm-up ${k + 1}: ${m.wall.toFixed(2)} s`);
        const ph = parsePhases(m.stdout);
        if (typeof ph?.adapter === 'string') res.adapter = ph.adapter;
        if (typeof ph?.fallbackReason === 'string') throw new Error(`fell back to the CPU: ${ph.fallbackReason}`);
        if (k === 0 && m.wall >= SLOW_S) {
          // minutes-long runs: warming the page cache is noise at this scale, and repeating them
          // RUNS times would take hours; the warm-up is a sample and the runner gets fewer runs
          record(w, r, res, m);
          res.warmupCounted = true;
          planned.set(r.id, Math.max(1, Math.min(RUNS, Math.floor(BUDGET_S / m.wall))));
        }
      } catch (e) {
        fail(r, res, e);
        continue;
      }
      if (k !== 0 || !spec.output) continue;
      if (r === reference) {
        refOutput = spec.output;
        keep.push(spec.output);
        res.check = { reference: true };
        continue;
      }
      const against = r.checkAgainst === 'cpu' && cpuOutput ? cpuOutput : refOutput;
      if (against) {
        res.check = await check(against, spec.output, against === cpuOutput ? 'the CPU engine (rasterburn-lib)' : reference.id);
        log(`${w.id} ${r.id} check against ${res.check.against}: ${res.check.mismatches === 0 ? 'identical' : `${res.check.mismatches ?? 'shape differs'} ${res.check.unit ?? 'pixels'} differ`}`);
      }
      // the CPU engine's array is what the GPU and Chromium runners are compared with
      if (r.id === 'rasterburn-lib') {
        cpuOutput = spec.output;
        keep.push(spec.output);
      } else {
        rmSync(spec.output, { force: true });
      }
    }
  }

  // timed runs, round robin so that a change in the machine's load hits every runner alike; each round
  // starts one runner later, so that no runner always follows the same one (on this VM a process started
  // right after one that freed ~1 GB pays for re-faulting that memory: up to +0.5 s of system time)
  for (let k = 0; k < RUNS; k++) {
    for (const r of [...runners.slice(k % runners.length), ...runners.slice(0, k % runners.length)]) {
      const res = results.get(r.id)!;
      if (res.error || res.samples.length >= planned.get(r.id)!) continue;
      const spec = r.command(w, p, outDir, false);
      if (spec.output) rmSync(spec.output, { force: true });
      try {
        const m = await measure(spec.cmd, spec.args, limit(r), spec.env);
        record(w, r, res, m);
        log(`${w.id} ${r.id} run ${res.samples.length}/${planned.get(r.id)}: ${res.samples[res.samples.length - 1].toFixed(2)} s${w.kind === 'jobs' ? ' loop' : ''}, ${m.wall.toFixed(2)} s wall, ${m.cpu?.toFixed(2) ?? '?'} s CPU, ${m.rssMiB?.toFixed(0) ?? '?'} MiB`);
      } catch (e) {
        fail(r, res, e);
      }
      if (spec.output) rmSync(spec.output, { force: true });
    }
  }

  // one more library run that times rasterize()'s two halves separately
  let breakdown: Record<string, number> | null = null;
  if (SPLIT && w.kind === 'single' && runners.some((r) => r.id === 'rasterburn-lib') && !results.get('rasterburn-lib')!.error) {
    try {
      const m = await measure(process.execPath, [LIB_RUNNER, JSON.stringify(libSpec(w, p, { split: true }))], TIMEOUT);
      const ph = parsePhases(m.stdout);
      if (ph) breakdown = Object.fromEntries(Object.entries(ph).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    } catch (e) {
      log(`${w.id} rasterburn-lib breakdown FAILED: ${(e as Error).message}`);
    }
  }

  // the Chromium runners, in one browser, checked against the CPU engine's array (W5: GDAL's jobs)
  const out: RunnerResult[] = runners.map((r) => results.get(r.id)!);
  let chromiumInfo: WorkloadResult['chromium'] = null;
  const browserIds = BROWSER_RUNNERS.filter((b) => b.kinds.includes(w.kind) && runnerIds.includes(b.id) && !w.runners && !SKIP.has(`${w.id}:${b.id}`)).map((b) => b.id);
  const skippedBrowser = BROWSER_RUNNERS.filter((b) => b.kinds.includes(w.kind) && runnerIds.includes(b.id) && SKIP.has(`${w.id}:${b.id}`));
  if (browserIds.length) {
    bundle ??= freshBundle();
    const refPath = w.kind === 'jobs' ? refOutput : cpuOutput ?? refOutput;
    const refWhat = w.kind === 'jobs' ? `${reference.id}'s job rasters` : cpuOutput ? 'the CPU engine (rasterburn-lib)' : reference.id;
    // gdal_rasterize's GTiff is not a plain array: without the CPU engine's .npy there is nothing to hash
    const usable = refPath && refPath.endsWith('.npy') ? { path: refPath, what: refWhat } : null;
    try {
      const suite = await runChromiumSuite(w, p, { runs: RUNS, slowS: SLOW_S, budgetS: BUDGET_S, timeoutS: TIMEOUT, runners: browserIds, bundleDir: bundle.dir, reference: usable, log });
      out.push(...suite.results);
      chromiumInfo = suite.info;
    } catch (e) {
      log(`${w.id} chromium suite FAILED: ${(e as Error).stack ?? e}`);
      for (const id of browserIds) out.push({ runner: id, description: BROWSER_RUNNERS.find((b) => b.id === id)!.description, samples: [], wall: [], cpu: [], rssMiB: [], phases: {}, check: null, error: `the Chromium suite failed: ${(e as Error).message.split('\n')[0]}`, inPage: true });
    }
  }
  for (const b of skippedBrowser) out.push({ runner: b.id, description: b.description, samples: [], wall: [], cpu: [], rssMiB: [], phases: {}, check: null, error: 'skipped (SKIP: time budget)', inPage: true });
  for (const f of keep) rmSync(f, { force: true });

  const ref = results.get(reference.id)!;
  const refMedian = ref.samples.length ? median(ref.samples) : null;
  const jobs = w.kind === 'jobs' ? w.jobs : undefined;
  const pixels = w.width * w.height * (jobs ?? 1);
  for (const res of out) {
    if (!res.samples.length) continue;
    res.median = median(res.samples);
    res.best = Math.min(...res.samples);
    res.medianWall = res.wall.length ? median(res.wall) : null;
    res.medianCpu = res.cpu.length ? median(res.cpu) : null;
    res.peakRssMiB = res.rssMiB.length ? Math.max(...res.rssMiB) : null;
    res.speedup = refMedian !== null ? refMedian / res.median : null;
    res.mpixPerS = pixels / 1e6 / res.median;
    res.featuresPerS = p.features / res.median;
    if (jobs) res.jobsPerS = jobs / res.median;
    res.medianPhases = Object.fromEntries(Object.entries(res.phases).map(([k, v]) => [k, median(v)]));
  }
  for (const res of out) if (!res.peakRssMiB && res.rssMiB.length) res.peakRssMiB = Math.max(...res.rssMiB);
  return {
    id: w.id, kind: w.kind, title: w.title, width: w.width, height: w.height, gdalType: w.gdalType, features: p.features,
    vertices: p.vertices, bytes: p.bytes, file: p.path, reference: reference.id, jobs, runners: out, libBreakdown: breakdown, chromium: chromiumInfo,
  };
}

async function main(): Promise<void> {
  const unknownW = workloadIds.filter((id) => !WORKLOADS[id]);
  if (unknownW.length) throw new Error(`unknown workload ${unknownW.join(', ')}: choose from ${Object.keys(WORKLOADS).join(', ')}`);
  const unknownR = runnerIds.filter((id) => !allIds.includes(id));
  if (unknownR.length) throw new Error(`unknown runner ${unknownR.join(', ')}: choose from ${allIds.join(', ')}`);
  const runners = RUNNERS.filter((r) => r.reference || runnerIds.includes(r.id));
  mkdirSync(cacheDir, { recursive: true });

  const m = await machine();
  log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}, ${m.gdal}; load ${m.loadavgStart.join(' ')}`);
  if (!HAVE_GNU_TIME) log('note: /usr/bin/time not found (Debian package `time`): no CPU time or peak RSS');
  log(`runs: ${WARMUP} warm-up + ${RUNS} timed per runner; slow over ${SLOW_S} s (budget ${BUDGET_S} s), timeout ${TIMEOUT} s; cache ${cacheDir}`);

  const started = new Date();
  const results: BenchResults = {
    date: started.toISOString(), machine: m,
    config: { runs: RUNS, warmup: WARMUP, slowS: SLOW_S, budgetS: BUDGET_S, timeoutS: TIMEOUT, refTimeoutS: REF_TIMEOUT, skip: [...SKIP], workloads: workloadIds, runners: [...runners.map((r) => r.id), ...BROWSER_RUNNERS.filter((b) => runnerIds.includes(b.id)).map((b) => b.id)] },
    build: { ...gitState(), distStart: distFingerprint() },
    workloads: [],
  };
  try {
    for (const id of workloadIds) {
      const w = WORKLOADS[id]();
      results.workloads.push(await benchWorkload(w, runners));
      const fp = distFingerprint();
      if (fp !== results.build!.distStart) log(`note: dist/ changed during the run (fingerprint ${results.build!.distStart} -> ${fp}) after ${id}`);
    }
  } finally {
    if (bundle) {
      results.build!.bundle = fnv1a(readFileSync(join(bundle.dir, 'rasterburn.js')));
      bundle.cleanup();
    }
  }
  results.build!.distEnd = distFingerprint();
  m.loadavgEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  results.seconds = Math.round((Date.now() - started.getTime()) / 1000);
  results.goals = evaluateGoals(results);

  const md = toMarkdown(results);
  process.stdout.write(`${md}\n`);
  mkdirSync(resultsDir, { recursive: true });
  // a partial run (some workloads or runners) does not overwrite the day's full results
  const full = workloadIds.join(',') === DEFAULT_WORKLOADS && !env.RUNNERS;
  const partial = full ? '' : `-${workloadIds.join('+')}${env.RUNNERS ? '-partial' : ''}`;
  const base = join(resultsDir, `${started.toISOString().slice(0, 10)}${partial}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${md}\n`);
  writeFileSync(`${base}.svg`, toSvg(results));
  log(`wrote ${base}.json, ${base}.md and ${base}.svg in ${results.seconds} s`);
  process.stderr.write(`\nPerformance goals:\n${goalsText(results.goals)}\n`);
}

// `npm run bench -- --sweep [--quick] [--jobs ...]`: the job-size sweep (bench/sweep.ts) instead of the workloads above
const entry = process.argv.includes('--sweep') ? async () => (await import('./sweep.js')).runSweep(process.argv.slice(2)) : main;
entry().catch((e: unknown) => {
  log(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
