// `rasterburn worker`: takes tile tasks and assembling parents from the queue. A tile task reads its
// partition of the features from the store, burns its window of the grid (on the CPU, or on the GPU
// with --backend webgpu/auto) and writes one tiled GeoTIFF (an atomic replace in the store, so a
// retried task replaces its own output whole); tiles with nothing burned are recorded as empty and
// not written when the job is sparse. The parent runs once every tile is done and writes the VRT
// over the written tiles into the store.
import { hostname } from 'node:os';
import { loadCrs } from '../crs.js';
import { toGeoTIFFParts } from '../io/tiff/write.js';
import type { ShapeSet } from '../features/shapes.js';
import { decodeShapes } from './shape-file.js';
import { JobStore } from './job-store.js';
import { openStore } from './node-open-store.js';
import type { ObjectStore } from './store.js';
import { burnTile } from './tile-burn.js';
import { burnTileWebGPU } from './tile-burn-gpu.js';
import { tileCount, tileRect, tileTransform, TILE_BLOCK, type TileJobSpec } from './tile-grid.js';
import { connectionFor, loadBullMQ, QUEUE_NAME, withTimeout } from './node-bullmq.js';
import { vrtXml } from './vrt.js';

/** A tile task's data. */
export interface TileTaskData { store: string; jobId: string; index: number; hasShapes: boolean }
/** The assembling parent's data. */
export interface AssembleTaskData { store: string; jobId: string }
/** What a tile task returns (kept by the parent). */
export interface TileResult { index: number; written: boolean; pixelsBurned: number; shapes: number; ms: number; burnMs: number; writeMs: number; gpu?: boolean }
/** What the parent returns: the tiles written, for the submitter's VRT. */
export interface AssembleResult {
  tiles: number;
  written: number[];
  empty: number;
  pixelsBurned: number;
  staleTemps: number;
  /** the tile tasks' own times summed, ms: whole tasks, their burns, their encoding and writing */
  taskMs: number;
  burnMs: number;
  writeMs: number;
  /** tiles burned on a GPU */
  gpuTiles: number;
}

/** Where a worker burns: the CPU engine, the GPU (webgpu: any adapter, a software one included), or auto (a hardware GPU, else the CPU). */
export type WorkerBackend = 'cpu' | 'webgpu' | 'auto';

export interface WorkerOptions {
  redis: string;
  /** tasks one process runs at once (default 1: a burn keeps one core busy) */
  concurrency?: number;
  /** seconds a task's lock lasts without renewal: a dead worker's task is taken over after about this long (default 30) */
  lockSeconds?: number;
  /** default 'cpu' */
  backend?: WorkerBackend;
  log?: (line: string) => void;
}

const EMPTY: ShapeSet = {
  count: 0, kind: new Uint8Array(0), value: new Float64Array(0), partStart: new Uint32Array(1), vertexStart: new Uint32Array(1),
  x: new Float64Array(0), y: new Float64Array(0), z: null, feature: new Uint32Array(0),
};

