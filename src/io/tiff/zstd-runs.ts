// A ZSTD coder (RFC 8878) for chunks made of runs of one pixel value, as deflate-runs.ts is for DEFLATE: one
// frame of blocks of at most 128 KiB, each run coded as a sequence of its first pixel as a literal and a match
// one pixel back (a repeat offset after the frame's first), the literals Huffman coded (zstd-literals.ts), the
// literal lengths, offsets and match lengths coded with distributions built for the block (or ZSTD's
// predefined ones, or one repeated symbol, whichever is smallest). A block that codes no smaller is stored raw,
// a block of one byte value as RLE. It searches nothing: on W1's strips it takes about zstd's level 1's CPU and
// a sixth of level 9's (GDAL's default) for a file a quarter smaller than level 9's
// (bench/codec-strips.ts, bench/results/2026-12-06-compression.md). It declines (null) a chunk with too few
// runs, which the caller hands to zstd. Browser-safe.
import { LITTLE_ENDIAN_HOST } from '../endian.js';
import { fseCost, fseStart, fseTable, normalize, tableLog, writeDistribution, type Distribution, type FseTable } from './fse.js';
import { scanRuns } from './runs.js';
import { writeLiterals } from './zstd-literals.js';

// a chunk is coded here only while its literal bytes stay under this share of its bytes
const MAX_LITERAL_SHARE = 1 / 8;
// a block holds at most 128 KiB of the chunk (RFC 8878 3.1.1.2.4), cut at a pixel boundary
const BLOCK_MAX = 128 << 10;

// literal length and match length codes: each code's smallest value and its extra bits (RFC 8878 3.1.1.3.2.1.1)
const LL_BASE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
const LL_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ML_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
  35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539];
const ML_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
// the predefined distributions (RFC 8878 3.1.1.3.2.2.2), and the most table bits a block's own may use
const LL_DEFAULT: Distribution = { log: 6, norm: Int16Array.of(4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1) };
const ML_DEFAULT: Distribution = {
  log: 6,
  norm: Int16Array.of(1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1),
};
const OF_DEFAULT: Distribution = { log: 5, norm: Int16Array.of(1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1) };
const LL_MAX_LOG = 9, ML_MAX_LOG = 9, OF_MAX_LOG = 8;
let defaults: { ll: FseTable; ml: FseTable; of: FseTable } | null = null;

// a value's code: below 64 (literal lengths) or 128 (match length - 3) by table, above by its highest bit
const LL_CODE = new Uint8Array(64), ML_CODE = new Uint8Array(128);
for (let c = 0; c < 25; c++) for (let v = LL_BASE[c]; v < Math.min(64, LL_BASE[c + 1]); v++) LL_CODE[v] = c;
for (let c = 0; c < 43; c++) for (let v = ML_BASE[c] - 3; v < Math.min(128, ML_BASE[c + 1] - 3); v++) ML_CODE[v] = c;
const llCode = (v: number): number => (v < 64 ? LL_CODE[v] : 31 - Math.clz32(v) + 19);
const mlCode = (v: number): number => (v - 3 < 128 ? ML_CODE[v - 3] : 31 - Math.clz32(v - 3) + 36);

// a block's sequences (literal length, match length, offset value) and the symbol counts, in buffers kept
// between calls
let seqLL = new Int32Array(0), seqML = new Int32Array(0), seqOF = new Int32Array(0);
let codeLL = new Uint8Array(0), codeML = new Uint8Array(0), codeOF = new Uint8Array(0);
// a block's own tables, built into the same arrays each time
const ownTables = { ll: emptyTable(LL_MAX_LOG, 36), of: emptyTable(OF_MAX_LOG, 32), ml: emptyTable(ML_MAX_LOG, 53) };
function emptyTable(log: number, symbols: number): FseTable {
  return { log, states: new Uint16Array(1 << log), deltaBits: new Int32Array(symbols), deltaFind: new Int32Array(symbols) };
}
let out = new Uint8Array(0), bitBuf = new Uint32Array(0), litBuf = new Uint8Array(0);
const llCount = new Uint32Array(36), mlCount = new Uint32Array(53), ofCount = new Uint32Array(32);

