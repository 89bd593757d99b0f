// A DEFLATE (zlib stream) coder for chunks made of runs of one pixel value, which is what a rasterized
// raster is: each run is coded as its first pixel's bytes as literals and matches at a distance of one
// pixel that copy the rest, in a single block with Huffman codes built for the chunk. It searches nothing:
// the chunk is cut into runs by comparing words (runs.ts), the checksum of a run is summed in closed form,
// and the bits go out 32 at a time. On W1's 20 KB UInt16 strips (about 560 runs each) it is a little smaller
// than zlib's level 6 for about half the CPU of zlib's level 1 and a sixth of level 6's (bench/codec-strips.ts,
// bench/results/2026-12-06-compression.md). It declines (null) a chunk with too few runs, which the caller
// hands to zlib. Browser-safe.
import { LITTLE_ENDIAN_HOST } from '../endian.js';
import { codeLengths } from './huffman.js';
import { scanRuns } from './runs.js';

// a chunk is coded here only while its literal bytes stay under this share of its bytes
const MAX_LITERAL_SHARE = 1 / 8;
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// the order in which a dynamic block lists the code length code's lengths (RFC 1951, 3.2.7)
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// the code length code's symbols of a chunk (pairs: symbol, extra bits' value), the output and the symbol
// counts, in buffers kept between calls (a worker encodes thousands of chunks: fresh ones each time cost more
// in garbage collection than the coding)
let clBuf = new Uint8Array(0), outBuf = new Uint32Array(0);
const litFreq = new Uint32Array(286), litLen = new Uint8Array(286), litCode = new Uint16Array(286);
const allLen = new Uint8Array(286 + 30), clFreq = new Uint32Array(19), clLen = new Uint8Array(19), clCode = new Uint16Array(19);
const matchCode = new Int32Array(259), matchBits = new Uint8Array(259), matchLenBits = new Uint8Array(259);

// length 3..258 -> its symbol's index in LENGTH_BASE
const LENGTH_INDEX = new Uint8Array(259);
for (let i = 0; i < 29; i++) for (let l = LENGTH_BASE[i]; l < (i < 28 ? LENGTH_BASE[i + 1] : 259); l++) LENGTH_INDEX[l] = i;

function distIndex(d: number): number {
  let i = 0;
  while (i < 29 && DIST_BASE[i + 1] <= d) i++;
  return i;
}

// the distance code of a chunk whose one distance has symbol `index`: that symbol and a partner, one bit each
const DISTANCE_CODES: { len: Uint8Array; code: Uint16Array }[] = [];
function distanceCodes(index: number): { len: Uint8Array; code: Uint16Array } {
  let c = DISTANCE_CODES[index];
  if (!c) {
    const freq = new Uint32Array(30);
    freq[index] = 1;
    const len = codeLengths(freq, 15, new Uint8Array(30));
    c = DISTANCE_CODES[index] = { len, code: canonical(len, new Uint16Array(30)) };
  }
  return c;
}

// adler-32's sums are reduced only when they near 2^53, and a run is summed in closed form in pieces of at
// most this many bytes, so that every product stays exact
const ADLER_PIECE = 1 << 20;
const ADLER_B_LIMIT = 2 ** 51, ADLER_A_LIMIT = 2 ** 31;

/**
 * `data` as a zlib stream (what a TIFF DEFLATE chunk holds), `unit` bytes per pixel; null when the chunk is not
 * made of runs (its literals would pass an eighth of its bytes) or not a whole number of pixels, and on a
 * big-endian host (the bits go out as little-endian words).
 */
