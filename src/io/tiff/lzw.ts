// TIFF's LZW compression (Compression 5), decoded and encoded bit for bit as libtiff does. Browser-safe.

const CLEAR = 256, EOI = 257;

/** TIFF LZW (MSB-first codes, 9 to 12 bits, code width grows one code early), decoded into `expected` bytes. */
export function lzwDecode(src: Uint8Array, expected: number): Uint8Array {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1)) throw new Error('old-style (LSB-first) LZW is not supported');
  const out = new Uint8Array(expected);
  // the table as prefix links: entry k is entry prefix[k] followed by byte suffix[k]; first[k] is its first byte
  const prefix = new Int32Array(4096), suffix = new Uint8Array(4096), first = new Uint8Array(4096), len = new Int32Array(4096);
  for (let i = 0; i < 256; i++) { prefix[i] = -1; suffix[i] = i; first[i] = i; len[i] = 1; }
  let next = 258, bits = 9, old = -1, o = 0;
  let acc = 0, accBits = 0, p = 0;
  // like libtiff, output past the chunk's size is dropped
  const emit = (code: number): void => {
    const n = len[code];
    for (let k = code, q = o + n - 1; k >= 0; k = prefix[k], q--) if (q < expected) out[q] = suffix[k];
    o = Math.min(expected, o + n);
  };
  while (o < expected) {
    while (accBits < bits && p < src.length) { acc = ((acc << 8) | src[p++]) & 0xffffff; accBits += 8; }
    // data that stops without an EOI code ends here, as in libtiff
    if (accBits < bits) break;
    accBits -= bits;
    const code = (acc >>> accBits) & ((1 << bits) - 1);
    if (code === EOI) break;
    if (code === CLEAR) {
      next = 258; bits = 9; old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`LZW code ${code} right after a clear code`);
      emit(code);
    } else {
      if (code > next) throw new Error(`LZW code ${code} is past the table (next ${next})`);
      // code === next is the entry being made now: the previous string plus its own first byte
      const fresh = code === next;
      if (!fresh) emit(code);
      if (next < 4096) {
        prefix[next] = old; suffix[next] = fresh ? first[old] : first[code]; first[next] = first[old]; len[next] = len[old] + 1;
        next++;
      }
      if (fresh) emit(code);
    }
    old = code;
    if (next + 1 >= 1 << bits && bits < 12) bits++;
  }
  if (o < expected) throw new Error(`LZW data ends after ${o} of ${expected} bytes`);
  return out;
}

// the encoder's string table as an open-addressing hash of (code << 8 | byte) + 1 -> code, kept between calls:
// 8,192 slots (48 KiB) stay in cache, where a direct table of every code and byte (6 MiB) missed it on each
// new string; at most 3,836 strings live between clears, so a probe finds a free slot soon
const HASH_SLOTS = 8192;
const lzwKeys = new Int32Array(HASH_SLOTS), lzwCodes = new Uint16Array(HASH_SLOTS);

/** TIFF LZW encoding as libtiff writes it: a clear code first, a clear code when the table fills, EOI last. */
export function lzwEncode(src: Uint8Array): Uint8Array {
  const keys = lzwKeys, codes = lzwCodes;
  keys.fill(0);
  // at worst every byte costs a 12-bit code, plus clears
  let out = new Uint8Array(Math.ceil(src.length * 1.6) + 16);
  let o = 0, acc = 0, accBits = 0, bits = 9;
  const put = (code: number): void => {
    acc = ((acc << bits) | code) & 0xffffff;
    accBits += bits;
    while (accBits >= 8) {
      accBits -= 8;
      if (o >= out.length) { const bigger = new Uint8Array(out.length * 2); bigger.set(out); out = bigger; }
      out[o++] = (acc >>> accBits) & 0xff;
    }
  };
  put(CLEAR);
  if (src.length > 0) {
    let next = 258, ent = src[0];
    for (let i = 1; i < src.length; i++) {
      const c = src[i];
      const key = ((ent << 8) | c) + 1;
      let h = (Math.imul(key, 0x9e3779b1) >>> 19) & (HASH_SLOTS - 1);
      let k = keys[h];
      while (k !== 0 && k !== key) { h = (h + 1) & (HASH_SLOTS - 1); k = keys[h]; }
      if (k === key) { ent = codes[h]; continue; }
      // put(ent), inline: this is the one call per new string
      acc = ((acc << bits) | ent) & 0xffffff;
      accBits += bits;
      if (o + 2 >= out.length) { const bigger = new Uint8Array(out.length * 2); bigger.set(out); out = bigger; }
      while (accBits >= 8) { accBits -= 8; out[o++] = (acc >>> accBits) & 0xff; }
      ent = c;
      keys[h] = key;
      codes[h] = next++;
      if (next === 4094) {
        put(CLEAR);
        keys.fill(0);
        next = 258;
        bits = 9;
      } else if (next > (1 << bits) - 1) {
        bits++;
      }
    }
    put(ent);
    next++;
    if (next === 4094) { put(CLEAR); bits = 9; } else if (next > (1 << bits) - 1) bits++;
  }
  put(EOI);
  if (accBits > 0) {
    if (o >= out.length) { const bigger = new Uint8Array(out.length + 1); bigger.set(out); out = bigger; }
    out[o++] = (acc << (8 - accBits)) & 0xff;
  }
  return out.slice(0, o);
}
