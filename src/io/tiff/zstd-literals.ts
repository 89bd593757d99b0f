// A ZSTD block's literals section (RFC 8878 3.1.1.3.1): the literals Huffman coded (one stream, or four with
// a jump table), raw, or as one repeated byte, whichever is smallest. The Huffman weights are described with
// FSE (two interleaved states), so that literals of any byte value can be coded, or directly (4 bits each) for
// up to 128 where that is smaller or all weights are equal. Browser-safe.
import { fseTable, normalize, tableLog, writeDistribution } from './fse.js';
import { codeLengths } from './huffman.js';

// ZSTD's longest Huffman code for literals, and the most table bits for describing the weights
const MAX_BITS = 11;
const WEIGHT_MAX_LOG = 6;

const count = new Uint32Array(256), lens = new Uint8Array(256), codes = new Uint16Array(256);
const weights = new Uint8Array(256), weightCount = new Uint32Array(MAX_BITS + 2);
const desc = new Uint8Array(256 + 64);
let bitBuf = new Uint32Array(0);

/** `lit` as a literals section at `out[o]`; returns the offset after it (`out` has room for the raw form + 5). */
export function writeLiterals(lit: Uint8Array, out: Uint8Array, o: number): number {
  const n = lit.length;
  count.fill(0);
  for (let i = 0; i < n; i++) count[lit[i]]++;
  let maxSym = 255;
  while (maxSym > 0 && count[maxSym] === 0) maxSym--;
  let used = 0;
  for (let s = 0; s <= maxSym; s++) if (count[s]) used++;
  if (n > 0 && used === 1) {
    // one byte value: an RLE literals block
    o = sizeHeader(1, n, out, o);
    out[o++] = lit[0];
    return o;
  }
  const start = o;
  const raw = (): number => {
    let p = sizeHeader(0, n, out, start);
    out.set(lit, p);
    p += n;
    return p;
  };
  // too few to pay for a table
  if (n < 64) return raw();
  codeLengths(count.subarray(0, maxSym + 1), MAX_BITS, lens);
  let maxBits = 0;
  for (let s = 0; s <= maxSym; s++) if (lens[s] > maxBits) maxBits = lens[s];
  const d = describeWeights(maxSym, maxBits);
  if (d === 0) return raw();
  assignCodes(maxSym, maxBits);
  // the compressed size's worst case decides the header; the streams are written after the header and the
  // description, then the header is filled in
  const four = n > 1023;
  const hdrBytes = !four ? 3 : n < 16384 ? 4 : 5;
  let p = start + hdrBytes;
  if (p + d + (four ? 6 : 0) >= start + n) return raw();
  out.set(desc.subarray(0, d), p);
  p += d;
  if (!four) {
    p = writeStream(lit, 0, n, out, p);
  } else {
    const seg = Math.ceil(n / 4), jump = p;
    p += 6;
    for (let k = 0; k < 4; k++) {
      const from = p;
      // stop early when the streams already pass the raw form's size
      if (p >= start + n) return raw();
      p = writeStream(lit, k * seg, Math.min(n, (k + 1) * seg), out, p);
      if (k < 3) { const size = p - from; out[jump + 2 * k] = size & 0xff; out[jump + 2 * k + 1] = size >>> 8; }
    }
  }
  const compressed = p - start - hdrBytes;
  const sizeBits = hdrBytes === 3 ? 10 : hdrBytes === 4 ? 14 : 18;
  if (compressed >= 2 ** sizeBits || p >= start + n + (n < 32 ? 1 : n < 4096 ? 2 : 3)) return raw();
  // type 2 (Huffman with its table), the size format, then both sizes
  const sf = !four ? 0 : hdrBytes === 3 ? 1 : hdrBytes === 4 ? 2 : 3;
  const lo = 2 | (sf << 2) | ((n & 0xf) << 4);
  // the header as one little-endian number of hdrBytes bytes: 4 bits, then n, then the compressed size
  let v = lo, at = start;
  out[at++] = v & 0xff;
  v = (n >>> 4) + compressed * 2 ** (sizeBits - 4);
  for (let k = 1; k < hdrBytes; k++) { out[at++] = v % 256; v = Math.floor(v / 256); }
  return p;
}

// a raw (type 0) or RLE (type 1) literals header for `n` bytes
function sizeHeader(type: number, n: number, out: Uint8Array, o: number): number {
  if (n < 32) out[o++] = type | (n << 3);
  else if (n < 4096) { out[o++] = type | 0x04 | ((n & 0xf) << 4); out[o++] = n >>> 4; }
  else { out[o++] = type | 0x0c | ((n & 0xf) << 4); out[o++] = (n >>> 4) & 0xff; out[o++] = n >>> 12; }
  return o;
}

// the codes for `lens`: longest codes first, each length's symbols in order, counting up (RFC 8878 4.2.1.3)
const perLength = new Uint16Array(MAX_BITS + 2), nextCode = new Uint16Array(MAX_BITS + 2);
function assignCodes(maxSym: number, maxBits: number): void {
  perLength.fill(0);
  for (let s = 0; s <= maxSym; s++) perLength[lens[s]]++;
  // a length's first code follows the longer lengths' codes, halved
  nextCode[maxBits] = 0;
  for (let l = maxBits; l > 1; l--) nextCode[l - 1] = (nextCode[l] + perLength[l]) >> 1;
  for (let s = 0; s <= maxSym; s++) if (lens[s]) codes[s] = nextCode[lens[s]]++;
}

