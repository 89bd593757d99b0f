// A small Redis connection (RESP2 over TCP) for BullMQ. BullMQ talks to Redis through a client
// interface of its own and ships an adapter (createBunRedisClient) over any connection that offers
// send(command, args), connect/close and connection callbacks; this is such a connection, so the
// queue needs no Redis client package beside bullmq. The adapter does the rest: Lua scripts,
// MULTI/EXEC, reply shapes and reconnecting after a dropped connection (a Redis restart).
import { connect as tcpConnect, type Socket } from 'node:net';

type Reply = string | number | null | Error | Reply[];

interface Pending { resolve: (v: Reply) => void; reject: (e: Error) => void }

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

// RESP2 replies out of a byte stream; null until a whole reply is buffered
class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next whole reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    const start = this.pos;
    const r = this.read();
    if (r === undefined) this.pos = start;
    return r;
  }

  private line(): string | undefined {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) return undefined;
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private read(): Reply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const type = String.fromCharCode(this.buf[this.pos++]);
    const head = this.line();
    if (head === undefined) return undefined;
    switch (type) {
      case '+': return head;
      case '-': return new Error(head);
      case ':': return Number(head);
      case '$': {
        const n = Number(head);
        if (n < 0) return null;
        if (this.pos + n + 2 > this.buf.length) return undefined;
        const s = this.buf.toString('utf8', this.pos, this.pos + n);
        this.pos += n + 2;
        return s;
      }
      case '*': {
        const n = Number(head);
        if (n < 0) return null;
        const out: Reply[] = [];
        for (let i = 0; i < n; i++) {
          const r = this.read();
          if (r === undefined) return undefined;
          out.push(r);
        }
        return out;
      }
      default:
        throw new Error(`unexpected Redis reply type '${type}'`);
    }
  }
}

function encode(command: string, args: ReadonlyArray<string | number | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length + 1}\r\n$${Buffer.byteLength(command)}\r\n${command}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** One connection in the shape BullMQ's createBunRedisClient adapts (send, connect, close, callbacks). */
export class RespConnection {
  connected = false;
  onconnect: () => void = () => {};
  onclose: (error?: Error) => void = () => {};
  onerror: (error: Error) => void = () => {};
  private socket: Socket | null = null;
  private readonly pending: Pending[] = [];
  private parser = new ReplyParser();

  constructor(readonly target: RedisTarget) {}

  /** A fresh, unconnected connection to the same server (the adapter reconnects through it). */
  async duplicate(): Promise<RespConnection> {
    return new RespConnection(this.target);
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    const { host, port } = this.target;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = tcpConnect({ host, port });
      s.once('connect', () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    }).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`cannot reach Redis at ${host}:${port}: ${e.code ?? e.message}`);
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    this.socket = socket;
    this.parser = new ReplyParser();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    let failure: Error | undefined;
    socket.on('error', (e) => { failure = e; });
    socket.on('close', () => this.dropped(failure));
    this.connected = true;
    const { username, password, db } = this.target;
    try {
      if (password !== undefined) await this.send('AUTH', username !== undefined ? [username, password] : [password]);
      if (db !== undefined) await this.send('SELECT', [db]);
    } catch (e) {
      this.close();
      throw e;
    }
    this.onconnect();
  }

  close(): void {
    if (!this.socket) return;
    this.socket.end();
    this.socket.destroy();
  }

  send(command: string, args: ReadonlyArray<string | number | Buffer>): Promise<Reply> {
    if (!this.connected || !this.socket) return Promise.reject(new Error('Connection closed'));
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket!.write(encode(command, args));
    });
  }

  private onData(chunk: Buffer): void {
    this.parser.push(chunk);
    for (;;) {
      let r: Reply | undefined;
      try {
        r = this.parser.next();
      } catch (e) {
        this.socket?.destroy(e as Error);
        return;
      }
      if (r === undefined) return;
      const p = this.pending.shift();
      if (!p) continue;
      if (r instanceof Error) p.reject(r);
      else p.resolve(r);
    }
  }

  private dropped(error: Error | undefined): void {
    const was = this.connected;
    this.connected = false;
    this.socket = null;
    for (const p of this.pending.splice(0)) p.reject(new Error('Connection closed'));
    if (was) this.onclose(error);
  }
}
