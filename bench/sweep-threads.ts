#!/usr/bin/env node
// `node dist/bench/sweep-threads.js US,B20k,B50k,W1 [rounds]`: when the CLI's threads pay. The size sweep's
// jobs (bench/sweep.ts) through the CLI bundle with --threads 1, --threads 2 and no flag (the automatic
// choice, src/cli/threads.ts), whole process: one warm-up and `rounds` (5) timed rounds, the three modes
// alternating, their order rotated every round; prints each job's medians of wall and CPU seconds.
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.js';
import { CLI } from './runners.js';
import { pickJobs } from './sweep.js';
import { rasterizeArgs } from './workloads.js';

const MODES: [string, string[]][] = [['1', ['--threads', '1']], ['2', ['--threads', '2']], ['auto', []]];

export async function threadRuns(ids: string, rounds: number, cacheDir: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const job of pickJobs(['--jobs', ids], undefined)) {
    const w = job.make();
    const p = await w.prepare(cacheDir);
    const res = new Map(MODES.map(([m]) => [m, { wall: [] as number[], cpu: [] as number[] }]));
    const load0 = loadavg()[0];
    for (let k = 0; k <= rounds; k++) {
      for (let i = 0; i < MODES.length; i++) {
        const [m, extra] = MODES[(i + k) % MODES.length];
        const dest = join(cacheDir, `threads-${w.id}-${m}.tif`);
        const r = await measure(process.execPath, [CLI, ...extra, ...rasterizeArgs(w), p.path, dest], 1800);
        rmSync(dest, { force: true });
        // round 0 is the warm-up
        if (k > 0) { res.get(m)!.wall.push(r.wall); if (r.cpu !== null) res.get(m)!.cpu.push(r.cpu); }
      }
    }
    const row: Record<string, unknown> = { job: w.id, vertices: p.vertices, pixels: w.width * w.height, rounds, load: [load0, loadavg()[0]].map((x) => +x.toFixed(1)) };
    for (const [m] of MODES) row[m] = { wall: +median(res.get(m)!.wall).toFixed(2), cpu: +median(res.get(m)!.cpu).toFixed(2) };
    out.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rounds = Number(process.argv[3] ?? 5);
  if (!process.argv[2] || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: node dist/bench/sweep-threads.js US,B20k,B50k,W1 [rounds]');
    process.exit(1);
  }
  await threadRuns(process.argv[2], rounds, process.env.BENCH_CACHE ?? join(tmpdir(), 'rasterburn-bench'));
}
