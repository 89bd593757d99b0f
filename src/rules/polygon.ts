import type { BurnSink } from './sink.js';
import { cint, cintFloor } from './point.js';

/*
 * GDAL 3.6.2's scanline polygon fill (pixel rules P1-P7, N1), reorganised around an
 * active-edge table so that the work is proportional to edges + crossings + burned spans instead of
 * GDAL's rows x edges. Every value that decides a pixel is computed exactly as GDAL computes it:
 * the crossing x is evaluated per row with GDAL's formula and operation order (never stepped
 * incrementally, which would drift and move ties), and the rows an edge takes part in are found by
 * testing GDAL's own half-open condition `yl <= y + 0.5 < yh` in float64.
 */

// scratch buffers shared by all calls; they only grow, so 100k small polygons allocate nothing
class Scratch {
  cap = 0;
  eXl = new Float64Array(0); // lower endpoint x
  eYl = new Float64Array(0); // lower endpoint y
  eDx = new Float64Array(0); // xh - xl
  eDy = new Float64Array(0); // yh - yl
  eFirst = new Int32Array(0); // first row whose centre the edge crosses
  eLast = new Int32Array(0); // last such row
  eOrder = new Int32Array(0); // edge ids sorted by first row
  actE = new Int32Array(0); // active edges, kept sorted by crossing column
  actK = new Int32Array(0);
  tmpE = new Int32Array(0);
  tmpK = new Int32Array(0);
  newE = new Int32Array(0); // edges entering on the current row
  newK = new Int32Array(0);
  hRow = new Int32Array(0); // horizontal edges lying on a row centre: row and burned columns
  hX0 = new Int32Array(0);
  hX1 = new Int32Array(0);
  hOrder = new Int32Array(0);
  counts = new Int32Array(0);
  sortKeys = new Float64Array(0);

  ensure(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(n, this.cap * 2, 64);
    this.cap = cap;
    this.eXl = new Float64Array(cap);
    this.eYl = new Float64Array(cap);
    this.eDx = new Float64Array(cap);
    this.eDy = new Float64Array(cap);
    this.eFirst = new Int32Array(cap);
    this.eLast = new Int32Array(cap);
    this.eOrder = new Int32Array(cap);
    this.actE = new Int32Array(cap);
    this.actK = new Int32Array(cap);
    this.tmpE = new Int32Array(cap);
    this.tmpK = new Int32Array(cap);
    this.newE = new Int32Array(cap);
    this.newK = new Int32Array(cap);
    this.hRow = new Int32Array(cap);
    this.hX0 = new Int32Array(cap);
    this.hX1 = new Int32Array(cap);
    this.hOrder = new Int32Array(cap);
    this.sortKeys = new Float64Array(cap);
  }
}
const S = new Scratch();

// sorts ids 0..n-1 into `out` by key[id] (integers in lo..hi): insertion for few, counting for many
function sortByRow(key: Int32Array, n: number, lo: number, hi: number, out: Int32Array): void {
  if (n <= 48) {
    for (let i = 0; i < n; i++) {
      const k = key[i];
      let j = i;
      while (j > 0 && key[out[j - 1]] > k) {
        out[j] = out[j - 1];
        j--;
      }
      out[j] = i;
    }
    return;
  }
  const range = hi - lo + 2;
  if (S.counts.length < range) S.counts = new Int32Array(Math.max(range, S.counts.length * 2));
  const counts = S.counts;
  counts.fill(0, 0, range);
  for (let i = 0; i < n; i++) counts[key[i] - lo + 1]++;
  for (let r = 1; r < range; r++) counts[r] += counts[r - 1];
  for (let i = 0; i < n; i++) out[counts[key[i] - lo]++] = i;
}

// crossing column on the row with centre yc: GDAL's formula operation for operation, then cint
export function crossing(yc: number, yl: number, dx: number, dy: number, xl: number): number {
  const f = Math.floor((yc - yl) * dx / dy + xl + 0.5);
  return f >= -2147483648 && f < 2147483648 ? f : -2147483648;
}

