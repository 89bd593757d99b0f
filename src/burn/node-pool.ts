// The threaded CPU burn's threads in Node (worker_threads): the calling thread and the pool's workers
// take row bands from a shared counter (src/cpu/bands.ts), so the pixels are the one-thread burn's.
// Node-only: src/node.ts and the CLI import it, the browser core never does. Workers are started early
// (BurnPool) so that their start overlaps reading the source. The same workers compress the GeoTIFF's
// chunks afterwards (ChunkWorkers), so a run never starts a second set of threads.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BandJob } from '../cpu/bands.js';
import type { ChunkSpec } from '../io/tiff/chunk-spec.js';
import type { ChunkWorkers } from '../io/tiff/encode-queue.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';
import type { BandPool } from './pool.js';

/** The default thread count: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 64));
}

/**
 * A requested thread count as started: more threads than cores only share them, so a request is held
 * to 4x the cores (each thread costs ~10 MB and a start; `--threads 256` on a laptop should not).
 */
export function usableThreads(requested: number): number {
  return Math.max(1, Math.min(requested, 4 * availableParallelism()));
}

/** threads - 1 burn workers (the caller's thread is the last one), started now, used for any number of burns. */
export class BurnPool implements BandPool, ChunkWorkers {
  private readonly workers: Worker[] = [];
  /** chunk encodings waiting for their worker's answer, by id */
  private readonly encoding = new Map<number, { worker: Worker; resolve: (b: Uint8Array[]) => void; reject: (e: Error) => void }>();
  private nextEncode = 0;

  /** a worker that failed outside a run (e.g. while touching pages): reported by the next run */
  private failure: Error | null = null;
  /** the workers' page touching: it writes zeros, so it must be over before a burn writes anything */
  private touching: Promise<unknown> = Promise.resolve();
  /** unref()'d: idle workers do not keep the process alive */
  private weak = false;

  constructor(private readonly workerUrl: URL, public threads: number) {
    for (let t = 1; t < threads; t++) this.startWorker();
  }

  private startWorker(): void {
    // node:worker_threads brings ~20 of Node's internal modules: loaded when a pool starts its workers,
    // not with this module, so that a run on one thread (every small CLI job) never compiles them
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    // no inherited Node options: --input-type, -e or a loader of the caller's make no sense for this file
    const w = new Worker(this.workerUrl, { execArgv: [] });
    if (this.weak) w.unref();
    w.on('error', (e) => { this.failure ??= new Error(`a burn thread failed: ${e.message}`); });
    w.on('message', (m: { encoded?: number; data?: Uint8Array[]; failed?: string }) => {
      if (m.encoded === undefined) return;
      const job = this.encoding.get(m.encoded);
      if (!job) return;
      this.encoding.delete(m.encoded);
      if (this.weak && this.encoding.size === 0) for (const x of this.workers) x.unref();
      if (m.data) job.resolve(m.data);
      else job.reject(new Error(`a compression thread failed: ${m.failed ?? 'no answer'}`));
    });
    // a worker that dies fails its chunks rather than leave them waiting
    w.once('exit', (code) => {
      for (const [id, job] of this.encoding) {
        if (job.worker !== w) continue;
        this.encoding.delete(id);
        job.reject(new Error(`a compression thread stopped (exit code ${code})`));
      }
    });
    this.workers.push(w);
  }

  /** Starts workers up to `threads` in all (the caller's thread counted); never stops any. */
  grow(threads: number): void {
    while (this.workers.length + 1 < threads) this.startWorker();
    this.threads = Math.max(this.threads, threads);
  }

  /** Workers that compress chunks (ChunkWorkers): every one of the pool's. */
  get size(): number {
    return this.workers.length;
  }

