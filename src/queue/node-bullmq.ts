// BullMQ, loaded when a queue command runs (an optional dependency, as is ioredis, the Redis driver
// BullMQ loads itself). The names every submitter and worker agree on live here.
import { parseRedisUrl } from './node-redis-url.js';

/** The BullMQ queue that holds every job's tiles and assembling parents. */
export const QUEUE_NAME = 'rasterburn-tiles';

export type BullMQ = typeof import('bullmq');

/** Tile task ids: the job's id and the tile's row-major index. */
export function tileJobId(jobId: string, index: number): string {
  return `${jobId}-t${index}`;
}

/** Checks a --job-id: it names Redis entries and a folder of the store. */
export function checkJobId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id) || /^\d+$/.test(id)) {
    throw new Error(`--job-id must be 1 to 64 letters, digits, '_', '.' or '-' (not only digits), got '${id}'`);
  }
  return id;
}

let loaded: Promise<BullMQ> | null = null;

/** bullmq, loaded on first use so that a run without --redis never evaluates it. */
export function loadBullMQ(): Promise<BullMQ> {
  loaded ??= import('bullmq').catch(() => {
    throw new Error("the tile queue needs the optional packages 'bullmq' and 'ioredis': npm install bullmq ioredis");
  });
  return loaded;
}

/** Connection options for a redis:// URL (checked here, so a bad URL is a one-line error). */
export function connectionFor(url: string): { url: string } {
  parseRedisUrl(url);
  return { url };
}

/** `p`, or an error naming `what` when it has not settled within `ms` (ioredis retries a refused
 * connection forever: a worker or submitter that never reached Redis must stop with one line). */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
