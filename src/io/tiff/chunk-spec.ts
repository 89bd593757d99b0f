// A chunk codec as plain numbers, so that it crosses to another thread (a Node worker or a Web Worker) and
// that thread encodes chunks exactly as the writing thread would: each chunk is encoded on its own, so the
// file's bytes do not depend on which thread encoded which chunk. Browser-safe.
import { codecFor, type Codec, type Deflate, type Zstd } from './codec.js';

/** How a file's chunks are encoded: codecFor's arguments without the platform's zlib and zstd. */
export interface ChunkSpec {
  /** TIFF Compression code */
  compression: number;
  predictor: number;
  littleEndian: boolean;
  /** bytes per sample */
  bps: number;
  /** samples per pixel */
  stride: number;
  /** bytes per chunk row */
  rowBytes: number;
  deflateLevel?: number;
  zstdLevel?: number;
}

/** The platform's compressors, handed to the codec of a spec (zstd only needed for ZSTD chunks). */
export interface Compressors {
  deflate: Deflate;
  zstd: Zstd | null;
}

/** The codec a spec describes, with the platform's compressors. */
export function codecOfSpec(spec: ChunkSpec, c: Compressors): Codec {
  return codecFor(spec.compression, spec.predictor, spec.littleEndian, spec.bps, spec.stride, spec.rowBytes, c.deflate, c.zstd,
    { deflate: spec.deflateLevel, zstd: spec.zstdLevel });
}

/** A codec per spec, built once: a worker sees the same spec for every chunk of a file. */
export function codecCache(c: () => Compressors): (spec: ChunkSpec) => Codec {
  const cache = new Map<string, Codec>();
  return (spec) => {
    const key = JSON.stringify(spec);
    let codec = cache.get(key);
    if (!codec) {
      if (cache.size > 16) cache.clear();
      codec = codecOfSpec(spec, c());
      cache.set(key, codec);
    }
    return codec;
  };
}