  /** Encodes chunks on worker `k` (see ChunkWorkers); shared memory is posted without a copy. */
  encode(k: number, spec: ChunkSpec, hosts: Uint8Array[], owned: boolean): Promise<Uint8Array[]> {
    const w = this.workers[k];
    if (!w) return Promise.reject(new Error(`internal: no compression worker ${k}`));
    if (this.failure) return Promise.reject(this.failure);
    const transfer: ArrayBuffer[] = [];
    const data = hosts.map((h) => {
      if (h.buffer instanceof SharedArrayBuffer) return h;
      // a view of a bigger buffer would be posted whole: only the chunk's bytes travel
      const own = owned && h.byteOffset === 0 && h.byteLength === h.buffer.byteLength ? h : h.slice();
      transfer.push(own.buffer as ArrayBuffer);
      return own;
    });
    const id = this.nextEncode++;
    return new Promise<Uint8Array[]>((resolve, reject) => {
      if (this.weak && this.encoding.size === 0) for (const x of this.workers) x.ref();
      this.encoding.set(id, { worker: w, resolve, reject });
      w.postMessage({ encode: { id, spec, data } }, transfer);
    });
  }

  /** Has the workers compile the burn for this type and mode now (see warmUp in cpu/bands.ts). */
  warmUp(dtype: DType, allTouched: boolean, merge: 'replace' | 'add'): void {
    for (const w of this.workers) w.postMessage({ warm: { dtype, allTouched, merge } });
  }

  /**
   * Has the workers write to every memory page of `data` (a fresh SharedArrayBuffer grid) in the
   * background: first-touch page faults cost about as much as the burn itself on a big grid, and
   * this way they overlap whatever the caller does next (reading and parsing the source).
   */
  prefault(data: TypedArray): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const n = this.workers.length;
    if (n === 0) return;
    const per = Math.ceil(bytes.length / n / 4096) * 4096;
    const done = this.workers.map((w, k) => new Promise<void>((resolve) => {
      const onMessage = (m: { touched?: boolean }) => { if (m.touched) { w.off('message', onMessage); resolve(); } };
      w.on('message', onMessage);
      // a worker that dies while touching is reported by the next run (the 'exit' there)
      w.once('exit', () => resolve());
      w.postMessage({ touch: bytes.subarray(Math.min(bytes.length, k * per), Math.min(bytes.length, (k + 1) * per)) });
    }));
    this.touching = Promise.all([this.touching, ...done]);
  }

  /** Burns every band of `job` on all threads; resolves when all are done. */
  async run(job: BandJob, onProgress?: (p: ProgressInfo) => void): Promise<void> {
    await this.touching;
    if (this.failure) throw this.failure;
    // the answers must arrive before the process may end
    if (this.weak) for (const w of this.workers) w.ref();
    try {
      await this.runOn(job, onProgress);
    } finally {
      if (this.weak) for (const w of this.workers) w.unref();
    }
  }

  private async runOn(job: BandJob, onProgress?: (p: ProgressInfo) => void): Promise<void> {
    // the engine is imported with the first burn, not with this module: the CLI decides on threads before
    // it reads its source, and the engine's compiling need not come before that first byte
    const { burnBands } = await import('../cpu/bands.js');
    const finished = this.workers.map((w) => new Promise<void>((resolve, reject) => {
      const off = () => { w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit); };
      const onMessage = (m: { ok?: boolean; error?: string }) => {
        // other answers (a chunk encoded) are not the burn's
        if (m.ok === undefined && m.error === undefined) return;
        off();
        if (m.ok) resolve(); else reject(new Error(m.error ?? 'a burn thread failed'));
      };
      const onError = (e: Error) => { off(); reject(new Error(`a burn thread failed: ${e.message}`)); };
      const onExit = (code: number) => { off(); reject(new Error(`a burn thread stopped (exit code ${code})`)); };
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage(job);
    }));
    // reported in shapes, as the one-thread burn does: the share of bands finished
    const progress = () => {
      const fraction = Atomics.load(job.ctl, 1) / job.bands;
      onProgress?.({ fraction, done: Math.round(fraction * job.shapes.count), total: job.shapes.count });
    };
    try {
      burnBands(job, progress);
    } finally {
      // a worker may be inside a band: wait for all of them (a failure of this thread is rethrown after)
      const settled = await Promise.allSettled(finished);
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
    }
    progress();
  }

  /** Lets the process exit while the workers wait for work (a pool kept across library calls); a run still holds it. */
  unref(): void {
    this.weak = true;
    for (const w of this.workers) w.unref();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
