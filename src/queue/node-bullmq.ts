// BullMQ, loaded when a queue command runs (an optional dependency), with its connections made by
// node-resp.ts. The names every submitter and worker agree on live here.
import { parseRedisUrl, RespConnection } from './node-resp.js';

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

/** bullmq, set to connect through RespConnection to `url`'s server. */
export function loadBullMQ(): Promise<BullMQ> {
  loaded ??= (async () => {
    let mq: BullMQ;
    try {
      mq = await import('bullmq');
    } catch {
      throw new Error("the tile queue needs the optional package 'bullmq': npm install bullmq");
    }
    mq.RedisConnection.clientFactory = (opts) => {
      const target = typeof opts.url === 'string'
        ? parseRedisUrl(opts.url)
        : { host: String(opts.host ?? '127.0.0.1'), port: Number(opts.port ?? 6379), ...(opts.password ? { password: String(opts.password) } : {}) };
      return mq.createBunRedisClient(new RespConnection(target) as never);
    };
    return mq;
  })();
  return loaded;
}

/** Connection options for a redis:// URL (checked here, so a bad URL is a one-line error). */
export function connectionFor(url: string): { url: string } {
  parseRedisUrl(url);
  return { url };
}
