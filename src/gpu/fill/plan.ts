import { emitShape, type EmitOptions } from '../../rules/emit.js';
import { edgeRows, H_ROW, horizontalSpan, hSpan, rowRange } from '../../rules/polygon.js';
import type { BurnSink } from '../../rules/sink.js';
import { KIND_LINE, KIND_POLYGON, type ShapeSet } from '../../features/shapes.js';
import { F64_COORD_LIMIT, F64_TINY } from '../f64.js';
import { RUN_WORDS, type RunStore } from './lines.js';
import { inTouchDomain, TOUCH_WORDS, ZTOUCH_WORDS, type TouchStore, type ZTouchStore } from './touch.js';
import { ZRUN_WORDS, zValue, type ZRunStore } from './zlines.js';
import { ADD_TOUCH_WORDS, type AddTouchStore } from './touch-add.js';

/*
 * The host half of the exact GPU fill: work proportional to the vertices. Each
 * polygon whose coordinates lie in the GPU's domain is reduced to its non-horizontal edges (packed
 * for crossings.wgsl with the row range GDAL scans them on) and the spans of its horizontal edges;
 * lines without Z become the starting states of Bresenham runs the GPU walks (lines.ts) when the
 * caller takes them; merge 'replace' all-touched walks become clipped segments the GPU steps (touch.ts)
 * when the caller takes them; everything else GDAL burns without a scanline (points, the other walks)
 * and the polygons outside the domain go through the CPU rules as spans. Every burn gets an owner id that
 * grows in GDAL's burn order (owner.wgsl), and ids map to the 32-bit pixel values.
 */

/** 32-bit words of one packed edge (struct Edge in crossings.wgsl). */
export const EDGE_WORDS = 16;
/** 32-bit words of one host span (struct OwnerSpan in owner.wgsl): y, x0, x1, id. */
export const SPAN_WORDS = 4;

// the emulated float64 of f64.wgsl is exact for coordinates inside its domain (src/gpu/f64.ts); half
// its limit leaves the float32 path room for the integer column sums X0 + floor(t)
const MAX_COORD = F64_COORD_LIMIT / 2;
const MIN_COORD = F64_TINY;
// relative rounding of GDAL's own float64 crossing (five operations), with room to spare
const F64_REL = 2 ** -50;

/** The prepared burn: owner ids and their values, host spans, GPU-filled shapes and their edges. */
export interface FillPlan {
  /** value bits (merge 'replace') or increment (merge 'add') of owner id k at values[k - 1] */
  values: Uint32Array;
  ids: number;
  /** SPAN_WORDS words a span, in burn order */
  spans: Int32Array;
  nSpans: number;
  /** EDGE_WORDS words an edge, grouped by shape */
  edges: Uint32Array;
  nEdges: number;
  /** per edge: first and last row GDAL scans it on */
  edgeFirst: Int32Array;
  edgeLast: Int32Array;
  /** GPU-filled shapes: owner id, edges [edge0[k], edge0[k + 1]), rows row0..row1, columns col0..col1 */
  fills: number;
  fillId: Uint32Array;
  edge0: Uint32Array;
  row0: Int32Array;
  row1: Int32Array;
  col0: Int32Array;
  col1: Int32Array;
  /** (edge, row) crossings the GPU evaluates */
  crossings: number;
  /** RUN_WORDS words a run of a line the GPU walks (lines.wgsl); empty unless planFill was given a RunStore */
  runs: Int32Array;
  nRuns: number;
  /** TOUCH_WORDS words a stepped all-touched segment (touch.wgsl); empty unless planFill was given a TouchStore */
  touch: Uint32Array;
  nTouch: number;
  /** all-touched segments walked on the GPU: stepped (touch.wgsl) and vertical (as line runs) */
  touchSegments: number;
  /** ZRUN_WORDS words a segment of a line burning Z (zline.wgsl); empty unless planFill was given a ZRunStore */
  zRuns: Uint32Array;
  nZRuns: number;
  /** ZTOUCH_WORDS words a segment of an all-touched line burning Z (ztouch.wgsl) */
  zTouch: Uint32Array;
  nZTouch: number;
  /** ADD_TOUCH_WORDS words a segment of a merge-'add' all-touched walk (touchadd.wgsl), their visit slots and longest chain of links */
  addTouch: Uint32Array;
  nAddTouch: number;
  addTouchSlots: number;
  addTouchChain: number;
  /** lines walked on the GPU, and those burned through the CPU rules (walks beyond C ints, Z, add-mode or out-of-domain all-touched) */
  linesOnGpu: number;
  linesOnCpu: number;
  /** polygons filled on the GPU, and those burned through the CPU rules (coordinates out of domain) */
  polygonsOnGpu: number;
  polygonsOnCpu: number;
  /** the edge store planFill made for this plan (null: a shared one, or recycled) */
  ownStore: EdgeStore | null;
  /** the arrays behind values, spans and the fills' fields (null once recycled) */
  ownArrays: PlanArrays | null;
}

