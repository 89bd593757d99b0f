// `rasterburn worker` when Redis is gone: a redis-server on a free loopback port (append-only, every
// write synced, so that a SIGKILL loses nothing), worker processes of the built CLI. Two workers are
// frozen while each holds a tile, Redis is killed, and the workers are told to stop: the first must
// exit within a few seconds with one line and exit code 1 (its task unfinished), the second, signalled
// twice, at once. Redis comes back, a fresh worker takes the abandoned tiles over and the job's VRT
// equals the single-machine run. Then an idle worker stops at once with Redis gone, and a worker
// started without Redis says why it waits, and exits with one line (or at once on a signal).
// Seeded features: the seed is printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBullMQ, QUEUE_NAME } from '../../src/queue/node-bullmq.js';
import { compareRasters, run } from './gdal/oracle.js';
import { CLI, exitWithin, features, freePort, freezeWhileHolding, spawnWorker, until, type WorkerProc } from './queue-helpers.js';

const SEED = Number(process.env.QUEUE_SEED ?? 20261207);
let DIR = '';
let URL_ = '';
let PORT = 0;
let redis: ChildProcess | null = null;
const workers: WorkerProc[] = [];

function startRedis(): void {
  redis = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--dir', DIR, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
}

async function killRedis(): Promise<void> {
  const r = redis!;
  const gone = new Promise((done) => r.once('exit', done));
  r.kill('SIGKILL');
  await gone;
  redis = null;
}

function startWorker(url = URL_): WorkerProc {
  // lock 3 s: a stopping worker waits at most that long for a silent Redis
  const w = spawnWorker(['--redis', url, '--lock-seconds', '3']);
  workers.push(w);
  return w;
}

const waiting = (w: WorkerProc) => w.lines.some((s) => s.includes('waiting for tiles'));

