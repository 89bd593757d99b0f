#!/usr/bin/env node
// `npm run bench:where`: what -where costs on W1 (bench/workloads.ts), against what reading the attribute it
// names costs. Two measures:
// - whole process, the rasterburn CLI: -burn 1 (no attribute read), -a BuildingID (the attribute read and
//   burned), -burn 1 -where "BuildingID > 0" and -burn 1 -where "kind <> 'none'" (wheres that keep every
//   feature, so the burn is the same work as -burn 1), and the issue's -a BuildingID -where "BuildingID > 50000";
//   from GeoJSON and from FlatGeobuf (whose features reach the where through flat columns). Median of RUNS
//   rounds, each round in a rotated order.
// - in process: flattenFeatures (features to shapes, where the where is evaluated) with each option set, the
//   median of REPS rounds, so that the where's own cost is seen without the burn and the write; and the where
//   clause alone (compiled, run over every feature) against reading the attribute it names from every feature.
// W1 has one field; the string field `kind` (one of four words, from the ID) is added to a copy of it.
//
// Environment: RUNS=3, REPS=9, BENCH_CACHE=dir, BENCH_OUT=file (default bench/results/<date>-where.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnValue, flatOf } from '../src/features/flat.js';
import { flattenFeatures, type FlattenOptions, type FlattenStats } from '../src/features/flatten.js';
import { compileWhere, compileWhereOnColumns, fieldsNamed, layerFields } from '../src/where/compile.js';
import { readFeatures } from '../src/node.js';
import { gridFromBounds } from '../src/grid-from-bounds.js';
import { HAVE_GNU_TIME, measure, median } from './measure.js';
import { CLI } from './runners.js';
import { buildingsWorkload, rasterizeArgs } from './workloads.js';