export function deflateRuns(data: Uint8Array, unit: number): Uint8Array | null {
  if (!(Number.isInteger(unit) && unit >= 1 && unit <= 32768)) throw new Error(`pixel size must be 1 to 32768 bytes, got ${unit}`);
  if (!LITTLE_ENDIAN_HOST) return null;
  const n = data.length;
  const maxLiterals = Math.floor(n * MAX_LITERAL_SHARE) + unit;
  // every run costs at least one literal pixel
  const ends = scanRuns(data, unit, Math.floor(maxLiterals / unit) + 1);
  if (!ends) return null;
  const runs = ends.length;

  // symbol counts, the checksum and the literal and match counts, run by run: a run of `len` bytes is its first
  // pixel as literals and matches that copy the rest (258 bytes at most each, never leaving 1 or 2 that no
  // match can carry), or all literals when the rest is under 3 bytes
  litFreq.fill(0);
  let literals = 0, matches = 0, a = 1, b = 0;
  for (let r = 0, start = 0; r < runs; r++) {
    const end = ends[r], len = end - start;
    let m = len - unit;
    const copies = m >= 3 ? 1 : len / unit;
    let psum = 0, jsum = 0;
    if (unit === 2) {
      const v0 = data[start], v1 = data[start + 1];
      litFreq[v0] += copies;
      litFreq[v1] += copies;
      psum = v0 + v1;
      jsum = v1;
    } else {
      for (let k = 0; k < unit; k++) {
        const v = data[start + k];
        litFreq[v] += copies;
        psum += v;
        jsum += k * v;
      }
    }
    literals += copies * unit;
    for (; m >= 3; matches++) {
      let l = m > 258 ? 258 : m;
      if (m - l > 0 && m - l < 3) l = m - 3;
      litFreq[257 + LENGTH_INDEX[l]]++;
      m -= l;
    }
    // adler-32 of `len` bytes repeating the pixel: a grows by each byte, b by a before each byte, i.e. by
    // the sum over the run's bytes of (bytes left from it) * byte
    if (len <= ADLER_PIECE) {
      const q = len / unit;
      b += len * (a + psum * (q + 1) * 0.5) - q * jsum;
      a += q * psum;
      if (b >= ADLER_B_LIMIT) b %= 65521;
      if (a >= ADLER_A_LIMIT) a %= 65521;
    } else {
      for (let left = len; left > 0;) {
        const piece = left <= ADLER_PIECE ? left : ADLER_PIECE - (ADLER_PIECE % unit), q = piece / unit;
        b = (b + piece * (a + psum * (q + 1) * 0.5) - q * jsum) % 65521;
        a = (a + q * psum) % 65521;
        left -= piece;
      }
    }
    start = end;
  }
  if (literals > maxLiterals) return null;
  const adler = ((b % 65521) * 65536 + (a % 65521)) >>> 0;

  litFreq[256] = 1;
  const dIndex = distIndex(unit);
  const { len: distLen, code: distCode } = distanceCodes(dIndex);
  codeLengths(litFreq, 15, litLen);
  canonical(litLen, litCode);
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLen[hdist - 1] === 0) hdist--;
  // the two code length lists, run-length coded with symbols 16-18
  const all = allLen.subarray(0, hlit + hdist);
  all.set(litLen.subarray(0, hlit));
  all.set(distLen.subarray(0, hdist), hlit);
  if (clBuf.length < 2 * all.length) clBuf = new Uint8Array(2 * all.length);
  const cl = clBuf;
  let ncl = 0;
  clFreq.fill(0);
  for (let k = 0; k < all.length;) {
    const v = all[k];
    let r = 1;
    while (k + r < all.length && all[k + r] === v) r++;
    k += r;
    if (v === 0) {
      while (r >= 11) { const c = r < 138 ? r : 138; cl[ncl++] = 18; cl[ncl++] = c - 11; clFreq[18]++; r -= c; }
      if (r >= 3) { cl[ncl++] = 17; cl[ncl++] = r - 3; clFreq[17]++; r = 0; }
    } else {
      cl[ncl++] = v; cl[ncl++] = 0; clFreq[v]++; r--;
      while (r >= 3) { const c = r < 6 ? r : 6; cl[ncl++] = 16; cl[ncl++] = c - 3; clFreq[16]++; r -= c; }
    }
    for (; r > 0; r--) { cl[ncl++] = v; cl[ncl++] = 0; clFreq[v]++; }
  }
  codeLengths(clFreq, 7, clLen);
  canonical(clLen, clCode);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]] === 0) hclen--;

  // the bit writer, inline: whole 32-bit words go out (a little-endian host's word is the stream's next 4
  // bytes), `nb` bits wait in `acc`; a code of 1 to 31 bits goes in at once
  // bytes: the zlib header, the code lengths (7 + 7 bits each), 15 bits a literal, 48 a match, the checksum
  const bound = 2 + 16 + 2 * (hlit + hdist) + 2 * literals + 6 * matches + 8;
  if (outBuf.length < (bound >> 2) + 2) outBuf = new Uint32Array(Math.max((bound >> 2) + 2, outBuf.length * 2));
  const out = outBuf;
  let o = 0, acc = 0, nb = 0;
  const put = (v: number, count: number): void => {
    acc |= v << nb;
    nb += count;
    if (nb >= 32) {
      out[o++] = acc;
      nb -= 32;
      acc = v >>> (count - nb);
    }
  };
  // zlib header: deflate with a 32 KiB window, no preset dictionary, check bits; then one final dynamic block
  put(0x9c78, 16);
  put(1, 1); put(2, 2);
  put(hlit - 257, 5); put(hdist - 1, 5); put(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) put(clLen[CL_ORDER[k]], 3);
  for (let k = 0; k < ncl; k += 2) {
    const sym = cl[k];
    put(clCode[sym], clLen[sym]);
    if (sym >= 16) put(cl[k + 1], sym === 16 ? 2 : sym === 17 ? 3 : 7);
  }
  // a match's distance code and its extra bits, which follow each length code and its extra bits
  const dBits = distLen[dIndex] + DIST_EXTRA[dIndex], dCode = distCode[dIndex] | ((unit - DIST_BASE[dIndex]) << distLen[dIndex]);
  // each match length's bits and their count, the distance's included where they fit in 31 bits (0: they do
  // not, the length's and the distance's go separately)
  for (let l = 3; l <= 258; l++) {
    const li = LENGTH_INDEX[l], sym = 257 + li, lBits = litLen[sym] + LENGTH_EXTRA[li];
    const lCode = litCode[sym] | ((l - LENGTH_BASE[li]) << litLen[sym]);
    matchCode[l] = lBits + dBits < 32 ? lCode | (dCode << lBits) : lCode;
    matchBits[l] = lBits + dBits < 32 ? lBits + dBits : 0;
    matchLenBits[l] = lBits;
  }
  for (let r = 0, start = 0; r < runs; r++) {
    const end = ends[r];
    let m = end - start - unit;
    // the first pixel, or every pixel of a run too short to copy
    for (let c = m >= 3 ? 1 : (end - start) / unit; c > 0; c--) {
      if (unit === 2) {
        const b0 = data[start], b1 = data[start + 1];
        put(litCode[b0] | (litCode[b1] << litLen[b0]), litLen[b0] + litLen[b1]);
      } else {
        for (let k = start, e = start + unit; k < e; k++) put(litCode[data[k]], litLen[data[k]]);
      }
    }
    for (; m >= 3;) {
      let l = m > 258 ? 258 : m;
      if (m - l > 0 && m - l < 3) l = m - 3;
      m -= l;
      const bits = matchBits[l];
      if (bits) put(matchCode[l], bits);
      else { put(matchCode[l], matchLenBits[l]); put(dCode, dBits); }
    }
    start = end;
  }
  put(litCode[256], litLen[256]);
  // the last partial word, then the checksum, big-endian
  const bytes = new Uint8Array(out.buffer, 0, o * 4 + 8);
  let at = o * 4;
  for (; nb > 0; nb -= 8, acc >>>= 8) bytes[at++] = acc & 0xff;
  bytes[at++] = adler >>> 24; bytes[at++] = (adler >>> 16) & 0xff; bytes[at++] = (adler >>> 8) & 0xff; bytes[at++] = adler & 0xff;
  return bytes.slice(0, at);
}

// each byte bit-reversed
const REV8 = new Uint8Array(256);
for (let i = 0; i < 256; i++) for (let b = 0; b < 8; b++) REV8[i] |= ((i >> b) & 1) << (7 - b);

// canonical codes for the lengths into `out`, bit-reversed for DEFLATE's least-significant-bit-first order
const lenCount = new Uint16Array(16), nextCode = new Uint16Array(16);
function canonical(len: Uint8Array, out: Uint16Array): Uint16Array {
  const count = lenCount;
  count.fill(0);
  for (let s = 0; s < len.length; s++) count[len[s]]++;
  const next = nextCode;
  let code = 0;
  for (let b = 1; b < 16; b++) { code = (code + (b > 1 ? count[b - 1] : 0)) << 1; next[b] = code; }
  for (let s = 0; s < len.length; s++) {
    const l = len[s];
    if (!l) { out[s] = 0; continue; }
    const c = next[l]++;
    out[s] = ((REV8[c & 0xff] << 8) | REV8[c >>> 8]) >>> (16 - l);
  }
  return out;
}
