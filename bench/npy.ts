// Minimal .npy (version 1.0) header writing and reading for the benchmark's outputs: W5's stacks
// of job rasters, and the references that browser results are compared with.
import { closeSync, openSync, readSync } from 'node:fs';
import type { DType } from '../src/types.js';

const DESCR: Record<DType, string> = {
  uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8', int64: '<i8', uint64: '<u8',
};

/** The magic, version, length and padded dict header of a C-order little-endian array. */
export function npyHeader(dtype: DType, shape: number[]): Uint8Array {
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat(Math.ceil(unpadded / 64) * 64 - unpadded) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head[8] = header.length & 0xff;
  head[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) head[10 + i] = header.charCodeAt(i);
  return head;
}

export interface NpyInfo {
  descr: string;
  shape: number[];
  /** byte offset of the first element */
  offset: number;
}

/** Reads the header of a .npy file (versions 1 to 3). */
export function readNpyHeader(path: string): NpyInfo {
  const fd = openSync(path, 'r');
  try {
    const pre = Buffer.alloc(12);
    readSync(fd, pre, 0, 12, 0);
    if (pre.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path} is not a .npy file`);
    const major = pre[6];
    const len = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
    const start = major === 1 ? 10 : 12;
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, start);
    const h = buf.toString('latin1');
    const descr = /'descr':\s*'([^']+)'/.exec(h)?.[1];
    const shape = /'shape':\s*\(([^)]*)\)/.exec(h)?.[1];
    if (!descr || shape === undefined || /'fortran_order':\s*True/.test(h)) throw new Error(`${path}: unsupported .npy header ${h.trim()}`);
    return { descr, shape: shape.split(',').map((s) => s.trim()).filter(Boolean).map(Number), offset: start + len };
  } finally {
    closeSync(fd);
  }
}

/** FNV-1a over bytes: the same function as the browser page's hashBytes(), so hashes compare across the two. */
export function fnv1a(b: Uint8Array, from = 0, to = b.length): string {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
