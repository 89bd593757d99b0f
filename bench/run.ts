#!/usr/bin/env node
// `npm run bench`: rasterburn against gdal_rasterize and GDAL's in-memory route, whole process,
// "GeoJSON file in, array out", on seeded or derived workloads, in one run on this machine.
//
// Environment:
//   RUNS=5            timed runs per runner (median reported)
//   WARMUP=1          untimed runs first; the first one's output is the one checked pixel for pixel
//   WORKLOADS=W1,C1   which workloads (see bench/workloads.ts; W1s is a seconds-long smoke test)
//   RUNNERS=...       which runners (see bench/runners.ts); gdal_rasterize always runs as the reference
//   BENCH_CACHE=dir   where workloads and outputs go (default: $TMPDIR/rasterburn-bench)
//   BENCH_RESULTS=dir where <date>.json and <date>.md go (default: bench/results)
//   BENCH_TIMEOUT=s   per-process limit (default 1800)
//   BENCH_SLOW_S=60   a runner whose warm-up takes longer (GDAL on C1: minutes) counts that run as a
//                     timed sample and runs again only while its total stays under BENCH_BUDGET_S=600
import { cpus, freemem, loadavg, totalmem, tmpdir, release } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_GNU_TIME, measure, median, probe, type Measurement } from './measure.js';
import { COMPARE, LIB_RUNNER, PYTHON, RUNNERS, libSpec, type Runner } from './runners.js';
import { WORKLOADS, type PreparedWorkload, type Workload } from './workloads.js';
import { toMarkdown, type BenchResults, type RunnerResult, type Machine, type CheckResult } from './report.js';

const env = process.env;
const RUNS = positiveInt('RUNS', 5);
const WARMUP = Math.max(1, positiveInt('WARMUP', 1));
const TIMEOUT = positiveInt('BENCH_TIMEOUT', 1800);
const SLOW_S = positiveInt('BENCH_SLOW_S', 60);
const BUDGET_S = positiveInt('BENCH_BUDGET_S', 600);
const DEFAULT_WORKLOADS = 'W1,C1';
const workloadIds = (env.WORKLOADS ?? DEFAULT_WORKLOADS).split(',').map((s) => s.trim()).filter(Boolean);
const runnerIds = env.RUNNERS ? env.RUNNERS.split(',').map((s) => s.trim()).filter(Boolean) : RUNNERS.map((r) => r.id);
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

const log = (s: string): void => { process.stderr.write(`${s}\n`); };

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
  return {
    cpu, cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), freeGiB: Math.round(freemem() / 2 ** 30),
    os: `${process.platform} ${release()}`, node: process.version, gdal: gdal ?? 'not found', pythonGdal: pyGdal ?? 'not found',
    loadavgStart: loadavg().map((x) => Math.round(x * 100) / 100), loadavgEnd: [], gnuTime: HAVE_GNU_TIME,
  };
}

