import { abortError, now } from '../../abort.js';
import type { EmitOptions } from '../../rules/emit.js';
import type { ShapeSet } from '../../features/shapes.js';
import { DTYPES } from '../../dtype.js';
import type { DType, ProgressInfo, NumberArray as TypedArray } from '../../types.js';
import type { GpuPlan } from '../device.js';
import { MAP_READ } from '../flags.js';
import { fillKernels, pipelinesFor, walkKernel, type FillKernels, type Pipelines } from '../pipelines.js';
import type { GpuResourcePool } from '../resources.js';
import { scoped } from '../scopes.js';
import { encodePack } from '../accumulate.js';
import { dispatch64 } from '../tile-pass.js';
import { packAddParams, packTile } from '../uniforms.js';
import { RECT_WORDS } from '../spans.js';
import { FillBuffers, fillBuffersKey, REGION_WORDS, src, type RegionGroup } from './buffers.js';
import { RegionGrouper } from './region-groups.js';
import { encodeGroupEntries } from './group-entries.js';
import { RUN_WORDS } from './lines.js';
import { AddTouchStore, ADD_TOUCH_WORDS } from './touch-add.js';
import { AddTouchPasses, addTouchKernels } from './touch-add-pass.js';
import { f64Words } from '../f64.js';
import { planFill, recycleEdges, recyclePlan, SPAN_WORDS, type FillPlan } from './plan.js';
import { recycleWalkStores, takeWalkStores } from './walk-stores.js';

/*
 * The exact GPU fill: the host packs edges and spans (plan.ts), the GPU computes GDAL's crossings
 * and their parity (shaders/crossings.wgsl, parity.wgsl). Merge 'replace' burns owner ids and
 * resolves them to values (owner.wgsl, resolve.wgsl); merge 'add' on integer outputs adds into
 * 32-bit accumulators and packs them (add.wgsl, pack.wgsl). The grid is cut into tiles of full-grid
 * coordinates (every decision is made in the whole grid's pixel space, as the CPU does); each tile
 * holds one u32 a pixel.
 */

export interface ExactFillTarget {
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
}

/** Columns x..x+width-1, rows y..y+height-1 of the grid. */
export interface GridWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

// the pixels the burn writes: target.data holds the window's rows, whose first pixel is grid pixel (x0, y0)
interface WindowPixels extends ExactFillTarget {
  x0: number;
  y0: number;
  /** the whole grid's size */
  gridW: number;
  gridH: number;
}

/** Merge 'add' into an integer type: burns of one sign, whole numbers (the caller's checks). */
export interface AddSpec {
  /** the type's range, and as raw 32-bit patterns (two's complement for signed types) */
  min: number;
  max: number;
  signed: boolean;
  /** whether every burn is <= 0: known once every burn has been encoded */
  down: () => boolean;
}

export interface ExactFillOptions extends Pick<EmitOptions, 'allTouched' | 'burnZ'> {
  /** value bits every unburned pixel takes (the start of every sum in 'add'); undefined: target.data */
  initBits?: number;
  /** merge 'add' (encode then gives increments); absent: merge 'replace' */
  add?: AddSpec;
  /** bytes a pixel on the GPU: 1, 2 or 4 (float64 travels as float32) */
  bytes: 1 | 2 | 4;
  /**
   * the clock hostMs and its steps are read with, in milliseconds (default: performance.now, wall
   * time); a benchmark on a shared machine may pass the main thread's CPU time instead
   */
  hostClock?: () => number;
  /** burn value -> 32 output bits (throws GpuUnsupportedError when the GPU cannot hold it) */
  encode: (v: number, shape: number) => number;
  memoryBudget: number;
  maxTileSize: number;
  /** keep the GPU buffers for later burns (createRasterizer's) instead of destroying them */
  pool?: GpuResourcePool;
  /**
   * target.data is a fresh array nobody else holds: when one readback holds the whole result in the
   * target's own layout, the result may be a view of that mapped readback (ExactFillResult.data)
   * instead of a copy into target.data
   */
  view?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /**
   * Burn only this window of the width x height grid; target.data then holds the window's pixels
   * (window.width x window.height). Shapes, crossings and tiles stay in the whole grid's pixel space,
   * so every pixel is the one the whole-grid burn gives it; only the tiles meeting the window run.
   */
  window?: GridWindow;
}

