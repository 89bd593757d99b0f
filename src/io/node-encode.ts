// toGeoTIFFAsync's threads in Node: the library's burn pools (a running one of enough threads, else the pool
// of the asked count) compress with node:zlib, as this thread does, so the bytes are one thread's.
import { availableParallelism } from 'node:os';
import type { ChunkWorkers } from './tiff/encode-queue.js';
import { setEncodeThreads } from './tiff/write-async.js';
import { NODE_DEFLATE } from './node-zlib.js';

/** Registers the Node threads for toGeoTIFFAsync (the package's Node entries call it). */
export function useNodeEncodeThreads(): void {
  setEncodeThreads({
    cores: () => Math.max(1, Math.min(availableParallelism(), 64)),
    workers: async (threads): Promise<ChunkWorkers> => {
      const { libraryPool, runningPool } = await import('../burn/node-shared-pools.js');
      const p = runningPool(threads) ?? libraryPool(threads);
      return { size: Math.min(p.size, threads - 1), encode: (k, spec, host, owned) => p.encode(k, spec, host, owned) };
    },
    deflate: NODE_DEFLATE,
  });
}
