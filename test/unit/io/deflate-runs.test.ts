// The run coder's zlib streams inflate to the chunk they came from, with node:zlib and with fflate (the
// browser's), for every pixel size and run length, including runs past one match's 258 bytes; it declines
// chunks that are not runs, and stays as small as zlib's level 6 on run data.
import { deflateSync, inflateSync } from 'node:zlib';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/random.js';
import { deflateRuns } from '../../../src/io/tiff/deflate-runs.js';

// `pixels` pixels of `unit` bytes in runs of 1..maxRun pixels, each run a random value (zero half the time)
function runs(seed: number, pixels: number, unit: number, maxRun: number): Uint8Array {
  const rand = mulberry32(seed);
  const out = new Uint8Array(pixels * unit);
  for (let p = 0; p < pixels;) {
    const len = 1 + Math.floor(rand() * maxRun);
    const value = Array.from({ length: unit }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 256)));
    for (let k = 0; k < len && p < pixels; k++, p++) out.set(value, p * unit);
  }
  return out;
}

function roundTrip(data: Uint8Array, unit: number): Uint8Array {
  const z = deflateRuns(data, unit);
  expect(z, `declined ${data.length} bytes of ${unit}-byte pixels`).not.toBeNull();
  expect(Buffer.compare(inflateSync(z!), data)).toBe(0);
  expect(Buffer.compare(Buffer.from(unzlibSync(z!)), data)).toBe(0);
  return z!;
}

describe('deflateRuns', () => {
  it('round-trips runs of every pixel size (seeded)', () => {
    for (const unit of [1, 2, 3, 4, 6, 8, 12]) {
      for (let seed = 1; seed <= 20; seed++) {
        const maxRun = [4, 40, 400, 5000][seed % 4];
        const data = runs(seed * 100 + unit, 50 + seed * 97, unit, maxRun);
        if (deflateRuns(data, unit) === null) continue;
        roundTrip(data, unit);
      }
    }
  });

  it('splits long runs at every length near 258 bytes', () => {
    for (let n = 16; n <= 800; n++) roundTrip(new Uint8Array(n).fill(7), 1);
    for (let n = 8; n <= 400; n++) roundTrip(new Uint8Array(2 * n).fill(0x12).map((v, i) => (i % 2 ? 0x34 : v)), 2);
  });

  it('takes views at any offset', () => {
    const data = runs(7, 5000, 2, 300);
    const padded = new Uint8Array(data.length + 3);
    padded.set(data, 1);
    roundTrip(padded.subarray(1, 1 + data.length), 2);
    roundTrip(data.subarray(2), 2);
  });

  it('gives a tiny exact chunk the right bytes', () => {
    // one pixel: a literal-only stream
    expect(Array.from(inflateSync(roundTrip(Uint8Array.of(5), 1)))).toEqual([5]);
    expect(Array.from(inflateSync(roundTrip(Uint8Array.of(1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4), 4)))).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('declines chunks that are not runs', () => {
    const rand = mulberry32(3);
    const noise = Uint8Array.from({ length: 20000 }, () => Math.floor(rand() * 256));
    expect(deflateRuns(noise, 2)).toBeNull();
    expect(deflateRuns(runs(4, 10000, 2, 2), 2)).toBeNull();
  });

  it('is about as small as zlib level 6 on rasterized runs', () => {
    // rows of a UInt16 raster: ~18-pixel runs, building ids and zeros
    let ours = 0, zlib = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const row = runs(seed, 10000, 2, 36);
      ours += roundTrip(row, 2).length;
      zlib += deflateSync(row, { level: 6 }).length;
    }
    expect(ours).toBeLessThan(zlib * 1.15);
  });

  it('names a bad pixel size', () => {
    expect(() => deflateRuns(new Uint8Array(4), 0)).toThrow(/pixel size must be 1 to 32768 bytes, got 0/);
  });
});
