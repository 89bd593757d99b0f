// A burn thread of the threaded CPU burn (node-pool.ts). Started as its own small file
// (dist/cli/burn-worker.mjs in the bundled bin) so that it is ready in a few tens of milliseconds.
// A { warm } message burns a small synthetic scene first (the JIT compiles the burn while the main
// thread still parses; no answer). A { touch } message writes one byte per memory page of a fresh shared grid and answers { touched }:
// the kernel's page faults then happen here, while the main thread is still parsing, not in the burn.
// An { encode } message is a batch of GeoTIFF chunks to compress (the same pool compresses the output it burned):
// answered { encoded: id, data } or { encoded: id, failed }, the codec loaded on first use.
// Any other message is a BandJob: the thread burns bands until none is left and answers { ok } or { error }.
import { isMainThread, parentPort } from 'node:worker_threads';
import { burnBands, warmUp, type BandJob } from '../cpu/bands.js';
import type { ChunkSpec } from '../io/tiff/chunk-spec.js';
import type { DType } from '../types.js';

type Message = BandJob | { touch: Uint8Array } | { warm: { dtype: DType; allTouched: boolean; merge: 'replace' | 'add' } }
  | { encode: { id: number; spec: ChunkSpec; data: Uint8Array[] } };

let encoder: Promise<(spec: ChunkSpec, host: Uint8Array) => Promise<Uint8Array>> | null = null;
// the codecs and zlib load only in a worker that compresses: a burn thread starts without them
function chunkEncoder(): NonNullable<typeof encoder> {
  return encoder ??= Promise.all([import('../io/tiff/encode-task.js'), import('../io/node-zlib.js')])
    .then(([task, zlib]) => task.chunkTaskRunner(zlib.NODE_DEFLATE));
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (job: Message) => {
    if ('warm' in job) {
      // best effort and silent: a failure here would show up in the real burn
      try { warmUp(job.warm.dtype, job.warm.allTouched, job.warm.merge); } catch { /* nothing to do */ }
      return;
    }
    if ('encode' in job) {
      const { id, spec, data } = job.encode;
      chunkEncoder().then(async (encode) => { const out: Uint8Array[] = []; for (const d of data) out.push(await encode(spec, d)); return out; }).then(
        (out) => port.postMessage({ encoded: id, data: out }, out.flatMap((b) => (b.buffer instanceof ArrayBuffer ? [b.buffer] : []))),
        (e: unknown) => port.postMessage({ encoded: id, failed: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
      );
      return;
    }
    if ('touch' in job) {
      const bytes = job.touch;
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
      port.postMessage({ touched: true });
      return;
    }
    try {
      burnBands(job);
      port.postMessage({ ok: true });
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
  });
}
