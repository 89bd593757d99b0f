// Runs one command as a child process and measures it whole: wall time from spawn to exit, CPU
// time and peak RSS from GNU time (`/usr/bin/time`, Debian package `time`) when it is installed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface Measurement {
  /** seconds from spawn to exit */
  wall: number;
  /** user + system CPU seconds, null without GNU time */
  cpu: number | null;
  /** peak resident set size in MiB, null without GNU time */
  rssMiB: number | null;
  stdout: string;
  stderr: string;
}

export const GNU_TIME = '/usr/bin/time';
export const HAVE_GNU_TIME = existsSync(GNU_TIME);

let seq = 0;

/** Runs cmd args to completion; throws with the command's stderr when it fails or runs past timeoutS. */
export async function measure(cmd: string, args: string[], timeoutS: number, env?: Record<string, string>): Promise<Measurement> {
  return (await measureOrCap(cmd, args, timeoutS, 0, env)).m;
}

/** A run stopped at its cap: its wall, CPU and peak RSS are lower bounds, its outputs absent. */
export interface CappedMeasurement extends Measurement {
  capped: boolean;
  /** Date.now() when the process ended, to date the lower bound of a phase that had started before */
  endedAt: number;
}

/**
 * Runs cmd args like measure(), stopped by SIGTERM after capS seconds (0: never) through coreutils'
 * `timeout`, which waits for it, so GNU time still reports the CPU time and peak RSS it reached.
 * A capped run is returned (capped: true), not thrown.
 */
export async function measureCapped(cmd: string, args: string[], capS: number, env?: Record<string, string>): Promise<CappedMeasurement> {
  const { m, capped, endedAt } = await measureOrCap(cmd, args, Math.max(capS * 2, 1800), capS, env);
  return { ...m, capped, endedAt };
}

async function measureOrCap(cmd: string, args: string[], timeoutS: number, capS: number, env?: Record<string, string>): Promise<{ m: Measurement; capped: boolean; endedAt: number }> {
  // -k: a process that ignores SIGTERM is killed 5 s later (its time is then a lower bound all the same)
  const [run, runArgs] = capS > 0 ? ['timeout', ['-k', '5', String(capS), cmd, ...args]] : [cmd, args];
  const timeFile = join(tmpdir(), `rasterburn-bench-time-${process.pid}-${seq++}.txt`);
  const [file, argv] = HAVE_GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, run, ...runArgs]] : [run, runArgs];
  const t0 = process.hrtime.bigint();
  const { code, signal, stdout, stderr } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const endedAt = Date.now();
  let cpu: number | null = null, rssMiB: number | null = null;
  if (HAVE_GNU_TIME) {
    try {
      // GNU time writes "Command exited with non-zero status N" before the format line on failure
      const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [u, s, m] = line.split(/\s+/).map(Number);
      if ([u, s, m].every(Number.isFinite)) { cpu = u + s; rssMiB = m / 1024; }
    } catch { /* no time file: the numbers stay null */ }
    rmSync(timeFile, { force: true });
  }
  // timeout's own status when it stopped the command: 124 (SIGTERM), 137 (escalated to SIGKILL)
  const capped = capS > 0 && (code === 124 || code === 137) && wall >= capS;
  if (capped) return { m: { wall, cpu, rssMiB, stdout, stderr }, capped, endedAt };
  if (signal || code !== 0) {
    const why = signal ? `killed by ${signal}${wall >= timeoutS ? ` after the ${timeoutS} s timeout` : ''}` : `exit code ${code}`;
    const msg = stderr.trim().split('\n').filter((l) => !l.startsWith('Command ')).slice(-3).join(' | ');
    throw new Error(`${cmd} failed (${why}): ${msg || '(no stderr)'}`);
  }
  return { m: { wall, cpu, rssMiB, stdout, stderr }, capped: false, endedAt };
}

/** Runs a short command and returns its stdout, or null when it cannot run. */
export async function probe(cmd: string, args: string[]): Promise<string | null> {
  try {
    return (await measure(cmd, args, 60)).stdout.trim();
  } catch {
    return null;
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
