import type { DType } from '../types.js';
import { GpuUnsupportedError } from './errors.js';

/** How one output type lives on the GPU. */
export interface GpuFormat {
  /** render target in merge 'replace' */
  format: GPUTextureFormat;
  /** bytes per pixel on the GPU (float64 travels as float32) */
  gpuBytes: number;
  /** fragment entry point writing that format */
  fragment: 'fs_uint' | 'fs_sint';
  /** two's complement values (int16, int32) */
  signed: boolean;
}

// float32 and float64 replace write raw f32 bits into r32uint: an r32float target may flush
// subnormals or canonicalise NaN payloads on the way through the fragment output, bits cannot change
// no 64-bit integer formats: WGSL has no 64-bit integers, so int64/uint64 burn on the CPU
const FORMATS: Partial<Record<DType, GpuFormat>> = {
  uint8: { format: 'r8uint', gpuBytes: 1, fragment: 'fs_uint', signed: false },
  uint16: { format: 'r16uint', gpuBytes: 2, fragment: 'fs_uint', signed: false },
  int16: { format: 'r16sint', gpuBytes: 2, fragment: 'fs_sint', signed: true },
  uint32: { format: 'r32uint', gpuBytes: 4, fragment: 'fs_uint', signed: false },
  int32: { format: 'r32sint', gpuBytes: 4, fragment: 'fs_sint', signed: true },
  float32: { format: 'r32uint', gpuBytes: 4, fragment: 'fs_uint', signed: false },
  float64: { format: 'r32uint', gpuBytes: 4, fragment: 'fs_uint', signed: false },
};

export function gpuFormat(dtype: DType): GpuFormat {
  const f = FORMATS[dtype];
  if (!f && (dtype === 'int64' || dtype === 'uint64')) throw new GpuUnsupportedError(`${dtype} pixels need 64-bit integers, which WGSL lacks; use the CPU backend`);
  if (!f) throw new Error(`unknown dtype: ${dtype}`);
  return f;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Raw bits of the float32 nearest to v. */
export function f32Bits(v: number): number {
  f32[0] = v;
  return u32[0];
}

/** True when float32 holds v exactly (NaN counts: its payload is not part of GDAL's result). */
export function f32Exact(v: number): boolean {
  return v !== v || Math.fround(v) === v;
}

/**
 * Raw 32-bit pattern the GPU writes for an already converted pixel value (converter(dtype) output).
 * float64 goes through float32 only when exact; otherwise the GPU would change the value.
 */
export function pixelBits(dtype: DType, v: number, where: string): number {
  switch (dtype) {
    case 'float32':
      return f32Bits(v);
    case 'float64':
      if (!f32Exact(v)) throw new GpuUnsupportedError(`float64 value ${v} (${where}) is not exactly representable in float32; use the CPU backend`);
      return f32Bits(v);
    default:
      return v >>> 0;
  }
}
