// How `rasterburn worker` stops on SIGINT/SIGTERM: it lets the running tasks finish, as long as Redis
// answers. BullMQ's close() waits for Redis to record each task's end and for its connections to
// close, so with Redis gone (killed, unreachable) it never resolves while ioredis retries. A task whose
// worker cannot reach Redis is lost to that worker anyway: its lock is not renewed, and once the lock
// lapses the queue hands the task to another worker. So the stop gives up once Redis has been silent
// for a bounded time, at once when the worker holds no task.

/** What stopWorker needs of a running worker (node-worker.ts's startWorker gives it). */
export interface StoppableWorker {
  /** Lets the running tasks finish and closes the connections (resolves once Redis has recorded them). */
  close(): Promise<void>;
  /** Tasks taken whose end Redis has not recorded yet. */
  held(): number;
  /** Whether Redis answers a command within `ms`. */
  redisAnswers(ms: number): Promise<boolean>;
  /** Drops the connections without waiting for anything. */
  abandon(): void;
}

export interface StopOutcome {
  /** 0: stopped cleanly, or with nothing held; 1: tasks left unfinished, or close() failed */
  code: number;
  /** one line saying how it stopped */
  line: string;
}

/** How long a stopping worker waits for a silent Redis: 5 s, or the lock's life if shorter (no longer is of use). */
export function redisGraceMs(lockSeconds: number): number {
  return Math.min(5000, lockSeconds * 1000);
}

const sleep = (ms: number) => new Promise<'tick'>((r) => setTimeout(() => r('tick'), ms));

/** Stops `w`: waits for close() while Redis answers, gives up after `graceMs` of silence from it. */
export async function stopWorker(w: StoppableWorker, o: { redis: string; graceMs: number; pollMs?: number }): Promise<StopOutcome> {
  const pollMs = o.pollMs ?? 500;
  const closed = w.close().then(() => null, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  let answeredAt = Date.now();
  for (;;) {
    const r = await Promise.race([closed, sleep(pollMs)]);
    if (r === null) return { code: 0, line: 'stopped' };
    if (r instanceof Error) {
      w.abandon();
      return { code: 1, line: `could not stop cleanly: ${r.message.split('\n')[0]}` };
    }
    if (await w.redisAnswers(Math.min(1000, 2 * pollMs))) {
      answeredAt = Date.now();
      continue;
    }
    const held = w.held();
    if (held === 0) {
      w.abandon();
      return { code: 0, line: `Redis at ${o.redis} does not answer; no task was held: stopped` };
    }
    const silentMs = Date.now() - answeredAt;
    if (silentMs >= o.graceMs) {
      w.abandon();
      const tasks = held === 1 ? '1 task' : `${held} tasks`;
      return {
        code: 1,
        line: `Redis at ${o.redis} did not answer for ${Math.round(silentMs / 100) / 10} s: stopped with ${tasks} unfinished (the queue hands them to another worker once their locks lapse)`,
      };
    }
  }
}