export interface ExactFillResult {
  tiles: number;
  tilesDrawn: number;
  tileWidth: number;
  tileHeight: number;
  /** host spans burned (lines, points, all-touched edges, horizontal edges, out-of-domain polygons) */
  spans: number;
  /** (edge, row) crossings evaluated on the GPU, and how many of them took the exact float64 path */
  crossings: number;
  exactFallbacks: number;
  polygonsOnGpu: number;
  polygonsOnCpu: number;
  /** lines walked on the GPU (lines.wgsl) and through the CPU rules, and the GPU's runs */
  linesOnGpu: number;
  linesOnCpu: number;
  lineRuns: number;
  /** all-touched segments walked on the GPU (stepped in touch.wgsl, or vertical as line runs) */
  touchSegments: number;
  /** main-thread milliseconds outside waits for the device: preparation, encoding, unpacking */
  hostMs: number;
  /**
   * hostMs by step: planning (plan.ts), buffers and uploads of the plan, encoding the tiles (their
   * uploads and bands included), submitting them, making readback buffers and starting their maps,
   * unpacking readbacks (or handing one out as the result)
   */
  host: { plan: number; buffers: number; encode: number; submit: number; readback: number; unpack: number };
  /** wall-clock milliseconds: host preparation, then the tiles */
  prepareMs: number;
  gpuMs: number;
  /** the result as a view of the mapped readback (see ExactFillOptions.view); target.data is then untouched */
  data?: TypedArray;
  /** with data: ends the view (it empties) and gives its readback buffer back to the pool, or frees it */
  release?: () => void;
}

/** Host spans one dispatch burns. */
const SPAN_CHUNK = 1 << 20;

interface Tile {
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
}


const align4 = (n: number) => Math.ceil(n / 4) * 4;

/** Tile size: full rows where possible; owner (4 bytes), output and staging (bytes each) a pixel. */
function fillTileSize(gpu: GpuPlan, width: number, height: number, bytes: number, budget: number, maxTile: number): [number, number] {
  const tileW = Math.max(1, Math.min(width, maxTile, Math.floor(gpu.maxStorageBinding / 4)));
  const perRow = tileW * (4 + 2 * bytes);
  const rows = Math.min(height, maxTile, Math.floor(budget / perRow), Math.floor(Math.min(gpu.maxStorageBinding, gpu.maxBufferSize) / (tileW * 4)));
  if (rows < 1) throw new Error(`GPU memory budget ${budget} bytes cannot hold one ${tileW}-pixel tile row (${perRow} bytes)`);
  return [tileW, rows];
}

// groupsOf's arrays, reused tile after tile and burn after burn: encodeTile uploads every group
// (queue.writeBuffer copies it) in the same synchronous loop that asked for them, before any other
// groupsOf call can write over them
let regionScratch = new Uint32Array(0);
let shapeEdgeScratch = new Uint32Array(0);

// the regions of one tile (bitmap windows of the GPU-filled shapes meeting it, each with the owner
// id or increment it burns), in groups: O(shapes) work, none per edge; entries.wgsl finds each
// edge's rows on the tile
function groupsOf(plan: FillPlan, tile: Tile, add: boolean): RegionGroup[] {
  const x1 = tile.x + tile.w - 1, y1 = tile.y + tile.h - 1;
  // one array for the tile, each group a stretch of it
  if (regionScratch.length < plan.fills * REGION_WORDS) regionScratch = new Uint32Array(plan.fills * REGION_WORDS);
  if (shapeEdgeScratch.length < plan.fills * 2) shapeEdgeScratch = new Uint32Array(plan.fills * 2);
  const grouper = new RegionGrouper(regionScratch, shapeEdgeScratch);
  // the owner cell of grid pixel (c, r): (r - tile.y) * tile.w + (c - tile.x)
  const base = -(tile.y * tile.w + tile.x) >>> 0;
  for (let s = 0; s < plan.fills; s++) {
    const r0 = Math.max(plan.row0[s], tile.y), r1 = Math.min(plan.row1[s], y1);
    const c0 = Math.max(plan.col0[s], tile.x), c1 = Math.min(plan.col1[s], x1);
    if (r0 > r1 || c0 > c1) continue;
    grouper.add(r0, r1, c0, c1, plan.edge0[s], plan.edge0[s + 1], add ? plan.values[plan.fillId[s] - 1] : plan.fillId[s], base, tile.w, 0);
  }
  return grouper.finish();
}