// growable typed arrays: the plan allocates in proportion to its output, never per shape
class Grow<T extends Int32Array | Uint32Array> {
  n = 0;
  constructor(public a: T, private readonly make: (n: number) => T) {}
  reserve(k: number): void {
    if (this.n + k <= this.a.length) return;
    const b = this.make(Math.max(this.n + k, this.a.length * 2));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
}

// a plan's growable arrays (owner values, spans, the GPU-filled shapes' fields), kept for the next
// plan once the burn that read them is over: a burn of US counties regrows them from a few hundred
// entries to thousands, a dozen fresh zero-filled arrays a burn that the collector later frees
class PlanArrays {
  readonly values = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly spans = new Grow(new Int32Array(4096), (n) => new Int32Array(n));
  readonly fillId = new Grow(new Uint32Array(256), (n) => new Uint32Array(n));
  readonly edge0 = new Grow(new Uint32Array(257), (n) => new Uint32Array(n));
  readonly rows0 = new Grow(new Int32Array(256), (n) => new Int32Array(n));
  readonly rows1 = new Grow(new Int32Array(256), (n) => new Int32Array(n));
  readonly cols0 = new Grow(new Int32Array(256), (n) => new Int32Array(n));
  readonly cols1 = new Grow(new Int32Array(256), (n) => new Int32Array(n));

  reset(): this {
    this.values.n = this.spans.n = this.fillId.n = this.edge0.n = 0;
    this.rows0.n = this.rows1.n = this.cols0.n = this.cols1.n = 0;
    return this;
  }
}

let spareArrays: PlanArrays | null = null;

/**
 * Hands a plan's arrays to the next planFill once nothing reads the plan any more (the burn is
 * over): its values, spans and fill fields are overwritten by the next plan. Its edge store too,
 * when recycleEdges() has not already taken it.
 */
export function recyclePlan(plan: FillPlan): void {
  recycleEdges(plan);
  const a = plan.ownArrays;
  if (a === null) return;
  plan.ownArrays = null;
  spareArrays = a;
}

// the packed edges (struct Edge of crossings.wgsl) and the rows GDAL scans each on
export class EdgeStore {
  n = 0;
  words: Uint32Array;
  // the same memory as integers, float32 (stores round to nearest) and float64 (WebGPU hosts are
  // little-endian; a record starts on a 64-byte boundary, so its float64 words are aligned)
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
  first: Int32Array;
  last: Int32Array;
  /** (edge, row) crossings of the edges pushed so far */
  crossings = 0;

  // sized for `capacity` edges up front (the polygons' vertex count bounds them), so that a large
  // polygon is packed without the copies of repeated doubling
  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.words = new Uint32Array(n * EDGE_WORDS);
    this.i32 = new Int32Array(this.words.buffer);
    this.f32 = new Float32Array(this.words.buffer);
    this.f64 = new Float64Array(this.words.buffer);
    this.first = new Int32Array(n);
    this.last = new Int32Array(n);
  }

  grow(): void {
    const words = new Uint32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    this.i32 = new Int32Array(words.buffer);
    this.f32 = new Float32Array(words.buffer);
    this.f64 = new Float64Array(words.buffer);
    const first = new Int32Array(this.first.length * 2);
    first.set(this.first);
    this.first = first;
    const last = new Int32Array(this.last.length * 2);
    last.set(this.last);
    this.last = last;
  }

