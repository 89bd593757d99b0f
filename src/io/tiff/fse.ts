// Finite State Entropy coding as ZSTD's sequences use it (RFC 8878, 4.1): a distribution normalized to a
// table of 2^log cells, its description as a ZSTD block writes it, and the encoder's tables, which must spread
// the symbols over the cells exactly as a decoder does. Browser-safe.

/** A normalized distribution: cells per symbol (-1: a symbol rarer than one cell, given one), summing to 2^log. */
export interface Distribution {
  norm: Int16Array;
  log: number;
}

/** The encoder of one distribution: per symbol, the bits to emit and where its next state is looked up. */
export interface FseTable {
  log: number;
  /** the encoder's states (2^log .. 2^(log+1) - 1) in each symbol's cells, symbol by symbol */
  states: Uint16Array;
  /** per symbol: (bits out << 16) - the lowest state that emits that many; `state + it >> 16` is the bit count */
  deltaBits: Int32Array;
  /** per symbol: where its cells start in `states`, less its cell count */
  deltaFind: Int32Array;
}

function highBit(v: number): number {
  return 31 - Math.clz32(v);
}

// fseTable's working arrays, kept between calls (a chunk's blocks build up to three tables each)
let symbolAt = new Uint8Array(0), cumul = new Int32Array(0), nextCell = new Int32Array(0);

/**
 * The encoder tables of `d`, spread as RFC 8878 4.1.1 lays out the decoder's table; into `into`'s arrays when
 * they are big enough.
 */
export function fseTable(d: Distribution, into: FseTable | null = null): FseTable {
  const { norm, log } = d;
  const size = 1 << log, mask = size - 1, step = (size >> 1) + (size >> 3) + 3;
  if (symbolAt.length < size) symbolAt = new Uint8Array(size);
  if (cumul.length < norm.length + 1) { cumul = new Int32Array(norm.length + 1); nextCell = new Int32Array(norm.length + 1); }
  let high = size - 1;
  // the rarest symbols take one cell each from the top
  cumul[0] = 0;
  for (let s = 0; s < norm.length; s++) {
    if (norm[s] === -1) { cumul[s + 1] = cumul[s] + 1; symbolAt[high--] = s; } else cumul[s + 1] = cumul[s] + norm[s];
  }
  if (cumul[norm.length] !== size) throw new Error(`internal: an FSE distribution sums to ${cumul[norm.length]}, not ${size}`);
  for (let s = 0, pos = 0; s < norm.length; s++) {
    for (let i = 0; i < norm[s]; i++) {
      symbolAt[pos] = s;
      do pos = (pos + step) & mask; while (pos > high);
    }
  }
  const t: FseTable = into && into.states.length >= size && into.deltaBits.length >= norm.length ? into
    : { log, states: new Uint16Array(size), deltaBits: new Int32Array(norm.length), deltaFind: new Int32Array(norm.length) };
  t.log = log;
  const { states, deltaBits, deltaFind } = t;
  const next = nextCell;
  next.set(cumul.subarray(0, norm.length + 1));
  for (let u = 0; u < size; u++) states[next[symbolAt[u]]++] = size + u;
  for (let s = 0; s < norm.length; s++) {
    const n = norm[s];
    if (n === 0) {
      deltaBits[s] = ((log + 1) << 16) - size;
      deltaFind[s] = 0;
    } else if (n === 1 || n === -1) {
      deltaBits[s] = (log << 16) - size;
      deltaFind[s] = cumul[s] - 1;
    } else {
      const bitsOut = log - highBit(n - 1);
      deltaBits[s] = (bitsOut << 16) - (n << bitsOut);
      deltaFind[s] = cumul[s] - n;
    }
  }
  return t;
}

