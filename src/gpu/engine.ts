// The WebGPU engine's entry: option checks, then the exact GPU fill (fill/) for merge 'replace'
// with gpuFill 'spans', else the span/triangle path (prepare.ts on the CPU, tile-job.ts on the GPU).
import { abortError, now } from '../abort.js';
import { converter, DTYPES } from '../dtype.js';
import { KIND_POLYGON, type ShapeSet } from '../features/shapes.js';
import type { ProgressInfo, TypedArray } from '../types.js';
import { getWebGPUDevice, planFor, type AdapterDescription } from './device.js';
import { GpuUnsupportedError } from './errors.js';
import { burnExactFill, type GridWindow } from './fill/exact.js';
import { f32Exact, gpuFormat, pixelBits } from './formats.js';
import { pipelinesFor } from './pipelines.js';
import { IntegerIncrements, onFloatGrid, planTiles, prepareTiles, type Mode } from './prepare.js';
import type { GpuResourcePool } from './resources.js';
import { lostGuard, scoped } from './scopes.js';
import type { WebGPUTarget } from './target.js';
import { runTiles } from './tile-job.js';

export { GpuUnsupportedError, WebGPUUnavailableError } from './errors.js';
export { describeAdapter, getWebGPUDevice, releaseWebGPUDevice } from './device.js';
export { planTiles } from './prepare.js';
export { DEFAULT_POOL_BUDGET, GpuResourcePool } from './resources.js';
export type { WebGPUTarget } from './target.js';
export type { GridWindow } from './fill/exact.js';

/**
 * How polygon interiors reach the GPU. 'spans' (default, exact): the GPU computes GDAL's row
 * crossings itself (float32 with a proven error bound, emulated float64 where the bound cannot
 * decide) and their even-odd parity, then each pixel's last burn (merge 'replace') or its sum of
 * visits (merge 'add' into integer types) (src/gpu/fill/); merge 'add' into float32 draws the CPU
 * rules' spans with blending. Identical to the CPU engine either way. 'triangles': valid polygons are
 * earcut-triangulated and rasterized by the hardware (pixel centres within its sub-pixel snap of an
 * edge may differ from GDAL); everything else still goes as spans.
 */