/**
 * `data` as one ZSTD frame (what a TIFF ZSTD chunk holds), `unit` bytes per pixel; null when the chunk is not
 * made of runs (its literals would pass an eighth of its bytes), is empty or not a whole number of pixels, and on
 * a big-endian host.
 */
export function zstdRuns(data: Uint8Array, unit: number): Uint8Array | null {
  if (!(Number.isInteger(unit) && unit >= 1 && unit <= 32768)) throw new Error(`pixel size must be 1 to 32768 bytes, got ${unit}`);
  if (!LITTLE_ENDIAN_HOST) return null;
  const n = data.length;
  if (n === 0 || n >= 2 ** 32) return null;
  const maxLiterals = Math.floor(n * MAX_LITERAL_SHARE) + unit;
  const ends = scanRuns(data, unit, Math.floor(maxLiterals / unit) + 1);
  if (!ends) return null;
  const blockMax = BLOCK_MAX - (BLOCK_MAX % unit);
  const blocks = Math.ceil(n / blockMax);
  // each block: its header, the literals (room for trying Huffman codes: 2 bytes a literal, a table), a
  // sequences header and tables, 12 bytes a sequence
  const bound = 14 + blocks * (3 + 5 + 8 + 3 * 140 + 200) + 2 * (maxLiterals + blocks * unit) + 12 * (ends.length + blocks);
  if (out.length < bound) out = new Uint8Array(Math.max(bound, out.length * 2));
  if (seqLL.length < ends.length + blocks) {
    const cap = Math.max(ends.length + blocks, seqLL.length * 2);
    seqLL = new Int32Array(cap); seqML = new Int32Array(cap); seqOF = new Int32Array(cap);
    codeLL = new Uint8Array(cap); codeML = new Uint8Array(cap); codeOF = new Uint8Array(cap);
  }
  let o = 0;
  // the frame header: magic number, then one segment (no window descriptor) whose content size follows
  out[o++] = 0x28; out[o++] = 0xb5; out[o++] = 0x2f; out[o++] = 0xfd;
  if (n < 256) { out[o++] = 0x20; out[o++] = n; }
  else if (n < 65536 + 256) { out[o++] = 0x60; out[o++] = (n - 256) & 0xff; out[o++] = (n - 256) >>> 8; }
  else { out[o++] = 0xa0; out[o++] = n & 0xff; out[o++] = (n >>> 8) & 0xff; out[o++] = (n >>> 16) & 0xff; out[o++] = n >>> 24; }
  // the repeat offsets, carried from block to block
  const rep = [1, 4, 8];
  let literalBytes = 0, r = 0;
  for (let b0 = 0; b0 < n; b0 += blockMax) {
    const b1 = Math.min(n, b0 + blockMax);
    // the block's sequences: a run's first pixel joins the literals, the rest is a match if 3 bytes or more
    let seqs = 0, pending = 0, lits = 0;
    for (let start = b0; start < b1;) {
      const end = Math.min(ends[r], b1);
      const m = end - start - unit;
      if (m >= 3) {
        seqLL[seqs] = pending + unit;
        seqML[seqs] = m;
        // offset value: 1-3 name a repeat offset (the literal length is never 0 here), else offset + 3
        let ofv: number;
        if (rep[0] === unit) ofv = 1;
        else if (rep[1] === unit) { ofv = 2; rep[1] = rep[0]; rep[0] = unit; }
        else if (rep[2] === unit) { ofv = 3; rep[2] = rep[1]; rep[1] = rep[0]; rep[0] = unit; }
        else { ofv = unit + 3; rep[2] = rep[1]; rep[1] = rep[0]; rep[0] = unit; }
        seqOF[seqs] = ofv;
        codeLL[seqs] = llCode(pending + unit);
        codeML[seqs] = mlCode(m);
        codeOF[seqs++] = 31 - Math.clz32(ofv);
        lits += pending + unit;
        pending = 0;
      } else {
        pending += end - start;
      }
      if (end === ends[r]) r++;
      start = end;
    }
    lits += pending;
    literalBytes += lits;
    if (literalBytes > maxLiterals) return null;
    o = writeBlock(data, b0, b1, seqs, lits, b1 === n, o);
  }
  return out.slice(0, o);
}

