// A DEFLATE (zlib stream) coder for chunks made of runs of one pixel value, which is what a rasterized
// raster is: each run is coded as its first pixel's bytes as literals and one match at a distance of one
// pixel that copies the rest, in a single block with Huffman codes built for the chunk. It searches
// nothing: on W1's 20 KB UInt16 strips (about 560 runs each) it takes 0.37-0.48x the CPU of zlib's level 6
// for a slightly smaller file, where zlib's level 1 is a little faster but 35% larger (bench/codec-strips.ts,
// bench/results/2026-12-06-compression.md). It declines (null) a chunk with too few runs, which the caller
// hands to zlib. Browser-safe.

// a chunk is coded here only while its literal bytes stay under this share of its bytes
const MAX_LITERAL_SHARE = 1 / 8;
// a token's flag for a match (else it is a literal word's index)
const MATCH = 0x80000000;

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// the order in which a dynamic block lists the code length code's lengths (RFC 1951, 3.2.7)
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// the token list and the output are built in buffers kept between calls (a worker encodes thousands of
// chunks: fresh ones each time cost more in garbage collection than the coding)
let tokenBuf = new Uint32Array(0), outBuf = new Uint8Array(0);
function scratchTokens(n: number): Uint32Array {
  if (tokenBuf.length < n) tokenBuf = new Uint32Array(n);
  return tokenBuf;
}
function scratchOut(n: number): Uint8Array {
  if (outBuf.length < n) outBuf = new Uint8Array(n);
  return outBuf;
}

// length 3..258 -> its symbol's index in LENGTH_BASE
const LENGTH_INDEX = new Uint8Array(259);
for (let i = 0; i < 29; i++) for (let l = LENGTH_BASE[i]; l < (i < 28 ? LENGTH_BASE[i + 1] : 259); l++) LENGTH_INDEX[l] = i;

function distIndex(d: number): number {
  let i = 0;
  while (i < 29 && DIST_BASE[i + 1] <= d) i++;
  return i;
}

/**
 * `data` as a zlib stream (what a TIFF DEFLATE chunk holds), `unit` bytes per pixel; null when the chunk is not
 * made of runs (its literals would pass an eighth of its bytes).
 */