// sorts the m entries of newE/newK by column
function sortNew(m: number): void {
  const { newE, newK, tmpE, tmpK } = S;
  if (m <= 32) {
    for (let i = 1; i < m; i++) {
      const k = newK[i];
      const e = newE[i];
      let j = i;
      while (j > 0 && newK[j - 1] > k) {
        newK[j] = newK[j - 1];
        newE[j] = newE[j - 1];
        j--;
      }
      newK[j] = k;
      newE[j] = e;
    }
    return;
  }
  let kmin = newK[0];
  let kmax = newK[0];
  for (let i = 1; i < m; i++) {
    const k = newK[i];
    if (k < kmin) kmin = k;
    else if (k > kmax) kmax = k;
  }
  if ((kmax - kmin + 1) * m < 2 ** 52) {
    // pack (column, slot) into one exact float64 so the native numeric sort orders both
    const keys = S.sortKeys.subarray(0, m);
    for (let i = 0; i < m; i++) keys[i] = (newK[i] - kmin) * m + i;
    keys.sort();
    for (let i = 0; i < m; i++) tmpE[i] = newE[keys[i] % m];
    for (let i = 0; i < m; i++) {
      newE[i] = tmpE[i];
      newK[i] = Math.floor(keys[i] / m) + kmin;
    }
    return;
  }
  const idx = Array.from({ length: m }, (_, i) => i);
  idx.sort((a, b) => newK[a] - newK[b]);
  for (let i = 0; i < m; i++) {
    tmpE[i] = newE[idx[i]];
    tmpK[i] = newK[idx[i]];
  }
  newE.set(tmpE.subarray(0, m));
  newK.set(tmpK.subarray(0, m));
}

/** [first, last] row of the last fillRows / edgeRows call that returned true. */
export const rowRange = new Int32Array(2);

/**
 * The rows GDAL scans for a shape with vertices v0..vEnd-1: cint(min y)..cint(max y), limited to
 * rowFrom..rowTo-1. False when none is left (also when a huge coordinate wraps the int conversion).
 */
export function fillRows(ys: Float64Array, v0: number, vEnd: number, rowFrom: number, rowTo: number): boolean {
  // GDAL scans min/max with strict comparisons from the first vertex on, so a NaN there wins
  let dminy = ys[v0];
  let dmaxy = ys[v0];
  for (let i = v0 + 1; i < vEnd; i++) {
    const y = ys[i];
    if (y < dminy) dminy = y;
    if (y > dmaxy) dmaxy = y;
  }
  let miny = cint(dminy);
  let maxy = cint(dmaxy);
  if (miny < rowFrom) miny = rowFrom;
  if (maxy >= rowTo) maxy = rowTo - 1;
  rowRange[0] = miny;
  rowRange[1] = maxy;
  return miny <= maxy;
}

/**
 * The rows miny..maxy whose centre yc an edge from yl up to yh crosses by GDAL's half-open test
 * yl <= yc < yh, found exactly in float64 (false when none).
 */
export function edgeRows(yl: number, yh: number, miny: number, maxy: number): boolean {
  // + 0: ceil's -0 (of -0.5 < yl <= 0.5) as 0, the same row, kept a small integer for the optimised code
  let f = Math.ceil(yl - 0.5) + 0;
  // the bounds are computed on every call: a band of rows (a row window) first meets edges reaching past
  // its top long after the optimised code was made from the top band's calls, and an operation that had
  // never run there would throw that code away (the same holds for the compares below)
  const below = maxy + 1, above = miny - 1;
  if (!(f >= miny)) f = miny;
  else if (f > below) f = below;
  while (f > miny && f - 1 + 0.5 >= yl) f--;
  while (f <= maxy && f + 0.5 < yl) f++;
  let l = Math.ceil(yh - 0.5) - 1;
  if (!(l <= maxy)) l = maxy;
  else if (l < above) l = above;
  while (l < maxy && l + 1 + 0.5 < yh) l++;
  while (l >= miny && l + 0.5 >= yh) l--;
  rowRange[0] = f;
  rowRange[1] = l;
  return f <= l;
}

/** horizontalSpan: the edge burns nothing */
export const H_NONE = 0;
/** horizontalSpan: columns hSpan[0]..hSpan[1] of row hSpan[2] */
export const H_ROW = 1;
/** horizontalSpan: columns hSpan[0]..hSpan[1] of every scanned row (a NaN y) */
export const H_NAN = 2;
/** Columns (and row) of the last horizontalSpan call. */
export const hSpan = new Int32Array(3);

/**
 * What an edge from (ax, ay) to (bx, by) with equal y (or a NaN y, which GDAL also sends down this
 * branch on every row) burns: only an edge running toward decreasing x burns, directly and
 * regardless of parity (pixel rule P6), and only on a row whose centre it lies on.
 */
export function horizontalSpan(ax: number, bx: number, ay: number, by: number, miny: number, maxy: number, maxx: number): number {
  if (!(ax > bx)) return H_NONE;
  const k0 = cintFloor(bx + 0.5);
  const k1 = cintFloor(ax + 0.5);
  if (k0 > maxx || k1 <= 0 || k0 > k1 - 1) return H_NONE;
  hSpan[0] = k0 < 0 ? 0 : k0;
  hSpan[1] = k1 - 1 > maxx ? maxx : k1 - 1;
  if (ay !== ay || by !== by) return H_NAN;
  const r = ay - 0.5;
  if (r >= miny && r <= maxy && Number.isInteger(r) && r + 0.5 === ay) {
    hSpan[2] = r;
    return H_ROW;
  }
  return H_NONE;
}

