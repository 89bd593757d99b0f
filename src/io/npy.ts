// Raster -> NumPy .npy (format version 1.0), shape (height, width), C order, little-endian. Browser-safe.
import type { DType, Raster } from '../types.js';

const DESCR: Record<DType, string> = {
  uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8',
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes a raster's band as a .npy file that numpy.load reads as a (height, width) array of its dtype. */
export function toNpy(raster: Raster): ArrayBuffer {
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
  const out = new ArrayBuffer(10 + header.length + data.byteLength);
  const bytes = new Uint8Array(out);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY v1.0
  new DataView(out).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  const bpp = data.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN_HOST || bpp === 1) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  } else {
    const view = new DataView(out);
    for (let i = 0; i < data.length; i++) {
      const at = start + i * bpp, v = data[i];
      if (dtype === 'int16') view.setInt16(at, v, true);
      else if (dtype === 'uint16') view.setUint16(at, v, true);
      else if (dtype === 'int32') view.setInt32(at, v, true);
      else if (dtype === 'uint32') view.setUint32(at, v, true);
      else if (dtype === 'float32') view.setFloat32(at, v, true);
      else view.setFloat64(at, v, true);
    }
  }
  return out;
}
