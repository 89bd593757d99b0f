// The ZSTD run coder's frames decompress, with zstd-wasm (the reference zstd built to WebAssembly), to the chunk
// they came from, for seeded run patterns of every pixel size: short and long runs, literals of every byte value
// (Huffman tables over all 256, one stream or four, weights coded with FSE or directly), few literals (raw), one
// byte value (RLE blocks), chunks of several 128 KiB blocks with runs across their borders, views at any offset; it declines chunks that are not runs, and is smaller than
// zstd's level 9 on rasterized rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/random.js';
import type { Zstd } from '../../../src/io/tiff/codec.js';
import { zstdRuns } from '../../../src/io/tiff/zstd-runs.js';
import { loadZstd } from '../../../src/io/tiff/zstd.js';

let zstd: Zstd;
beforeAll(async () => { zstd = await loadZstd(); });

// `pixels` pixels of `unit` bytes in runs of 1..maxRun pixels, each run a random value (zero with probability
// `zeros`, else each byte random below `range`)
function runs(seed: number, pixels: number, unit: number, maxRun: number, zeros = 0.5, range = 256): Uint8Array {
  const rand = mulberry32(seed);
  const out = new Uint8Array(pixels * unit);
  for (let p = 0; p < pixels;) {
    const len = 1 + Math.floor(rand() * maxRun);
    const zero = rand() < zeros;
    const value = Array.from({ length: unit }, () => (zero ? 0 : Math.floor(rand() * range)));
    for (let k = 0; k < len && p < pixels; k++, p++) out.set(value, p * unit);
  }
  return out;
}

function roundTrip(data: Uint8Array, unit: number, what: string): Uint8Array {
  const z = zstdRuns(data, unit);
  expect(z, `declined ${what}`).not.toBeNull();
  let back: Uint8Array;
  try {
    back = zstd.decompress(z!, data.length);
  } catch (e) {
    throw new Error(`${what}: zstd refuses the frame (${(e as Error).message})`);
  }
  expect(Buffer.compare(Buffer.from(back), Buffer.from(data)), what).toBe(0);
  return z!;
}

describe('zstdRuns', () => {
  it('round-trips seeded runs of every pixel size', () => {
    let coded = 0;
    for (const unit of [1, 2, 3, 4, 6, 8, 12]) {
      for (let seed = 1; seed <= 24; seed++) {
        const maxRun = [4, 12, 40, 400, 5000][seed % 5];
        const range = [256, 4, 200][seed % 3];
        const data = runs(seed * 100 + unit, 50 + seed * 331, unit, maxRun, [0.5, 0.1, 0.9][seed % 3], range);
        if (zstdRuns(data, unit) === null) continue;
        roundTrip(data, unit, `seed ${seed * 100 + unit}, ${unit}-byte pixels, runs up to ${maxRun}`);
        coded++;
      }
    }
    // the fuzz must reach the coder, not only its refusals
    expect(coded).toBeGreaterThan(100);
  });

  it('codes chunks of several blocks, runs crossing their borders', () => {
    for (const unit of [1, 2, 3, 8]) {
      for (let seed = 1; seed <= 3; seed++) {
        const data = runs(seed * 7 + unit, Math.ceil((300_000 + seed * 40_000) / unit), unit, 3000, 0.5);
        roundTrip(data, unit, `seed ${seed * 7 + unit}, ${data.length} bytes of ${unit}-byte pixels`);
      }
    }
    // one value throughout: RLE blocks
    const flat = new Uint8Array(400_000).fill(9);
    expect(roundTrip(flat, 2, 'a flat chunk').length).toBeLessThan(40);
    roundTrip(new Uint8Array(300_000), 4, 'a zero chunk');
  });

  it('codes literals of every byte value, many and few', () => {
    // every byte value as a run's first pixel: all 256 Huffman weights; thousands of literals: four streams
    const wide = runs(11, 60_000, 2, 40, 0.1, 256);
    roundTrip(wide, 2, 'wide literals');
    // a few runs: raw literals
    roundTrip(runs(12, 2000, 2, 900), 2, 'few literals');
    // literals of two values: a Huffman table of two codes
    const two = new Uint8Array(4000).map((_, i) => (Math.floor(i / 100) % 2 ? 7 : 0));
    roundTrip(two, 1, 'two literal values');
    // runs of 8 bytes, 16 values evenly: 16 KiB of literals in a 128 KiB block (the largest literals header),
    // Huffman codes of one length (weights described directly)
    const rand = mulberry32(13);
    const eights = new Uint8Array(300_000);
    for (let at = 0, v = 0; at < eights.length; at += 8) { v = (v + 1 + Math.floor(rand() * 15)) % 16; eights.fill(v, at, at + 8); }
    roundTrip(eights, 1, 'runs of 8 bytes');
  });

  it('gives tiny chunks the right bytes', () => {
    for (const bytes of [[5], [1, 1, 1, 1, 2, 2, 2, 2], [0, 0, 0, 0], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]]) {
      const unit = bytes.length === 12 ? 4 : 1;
      roundTrip(Uint8Array.from(bytes), unit, `[${bytes.join(', ')}]`);
    }
  });

  it('takes views at any offset', () => {
    const data = runs(7, 20_000, 2, 300);
    const padded = new Uint8Array(data.length + 3);
    padded.set(data, 1);
    roundTrip(padded.subarray(1, 1 + data.length), 2, 'a view at offset 1');
    roundTrip(data.subarray(2), 2, 'a view at offset 2');
  });

  it('declines chunks that are not runs', () => {
    const rand = mulberry32(3);
    const noise = Uint8Array.from({ length: 20000 }, () => Math.floor(rand() * 256));
    expect(zstdRuns(noise, 2)).toBeNull();
    expect(zstdRuns(runs(4, 10000, 2, 2), 2)).toBeNull();
    expect(zstdRuns(new Uint8Array(0), 1)).toBeNull();
    expect(zstdRuns(new Uint8Array(5), 2)).toBeNull();
  });

  it('is smaller than zstd level 9 on rasterized rows', () => {
    // rows of a UInt16 raster: ~18-pixel runs, ids and zeros
    let ours = 0, level9 = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const row = runs(seed, 10000, 2, 36);
      ours += roundTrip(row, 2, `row ${seed}`).length;
      level9 += zstd.compress(row, 9).length;
    }
    expect(ours).toBeLessThan(level9);
  });

  it('names a bad pixel size', () => {
    expect(() => zstdRuns(new Uint8Array(4), 0)).toThrow(/pixel size must be 1 to 32768 bytes, got 0/);
  });
});
