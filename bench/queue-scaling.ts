// Throughput of the tile queue with 1, 2 and 4 local worker processes on one big job: a real
// redis-server on a loopback port, the built CLI as submitter and workers. Records the wall time of
// each run, the sum of the tiles' own times (per-tile cost) and the tiles written, as JSON.
//
//   node dist/bench/queue-scaling.js SRC.geojson OUT.json [WORKERS=1,2,4] [BACKEND=cpu] -- <gdal_rasterize arguments>
//
// BACKEND is the workers' --backend (cpu, webgpu or auto).
//
// On a machine with fewer free cores than workers the figures show contention, not scaling.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli/rasterburn.mjs';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const t = Date.now();
  while (!pred()) {
    if (Date.now() - t > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const dash = process.argv.indexOf('--');
  const [src, out, counts = '1,2,4', backend = 'cpu'] = process.argv.slice(2, dash);
  const gdalArgs = process.argv.slice(dash + 1);
  const dir = mkdtempSync(join(tmpdir(), 'rb-queue-bench-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const runs: unknown[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    for (const n of counts.split(',').map(Number)) {
      const workers: ChildProcess[] = [];
      let ready = 0;
      for (let i = 0; i < n; i++) {
        const w = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--backend', backend, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
        w.stderr!.on('data', () => {});
        workers.push(w);
        ready++;
      }
      await waitFor(() => ready === n, 10_000);
      await new Promise((r) => setTimeout(r, 1500));
      const dst = join(dir, `out-${n}.vrt`);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, '--redis', url, ...gdalArgs, '--json', '-q', src, dst], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const wall = (performance.now() - t0) / 1000;
      for (const w of workers) w.kill('SIGTERM');
      if (r.status !== 0) throw new Error(`submit failed: ${r.stderr}`);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
      const run = { workers: n, backend, wallSeconds: Math.round(wall * 10) / 10, stages: summary.stages, queue: summary.queue, width: summary.width, height: summary.height, loadavg: loadavg() };
      console.log(JSON.stringify(run));
      runs.push(run);
      rmSync(summary.queue.store, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    redis.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(out, `${JSON.stringify({ args: gdalArgs, src, cores: cpus().length, date: new Date().toISOString(), runs }, null, 1)}\n`);
}

await main();
