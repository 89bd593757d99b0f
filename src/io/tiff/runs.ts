// A chunk cut into runs of one pixel value: what the run coders (deflate-runs.ts, zstd-runs.ts) code. A
// rasterized chunk is long runs, so the scan compares 32-bit words against the run's value (1, 2 and 4-byte
// pixels) or against the word one pixel back (wider pixels), and only the run's ends pixel by pixel.
// Browser-safe.

// the run ends are written into a buffer kept between calls (a worker scans thousands of chunks)
let endsBuf = new Int32Array(0);

/**
 * The byte offsets where the runs of equal `unit`-byte pixels of `data` end (the last is data.length), in a
 * view of a buffer that the next call reuses; null when there are more than `maxRuns` runs or `data` is not a
 * whole number of pixels.
 */
export function scanRuns(data: Uint8Array, unit: number, maxRuns: number): Int32Array | null {
  const n = data.length;
  if (n % unit !== 0) return null;
  const cap = Math.min(maxRuns, n / unit) + 1;
  if (endsBuf.length < cap) endsBuf = new Int32Array(Math.max(cap, endsBuf.length * 2));
  const ends = endsBuf;
  let r: number;
  if (data.byteOffset % 4 !== 0) r = scanBytes(data, unit, ends, maxRuns);
  else if (unit === 1) r = scan1(data, ends, maxRuns);
  else if (unit === 2) r = scan2(data, ends, maxRuns);
  else if (unit % 4 === 0) r = scanWords(data, unit, ends, maxRuns);
  else r = scanBytes(data, unit, ends, maxRuns);
  return r < 0 ? null : ends.subarray(0, r);
}

// byte pixels: a run's value spread over a word, compared a word at a time between the unaligned ends
function scan1(data: Uint8Array, ends: Int32Array, maxRuns: number): number {
  const n = data.length, w = new Uint32Array(data.buffer, data.byteOffset, n >> 2), nw = w.length;
  let r = 0;
  for (let i = 0; i < n;) {
    const v = data[i];
    let j = i + 1;
    while ((j & 3) !== 0 && j < n && data[j] === v) j++;
    if ((j & 3) === 0) {
      const p = (v * 0x01010101) >>> 0;
      let k = j >> 2;
      while (k < nw && w[k] === p) k++;
      j = k << 2;
      while (j < n && data[j] === v) j++;
    }
    if (r === maxRuns) return -1;
    ends[r++] = j;
    i = j;
  }
  return r;
}

// 2-byte pixels: as scan1, two pixels a word
function scan2(data: Uint8Array, ends: Int32Array, maxRuns: number): number {
  const n = data.length, h = new Uint16Array(data.buffer, data.byteOffset, n >> 1), nh = h.length;
  const w = new Uint32Array(data.buffer, data.byteOffset, n >> 2), nw = w.length;
  let r = 0;
  for (let i = 0; i < nh;) {
    const v = h[i];
    let j = i + 1;
    if ((j & 1) !== 0 && j < nh && h[j] === v) j++;
    if ((j & 1) === 0) {
      const p = (v * 0x10001) >>> 0;
      let k = j >> 1;
      while (k < nw && w[k] === p) k++;
      j = k << 1;
      if (j < nh && h[j] === v) j++;
    }
    if (r === maxRuns) return -1;
    ends[r++] = j << 1;
    i = j;
  }
  return r;
}

// pixels of 4, 8, ... bytes: each word against the word one pixel back; a run ends at the start of the pixel
// holding the first word that differs
function scanWords(data: Uint8Array, unit: number, ends: Int32Array, maxRuns: number): number {
  const n = data.length, w = new Uint32Array(data.buffer, data.byteOffset, n >> 2), nw = w.length, back = unit >> 2;
  let r = 0;
  for (let start = 0; start < n;) {
    let k = (start + unit) >> 2;
    while (k < nw && w[k] === w[k - back]) k++;
    const p = k << 2;
    const end = p >= n ? n : p - (p % unit);
    if (r === maxRuns) return -1;
    ends[r++] = end;
    start = end;
  }
  return r;
}

// any pixel size and alignment: each byte against the byte one pixel back
function scanBytes(data: Uint8Array, unit: number, ends: Int32Array, maxRuns: number): number {
  const n = data.length;
  let r = 0;
  for (let start = 0; start < n;) {
    let k = start + unit;
    while (k < n && data[k] === data[k - unit]) k++;
    const end = k >= n ? n : k - (k % unit);
    if (r === maxRuns) return -1;
    ends[r++] = end;
    start = end;
  }
  return r;
}
