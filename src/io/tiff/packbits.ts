// TIFF's PackBits compression (Compression 32773), decoded and encoded as libtiff does. Browser-safe.

/** PackBits runs decoded into `expected` bytes. */
export function packBitsDecode(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let i = 0, o = 0;
  while (o < expected && i < src.length) {
    const n = (src[i++] << 24) >> 24;
    // like libtiff, runs past the chunk's size are cut short
    if (n >= 0) {
      if (i + n + 1 > src.length) throw new Error(`PackBits literal run of ${n + 1} bytes runs past the data`);
      const k = Math.min(n + 1, expected - o);
      out.set(src.subarray(i, i + k), o);
      i += n + 1; o += k;
    } else if (n !== -128) {
      if (i >= src.length) throw new Error('PackBits data ends inside a repeat run');
      const k = Math.min(1 - n, expected - o);
      out.fill(src[i++], o, o + k);
      o += k;
    }
  }
  if (o < expected) throw new Error(`PackBits data ends after ${o} of ${expected} bytes`);
  return out;
}

/** PackBits, one row at a time as libtiff packs it (runs never cross a row). */
export function packBitsEncode(src: Uint8Array, rowBytes: number): Uint8Array {
  const out = new Uint8Array(src.length + Math.ceil(src.length / 128) + Math.ceil(src.length / Math.max(rowBytes, 1)) + 8);
  let o = 0;
  for (let start = 0; start < src.length; start += rowBytes) {
    const end = Math.min(src.length, start + rowBytes);
    let i = start;
    while (i < end) {
      // a repeat run of 3 or more (2 at a row end) pays for itself
      let run = 1;
      while (i + run < end && run < 128 && src[i + run] === src[i]) run++;
      if (run >= 2 && (run >= 3 || i + run === end)) {
        out[o++] = (1 - run) & 0xff;
        out[o++] = src[i];
        i += run;
        continue;
      }
      let lit = i;
      while (lit < end && lit - i < 128) {
        if (lit + 2 < end && src[lit] === src[lit + 1] && src[lit] === src[lit + 2]) break;
        lit++;
      }
      if (lit === i) lit = i + 1;
      out[o++] = lit - i - 1;
      out.set(src.subarray(i, lit), o);
      o += lit - i;
      i = lit;
    }
  }
  return out.slice(0, o);
}
