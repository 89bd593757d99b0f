// A TIFF chunk's codec: decompression (none, LZW, DEFLATE, PackBits, ZSTD), byte order and predictor undone into
// host-order samples, and the same steps reversed to write the chunk back as libtiff would. Browser-safe: the
// DEFLATE and ZSTD implementations are passed in.
import { swapBytes } from '../endian.js';
import { deflateRuns } from './deflate-runs.js';
import { zstdRuns } from './zstd-runs.js';
import { lzwDecode, lzwEncode } from './lzw.js';
import { packBitsDecode, packBitsEncode } from './packbits.js';
import { fpAccumulate, fpDifference, horizontalAccumulate, horizontalDifference } from './predictor.js';

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none', 2: 'CCITT RLE', 3: 'CCITT Fax3', 4: 'CCITT Fax4', 5: 'LZW', 6: 'old-style JPEG', 7: 'JPEG', 8: 'DEFLATE',
  32946: 'DEFLATE', 32773: 'PackBits', 34676: 'SGILOG', 34677: 'SGILOG24', 34712: 'JPEG2000', 34887: 'LERC',
  34925: 'LZMA', 50000: 'ZSTD', 50001: 'WEBP', 50002: 'JXL',
};
/** Compressions whose chunks rasterburn decodes and re-encodes. */
export const REENCODED = new Set([1, 5, 8, 32946, 32773, 50000]);

/** Compressions whose chunks go through a predictor in libtiff. */
export const PREDICTED = new Set([5, 8, 32946, 50000]);

/** The name GDAL's IMAGE_STRUCTURE metadata gives a TIFF Compression code. */
export function compressionName(code: number): string {
  return COMPRESSION_NAMES[code] ?? `code ${code}`;
}

/** One chunk's bytes, from the file's encoding to host-order samples and back. */
export interface Codec {
  /** chunk bytes from the file -> samples in host (little-endian) order, predictor undone, in a fresh buffer */
  decode(data: Uint8Array, expected: number): Uint8Array;
  /** the reverse, for writing back */
  encode(host: Uint8Array): Uint8Array;
  /** encode's first half: a copy of the samples with the predictor applied, in the file's byte order */
  predict(host: Uint8Array): Uint8Array;
  /** encode's second half: the compression alone */
  pack(d: Uint8Array): Uint8Array;
}

/**
 * DEFLATE as the caller's platform provides it (node:zlib in Node, passed in by src/io/node-geotiff-update.ts),
 * so that this browser-safe module imports no zlib.
 */
export interface Deflate {
  inflate(data: Uint8Array): Uint8Array;
  deflate(data: Uint8Array, level: number): Uint8Array;
}

/** ZSTD as the caller's platform provides it (a WebAssembly build in Node, passed in like Deflate). */
export interface Zstd {
  decompress(data: Uint8Array, expected: number): Uint8Array;
  compress(data: Uint8Array, level: number): Uint8Array;
}

/** Levels a chunk is compressed at: GDAL's ZLEVEL (DEFLATE, default 6) and ZSTD_LEVEL (default 9). */
export interface Levels {
  deflate?: number;
  zstd?: number;
  /** DEFLATE and ZSTD chunks as small as the coders here can make them (the run coder's or zlib's/zstd's,
   * whichever is smaller): for rewriting chunks in place, where a chunk that still fits its old slot keeps a COG's layout */
  smallest?: boolean;
}

/**
 * The codec of a file's chunks: its compression, predictor and byte order, `bps` bytes per sample, `stride`
 * samples per pixel, `rowBytes` per chunk row. DEFLATE chunks need `deflate`, ZSTD chunks `zstd`.
 */
