// Byte order. GeoTIFF and npy files are written little-endian and typed arrays hold samples in the host's
// order, so on a little-endian host (every platform Node and browsers run on today) pixels are copied as
// bytes; the rest is the big-endian fallback. Browser-safe.
import type { DType } from '../types.js';

/** Whether typed arrays on this host store their samples little-endian. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// reverses the bytes of every `size`-byte sample of `d` in place
export function swapBytes(d: Uint8Array, size: number): void {
  for (let i = 0; i + size <= d.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) { const t = d[a]; d[a] = d[b]; d[b] = t; }
  }
}

// writes one sample of `dtype` little-endian at `at`
export function setLE(view: DataView, at: number, dtype: DType, v: number | bigint): void {
  switch (dtype) {
    case 'uint8': view.setUint8(at, Number(v)); break;
    case 'int16': view.setInt16(at, Number(v), true); break;
    case 'uint16': view.setUint16(at, Number(v), true); break;
    case 'int32': view.setInt32(at, Number(v), true); break;
    case 'uint32': view.setUint32(at, Number(v), true); break;
    case 'float32': view.setFloat32(at, Number(v), true); break;
    case 'float64': view.setFloat64(at, Number(v), true); break;
    case 'int64': view.setBigInt64(at, BigInt(v), true); break;
    case 'uint64': view.setBigUint64(at, BigInt(v), true); break;
  }
}