// the spans of one tile (all of them when the grid is one tile)
function spansOf(plan: FillPlan, tile: Tile, single: boolean): Int32Array {
  if (single) return plan.spans;
  const out: number[] = [];
  const s = plan.spans;
  const x1 = tile.x + tile.w - 1, y1 = tile.y + tile.h - 1;
  for (let o = 0; o < s.length; o += SPAN_WORDS) {
    const y = s[o];
    if (y < tile.y || y > y1 || s[o + 2] < tile.x || s[o + 1] > x1) continue;
    out.push(y, s[o + 1], s[o + 2], s[o + 3]);
  }
  return Int32Array.from(out);
}


/**
 * Burns `shapes` (merge 'replace') into target.data with the exact GPU fill. The caller has made
 * every check that can refuse the burn; errors from here on (device lost, out of memory) may leave
 * target.data partly written.
 */
export async function burnExactFill(
  device: GPUDevice,
  gpu: GpuPlan,
  guard: <T>(p: Promise<T>) => Promise<T>,
  shapes: ShapeSet,
  target: ExactFillTarget,
  opts: ExactFillOptions,
): Promise<ExactFillResult> {
  const t0 = now();
  const clock = opts.hostClock ?? now;
  const c0 = clock();
  const { signal, onProgress } = opts;
  const { width, height } = target;
  const total = shapes.count;
  // compiled while the host plans (the first burn on a device pays for it, later ones find it ready)
  const compiling = fillKernels(device);
  compiling.catch(() => { /* awaited below */ });
  const merge = opts.add ? 'add' : 'replace';
  const zOnGpu = zLinesOnGpu(target.dtype);
  // merge 'add' all-touched walks: visit slots within one storage binding and a share of the budget
  const stores = takeWalkStores(Math.floor(Math.min(gpu.maxStorageBinding / 8, opts.memoryBudget / 48)));
  const addWalks = opts.add && opts.allTouched && AddTouchStore.fits(width, height) ? stores.addTouch : undefined;
  const plan = planFill(shapes, width, height, { allTouched: opts.allTouched, burnZ: opts.burnZ, merge }, opts.encode, (i) => {
    if (signal?.aborted) throw abortError(signal);
    if (onProgress && (i & 4095) === 0 && i > 0) onProgress({ fraction: (0.3 * i) / total, done: i, total, stage: 'planning spans' });
  }, undefined, stores.runs, stores.touch, zOnGpu ? stores.zRuns : undefined, zOnGpu ? stores.zTouch : undefined, addWalks);
  const add = opts.add ? addMode(plan, opts.add, opts.bytes) : null;
  const tPlanned = now(), cPlanned = clock();
  let hostMs = cPlanned - c0;

  const win = opts.window ?? { x: 0, y: 0, width, height };
  const pixels: WindowPixels = { data: target.data, width: win.width, height: win.height, dtype: target.dtype, x0: win.x, y0: win.y, gridW: width, gridH: height };
  const whole = win.width === width && win.height === height;
  const [tileW, tileH] = fillTileSize(gpu, win.width, win.height, opts.bytes, opts.memoryBudget, opts.maxTileSize);
  const tilesX = Math.ceil(win.width / tileW), tilesY = Math.ceil(win.height / tileH);
  // the float64 walks only when this burn has some (each a large module to compile)
  const [base, touch, zline, ztouch, addTouchK] = await guard(Promise.all([
    compiling,
    plan.nTouch > 0 ? walkKernel(device, 'touch') : null,
    plan.nZRuns > 0 ? walkKernel(device, 'zline') : null,
    plan.nZTouch > 0 ? walkKernel(device, 'ztouch') : null,
    plan.nAddTouch > 0 ? addTouchKernels(device) : null,
  ]));
  // the merge-'add' walks' visit lists and A6's links, once for all tiles
  const addTouch = addTouchK ? new AddTouchPasses(device, gpu, addTouchK, plan.addTouch, plan.nAddTouch, plan.addTouchSlots, plan.addTouchChain, width, height, opts.pool) : null;
  const kernels: TileKernels = { ...base, touch, zline, ztouch, addTouch };
  const tKernels = clock();
  const pooled = opts.pool?.take(fillBuffersKey(tileW * tileH, opts.bytes));
  const res = pooled instanceof FillBuffers ? pooled : new FillBuffers(device, tileW * tileH, opts.bytes);
  res.load(plan, tileW, tileH);
  // uploaded: the GPU has its own copy of the edges and walks, and the next burn may write over the host's
  recycleEdges(plan);
  recycleWalkStores(stores);
  if (addTouch) {
    const enc = device.createCommandEncoder({ label: 'all-touched add lists' });
    addTouch.encodeLists(enc);
    device.queue.submit([enc.finish()]);
    addTouch.startCheck();
  }
  const buffersMs = clock() - tKernels;
  hostMs += buffersMs;
  let ok = false;
  const result: ExactFillResult = {
    tiles: tilesX * tilesY, tilesDrawn: 0, tileWidth: tileW, tileHeight: tileH, spans: plan.nSpans,
    crossings: plan.crossings, exactFallbacks: 0, polygonsOnGpu: plan.polygonsOnGpu, polygonsOnCpu: plan.polygonsOnCpu,
    linesOnGpu: plan.linesOnGpu, linesOnCpu: plan.linesOnCpu, lineRuns: plan.nRuns, touchSegments: plan.touchSegments,
    hostMs: 0, host: { plan: cPlanned - c0, buffers: buffersMs, encode: 0, submit: 0, readback: 0, unpack: 0 }, prepareMs: tPlanned - t0, gpuMs: 0,
  };
  try {
    // two staging buffers: the next tile is encoded and running while this one is read back
    let pending: { tile: Tile; staging: GPUBuffer; stagingIndex: number; mapped: Promise<void>; errors: Promise<void> } | null = null;
    // the copy of the readback into the result (mostly first-touch page faults on a fresh array) is
    // the largest host step left: a single tile in the target's own bytes needs none
    const viewable = !!opts.view && !opts.window && result.tiles === 1 && DTYPES[target.dtype].bytes === opts.bytes;
    const finish = async (p: NonNullable<typeof pending>): Promise<void> => {
      const bytes = align4(p.tile.w * p.tile.h * opts.bytes);
      // a validation or out-of-memory error explains a failed map better than the map's own error
      await guard(p.errors);
      await guard(p.mapped);
      const h = clock();
      if (viewable) {
        // the whole result is this readback: hand it out as it lies, kept mapped while the view lives
        const k = p.stagingIndex, b = res.detachStaging(k);
        result.data = mappedView(b, bytes, target);
        let held = true;
        // a set given back to the pool takes its readback back (unless it made a new one meanwhile)
        result.release = () => {
          if (!held) return;
          held = false;
          if (result.data) keepMapped.delete(result.data.buffer);
          if (opts.pool) res.reattachStaging(k, b);
          else b.destroy();
        };
      } else {
        try {
          unpack(p.staging.getMappedRange(0, bytes), p.tile, pixels);
        } finally {
          p.staging.unmap();
        }
      }
      hostMs += clock() - h;
      result.host.unpack += clock() - h;
      onProgress?.({ fraction: 0.3 + (0.7 * (p.tile.index + 1)) / result.tiles, done: total, total, stage: `tile ${p.tile.index + 1} of ${result.tiles} read back` });
    };
    let counted: Promise<void> | null = null;
    for (let index = 0; index < result.tiles; index++) {
      if (signal?.aborted) throw abortError(signal);
      const tx = index % tilesX, ty = Math.floor(index / tilesX);
      const tile: Tile = { index, x: win.x + tx * tileW, y: win.y + ty * tileH, w: Math.min(tileW, win.width - tx * tileW), h: Math.min(tileH, win.height - ty * tileH) };
      // a readback made here (the first burn, or after a result kept its own) is host work too: on a
      // software adapter its zero-fill is the costliest step left
      const r0 = clock();
      const staging = res.staging(index % 2);
      const h0 = clock();
      result.host.readback += h0 - r0;
      hostMs += h0 - r0;
      const [drawn, errors] = scoped(device, `exact fill of tile ${index}`, () => encodeTile(device, gpu, kernels, res, plan, tile, pixels, opts, add, staging, result.tiles === 1 && whole, index === result.tiles - 1, result.host));
      const m0 = clock();
      if (drawn) result.tilesDrawn++;
      // the last tile's submit also copied the exact-path counter: read in the same round trip
      if (index === result.tiles - 1) {
        counted = res.counterRead.mapAsync(MAP_READ, 0, 4);
        counted.catch(() => { /* awaited below */ });
      }
      const mapped = staging.mapAsync(MAP_READ, 0, align4(tile.w * tile.h * opts.bytes));
      // when an earlier error is thrown first, destroy() aborts this map: nobody's error
      mapped.catch(() => { /* awaited in finish */ });
      errors.catch(() => { /* awaited in finish */ });
      const h1 = clock();
      hostMs += h1 - h0;
      result.host.readback += h1 - m0;
      result.host.encode += m0 - h0;
      // the previous tile's read-back reports first, so the fractions only rise
      if (pending) await finish(pending);
      onProgress?.({ fraction: 0.3 + (0.7 * (index + 0.5)) / result.tiles, done: total, total, stage: `tile ${index + 1} of ${result.tiles} on the GPU` });
      pending = { tile, staging, stagingIndex: index % 2, mapped, errors };
    }
    if (pending) await finish(pending);
    await addTouch?.check(guard);
    result.exactFallbacks = counted ? await res.takeCounter(guard, counted) : await res.readCounter(guard);
    ok = true;
  } finally {
    // a failed burn may leave a buffer mapped or the device lost: never back into the pool
    if (ok && opts.pool) opts.pool.give(res);
    else res.destroy();
    addTouch?.release(ok);
    // nothing reads the plan after this: its arrays go to the next burn
    recyclePlan(plan);
  }
  result.hostMs = hostMs;
  result.gpuMs = now() - tPlanned;
  return result;
}

