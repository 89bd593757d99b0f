// Raster -> NumPy .npy (format version 1.0), shape (height, width), C order, little-endian. Browser-safe.
import type { DType, Raster } from '../types.js';
import { LITTLE_ENDIAN_HOST, setLE } from './endian.js';

const DESCR: Record<DType, string> = {
  uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8', int64: '<i8', uint64: '<u8',
};

/** Encodes a raster's band as a .npy file that numpy.load reads as a (height, width) array of its dtype. */
export function toNpy(raster: Raster): ArrayBuffer {
  const head = npyHead(raster);
  const { data, dtype } = raster;
  const out = new ArrayBuffer(head.length + data.byteLength);
  const bytes = new Uint8Array(out);
  bytes.set(head);
  const start = head.length;
  const bpp = data.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN_HOST || bpp === 1) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  } else {
    const view = new DataView(out);
    for (let i = 0; i < data.length; i++) setLE(view, start + i * bpp, dtype, data[i]);
  }
  return out;
}

/** The same file as toNpy as pieces to write in order; on little-endian hosts the pixels are a view, not a copy. */
export function toNpyParts(raster: Raster): Uint8Array[] {
  const head = npyHead(raster);
  const d = raster.data;
  if (LITTLE_ENDIAN_HOST || d.BYTES_PER_ELEMENT === 1) return [head, new Uint8Array(d.buffer, d.byteOffset, d.byteLength)];
  return [new Uint8Array(toNpy(raster))];
}

// magic, version, header length and the padded dict header
function npyHead(raster: Raster): Uint8Array {
  const { width, height, dtype, data } = raster;
  const descr = DESCR[dtype];
  if (!descr) throw new Error(`unsupported raster dtype '${dtype}'`);
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new Error(`raster size must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height) throw new Error(`raster data has ${data.length} values, expected ${width}x${height} = ${width * height}`);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${height}, ${width}), }`;
  // magic(6) + version(2) + header length(2) + header + '\n' must be a multiple of 64 (numpy pads with spaces)
  const unpadded = 10 + header.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  header = header + ' '.repeat(total - unpadded) + '\n';
  if (header.length > 0xffff) throw new Error(`npy header too long: ${header.length} bytes`);
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY v1.0
  new DataView(head.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) head[10 + i] = header.charCodeAt(i);
  return head;
}
