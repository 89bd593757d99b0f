// One chunk encoded on a worker thread (a Node worker of src/burn/node-worker.ts, or a Web Worker): the codec
// of the spec the writing thread sent, built once per spec, ZSTD's WebAssembly loaded on first need.
// Browser-safe: the thread's DEFLATE is passed in.
import type { Deflate } from './codec.js';
import { codecCache, type ChunkSpec } from './chunk-spec.js';
import { loadZstd, zstdIfLoaded } from './zstd.js';

/** A worker's encoder: `encode(spec, host)` gives the chunk's bytes in the file. */
export function chunkTaskRunner(deflate: Deflate): (spec: ChunkSpec, host: Uint8Array) => Promise<Uint8Array> {
  const codecOf = codecCache(() => ({ deflate, zstd: zstdIfLoaded() }));
  return async (spec, host) => {
    // ZSTD chunks: the codec is built once the module is loaded
    if (spec.compression === 50000 && !zstdIfLoaded()) await loadZstd();
    return exact(codecOf(spec).encode(host));
  };
}

// a view that is its whole buffer, so that the buffer can be transferred back without taking anything else along
// (SharedArrayBuffer exists only in cross-origin isolated pages and their workers)
function exact(b: Uint8Array): Uint8Array {
  const shared = typeof SharedArrayBuffer !== 'undefined' && b.buffer instanceof SharedArrayBuffer;
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !shared ? b : new Uint8Array(b);
}