  // the edge from vertex lo up to vertex hi (ys[lo] < ys[hi]), scanned on rows f..l. It takes the
  // vertex arrays and indices, not the coordinates: float64 arguments to a call V8 does not inline
  // are boxed, one heap number each (four an edge, about 3 MB a burn of US counties, all garbage
  // when this method was called from two sites in packRings and not inlined)
  push(xs: Float64Array, ys: Float64Array, lo: number, hi: number, f: number, l: number): void {
    if (this.n === this.first.length) this.grow();
    const n = this.n;
    const o = n * EDGE_WORDS;
    const xl = xs[lo], yl = ys[lo];
    const dx = xs[hi] - xl, dy = ys[hi] - yl;
    const X0 = Math.floor(xl), Y0 = Math.floor(yl);
    const i32 = this.i32, f32 = this.f32, f64 = this.f64;
    i32[o] = X0;
    i32[o + 1] = Y0;
    f32[o + 2] = 0.5 - (yl - Y0);
    f32[o + 3] = xl - X0 + 0.5;
    f32[o + 4] = dx / dy;
    // rounded up: the bound must not shrink on its way to float32
    f32[o + 5] = F64_REL * (Math.abs(dx) + Math.abs(xl) + 2) * 1.001;
    const d = (o >> 1) + 3;
    f64[d] = xl;
    f64[d + 1] = yl;
    f64[d + 2] = dx;
    f64[d + 3] = dy;
    // words 14 and 15 (the record's padding) are never written: zero in a fresh or grown store, and
    // no record writes them, so a recycled store's are still zero
    this.first[n] = f;
    this.last[n] = l;
    this.crossings += l - f + 1;
    this.n = n + 1;
  }
}

// packs the non-horizontal edges of parts p0..p1-1 (each closed by its last -> first edge) that
// cross rows miny..maxy, and sends the horizontal edges' spans (pixel rule P6) to the sink
function packRings(
  xs: Float64Array, ys: Float64Array, vertexStart: Uint32Array, p0: number, p1: number,
  miny: number, maxy: number, maxx: number, id: number, store: EdgeStore, sink: IdSink,
): void {
  for (let p = p0; p < p1; p++) {
    const s = vertexStart[p], e = vertexStart[p + 1];
    for (let i2 = s; i2 < e; i2++) {
      const i1 = i2 === s ? e - 1 : i2 - 1;
      const ay = ys[i1], by = ys[i2];
      // the edge from its lower vertex up: one call site each for edgeRows and push, so that V8
      // inlines both here (with two sites each, its inlining budget left push a call)
      let lo = i1, hi = i2;
      if (ay > by) {
        lo = i2;
        hi = i1;
      } else if (!(ay < by)) {
        if (horizontalSpan(xs[i1], xs[i2], ay, by, miny, maxy, maxx) === H_ROW) sink.push(hSpan[2], hSpan[0], hSpan[1], id);
        continue;
      }
      if (edgeRows(ys[lo], ys[hi], miny, maxy)) store.push(xs, ys, lo, hi, rowRange[0], rowRange[1]);
    }
  }
}

/** min x, max x, min y, max y of the vertices of the last inDomain call that returned true */
const bounds = new Float64Array(4);

// whether every coordinate of vertices v0..v1-1 lies in the GPU fill's domain, with their bounds
// found in the same pass (one read of the vertices instead of three)
function inDomain(xs: Float64Array, ys: Float64Array, v0: number, v1: number): boolean {
  let minX = xs[v0], maxX = minX, minY = ys[v0], maxY = minY;
  for (let i = v0; i < v1; i++) {
    const vx = xs[i], vy = ys[i];
    const x = vx < 0 ? -vx : vx;
    const y = vy < 0 ? -vy : vy;
    // NaN fails both comparisons
    if (!(x < MAX_COORD && y < MAX_COORD)) return false;
    if ((x !== 0 && x < MIN_COORD) || (y !== 0 && y < MIN_COORD)) return false;
    if (vx < minX) minX = vx;
    else if (vx > maxX) maxX = vx;
    if (vy < minY) minY = vy;
    else if (vy > maxY) maxY = vy;
  }
  bounds[0] = minX;
  bounds[1] = maxX;
  bounds[2] = minY;
  bounds[3] = maxY;
  return true;
}

// one burn's edge store kept for the next burn that plans without a shared store: a large polygon
// set's records are megabytes, which a fresh array zero-fills and the collector later frees
let spare: EdgeStore | null = null;

function takeStore(capacity: number): EdgeStore {
  const s = spare;
  if (s !== null && s.first.length >= capacity) {
    spare = null;
    s.n = 0;
    s.crossings = 0;
    return s;
  }
  return new EdgeStore(capacity);
}

/**
 * Hands a plan's own edge store (one planFill made, not a shared one) to the next planFill: the
 * plan's edges, edgeFirst and edgeLast must not be read after this (they are overwritten).
 */
