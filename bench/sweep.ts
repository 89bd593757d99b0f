// `npm run bench -- --sweep [--quick] [--jobs B1k,US]`: the job-size sweep. Seeded buildings and lines
// from 1,000 features onto 1,000^2 up to W1, W3 (W1 with -at) and W4, the US counties, the 300,000-vertex
// polygon with holes, R1 (the countries of Europe) and W2 (the million-vertex polygon onto 20,000^2): every
// goal of the size sweep in one run. On each, four runners: gdal_rasterize and the rasterburn CLI as whole
// processes, GDAL's MEM route (python3: RasterizeLayer + ReadAsArray, layer already open) and rasterize()
// in one process, timed inside. Medians of RUNS (5; SWEEP_BIG_ROUNDS, 3, where a round of the runners
// still to run took over SWEEP_BIG_ROUND_S, 8 s), the order of the runners rotated every round, peak RSS
// of every process, every output compared pixel for pixel with gdal_rasterize's. GDAL's runners only are
// stopped at a cap (SWEEP_GDAL_CAP_S, 120 s; the MEM route SWEEP_MEM_CAP_S, 60 s): a stopped run is a
// lower bound, recorded once and marked in the report ("> 120 s", ratio ">= 30x"); a GDAL run over
// SWEEP_SLOW_S (20 s) is its own one timed sample. SWEEP_GDAL_CACHED=file.json reuses GDAL timings of
// an earlier run, named in the report. A slow job's gdal_rasterize output is kept in the cache for the
// pixel check of a later run that stops GDAL at its cap. A job whose CLI misses its goal gets one profiled run (SWEEP_PROFILE=0: none). Also
// start-up: spawn to the source's first byte read, against `node -e 0`. Writes
// <date>-sweep[-quick].{json,md,svg} to bench/results (BENCH_RESULTS) through bench/sweep-report.ts.
//
// --quick: five jobs (two small, the two issue jobs, the polygon with holes), a few minutes.
// --jobs (or SWEEP_JOBS=): these jobs only, by id.
import { loadavg, tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, measureCapped, median } from './measure.js';
import { profileCli } from './sweep-profile.js';
import { CLI, COMPARE, PYTHON, RUNNERS, type Runner } from './runners.js';
import { buildingsWorkload, countiesWorkload, countriesWorkload, holesWorkload, linesWorkload, rasterizeArgs, type Workload } from './workloads.js';
import { sweepMarkdown, sweepSvg, type SweepJobResult, type SweepResults, type SweepRunner, type StartupResult } from './sweep-report.js';

interface SweepJob {
  make: () => Workload;
  quick: boolean;
  /** the whole-process ratio this job must reach (the issue's goals) */
  goal: number;
}

/** The jobs, smallest grid first. */
export const SWEEP: SweepJob[] = [
  { make: () => buildingsWorkload({ id: 'B1k', count: 1_000, size: 1_000 }), quick: true, goal: 2 },
  { make: () => linesWorkload({ id: 'L1k', count: 1_000, size: 1_000 }), quick: true, goal: 2 },
  { make: () => buildingsWorkload({ id: 'B5k', count: 5_000, size: 2_000 }), quick: false, goal: 2 },
  { make: () => linesWorkload({ id: 'L5k', count: 5_000, size: 4_000 }), quick: false, goal: 2 },
  { make: () => countiesWorkload({ id: 'US', fips: true }), quick: true, goal: 2 },
  { make: () => buildingsWorkload({ id: 'B20k', count: 20_000, size: 4_000 }), quick: true, goal: 2 },
  { make: () => holesWorkload({ id: 'H300k', size: 8_000, outerVertices: 200_000, holesPerSide: 20, holeVertices: 250 }), quick: true, goal: 20 },
  { make: () => buildingsWorkload({ id: 'B50k', count: 50_000, size: 7_000 }), quick: false, goal: 2 },
  { make: () => linesWorkload({ id: 'W4' }), quick: false, goal: 2 },
  { make: () => buildingsWorkload({ id: 'W1' }), quick: false, goal: 2 },
  { make: () => buildingsWorkload({ id: 'W3', allTouched: true }), quick: false, goal: 2 },
  { make: () => countriesWorkload({ id: 'R1', te: [-25, 34, 45, 72], tr: [0.01, 0.01], where: 'Europe' }), quick: false, goal: 20 },
  { make: () => holesWorkload({ id: 'W2' }), quick: false, goal: 20 },
];