export function codecFor(compression: number, predictor: number, littleEndian: boolean, bps: number, stride: number, rowBytes: number, deflate: Deflate | null,
  zstd: Zstd | null = null, levels: Levels = {}): Codec {
  // libtiff applies predictors only inside LZW/DEFLATE/ZSTD (and LZMA) codecs
  const pred = PREDICTED.has(compression) ? predictor : 1;
  const swap = !littleEndian && bps > 1;
  let unpack: (d: Uint8Array, expected: number) => Uint8Array;
  let pack: (d: Uint8Array) => Uint8Array;
  switch (compression) {
    case 1:
      unpack = (d, expected) => {
        if (d.length < expected) throw new Error(`uncompressed chunk has ${d.length} bytes, expected ${expected}`);
        return d.slice(0, expected);
      };
      pack = (d) => d;
      break;
    case 5:
      unpack = (d, expected) => lzwDecode(d, expected);
      pack = lzwEncode;
      break;
    case 8: case 32946: {
      if (!deflate) throw new Error('DEFLATE compression needs a zlib (none was passed in)');
      const z = deflate;
      unpack = (d) => {
        try {
          return aligned(z.inflate(d));
        } catch (e) {
          throw new Error(`DEFLATE data does not inflate (${(e as Error).message.split('\n')[0]})`);
        }
      };
      // GDAL's default ZLEVEL
      const level = levels.deflate ?? 6;
      // up to level 6, a chunk of runs (rasterized data) goes to the run coder: about half level 6's CPU at its
      // size there (deflate-runs.ts); past 6 the caller asked for zlib's slowest searches
      const unit = bps * stride;
      if (levels.smallest) {
        pack = (d) => {
          const searched = aligned(z.deflate(d, level));
          const runs = level <= 6 ? deflateRuns(d, unit) : null;
          return runs && runs.length < searched.length ? runs : searched;
        };
      } else {
        pack = level <= 6 ? (d) => deflateRuns(d, unit) ?? aligned(z.deflate(d, level)) : (d) => aligned(z.deflate(d, level));
      }
      break;
    }
    case 50000: {
      if (!zstd) throw new Error('ZSTD compression needs a zstd (none was passed in)');
      const z = zstd;
      unpack = (d, expected) => {
        try {
          return aligned(z.decompress(d, expected));
        } catch (e) {
          throw new Error(`ZSTD data does not decompress (${(e as Error).message.split('\n')[0]})`);
        }
      };
      // GDAL's default ZSTD_LEVEL
      const zlevel = levels.zstd ?? 9;
      // up to level 9, a chunk of runs goes to the run coder, as DEFLATE's do up to ZLEVEL 6 (zstd-runs.ts: a
      // fraction of level 9's CPU for a smaller file there); past 9 the caller asked for zstd's slower searches
      const unit = bps * stride;
      if (levels.smallest) {
        pack = (d) => {
          const searched = aligned(z.compress(d, zlevel));
          const runs = zlevel <= 9 ? zstdRuns(d, unit) : null;
          return runs && runs.length < searched.length ? runs : searched;
        };
      } else {
        pack = zlevel <= 9 ? (d) => zstdRuns(d, unit) ?? aligned(z.compress(d, zlevel)) : (d) => aligned(z.compress(d, zlevel));
      }
      break;
    }
    case 32773:
      unpack = (d, expected) => packBitsDecode(d, expected);
      pack = (d) => packBitsEncode(d, rowBytes);
      break;
    default:
      throw new Error(`${compressionName(compression)} compression is not supported`);
  }
  const rowsOf = (n: number): number => {
    if (n % rowBytes !== 0) throw new Error(`decoded chunk of ${n} bytes is not a whole number of ${rowBytes}-byte rows`);
    return n / rowBytes;
  };
  return {
    decode(data, expected) {
      const d = unpack(data, expected);
      if (pred === 3) {
        // the floating-point predictor yields host order itself (libtiff skips its byte swapping)
        fpAccumulate(d, rowsOf(d.length), rowBytes, bps, stride);
      } else {
        if (swap) swapBytes(d, bps);
        if (pred === 2) horizontalAccumulate(d, rowsOf(d.length), rowBytes, bps, stride);
      }
      return d;
    },
    encode(host) {
      // the compressors read their input and write fresh bytes: without a predictor or a byte swap they take the
      // samples as they are (no copy of every chunk); an uncompressed chunk is its own copy
      return pack(compression !== 1 && pred === 1 && !swap ? host : this.predict(host));
    },
    predict(host) {
      const d = host.slice();
      if (pred === 3) fpDifference(d, rowsOf(d.length), rowBytes, bps, stride);
      else {
        if (pred === 2) horizontalDifference(d, rowsOf(d.length), rowBytes, bps, stride);
        if (swap) swapBytes(d, bps);
      }
      return d;
    },
    pack,
  };
}

// a zlib may hand back views at any offset of a shared pool (node:zlib's Buffers); typed views need their own buffer
function aligned(b: Uint8Array): Uint8Array {
  return b.byteOffset % 8 === 0 ? new Uint8Array(b.buffer, b.byteOffset, b.length) : new Uint8Array(b);
}
