// toGeoTIFFAsync's threads in browsers: Web Workers running the bundle's encode-worker.js, started on first
// need and kept for later files. They compress with fflate, as the page's thread does, so the bytes are the
// synchronous toGeoTIFF's for any thread count. Browser-only (needs Worker).
import type { ChunkSpec } from './chunk-spec.js';
import type { ChunkWorkers } from './encode-queue.js';
import type { EncodeReply, EncodeRequest } from './encode-worker.js';
import { FFLATE } from './fflate.js';
import { setEncodeThreads } from './write-async.js';

interface Pending { resolve(out: Uint8Array[]): void; reject(e: Error): void }

// one Web Worker and the batches it has not answered yet
class EncodeWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  constructor(url: string | URL) {
    this.worker = new Worker(url, { type: 'module', name: 'rasterburn-encode' });
    this.worker.onmessage = (e: MessageEvent<EncodeReply>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if ('error' in e.data) p.reject(new Error(e.data.error));
      else p.resolve(e.data.out);
    };
    // a worker that fails to load (a wrong URL, a blocked script) fails every batch it holds
    this.worker.onerror = (e: ErrorEvent) => {
      const err = new Error(`GeoTIFF encode worker failed: ${e.message || `could not load ${String(url)}`}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }
  encode(spec: ChunkSpec, hosts: Uint8Array[], owned: boolean): Promise<Uint8Array[]> {
    const id = this.next++;
    const msg: EncodeRequest = { id, spec, hosts };
    // a buffer is handed over only when the caller gave it up and it holds nothing else
    const seen = new Set<ArrayBufferLike>();
    const transfer: Transferable[] = [];
    for (const h of hosts) {
      const b = h.buffer;
      if (owned && b instanceof ArrayBuffer && h.byteOffset === 0 && h.byteLength === b.byteLength && !seen.has(b)) { seen.add(b); transfer.push(b); }
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg, transfer);
    });
  }
}

/**
 * Registers Web Workers for toGeoTIFFAsync: `workerUrl` is the bundle's encode-worker.js (the browser bundle
 * registers its own on load).
 *
 * @example
 * useWebEncodeThreads(new URL('./encode-worker.js', import.meta.url));
 * const tif = await toGeoTIFFAsync(raster, { compress: 'deflate', threads: 'all' });
 */
export function useWebEncodeThreads(workerUrl: string | URL): void {
  const pool: EncodeWorker[] = [];
  setEncodeThreads({
    cores: () => Math.max(1, Math.min(typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1, 64)),
    workers: async (threads): Promise<ChunkWorkers | null> => {
      if (typeof Worker === 'undefined' || threads < 2) return null;
      while (pool.length < threads - 1) pool.push(new EncodeWorker(workerUrl));
      const size = threads - 1;
      return { size, encode: (k, spec, hosts, owned) => pool[k].encode(spec, hosts, owned) };
    },
    deflate: FFLATE,
  });
}