/**
 * Fills one shape's parts (all rings together form one even-odd parity set) with GDAL's
 * pixel-centre rule, sending clipped spans to `sink`. Parts partFrom..partTo-1 index `vertexStart`;
 * each part is closed implicitly by its last -> first edge. Only rows rowFrom..rowTo-1 of the
 * height-row grid are emitted (a band of a streamed grid): every decision is still made in the
 * full grid's coordinates, so those rows are exactly the rows of the whole-grid fill.
 */
export function fillPolygon(
  xs: Float64Array,
  ys: Float64Array,
  vertexStart: Uint32Array,
  partFrom: number,
  partTo: number,
  width: number,
  height: number,
  variant: number,
  sink: BurnSink,
  rowFrom = 0,
  rowTo = height,
): void {
  const v0 = vertexStart[partFrom];
  const vEnd = vertexStart[partTo];
  const n = vEnd - v0;
  if (n <= 0) return;

  if (!fillRows(ys, v0, vEnd, rowFrom, rowTo)) return;
  const miny = rowRange[0];
  const maxy = rowRange[1];
  const maxx = width - 1;

  S.ensure(n);
  const { eXl, eYl, eDx, eDy, eFirst, eLast, eOrder, newE, newK, hRow, hX0, hX1, hOrder } = S;
  let { actE, actK, tmpE, tmpK } = S;
  let nE = 0;
  let nH = 0;
  let nanSpans: number[] | null = null;

  for (let p = partFrom; p < partTo; p++) {
    const s = vertexStart[p];
    const e = vertexStart[p + 1];
    for (let i2 = s; i2 < e; i2++) {
      const i1 = i2 === s ? e - 1 : i2 - 1;
      const ay = ys[i1];
      const by = ys[i2];
      let xl: number, yl: number, xh: number, yh: number;
      if (ay < by) {
        xl = xs[i1]; yl = ay; xh = xs[i2]; yh = by;
      } else if (ay > by) {
        xl = xs[i2]; yl = by; xh = xs[i1]; yh = ay;
      } else {
        const r = horizontalSpan(xs[i1], xs[i2], ay, by, miny, maxy, maxx);
        if (r === H_NAN) (nanSpans ??= []).push(hSpan[0], hSpan[1]);
        else if (r === H_ROW) {
          hRow[nH] = hSpan[2];
          hX0[nH] = hSpan[0];
          hX1[nH] = hSpan[1];
          nH++;
        }
        continue;
      }
      if (!edgeRows(yl, yh, miny, maxy)) continue;
      const f = rowRange[0];
      const l = rowRange[1];
      eXl[nE] = xl;
      eYl[nE] = yl;
      eDx[nE] = xh - xl;
      eDy[nE] = yh - yl;
      eFirst[nE] = f;
      eLast[nE] = l;
      nE++;
    }
  }
  // one compare that always runs (see edgeRows): a band meets shapes with no edge in its rows
  if (nanSpans === null && (nE | nH) === 0) return;

  sortByRow(eFirst, nE, miny, maxy, eOrder);
  sortByRow(hRow, nH, miny, maxy, hOrder);

  let ptrE = 0;
  let ptrH = 0;
  let nAct = 0;
  let y = miny;
  while (y <= maxy) {
    if (nAct === 0 && nanSpans === null) {
      // nothing crosses this row: jump to the next row where an edge starts or a horizontal lies
      const nextE = ptrE < nE ? eFirst[eOrder[ptrE]] : maxy + 1;
      const nextH = ptrH < nH ? hRow[hOrder[ptrH]] : maxy + 1;
      const next = nextE < nextH ? nextE : nextH;
      if (next > maxy) break;
      if (next > y) y = next;
    }
    if (nAct === 2 && nanSpans === null) {
      // the usual row of a small shape: two edges cross it, and until one of them ends, another starts or a
      // horizontal edge lies on a row centre, each row needs just their two crossings and one span. Which
      // of two equal crossings comes first never changes a span, so the order is only restored at the end
      const e0 = actE[0];
      const e1 = actE[1];
      let end = eLast[e0] < eLast[e1] ? eLast[e0] : eLast[e1];
      if (ptrE < nE && eFirst[eOrder[ptrE]] <= end) end = eFirst[eOrder[ptrE]] - 1;
      if (ptrH < nH && hRow[hOrder[ptrH]] <= end) end = hRow[hOrder[ptrH]] - 1;
      if (end > maxy) end = maxy;
      if (end >= y) {
        const xl0 = eXl[e0], yl0 = eYl[e0], dx0 = eDx[e0], dy0 = eDy[e0];
        const xl1 = eXl[e1], yl1 = eYl[e1], dx1 = eDx[e1], dy1 = eDy[e1];
        let k0 = 0;
        let k1 = 0;
        for (; y <= end; y++) {
          const yc = y + 0.5;
          k0 = crossing(yc, yl0, dx0, dy0, xl0);
          k1 = crossing(yc, yl1, dx1, dy1, xl1);
          const lo = k1 < k0 ? k1 : k0;
          const hi = k1 < k0 ? k0 : k1;
          if (lo <= maxx && hi > 0 && lo <= hi - 1) sink.span(y, lo < 0 ? 0 : lo, hi - 1 > maxx ? maxx : hi - 1, variant);
        }
        if (k1 < k0) {
          actE[0] = e1;
          actE[1] = e0;
          actK[0] = k1;
          actK[1] = k0;
        } else {
          actK[0] = k0;
          actK[1] = k1;
        }
        continue;
      }
    }
    const yc = y + 0.5;

    if (nanSpans !== null) {
      for (let j = 0; j < nanSpans.length; j += 2) sink.span(y, nanSpans[j], nanSpans[j + 1], variant);
    }
    while (ptrH < nH && hRow[hOrder[ptrH]] === y) {
      const h = hOrder[ptrH++];
      sink.span(y, hX0[h], hX1[h], variant);
    }

    // edges entering on this row, sorted by column
    let m = 0;
    while (ptrE < nE && eFirst[eOrder[ptrE]] === y) {
      const e = eOrder[ptrE++];
      newE[m] = e;
      newK[m] = crossing(yc, eYl[e], eDx[e], eDy[e], eXl[e]);
      m++;
    }
    if (m > 1) sortNew(m);

    // retire finished edges, recompute the others (and merge the entering ones), restoring column
    // order by insertion: the previous row's order is nearly right, so this is linear in practice
    if (m === 0) {
      let na = 0;
      for (let j = 0; j < nAct; j++) {
        const e = actE[j];
        if (eLast[e] < y) continue;
        const k = crossing(yc, eYl[e], eDx[e], eDy[e], eXl[e]);
        let t = na;
        while (t > 0 && actK[t - 1] > k) {
          actK[t] = actK[t - 1];
          actE[t] = actE[t - 1];
          t--;
        }
        actK[t] = k;
        actE[t] = e;
        na++;
      }
      nAct = na;
    } else {
      let na = 0;
      let b = 0;
      for (let j = 0; j <= nAct; j++) {
        let e = -1;
        let k = 0;
        if (j < nAct) {
          e = actE[j];
          if (eLast[e] < y) continue;
          k = crossing(yc, eYl[e], eDx[e], eDy[e], eXl[e]);
        }
        // entering edges that sort before this one (all the rest after the last one)
        while (b < m && (e < 0 || newK[b] <= k)) {
          const nk = newK[b];
          let t = na;
          while (t > 0 && tmpK[t - 1] > nk) {
            tmpK[t] = tmpK[t - 1];
            tmpE[t] = tmpE[t - 1];
            t--;
          }
          tmpK[t] = nk;
          tmpE[t] = newE[b++];
          na++;
        }
        if (e < 0) break;
        let t = na;
        while (t > 0 && tmpK[t - 1] > k) {
          tmpK[t] = tmpK[t - 1];
          tmpE[t] = tmpE[t - 1];
          t--;
        }
        tmpK[t] = k;
        tmpE[t] = e;
        na++;
      }
      nAct = na;
      let swap = actE;
      actE = tmpE;
      tmpE = swap;
      swap = actK;
      actK = tmpK;
      tmpK = swap;
      // sortNew uses S.tmpE as scratch, so the swap must be visible there
      S.actE = actE;
      S.actK = actK;
      S.tmpE = tmpE;
      S.tmpK = tmpK;
    }

    // even-odd pairs; an odd last crossing is dropped as in GDAL
    for (let j = 0; j + 1 < nAct; j += 2) {
      const k0 = actK[j];
      const k1 = actK[j + 1];
      if (k0 <= maxx && k1 > 0 && k0 <= k1 - 1) {
        sink.span(y, k0 < 0 ? 0 : k0, k1 - 1 > maxx ? maxx : k1 - 1, variant);
      }
    }
    y++;
  }
}