/**
 * The jobs a command line asks for: `--jobs B1k,US` (or SWEEP_JOBS=B1k,US) by id, else all of them
 * (--quick: the quick ones). An unknown id is an error that lists the known ones.
 */
export function pickJobs(argv: string[], envJobs: string | undefined): SweepJob[] {
  const at = argv.findIndex((a) => a === '--jobs' || a.startsWith('--jobs='));
  const spec = at < 0 ? envJobs : argv[at].startsWith('--jobs=') ? argv[at].slice('--jobs='.length) : argv[at + 1];
  if (at >= 0 && (spec === undefined || spec.startsWith('--'))) throw new Error('--jobs needs a list of job ids, e.g. --jobs B1k,US');
  const ids = SWEEP.map((j) => j.make().id);
  const only = spec?.split(',').map((x) => x.trim()).filter(Boolean);
  if (!only?.length) return SWEEP.filter((j) => !argv.includes('--quick') || j.quick);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length) throw new Error(`unknown sweep job${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: choose from ${ids.join(', ')}`);
  return SWEEP.filter((j) => only.includes(j.make().id));
}

const RUNNER_IDS = ['gdal_rasterize', 'rasterburn-cli-tif', 'gdal-mem-python', 'rasterburn-lib'] as const;
/** the in-process time of each in-process runner: GDAL's create + rasterize + read, our rasterize() */
const INNER: Record<string, string[]> = { 'gdal-mem-python': ['create', 'rasterize', 'read'], 'rasterburn-lib': ['rasterize'] };
const HOOK = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bench', 'first-read-hook.mjs');

const log = (s: string): void => { process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`); };

function positiveInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
}

function nonNegative(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of seconds (0 or more), got '${v}'`);
  return n;
}