// the fill's kernels and the float64 walks this burn uses (null: none to walk)
interface TileKernels extends FillKernels {
  touch: GPUComputePipeline | null;
  zline: GPUComputePipeline | null;
  ztouch: GPUComputePipeline | null;
  addTouch: AddTouchPasses | null;
}

// encodes and submits one tile's passes, ending with the packed values copied to the staging buffer
function encodeTile(
  device: GPUDevice, gpu: GpuPlan, k: TileKernels, res: FillBuffers, plan: FillPlan, tile: Tile,
  target: WindowPixels, opts: ExactFillOptions, add: AddMode | null, staging: GPUBuffer, single: boolean, last: boolean,
  steps: { encode: number; submit: number },
): boolean {
  const clock = opts.hostClock ?? now;
  const { queue } = device;
  // submits timed apart from encoding; the caller counts both into encode, this moves the share
  const submit = (cb: GPUCommandBuffer) => {
    const s = clock();
    queue.submit([cb]);
    const d = clock() - s;
    steps.submit += d;
    steps.encode -= d;
  };
  const pixels = tile.w * tile.h;
  let drawn = false;
  let enc = device.createCommandEncoder({ label: `exact fill tile ${tile.index}` });
  const spans = spansOf(plan, tile, single);
  if (add) {
    drawn = encodeAddSpans(device, gpu, add, res, plan, tile, target, opts.initBits, spans, enc);
    enc = device.createCommandEncoder({ label: `exact fill tile ${tile.index}` });
  } else {
    enc.clearBuffer(res.owner, 0, pixels * 4);
  }

  for (let f = 0; !add && f < spans.length; f += SPAN_CHUNK * SPAN_WORDS) {
    const n = Math.min(SPAN_CHUNK, (spans.length - f) / SPAN_WORDS);
    const buf = res.spanBuffer(n);
    queue.writeBuffer(buf, 0, src(spans), f, n * SPAN_WORDS);
    queue.writeBuffer(res.spanParams, 0, new Int32Array([n, tile.x, tile.y, tile.w, tile.h, 0, 0, 0]));
    computePass(device, gpu, enc, k.spans, [res.spanParams, buf, res.owner], n);
    submit(enc.finish());
    enc = device.createCommandEncoder({ label: `exact fill tile ${tile.index}` });
    drawn = true;
  }

  if (plan.nRuns > 0) {
    queue.writeBuffer(res.lineParams, 0, new Int32Array([
      plan.nRuns, tile.x, tile.y, tile.w, tile.h, add ? (add.wrap ? 1 : 2) : 0, add?.down ? 1 : 0, add?.lo ?? 0, add?.hi ?? 0, 0, 0, 0,
    ]));
    computePass(device, gpu, enc, k.lines, [res.lineParams, res.runs, res.owner], plan.nRuns);
    drawn = true;
  }

  // lines burning Z, merge 'replace' only: owner ids, one a step, whose values the kernels write
  const zParams = (count: number) => {
    const float32 = target.dtype === 'float32';
    const p = new Uint32Array(16);
    p.set([count, tile.x >>> 0, tile.y >>> 0, tile.w, tile.h, 0, 0, 0, 0, float32 ? 1 : 0, target.gridW, target.gridH]);
    // V3's range of an integer type; float32's FLT_MAX, beyond which V4 gives infinity
    p.set(f64Words(float32 ? 0 : DTYPES[target.dtype].min), 12);
    p.set(f64Words(DTYPES[target.dtype].max), 14);
    return p;
  };
  if (plan.nZRuns > 0) {
    queue.writeBuffer(res.zParams, 0, zParams(plan.nZRuns));
    computePass(device, gpu, enc, k.zline!, [res.zParams, res.zRuns, res.owner, res.values], plan.nZRuns);
    drawn = true;
  }
  if (plan.nZTouch > 0) {
    queue.writeBuffer(res.zTouchParams, 0, zParams(plan.nZTouch));
    computePass(device, gpu, enc, k.ztouch!, [res.zTouchParams, res.zTouch, res.owner, res.values], plan.nZTouch);
    drawn = true;
  }

  if (add && k.addTouch) {
    k.addTouch.encodeTile(enc, res.owner, tile, add);
    drawn = true;
  }

  if (plan.nTouch > 0) {
    // merge 'replace' walks: owner ids (merge 'add' walks are touchadd.wgsl's, above)
    queue.writeBuffer(res.touchParams, 0, new Int32Array([plan.nTouch, tile.x, tile.y, tile.w, tile.h, 0, 0, 0, 0, target.gridW, target.gridH, 0]));
    computePass(device, gpu, enc, k.touch!, [res.touchParams, res.touch, res.owner], plan.nTouch);
    drawn = true;
  }

  for (const g of groupsOf(plan, tile, add !== null)) {
    const regions = res.regionBuffer(g.nRegions);
    const shapeEdges = res.shapeEdgeBuffer(g.nRegions);
    const entries = res.entryBuffer(g.edges);
    queue.writeBuffer(regions, 0, src(g.regions));
    queue.writeBuffer(shapeEdges, 0, src(g.shapeEdges));
    queue.writeBuffer(res.parityParams, 0, new Uint32Array([
      g.regionRows, g.nRegions, 0, 0, 0, add ? (add.wrap ? 1 : 2) : 0, add?.down ? 1 : 0, add?.lo ?? 0, add?.hi ?? 0, 0, 0, 0,
    ]));
    enc.clearBuffer(res.bits, 0, g.words * 4);
    // the entries and their crossing counts, the counts scanned into starts, then the toggle
    // dispatch sized on the GPU from the total (the host never sees the edges of a tile)
    encodeGroupEntries(device, gpu, enc, k, res, g, plan.nEdges, {
      entryParams: res.entryParams, toggleParams: res.toggleParams, toggleArgs: res.toggleArgs, edges: res.edges, edgeRows: res.edgeRows,
      counts: res.counts, entries, regions, shapeEdges, bits: res.bits, counter: res.counter,
    });
    computePass(device, gpu, enc, k.parity, [res.parityParams, regions, res.bits, res.owner], g.regionRows);
    // the next group rewrites the entry, region and parameter buffers: this one goes first
    submit(enc.finish());
    enc = device.createCommandEncoder({ label: `exact fill tile ${tile.index}` });
    drawn = true;
  }

  const bytes = opts.bytes;
  const outBytes = align4(pixels * bytes);
  if (add) {
    encodePack(device, (add.pipes ??= pipelinesFor(device)), gpu, enc, { params: res.packParams, acc: res.owner, packed: res.out }, {
      cells: pixels, bytes, signed: add.signedCells ? 1 : 0, lo: add.lo, hi: add.hi,
    });
    enc.copyBufferToBuffer(res.out, 0, staging, 0, outBytes);
    if (last) res.copyCounter(enc);
    submit(enc.finish());
    return drawn;
  }
  if (opts.initBits === undefined) queue.writeBuffer(res.out, 0, src(tileValues(target, tile, bytes)));
  queue.writeBuffer(res.resolveParams, 0, new Uint32Array([outBytes / 4, bytes, pixels, opts.initBits === undefined ? 0 : 1, (opts.initBits ?? 0) >>> 0, 0, 0, 0]));
  computePass(device, gpu, enc, k.resolve, [res.resolveParams, res.owner, res.values, res.out], outBytes / 4);
  enc.copyBufferToBuffer(res.out, 0, staging, 0, outBytes);
  if (last) res.copyCounter(enc);
  submit(enc.finish());
  return drawn;
}