// one block of data[b0..b1) with its `seqs` sequences at `o`: compressed, raw or RLE, whichever is smallest
function writeBlock(data: Uint8Array, b0: number, b1: number, seqs: number, lits: number, last: boolean, o: number): number {
  const size = b1 - b0;
  const head = o;
  o += 3;
  // the literals: each sequence's literal length of bytes ahead of its match, then the block's tail
  if (litBuf.length < lits) litBuf = new Uint8Array(Math.max(lits, litBuf.length * 2));
  let at = b0, l0 = 0;
  for (let k = 0; k < seqs; k++) {
    const l = seqLL[k];
    if (l <= 16) for (let j = 0; j < l; j++) litBuf[l0 + j] = data[at + j];
    else litBuf.set(data.subarray(at, at + l), l0);
    l0 += l;
    at += l + seqML[k];
  }
  if (at < b1) litBuf.set(data.subarray(at, b1), l0);
  o = writeLiterals(litBuf.subarray(0, lits), out, o);
  o = writeSequences(seqs, o);
  const compressed = o - head - 3;
  // one byte value: an RLE block; nothing gained: a raw block
  let type = 2, blockSize = compressed;
  if (seqs <= 1 && size > 1 && oneByte(data, b0, b1)) {
    type = 1; blockSize = size;
    out[head + 3] = data[b0];
    o = head + 4;
  } else if (compressed >= size) {
    type = 0; blockSize = size;
    out.set(data.subarray(b0, b1), head + 3);
    o = head + 3 + size;
  }
  const h = (blockSize << 3) | (type << 1) | (last ? 1 : 0);
  out[head] = h & 0xff; out[head + 1] = (h >>> 8) & 0xff; out[head + 2] = h >>> 16;
  return o;
}

function oneByte(data: Uint8Array, b0: number, b1: number): boolean {
  const v = data[b0];
  for (let k = b0 + 1; k < b1; k++) if (data[k] !== v) return false;
  return true;
}

// how one of the three symbol streams is coded in a block: its mode (0 predefined, 1 RLE, 2 a table of its
// own) and its encoder
interface StreamCode { mode: number; table: FseTable | null; own: Distribution | null; rle: number }

// the cheapest way to code symbols with `counts` (`n` in all, the highest `maxSymbol`)
function chooseCode(counts: Uint32Array, n: number, maxSymbol: number, fallback: Distribution, defaultTable: FseTable, into: FseTable, maxLog: number): StreamCode {
  let used = 0;
  for (let s = 0; s <= maxSymbol; s++) if (counts[s]) used++;
  if (used === 1) return { mode: 1, table: null, own: null, rle: maxSymbol };
  const own = normalize(counts.subarray(0, maxSymbol + 1), n, tableLog(n, maxSymbol, used, maxLog));
  // a table of its own costs its description (about a byte per 3 symbols)
  const ownCost = fseCost(counts, own) + 8 * (2 + Math.ceil(maxSymbol / 2));
  if (maxSymbol < fallback.norm.length && fseCost(counts, fallback) <= ownCost) return { mode: 0, table: defaultTable, own: null, rle: 0 };
  return { mode: 2, table: fseTable(own, into), own, rle: 0 };
}

// the sequences section at `o`: their count, how each stream is coded, the tables, the bitstream
function writeSequences(seqs: number, o: number): number {
  if (seqs < 128) out[o++] = seqs;
  else if (seqs < 0x7f00) { out[o++] = (seqs >>> 8) + 128; out[o++] = seqs & 0xff; }
  else { out[o++] = 0xff; out[o++] = (seqs - 0x7f00) & 0xff; out[o++] = (seqs - 0x7f00) >>> 8; }
  if (seqs === 0) return o;
  defaults ??= { ll: fseTable(LL_DEFAULT), ml: fseTable(ML_DEFAULT), of: fseTable(OF_DEFAULT) };
  llCount.fill(0); mlCount.fill(0); ofCount.fill(0);
  let llMax = 0, mlMax = 0, ofMax = 0;
  for (let k = 0; k < seqs; k++) {
    const lc = codeLL[k], mc = codeML[k], oc = codeOF[k];
    llCount[lc]++; mlCount[mc]++; ofCount[oc]++;
    if (lc > llMax) llMax = lc;
    if (mc > mlMax) mlMax = mc;
    if (oc > ofMax) ofMax = oc;
  }
  const ll = chooseCode(llCount, seqs, llMax, LL_DEFAULT, defaults.ll, ownTables.ll, LL_MAX_LOG);
  const of = chooseCode(ofCount, seqs, ofMax, OF_DEFAULT, defaults.of, ownTables.of, OF_MAX_LOG);
  const ml = chooseCode(mlCount, seqs, mlMax, ML_DEFAULT, defaults.ml, ownTables.ml, ML_MAX_LOG);
  out[o++] = (ll.mode << 6) | (of.mode << 4) | (ml.mode << 2);
  for (const c of [ll, of, ml]) {
    if (c.mode === 1) out[o++] = c.rle;
    else if (c.mode === 2) o = writeDistribution(c.own!, out, o);
  }
  return writeBitstream(seqs, ll, of, ml, o);
}

