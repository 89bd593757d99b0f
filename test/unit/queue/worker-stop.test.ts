// stopWorker on a stand-in worker (the real one, with Redis killed, is test/oracle/queue-worker-stop.test.ts):
// it waits for the running tasks as long as Redis answers, however long they take, and gives up once
// Redis has been silent for the grace time, at once when nothing is held.
import { describe, expect, it } from 'vitest';
import { redisGraceMs, stopWorker, type StoppableWorker } from '../../../src/queue/node-worker-stop.js';

/** A worker whose close() resolves after `closeMs` (never: Infinity; rejects: an Error), with Redis up until `redisUpMs`. */
function fake(o: { closeMs: number | Error; redisUpMs: number; held: number }): StoppableWorker & { abandoned: boolean } {
  const t0 = Date.now();
  const w = {
    abandoned: false,
    close: () => new Promise<void>((resolve, reject) => {
      if (o.closeMs instanceof Error) reject(o.closeMs);
      else if (Number.isFinite(o.closeMs)) setTimeout(resolve, o.closeMs);
    }),
    held: () => o.held,
    redisAnswers: async () => Date.now() - t0 < o.redisUpMs,
    abandon: () => { w.abandoned = true; },
  };
  return w;
}

const REDIS = 'redis://127.0.0.1:6379';
const timed = async (w: StoppableWorker, graceMs: number) => {
  const t0 = Date.now();
  const out = await stopWorker(w, { redis: REDIS, graceMs, pollMs: 20 });
  return { ...out, ms: Date.now() - t0 };
};

describe('stopWorker', () => {
  it('returns once close() has, with code 0', async () => {
    const w = fake({ closeMs: 10, redisUpMs: Infinity, held: 1 });
    expect(await timed(w, 200)).toMatchObject({ code: 0, line: 'stopped' });
    expect(w.abandoned).toBe(false);
  });

  it('waits for a task that outlasts the grace time while Redis answers', async () => {
    const r = await timed(fake({ closeMs: 600, redisUpMs: Infinity, held: 1 }), 100);
    expect(r).toMatchObject({ code: 0, line: 'stopped' });
    expect(r.ms).toBeGreaterThanOrEqual(550);
  });

  it('gives up after the grace time of silence from Redis, code 1, naming the tasks left', async () => {
    const w = fake({ closeMs: Infinity, redisUpMs: 150, held: 2 });
    const r = await timed(w, 300);
    expect(r.code).toBe(1);
    expect(r.line).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:6379 did not answer for \d+(\.\d)? s: stopped with 2 tasks unfinished \(the queue hands them to another worker once their locks lapse\)$/);
    // silence counted from Redis's last answer, not from the signal
    expect(r.ms).toBeGreaterThanOrEqual(150 + 300 - 25);
    expect(r.ms).toBeLessThan(5000);
    expect(w.abandoned).toBe(true);
  });

  it('stops at once when Redis is silent and nothing is held, code 0', async () => {
    const w = fake({ closeMs: Infinity, redisUpMs: 0, held: 0 });
    const r = await timed(w, 5000);
    expect(r).toMatchObject({ code: 0, line: 'Redis at redis://127.0.0.1:6379 does not answer; no task was held: stopped' });
    expect(r.ms).toBeLessThan(3000);
    expect(w.abandoned).toBe(true);
  });

  it('a failing close() is code 1 with its message', async () => {
    const r = await timed(fake({ closeMs: new Error('Connection is closed.\nat ...'), redisUpMs: Infinity, held: 0 }), 100);
    expect(r).toMatchObject({ code: 1, line: 'could not stop cleanly: Connection is closed.' });
  });

  it('waits 5 s for a silent Redis, less when the lock lapses sooner', () => {
    expect([redisGraceMs(30), redisGraceMs(5), redisGraceMs(3)]).toEqual([5000, 5000, 3000]);
  });
});