/** One dispatch of `pipeline` over `invocations`, its buffers bound in binding order. */
export function computePass(device: GPUDevice, gpu: GpuPlan, enc: GPUCommandEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], invocations: number): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  }));
  dispatch64(pass, gpu, invocations);
  pass.end();
}

// the target's current values of one tile, tightly packed as the GPU holds them (float64 as float32,
// exact by the caller's checks), padded to whole 32-bit words
function tileValues(target: WindowPixels, tile: Tile, bytes: number): ArrayBufferView {
  const { data, width, x0, y0 } = target;
  const n = align4(tile.w * tile.h * bytes) / bytes;
  const out: TypedArray = target.dtype === 'float64' ? new Float32Array(n) : new (data.constructor as new (n: number) => TypedArray)(n);
  if (tile.w === width) {
    out.set(data.subarray((tile.y - y0) * width, (tile.y - y0 + tile.h) * width));
  } else {
    for (let r = 0; r < tile.h; r++) {
      const o = (tile.y - y0 + r) * width + tile.x - x0;
      out.set(data.subarray(o, o + tile.w), r * tile.w);
    }
  }
  return out;
}

// GPU buffers whose mapped memory backs a result array: alive as long as the array's buffer is
// (a GPUBuffer collected or destroyed would free the memory under the view)
const keepMapped = new WeakMap<ArrayBufferLike, GPUBuffer>();