/** The state a stream starts from to code `s` first (no bits emitted): the cheapest of its cells. */
export function fseStart(t: FseTable, s: number): number {
  const bitsOut = (t.deltaBits[s] + (1 << 15)) >> 16;
  const v = (bitsOut << 16) - t.deltaBits[s];
  return t.states[(v >> bitsOut) + t.deltaFind[s]];
}

/**
 * `counts` (of symbols 0..counts.length-1, `total` in all) normalized to 2^log cells, every used symbol at least
 * one; log must leave a cell for each used symbol.
 */
export function normalize(counts: Uint32Array, total: number, log: number): Distribution {
  const size = 1 << log;
  const norm = new Int16Array(counts.length);
  let sum = 0, largest = 0;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s];
    if (!c) continue;
    norm[s] = Math.max(1, Math.round((c * size) / total));
    sum += norm[s];
    if (norm[s] > norm[largest]) largest = s;
  }
  if (sum < size) norm[largest] += size - sum;
  // too many cells (symbols rounded up to one): take them from the biggest, one at a time
  while (sum > size) {
    let big = 0;
    for (let s = 1; s < norm.length; s++) if (norm[s] > norm[big]) big = s;
    if (norm[big] <= 1) throw new Error(`internal: ${counts.length} symbols do not fit 2^${log} cells`);
    norm[big]--;
    sum--;
  }
  return { norm, log };
}

/** The table log for `n` symbols coded, the highest used symbol `maxSymbol`, at most `maxLog` (5 at least). */
export function tableLog(n: number, maxSymbol: number, used: number, maxLog: number): number {
  let log = Math.min(maxLog, highBit(Math.max(1, n - 1)) - 2);
  log = Math.max(log, Math.min(highBit(Math.max(1, n)) + 1, highBit(Math.max(1, maxSymbol)) + 2));
  while ((1 << log) < used) log++;
  return Math.min(Math.max(log, 5), maxLog);
}

/** Bits that `counts` take coded with `d` (an estimate: each symbol at log2 of its share). */
export function fseCost(counts: Uint32Array, d: Distribution): number {
  let bits = 0;
  for (let s = 0; s < counts.length; s++) {
    if (!counts[s]) continue;
    const n = s < d.norm.length ? d.norm[s] : 0;
    if (n === 0) return Infinity;
    bits += counts[s] * (d.log - Math.log2(n < 0 ? 1 : n));
  }
  return bits;
}

/**
 * The distribution's description as a ZSTD FSE_Compressed table (RFC 8878 4.1.1), appended to `out` at `at`;
 * returns the offset after it.
 */
export function writeDistribution(d: Distribution, out: Uint8Array, at: number): number {
  const { norm, log } = d;
  let maxSymbol = norm.length - 1;
  while (maxSymbol > 0 && norm[maxSymbol] === 0) maxSymbol--;
  let bits = 0, count = 0;
  const push = (v: number, n: number): void => {
    bits |= v << count;
    count += n;
    while (count >= 8) { out[at++] = bits & 0xff; bits >>>= 8; count -= 8; }
  };
  push(log - 5, 4);
  let remaining = (1 << log) + 1, threshold = 1 << log, nbBits = log + 1;
  let previous0 = false;
  for (let s = 0; s <= maxSymbol && remaining > 1;) {
    if (previous0) {
      // a run of zero counts: 2-bit repeat flags, 3 symbols each (3: three more zeros and another flag)
      let start = s;
      while (norm[s] === 0) s++;
      while (s >= start + 3) { start += 3; push(3, 2); }
      push(s - start, 2);
    }
    let c = norm[s++];
    const max = 2 * threshold - 1 - remaining;
    remaining -= c < 0 ? -c : c;
    c++;
    if (c >= threshold) c += max;
    // values below `max` take one bit fewer
    push(c, c < max ? nbBits - 1 : nbBits);
    previous0 = c === 1;
    while (remaining < threshold) { nbBits--; threshold >>= 1; }
  }
  if (count > 0) out[at++] = bits & 0xff;
  return at;
}
