// The profile section of the size sweep's report: for a job whose whole-process ratio misses its goal,
// one more CLI run under `node --cpu-prof`, summed by stage and by function (bench/profile.ts's
// categories), so that the report says what stands in the way. It runs the unbundled CLI
// (dist/src/cli/main.js), whose file paths name the stages: its module loading is several times the
// bundled bin's (one file per module), which the timed runs use.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.js';
import { selfTimes } from './profile.js';

export interface JobProfile {
  /** seconds of the profiled run (wall, CPU) and sampled */
  wall: number;
  cpu: number | null;
  sampledMs: number;
  stages: { name: string; ms: number }[];
  functions: { name: string; where: string; ms: number }[];
}

const UNBUNDLED = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'src', 'cli', 'main.js');

/** One profiled CLI run of `args` on `src` (the profile and the output are removed afterwards). */
export async function profileCli(id: string, args: string[], src: string, workDir: string, top = 12): Promise<JobProfile> {
  const dir = join(workDir, `profile-${id}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const out = join(dir, `${id}.tif`);
    const m = await measure(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, UNBUNDLED, ...args, src, out], 1800);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`node wrote no .cpuprofile for ${id}`);
    const t = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    return {
      wall: m.wall, cpu: m.cpu, sampledMs: round(t.totalMs),
      stages: t.categories.map((c) => ({ name: c.name, ms: round(c.ms) })),
      functions: t.functions.slice(0, top).map((f) => ({ name: f.name, where: f.where, ms: round(f.ms) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's lines for one job's profile. */
export function profileMarkdown(id: string, ratio: number, goal: number, p: JobProfile): string[] {
  const pct = (ms: number): string => `${((100 * ms) / p.sampledMs).toFixed(0)}%`;
  const lines = [`### ${id}: ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'}x against a goal of ${goal}x`, ''];
  lines.push(`One run of the unbundled CLI under \`--cpu-prof\`: ${p.wall.toFixed(2)} s wall, ${p.cpu?.toFixed(2) ?? '?'} s CPU, ${(p.sampledMs / 1000).toFixed(2)} s sampled on the main thread.`, '');
  lines.push(`By stage: ${p.stages.map((s) => `${s.name} ${s.ms.toFixed(0)} ms (${pct(s.ms)})`).join('; ')}.`, '');
  lines.push('| ms | share | function | where |', '|--:|--:|---|---|');
  for (const f of p.functions) lines.push(`| ${f.ms.toFixed(0)} | ${pct(f.ms)} | ${f.name.replace(/\|/g, '\\|')} | ${f.where} |`);
  lines.push('');
  return lines;
}