// the mapped readback of a whole-grid tile as an array of the target's type (its first pixels)
function mappedView(staging: GPUBuffer, bytes: number, target: ExactFillTarget): TypedArray {
  const mapped = staging.getMappedRange(0, bytes);
  keepMapped.set(mapped, staging);
  const n = target.width * target.height;
  return new (target.data.constructor as new (b: ArrayBuffer, o: number, n: number) => TypedArray)(mapped, 0, n);
}

// the packed tile into the target's rows (float32 widened for float64 targets)
function unpack(mapped: ArrayBuffer, tile: Tile, target: WindowPixels): void {
  const { data, width, x0, y0 } = target;
  const n = tile.w * tile.h;
  let values: TypedArray;
  if (target.dtype === 'float64') values = new Float32Array(mapped, 0, n);
  else values = new (data.constructor as new (b: ArrayBuffer, o: number, n: number) => TypedArray)(mapped, 0, n);
  if (tile.w === width) {
    data.set(values, (tile.y - y0) * width);
    return;
  }
  for (let r = 0; r < tile.h; r++) data.set(values.subarray(r * tile.w, (r + 1) * tile.w), (tile.y - y0 + r) * width + tile.x - x0);
}

// output types whose conversion zline.wgsl makes (V3's integers up to 32 bits, V4's float32); a
// float64 output travels as float32 only when exact, which a value computed on the GPU cannot promise
function zLinesOnGpu(dtype: DType): boolean {
  return dtype === 'float32' || (DTYPES[dtype].integer && DTYPES[dtype].bytes <= 4);
}

