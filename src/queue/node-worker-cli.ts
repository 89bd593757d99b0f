// `rasterburn worker --redis redis://HOST:PORT [--concurrency N] [--lock-seconds S] [--backend B] [-q]`: runs a tile
// worker until SIGINT/SIGTERM, then lets the running tasks finish while Redis answers (node-worker-stop.ts;
// a second signal exits at once; the queue hands an unfinished task to another worker once its lock lapses).

import type { RunningWorker, WorkerBackend } from './node-worker.js';

export const WORKER_USAGE = 'Usage: rasterburn worker --redis redis://HOST:PORT [--concurrency N] [--lock-seconds S] [--backend cpu|webgpu|auto] [-q]';

interface WorkerArgs { redis: string; concurrency: number; lockSeconds: number; backend: WorkerBackend; quiet: boolean }

function parseWorkerArgs(argv: readonly string[]): WorkerArgs | 'help' {
  const a: Partial<WorkerArgs> = { concurrency: 1, lockSeconds: 30, backend: 'cpu', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = (eq > 0 ? raw.slice(0, eq) : raw).toLowerCase();
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${raw} needs a value`);
      return argv[++i];
    };
    const count = (v: string, lo: number, hi: number): number => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < lo || n > hi) throw new Error(`${name} must be a whole number from ${lo} to ${hi}, got '${v}'`);
      return n;
    };
    if (name === '--help' || name === '-h') return 'help';
    else if (name === '--redis') a.redis = value();
    else if (name === '--concurrency') a.concurrency = count(value(), 1, 64);
    else if (name === '--lock-seconds') a.lockSeconds = count(value(), 2, 3600);
    else if (name === '--backend') {
      const v = value().toLowerCase();
      if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto') throw new Error(`--backend must be cpu, webgpu or auto, got '${v}'`);
      a.backend = v;
    } else if (name === '-q' || name === '-quiet') a.quiet = true;
    else throw new Error(`Unknown option name '${raw}' (${WORKER_USAGE})`);
  }
  if (a.redis === undefined) throw new Error(`--redis is required: ${WORKER_USAGE}`);
  return a as WorkerArgs;
}

/** Runs the worker subcommand; resolves to the exit code once it has stopped. */
export async function runWorkerCli(
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const parsed = parseWorkerArgs(argv);
  if (parsed === 'help') {
    io.stdout.write(`${WORKER_USAGE}\n\nRuns tile tasks of jobs submitted with 'rasterburn --redis URL ... SRC OUT.vrt'.\n` +
      'Every worker must see the job\'s store: the folder at the path the submitter gave, or its s3:// URL\n' +
      '(with the AWS_* settings GDAL\'s /vsis3/ reads: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_ENDPOINT, ...).\n' +
      '  --concurrency N     tasks at once in this process (default 1; run one process per core instead)\n' +
      '  --lock-seconds S    a dead worker\'s task is taken over after about S seconds (default 30)\n' +
      '  --backend B         cpu (default), webgpu (the GPU, a software adapter too) or auto (a hardware GPU, else the CPU)\n' +
      '  -q                  no line per task\n');
    return 0;
  }
  const [{ startWorker }, { redisGraceMs, stopWorker }] = await Promise.all([import('./node-worker.js'), import('./node-worker-stop.js')]);
  const log = parsed.quiet ? undefined : (m: string) => { io.stderr.write(`rasterburn worker: ${m}\n`); };
  // how it stopped, when not cleanly, is said even with -q
  const say = (m: string) => { io.stderr.write(`rasterburn worker: ${m}\n`); };
  // signals are taken from the start: one while Redis is awaited stops the wait
  const starting = new AbortController();
  let signalled: string | null = null;
  let onStop: ((sig: string) => void) | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled !== null) {
      say(`${sig} again: exiting at once`);
      process.exit(130);
    }
    signalled = sig;
    if (onStop) onStop(sig);
    else starting.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let worker: RunningWorker;
    try {
      worker = await startWorker({
        redis: parsed.redis, concurrency: parsed.concurrency, lockSeconds: parsed.lockSeconds, backend: parsed.backend, log, signal: starting.signal,
      });
    } catch (e) {
      if (signalled === null) throw e;
      say(`${signalled}: stopped before Redis answered`);
      return 0;
    }
    log?.(`waiting for tiles on ${parsed.redis} (pid ${process.pid}, concurrency ${parsed.concurrency}, ${worker.gpu ?? 'CPU'})`);
    const sig = signalled ?? await new Promise<string>((resolve) => { onStop = resolve; });
    log?.(`${sig}: finishing the running tasks`);
    const out = await stopWorker(worker, { redis: parsed.redis, graceMs: redisGraceMs(parsed.lockSeconds) });
    if (out.code === 0) log?.(out.line);
    else say(out.line);
    return out.code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
