// `npm run bench -- --sweep [--quick]`: the job-size sweep. Seeded buildings and lines from 1,000
// features onto 1,000^2 up to W1 and W4, the US counties, the 300,000-vertex polygon with holes; on
// each, four runners: gdal_rasterize and the rasterburn CLI as whole processes, GDAL's MEM route
// (python3: RasterizeLayer + ReadAsArray, layer already open) and rasterize() in one process, timed
// inside. Medians of RUNS (5), the order of the runners rotated every round, peak RSS of every
// process, every output compared pixel for pixel with gdal_rasterize's. Also start-up: spawn to the
// source's first byte read, against `node -e 0`. Writes <date>-sweep[-quick].{json,md,svg} to
// bench/results (BENCH_RESULTS) through bench/sweep-report.ts.
//
// --quick: five jobs (two small, the two issue jobs, the polygon with holes), a few minutes.
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.js';
import { CLI, COMPARE, PYTHON, RUNNERS, type Runner } from './runners.js';
import { buildingsWorkload, countiesWorkload, holesWorkload, linesWorkload, rasterizeArgs, type Workload } from './workloads.js';
import { sweepMarkdown, sweepSvg, type SweepJobResult, type SweepResults, type SweepRunner, type StartupResult } from './sweep-report.js';

interface SweepJob {
  make: () => Workload;
  quick: boolean;
  /** the whole-process ratio this job must reach (the issue's goals) */
  goal: number;
}

/** The jobs, smallest first. */
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
];

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
  for (let k = 0; k < runs; k++) {
    for (const r of [...runners.slice(k % runners.length), ...runners.slice(0, k % runners.length)]) await once(r, false);
  }
  const out: SweepJobResult = {
    id: w.id, title: w.title, features: p.features, vertices: p.vertices, bytes: p.bytes, pixels: w.width * w.height, goal: job.goal,
    args: rasterizeArgs(w), runners: [...res.values()],
  };
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
  const only = process.env.SWEEP_JOBS?.split(',').map((s) => s.trim()).filter(Boolean);
  const jobs = SWEEP.filter((j) => (only ? only.includes(j.make().id) : !quick || j.quick));
  mkdirSync(cacheDir, { recursive: true });
  const started = new Date();
  const results: SweepResults = { date: started.toISOString(), quick, runs, loadavgStart: loadavg(), loadavgEnd: [], node: process.version, jobs: [], startup: null };
  log(`sweep: ${jobs.length} jobs, ${runs} timed runs each; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `${started.toISOString().slice(0, 10)}-sweep${quick ? '-quick' : ''}`);
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