/** How one merge-'add' burn accumulates: add.wgsl's and pack.wgsl's parameters. */
interface AddMode {
  pipes: Pipelines | null;
  /** plain wrapping adds (no pixel's total can leave the 32-bit range), else saturating visits */
  wrap: boolean;
  down: boolean;
  /** accumulators hold two's complement values */
  signedCells: boolean;
  lo: number;
  hi: number;
}

// decides wrap or saturate from a bound on every pixel's total (each visit at most the type's span),
// and turns the increments into what the kernels add (wrapping adds of negative burns add -|v|)
function addMode(plan: FillPlan, spec: AddSpec, bytes: number): AddMode {
  const range = spec.max - spec.min;
  const v = plan.values;
  let sum = 0;
  for (let o = 3; o < plan.spans.length; o += SPAN_WORDS) sum += Math.min(v[plan.spans[o] - 1], range);
  for (let s = 0; s < plan.fills; s++) sum += Math.min(v[plan.fillId[s] - 1], range);
  // a run visits a pixel at most once (its major axis moves every step)
  const runs = plan.runs;
  for (let o = RUN_WORDS - 1; o < runs.length; o += RUN_WORDS) sum += Math.min(v[runs[o] - 1], range);
  // an all-touched segment visits a pixel at most once (A6 and touchadd.wgsl's list)
  const walks = plan.addTouch;
  for (let o = 12; o < walks.length; o += ADD_TOUCH_WORDS) sum += Math.min(v[walks[o] - 1], range);
  const down = spec.down();
  const wrap = bytes < 4 && Math.max(Math.abs(spec.min), spec.max) + sum < 2 ** 31;
  if (wrap && down) for (let k = 0; k < v.length; k++) v[k] = -v[k] >>> 0;
  // lines.wgsl adds the increment itself: the runs' owner ids become increments
  for (let o = RUN_WORDS - 1; o < runs.length; o += RUN_WORDS) runs[o] = v[runs[o] - 1];
  for (let o = 12; o < walks.length; o += ADD_TOUCH_WORDS) walks[o] = v[walks[o] - 1];
  return { pipes: null, wrap, down, signedCells: wrap || spec.signed, lo: spec.min >>> 0, hi: spec.max >>> 0 };
}

