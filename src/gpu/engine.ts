import { abortError, now } from '../abort.js';
import { emitShape } from '../rules/emit.js';
import { converter, DTYPES } from '../dtype.js';
import { KIND_POLYGON, type ShapeSet } from '../features/shapes.js';
import type { DType, ProgressInfo, TypedArray } from '../types.js';
import { alignedBytesPerRow, getWebGPUDevice, planFor, type AdapterDescription, type GpuPlan } from './device.js';
import { GpuUnsupportedError } from './errors.js';
import {
  BUF_COPY_DST, BUF_COPY_SRC, BUF_INDEX, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, BUF_VERTEX, MAP_READ,
  TEX_COPY_DST, TEX_COPY_SRC, TEX_RENDER_ATTACHMENT,
} from './flags.js';
import { f32Bits, f32Exact, gpuFormat, pixelBits, type GpuFormat } from './formats.js';
import { pipelinesFor, TRI_VERTEX_BYTES, type Pipelines } from './pipelines.js';
import { RECT_BYTES, RECT_WORDS, SpanCollector, type Bucket, type TileLayout } from './spans.js';
import { triangulatePolygon, type TriangulatedShape } from './triangles.js';

export { GpuUnsupportedError, WebGPUUnavailableError } from './errors.js';
export { describeAdapter, getWebGPUDevice, releaseWebGPUDevice } from './device.js';

/**
 * How polygon interiors reach the GPU. 'spans' (default): GDAL's scanline rules on the CPU, the GPU
 * fills the resulting integer rectangles — identical to the CPU engine. 'triangles': valid
 * polygons are earcut-triangulated and rasterized by the hardware (pixel centres within its
 * sub-pixel snap of an edge may differ from GDAL); everything else still goes as spans.
 */
export type GpuFill = 'spans' | 'triangles';

export interface WebGPUTarget {
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
}

export interface WebGPUBurnOptions {
  /** as burnShapesCpu: default false */
  allTouched?: boolean;
  /** as burnShapesCpu: default 'replace' */
  merge?: 'replace' | 'add';
  /** as burnShapesCpu: default false */
  burnZ?: boolean;
  /** default 'spans' (exact); see GpuFill */
  gpuFill?: GpuFill;
  /**
   * Start every pixel from this value instead of from target.data (whose content is then ignored
   * and fully overwritten): the GPU clears rather than uploads. Converted like any burn value.
   */
  init?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /** burn on this device instead of the shared one from getWebGPUDevice() */
  device?: GPUDevice;
  /** GPU bytes one burn may hold at once (default GpuPlan.memoryBudget); smaller means more tiles */
  memoryBudget?: number;
  /** cap on a tile's side in pixels (default maxTextureDimension2D) */
  maxTileSize?: number;
  /** keep this burn's buffers and textures for later burns (createRasterizer's) instead of destroying them */
  pool?: GpuResourcePool;
}

export interface WebGPUBurnResult {
  adapterInfo: AdapterDescription;
  /** adapterInfo.label: "GPU: ..." or "software adapter: ..." */
  adapter: string;
  /** the fill path used: 'triangles' only applies to merge 'replace' without allTouched or burnZ */
  fill: GpuFill;
  /** tiles in the grid, and how many had anything to draw */
  tiles: number;
  tilesDrawn: number;
  tileWidth: number;
  tileHeight: number;
  /** span rectangles drawn (after merging row-adjacent spans), summed over tiles */
  rects: number;
  /** triangles drawn, summed over tiles */
  triangles: number;
  /** polygons the triangle path triangulated, and those it sent as spans (invalid, too large, Z, ...) */
  polygonsTriangulated: number;
  polygonsAsSpans: number;
  /** wall-clock milliseconds: CPU preparation, GPU tiles (upload, draw, readback), total */
  ms: { prepare: number; gpu: number; total: number };
}

type Mode = 'replace' | 'add-int' | 'add-float';

