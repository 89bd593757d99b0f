// The progress bar: only on a TTY, not with -q, not for short runs, throttled, and erasable.
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 80, writes, write(s: string) { writes.push(s); return true; } };
}

describe('progressBar', () => {
  it('draws nothing when the stream is not a TTY or -q is given', () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const s = fakeStream(tty);
      let t = 0;
      const bar = progressBar(s, { quiet, now: () => t });
      t = 10_000;
      bar.update({ fraction: 0.5, done: 1, total: 2 });
      bar.clear();
      expect(s.writes).toEqual([]);
    }
  });

  it('waits out the delay, throttles redraws, always draws completion, and clears', () => {
    const s = fakeStream(true);
    let t = 0;
    const bar = progressBar(s, { now: () => t, delayMs: 300, intervalMs: 100 });
    t = 100;
    bar.update({ fraction: 0.1, done: 1, total: 10 });
    expect(s.writes).toHaveLength(0);
    t = 400;
    bar.update({ fraction: 0.25, done: 25, total: 100 });
    expect(s.writes).toHaveLength(1);
    expect(s.writes[0]).toMatch(/^\r\[#+-+\]  25% 25\/100 shapes$/);
    t = 450;
    bar.update({ fraction: 0.3, done: 30, total: 100 });
    expect(s.writes).toHaveLength(1);
    t = 460;
    bar.update({ fraction: 1, done: 100, total: 100 });
    expect(s.writes).toHaveLength(2);
    expect(s.writes[1]).toMatch(/^\r\[#+\] 100% 100\/100 shapes$/);
    bar.clear();
    expect(s.writes[2]).toBe('\r\x1b[K');
    bar.clear();
    expect(s.writes).toHaveLength(3);
  });

  it('keeps a short run silent', () => {
    const s = fakeStream(true);
    let t = 0;
    const bar = progressBar(s, { now: () => t });
    t = 50;
    bar.update({ fraction: 1, done: 3, total: 3 });
    bar.clear();
    expect(s.writes).toEqual([]);
  });
});