export function deflateRuns(data: Uint8Array, unit: number): Uint8Array | null {
  if (!(Number.isInteger(unit) && unit >= 1 && unit <= 32768)) throw new Error(`pixel size must be 1 to 32768 bytes, got ${unit}`);
  const n = data.length;
  const maxLiterals = Math.floor(n * MAX_LITERAL_SHARE) + unit;
  // the scan steps by words of ws bytes (the widest that divides the pixel and the chunk's alignment): a UInt16
  // chunk is compared 2 bytes at a time
  const ws = unit % 4 === 0 && data.byteOffset % 4 === 0 && n % 4 === 0 ? 4 : unit % 2 === 0 && data.byteOffset % 2 === 0 && n % 2 === 0 ? 2 : 1;
  const words: Uint8Array | Uint16Array | Uint32Array = ws === 4 ? new Uint32Array(data.buffer, data.byteOffset, n / 4)
    : ws === 2 ? new Uint16Array(data.buffer, data.byteOffset, n / 2) : data;
  const nw = words.length, back = unit / ws;
  // tokens: a literal word's index, or MATCH | length in bytes (the distance is always `unit`); matches carry 3
  // bytes or more, and the literals stop one word past their limit
  const tokens = scratchTokens(Math.min(nw, Math.ceil(maxLiterals / ws) + 1 + Math.ceil(n / 3)) + 1);
  let t = 0, literals = 0;
  const litFreq = new Uint32Array(286);
  let i = Math.min(back, nw);
  for (let k = 0; k < i; k++) tokens[t++] = k;
  literals = i * ws;
  while (i < nw) {
    // words equal to the word one pixel back: a match of that length
    let j = i;
    while (j < nw && words[j] === words[j - back]) j++;
    let m = (j - i) * ws;
    if (m >= 3) {
      while (m >= 3) {
        // 258 at most per match, and never leave a tail of 1 or 2 that no match can carry
        let l = m > 258 ? 258 : m;
        if (m - l > 0 && m - l < 3) l = m - 3;
        tokens[t++] = MATCH | l;
        litFreq[257 + LENGTH_INDEX[l]]++;
        m -= l;
      }
      i = j;
      continue;
    }
    // a short repeat or a change of value: literal words up to the next word that repeats
    const end = j === i ? i + 1 : j;
    literals += (end - i) * ws;
    for (; i < end; i++) tokens[t++] = i;
    if (literals > maxLiterals) return null;
  }
  // literal words counted by byte
  for (let k = 0; k < t; k++) {
    const tok = tokens[k];
    if (tok >= MATCH) continue;
    for (let b = tok * ws, e = b + ws; b < e; b++) litFreq[data[b]]++;
  }
  litFreq[256] = 1;
  const dIndex = distIndex(unit);
  const distFreq = new Uint32Array(30);
  distFreq[dIndex] = 1;
  const litLen = codeLengths(litFreq, 15), distLen = codeLengths(distFreq, 15);
  const litCode = canonical(litLen), distCode = canonical(distLen);
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLen[hdist - 1] === 0) hdist--;
  // the two code length lists, run-length coded with symbols 16-18
  const all = new Uint8Array(hlit + hdist);
  all.set(litLen.subarray(0, hlit));
  all.set(distLen.subarray(0, hdist), hlit);
  const cl: number[] = [];
  const clFreq = new Uint32Array(19);
  for (let k = 0; k < all.length;) {
    const v = all[k];
    let r = 1;
    while (k + r < all.length && all[k + r] === v) r++;
    k += r;
    if (v === 0) {
      while (r >= 11) { const c = Math.min(138, r); cl.push(18, c - 11); clFreq[18]++; r -= c; }
      if (r >= 3) { cl.push(17, r - 3); clFreq[17]++; r = 0; }
    } else {
      cl.push(v, 0); clFreq[v]++; r--;
      while (r >= 3) { const c = Math.min(6, r); cl.push(16, c - 3); clFreq[16]++; r -= c; }
    }
    for (; r > 0; r--) { cl.push(v, 0); clFreq[v]++; }
  }
  const clLen = codeLengths(clFreq, 7);
  const clCode = canonical(clLen);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]] === 0) hclen--;

  // the bit writer, inline: at most 7 bits wait in acc between writes, so acc stays within 32 bits
  // a literal byte takes 15 bits at most, a match 48
  const out = scratchOut(64 + cl.length + t * (2 * ws + 6));
  let o = 0, acc = 0, nb = 0;
  const put = (v: number, count: number): void => {
    acc |= v << nb;
    nb += count;
    while (nb >= 8) { out[o++] = acc & 0xff; acc >>>= 8; nb -= 8; }
  };
  // zlib header: deflate with a 32 KiB window, no preset dictionary, check bits; then one final dynamic block
  out[o++] = 0x78; out[o++] = 0x9c;
  put(1, 1); put(2, 2);
  put(hlit - 257, 5); put(hdist - 1, 5); put(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) put(clLen[CL_ORDER[k]], 3);
  for (let k = 0; k < cl.length; k += 2) {
    const sym = cl[k];
    put(clCode[sym], clLen[sym]);
    if (sym >= 16) put(cl[k + 1], sym === 16 ? 2 : sym === 17 ? 3 : 7);
  }
  const dc = distCode[dIndex], dl = distLen[dIndex], dxBits = DIST_EXTRA[dIndex], dx = unit - DIST_BASE[dIndex];
  for (let k = 0; k < t; k++) {
    const tok = tokens[k];
    if (tok < MATCH) {
      for (let b = tok * ws, e = b + ws; b < e; b++) put(litCode[data[b]], litLen[data[b]]);
      continue;
    }
    const l = tok & 0x1ff, li = LENGTH_INDEX[l];
    put(litCode[257 + li], litLen[257 + li]);
    if (LENGTH_EXTRA[li]) put(l - LENGTH_BASE[li], LENGTH_EXTRA[li]);
    put(dc, dl);
    if (dxBits) put(dx, dxBits);
  }
  put(litCode[256], litLen[256]);
  if (nb > 0) out[o++] = acc & 0xff;
  const a = adler32(data);
  out[o++] = a >>> 24; out[o++] = (a >>> 16) & 0xff; out[o++] = (a >>> 8) & 0xff; out[o++] = a & 0xff;
  return out.slice(0, o);
}