// the Huffman tree description into `desc`: a header byte (its size, under 128) then the weights of symbols
// 0..maxSym-1 coded with FSE (the last symbol's weight is implied); its length, 0 when it cannot be written
function describeWeights(maxSym: number, maxBits: number): number {
  const n = maxSym;
  weightCount.fill(0);
  let maxW = 0;
  for (let s = 0; s < n; s++) {
    const w = lens[s] ? maxBits + 1 - lens[s] : 0;
    weights[s] = w;
    weightCount[w]++;
    if (w > maxW) maxW = w;
  }
  let used = 0;
  for (let w = 0; w <= maxW; w++) if (weightCount[w]) used++;
  // FSE needs two symbols or more, and two weights to start its two states from; else, or where it is
  // smaller, up to 128 weights go directly, 4 bits each
  const fse = used < 2 || n < 2 ? 0 : describeWeightsFse(n, maxW, used);
  if (n <= 128 && (fse === 0 || 1 + Math.ceil(n / 2) < fse)) {
    desc[0] = 127 + n;
    for (let s = 0; s < n; s += 2) desc[1 + s / 2] = (weights[s] << 4) | (s + 1 < n ? weights[s + 1] : 0);
    return 1 + Math.ceil(n / 2);
  }
  return fse;
}

// describeWeights with the weights coded by FSE (header byte under 128); 0 when that takes 128 bytes or more
function describeWeightsFse(n: number, maxW: number, used: number): number {
  const dist = normalize(weightCount.subarray(0, maxW + 1), n, tableLog(n, maxW, used, WEIGHT_MAX_LOG));
  const t = fseTable(dist);
  let at = writeDistribution(dist, desc, 1);
  // the two states start at each symbol's first cell: the decoder's next update from there needs at least one
  // bit, so that it runs out of bits exactly after the last weight (how the weights' count is found)
  const first = (s: number): number => t.states[t.deltaFind[s] + (dist.norm[s] > 1 ? dist.norm[s] : 1)];
  const words = n + 8;
  if (bitBuf.length < words) bitBuf = new Uint32Array(words);
  const w32 = bitBuf;
  let k32 = 0, acc = 0, nb = 0;
  const put = (v: number, c: number): void => {
    acc |= v << nb;
    nb += c;
    if (nb >= 32) { w32[k32++] = acc; nb -= 32; acc = v >>> (c - nb); }
  };
  const step = (state: number, s: number): number => {
    const bits = (state + t.deltaBits[s]) >> 16;
    put(state & ((1 << bits) - 1), bits);
    return t.states[(state >> bits) + t.deltaFind[s]];
  };
  // state 1 codes the even weights, state 2 the odd ones, the last weights first
  let s1: number, s2: number, i: number;
  if (n & 1) {
    s1 = first(weights[n - 1]);
    s2 = first(weights[n - 2]);
    i = n - 3;
    s1 = step(s1, weights[i--]);
  } else {
    s2 = first(weights[n - 1]);
    s1 = first(weights[n - 2]);
    i = n - 3;
  }
  for (; i > 0; i -= 2) {
    s2 = step(s2, weights[i]);
    s1 = step(s1, weights[i - 1]);
  }
  put(s2 - (1 << t.log), t.log);
  put(s1 - (1 << t.log), t.log);
  put(1, 1);
  const bytes = new Uint8Array(w32.buffer, 0, k32 * 4 + 4);
  let b = k32 * 4;
  for (; nb > 0; nb -= 8, acc >>>= 8) bytes[b++] = acc & 0xff;
  if (at - 1 + b > 127) return 0;
  desc.set(bytes.subarray(0, b), at);
  at += b;
  desc[0] = at - 1;
  return at;
}

// lit[from..to) Huffman coded as one stream at out[o], the last literal first (the decoder reads backward)
function writeStream(lit: Uint8Array, from: number, to: number, out: Uint8Array, o: number): number {
  const words = (((to - from) * MAX_BITS) >> 5) + 2;
  if (bitBuf.length < words) bitBuf = new Uint32Array(Math.max(words, bitBuf.length * 2));
  const w32 = bitBuf;
  let k32 = 0, acc = 0, nb = 0;
  for (let i = to - 1; i >= from; i--) {
    const s = lit[i], c = lens[s], v = codes[s];
    acc |= v << nb;
    nb += c;
    if (nb >= 32) { w32[k32++] = acc; nb -= 32; acc = v >>> (c - nb); }
  }
  // the closing bit
  acc |= 1 << nb;
  nb += 1;
  if (nb >= 32) { w32[k32++] = acc; nb -= 32; acc = 0; }
  const bytes = new Uint8Array(w32.buffer, 0, k32 * 4 + 4);
  let b = k32 * 4;
  for (; nb > 0; nb -= 8, acc >>>= 8) bytes[b++] = acc & 0xff;
  out.set(bytes.subarray(0, b), o);
  return o + b;
}