async function check(ref: string, candidate: string): Promise<CheckResult> {
  const m = await measure(PYTHON, [COMPARE, ref, candidate], TIMEOUT);
  const c = JSON.parse(m.stdout.trim()) as CheckResult;
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

function record(r: Runner, res: RunnerResult, m: Measurement): void {
  res.wall.push(m.wall);
  if (m.cpu !== null) res.cpu.push(m.cpu);
  if (m.rssMiB !== null) res.rssMiB.push(m.rssMiB);
  const ph = r.phases ? parsePhases(m.stdout) : null;
  if (ph) for (const name of r.phases!) if (typeof ph[name] === 'number') (res.phases[name] ??= []).push(ph[name] as number);
}

async function benchWorkload(w: Workload, runners: Runner[]): Promise<BenchResults['workloads'][number]> {
  const t0 = performance.now();
  const p: PreparedWorkload = await w.prepare(cacheDir);
  log(`${w.id}: ${p.path} (${(p.bytes / 2 ** 20).toFixed(1)} MiB, ${p.features} features, ${p.vertices} vertices) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const outDir = join(cacheDir, 'out');
  mkdirSync(outDir, { recursive: true });

  const results = new Map<string, RunnerResult>();
  for (const r of runners) results.set(r.id, { runner: r.id, description: r.description, wall: [], cpu: [], rssMiB: [], phases: {}, check: null, error: null });
  const planned = new Map<string, number>(runners.map((r) => [r.id, RUNS]));

  // warm-up: the first run of each runner writes the output that is checked against the reference's
  let refOutput: string | undefined;
  for (let k = 0; k < WARMUP; k++) {
    for (const r of runners) {
      const res = results.get(r.id)!;
      if (res.error || res.warmupCounted) continue;
      const spec = r.command(w, p, outDir, k === 0);
      if (spec.output) rmSync(spec.output, { force: true });
      try {
        const m = await measure(spec.cmd, spec.args, TIMEOUT);
        log(`${w.id} ${r.id} warm-up ${k + 1}: ${m.wall.toFixed(2)} s`);
        if (k === 0 && m.wall >= SLOW_S) {
          // minutes-long runs: warming the page cache is noise at this scale, and repeating them
          // RUNS times would take hours; the warm-up is a sample and the runner gets fewer runs
          record(r, res, m);
          res.warmupCounted = true;
          planned.set(r.id, Math.max(1, Math.min(RUNS, Math.floor(BUDGET_S / m.wall))));
        }
      } catch (e) {
        res.error = (e as Error).message;
        log(`${w.id} ${r.id} FAILED: ${res.error}`);
        continue;
      }
      if (k !== 0) continue;
      if (r.reference) {
        refOutput = spec.output;
        res.check = { reference: true };
      } else if (refOutput && spec.output) {
        res.check = await check(refOutput, spec.output);
        log(`${w.id} ${r.id} check: ${res.check.mismatches === 0 ? 'identical' : `${res.check.mismatches ?? 'shape differs'} pixels differ`}`);
        rmSync(spec.output, { force: true });
      }
    }
  }
  if (refOutput) rmSync(refOutput, { force: true });

  // timed runs, round robin so that a change in the machine's load hits every runner alike
  for (let k = 0; k < RUNS; k++) {
    for (const r of runners) {
      const res = results.get(r.id)!;
      if (res.error || res.wall.length >= planned.get(r.id)!) continue;
      const spec = r.command(w, p, outDir, false);
      if (spec.output) rmSync(spec.output, { force: true });
      try {
        const m = await measure(spec.cmd, spec.args, TIMEOUT);
        record(r, res, m);
        log(`${w.id} ${r.id} run ${res.wall.length}/${planned.get(r.id)}: ${m.wall.toFixed(2)} s wall, ${m.cpu?.toFixed(2) ?? '?'} s CPU, ${m.rssMiB?.toFixed(0) ?? '?'} MiB`);
      } catch (e) {
        res.error = (e as Error).message;
        log(`${w.id} ${r.id} FAILED: ${res.error}`);
      }
      if (spec.output) rmSync(spec.output, { force: true });
    }
  }

  // one more library run that times rasterize()'s two halves separately
  let breakdown: Record<string, number> | null = null;
  if (runners.some((r) => r.id === 'rasterburn-lib') && !results.get('rasterburn-lib')!.error) {
    try {
      const m = await measure(process.execPath, [LIB_RUNNER, JSON.stringify(libSpec(w, p, { split: true }))], TIMEOUT);
      const ph = parsePhases(m.stdout);
      if (ph) breakdown = Object.fromEntries(Object.entries(ph).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    } catch (e) {
      log(`${w.id} rasterburn-lib breakdown FAILED: ${(e as Error).message}`);
    }
  }

  const ref = results.get('gdal_rasterize')!;
  const refMedian = ref.wall.length ? median(ref.wall) : null;
  const pixels = w.width * w.height;
  const out: RunnerResult[] = [];
  for (const r of runners) {
    const res = results.get(r.id)!;
    if (res.wall.length) {
      res.median = median(res.wall);
      res.medianCpu = res.cpu.length ? median(res.cpu) : null;
      res.peakRssMiB = res.rssMiB.length ? Math.max(...res.rssMiB) : null;
      res.speedup = refMedian !== null ? refMedian / res.median : null;
      res.mpixPerS = pixels / 1e6 / res.median;
      res.featuresPerS = p.features / res.median;
      res.medianPhases = Object.fromEntries(Object.entries(res.phases).map(([k, v]) => [k, median(v)]));
    }
    out.push(res);
  }
  return {
    id: w.id, title: w.title, width: w.width, height: w.height, gdalType: w.gdalType, features: p.features,
    vertices: p.vertices, bytes: p.bytes, file: p.path, runners: out, libBreakdown: breakdown,
  };
}

async function main(): Promise<void> {
  const unknownW = workloadIds.filter((id) => !WORKLOADS[id]);
  if (unknownW.length) throw new Error(`unknown workload ${unknownW.join(', ')}: choose from ${Object.keys(WORKLOADS).join(', ')}`);
  const unknownR = runnerIds.filter((id) => !RUNNERS.some((r) => r.id === id));
  if (unknownR.length) throw new Error(`unknown runner ${unknownR.join(', ')}: choose from ${RUNNERS.map((r) => r.id).join(', ')}`);
  const runners = RUNNERS.filter((r) => r.reference || runnerIds.includes(r.id));
  mkdirSync(cacheDir, { recursive: true });

  const m = await machine();
  log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}, ${m.gdal}; load ${m.loadavgStart.join(' ')}`);
  if (!HAVE_GNU_TIME) log('note: /usr/bin/time not found (Debian package `time`): no CPU time or peak RSS');
  log(`runs: ${WARMUP} warm-up + ${RUNS} timed per runner; cache ${cacheDir}`);

  const started = new Date();
  const results: BenchResults = {
    date: started.toISOString(), machine: m, config: { runs: RUNS, warmup: WARMUP, slowS: SLOW_S, budgetS: BUDGET_S, workloads: workloadIds, runners: runners.map((r) => r.id) },
    workloads: [],
  };
  for (const id of workloadIds) results.workloads.push(await benchWorkload(WORKLOADS[id](), runners));
  m.loadavgEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  results.seconds = Math.round((Date.now() - started.getTime()) / 1000);

  const md = toMarkdown(results);
  process.stdout.write(`${md}\n`);
  mkdirSync(resultsDir, { recursive: true });
  // a partial run (some workloads or runners) does not overwrite the day's full results
  const full = workloadIds.join(',') === DEFAULT_WORKLOADS && !env.RUNNERS;
  const partial = full ? '' : `-${workloadIds.join('+')}${env.RUNNERS ? '-partial' : ''}`;
  const base = join(resultsDir, `${started.toISOString().slice(0, 10)}${partial}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${md}\n`);
  log(`wrote ${base}.json and ${base}.md`);
}

main().catch((e: unknown) => {
  log(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