function phases(stdout: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function compare(ref: string, candidate: string): Promise<number | null> {
  const m = await measure(PYTHON, [COMPARE, ref, candidate], 600);
  return (JSON.parse(m.stdout.trim()) as { mismatches: number | null }).mismatches;
}

/**
 * How long GDAL may take, and how many rounds a big job gets: the whole sweep fits in about 15 minutes
 * on a quiet machine (bench/results/2026-12-06-sweep-plan.md has the estimate). Only GDAL's runners are
 * ever stopped; ours always run to the end.
 */
export interface SweepLimits {
  /** gdal_rasterize is stopped after this many seconds (SWEEP_GDAL_CAP_S, 0: never): its time is then a lower bound */
  gdalCapS: number;
  /** GDAL's MEM route likewise (SWEEP_MEM_CAP_S): its goal is 3x, not 20x, so a shorter cap still tells */
  memCapS: number;
  /** a GDAL runner whose checked run took longer (SWEEP_SLOW_S) runs no more: that run is its one timed sample */
  slowS: number;
  /** a job whose remaining runners took longer than this in their checked runs (SWEEP_BIG_ROUND_S)... */
  bigRoundS: number;
  /** ...gets this many timed rounds (SWEEP_BIG_ROUNDS) instead of RUNS */
  bigRounds: number;
}

export function sweepLimits(): SweepLimits {
  return {
    gdalCapS: nonNegative('SWEEP_GDAL_CAP_S', 120), memCapS: nonNegative('SWEEP_MEM_CAP_S', 60),
    slowS: nonNegative('SWEEP_SLOW_S', 20), bigRoundS: nonNegative('SWEEP_BIG_ROUND_S', 8), bigRounds: positiveInt('SWEEP_BIG_ROUNDS', 3),
  };
}

/**
 * Timings of GDAL's runners from an earlier run (SWEEP_GDAL_CACHED=file.json), reused instead of running
 * them again, dated and attributed in the report:
 * { "date": "2026-12-06", "machine": "...", "jobs": { "R1": { "gdal_rasterize": { "wall": [..], "cpu": [..], "rssMiB": [..], "inner": [] } } } }
 */
export interface CachedTimings {
  date: string;
  machine: string;
  jobs: Record<string, Record<string, { wall: number[]; cpu?: number[]; rssMiB?: number[]; inner?: number[]; cappedS?: number }>>;
}

export function loadCachedTimings(path: string | undefined): (CachedTimings & { from: string }) | null {
  if (!path) return null;
  const c = JSON.parse(readFileSync(path, 'utf8')) as CachedTimings;
  if (typeof c.date !== 'string' || typeof c.machine !== 'string' || typeof c.jobs !== 'object' || c.jobs === null) {
    throw new Error(`${path}: cached GDAL timings need "date", "machine" and "jobs" ({ job: { runner: { wall: [...] } } })`);
  }
  for (const [job, byRunner] of Object.entries(c.jobs)) {
    for (const [runner, t] of Object.entries(byRunner)) {
      if (!GDAL_RUNNERS.has(runner)) throw new Error(`${path}: ${job}: only GDAL's runners (${[...GDAL_RUNNERS].join(', ')}) may be cached, not ${runner}`);
      if (!Array.isArray(t.wall) || !t.wall.length || !t.wall.every((x) => Number.isFinite(x) && x > 0)) throw new Error(`${path}: ${job} ${runner}: "wall" must be a non-empty list of seconds`);
    }
  }
  return { ...c, from: basename(path) };
}

/** GDAL's runners: the only ones a cap may stop or a cached timing may stand for */
const GDAL_RUNNERS = new Set(['gdal_rasterize', 'gdal-mem-python']);

/** gdal_rasterize's output of a slow job, kept for the pixel check of a later run that stops GDAL at its cap */
function referencePath(cacheDir: string, w: Workload, src: string): string {
  const st = statSync(src);
  const key = createHash('sha1').update(JSON.stringify({ args: rasterizeArgs(w), src, bytes: st.size, mtime: st.mtimeMs })).digest('hex').slice(0, 12);
  return join(cacheDir, 'sweep-ref', `${w.id}-${key}.tif`);
}

/** the lower bound of the MEM route's timed steps in a run stopped at capS: from their start to the stop */
function innerLowerBound(stderr: string, endedAt: number, wall: number, capS: number): number | null {
  const at = /\{"innerStartedAtMs": ([\d.]+)\}/.exec(stderr);
  if (!at) return null;
  const stoppedAt = endedAt - (wall - capS) * 1000;
  return Math.max(0, (stoppedAt - Number(at[1])) / 1000);
}

async function sweepJob(job: SweepJob, runs: number, cacheDir: string, lim: SweepLimits, cached: (CachedTimings & { from: string }) | null): Promise<SweepJobResult> {
  const w = job.make();
  const p = await w.prepare(cacheDir);
  log(`${w.id}: ${p.features} features, ${p.vertices} vertices, ${(p.bytes / 2 ** 20).toFixed(1)} MiB onto ${w.width} x ${w.height}`);
  const outDir = join(cacheDir, 'sweep-out');
  mkdirSync(outDir, { recursive: true });
  const runners = RUNNER_IDS.map((id) => RUNNERS.find((r) => r.id === id)!);
  const res = new Map<string, SweepRunner>(runners.map((r) => [r.id, { runner: r.id, wall: [], cpu: [], inner: [], rssMiB: [], mismatches: null }]));
  // runners that run no more in this job: stopped at the cap, slow (one sample), or cached
  const done = new Set<string>();
  const checkWall = new Map<string, number>();
  for (const [runner, t] of Object.entries(cached?.jobs[w.id] ?? {})) {
    res.set(runner, {
      runner, wall: t.wall, cpu: t.cpu ?? [], inner: t.inner ?? [], rssMiB: t.rssMiB ?? [], mismatches: null,
      ...(t.cappedS ? { cappedS: t.cappedS } : {}), cached: { date: cached!.date, machine: cached!.machine, from: cached!.from },
    });
    done.add(runner);
  }

  const once = async (r: Runner, check: boolean): Promise<{ output?: string; capped: boolean }> => {
    const spec = r.command(w, p, outDir, check);
    if (spec.output) rmSync(spec.output, { force: true });
    const cap = r.id === 'gdal_rasterize' ? lim.gdalCapS : r.id === 'gdal-mem-python' ? lim.memCapS : 0;
    const m = await measureCapped(spec.cmd, spec.args, cap, spec.env);
    const rr = res.get(r.id)!;
    if (check) checkWall.set(r.id, m.wall);
    // a GDAL run stopped at its cap is a lower bound, the same every time: it is recorded once, not repeated;
    // a slow GDAL run's checked run is its one timed sample
    const last = m.capped || (GDAL_RUNNERS.has(r.id) && check && m.wall > lim.slowS);
    if (!check || last) {
      rr.wall.push(m.wall);
      if (m.cpu !== null) rr.cpu.push(m.cpu);
      if (m.rssMiB !== null) rr.rssMiB.push(m.rssMiB);
      const names = INNER[r.id];
      if (m.capped) {
        rr.cappedS = cap;
        const lb = names ? innerLowerBound(m.stderr, m.endedAt, m.wall, cap) : null;
        if (lb !== null) rr.inner.push(lb);
        log(`${w.id}: ${r.id} stopped at its ${cap} s cap: its time is a lower bound`);
      } else if (names) {
        const ph = phases(m.stdout);
        const parts = names.map((n) => ph[n]);
        if (parts.every((v) => typeof v === 'number')) rr.inner.push((parts as number[]).reduce((a, b) => a + b, 0));
      }
      if (last) done.add(r.id);
    }
    if (m.capped) return { capped: true };
    if (!check && spec.output) rmSync(spec.output, { force: true });
    return { output: spec.output, capped: false };
  };

  // warm-up: every runner once, its output checked against gdal_rasterize's (which runs first); where GDAL
  // is stopped at its cap or cached, against its output of an earlier complete run of the same job, if kept
  const keep = referencePath(cacheDir, w, p.referencePath ?? p.path);
  let ref: string | undefined;
  let reference: SweepJobResult['reference'] = 'none';
  const gdal = res.get('gdal_rasterize')!;
  if (!done.has('gdal_rasterize')) {
    const g = await once(runners[0], true);
    if (!g.capped && g.output) {
      ref = g.output;
      reference = 'this run';
      gdal.mismatches = 0;
      if ((checkWall.get('gdal_rasterize') ?? 0) > lim.slowS) {
        mkdirSync(dirname(keep), { recursive: true });
        copyFileSync(g.output, keep);
      }
    }
  }
  if (!ref && existsSync(keep)) {
    ref = keep;
    reference = 'kept';
    log(`${w.id}: pixels checked against gdal_rasterize's output of an earlier complete run (${keep})`);
  }
  // gdal_rasterize's output is the reference: its own, or a kept one of the same job
  if (ref) gdal.mismatches = 0;
  else gdal.unchecked = gdal.cached ? 'cached timing, no kept output' : 'stopped at its cap, no kept output';
  for (const r of runners.slice(1)) {
    if (done.has(r.id)) {
      res.get(r.id)!.unchecked = 'cached timing';
      continue;
    }
    const o = await once(r, true);
    const rr = res.get(r.id)!;
    if (o.capped) rr.unchecked = 'stopped at its cap';
    else if (!ref) rr.unchecked = "no reference: gdal_rasterize stopped at its cap and no complete run's output is kept";
    else if (o.output) rr.mismatches = await compare(ref, o.output);
    if (o.output) rmSync(o.output, { force: true });
  }
  if (ref && reference === 'this run') rmSync(ref, { force: true });

  // timed rounds, each starting one runner later; fewer on a job whose remaining runners are slow
  const left = runners.filter((r) => !done.has(r.id));
  const roundS = left.reduce((a, r) => a + (checkWall.get(r.id) ?? 0), 0);
  const rounds = Math.min(runs, roundS > lim.bigRoundS ? lim.bigRounds : runs);
  for (let k = 0; k < rounds; k++) {
    const order = [...runners.slice(k % runners.length), ...runners.slice(0, k % runners.length)];
    for (const r of order) if (!done.has(r.id)) await once(r, false);
  }
  const out: SweepJobResult = {
    id: w.id, title: w.title, features: p.features, vertices: p.vertices, bytes: p.bytes, pixels: w.width * w.height, goal: job.goal,
    args: rasterizeArgs(w), runners: [...res.values()], rounds, reference,
  };
  // a job that misses its goal gets a profile of one CLI run in the report: what stands in the way
  const cliRatio = median(gdal.wall) / median(res.get('rasterburn-cli-tif')!.wall);
  if (!(cliRatio >= job.goal) && process.env.SWEEP_PROFILE !== '0') {
    try {
      out.profile = await profileCli(w.id, rasterizeArgs(w), p.path, cacheDir);
    } catch (e) {
      log(`${w.id}: no profile: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const summary = out.runners.map((r) => `${r.runner} ${r.cappedS ? '>' : ''}${median(r.wall).toFixed(2)} s${r.inner.length ? ` (inner ${r.cappedS ? '>' : ''}${median(r.inner).toFixed(3)})` : ''} ${Math.max(...r.rssMiB).toFixed(0)} MiB ${r.mismatches === 0 ? 'identical' : r.unchecked ? `unchecked (${r.unchecked})` : `${r.mismatches} differ`}`);
  log(`${w.id}: ${rounds} rounds; ${summary.join('; ')}`);
  return out;
}

/** Spawn to the first byte of the source read (the CLI on `src`) against spawn to `node -e`'s first line. */
export async function startup(runs: number, src: string, args: string[], outDir: string): Promise<StartupResult> {
  // [wall ms from spawn, CPU ms of the process] at the mark
  const mark = async (argv: string[], env: Record<string, string>): Promise<[number, number]> => {
    const t0 = performance.timeOrigin + performance.now();
    const m = await measure(process.execPath, ['--import', HOOK, ...argv], 600, env);
    const line = /first-read (\S+) (\S+)/.exec(m.stderr);
    if (!line) throw new Error(`no first-read mark from ${argv.join(' ')}: ${m.stderr.slice(0, 200)}`);
    return [Number(line[1]) - t0, Number(line[2])];
  };
  const node: [number, number][] = [], cli: [number, number][] = [];
  const out = join(outDir, 'startup.tif');
  for (let k = 0; k < runs; k++) {
    const a = async () => node.push(await mark(['-e', 'globalThis.__rbMark()'], {}));
    const b = async () => { cli.push(await mark([CLI, ...args, src, out], { RB_FIRST_READ: src })); rmSync(out, { force: true }); };
    if (k % 2) { await a(); await b(); } else { await b(); await a(); }
  }
  return {
    nodeMs: median(node.map((x) => x[0])), cliMs: median(cli.map((x) => x[0])),
    nodeCpuMs: median(node.map((x) => x[1])), cliCpuMs: median(cli.map((x) => x[1])), runs,
  };
}

export async function runSweep(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const runs = positiveInt('RUNS', 5);
  const cacheDir = process.env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
  const resultsDir = process.env.BENCH_RESULTS ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bench', 'results');
  const jobs = pickJobs(argv, process.env.SWEEP_JOBS);
  const lim = sweepLimits();
  const cached = loadCachedTimings(process.env.SWEEP_GDAL_CACHED);
  mkdirSync(cacheDir, { recursive: true });
  const started = new Date();
  const results: SweepResults = { date: started.toISOString(), quick, runs, limits: lim, loadavgStart: loadavg(), loadavgEnd: [], node: process.version, jobs: [], startup: null };
  log(`sweep: ${jobs.length} jobs, ${runs} timed runs each (${lim.bigRounds} where a round takes over ${lim.bigRoundS} s); gdal_rasterize stopped at ${lim.gdalCapS ? `${lim.gdalCapS} s` : 'no cap'}, the MEM route at ${lim.memCapS ? `${lim.memCapS} s` : 'no cap'}${cached ? `; GDAL timings of ${Object.keys(cached.jobs).join(', ')} from ${cached.from} (${cached.date}, ${cached.machine})` : ''}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(resultsDir, { recursive: true });
  // a run of some jobs (--jobs) never overwrites the whole sweep's files of the day
  const named = argv.some((a) => a.startsWith('--jobs')) || !!process.env.SWEEP_JOBS?.trim();
  const base = join(resultsDir, `${started.toISOString().slice(0, 10)}-sweep${quick ? '-quick' : ''}${named ? `-${jobs.map((j) => j.make().id).join('+')}` : ''}`);
  const save = (): void => {
    results.loadavgEnd = loadavg();
    results.seconds = Math.round((Date.now() - started.getTime()) / 1000);
    writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${base}.md`, sweepMarkdown(results));
    writeFileSync(`${base}.svg`, sweepSvg(results));
  };
  const counties = countiesWorkload({ id: 'US', fips: true });
  mkdirSync(join(cacheDir, 'sweep-out'), { recursive: true });
  results.startup = await startup(Math.max(runs, 7), (await counties.prepare(cacheDir)).path, rasterizeArgs(counties), join(cacheDir, 'sweep-out'));
  log(`start-up to the first byte read: node -e ${results.startup.nodeMs.toFixed(0)} ms (CPU ${results.startup.nodeCpuMs.toFixed(0)}), rasterburn ${results.startup.cliMs.toFixed(0)} ms (CPU ${results.startup.cliCpuMs.toFixed(0)})`);
  // written after every job: an interrupted sweep keeps what it measured
  for (const j of jobs) {
    results.jobs.push(await sweepJob(j, runs, cacheDir, lim, cached));
    save();
  }
  save();
  process.stdout.write(sweepMarkdown(results));
  log(`wrote ${base}.{json,md,svg} in ${results.seconds} s`);
}
