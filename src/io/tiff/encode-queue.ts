// Chunks encoded on several threads and handed out in file order: consecutive small chunks travel together
// (a 1-row strip of a wide raster is ~20 KB: one message each would cost more than a tenth of its
// compression), each batch goes to the least busy worker (a few queued each, so none idles while its answer
// travels back); when every worker is full, the calling thread encodes the batch itself, which also holds
// back a producer that outruns the workers. Every chunk is encoded on its own by the same codec, so the
// bytes are the one-thread bytes for any thread count. Browser-safe: the workers are the host's
// (src/burn/node-pool.ts in Node).
import type { ChunkSpec } from './chunk-spec.js';

/** Threads that encode chunks besides the calling one. */
export interface ChunkWorkers {
  /** how many */
  readonly size: number;
  /**
   * Encodes each of `hosts` (chunks' samples in host order) per `spec` on worker `k` (0 <= k < size). `owned`:
   * the caller gives the buffers up, so they may be transferred; otherwise they are copied unless shared.
   */
  encode(k: number, spec: ChunkSpec, hosts: Uint8Array[], owned: boolean): Promise<Uint8Array[]>;
}

// a batch is sent once it holds this many bytes or chunks
const BATCH_BYTES = 256 << 10;
const BATCH_CHUNKS = 32;
const EMPTY = new Uint8Array(0);

// resolves after the events already queued (a worker's answer) have run: setImmediate in Node, a message in browsers
// (setTimeout(0) waits 1-4 ms, a long time next to a chunk)
function nextTurn(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}
// encoded chunks waiting for a slow sink before push() waits for it
const MAX_UNWRITTEN = 64;

/**
 * Encodes pushed chunks on `workers` and on this thread (`local`, null: never here) and passes them, in push
 * order, to `emit`, one call at a time.
 */
export class ChunkEncoder {
  private pushed = 0;
  private emitted = 0;
  private written = 0;
  private readonly ready = new Map<number, Uint8Array>();
  private readonly load: number[];
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** chunks gathered for the next batch, and their indices */
  private batch: Uint8Array[] = [];
  private batchAt: number[] = [];
  private batchBytes = 0;
  private batchOwned = true;

  constructor(
    private readonly spec: ChunkSpec,
    private readonly workers: ChunkWorkers | null,
    private readonly local: ((host: Uint8Array) => Uint8Array) | null,
    private readonly emit: (index: number, bytes: Uint8Array) => void | Promise<void>,
    private readonly depth = 2,
  ) {
    if (!workers?.size && !local) throw new Error('internal: a chunk encoder needs workers or a local codec');
    this.load = new Array<number>(workers?.size ?? 0).fill(0);
  }

  /**
   * Queues the next chunk (null: a chunk left out, emitted empty). Resolves when a thread has taken it, or it
   * waits in the next batch; the caller may reuse `host` only if it was neither owned nor shared memory.
   */
  async push(host: Uint8Array | null, owned = false): Promise<void> {
    const i = this.pushed++;
    if (host === null) {
      this.done(i, EMPTY);
      return;
    }
    if (!this.workers?.size) {
      this.check();
      this.done(i, this.local!(host));
      return;
    }
    // a view the caller keeps is copied now: the caller may refill it before the batch leaves
    const shared = typeof SharedArrayBuffer !== 'undefined' && host.buffer instanceof SharedArrayBuffer;
    this.batch.push(owned || shared ? host : host.slice());
    this.batchAt.push(i);
    this.batchBytes += host.length;
    this.batchOwned &&= !shared;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_CHUNKS) await this.send();
  }

  /** Sends the chunks gathered so far (a producer that pauses calls it, so that they are not held back). */
  async flush(): Promise<void> {
    if (this.batch.length) await this.send();
  }

  // the batch to the least busy worker, else (every one full) encoded here, else waits for a worker
  private async send(): Promise<void> {
    const hosts = this.batch, at = this.batchAt, owned = this.batchOwned;
    this.batch = [];
    this.batchAt = [];
    this.batchBytes = 0;
    this.batchOwned = true;
    let looked = false;
    for (;;) {
      this.check();
      if (this.emitted - this.written > MAX_UNWRITTEN) {
        await this.writing;
        continue;
      }
      let k = -1;
      for (let j = 0; j < this.load.length; j++) if (this.load[j] < this.depth && (k < 0 || this.load[j] < this.load[k])) k = j;
      if (k >= 0) {
        this.load[k]++;
        const p: Promise<void> = this.workers!.encode(k, this.spec, hosts, owned).then(
          (out) => {
            if (out.length !== hosts.length) throw new Error(`internal: ${out.length} chunks encoded of ${hosts.length}`);
            out.forEach((b, j) => this.done(at[j], b));
          },
        ).catch((error: unknown) => { this.failure ??= { error }; })
          .finally(() => { this.load[k]--; this.running.delete(p); });
        this.running.add(p);
        return;
      }
      if (this.local) {
        // the workers' answers wait in the event queue while this thread works: take them first
        if (!looked) {
          looked = true;
          await nextTurn();
          continue;
        }
        hosts.forEach((h, j) => this.done(at[j], this.local!(h)));
        return;
      }
      await Promise.race(this.running);
    }
  }

  /** Resolves when every pushed chunk is encoded and emitted; rethrows a worker's or emit's failure. */
  async finish(): Promise<void> {
    await this.flush();
    while (this.running.size) await Promise.race(this.running);
    this.check();
    await this.writing;
    this.check();
    if (this.emitted !== this.pushed) throw new Error(`internal: ${this.pushed - this.emitted} chunks were not emitted`);
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  // chunk i is encoded: emit it and any that waited for it, in order
  private done(i: number, bytes: Uint8Array): void {
    this.ready.set(i, bytes);
    while (this.ready.has(this.emitted)) {
      const at = this.emitted++;
      const b = this.ready.get(at)!;
      this.ready.delete(at);
      this.writing = this.writing.then(async () => {
        if (this.failure) return;
        try {
          await this.emit(at, b);
          this.written++;
        } catch (error) {
          this.failure ??= { error };
        }
      });
    }
  }
}
