// Where the work runs. The data worker (app/data-worker.ts) parses and keeps the features and prepares
// them for each burn. The burn worker (app/worker.ts) burns on the CPU or with WebGPU, summarizes the
// result and cuts chips; cancelling terminates it. The page's main thread only routes messages: the
// GPU fill's host side (planning spans, unpacking tiles read back) takes seconds on a large input.
import { preparedTransferables, type Grid, type PreparedFeatures, type ProgressInfo, type RasterResult } from '../src/index.js';
import type { BurnReply, BurnRequest, ChipSettings, DataReply, DataRequest, WorkerBurnOptions } from './protocol.js';
import type { RasterSummary } from './summary.js';

/** What the page found at start-up: a WebGPU adapter to burn with, or why it will use the worker. */
export type EngineProbe =
  | { kind: 'webgpu'; vendor: string; architecture: string; software: boolean }
  | { kind: 'worker'; why: string };

/** A finished burn: the raster, its summary, how long rasterize() took, and where it ran. */
export interface BurnOutcome {
  raster: RasterResult;
  summary: RasterSummary;
  ms: number;
  engine: 'webgpu' | 'worker';
}

/** Work in progress. cancel() makes `result` reject with an AbortError. */
export interface Job<T> {
  result: Promise<T>;
  cancel(): void;
}
export type BurnJob = Job<BurnOutcome>;

// the adapter descriptions rasterburn's engine treats as software too (it never calls those a GPU)
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|warp/i;

/**
 * Asks the browser for a WebGPU adapter, as rasterize() will. Only to tell the user up front
 * which engine will run; rasterize() requests its own adapter and device.
 */
