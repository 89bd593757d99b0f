// Pixel checks of the GPU kit: an engine's output against the reference, byte for byte (so NaN
// payloads and -0 count too), and a hash for outputs that come back from another process.
import type { TypedArray } from '../../src/types.js';

export interface Diff {
  /** pixels that differ */
  count: number;
  /** the first few: row-major pixel index (and column x, row y when the width is known), reference value, other value */
  first: { index: number; x?: number; y?: number; expected: number; got: number }[];
}

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Pixels of `got` that differ from `want` (same length and type expected), bit for bit; `width` places them. */
export function diffPixels(want: TypedArray, got: TypedArray, width?: number): Diff {
  if (want.length !== got.length || want.constructor !== got.constructor) {
    throw new Error(`outputs differ in shape: ${want.constructor.name}(${want.length}) vs ${got.constructor.name}(${got.length})`);
  }
  const a = bytesOf(want), b = bytesOf(got);
  const size = want.BYTES_PER_ELEMENT;
  const diff: Diff = { count: 0, first: [] };
  // whole words first: outputs are mostly identical, and this is the pass that runs over every byte
  const words = Math.floor(a.byteLength / 4);
  const aligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const wa = aligned ? new Uint32Array(a.buffer, a.byteOffset, words) : null;
  const wb = aligned ? new Uint32Array(b.buffer, b.byteOffset, words) : null;
  let lastPixel = -1;
  const scan = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (a[i] === b[i]) continue;
      const p = Math.floor(i / size);
      if (p === lastPixel) continue;
      lastPixel = p;
      diff.count++;
      if (diff.first.length < 5) {
        const at = width ? { x: p % width, y: Math.floor(p / width) } : {};
        diff.first.push({ index: p, ...at, expected: Number(want[p]), got: Number(got[p]) });
      }
    }
  };
  if (wa && wb) {
    for (let w = 0; w < words; w++) if (wa[w] !== wb[w]) scan(w * 4, w * 4 + 4);
    scan(words * 4, a.byteLength);
  } else {
    scan(0, a.byteLength);
  }
  return diff;
}

/**
 * FNV-1a-style hash, 32 bits as hex, over 32-bit words and then the tail bytes: enough to tell a
 * child process's output from the reference's, at a quarter of the steps of a byte-wise hash.
 */
export function hashPixels(a: TypedArray): string {
  const b = bytesOf(a);
  const words = b.byteOffset % 4 === 0 ? Math.floor(b.byteLength / 4) : 0;
  const w = new Uint32Array(b.buffer, b.byteOffset, words);
  let h = 0x811c9dc5;
  for (let i = 0; i < words; i++) h = Math.imul(h ^ w[i], 0x01000193);
  for (let i = words * 4; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