// merge 'add', first half of a tile: accumulators from init or the target, then the host spans as
// add.wgsl rectangles; submits what it encoded
function encodeAddSpans(
  device: GPUDevice, gpu: GpuPlan, add: AddMode, res: FillBuffers, plan: FillPlan, tile: Tile,
  target: WindowPixels, initBits: number | undefined, spans: Int32Array, enc: GPUCommandEncoder,
): boolean {
  const queue = device.queue;
  const pipes = (add.pipes ??= pipelinesFor(device));
  const cells = tile.w * tile.h;
  const group = (params: GPUBuffer, rects: GPUBuffer) => device.createBindGroup({
    layout: pipes.addLayout,
    entries: [
      { binding: 0, resource: { buffer: res.tileUniform } },
      { binding: 1, resource: { buffer: params } },
      { binding: 2, resource: { buffer: res.owner } },
      { binding: 3, resource: { buffer: rects } },
    ],
  });
  // sized once for the largest chunk: a buffer replaced while this encoder still names it would fail
  const rects = res.rectBuffer(Math.max(1, Math.min(SPAN_CHUNK, spans.length / SPAN_WORDS)));
  queue.writeBuffer(res.tileUniform, 0, packTile({ origin: [tile.x, tile.y], size: [tile.w, tile.h] }));
  if (initBits === undefined) {
    const acc = add.signedCells ? new Int32Array(cells) : new Uint32Array(cells);
    for (let r = 0; r < tile.h; r++) {
      const o = (tile.y - target.y0 + r) * target.width + tile.x - target.x0;
      acc.set(target.data.subarray(o, o + tile.w), r * tile.w);
    }
    queue.writeBuffer(res.owner, 0, acc);
  } else {
    queue.writeBuffer(res.addParams, 0, packAddParams({ count: cells, down: 0, lo: add.lo, hi: add.hi, init: initBits >>> 0 }));
    const pass = enc.beginComputePass();
    pass.setPipeline(pipes.compute('fill'));
    pass.setBindGroup(0, group(res.addParams, rects));
    dispatch64(pass, gpu, cells);
    pass.end();
    // the span chunks rewrite the parameters: the fill goes first
    queue.submit([enc.finish()]);
    enc = device.createCommandEncoder();
  }
  let drawn = false;
  const v = plan.values;
  for (let f = 0; f < spans.length; f += SPAN_CHUNK * SPAN_WORDS) {
    const n = Math.min(SPAN_CHUNK, (spans.length - f) / SPAN_WORDS);
    const words = new Uint32Array(n * RECT_WORDS);
    for (let k = 0, o = f; k < n; k++, o += SPAN_WORDS) {
      const r = k * RECT_WORDS;
      words[r] = spans[o + 1];
      words[r + 1] = spans[o + 2];
      words[r + 2] = spans[o];
      words[r + 3] = spans[o];
      words[r + 4] = v[spans[o + 3] - 1];
    }
    queue.writeBuffer(rects, 0, words);
    queue.writeBuffer(res.addParams, 0, packAddParams({ count: n, down: add.down ? 1 : 0, lo: add.lo, hi: add.hi, init: 0 }));
    const pass = enc.beginComputePass();
    pass.setPipeline(pipes.compute(add.wrap ? 'add_wrap' : 'add_sat'));
    pass.setBindGroup(0, group(res.addParams, rects));
    dispatch64(pass, gpu, n);
    pass.end();
    // the rectangle buffer and parameters are rewritten by the next chunk: this one goes first
    queue.submit([enc.finish()]);
    enc = device.createCommandEncoder();
    drawn = true;
  }
  queue.submit([enc.finish()]);
  return drawn;
}
