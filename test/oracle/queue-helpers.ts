// What the multi-process queue tests share: free loopback ports, polling, worker processes of the
// built CLI with their stderr lines, and the seeded features (polygons, some with a hole, lines and
// points on a 1/1024 lattice, attribute v in 1..250).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../bench/random.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/rasterburn.mjs');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
    s.on('error', fail);
  });
}

export async function until(what: string, pred: () => boolean, ms: number): Promise<void> {
  const t = Date.now();
  while (!pred()) {
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A `rasterburn worker` process and the lines it printed on stderr. */
export interface WorkerProc { proc: ChildProcess; lines: string[] }

export function spawnWorker(args: string[], env: NodeJS.ProcessEnv = process.env): WorkerProc {
  const proc = spawn(process.execPath, [CLI, 'worker', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  const lines: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { lines.push(...d.split('\n').filter(Boolean)); });
  return { proc, lines };
}

/** What of a BullMQ queue the kill tests read: the tasks held right now, and by whom. */
export interface ActiveTasks { getActive(): Promise<{ id?: string; processedBy?: string }[]> }

/**
 * Freezes `proc` (SIGSTOP) until BullMQ records it holding a tile, and leaves it frozen. A frozen worker
 * sends nothing more, but a finish it sent just before may still be on its way to Redis and land after
 * a first look at the active list; so the list is read only after the frozen worker's last commands
 * have had time to land, and a task it shows then can no longer be finished by it. Returns the held
 * tasks' ids (none if it held none within a minute).
 */
export async function freezeWhileHolding(q: ActiveTasks, proc: ChildProcess, settleMs = 400): Promise<string[]> {
  const held: string[] = [];
  const t0 = Date.now();
  while (held.length === 0 && Date.now() - t0 < 60_000) {
    proc.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, settleMs));
    for (const j of await q.getActive()) if (j.processedBy?.endsWith(`:${proc.pid}`)) held.push(j.id!);
    if (held.length === 0) {
      proc.kill('SIGCONT');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return held;
}

/**
 * SIGKILLs `proc` while it holds a tile (freezeWhileHolding), so the kill lands while a task is held
 * (a worker between tasks would prove nothing). Returns the held tasks' ids.
 */
export async function killWhileHolding(q: ActiveTasks, proc: ChildProcess, settleMs = 400): Promise<string[]> {
  const held = await freezeWhileHolding(q, proc, settleMs);
  proc.kill('SIGKILL');
  return held;
}

/** How a process ended and when (ms since `since`), or null if it had not within `ms`. */
export function exitWithin(proc: ChildProcess, ms: number, since = Date.now()): Promise<{ code: number | null; signal: string | null; ms: number } | null> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done({ code: proc.exitCode, signal: proc.signalCode, ms: Date.now() - since });
    const end = (code: number | null, signal: string | null) => { clearTimeout(timer); done({ code, signal, ms: Date.now() - since }); };
    const timer = setTimeout(() => { proc.off('exit', end); done(null); }, ms);
    proc.once('exit', end);
  });
}

export function features(seed: number): string {
  const rnd = mulberry32(seed);
  const q = (v: number) => Math.round(v * 1024) / 1024;
  const out: unknown[] = [];
  for (let i = 0; i < 2500; i++) {
    const cx = rnd() * 64 - 2, cy = rnd() * 44 - 2, r = 0.05 + rnd() ** 2 * 1.5;
    const n = 5 + Math.floor(rnd() * 20);
    const ring = (scale: number) => {
      const pts: number[][] = [];
      for (let k = 0; k < n; k++) {
        const a = (2 * Math.PI * k) / n, rr = r * scale * (0.5 + rnd() * 0.5);
        pts.push([q(cx + rr * Math.cos(a)), q(cy + rr * Math.sin(a))]);
      }
      pts.push(pts[0]);
      return pts;
    };
    const v = 1 + Math.floor(rnd() * 250);
    const kind = rnd();
    if (kind < 0.7) {
      const rings = rnd() < 0.2 ? [ring(1), ring(0.3)] : [ring(1)];
      out.push({ type: 'Feature', properties: { v }, geometry: { type: 'Polygon', coordinates: rings } });
    } else if (kind < 0.9) {
      const line = ring(1).slice(0, n);
      out.push({ type: 'Feature', properties: { v }, geometry: { type: 'LineString', coordinates: line } });
    } else {
      out.push({ type: 'Feature', properties: { v }, geometry: { type: 'MultiPoint', coordinates: ring(1).slice(0, 4) } });
    }
  }
  return JSON.stringify({ type: 'FeatureCollection', features: out });
}
