#!/usr/bin/env node
// `npm run bench:compression`: the rasterburn CLI on W1 (bench/workloads.ts) written plain and with each
// -co COMPRESS, whole process, wall and CPU time (GNU time), the median of RUNS rounds; each round runs the
// configurations in a rotated order, so that a slow moment of a shared machine does not land on one of
// them. Every compressed output is checked pixel for pixel against the plain one (GDAL reads both).
//
// Environment: RUNS=5, BENCH_CACHE=dir (the workload's GeoJSON), BENCH_OUT=file (default
// bench/results/<date>-compression.md), COMPRESS_SETS=plain,DEFLATE,ZSTD,LZW (plus PACKBITS, or a set
// written NAME:CO1+CO2, e.g. DEFLATE2:COMPRESS=DEFLATE+PREDICTOR=2), THREADS (passed as --threads).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_GNU_TIME, measure, median } from './measure.js';
import { CLI, COMPARE, PYTHON } from './runners.js';
import { buildingsWorkload, rasterizeArgs } from './workloads.js';

const env = process.env;
const RUNS = Number(env.RUNS ?? 5);
const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cacheDir = env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
const date = new Date().toISOString().slice(0, 10);
const outFile = env.BENCH_OUT ?? join(repoRoot, 'bench', 'results', `${date}-compression.md`);
const KNOWN: Record<string, string[]> = {
  plain: [], DEFLATE: ['COMPRESS=DEFLATE'], ZSTD: ['COMPRESS=ZSTD'], LZW: ['COMPRESS=LZW'], PACKBITS: ['COMPRESS=PACKBITS'],
};
const sets = (env.COMPRESS_SETS ?? 'plain,DEFLATE,ZSTD,LZW').split(',').map((s) => {
  const [name, co] = s.split(':');
  const opts = co ? co.split('+') : KNOWN[name];
  if (!opts) throw new Error(`unknown set ${name}: give NAME:CO1+CO2`);
  return { name, co: opts };
});

const log = (s: string): void => { process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`); };

const w = buildingsWorkload();
mkdirSync(cacheDir, { recursive: true });
const prepared = await w.prepare(cacheDir);
const outDir = join(cacheDir, 'compression');
mkdirSync(outDir, { recursive: true });
const base = [...rasterizeArgs(w), ...(env.THREADS ? ['--threads', env.THREADS] : [])];
const samples = new Map<string, { wall: number[]; cpu: number[]; rss: number[]; bytes: number; load: number[] }>();
for (const s of sets) samples.set(s.name, { wall: [], cpu: [], rss: [], bytes: 0, load: [] });

log(`W1: ${prepared.features} features, ${prepared.vertices} vertices, ${RUNS} rounds of ${sets.map((s) => s.name).join(', ')}`);
for (let round = 0; round < RUNS; round++) {
  // round r starts at set r: every set runs first, second, ... about as often
  const order = sets.map((_, i) => sets[(i + round) % sets.length]);
  for (const s of order) {
    const out = join(outDir, `${s.name}.tif`);
    rmSync(out, { force: true });
    const load = loadavg()[0];
    const m = await measure(process.execPath, [CLI, ...base, ...s.co.flatMap((c) => ['-co', c]), prepared.path, out], 1800);
    const r = samples.get(s.name)!;
    r.wall.push(m.wall);
    if (m.cpu !== null) r.cpu.push(m.cpu);
    if (m.rssMiB !== null) r.rss.push(m.rssMiB);
    r.load.push(load);
    r.bytes = statSync(out).size;
    log(`round ${round + 1} ${s.name}: ${m.wall.toFixed(2)} s wall, ${m.cpu?.toFixed(2) ?? '?'} s CPU (load ${load.toFixed(1)})`);
  }
}

// the compressed files hold the plain file's pixels, as GDAL reads them
const plain = join(outDir, 'plain.tif');
const checks: string[] = [];
for (const s of sets) {
  if (s.name === 'plain' || !samples.has('plain')) continue;
  const res = JSON.parse(execFileSync(PYTHON, [COMPARE, plain, join(outDir, `${s.name}.tif`)], { encoding: 'utf8' })) as { mismatches: number | null; sameTransform?: boolean };
  const diff = res.mismatches === null || res.sameTransform === false ? NaN : res.mismatches;
  checks.push(`${s.name}: ${diff === 0 ? 'identical pixels' : `${diff} pixels differ`}`);
  if (diff !== 0) log(`${s.name}: ${JSON.stringify(res)}`);
}

const med = (xs: number[]): string => (xs.length ? median(xs).toFixed(2) : 'n/a');
const plainWall = samples.get('plain') ? median(samples.get('plain')!.wall) : NaN;
const plainCpu = samples.get('plain')?.cpu.length ? median(samples.get('plain')!.cpu) : NaN;
const rows = sets.map((s) => {
  const r = samples.get(s.name)!;
  const wall = median(r.wall);
  const cpu = r.cpu.length ? median(r.cpu) : NaN;
  return `| ${s.name} | ${s.co.join(' ') || '(none)'} | ${wall.toFixed(2)} | ${(wall / plainWall).toFixed(2)}x | ${med(r.cpu)} | ${(cpu / plainCpu).toFixed(2)}x | ${med(r.rss)} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${r.wall.map((x) => x.toFixed(1)).join(' ')} | ${med(r.load)} |`;
});
const md = [
  `# W1 written plain and compressed (${date})`,
  '',
  `The rasterburn CLI (\`${base.join(' ')} -co ... w1.geojson out.tif\`) on W1: ${prepared.features.toLocaleString('en-US')} buildings, ${prepared.vertices.toLocaleString('en-US')} vertices, onto ${w.width.toLocaleString('en-US')} x ${w.height.toLocaleString('en-US')} UInt16 (${(w.width * w.height * 2 / 2 ** 20).toFixed(0)} MiB raw). Whole process from spawn to exit, median of ${RUNS} rounds, each round in a rotated order; CPU is user + system time of the process and its threads (${HAVE_GNU_TIME ? 'GNU time' : 'not measured: no GNU time'}).`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), **shared with other jobs while this ran** (1-minute load average beside each set, median): wall times carry that load; CPU times and their ratios are the steadier figures.`,
  '',
  '| set | -co | wall s | vs plain | CPU s | vs plain | peak RSS MiB | file MiB | wall, every run | load |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Checked: ${checks.join('; ') || 'no compressed set'} (GDAL reads each compressed file against the plain one).`,
  '',
].join('\n');
writeFileSync(outFile, md);
log(`wrote ${outFile}`);
process.stdout.write(md);
