// The LZW encoder's output decodes to its input, through table clears (long inputs), for noise, runs and
// tiny inputs; the decoder here is libtiff's scheme, and GDAL reading our LZW files is tested in
// test/oracle/diff-creation-options.test.ts.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../bench/random.js';
import { lzwDecode, lzwEncode } from '../../../src/io/tiff/lzw.js';

describe('lzwEncode', () => {
  it('round-trips noise, runs and short inputs (seeded)', () => {
    const rand = mulberry32(9);
    const inputs: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(100000).fill(3)];
    for (let k = 0; k < 12; k++) {
      const n = Math.floor(rand() * 60000);
      const alphabet = [2, 16, 256][k % 3];
      const run = 1 + (k % 4) * 7;
      const d = new Uint8Array(n);
      for (let i = 0; i < n; i += run) d.fill(Math.floor(rand() * alphabet), i, i + run);
      inputs.push(d);
    }
    for (const d of inputs) {
      const z = lzwEncode(d);
      expect(Buffer.compare(Buffer.from(lzwDecode(z, d.length)), Buffer.from(d)), `${d.length} bytes`).toBe(0);
    }
  });

  it('gives the same bytes on a second call (its tables are reset)', () => {
    const d = Uint8Array.from({ length: 30000 }, (_, i) => (i * 7919) % 251);
    expect(Buffer.compare(Buffer.from(lzwEncode(d)), Buffer.from(lzwEncode(d)))).toBe(0);
  });
});