export type GpuFill = 'spans' | 'triangles';

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
  /**
   * target.data is a fresh array the caller will replace by the result: when one GPU readback holds
   * the whole result, it comes back as WebGPUBurnResult.data, a view of the mapped readback, and
   * target.data is left as it was (saves copying the result on the host). The view stays valid as
   * long as the device does: destroying the device, or its loss, unmaps the readback and empties it.
   * Call WebGPUBurnResult.release() once done with the view: with a `pool`, the next burn then
   * reuses the readback instead of making (and on some adapters zero-filling) a new one.
   */
  viewResult?: boolean;
  /** the clock the exact fill's hostMs and hostSteps are read with, in ms (default performance.now); e.g. a thread CPU clock in a benchmark */
  hostClock?: () => number;
  /**
   * Burn only this window of the target.width x target.height grid: target.data then holds the
   * window's window.width x window.height pixels, each the one the whole grid's burn gives it (the
   * shapes stay in the whole grid's pixel space). The exact fill only ('spans'; merge 'replace', or
   * 'add' into an integer type): other burns throw GpuUnsupportedError.
   */
  window?: GridWindow;
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
  /** polygon crossings (edge, row) the GPU computed, and how many needed its exact float64 path (0 off the GPU fill) */
  crossings: number;
  exactFallbacks: number;
  /** main-thread milliseconds of the burn outside waits for the device (preparation, encoding, unpacking) */
  hostMs: number;
  /** the exact fill's hostMs by step (planning, buffers and uploads, encoding, submitting, making readbacks and starting their maps, unpacking); absent on other paths */
  hostSteps?: { plan: number; buffers: number; encode: number; submit: number; readback: number; unpack: number };
  /** lines the exact fill walked on the GPU, and those burned as host spans (docs/pixel-rules.md D4: Z outside D8/D9's domain, walks beyond C ints) */
  linesOnGpu?: number;
  linesOnCpu?: number;
  /** ALL_TOUCHED segments the exact fill walked on the GPU (touch.wgsl's stepped ones and vertical columns, touchadd.wgsl's of merge 'add'); the rest were walked on the host */
  touchSegments?: number;
  /** with viewResult: the burned pixels, when they were not written into target.data */
  data?: TypedArray;
  /**
   * With `data`: ends the view (the array empties to length 0) and hands its readback buffer back
   * to the burn's `pool` for the next burn, or frees it without one. Calling it again does nothing.
   * @example
   * const r = await burnShapesWebGPU(shapes, target, { pool, viewResult: true, init: 0 });
   * const pixels = r.data ?? target.data;
   * await write(pixels);
   * r.release?.();
   */
  release?: () => void;
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
  const win = opts.window;
  if (win !== undefined) {
    const ok = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
    if (!ok(win.x, 0, width - 1) || !ok(win.y, 0, height - 1) || !ok(win.width, 1, width - win.x) || !ok(win.height, 1, height - win.y)) {
      throw new Error(`window ${win.x},${win.y} ${win.width} x ${win.height} is not inside the ${width} x ${height} grid`);
    }
    if (data.length !== win.width * win.height) throw new Error(`target data has ${data.length} pixels, expected the window's ${win.width} x ${win.height} = ${win.width * win.height}`);
  } else if (data.length !== width * height) throw new Error(`target data has ${data.length} pixels, expected ${width} x ${height} = ${width * height}`);
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

  const exact = (mode === 'replace' || mode === 'add-int') && fill === 'spans';
  if (win !== undefined && !exact) throw new GpuUnsupportedError(`a window of a larger grid burns on the GPU's exact fill only (gpuFill 'spans'; merge 'replace', or 'add' into an integer type); use the CPU backend`);
  if (exact) {
    const guard = lostGuard(device);
    const adds = new IntegerIncrements();
    const r = await burnExactFill(device, plan, guard, shapes, target, {
      allTouched: !!opts.allTouched,
      burnZ: !!opts.burnZ,
      initBits: init === undefined ? undefined : pixelBits(dtype, init, 'init'),
      bytes: fmt.gpuBytes as 1 | 2 | 4,
      add: mode === 'add-int' ? { min: type.min, max: type.max, signed: fmt.signed, down: () => adds.down } : undefined,
      encode: mode === 'replace' ? (v, i) => pixelBits(dtype, conv(v), `burn of shape ${i}`) : (v, i) => adds.encode(v, i),
      memoryBudget: opts.memoryBudget ?? plan.memoryBudget,
      maxTileSize: opts.maxTileSize ?? Infinity,
      pool: opts.pool,
      view: opts.viewResult,
      hostClock: opts.hostClock,
      signal,
      onProgress,
      window: win,
    });
    const total = now() - t0;
    onProgress?.({ fraction: 1, done: shapes.count, total: shapes.count });
    return {
      adapterInfo: plan.adapter, adapter: plan.adapter.label, fill: 'spans',
      tiles: r.tiles, tilesDrawn: r.tilesDrawn, tileWidth: r.tileWidth, tileHeight: r.tileHeight,
      rects: r.spans, triangles: 0, polygonsTriangulated: 0, polygonsAsSpans: r.polygonsOnCpu,
      ms: { prepare: r.prepareMs, gpu: r.gpuMs, total },
      crossings: r.crossings, exactFallbacks: r.exactFallbacks, hostMs: r.hostMs, hostSteps: r.host,
      linesOnGpu: r.linesOnGpu, linesOnCpu: r.linesOnCpu, touchSegments: r.touchSegments,
      ...(r.data ? { data: r.data, release: r.release } : {}),
    };
  }

  const gpuBytes = mode === 'add-float' ? 4 : fmt.gpuBytes;
  const layout = planTiles(plan, width, height, gpuBytes, mode === 'add-int', opts.memoryBudget ?? plan.memoryBudget, opts.maxTileSize ?? Infinity);
  const total = shapes.count;
  const prepared = await prepareTiles(shapes, layout, {
    mode, dtype, triangles: fill === 'triangles', allTouched: !!opts.allTouched, burnZ: !!opts.burnZ, signal, onProgress,
  });
  const tPrepared = now();

  const [pipes, compiled] = scoped(device, 'compiling the shaders', () => pipelinesFor(device));
  await lostGuard(device)(compiled);
  if (opts.pool && opts.pool.device !== device) throw new Error('the resource pool belongs to another GPU device');
  const drawn = await runTiles(
    { device, plan, pipes, target, layout, mode, init, pool: opts.pool ?? null, work: prepared.work },
    signal,
    (done, all) => onProgress?.({ fraction: 0.5 + (0.5 * done) / all, done: total, total }),
  );
  const t1 = now();
  onProgress?.({ fraction: 1, done: total, total });
  return {
    adapterInfo: plan.adapter,
    adapter: plan.adapter.label,
    fill: prepared.useTriangles ? 'triangles' : 'spans',
    tiles: layout.tilesX * layout.tilesY,
    tilesDrawn: drawn.tilesDrawn,
    tileWidth: layout.tileW,
    tileHeight: layout.tileH,
    rects: drawn.rects,
    triangles: drawn.triangles,
    polygonsTriangulated: prepared.work.tris.length,
    polygonsAsSpans: prepared.useTriangles ? prepared.asSpans : shapes.kind.reduce((n, k) => n + (k === KIND_POLYGON ? 1 : 0), 0),
    ms: { prepare: tPrepared - t0, gpu: t1 - tPrepared, total: t1 - t0 },
    crossings: 0,
    exactFallbacks: 0,
    // this path's host work is its CPU span preparation; the tile loop's own share is not split out
    hostMs: tPrepared - t0,
  };
}