export async function probeWebGPU(): Promise<EngineProbe> {
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (!gpu) return { kind: 'worker', why: 'this browser has no WebGPU (navigator.gpu is undefined)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { kind: 'worker', why: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { kind: 'worker', why: 'navigator.gpu.requestAdapter() found no adapter' };
  const info = adapter.info;
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true
    || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const software = fallback || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
  return { kind: 'webgpu', vendor: info.vendor, architecture: info.architecture, software };
}

function abortError(): DOMException {
  return new DOMException('the burn was cancelled', 'AbortError');
}

function replyError(m: { name: string; message: string }): Error {
  return Object.assign(new Error(m.message), { name: m.name });
}

// the bundles sit next to the page's own: bundle/<name>/rasterburn.js (see scripts/serve-app.mjs)
function bundleUrl(name: 'worker' | 'data'): URL {
  return new URL(`bundle/${name}/rasterburn.js`, document.baseURI);
}

let nextId = 1;

/** The data worker: one for the page's lifetime, holding the loaded features. */
export class DataWorker {
  private readonly worker = new Worker(bundleUrl('data'), { type: 'module' });
  private readonly pending = new Map<number, { resolve(m: DataReply): void; reject(e: unknown): void; onStage?: (s: string) => void }>();

  constructor() {
    this.worker.addEventListener('message', (e: MessageEvent<DataReply>) => {
      const m = e.data, p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'stage') {
        p.onStage?.(m.stage);
        return;
      }
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(replyError(m));
      else p.resolve(m);
    });
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      const err = new Error(`the data worker failed: ${e.message || `could not load ${bundleUrl('data').href}`}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  /** Sends `request` (its id is filled in) and resolves with the reply of the expected type. */
  request<T extends DataReply['type']>(request: DistributiveOmit<DataRequest, 'id'>, expect: T, onStage?: (s: string) => void): Promise<Extract<DataReply, { type: T }>> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (m) => (m.type === expect ? resolve(m as Extract<DataReply, { type: T }>) : reject(new Error(`data worker answered ${m.type} to ${request.type}`))),
        reject,
        onStage,
      });
      this.worker.postMessage({ ...request, id } as DataRequest);
    });
  }
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One burn worker, started on first use and replaced after a cancel (a terminated worker cannot be reused). */
let burnWorker: Worker | null = null;

/** Runs one request on the burn worker; progress replies go to `onProgress`; cancel() terminates the worker. */
function onBurnWorker(request: BurnRequest, transfer: Transferable[], onProgress?: (p: ProgressInfo) => void): Job<BurnReply> {
  const w = burnWorker ?? (burnWorker = new Worker(bundleUrl('worker'), { type: 'module' }));
  let settle: { resolve(o: BurnReply): void; reject(e: unknown): void } | null = null;
  const result = new Promise<BurnReply>((resolve, reject) => { settle = { resolve, reject }; });
  const done = (): void => {
    w.removeEventListener('message', onMessage);
    w.removeEventListener('error', onError);
    settle = null;
  };
  const onMessage = (e: MessageEvent<BurnReply>): void => {
    const m = e.data;
    if (m.id !== request.id) return;
    if (m.type === 'progress') {
      onProgress?.(m);
      return;
    }
    const s = settle;
    done();
    if (!s) return;
    if (m.type === 'error') s.reject(replyError(m));
    else s.resolve(m);
  };
  // the worker script itself failed (not found, or threw while loading)
  const onError = (e: ErrorEvent): void => {
    e.preventDefault();
    const s = settle;
    done();
    if (burnWorker === w) burnWorker = null;
    w.terminate();
    s?.reject(new Error(`the CPU worker failed to start: ${e.message || `could not load ${bundleUrl('worker').href}`}`));
  };
  w.addEventListener('message', onMessage);
  w.addEventListener('error', onError);
  w.postMessage(request, transfer);
  return {
    result,
    cancel: () => {
      const s = settle;
      if (!s) return;
      done();
      w.terminate();
      if (burnWorker === w) burnWorker = null;
      s.reject(abortError());
    },
  };
}

const transferables = preparedTransferables;

/** rasterize() in the burn worker, the prepared features handed over (not copied) and the result handed back. */
function burnOnWorker(backend: 'cpu' | 'webgpu', features: PreparedFeatures, grid: Grid, options: WorkerBurnOptions, onProgress: (p: ProgressInfo) => void): BurnJob {
  const job = onBurnWorker({ type: 'burn', id: nextId++, features, grid, options, backend }, transferables(features), onProgress);
  return {
    cancel: job.cancel,
    result: job.result.then((m) => {
      if (m.type !== 'done') throw new Error(`burn worker answered ${m.type} to a burn`);
      return { raster: m.raster, summary: m.summary, ms: m.ms, engine: backend === 'cpu' ? 'worker' : 'webgpu' };
    }),
  };
}

/** rasterize() with the CPU engine in the burn worker. */
export function burnInWorker(features: PreparedFeatures, grid: Grid, options: WorkerBurnOptions, onProgress: (p: ProgressInfo) => void): BurnJob {
  return burnOnWorker('cpu', features, grid, options, onProgress);
}

/**
 * rasterize() with WebGPU in the burn worker (its own device); progress comes from the GPU fill's
 * stages (spans planned, tiles drawn, tiles read back); cancel() terminates the worker, GPU work and all.
 */
export function burnWithWebGPU(features: PreparedFeatures, grid: Grid, options: WorkerBurnOptions, onProgress: (p: ProgressInfo) => void): BurnJob {
  return burnOnWorker('webgpu', features, grid, options, onProgress);
}

/** A finished chip run. */
export interface ChipsOutcome {
  zip: ArrayBuffer;
  written: number;
  skipped: number;
  ms: number;
  backend: 'cpu' | 'webgpu';
  fallbackReason?: string;
}

/** Cuts the grid into chips and burns them with rasterizeBatch in the burn worker; resolves with the zip. */
export function chipsInWorker(features: PreparedFeatures, grid: Grid, options: WorkerBurnOptions, chips: ChipSettings, onProgress: (p: ProgressInfo) => void): Job<ChipsOutcome> {
  const job = onBurnWorker({ type: 'chips', id: nextId++, features, grid, options, chips }, transferables(features), onProgress);
  return {
    cancel: job.cancel,
    result: job.result.then((m) => {
      if (m.type !== 'chips') throw new Error(`burn worker answered ${m.type} to chips`);
      const { zip, written, skipped, ms, backend, fallbackReason } = m;
      return { zip, written, skipped, ms, backend, fallbackReason };
    }),
  };
}
