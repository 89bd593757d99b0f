// `npm run bench -- --sweep [--quick] [--jobs B1k,US]`: the job-size sweep. Seeded buildings and lines
// from 1,000 features onto 1,000^2 up to W1, W3 (W1 with -at) and W4, the US counties, the 300,000-vertex
// polygon with holes, R1 (the countries of Europe) and W2 (the million-vertex polygon onto 20,000^2): every
// goal of the size sweep in one run. On each, four runners: gdal_rasterize and the rasterburn CLI as whole
// processes, GDAL's MEM route (python3: RasterizeLayer + ReadAsArray, layer already open) and rasterize()
// in one process, timed inside. Medians of RUNS (5; R1 and W2 at most 3), the order of the runners
// rotated every round, peak RSS of every process, every output compared pixel for pixel with
// gdal_rasterize's. A job whose CLI misses its goal gets one profiled run (SWEEP_PROFILE=0: none). Also
// start-up: spawn to the source's first byte read, against `node -e 0`. Writes
// <date>-sweep[-quick].{json,md,svg} to bench/results (BENCH_RESULTS) through bench/sweep-report.ts.
//
// --quick: five jobs (two small, the two issue jobs, the polygon with holes), a few minutes.
// --jobs (or SWEEP_JOBS=): these jobs only, by id.
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.js';
import { profileCli } from './sweep-profile.js';
import { CLI, COMPARE, PYTHON, RUNNERS, type Runner } from './runners.js';
import { buildingsWorkload, countiesWorkload, countriesWorkload, holesWorkload, linesWorkload, rasterizeArgs, type Workload } from './workloads.js';
import { sweepMarkdown, sweepSvg, type SweepJobResult, type SweepResults, type SweepRunner, type StartupResult } from './sweep-report.js';

interface SweepJob {
  make: () => Workload;
  quick: boolean;
  /** the whole-process ratio this job must reach (the issue's goals) */
  goal: number;
  /**
   * at most this many timed rounds (RUNS otherwise): GDAL takes 10-60 s a run on the biggest jobs, and
   * four runners x (1 + 5) runs of each would hold the sweep for most of an hour on a quiet machine
   */
  maxRounds?: number;
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
  { make: () => countriesWorkload({ id: 'R1', te: [-25, 34, 45, 72], tr: [0.01, 0.01], where: 'Europe' }), quick: false, goal: 20, maxRounds: 3 },
  { make: () => holesWorkload({ id: 'W2' }), quick: false, goal: 20, maxRounds: 3 },
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

async function sweepJob(job: SweepJob, runs: number, cacheDir: string): Promise<SweepJobResult> {
  const w = job.make();
  const rounds = Math.min(runs, job.maxRounds ?? runs);
  const p = await w.prepare(cacheDir);
  log(`${w.id}: ${p.features} features, ${p.vertices} vertices, ${(p.bytes / 2 ** 20).toFixed(1)} MiB onto ${w.width} x ${w.height}`);
  const outDir = join(cacheDir, 'sweep-out');
  mkdirSync(outDir, { recursive: true });
  const runners = RUNNER_IDS.map((id) => RUNNERS.find((r) => r.id === id)!);
  const res = new Map<string, SweepRunner>(runners.map((r) => [r.id, { runner: r.id, wall: [], cpu: [], inner: [], rssMiB: [], mismatches: null }]));

  const once = async (r: Runner, check: boolean): Promise<string | undefined> => {
    const spec = r.command(w, p, outDir, check);
    if (spec.output) rmSync(spec.output, { force: true });
    const m = await measure(spec.cmd, spec.args, 1800, spec.env);
    if (!check) {
      const rr = res.get(r.id)!;
      rr.wall.push(m.wall);
      if (m.cpu !== null) rr.cpu.push(m.cpu);
      if (m.rssMiB !== null) rr.rssMiB.push(m.rssMiB);
      const names = INNER[r.id];
      if (names) {
        const ph = phases(m.stdout);
        const parts = names.map((n) => ph[n]);
        if (parts.every((v) => typeof v === 'number')) rr.inner.push((parts as number[]).reduce((a, b) => a + b, 0));
      }
      if (spec.output) rmSync(spec.output, { force: true });
    }
    return spec.output;
  };

  // warm-up: every runner once, its output checked against gdal_rasterize's (which runs first)
  const ref = await once(runners[0], true);
  for (const r of runners.slice(1)) {
    const out = await once(r, true);
    if (ref && out) {
      res.get(r.id)!.mismatches = await compare(ref, out);
      rmSync(out, { force: true });
    }
  }
  res.get(runners[0].id)!.mismatches = 0;
  if (ref) rmSync(ref, { force: true });

  // timed rounds, each starting one runner later
  for (let k = 0; k < rounds; k++) {
    for (const r of [...runners.slice(k % runners.length), ...runners.slice(0, k % runners.length)]) await once(r, false);
  }
  const out: SweepJobResult = {
    id: w.id, title: w.title, features: p.features, vertices: p.vertices, bytes: p.bytes, pixels: w.width * w.height, goal: job.goal,
    args: rasterizeArgs(w), runners: [...res.values()], rounds,
  };
  // a job that misses its goal gets a profile of one CLI run in the report: what stands in the way
  const cliRatio = median(res.get('gdal_rasterize')!.wall) / median(res.get('rasterburn-cli-tif')!.wall);
  if (!(cliRatio >= job.goal) && process.env.SWEEP_PROFILE !== '0') {
    try {
      out.profile = await profileCli(w.id, rasterizeArgs(w), p.path, cacheDir);
    } catch (e) {
      log(`${w.id}: no profile: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const summary = out.runners.map((r) => `${r.runner} ${median(r.wall).toFixed(2)} s${r.inner.length ? ` (inner ${median(r.inner).toFixed(3)})` : ''} ${Math.max(...r.rssMiB).toFixed(0)} MiB ${r.mismatches === 0 ? 'identical' : `${r.mismatches} differ`}`);
  log(`${w.id}: ${summary.join('; ')}`);
  return out;
}

/** Spawn to the first byte of the source read (the CLI on `src`) against spawn to `node -e`'s first line. */
async function startup(runs: number, src: string, args: string[], outDir: string): Promise<StartupResult> {
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
  mkdirSync(cacheDir, { recursive: true });
  const started = new Date();
  const results: SweepResults = { date: started.toISOString(), quick, runs, loadavgStart: loadavg(), loadavgEnd: [], node: process.version, jobs: [], startup: null };
  log(`sweep: ${jobs.length} jobs, ${runs} timed runs each; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
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
    results.jobs.push(await sweepJob(j, runs, cacheDir));
    save();
  }
  save();
  process.stdout.write(sweepMarkdown(results));
  log(`wrote ${base}.{json,md,svg} in ${results.seconds} s`);
}