/** How a worker names itself on the tasks it takes: host and process id. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

// the GPU device a worker burns on, or null for the CPU; 'auto' takes only a hardware adapter
async function gpuDevice(backend: WorkerBackend, log: (line: string) => void): Promise<{ device: GPUDevice; label: string } | null> {
  if (backend === 'cpu') return null;
  const [{ requestDawnAdapter }, device] = await Promise.all([import('../gpu/dawn.js'), import('../gpu/device.js')]);
  device.setWebGPUProvider(() => requestDawnAdapter());
  try {
    const d = await device.getWebGPUDevice();
    const adapter = await device.describeAdapter(d);
    if (backend === 'auto' && adapter.software) {
      log(`${adapter.label} is a software rasterizer, slower than the CPU engine: --backend auto burns on the CPU (--backend webgpu to use it anyway)`);
      return null;
    }
    return { device: d, label: adapter.label };
  } catch (e) {
    if (backend === 'webgpu') throw new Error(`--backend webgpu: ${(e as Error).message.split('\n')[0]}`);
    log(`no GPU (${(e as Error).message.split('\n')[0]}): --backend auto burns on the CPU`);
    return null;
  }
}

/** Starts a worker; resolves once it is connected. close() lets running tasks finish. */
export async function startWorker(opts: WorkerOptions): Promise<{ close(): Promise<void>; gpu: string | null }> {
  const mq = await loadBullMQ();
  const log = opts.log ?? (() => {});
  const gpu = await gpuDevice(opts.backend ?? 'cpu', log);
  const stores = new Map<string, ObjectStore>();
  const jobStore = (root: string, jobId: string): JobStore => {
    let s = stores.get(root);
    if (!s) stores.set(root, s = openStore(root));
    return new JobStore(s, jobId);
  };
  const specs = new Map<string, Promise<TileJobSpec>>();
  const specOf = (store: JobStore): Promise<TileJobSpec> => {
    const key = store.dir;
    let p = specs.get(key);
    if (!p) {
      p = store.readSpec();
      specs.set(key, p);
      p.catch(() => specs.delete(key));
    }
    return p;
  };

  async function tile(data: TileTaskData): Promise<TileResult> {
    const t0 = performance.now();
    const store = jobStore(data.store, data.jobId);
    if (await store.isCancelled()) throw new mq.UnrecoverableError(`job ${data.jobId} was cancelled`);
    const spec = await specOf(store);
    const rect = tileRect(spec, data.index);
    const shapes = data.hasShapes ? decodeShapes(await store.readShapes(data.index), store.store.displayName(store.shapesKey(data.index))) : EMPTY;
    const tBurn = performance.now();
    let onGpu = false;
    let burned;
    if (gpu && shapes.count > 0) {
      const r = await burnTileWebGPU(spec, rect, shapes, gpu.device);
      onGpu = r.backend === 'webgpu';
      if (r.fallbackReason) log(`job ${data.jobId} tile ${data.index} on the CPU: ${r.fallbackReason}`);
      burned = r;
    } else {
      burned = await burnTile(spec, rect, shapes);
    }
    const tWrite = performance.now();
    const written = burned.touched || !spec.sparse;
    if (written) {
      const raster = {
        data: burned.data, width: rect.x1 - rect.x0, height: rect.y1 - rect.y0, dtype: spec.dtype,
        transform: tileTransform(spec.grid.transform, rect.x0, rect.y0), crs: spec.grid.crs, nodata: spec.nodata,
      };
      // the GeoTIFF keys of a CRS beyond the built-in ones need the EPSG table (and proj4 for proj4/WKT)
      await loadCrs(spec.grid.crs);
      await store.writeTile(rect, toGeoTIFFParts(raster, { layout: 'tiles', tileSize: TILE_BLOCK }));
    }
    const t1 = performance.now();
    const ms = Math.round(t1 - t0);
    log(`job ${data.jobId} tile ${data.index} (row ${rect.row}, column ${rect.col}): ${shapes.count} shapes, ${written ? 'written' : 'empty'}, ${onGpu ? 'GPU, ' : ''}${ms} ms`);
    return { index: data.index, written, pixelsBurned: burned.pixelsBurned, shapes: shapes.count, ms, burnMs: Math.round(tWrite - tBurn), writeMs: Math.round(t1 - tWrite), gpu: onGpu };
  }

  async function assemble(job: { data: AssembleTaskData; getChildrenValues(): Promise<Record<string, TileResult>> }): Promise<AssembleResult> {
    const store = jobStore(job.data.store, job.data.jobId);
    if (await store.isCancelled()) throw new mq.UnrecoverableError(`job ${job.data.jobId} was cancelled`);
    const spec = await specOf(store);
    const values = Object.values(await job.getChildrenValues());
    const written = values.filter((v) => v.written).map((v) => v.index).sort((a, b) => a - b);
    const staleTemps = await store.removeStaleTemps();
    await store.writeVrt(vrtXml(spec, written, (i) => ({ path: store.tileName(tileRect(spec, i)), relative: true })));
    const total = tileCount(spec);
    log(`job ${job.data.jobId} assembled: ${written.length} of ${total} tiles written`);
    return {
      tiles: total, written, empty: total - written.length,
      pixelsBurned: values.reduce((s, v) => s + v.pixelsBurned, 0),
      staleTemps,
      taskMs: values.reduce((s, v) => s + v.ms, 0),
      burnMs: values.reduce((s, v) => s + v.burnMs, 0),
      writeMs: values.reduce((s, v) => s + v.writeMs, 0),
      gpuTiles: values.reduce((s, v) => s + (v.gpu ? 1 : 0), 0),
    };
  }

  const lockDuration = Math.round((opts.lockSeconds ?? 30) * 1000);
  const worker = new mq.Worker(QUEUE_NAME, async (job) => {
    if (job.name === 'tile') return tile(job.data as TileTaskData);
    if (job.name === 'assemble') return assemble(job as never);
    throw new mq.UnrecoverableError(`unknown task '${job.name}'`);
  }, {
    connection: connectionFor(opts.redis),
    // recorded on each task it takes (processedBy): which host and process holds a tile
    name: workerName(),
    concurrency: opts.concurrency ?? 1,
    lockDuration,
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    // a tile whose worker died is taken over; three deaths in a row fail it
    maxStalledCount: 3,
  });
  worker.on('failed', (job, err) => log(`task ${job?.id ?? '?'} failed: ${err.message.split('\n')[0]}`));
  // before it is ready a connection error is the one-line error the command exits with
  worker.on('error', () => {});
  try {
    await withTimeout(worker.waitUntilReady(), 10_000, `cannot reach Redis at ${opts.redis}`);
  } catch (e) {
    void worker.disconnect().catch(() => {});
    throw e;
  }
  worker.on('error', (err) => log(`queue: ${err.message.split('\n')[0]}`));
  return { close: () => worker.close(), gpu: gpu?.label ?? null };
}
