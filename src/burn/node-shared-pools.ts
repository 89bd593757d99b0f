// The library's burn pools in Node, one per thread count, kept for later calls and never keeping the process
// alive: rasterizeThreaded burns on them and toGeoTIFFAsync compresses on them (src/io/node-encode.ts).
import { BurnPool, usableThreads } from './node-pool.js';

const pools = new Map<number, BurnPool>();

/** The pool of `threads` threads (held to usableThreads), started on first use. */
export function libraryPool(threads: number): BurnPool {
  const n = usableThreads(threads);
  let p = pools.get(n);
  if (!p) {
    p = new BurnPool(new URL('./node-worker.js', import.meta.url), n);
    p.unref();
    pools.set(n, p);
  }
  return p;
}

/** A running pool of at least `threads` threads, if there is one (a compression reuses it rather than start another). */
export function runningPool(threads: number): BurnPool | null {
  let best: BurnPool | null = null;
  for (const p of pools.values()) if (p.threads >= threads && (!best || p.threads < best.threads)) best = p;
  return best;
}