/** One tile's place in the grid. */
interface TileRect {
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A stretch of one tile's draws: span rectangles [first, first+count) or triangulated shapes. */
interface Run {
  tri: boolean;
  first: number;
  count: number;
}

/** Bytes of one upload chunk (rectangles, triangle vertices): large enough to amortise a submit. */
const CHUNK_BYTES = 64 * 1024 * 1024;
/** Rectangles one span draw covers with the static index buffer (24 bytes each: 24 MiB). */
const QUAD_BATCH = 1 << 20;

// typed arrays as WebGPU upload sources (TS types ArrayBufferLike-backed views too narrowly)
function bytesOf(a: TypedArray | Uint32Array | Int32Array | Float32Array): GPUAllowSharedBufferSource {
  return a as unknown as GPUAllowSharedBufferSource;
}


// f32 values GPU blending adds exactly like GDAL's double-then-round: multiples of 2^-126 (every
// normal float32 of magnitude >= 2^-103), so no sum can ever become subnormal and be flushed
function onFloatGrid(v: number): boolean {
  return v === Infinity || v === -Infinity || Math.abs(v) >= 2 ** -103 || Number.isInteger(v * 2 ** 126);
}

/** Tile size for a grid, from the device limits, the memory budget and the mode's bytes per pixel. */
export function planTiles(plan: GpuPlan, width: number, height: number, gpuBytes: number, accumulate: boolean, budget: number, maxTile: number): TileLayout {
  const side = Math.max(1, Math.min(plan.maxTextureSide, maxTile));
  const tileW = Math.min(width, side);
  // per tile row: the target (texture, or accumulators + packed words) and two staging rows
  const staged = accumulate ? tileW * gpuBytes : alignedBytesPerRow(tileW, gpuBytes);
  const perRow = accumulate ? tileW * 4 + tileW * gpuBytes + 2 * staged : tileW * gpuBytes + 2 * staged;
  let rows = Math.min(height, side, Math.floor(budget / perRow), Math.floor(plan.maxBufferSize / staged));
  if (accumulate) rows = Math.min(rows, Math.floor(Math.min(plan.maxStorageBinding, plan.maxBufferSize) / (tileW * 4)));
  if (rows < 1) throw new Error(`GPU memory budget ${budget} bytes cannot hold one ${tileW}-pixel tile row (${perRow} bytes)`);
  return { width, height, tileW, tileH: rows, tilesX: Math.ceil(width / tileW), tilesY: Math.ceil(height / rows) };
}

const guards = new WeakMap<GPUDevice, <T>(p: Promise<T>) => Promise<T>>();

// the device-lost promise turned into a rejection, raced against every wait so nothing hangs;
// one per device, so burns do not pile reactions onto device.lost
export function lostGuard(device: GPUDevice): <T>(p: Promise<T>) => Promise<T> {
  let guard = guards.get(device);
  if (!guard) {
    const lost = device.lost.then((info) => {
      throw new Error(`WebGPU device lost (${info.reason}): ${info.message || 'no message'}`);
    });
    lost.catch(() => { /* raced below; a loss between burns is nobody's error */ });
    guard = <T>(p: Promise<T>) => Promise.race([p, lost]);
    guards.set(device, guard);
  }
  return guard;
}

const SCOPES: GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

function pushScopes(device: GPUDevice): void {
  for (const f of SCOPES) device.pushErrorScope(f);
}

// pops what pushScopes pushed; rejects with the first error, naming the step
function popScopes(device: GPUDevice, step: string): Promise<void> {
  const pops = SCOPES.map(() => device.popErrorScope()).reverse();
  return Promise.all(pops).then((errs) => {
    for (let k = 0; k < errs.length; k++) {
      const e = errs[k];
      if (e) throw new Error(`WebGPU ${SCOPES[k]} error during ${step}: ${e.message}`);
    }
  });
}

// runs fn inside the error scopes and pops them even when fn throws, so a failed burn never leaves
// the shared device's scope stack unbalanced; the promise reports GPU-side errors of the step
export function scoped<T>(device: GPUDevice, step: string, fn: () => T): [T, Promise<void>] {
  pushScopes(device);
  let value: T;
  try {
    value = fn();
  } catch (e) {
    popScopes(device, step).catch(() => { /* the thrown error is the one to report */ });
    throw e;
  }
  const errors = popScopes(device, step);
  errors.catch(() => { /* awaited by the caller */ });
  return [value, errors];
}

/**
 * Burns `shapes` into `target.data` on the GPU, mirroring burnShapesCpu: same rules, same result
 * (exactly so with gpuFill 'spans'). Throws GpuUnsupportedError, before touching target.data, when
 * the burn cannot be exact on this device (float64 values float32 cannot hold; merge 'add' with
 * fractional or mixed-sign burns, into float64, or into float32 without float32-blendable); the
 * caller then burns on the CPU. Other errors (device lost, validation, out of memory) leave
 * target.data partly written.
 */
export async function burnShapesWebGPU(shapes: ShapeSet, target: WebGPUTarget, opts: WebGPUBurnOptions): Promise<WebGPUBurnResult> {
  const t0 = now();
  const { data, width, height, dtype } = target;
  if (!Object.prototype.hasOwnProperty.call(DTYPES, dtype)) throw new Error(`unknown dtype ${String(dtype)}`);
  if (!Number.isInteger(width) || width <= 0) throw new Error(`target width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new Error(`target height must be a positive integer, got ${height}`);
  if (data.length !== width * height) throw new Error(`target data has ${data.length} pixels, expected ${width} x ${height} = ${width * height}`);
  const merge = opts.merge ?? 'replace';
  if (merge !== 'replace' && merge !== 'add') throw new Error(`merge must be 'replace' or 'add', got ${String(merge)}`);
  const fill: GpuFill = opts.gpuFill ?? 'spans';
  if (fill !== 'spans' && fill !== 'triangles') throw new Error(`gpuFill must be 'spans' or 'triangles', got ${String(fill)}`);
  const { signal, onProgress } = opts;
  if (opts.maxTileSize !== undefined && !(Number.isInteger(opts.maxTileSize) && opts.maxTileSize > 0)) throw new Error(`maxTileSize must be a positive integer, got ${opts.maxTileSize}`);
  if (opts.memoryBudget !== undefined && !(opts.memoryBudget > 0)) throw new Error(`memoryBudget must be a positive number of bytes, got ${opts.memoryBudget}`);
  if (signal?.aborted) throw abortError(signal);

  const device = opts.device ?? (await getWebGPUDevice());
  const plan = await planFor(device);
  const conv = converter(dtype);
  const type = DTYPES[dtype];
  const fmt = gpuFormat(dtype);

  let mode: Mode;
  if (merge === 'replace') mode = 'replace';
  else if (type.integer) mode = 'add-int';
  else if (dtype === 'float32') {
    if (!plan.float32Blendable) throw new GpuUnsupportedError(`merge 'add' into float32 needs the float32-blendable feature, which ${plan.adapter.label} lacks; use the CPU backend`);
    mode = 'add-float';
  } else throw new GpuUnsupportedError(`merge 'add' into float64 needs float64 sums, which WGSL lacks; use the CPU backend`);

  // every check that can refuse the burn happens before target.data is touched
  const init = opts.init === undefined ? undefined : conv(opts.init);
  if (mode === 'replace' && dtype === 'float64') {
    if (init !== undefined) pixelBits(dtype, init, 'init');
    else for (let k = 0; k < data.length; k++) if (!f32Exact(data[k])) throw new GpuUnsupportedError(`float64 pixel ${k} of the target holds ${data[k]}, which float32 cannot hold exactly; use the CPU backend`);
  }
  if (mode === 'add-float') {
    const bad = (v: number) => v !== v || !onFloatGrid(v);
    if (init !== undefined && bad(init)) throw new GpuUnsupportedError(`merge 'add' into float32 on the GPU cannot start from ${init} (NaN or subnormal range); use the CPU backend`);
    if (init === undefined) for (let k = 0; k < data.length; k++) if (bad(data[k])) throw new GpuUnsupportedError(`merge 'add' into float32 on the GPU cannot start from pixel ${k} = ${data[k]} (NaN or subnormal range); use the CPU backend`);
  }

  const gpuBytes = mode === 'add-float' ? 4 : fmt.gpuBytes;
  const layout = planTiles(plan, width, height, gpuBytes, mode === 'add-int', opts.memoryBudget ?? plan.memoryBudget, opts.maxTileSize ?? Infinity);

  // --- CPU preparation: GDAL's rules into per-tile rectangles; valid polygons into triangles
  const useTriangles = fill === 'triangles' && mode === 'replace' && !opts.allTouched && !opts.burnZ;
  let up = false, down = false;
  const range = type.max - type.min;
  let encode: (v: number, shape: number) => number;
  if (mode === 'replace') {
    encode = (v, i) => pixelBits(dtype, conv(v), `burn of shape ${i}`);
  } else if (mode === 'add-int') {
    encode = (v, i) => {
      if (!Number.isInteger(v)) throw new GpuUnsupportedError(`merge 'add' on the GPU needs whole-number burns; shape ${i} burns ${v}; use the CPU backend`);
      if (v === 0) return -1;
      if (v > 0) up = true; else down = true;
      if (up && down) throw new GpuUnsupportedError(`merge 'add' on the GPU needs burns of one sign; shape ${i} burns ${v} after burns of the other sign; use the CPU backend`);
      return Math.min(Math.abs(v), 0xffffffff);
    };
  } else {
    encode = (v, i) => {
      if (v !== v || !f32Exact(v) || !onFloatGrid(v)) throw new GpuUnsupportedError(`merge 'add' into float32 on the GPU needs burns float32 holds exactly, outside the subnormal range; shape ${i} burns ${v}; use the CPU backend`);
      return v === 0 ? -1 : f32Bits(v);
    };
  }
  const collector = new SpanCollector(layout, useTriangles, encode, mode === 'add-int' ? (bits) => Math.min(bits, range) : null);
  const tris: TriangulatedShape[] = [];
  const triBits: number[] = [];
  let asSpans = 0;
  const emitOpts = { allTouched: !!opts.allTouched, merge, burnZ: !!opts.burnZ };
  const total = shapes.count;
  // this preparation is CPU work: hand the event loop back every ~50 ms so a page can repaint its
  // progress bar and a Cancel click can reach the AbortSignal
  let lastYield = now();
  for (let i = 0; i < total; i++) {
    if ((i & 255) === 0) {
      if (signal?.aborted) throw abortError(signal);
      if (onProgress && (i & 4095) === 0 && i > 0) onProgress({ fraction: (0.5 * i) / total, done: i, total });
      if (now() - lastYield > 50) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        if (signal?.aborted) throw abortError(signal);
        lastYield = now();
      }
    }
    if (useTriangles && shapes.kind[i] === KIND_POLYGON) {
      const t = triangulatePolygon(shapes, i);
      if (t) {
        // wholly left of, right of, above or below every pixel centre: GDAL burns nothing either
        if (t.maxX <= 0 || t.maxY <= 0 || t.minX >= width || t.minY >= height) continue;
        tris.push(t);
        triBits.push(encode(shapes.value[i], i));
        continue;
      }
      asSpans++;
    }
    collector.begin(i, shapes.value[i]);
    emitShape(shapes, i, width, height, emitOpts, collector);
  }
  const tPrepared = now();

  // merge 'add' into 8/16-bit types: a plain atomicAdd cannot wrap when no pixel's total can
  // reach 2^31, and pack.wgsl clamps once; otherwise every visit saturates (compare-exchange)
  const wrapAdd = mode === 'add-int' && type.bytes < 4 && Math.max(Math.abs(type.min), type.max) + collector.magnitudeSum < 2 ** 31;
  if (wrapAdd && down) {
    for (const b of collector.buckets) for (let k = 0, o = 4; k < b.n; k++, o += RECT_WORDS) b.rects[o] = -b.rects[o] >>> 0;
  }

  const result: WebGPUBurnResult = {
    adapterInfo: plan.adapter,
    adapter: plan.adapter.label,
    fill: useTriangles ? 'triangles' : 'spans',
    tiles: layout.tilesX * layout.tilesY,
    tilesDrawn: 0,
    tileWidth: layout.tileW,
    tileHeight: layout.tileH,
    rects: 0,
    triangles: 0,
    polygonsTriangulated: tris.length,
    polygonsAsSpans: useTriangles ? asSpans : shapes.kind.reduce((n, k) => n + (k === KIND_POLYGON ? 1 : 0), 0),
    ms: { prepare: tPrepared - t0, gpu: 0, total: 0 },
  };

  // triangulated shapes per tile, in shape order
  const triByTile: number[][] = [];
  for (let t = 0; t < result.tiles; t++) triByTile.push([]);
  for (let k = 0; k < tris.length; k++) {
    const s = tris[k];
    const tx0 = Math.max(0, Math.floor(s.minX / layout.tileW)), tx1 = Math.min(layout.tilesX - 1, Math.floor(s.maxX / layout.tileW));
    const ty0 = Math.max(0, Math.floor(s.minY / layout.tileH)), ty1 = Math.min(layout.tilesY - 1, Math.floor(s.maxY / layout.tileH));
    for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) triByTile[ty * layout.tilesX + tx].push(k);
  }

  const [pipes, compiled] = scoped(device, 'compiling the shaders', () => pipelinesFor(device));
  await lostGuard(device)(compiled);
  if (opts.pool && opts.pool.device !== device) throw new Error('the resource pool belongs to another GPU device');
  const job = new TileJob(device, plan, pipes, target, layout, mode, init, opts.pool ?? null, {
    bucketOf: (t) => collector.buckets[t],
    trisOf: (t) => triByTile[t],
    tris,
    triBits,
    wrapAdd,
    down,
  });
  await job.run(signal, (done, all) => onProgress?.({ fraction: 0.5 + (0.5 * done) / all, done: total, total }));
  result.tilesDrawn = job.tilesDrawn;
  result.rects = job.rectsDrawn;
  result.triangles = job.trianglesDrawn;
  const t1 = now();
  result.ms.gpu = t1 - tPrepared;
  result.ms.total = t1 - t0;
  onProgress?.({ fraction: 1, done: total, total });
  return result;
}

interface Work {
  bucketOf: (tile: number) => Bucket;
  trisOf: (tile: number) => number[];
  tris: TriangulatedShape[];
  triBits: number[];
  wrapAdd: boolean;
  down: boolean;
}

/**
 * GPU objects of one burn (null where the mode does not use them). A set is made for one tile
 * shape (its key: mode, format, tile size); a pooled set is reused by later burns of that shape,
 * growing the buffers whose contents vary in size (rectangles, quad indices, triangles).
 */
interface Resources {
  key: string;
  /** bytes of GPU memory held */
  bytes: number;
  tileUniform: GPUBuffer;
  /** two, so the GPU fills one while the CPU reads the other */
  stagings: GPUBuffer[];
  /** span rectangles: vertex-pulled by spans.wgsl, or looped over by add.wgsl */
  rectBuf: GPUBuffer;
  rectCap: number;
  /** render modes: the tile's target and draw inputs */
  texture: GPUTexture | null;
  quadIdx: GPUBuffer | null;
  quadCap: number;
  triVB: GPUBuffer | null;
  triVerts: number;
  triIB: GPUBuffer | null;
  triIdx: number;
  tileGroup: GPUBindGroup | null;
  /** merge 'add' on integers: accumulators, packed output, uniforms */
  acc: GPUBuffer | null;
  packed: GPUBuffer | null;
  fillParams: GPUBuffer | null;
  addParams: GPUBuffer | null;
  packParams: GPUBuffer | null;
}

function destroyResources(r: Resources): void {
  for (const b of [r.tileUniform, ...r.stagings, r.rectBuf, r.quadIdx, r.triVB, r.triIB, r.acc, r.packed, r.fillParams, r.addParams, r.packParams]) b?.destroy();
  r.texture?.destroy();
}

/**
 * Buffers and textures kept between burns on one device, so a stream of similar burns (a batch of
 * jobs on same-sized grids) allocates nothing after the first. Idle sets are held up to `budget`
 * bytes, the least recently used destroyed beyond it; sets in use belong to their burn.
 */
export class GpuResourcePool {
  private idle: Resources[] = [];
  private idleBytes = 0;
  private closed = false;

  constructor(readonly device: GPUDevice, readonly budget: number = DEFAULT_POOL_BUDGET) {
    if (!(budget >= 0)) throw new Error(`pool budget must be a number of bytes >= 0, got ${budget}`);
  }

  /** An idle set for this key, now owned by the caller; null when none. */
  take(key: string): Resources | null {
    for (let k = this.idle.length - 1; k >= 0; k--) {
      const r = this.idle[k];
      if (r.key !== key) continue;
      this.idle.splice(k, 1);
      this.idleBytes -= r.bytes;
      return r;
    }
    return null;
  }

  /** Returns a set after a successful burn (its buffers unmapped); destroys it when the pool is closed. */
  give(r: Resources): void {
    if (this.closed) { destroyResources(r); return; }
    this.idle.push(r);
    this.idleBytes += r.bytes;
    while (this.idleBytes > this.budget && this.idle.length > 0) {
      const old = this.idle.shift()!;
      this.idleBytes -= old.bytes;
      destroyResources(old);
    }
  }

  /** GPU bytes held by idle sets. */
  get heldBytes(): number {
    return this.idleBytes;
  }

  /** Destroys every idle set; sets still in use are destroyed when their burns give them back. */
  destroy(): void {
    this.closed = true;
    for (const r of this.idle) destroyResources(r);
    this.idle = [];
    this.idleBytes = 0;
  }
}

/** Idle GPU memory a pool keeps by default: two sets of the largest default tile. */
export const DEFAULT_POOL_BUDGET = 256 * 1024 * 1024;

interface Pending {
  tile: TileRect;
  staging: GPUBuffer;
  pitch: number;
  bytes: number;
  map: Promise<void>;
  errors: Promise<void>;
}

// the GPU half of one burn: resources, per-tile passes, pipelined readback, clean-up
class TileJob {
  tilesDrawn = 0;
  rectsDrawn = 0;
  trianglesDrawn = 0;
  private res: Resources | null = null;
  private readonly guard: <T>(p: Promise<T>) => Promise<T>;
  private readonly dtype: DType;
  private readonly fmt: GpuFormat;
  private readonly gpuBytes: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly plan: GpuPlan,
    private readonly pipes: Pipelines,
    private readonly target: WebGPUTarget,
    private readonly layout: TileLayout,
    private readonly mode: Mode,
    private readonly init: number | undefined,
    private readonly pool: GpuResourcePool | null,
    private readonly work: Work,
  ) {
    this.guard = lostGuard(device);
    this.dtype = target.dtype;
    this.fmt = gpuFormat(target.dtype);
    this.gpuBytes = mode === 'add-float' ? 4 : this.fmt.gpuBytes;
  }

  private tileRect(t: number): TileRect {
    const { width, height, tileW, tileH, tilesX } = this.layout;
    const x = (t % tilesX) * tileW, y = Math.floor(t / tilesX) * tileH;
    return { index: t, x, y, w: Math.min(tileW, width - x), h: Math.min(tileH, height - y) };
  }

  async run(signal: AbortSignal | undefined, progress: (done: number, all: number) => void): Promise<void> {
    let ok = false;
    try {
      await this.runTiles(signal, progress);
      ok = true;
    } finally {
      const res = this.res;
      this.res = null;
      // a failed burn may leave a map in flight: its objects are destroyed, never pooled
      if (res) {
        if (ok && this.pool) this.pool.give(res);
        else destroyResources(res);
      }
    }
  }

  private async runTiles(signal: AbortSignal | undefined, progress: (done: number, all: number) => void): Promise<void> {
    const { device, layout, work } = this;
    const tiles = layout.tilesX * layout.tilesY;
    const { tileW, tileH } = layout;
    const accumulate = this.mode === 'add-int';
    const staged = accumulate ? tileW * this.gpuBytes : alignedBytesPerRow(tileW, this.gpuBytes);
    const stagingBytes = staged * tileH;

    // biggest upload any tile needs, capped at one chunk
    let maxRects = 0, maxTriVerts = 0, maxTriIdx = 0;
    for (let t = 0; t < tiles; t++) {
      maxRects = Math.max(maxRects, work.bucketOf(t).n);
      let v = 0, ix = 0;
      for (const k of work.trisOf(t)) { v += work.tris[k].coords.length / 2; ix += work.tris[k].tris.length; }
      maxTriVerts = Math.max(maxTriVerts, v);
      maxTriIdx = Math.max(maxTriIdx, ix);
    }
    const cap = Math.min(CHUNK_BYTES, this.plan.maxBufferSize, this.plan.maxStorageBinding);
    const capRects = Math.floor(cap / RECT_BYTES);
    const capVerts = Math.floor(cap / TRI_VERTEX_BYTES);
    const capIdx = Math.floor(cap / 4);

    const sizes = { stagingBytes, maxRects, maxTriVerts, maxTriIdx, capRects, capVerts, capIdx };
    const [res, allocated] = scoped(device, `allocating GPU resources for ${tileW} x ${tileH} tiles`, () => this.allocate(sizes));
    await this.guard(allocated);

    let pending: Pending | null = null;
    let k = 0;
    for (let t = 0; t < tiles; t++) {
      if (signal?.aborted) throw abortError(signal);
      const tile = this.tileRect(t);
      const bucket = work.bucketOf(t);
      const triList = work.trisOf(t);
      if (bucket.n === 0 && triList.length === 0) {
        // nothing to draw: with `into` the target already holds the answer, else it is init
        if (this.init !== undefined) this.fillTile(tile);
        progress(t + 1, tiles);
        continue;
      }
      const staging = res.stagings[k++ % 2];
      const [[pitch, drawn], errors] = scoped(device, `tile ${t} (${tile.w} x ${tile.h} at ${tile.x},${tile.y})`, () => {
        device.queue.writeBuffer(res.tileUniform, 0, new Int32Array([tile.x, tile.y, tile.w, tile.h]));
        return accumulate
          ? this.accumulateTile(tile, bucket, staging, capRects, res)
          : this.renderTile(tile, bucket, triList, staging, capRects, capVerts, capIdx, res);
      });
      // mapAsync wants a size that is a multiple of 4; the staging buffer is rounded up to match
      const bytes = Math.ceil(drawn / 4) * 4;
      const map = staging.mapAsync(MAP_READ, 0, bytes);
      map.catch(() => { /* reported when the tile is read back */ });
      this.tilesDrawn++;
      // the GPU works on this tile while the previous one is copied out
      if (pending) await this.finish(pending);
      pending = { tile, staging, pitch, bytes, map, errors };
      progress(t + 1, tiles);
    }
    // the last tile (one still in flight when something above throws is abandoned instead: run()
    // destroys its staging buffer, which rejects the map)
    if (pending) await this.finish(pending);
  }

  // everything one burn holds on the GPU, sized for its largest tile: a pooled set of the same tile
  // shape when there is one (grown where too small), else a new one; run() gives it back or destroys it
  private allocate(z: { stagingBytes: number; maxRects: number; maxTriVerts: number; maxTriIdx: number; capRects: number; capVerts: number; capIdx: number }): Resources {
    const { device, layout } = this;
    const { tileW, tileH } = layout;
    const format: GPUTextureFormat = this.mode === 'add-float' ? 'r32float' : this.fmt.format;
    const key = `${this.mode} ${format} ${tileW}x${tileH} ${z.stagingBytes}`;
    const pooled = this.pool?.take(key) ?? null;
    const res: Resources = pooled ?? {
      key, bytes: 0,
      tileUniform: null as unknown as GPUBuffer, stagings: [], rectBuf: null as unknown as GPUBuffer, rectCap: 0,
      texture: null, quadIdx: null, quadCap: 0, triVB: null, triVerts: 0, triIB: null, triIdx: 0, tileGroup: null,
      acc: null, packed: null, fillParams: null, addParams: null, packParams: null,
    };
    // owned from here on, so a failure below still destroys what was made
    this.res = res;
    const make = (label: string, size: number, usage: number): GPUBuffer => {
      const b = device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
      res.bytes += b.size;
      return b;
    };
    const drop = (b: GPUBuffer | null): void => {
      if (b) { res.bytes -= b.size; b.destroy(); }
    };
    // a pool reuses sets across burns whose rectangle counts differ: grow by doubling
    const roundUp = (n: number, cap: number) => Math.min(cap, 2 ** Math.ceil(Math.log2(Math.max(n, 64))));
    const rectCount = Math.min(Math.max(z.maxRects, 1), z.capRects);
    let rectsChanged = false;
    if (!pooled) {
      res.tileUniform = make('tile', 16, BUF_UNIFORM | BUF_COPY_DST);
      res.stagings = [make('staging 0', z.stagingBytes, BUF_MAP_READ | BUF_COPY_DST), make('staging 1', z.stagingBytes, BUF_MAP_READ | BUF_COPY_DST)];
    }
    if (res.rectCap < rectCount) {
      drop(pooled ? res.rectBuf : null);
      res.rectCap = this.pool ? roundUp(rectCount, z.capRects) : rectCount;
      res.rectBuf = make('rects', res.rectCap * RECT_BYTES, BUF_STORAGE | BUF_COPY_DST);
      rectsChanged = true;
    }
    if (this.mode === 'add-int') {
      if (!pooled) {
        res.acc = make('accumulators', tileW * tileH * 4, BUF_STORAGE | BUF_COPY_DST);
        res.packed = make('packed', tileW * tileH * this.gpuBytes, BUF_STORAGE | BUF_COPY_SRC);
        res.fillParams = make('fill params', 32, BUF_UNIFORM | BUF_COPY_DST);
        res.addParams = make('add params', 32, BUF_UNIFORM | BUF_COPY_DST);
        res.packParams = make('pack params', 32, BUF_UNIFORM | BUF_COPY_DST);
      }
      return res;
    }
    if (!res.texture) {
      res.texture = device.createTexture({
        label: 'target',
        size: { width: tileW, height: tileH },
        format,
        usage: TEX_RENDER_ATTACHMENT | TEX_COPY_SRC | TEX_COPY_DST,
      });
      res.bytes += tileW * tileH * (this.mode === 'add-float' ? 4 : this.fmt.gpuBytes);
    }
    // static quad indices; draws beyond quadCap rectangles step baseVertex instead
    const quadCap = Math.min(res.rectCap, QUAD_BATCH);
    if (res.quadCap < Math.min(rectCount, QUAD_BATCH)) {
      drop(res.quadIdx);
      res.quadCap = quadCap;
      res.quadIdx = make('quad indices', quadCap * 24, BUF_INDEX | BUF_COPY_DST);
      const q = new Uint32Array(quadCap * 6);
      for (let k = 0, v = 0; k < q.length; k += 6, v += 4) {
        q[k] = v; q[k + 1] = v + 1; q[k + 2] = v + 2; q[k + 3] = v + 2; q[k + 4] = v + 1; q[k + 5] = v + 3;
      }
      device.queue.writeBuffer(res.quadIdx, 0, q);
    }
    if (z.maxTriIdx > 0) {
      const verts = Math.min(z.maxTriVerts, z.capVerts), idx = Math.min(z.maxTriIdx, z.capIdx);
      if (res.triVerts < verts) {
        drop(res.triVB);
        res.triVerts = this.pool ? roundUp(verts, z.capVerts) : verts;
        res.triVB = make('triangle vertices', res.triVerts * TRI_VERTEX_BYTES, BUF_VERTEX | BUF_COPY_DST);
      }
      if (res.triIdx < idx) {
        drop(res.triIB);
        res.triIdx = this.pool ? roundUp(idx, z.capIdx) : idx;
        res.triIB = make('triangle indices', res.triIdx * 4, BUF_INDEX | BUF_COPY_DST);
      }
    }
    if (!res.tileGroup || rectsChanged) {
      res.tileGroup = device.createBindGroup({
        layout: this.pipes.tileLayout,
        entries: [{ binding: 0, resource: { buffer: res.tileUniform } }, { binding: 1, resource: { buffer: res.rectBuf } }],
      });
    }
    return res;
  }

  // waits for a tile's readback and de-pads it straight into the target
  private async finish(p: Pending): Promise<void> {
    try {
      await this.guard(p.map);
    } catch (e) {
      await this.guard(p.errors);
      throw e;
    }
    await this.guard(p.errors);
    const mapped = p.staging.getMappedRange(0, p.bytes);
    try {
      this.depad(mapped, p.pitch, p.tile);
    } finally {
      p.staging.unmap();
    }
  }

  private depad(src: ArrayBuffer, pitch: number, tile: TileRect): void {
    const { data, width } = this.target;
    if (this.dtype === 'float64') {
      // the GPU held float32 (exact by the checks above): widen row by row into the result
      const f = new Float32Array(src);
      const out = data as Float64Array;
      for (let r = 0; r < tile.h; r++) out.set(f.subarray((r * pitch) / 4, (r * pitch) / 4 + tile.w), (tile.y + r) * width + tile.x);
      return;
    }
    const bpp = this.gpuBytes;
    const dst = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const rowBytes = tile.w * bpp;
    if (pitch === rowBytes && tile.w === width) {
      dst.set(new Uint8Array(src, 0, rowBytes * tile.h), tile.y * width * bpp);
      return;
    }
    const s = new Uint8Array(src);
    for (let r = 0; r < tile.h; r++) dst.set(s.subarray(r * pitch, r * pitch + rowBytes), ((tile.y + r) * width + tile.x) * bpp);
  }

  private fillTile(tile: TileRect): void {
    const { data, width } = this.target;
    const v = this.init!;
    for (let r = 0; r < tile.h; r++) {
      const o = (tile.y + r) * width + tile.x;
      data.fill(v, o, o + tile.w);
    }
  }

  // the target's rows of one tile as a view, for uploads (no copy)
  private tileView(tile: TileRect): TypedArray {
    const { data, width } = this.target;
    return data.subarray(tile.y * width + tile.x, (tile.y + tile.h - 1) * width + tile.x + tile.w);
  }

  // a tile-sized copy of the target's values in another array type (widening / narrowing)
  private tileCopy<T extends Int32Array | Uint32Array | Float32Array>(tile: TileRect, out: T): T {
    const { data, width } = this.target;
    for (let r = 0; r < tile.h; r++) {
      const o = (tile.y + r) * width + tile.x;
      out.set(data.subarray(o, o + tile.w), r * tile.w);
    }
    return out;
  }

  private clearValue(): GPUColor {
    const v = this.init!;
    if (this.mode === 'add-float') return { r: v, g: 0, b: 0, a: 0 };
    // signed formats clear with the signed value, the r32uint float targets with the f32 bits
    return { r: this.fmt.signed ? v : pixelBits(this.dtype, v, 'init'), g: 0, b: 0, a: 0 };
  }

  private renderTile(
    tile: TileRect, bucket: Bucket, triList: number[], staging: GPUBuffer, capRects: number, capVerts: number, capIdx: number,
    r: Resources,
  ): [number, number] {
    const texture = r.texture!, quadIdx = r.quadIdx!, tileGroup = r.tileGroup!;
    const { device, work } = this;
    const queue = device.queue;
    const format = this.mode === 'add-float' ? 'r32float' : this.fmt.format;
    const fragment = this.mode === 'add-float' ? 'fs_float' : this.fmt.fragment;
    const spanPipe = this.pipes.spans(format, fragment, this.mode === 'add-float');
    const triPipe = triList.length > 0 ? this.pipes.triangles(format, this.fmt.fragment) : null;
    const bpr = alignedBytesPerRow(tile.w, this.gpuBytes);
    const view = texture.createView();

    if (this.init === undefined) {
      const size = { width: tile.w, height: tile.h };
      if (this.dtype === 'float64') {
        queue.writeTexture({ texture: texture }, this.tileCopy(tile, new Float32Array(tile.w * tile.h)), { bytesPerRow: tile.w * 4, rowsPerImage: tile.h }, size);
      } else {
        queue.writeTexture({ texture: texture }, bytesOf(this.tileView(tile)), { bytesPerRow: this.target.width * this.gpuBytes, rowsPerImage: tile.h }, size);
      }
    }

    const runs = buildRuns(bucket, triList, work.tris);
    // upload segments: contiguous rectangles and whole triangulated shapes, each under the caps
    let first = true;
    let seg: Run[] = [];
    let segRect0 = -1, segRects = 0, segVerts = 0, segIdx = 0;
    const flush = (last: boolean): void => {
      const enc = device.createCommandEncoder({ label: `tile ${tile.index}` });
      if (segRects > 0) queue.writeBuffer(r.rectBuf, 0, bytesOf(bucket.rects), segRect0 * RECT_WORDS, segRects * RECT_WORDS);
      let triIndexBase = 0;
      if (segVerts > 0) {
        const vb = new ArrayBuffer(segVerts * TRI_VERTEX_BYTES);
        const vf = new Float32Array(vb), vu = new Uint32Array(vb);
        const ib = new Uint32Array(segIdx);
        let nv = 0, ni = 0;
        for (const run of seg) {
          if (!run.tri) continue;
          for (let k = run.first; k < run.first + run.count; k++) {
            const s = work.tris[triList[k]];
            const bits = work.triBits[triList[k]];
            const c = s.coords;
            // tile-relative in float64, then float32 (pixel rule D1)
            for (let v = 0; v < c.length / 2; v++) {
              vf[(nv + v) * 3] = c[2 * v] - tile.x;
              vf[(nv + v) * 3 + 1] = c[2 * v + 1] - tile.y;
              vu[(nv + v) * 3 + 2] = bits;
            }
            for (let q = 0; q < s.tris.length; q++) ib[ni + q] = s.tris[q] + nv;
            nv += c.length / 2;
            ni += s.tris.length;
          }
        }
        queue.writeBuffer(r.triVB!, 0, vb);
        queue.writeBuffer(r.triIB!, 0, ib);
        this.trianglesDrawn += segIdx / 3;
      }
      const pass = enc.beginRenderPass({
        colorAttachments: [{
          view,
          loadOp: first && this.init !== undefined ? 'clear' : 'load',
          storeOp: 'store',
          clearValue: this.init !== undefined ? this.clearValue() : undefined,
        }],
      });
      pass.setViewport(0, 0, tile.w, tile.h, 0, 1);
      pass.setBindGroup(0, tileGroup);
      let current: GPURenderPipeline | null = null;
      for (const run of seg) {
        if (run.tri) {
          if (current !== triPipe) {
            pass.setPipeline(triPipe!);
            pass.setVertexBuffer(0, r.triVB!);
            pass.setIndexBuffer(r.triIB!, 'uint32');
            current = triPipe;
          }
          let n = 0;
          for (let k = run.first; k < run.first + run.count; k++) n += work.tris[triList[k]].tris.length;
          pass.drawIndexed(n, 1, triIndexBase, 0, 0);
          triIndexBase += n;
        } else {
          if (current !== spanPipe) {
            pass.setPipeline(spanPipe);
            pass.setIndexBuffer(quadIdx, 'uint32');
            current = spanPipe;
          }
          // indexed: Dawn on SwiftShader aborted on very large non-indexed draws
          for (let f = 0; f < run.count; f += r.quadCap) {
            pass.drawIndexed(6 * Math.min(r.quadCap, run.count - f), 1, 0, 4 * (run.first - segRect0 + f));
          }
          this.rectsDrawn += run.count;
        }
      }
      pass.end();
      if (last) enc.copyTextureToBuffer({ texture: texture }, { buffer: staging, bytesPerRow: bpr, rowsPerImage: tile.h }, { width: tile.w, height: tile.h });
      queue.submit([enc.finish()]);
      first = false;
      seg = [];
      segRect0 = -1;
      segRects = segVerts = segIdx = 0;
    };

    for (const run of runs) {
      if (!run.tri) {
        let f = run.first, left = run.count;
        while (left > 0) {
          if (segRects === capRects) flush(false);
          if (segRect0 < 0) segRect0 = f;
          const n = Math.min(left, capRects - segRects);
          seg.push({ tri: false, first: f, count: n });
          segRects += n;
          f += n;
          left -= n;
        }
      } else {
        for (let k = run.first; k < run.first + run.count; k++) {
          const s = work.tris[triList[k]];
          const nv = s.coords.length / 2, ni = s.tris.length;
          if (nv > capVerts || ni > capIdx) throw new Error(`polygon ${s.shape} has too many vertices (${nv}) for one GPU upload`);
          if (segVerts + nv > capVerts || segIdx + ni > capIdx) flush(false);
          const prev = seg[seg.length - 1];
          if (prev && prev.tri && prev.first + prev.count === k) prev.count++;
          else seg.push({ tri: true, first: k, count: 1 });
          segVerts += nv;
          segIdx += ni;
        }
      }
    }
    flush(true);
    return [bpr, bpr * (tile.h - 1) + tile.w * this.gpuBytes];
  }

  private accumulateTile(
    tile: TileRect, bucket: Bucket, staging: GPUBuffer, capRects: number,
    r: Resources,
  ): [number, number] {
    const acc = r.acc!, packed = r.packed!, fillParams = r.fillParams!, addParams = r.addParams!, packParams = r.packParams!;
    const { device, work, dtype } = this;
    const queue = device.queue;
    const type = DTYPES[dtype];
    const cells = tile.w * tile.h;
    const signedCells = work.wrapAdd || this.fmt.signed;
    const lo = type.min >>> 0, hi = type.max >>> 0;
    const addGroup = (params: GPUBuffer) => device.createBindGroup({
      layout: this.pipes.addLayout,
      entries: [
        { binding: 0, resource: { buffer: r.tileUniform } },
        { binding: 1, resource: { buffer: params } },
        { binding: 2, resource: { buffer: acc } },
        { binding: 3, resource: { buffer: r.rectBuf } },
      ],
    });

    let enc = device.createCommandEncoder({ label: `tile ${tile.index} add` });
    if (this.init === undefined) {
      queue.writeBuffer(acc, 0, this.tileCopy(tile, signedCells ? new Int32Array(cells) : new Uint32Array(cells)));
    } else {
      queue.writeBuffer(fillParams, 0, new Uint32Array([cells, 0, lo, hi, this.init >>> 0, 0, 0, 0]));
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipes.compute('fill'));
      pass.setBindGroup(0, addGroup(fillParams));
      this.dispatch(pass, cells);
      pass.end();
    }
    const entry = work.wrapAdd ? 'add_wrap' : 'add_sat';
    const group = addGroup(addParams);
    for (let f = 0; f < bucket.n; f += capRects) {
      const n = Math.min(capRects, bucket.n - f);
      queue.writeBuffer(r.rectBuf, 0, bytesOf(bucket.rects), f * RECT_WORDS, n * RECT_WORDS);
      queue.writeBuffer(addParams, 0, new Uint32Array([n, work.down ? 1 : 0, lo, hi, 0, 0, 0, 0]));
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipes.compute(entry));
      pass.setBindGroup(0, group);
      this.dispatch(pass, n);
      pass.end();
      this.rectsDrawn += n;
      // the rectangle buffer and params are reused by the next chunk: submit this one first
      queue.submit([enc.finish()]);
      enc = device.createCommandEncoder({ label: `tile ${tile.index} add` });
    }
    const bytes = cells * this.gpuBytes;
    queue.writeBuffer(packParams, 0, new Uint32Array([cells, this.gpuBytes, signedCells ? 1 : 0, 0, lo, hi, 0, 0]));
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipes.compute('pack'));
    pass.setBindGroup(0, device.createBindGroup({
      layout: this.pipes.packLayout,
      entries: [
        { binding: 0, resource: { buffer: packParams } },
        { binding: 1, resource: { buffer: acc } },
        { binding: 2, resource: { buffer: packed } },
      ],
    }));
    this.dispatch(pass, Math.ceil(bytes / 4));
    pass.end();
    const copyBytes = Math.ceil(bytes / 4) * 4;
    enc.copyBufferToBuffer(packed, 0, staging, 0, copyBytes);
    queue.submit([enc.finish()]);
    return [tile.w * this.gpuBytes, bytes];
  }

  // 64-wide workgroups over a 2-D grid of at most maxWorkgroups a side (the shaders flatten it)
  private dispatch(pass: GPUComputePassEncoder, invocations: number): void {
    const groups = Math.max(1, Math.ceil(invocations / 64));
    const gx = Math.min(groups, this.plan.maxWorkgroups);
    pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
  }
}

// one tile's draws in shape order: span rectangles and triangulated shapes interleave only where
// their shapes do, so later shapes still overwrite earlier ones
function buildRuns(bucket: Bucket, triList: number[], tris: TriangulatedShape[]): Run[] {
  if (triList.length === 0) return bucket.n > 0 ? [{ tri: false, first: 0, count: bucket.n }] : [];
  const runs: Run[] = [];
  const shapes = bucket.shapes!;
  let r = 0, k = 0;
  while (r < bucket.n || k < triList.length) {
    const takeRect = k >= triList.length || (r < bucket.n && shapes[r] < tris[triList[k]].shape);
    const last = runs[runs.length - 1];
    if (takeRect) {
      if (last && !last.tri) last.count++;
      else runs.push({ tri: false, first: r, count: 1 });
      r++;
    } else {
      if (last && last.tri) last.count++;
      else runs.push({ tri: true, first: k, count: 1 });
      k++;
    }
  }
  return runs;
}
