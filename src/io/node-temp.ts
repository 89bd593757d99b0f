// Temp files written beside a destination: named after the process that owns them, so that a later run can
// tell a dead process's leftovers (a SIGKILL, a power cut) from a live run's work in progress, and removed on
// every error path and on SIGINT, SIGTERM and SIGHUP (SIGKILL cannot be caught: the next run in that folder
// removes what it left).
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

// the host is part of the name: on a shared (network) folder a process id only means something on its own host
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const TEMP_NAME = /^\..+\.rasterburn-([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.tmp$/;

const live = new Set<string>();

/** A fresh temp path beside `path`: `.NAME.rasterburn-HOST-PID-RANDOM.tmp`, registered for removal on signals. */
export function tempPathFor(path: string): string {
  const tmp = join(dirname(path), `.${basename(path)}.rasterburn-${HOST}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  live.add(tmp);
  watch();
  return tmp;
}

/** The temp file was renamed into place or removed: nothing left to clean up. */
export function tempDone(tmp: string): void {
  live.delete(tmp);
  if (live.size === 0) unwatch();
}

/** Removes a temp file (quietly: it may never have been created) and forgets it. */
export function removeTemp(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch { /* not created, or already gone */ }
  tempDone(tmp);
}

/**
 * Removes, from `dir`, the temp files of rasterburn processes on this host that no longer run. Those of live
 * processes (another run writing there now), of other hosts and any file not named as ours are left alone.
 * Returns the names removed.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || m[1] !== HOST) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isRunning(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch { /* another run removed it first, or we may not */ }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// While a temp file exists, SIGINT, SIGTERM and SIGHUP first remove it. When nobody else listens for the
// signal, it is then raised again, so that the process ends as it would have (same signal, same exit status);
// a program with its own handlers keeps them in charge. Only while a temp file exists: the rest of the time
// the signals keep their default action at once, even during a long synchronous burn.
function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of [...live]) removeTemp(tmp);
  unwatch();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

let watching = false;

function watch(): void {
  if (watching) return;
  watching = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unwatch(): void {
  if (!watching) return;
  watching = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}
