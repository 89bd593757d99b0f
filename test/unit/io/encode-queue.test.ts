// The ordered chunk encoder: chunks come out in push order whatever order the threads finish in, every
// worker gets work, the calling thread helps only when the workers are full, and a worker's failure is
// reported rather than lost. Fake workers with seeded delays stand in for threads.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/random.js';
import type { ChunkSpec } from '../../../src/io/tiff/chunk-spec.js';
import { ChunkEncoder, type ChunkWorkers } from '../../../src/io/tiff/encode-queue.js';

const SPEC: ChunkSpec = { compression: 8, predictor: 1, littleEndian: true, bps: 1, stride: 1, rowBytes: 4 };
// "encoding": the chunk's first byte doubled, so the output tells which chunk it came from
const enc = (h: Uint8Array): Uint8Array => Uint8Array.of(h[0], h[0]);

function fakeWorkers(size: number, seed: number, failAt = -1): ChunkWorkers & { taken: number[] } {
  const rand = mulberry32(seed);
  const taken = new Array<number>(size).fill(0);
  return {
    size, taken,
    encode: (k, _spec, host) => new Promise((resolve, reject) => {
      taken[k]++;
      setTimeout(() => (host[0] === failAt ? reject(new Error(`chunk ${failAt} failed`)) : resolve(enc(host))), Math.floor(rand() * 6));
    }),
  };
}

describe('ChunkEncoder', () => {
  it('emits in push order, one at a time, with left-out chunks in place', async () => {
    const seed = 7;
    const workers = fakeWorkers(3, seed);
    const out: number[] = [];
    let inEmit = false;
    const q = new ChunkEncoder(SPEC, workers, null, async (i, b) => {
      expect(inEmit, 'emit calls overlap').toBe(false);
      inEmit = true;
      await new Promise((r) => setTimeout(r, 1));
      out.push(b.length === 0 ? -i : b[0]);
      inEmit = false;
    });
    for (let i = 0; i < 60; i++) await q.push(i % 7 === 3 ? null : Uint8Array.of(i, 0, 0, 0));
    await q.finish();
    expect(out, `seed ${seed}`).toEqual(Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? -i : i)));
    expect(workers.taken.every((n) => n > 0)).toBe(true);
  });

  it('encodes on the calling thread only when every worker is full', async () => {
    const workers = fakeWorkers(2, 11);
    let local = 0;
    const out: number[] = [];
    const q = new ChunkEncoder(SPEC, workers, (h) => { local++; return enc(h); }, (_i, b) => { out.push(b[0]); });
    for (let i = 0; i < 40; i++) await q.push(Uint8Array.of(i));
    await q.finish();
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // the workers' queues (2 each) fill at once: the 5th chunk is the caller's
    expect(local).toBeGreaterThan(0);
    expect(workers.taken[0] + workers.taken[1] + local).toBe(40);
  });

  it("reports a worker's failure", async () => {
    const q = new ChunkEncoder(SPEC, fakeWorkers(2, 3, 5), null, () => undefined);
    await expect((async () => {
      for (let i = 0; i < 20; i++) await q.push(Uint8Array.of(i));
      await q.finish();
    })()).rejects.toThrow(/chunk 5 failed/);
  });
});
