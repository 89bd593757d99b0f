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
// a chunk of 100 KB whose first byte is i: a few make a batch
const chunk = (i: number): Uint8Array => { const c = new Uint8Array(100 << 10); c[0] = i; return c; };

function fakeWorkers(size: number, seed: number, failAt = -1): ChunkWorkers & { taken: number[] } {
  const rand = mulberry32(seed);
  const taken = new Array<number>(size).fill(0);
  return {
    size, taken,
    encode: (k, _spec, hosts) => new Promise((resolve, reject) => {
      taken[k] += hosts.length;
      setTimeout(() => (hosts.some((h) => h[0] === failAt) ? reject(new Error(`chunk ${failAt} failed`)) : resolve(hosts.map(enc))), Math.floor(rand() * 6));
    }),
  };
}

describe('ChunkEncoder', () => {
  it('sends small chunks in batches', async () => {
    const workers = fakeWorkers(2, 5);
    let calls = 0;
    const counted: ChunkWorkers = { size: 2, encode: (...a) => { calls++; return workers.encode(...a); } };
    const out: number[] = [];
    const q = new ChunkEncoder(SPEC, counted, null, (_i, b) => { out.push(b[0]); });
    for (let i = 0; i < 100; i++) await q.push(Uint8Array.of(i, 1, 2, 3));
    await q.finish();
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(calls).toBe(4);
  });

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
    for (let i = 0; i < 60; i++) await q.push(i % 7 === 3 ? null : chunk(i));
    await q.finish();
    expect(out, `seed ${seed}`).toEqual(Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? -i : i)));
    expect(workers.taken.every((n) => n > 0)).toBe(true);
  });

  it('encodes on the calling thread only when every worker is full', async () => {
    const workers = fakeWorkers(2, 11);
    let local = 0;
    const out: number[] = [];
    const q = new ChunkEncoder(SPEC, workers, (h) => { local++; return enc(h); }, (_i, b) => { out.push(b[0]); });
    for (let i = 0; i < 40; i++) await q.push(chunk(i), true);
    await q.finish();
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // the workers' queues (2 batches each) fill at once: the 5th batch is the caller's
    expect(local).toBeGreaterThan(0);
    expect(workers.taken[0] + workers.taken[1] + local).toBe(40);
  });

  it("reports a worker's failure", async () => {
    const q = new ChunkEncoder(SPEC, fakeWorkers(2, 3, 5), null, () => undefined);
    await expect((async () => {
      for (let i = 0; i < 20; i++) await q.push(chunk(i));
      await q.finish();
    })()).rejects.toThrow(/chunk 5 failed/);
  });
});
