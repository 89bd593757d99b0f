// The --redis URL: checked here so that a bad one is a one-line error before BullMQ (and its driver,
// ioredis) try to connect to it.

/** Where a redis://[user:password@]host[:port][/db] URL points. */
export interface RedisTarget { host: string; port: number; username?: string; password?: string; db?: number }

/** Parses a redis:// URL; anything else is refused with a one-line error. */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--redis: '${url}' is not a URL: use redis://HOST:PORT`);
  }
  if (u.protocol === 'rediss:') throw new Error('--redis: TLS (rediss://) is not supported: reach Redis over a trusted network or a tunnel');
  if (u.protocol !== 'redis:') throw new Error(`--redis: '${url}' is not a redis:// URL`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new Error(`--redis: '${u.pathname.slice(1)}' is not a database number`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined ? { db } : {}),
  };
}