describe('rasterburn worker stops when Redis is gone', () => {
  beforeAll(async () => {
    console.log(`worker stop test seed: ${SEED} (QUEUE_SEED=${SEED} repeats it)`);
    DIR = mkdtempSync(join(tmpdir(), 'rb-worker-stop-'));
    writeFileSync(join(DIR, 'src.geojson'), features(SEED));
    PORT = await freePort();
    URL_ = `redis://127.0.0.1:${PORT}`;
    startRedis();
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    for (const { proc } of workers) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
      }
    }
    redis?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    if (DIR) rmSync(DIR, { recursive: true, force: true });
  });

  it('a worker holding a tile exits within seconds on SIGTERM (code 1, one line); twice signalled, at once; the job still completes', async () => {
    const a = startWorker(), b = startWorker();
    await until('the workers', () => waiting(a) && waiting(b), 30_000);
    const args = ['-a', 'v', '-ot', 'Byte', '-te', '0', '0', '60', '40', '-tr', '0.01', '0.01'];
    const single = run(process.execPath, [CLI, ...args, '-q', join(DIR, 'src.geojson'), join(DIR, 'single.tif')], { timeoutMs: 120_000 });
    // the submitter waits up to 60 s for a lost Redis
    const submit = run(process.execPath, [CLI, '--redis', URL_, '--tile-size', '512', '--job-id', 'stop-test', '--json', '-q', ...args, join(DIR, 'src.geojson'), join(DIR, 'out.vrt')], { timeoutMs: 170_000 });
    const mq = await loadBullMQ();
    const q = new mq.Queue(QUEUE_NAME, { connection: { url: URL_ } });
    q.on('error', () => { /* Redis is killed below */ });
    let heldA: string[], heldB: string[];
    try {
      await until('a finished tile', () => [a, b].some((w) => w.lines.some((s) => / written, /.test(s))), 60_000);
      heldA = await freezeWhileHolding(q, a.proc);
      heldB = await freezeWhileHolding(q, b.proc);
    } finally {
      await q.close();
    }
    expect([heldA.length, heldB.length], 'each frozen worker holds a tile').toEqual([1, 1]);
    await killRedis();

    // SIGTERM: it may finish its burn, but Redis cannot record it; it gives up after the lock's 3 s
    a.proc.kill('SIGCONT');
    const t0 = Date.now();
    a.proc.kill('SIGTERM');
    const endA = await exitWithin(a.proc, 15_000, t0);
    expect(endA, `${a.lines.join('\n')}`).not.toBeNull();
    expect(endA!.code, a.lines.join('\n')).toBe(1);
    expect(endA!.ms).toBeLessThan(8000);
    expect(a.lines).toContain('rasterburn worker: SIGTERM: finishing the running tasks');
    expect(a.lines.at(-1)).toMatch(/^rasterburn worker: Redis at redis:\/\/127\.0\.0\.1:\d+ did not answer for \d+(\.\d)? s: stopped with 1 task unfinished \(the queue hands them to another worker once their locks lapse\)$/);
    // one line per outage, not one per reconnection attempt
    expect(a.lines.filter((s) => s.includes('ECONNREFUSED')).length).toBeLessThanOrEqual(2);

    // a second signal does not wait at all
    b.proc.kill('SIGCONT');
    b.proc.kill('SIGTERM');
    await until('the first signal taken', () => b.lines.some((s) => s.includes('SIGTERM: finishing')), 5000);
    const t1 = Date.now();
    b.proc.kill('SIGINT');
    const endB = await exitWithin(b.proc, 5000, t1);
    expect(endB, b.lines.join('\n')).not.toBeNull();
    expect(endB!.code).toBe(130);
    expect(endB!.ms).toBeLessThan(2000);
    expect(b.lines.at(-1)).toBe('rasterburn worker: SIGINT again: exiting at once');

    // Redis back with its data: a fresh worker takes the two abandoned tiles over once their locks lapse
    startRedis();
    const c = startWorker();
    const r = await submit;
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim()).queue.tiles).toBe(12 * 8);
    const s = await single;
    expect(s.rc, s.stderr).toBe(0);
    const [same] = compareRasters([{ a: join(DIR, 'out.vrt'), b: join(DIR, 'single.tif') }]);
    expect(same).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });

    // an idle worker with Redis gone holds nothing: it stops at once, exit code 0
    await until('the fresh worker', () => waiting(c), 30_000);
    await killRedis();
    // once ioredis is retrying, BullMQ's own close() never resolves (the stop gave up on that)
    await until('the worker retrying', () => c.lines.some((s) => s.includes('ECONNREFUSED')), 10_000);
    await new Promise((r) => setTimeout(r, 2000));
    const t2 = Date.now();
    c.proc.kill('SIGTERM');
    const endC = await exitWithin(c.proc, 10_000, t2);
    expect(endC, c.lines.join('\n')).not.toBeNull();
    expect(endC!.code).toBe(0);
    expect(endC!.ms).toBeLessThan(3000);
    expect(c.lines.at(-1)).toMatch(/^rasterburn worker: Redis at redis:\/\/127\.0\.0\.1:\d+ does not answer; no task was held: stopped$/);
  });

  it('a worker started without Redis says so, retries for 10 s, then exits 1 with one line naming the cause', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const w = startWorker(url);
    const t0 = Date.now();
    const end = await exitWithin(w.proc, 30_000, t0);
    expect(end, w.lines.join('\n')).not.toBeNull();
    expect(end!.code).toBe(1);
    expect(end!.ms).toBeGreaterThanOrEqual(9000);
    const port = url.split(':').at(-1);
    expect(w.lines[0]).toBe(`rasterburn worker: cannot reach Redis at ${url} (connect ECONNREFUSED 127.0.0.1:${port}): retrying for 10 s`);
    expect(w.lines.at(-1)).toBe(`rasterburn: cannot reach Redis at ${url}: no answer in 10 s (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(w.lines).toHaveLength(2);
  });

  it('a signal while the worker waits for Redis at start stops it at once', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const w = startWorker(url);
    await until('the first try', () => w.lines.length > 0, 10_000);
    const t0 = Date.now();
    w.proc.kill('SIGTERM');
    const end = await exitWithin(w.proc, 5000, t0);
    expect(end, w.lines.join('\n')).not.toBeNull();
    expect(end!.code).toBe(0);
    expect(end!.ms).toBeLessThan(2000);
    expect(w.lines.at(-1)).toBe('rasterburn worker: SIGTERM: stopped before Redis answered');
  });
});
