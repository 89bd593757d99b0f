// A Web Worker that encodes GeoTIFF chunks for toGeoTIFFAsync in browsers (the browser bundle's
// encode-worker.js, started by web-encode.ts): each message is a batch of chunks and their spec, each answer
// the encoded chunks, transferred back. DEFLATE is fflate's, as on the page's own thread, so the file's bytes
// are the synchronous toGeoTIFF's.
import { chunkTaskRunner } from './encode-task.js';
import { FFLATE } from './fflate.js';
import type { ChunkSpec } from './chunk-spec.js';

/** A batch sent to the worker. */
export interface EncodeRequest { id: number; spec: ChunkSpec; hosts: Uint8Array[] }
/** The worker's answer: the chunks' bytes, or why it failed. */
export type EncodeReply = { id: number; out: Uint8Array[] } | { id: number; error: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(m: EncodeReply, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const encode = chunkTaskRunner(FFLATE);

scope.onmessage = (e) => {
  const { id, spec, hosts } = e.data;
  (async () => {
    const out: Uint8Array[] = [];
    for (const h of hosts) out.push(await encode(spec, h));
    return out;
  })().then(
    (out) => scope.postMessage({ id, out }, out.map((b) => b.buffer)),
    (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []),
  );
};