export function recycleEdges(plan: FillPlan): void {
  const s = plan.ownStore;
  if (s === null) return;
  plan.ownStore = null;
  if (spare === null || spare.first.length < s.first.length) spare = s;
}

/**
 * Spans with owner ids: a new id whenever the shape or its value bits change, so ids grow in the
 * order GDAL burns and a later burn of another value always wins the maximum.
 */
class IdSink implements BurnSink {
  private lastBits = 0;
  private fresh = true;
  private value = 0;
  constructor(
    private readonly plan: { ids: number },
    private readonly values: Grow<Uint32Array>,
    private readonly spans: Grow<Int32Array>,
    private readonly encode: (v: number, shape: number) => number,
  ) {}

  private shape = 0;

  begin(shape: number, value: number): void {
    this.shape = shape;
    this.value = value;
    this.fresh = true;
  }

  /** The id a burn of this variant takes (allocating one when the bits change); 0: it changes nothing. */
  id(variant: number): number {
    const raw = this.encode(this.value + variant, this.shape);
    // merge 'add' encodes a zero increment as -1: such a visit changes no pixel
    if (raw < 0) return 0;
    const bits = raw >>> 0;
    if (this.fresh || bits !== this.lastBits) {
      this.fresh = false;
      this.lastBits = bits;
      this.values.reserve(1);
      this.values.a[this.values.n++] = bits;
      this.plan.ids = this.values.n;
    }
    return this.plan.ids;
  }

  /** n consecutive ids whose values the GPU writes (zline.wgsl), in burn order; returns the first. */
  reserve(n: number): number {
    this.values.reserve(n);
    this.values.a.fill(0, this.values.n, this.values.n + n);
    const first = this.values.n + 1;
    this.values.n += n;
    this.plan.ids = this.values.n;
    // the next burn of this shape takes an id after these
    this.fresh = true;
    return first;
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    const id = this.id(variant);
    if (id !== 0) this.push(y, x0, x1, id);
  }

  point(y: number, x: number, variant: number): void {
    const id = this.id(variant);
    if (id !== 0) this.push(y, x, x, id);
  }

  push(y: number, x0: number, x1: number, id: number): void {
    const s = this.spans;
    s.reserve(SPAN_WORDS);
    const o = s.n;
    s.a[o] = y;
    s.a[o + 1] = x0;
    s.a[o + 2] = x1;
    s.a[o + 3] = id;
    s.n += SPAN_WORDS;
  }
}

// every Z of vertices v0..v1-1 in the domain of the GPU's float64 Z arithmetic
function allZ(z: Float64Array, v0: number, v1: number): boolean {
  for (let k = v0; k < v1; k++) if (!zValue(z[k])) return false;
  return true;
}

/** The vertices of the polygons of `shapes`: a bound on the edges planFill packs for them. */
export function polygonVertices(shapes: ShapeSet): number {
  const { kind, vertexStart, partStart } = shapes;
  let n = 0;
  for (let i = 0; i < shapes.count; i++) {
    if (kind[i] === KIND_POLYGON) n += vertexStart[partStart[i + 1]] - vertexStart[partStart[i]];
  }
  return n;
}

/**
 * Prepares a burn of `shapes` on a width x height grid. `encode` turns a burn value into the 32 bits
 * the GPU burns: the output value (merge 'replace'), or the increment's magnitude, -1 for none
 * (merge 'add'); it throws GpuUnsupportedError when the GPU cannot burn it exactly. `tick` runs
 * every 256 shapes (progress, cancellation). With `store` (a batch unit's, shared by its jobs) the
 * edges are appended after those already there, and the plan's edge arrays, edge numbers and
 * nEdges are the whole store's; its crossings are this burn's own.
 */