const env = process.env;
const RUNS = Number(env.RUNS ?? 3);
const REPS = Number(env.REPS ?? 9);
const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cacheDir = env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
const date = new Date().toISOString().slice(0, 10);
const outFile = env.BENCH_OUT ?? join(repoRoot, 'bench', 'results', `${date}-where.md`);
const log = (s: string): void => { process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`); };

const KINDS = ['residential', 'commercial', 'industrial', 'public'];
const w = buildingsWorkload();
mkdirSync(cacheDir, { recursive: true });
const prepared = await w.prepare(cacheDir);
// W1 with the string field, as GeoJSON and FlatGeobuf (made once)
const kindJson = join(cacheDir, 'w1-where-kind.geojson');
const kindFgb = join(cacheDir, 'w1-where-kind.fgb');
const fresh = (p: string) => existsSync(p) && statSync(p).mtimeMs >= statSync(prepared.path).mtimeMs;
if (!fresh(kindJson)) {
  const fc = JSON.parse(readFileSync(prepared.path, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
  for (const f of fc.features) f.properties.kind = KINDS[(f.properties.BuildingID as number) % 4];
  writeFileSync(kindJson, JSON.stringify(fc));
}
if (!fresh(kindFgb)) {
  rmSync(kindFgb, { force: true });
  execFileSync('ogr2ogr', ['-f', 'FlatGeobuf', kindFgb, kindJson, '-nln', 'buildings'], { stdio: ['ignore', 'ignore', 'pipe'] });
}

interface Config { name: string; burn: string[]; where?: string }
const CONFIGS: Config[] = [
  { name: 'burn 1', burn: ['-burn', '1'] },
  { name: 'a BuildingID', burn: ['-a', 'BuildingID'] },
  { name: 'where BuildingID > 0', burn: ['-burn', '1'], where: 'BuildingID > 0' },
  { name: "where kind <> 'none'", burn: ['-burn', '1'], where: "kind <> 'none'" },
  { name: 'a BuildingID, where BuildingID > 50000', burn: ['-a', 'BuildingID'], where: 'BuildingID > 50000' },
];
const SOURCES = [{ name: 'GeoJSON', path: kindJson }, { name: 'FlatGeobuf', path: kindFgb }];
// the workload's grid and type, its -a replaced by each configuration's
const grid = rasterizeArgs(w).filter((a, i, all) => a !== '-a' && all[i - 1] !== '-a');

const outDir = join(cacheDir, 'where');
mkdirSync(outDir, { recursive: true });
const wall = new Map<string, number[]>(), cpu = new Map<string, number[]>();
const key = (s: string, c: string) => `${s}|${c}`;
log(`W1: ${prepared.features} features, ${RUNS} rounds of ${CONFIGS.length} configurations x ${SOURCES.length} sources`);
for (let round = 0; round < RUNS; round++) {
  const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]);
  for (const src of SOURCES) {
    for (const c of order) {
      const out = join(outDir, 'out.tif');
      rmSync(out, { force: true });
      const args = [CLI, ...grid, ...c.burn, ...(c.where ? ['-where', c.where] : []), src.path, out];
      const m = await measure(process.execPath, args, 1800);
      const k = key(src.name, c.name);
      (wall.get(k) ?? wall.set(k, []).get(k)!).push(m.wall);
      if (m.cpu !== null) (cpu.get(k) ?? cpu.set(k, []).get(k)!).push(m.cpu);
      log(`round ${round + 1} ${src.name} ${c.name}: ${m.wall.toFixed(2)} s wall, ${m.cpu?.toFixed(2) ?? '?'} s CPU (load ${loadavg()[0].toFixed(1)})`);
    }
  }
}

// in process, in rounds that rotate the configurations (a slow moment does not land on one of them):
// flattenFeatures (features to shapes; the where clause is compiled and evaluated there), and the two costs the
// issue compares on their own: the where clause compiled and run over every feature, against the attribute it
// names read from every feature
const g = gridFromBounds(w.te, { size: [w.width, w.height] }, { crs: w.crs });
const inProcess = new Map<string, number[]>();
const kept = new Map<string, number>();
const push = (k: string, t: number) => (inProcess.get(k) ?? inProcess.set(k, []).get(k)!).push(t);
for (const src of SOURCES) {
  const layer = await readFeatures(src.path);
  const flat = flatOf(layer);
  const feats = (layer as { features: { properties: Record<string, unknown> | null }[] }).features;
  const micro: { name: string; run: () => number }[] = [
    { name: 'alone: read BuildingID', run: () => { let s = 0; if (flat) { const c = flat.columns.find((x) => x.name === 'BuildingID')!; for (let f = 0; f < flat.count; f++) { const v = columnValue(c, f); if (typeof v === 'number') s += v; } } else for (const f of feats) { const v = f.properties?.BuildingID; if (typeof v === 'number') s += v; } return s; } },
    ...['BuildingID > 0', "kind <> 'none'"].map((where) => ({ name: `alone: where ${where}`, run: () => {
      let n = 0;
      if (flat) { const pass = compileWhereOnColumns(where, flat.columns, flat.count); for (let f = 0; f < flat.count; f++) if (pass(f)) n++; }
      else { const pass = compileWhere(where, layerFields(feats, fieldsNamed(where))); for (const f of feats) if (pass(f.properties)) n++; }
      return n;
    } })),
  ];
  for (let r = 0; r < REPS; r++) {
    for (let i = 0; i < CONFIGS.length; i++) {
      const c = CONFIGS[(i + r) % CONFIGS.length];
      const o: FlattenOptions = c.burn[0] === '-a' ? { attribute: c.burn[1] } : { burn: 1 };
      if (c.where) o.where = c.where;
      const st = {} as FlattenStats;
      const t0 = performance.now();
      flattenFeatures(layer as never, g, o, st);
      push(key(src.name, c.name), performance.now() - t0);
      kept.set(key(src.name, c.name), st.features ?? NaN);
    }
    for (let i = 0; i < micro.length; i++) {
      const m = micro[(i + r) % micro.length];
      const t0 = performance.now();
      m.run();
      push(key(src.name, m.name), performance.now() - t0);
    }
  }
  for (const k of inProcess.keys()) if (k.startsWith(`${src.name}|`)) log(`in process ${k}: ${median(inProcess.get(k)!).toFixed(1)} ms`);
}

const f2 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(2));
const rows: string[] = [];
for (const src of SOURCES) {
  const base = key(src.name, 'burn 1');
  const bw = median(wall.get(base)!), bc = cpu.get(base)?.length ? median(cpu.get(base)!) : NaN, bi = median(inProcess.get(base)!);
  for (const c of CONFIGS) {
    const k = key(src.name, c.name);
    const mw = median(wall.get(k)!), mc = cpu.get(k)?.length ? median(cpu.get(k)!) : NaN, mi = median(inProcess.get(k)!);
    rows.push(`| ${src.name} | ${c.name} | ${kept.get(k)} | ${f2(mw)} | ${f2(mw - bw)} | ${f2(mc)} | ${f2(mc - bc)} | ${mi.toFixed(1)} | ${(mi - bi).toFixed(1)} | ${wall.get(k)!.map((x) => x.toFixed(1)).join(' ')} |`);
  }
}
const md = [
  `# -where on W1 (${date})`,
  '',
  `The rasterburn CLI (\`${grid.join(' ')} <burn> [-where ...] src out.tif\`) on W1 (${prepared.features.toLocaleString('en-US')} buildings; a copy with the string field \`kind\` added, as GeoJSON and as FlatGeobuf). Whole process from spawn to exit, median of ${RUNS} rounds in rotated order; CPU is user + system time (${HAVE_GNU_TIME ? 'GNU time' : 'not measured: no GNU time'}). "In process" is flattenFeatures alone on the already-read layer (features to shapes; the where clause is compiled and evaluated there), median of ${REPS} calls. "+" columns are against -burn 1 from the same source.`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), **shared with other jobs while this ran**: whole-process times carry that load (a difference under about 0.3 s is noise); the in-process medians are the steadier figures.`,
  '',
  '| source | configuration | features kept | wall s | + wall s | CPU s | + CPU s | in process ms | + ms | wall, every run |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  'The where clause on its own against the attribute it names, in process (median ms over every feature of the layer, same rounds):',
  '',
  '| source | read BuildingID | where BuildingID > 0 (compile + run) | where kind <> \'none\' (compile + run) |',
  '|---|---|---|---|',
  ...SOURCES.map((src) => `| ${src.name} | ${['alone: read BuildingID', 'alone: where BuildingID > 0', "alone: where kind <> 'none'"].map((m) => median(inProcess.get(key(src.name, m))!).toFixed(1)).join(' | ')} |`),
  '',
].join('\n');
writeFileSync(outFile, md);
log(`wrote ${outFile}`);
process.stdout.write(md);
