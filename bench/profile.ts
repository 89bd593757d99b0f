#!/usr/bin/env node
// Where the rasterburn CLI spends its time on a benchmark workload: runs it once under
// `node --cpu-prof` and prints the functions with the most self time, and self time by source file.
//
// usage: node dist/bench/profile.js [workload id, default W1] [top N, default 25]
// The .cpuprofile is kept (path printed) for Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.js';
import { WORKLOADS, rasterizeArgs } from './workloads.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export interface SelfTime { name: string; where: string; ms: number }

/**
 * The stage of the CLI a function belongs to, from its file (and name, for natives): the questions
 * are how much is Node's start, reading + JSON.parse, flattening, proj, the scanline burn, writing.
 */
export function category(name: string, path: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)') return 'idle (waiting for I/O)';
  if (name === '(program)') return 'V8 internals (program)';
  if (path.startsWith('node:internal/modules') || path.startsWith('node:internal/deps/cjs-module-lexer') || path.startsWith('node:internal/bootstrap')
    || path === 'node:internal/url' || ['compileSourceTextModule', 'wrapSafe', 'internalBinding'].includes(name)) return 'startup + module loading';
  if (path.includes('src/cli/main.js') && name === 'readGeoJSON') return 'read + JSON.parse';
  if (['parse', 'readFileUtf8', 'readFileSync', 'utf8Slice', 'tryReadSync', 'readSync'].includes(name)) return 'read + JSON.parse';
  if (path.includes('src/cli/plan.js') || path.includes('src/features/extent.js') || path.includes('src/cli/args.js')) return 'CLI planning (extent, attribute scan)';
  if (path.includes('src/crs.js') || path.includes('node_modules/proj4') || path.includes('geotiff-geokeys')) return 'proj / CRS';
  if (path.includes('src/features/')) return 'flatten to pixel-space shapes';
  if (path.includes('src/cpu/') || path.includes('src/rules/')) return 'scanline burn';
  if (path.includes('src/io/') || path.startsWith('node:internal/fs') || path === 'node:fs' || /^(write|writeSync|writeFileUtf8|fsync|close|rename|open)/.test(name)) return 'encode + write';
  return 'other';
}

/** Self time per function (name + location) and per source file, in ms, from a V8 .cpuprofile. */
export function selfTimes(p: CpuProfile): { functions: SelfTime[]; files: SelfTime[]; categories: SelfTime[]; totalMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; charge it to the sample that was running then
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    perNode.set(p.samples[i], (perNode.get(p.samples[i]) ?? 0) + dt);
  }
  const fn = new Map<string, SelfTime>(), file = new Map<string, SelfTime>(), cat = new Map<string, SelfTime>();
  let total = 0;
  for (const [id, us] of perNode) {
    const cf = byId.get(id)!.callFrame;
    const path = cf.url.startsWith('file://') ? relative(repoRoot, fileURLToPath(cf.url)) : cf.url || '(native)';
    const where = cf.url ? `${path}:${cf.lineNumber + 1}` : '(native)';
    const name = cf.functionName || '(anonymous)';
    const k = `${name}@${where}`;
    const f = fn.get(k) ?? { name, where, ms: 0 };
    f.ms += us / 1000;
    fn.set(k, f);
    const g = file.get(path) ?? { name: path, where: '', ms: 0 };
    g.ms += us / 1000;
    file.set(path, g);
    const c = category(name, path);
    const h = cat.get(c) ?? { name: c, where: '', ms: 0 };
    h.ms += us / 1000;
    cat.set(c, h);
    total += us / 1000;
  }
  const sort = (m: Map<string, SelfTime>): SelfTime[] => [...m.values()].sort((a, b) => b.ms - a.ms);
  return { functions: sort(fn), files: sort(file), categories: sort(cat), totalMs: total };
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? 'W1';
  const top = Number(process.argv[3] ?? 25);
  const make = WORKLOADS[id];
  if (!make) throw new Error(`unknown workload ${id}: choose from ${Object.keys(WORKLOADS).join(', ')}`);
  const w = make();
  const cacheDir = process.env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench');
  mkdirSync(cacheDir, { recursive: true });
  const p = await w.prepare(cacheDir);
  const profDir = join(cacheDir, `profile-${id}`);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const out = join(profDir, `${id}.npy`);
  const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const m = await measure(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, cli, ...rasterizeArgs(w), p.path, out], 1800);
  rmSync(out, { force: true });
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`node wrote no .cpuprofile into ${profDir}`);
  const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
  const { functions, files, categories, totalMs } = selfTimes(prof);
  const pct = (ms: number): string => `${((100 * ms) / totalMs).toFixed(1)}%`;
  console.log(`${id}: rasterburn CLI under --cpu-prof, ${m.wall.toFixed(2)} s wall, ${m.cpu?.toFixed(2) ?? '?'} s CPU, ${(totalMs / 1000).toFixed(2)} s sampled`);
  console.log(`profile: ${join(profDir, file)}`);
  console.log('\nself time by stage:');
  console.log('| ms | share | stage |\n|--:|--:|---|');
  for (const f of categories) console.log(`| ${f.ms.toFixed(0)} | ${pct(f.ms)} | ${f.name} |`);
  console.log('\nself time by function:');
  console.log('| ms | share | function | where |\n|--:|--:|---|---|');
  for (const f of functions.slice(0, top)) console.log(`| ${f.ms.toFixed(0)} | ${pct(f.ms)} | ${f.name} | ${f.where} |`);
  console.log('\nself time by file:');
  console.log('| ms | share | file |\n|--:|--:|---|');
  for (const f of files.slice(0, top)) console.log(`| ${f.ms.toFixed(0)} | ${pct(f.ms)} | ${f.name} |`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(`profile: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
