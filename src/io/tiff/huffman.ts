// Huffman code lengths for the run coders' entropy stages (DEFLATE's literal/length and code length codes,
// ZSTD's literals): a plain Huffman tree, flattened until it fits the format's longest code. Browser-safe.

let clampFreq = new Uint32Array(0);
/**
 * Huffman code lengths of at most `limit` bits for `freq`, into `out` (returned); a lone used symbol gets a
 * partner, so that every code is complete (some decoders refuse an incomplete one).
 */
export function codeLengths(freq: Uint32Array, limit: number, out: Uint8Array): Uint8Array {
  const n = freq.length;
  if (clampFreq.length < n) clampFreq = new Uint32Array(n);
  const f = clampFreq.subarray(0, n);
  f.set(freq);
  let used = 0;
  for (let k = 0; k < n; k++) if (f[k] > 0) used++;
  for (let k = 0; k < n && used < 2; k++) if (f[k] === 0) { f[k] = 1; used++; }
  for (;;) {
    huffmanLengths(f, used, out);
    let max = 0;
    for (let k = 0; k < n; k++) if (out[k] > max) max = out[k];
    if (max <= limit) return out;
    // too deep: flatten the frequencies and build again
    for (let k = 0; k < n; k++) if (f[k] > 0) f[k] = (f[k] >>> 1) | 1;
  }
}

// huffmanLengths' working arrays, kept between calls
let hOrder = new Int32Array(0), hParent = new Int32Array(0), hWeight = new Float64Array(0), hDepth = new Uint8Array(0);
// frequencies up to this are sorted by counting (a typed array's sort() of ~280 symbols, once per chunk, was the
// coder's costliest line), higher ones by a sort of frequency-and-symbol keys
const COUNTING_SORT_MAX = 8192;
const hCount = new Uint32Array(COUNTING_SORT_MAX + 1);

// plain Huffman code lengths of the `m` used symbols (two-queue merge over the symbols sorted by frequency,
// ties to the lower symbol)
function huffmanLengths(f: Uint32Array, m: number, len: Uint8Array): void {
  const n = f.length;
  if (hOrder.length < n) {
    hOrder = new Int32Array(n);
    hParent = new Int32Array(2 * n);
    hWeight = new Float64Array(2 * n);
    hDepth = new Uint8Array(2 * n);
  }
  const order = hOrder, parent = hParent, weight = hWeight, depth = hDepth;
  let max = 0;
  for (let k = 0; k < n; k++) if (f[k] > max) max = f[k];
  if (max <= COUNTING_SORT_MAX) {
    const count = hCount;
    count.fill(0, 0, max + 1);
    for (let k = 0; k < n; k++) count[f[k]]++;
    // slots: where each frequency's first symbol goes (frequency 0 is not placed)
    for (let v = 1, at = 0; v <= max; v++) { const c = count[v]; count[v] = at; at += c; }
    for (let k = 0; k < n; k++) if (f[k] > 0) order[count[f[k]]++] = k;
  } else {
    const keys = max * 512 + n < 2 ** 32 ? new Uint32Array(m) : new Float64Array(m);
    for (let k = 0, q = 0; k < n; k++) if (f[k] > 0) keys[q++] = f[k] * 512 + k;
    keys.sort();
    for (let k = 0; k < m; k++) order[k] = keys[k] % 512;
  }
  // nodes 0..m-1 are leaves, m.. inner nodes; parent links give each leaf its depth
  for (let k = 0; k < m; k++) weight[k] = f[order[k]];
  let leaf = 0, inner = m, made = m;
  for (let k = 0; k < m - 1; k++) {
    const a = leaf < m && (inner >= made || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    const b = leaf < m && (inner >= made || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
    weight[made] = weight[a] + weight[b];
    parent[a] = made; parent[b] = made;
    made++;
  }
  depth[made - 1] = 0;
  for (let k = made - 2; k >= 0; k--) depth[k] = depth[parent[k]] + 1;
  len.fill(0);
  for (let k = 0; k < m; k++) len[order[k]] = depth[k];
}
