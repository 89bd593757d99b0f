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
import type { StoppableWorker } from './node-worker-stop.js';

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
  /** aborts the wait for Redis at start (startWorker then rejects) */
  signal?: AbortSignal;
}

/** A started worker: node-worker-stop.ts's stopWorker stops it. */
export interface RunningWorker extends StoppableWorker {
  /** the GPU it burns on, null for the CPU */
  gpu: string | null;
}

/** How long a worker waits for Redis at start before it exits with one line. */
export const CONNECT_SECONDS = 10;

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

/** `p`, or a rejection once `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('stopped before Redis answered'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Starts a worker; resolves once it is connected. close() lets running tasks finish. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
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
  // tasks taken whose end Redis has not recorded (BullMQ emits completed/failed once it has); a finish
  // that never reaches Redis leaves its id here, as the task is then still unfinished for the queue
  const held = new Set<string>();
  const worker = new mq.Worker(QUEUE_NAME, async (job) => {
    if (job.id !== undefined) held.add(job.id);
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
  worker.on('completed', (job) => { if (job.id !== undefined) held.delete(job.id); });
  worker.on('failed', (job, err) => {
    if (job?.id !== undefined) held.delete(job.id);
    log(`task ${job?.id ?? '?'} failed: ${err.message.split('\n')[0]}`);
  });
  // ioredis retries a lost connection about every second, each try an error: a line for each cause
  // the first time it comes in an outage, one when Redis answers again
  const outage = new Set<string>();
  let cause = '';
  let connected = false;
  worker.on('error', (err) => {
    cause = err.message.split('\n')[0];
    if (outage.has(cause)) return;
    log(connected ? `queue: ${cause}${outage.size ? '' : ' (retrying)'}` : `cannot reach Redis at ${opts.redis} (${cause}): retrying for ${CONNECT_SECONDS} s`);
    outage.add(cause);
  });
  try {
    await withTimeout(untilAborted(worker.waitUntilReady(), opts.signal), CONNECT_SECONDS * 1000, `cannot reach Redis at ${opts.redis}`);
  } catch (e) {
    void worker.disconnect().catch(() => {});
    // the cause ioredis gave (refused, unknown host, ...) says more than the timeout
    throw cause && !opts.signal?.aborted ? new Error(`${(e as Error).message} (${cause})`) : e;
  }
  connected = true;
  outage.clear();
  // resolves once connected (BullMQ's client is the promise of its connection's start)
  const client = await worker.getBackend().client;
  client.on('ready', () => {
    if (outage.size) log(`Redis at ${opts.redis} answers again`);
    outage.clear();
  });
  return {
    gpu: gpu?.label ?? null,
    close: () => worker.close(),
    held: () => held.size,
    async redisAnswers(ms) {
      // a command sent while ioredis reconnects would wait in its offline queue: only a ready client is asked
      if (client.status !== 'ready') return false;
      try {
        await withTimeout(client.get(`${QUEUE_NAME}:ping`), ms, 'Redis');
        return true;
      } catch {
        return false;
      }
    },
    abandon: () => { void worker.disconnect().catch(() => {}); },
  };
}