// the table of an RLE stream: state 0 emits no bits and stays 0
const NO_TABLE: FseTable = { log: 0, states: new Uint16Array(1), deltaBits: new Int32Array(53), deltaFind: new Int32Array(53) };

// the sequences' bitstream, written forward and read backward by the decoder: the last sequence first, each
// sequence's state transitions (offset, match, literal) then its extra bits (literal, match, offset), the
// three final states, and a closing 1 bit
function writeBitstream(seqs: number, ll: StreamCode, of: StreamCode, ml: StreamCode, o: number): number {
  const words = (seqs * 96) / 32 + 8;
  if (bitBuf.length < words) bitBuf = new Uint32Array(Math.max(words, bitBuf.length * 2));
  const w = bitBuf;
  let k32 = 0, acc = 0, nb = 0;
  const put = (v: number, count: number): void => {
    acc |= v << nb;
    nb += count;
    if (nb >= 32) {
      w[k32++] = acc;
      nb -= 32;
      acc = v >>> (count - nb);
    }
  };
  // a stream coded as one repeated symbol (RLE) has no states: a table of one state that emits nothing
  const llT = ll.table ?? NO_TABLE, ofT = of.table ?? NO_TABLE, mlT = ml.table ?? NO_TABLE;
  const llStates = llT.states, llBits = llT.deltaBits, llFind = llT.deltaFind;
  const ofStates = ofT.states, ofBits = ofT.deltaBits, ofFind = ofT.deltaFind;
  const mlStates = mlT.states, mlBits = mlT.deltaBits, mlFind = mlT.deltaFind;
  // the last sequence's states: no bits
  let k = seqs - 1;
  let llS = ll.table ? fseStart(llT, codeLL[k]) : 0, ofS = of.table ? fseStart(ofT, codeOF[k]) : 0, mlS = ml.table ? fseStart(mlT, codeML[k]) : 0;
  for (;; k--) {
    const lc = codeLL[k], mc = codeML[k], oc = codeOF[k];
    if (LL_BITS[lc]) put(seqLL[k] - LL_BASE[lc], LL_BITS[lc]);
    if (ML_BITS[mc]) put(seqML[k] - ML_BASE[mc], ML_BITS[mc]);
    if (oc) put(seqOF[k] - (1 << oc), oc);
    if (k === 0) break;
    // each state moves to the symbol of the sequence before (read back, the next one); its low bits go out
    const po = codeOF[k - 1], pm = codeML[k - 1], pl = codeLL[k - 1];
    let bits = (ofS + ofBits[po]) >> 16;
    put(ofS & ((1 << bits) - 1), bits);
    ofS = ofStates[(ofS >> bits) + ofFind[po]];
    bits = (mlS + mlBits[pm]) >> 16;
    put(mlS & ((1 << bits) - 1), bits);
    mlS = mlStates[(mlS >> bits) + mlFind[pm]];
    bits = (llS + llBits[pl]) >> 16;
    put(llS & ((1 << bits) - 1), bits);
    llS = llStates[(llS >> bits) + llFind[pl]];
  }
  if (ml.table) put(mlS - (1 << mlT.log), mlT.log);
  if (of.table) put(ofS - (1 << ofT.log), ofT.log);
  if (ll.table) put(llS - (1 << llT.log), llT.log);
  put(1, 1);
  const bytes = new Uint8Array(w.buffer, 0, k32 * 4 + 4);
  let at = k32 * 4;
  for (; nb > 0; nb -= 8, acc >>>= 8) bytes[at++] = acc & 0xff;
  out.set(bytes.subarray(0, at), o);
  return o + at;
}