export function planFill(
  shapes: ShapeSet,
  width: number,
  height: number,
  opts: EmitOptions,
  encode: (v: number, shape: number) => number,
  tick: (shape: number) => void,
  shared?: EdgeStore,
  runs?: RunStore,
  touch?: TouchStore,
  zRuns?: ZRunStore,
  zTouch?: ZTouchStore,
  addTouch?: AddTouchStore,
): FillPlan {
  const { x: xs, y: ys, z, vertexStart, partStart, kind, value } = shapes;
  const plan = { ids: 0 };
  const arrays = spareArrays?.reset() ?? new PlanArrays();
  spareArrays = null;
  const { values, spans, fillId, edge0, rows0, rows1, cols0, cols1 } = arrays;
  const store = shared ?? takeStore(polygonVertices(shapes));
  const storeStart = store.n, crossings0 = store.crossings;
  edge0.a[0] = storeStart;
  const sink = new IdSink(plan, values, spans, encode);
  const walkOnly: EmitOptions = { ...opts, polygonFill: false };
  const maxx = width - 1;
  let onGpu = 0;
  let onCpu = 0;
  let linesOnGpu = 0;
  let linesOnCpu = 0;
  const runs0 = runs?.n ?? 0;
  const touch0 = touch?.n ?? 0, columns0 = touch?.columns ?? 0, zRuns0 = zRuns?.n ?? 0, zTouch0 = zTouch?.n ?? 0;
  // all-touched walks on the GPU: merge 'replace' (one owner id a shape: A6's add-mode bookkeeping
  // stays on the host) with a RunStore for the vertical segments
  const touchRuns = opts.allTouched && opts.merge === 'replace' && touch !== undefined ? runs : undefined;
  // merge 'add' all-touched walks on the GPU (A6's chains resolved there, touchadd.wgsl)
  const addWalks = opts.allTouched && opts.merge === 'add' ? addTouch : undefined;
  const addTouch0 = addTouch?.n ?? 0;
  // Z varies along a line: each pixel its own value, so such lines stay host spans
  const lineZ = opts.burnZ && z !== null;

  for (let i = 0; i < shapes.count; i++) {
    if ((i & 255) === 0) tick(i);
    const p0 = partStart[i], p1 = partStart[i + 1];
    sink.begin(i, value[i]);
    const v0 = vertexStart[p0], v1 = vertexStart[p1];
    if (kind[i] === KIND_LINE && v0 !== v1) {
      if (runs && !opts.allTouched && !lineZ) {
        const id = sink.id(0);
        if (id === 0 || runs.addParts(xs, ys, vertexStart, p0, p1, width, height, id)) {
          linesOnGpu++;
          continue;
        }
      }
      if (zRuns && lineZ && !opts.allTouched && opts.merge === 'replace' && zRuns.fits(xs, ys, z!, vertexStart, p0, p1, width, height, value[i])) {
        zRuns.addParts(xs, ys, z!, vertexStart, p0, p1, width, height, value[i], (n) => sink.reserve(n));
        linesOnGpu++;
        continue;
      }
      if (touchRuns && zTouch && lineZ && zValue(value[i]) && allZ(z!, v0, v1) && inTouchDomain(xs, ys, v0, v1)) {
        zTouch.addParts(xs, ys, z!, vertexStart, p0, p1, width, height, value[i], (n) => sink.reserve(n));
        linesOnGpu++;
        continue;
      }
      if (addWalks && !lineZ && inTouchDomain(xs, ys, v0, v1)) {
        const id = sink.id(0);
        if (id === 0 || addWalks.addParts(xs, ys, vertexStart, p0, p1, width, height, false, id)) {
          linesOnGpu++;
          continue;
        }
      }
      if (touchRuns && !lineZ && inTouchDomain(xs, ys, v0, v1)) {
        const id = sink.id(0);
        if (id !== 0) touch!.addParts(xs, ys, vertexStart, p0, p1, width, height, false, id, touchRuns, sink);
        linesOnGpu++;
        continue;
      }
      linesOnCpu++;
      emitShape(shapes, i, width, height, opts, sink);
      continue;
    }
    if (kind[i] !== KIND_POLYGON || v0 === v1) {
      emitShape(shapes, i, width, height, opts, sink);
      continue;
    }
    if (!inDomain(xs, ys, v0, v1)) {
      onCpu++;
      emitShape(shapes, i, width, height, opts, sink);
      continue;
    }
    onGpu++;
    // the all-touched edge walk first, as GDAL burns it before the fill (same value, same id)
    const variant = opts.burnZ && z !== null ? z[v0] : 0;
    if (opts.allTouched) {
      if (touchRuns && Number.isFinite(variant) && inTouchDomain(xs, ys, v0, v1)) {
        const id = sink.id(variant);
        if (id !== 0) touch!.addParts(xs, ys, vertexStart, p0, p1, width, height, true, id, touchRuns, sink);
      } else if (addWalks && Number.isFinite(variant) && inTouchDomain(xs, ys, v0, v1)) {
        const id = sink.id(variant);
        if (id !== 0 && !addWalks.addParts(xs, ys, vertexStart, p0, p1, width, height, true, id)) emitShape(shapes, i, width, height, walkOnly, sink);
      } else {
        emitShape(shapes, i, width, height, walkOnly, sink);
      }
    }
    // GDAL's rows: cint(min y) .. cint(max y) within the grid (a truncation: coordinates in the
    // domain are far inside C's int range)
    const miny = Math.max(0, Math.trunc(bounds[2])), maxy = Math.min(height - 1, Math.trunc(bounds[3]));
    if (miny > maxy) continue;
    const minX = bounds[0], maxX = bounds[1];
    const id = sink.id(variant);
    if (id === 0) continue;
    const firstEdge = store.n, firstCrossings = store.crossings;
    packRings(xs, ys, vertexStart, p0, p1, miny, maxy, maxx, id, store, sink);
    // crossings round to floor(x + 0.5) within the vertices' x range (one column of slack for
    // GDAL's float64 rounding); no pixel outside it can be inside
    const c0 = Math.max(0, Math.floor(minX + 0.5) - 1);
    const c1 = Math.min(maxx, Math.floor(maxX + 0.5));
    if (store.n === firstEdge || c0 > c1) {
      store.n = firstEdge;
      store.crossings = firstCrossings;
      continue;
    }
    const k = fillId.n;
    fillId.reserve(1);
    rows0.reserve(1);
    rows1.reserve(1);
    cols0.reserve(1);
    cols1.reserve(1);
    edge0.reserve(2);
    edge0.n = k + 2;
    fillId.a[k] = id;
    rows0.a[k] = miny;
    rows1.a[k] = maxy;
    cols0.a[k] = c0;
    cols1.a[k] = c1;
    edge0.a[k + 1] = store.n;
    fillId.n = rows0.n = rows1.n = cols0.n = cols1.n = k + 1;
  }
  const nEdges = store.n;
  const crossings = store.crossings - crossings0;

  return {
    values: values.a.subarray(0, values.n),
    ids: values.n,
    spans: spans.a.subarray(0, spans.n),
    nSpans: spans.n / SPAN_WORDS,
    edges: store.words.subarray(0, nEdges * EDGE_WORDS),
    nEdges,
    edgeFirst: store.first.subarray(0, nEdges),
    edgeLast: store.last.subarray(0, nEdges),
    fills: fillId.n,
    fillId: fillId.a.subarray(0, fillId.n),
    edge0: edge0.a.subarray(0, fillId.n + 1),
    row0: rows0.a.subarray(0, fillId.n),
    row1: rows1.a.subarray(0, fillId.n),
    col0: cols0.a.subarray(0, fillId.n),
    col1: cols1.a.subarray(0, fillId.n),
    crossings,
    runs: runs ? runs.words.subarray(runs0 * RUN_WORDS, runs.n * RUN_WORDS) : new Int32Array(0),
    nRuns: runs ? runs.n - runs0 : 0,
    touch: touch ? touch.words.subarray(touch0 * TOUCH_WORDS, touch.n * TOUCH_WORDS) : new Uint32Array(0),
    nTouch: touch ? touch.n - touch0 : 0,
    touchSegments: (touch ? touch.n - touch0 + touch.columns - columns0 : 0) + (zTouch ? zTouch.n - zTouch0 : 0) + (addTouch ? addTouch.n - addTouch0 : 0),
    zRuns: zRuns ? zRuns.words.subarray(zRuns0 * ZRUN_WORDS, zRuns.n * ZRUN_WORDS) : new Uint32Array(0),
    nZRuns: zRuns ? zRuns.n - zRuns0 : 0,
    zTouch: zTouch ? zTouch.words.subarray(zTouch0 * ZTOUCH_WORDS, zTouch.n * ZTOUCH_WORDS) : new Uint32Array(0),
    nZTouch: zTouch ? zTouch.n - zTouch0 : 0,
    addTouch: addTouch ? addTouch.words.subarray(addTouch0 * ADD_TOUCH_WORDS, addTouch.n * ADD_TOUCH_WORDS) : new Uint32Array(0),
    nAddTouch: addTouch ? addTouch.n - addTouch0 : 0,
    addTouchSlots: addTouch ? addTouch.slots : 0,
    addTouchChain: addTouch ? addTouch.maxChain : 0,
    linesOnGpu,
    linesOnCpu,
    polygonsOnGpu: onGpu,
    polygonsOnCpu: onCpu,
    ownStore: shared ? null : store,
    ownArrays: arrays,
  };
}