// Huffman code lengths of at most `limit` bits for `freq`; a lone used symbol gets a partner, so that every
// code is complete (some inflaters refuse an incomplete one)
function codeLengths(freq: Uint32Array, limit: number): Uint8Array {
  const f = freq.slice();
  let used = 0;
  for (let k = 0; k < f.length; k++) if (f[k] > 0) used++;
  for (let k = 0; k < f.length && used < 2; k++) if (f[k] === 0) { f[k] = 1; used++; }
  for (;;) {
    const len = huffmanLengths(f, used);
    let max = 0;
    for (let k = 0; k < len.length; k++) if (len[k] > max) max = len[k];
    if (max <= limit) return len;
    // too deep: flatten the frequencies and build again
    for (let k = 0; k < f.length; k++) if (f[k] > 0) f[k] = (f[k] >>> 1) | 1;
  }
}

// plain Huffman code lengths of the `m` used symbols (two-queue merge over the symbols sorted by frequency)
function huffmanLengths(f: Uint32Array, m: number): Uint8Array {
  const n = f.length;
  // frequency and symbol in one sortable number: ties go to the lower symbol
  const keys = new Float64Array(m);
  for (let k = 0, q = 0; k < n; k++) if (f[k] > 0) keys[q++] = f[k] * 512 + k;
  keys.sort();
  // nodes 0..m-1 are leaves, m.. inner nodes; parent links give each leaf its depth
  const weight = new Float64Array(2 * m), parent = new Int32Array(2 * m);
  for (let k = 0; k < m; k++) weight[k] = Math.floor(keys[k] / 512);
  let leaf = 0, inner = m, made = m;
  for (let k = 0; k < m - 1; k++) {
    const a = leaf < m && (inner >= made || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    const b = leaf < m && (inner >= made || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    weight[made] = weight[a] + weight[b];
    parent[a] = made; parent[b] = made;
    made++;
  }
  const depth = new Uint8Array(2 * m);
  for (let k = made - 2; k >= 0; k--) depth[k] = depth[parent[k]] + 1;
  const len = new Uint8Array(n);
  for (let k = 0; k < m; k++) len[keys[k] % 512] = depth[k];
  return len;
}

// canonical codes for the lengths, bit-reversed for DEFLATE's least-significant-bit-first order
function canonical(len: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of len) if (l) count[l]++;
  const next = new Uint16Array(16);
  let code = 0;
  for (let b = 1; b < 16; b++) { code = (code + count[b - 1]) << 1; next[b] = code; }
  const out = new Uint16Array(len.length);
  for (let s = 0; s < len.length; s++) {
    const l = len[s];
    if (!l) continue;
    let c = next[l]++, r = 0;
    for (let b = 0; b < l; b++) { r = (r << 1) | (c & 1); c >>>= 1; }
    out[s] = r;
  }
  return out;
}

// zlib's checksum of the uncompressed bytes, 8 bytes a step
function adler32(d: Uint8Array): number {
  let a = 1, b = 0;
  const n = d.length;
  for (let i = 0; i < n;) {
    // 5552 bytes at most before the sums are reduced, so that they stay exact
    const end = Math.min(n, i + 5552);
    for (const e8 = end - 7; i < e8; i += 8) {
      a += d[i]; b += a; a += d[i + 1]; b += a; a += d[i + 2]; b += a; a += d[i + 3]; b += a;
      a += d[i + 4]; b += a; a += d[i + 5]; b += a; a += d[i + 6]; b += a; a += d[i + 7]; b += a;
    }
    for (; i < end; i++) { a += d[i]; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
