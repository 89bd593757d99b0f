// Where a burn runs. With WebGPU: rasterize({ backend: 'webgpu' }) right here in the page (the GPU
// does the work; the page awaits it). Without WebGPU: the CPU engine in a Web Worker, so the page
// keeps painting the progress bar and answering clicks while it burns.
import { rasterize, type FeatureInput, type Grid, type ProgressInfo, type RasterResult } from '../src/index.js';
import type { BurnRequest, WorkerBurnOptions, WorkerReply } from './protocol.js';

/** What the page found at start-up: a WebGPU adapter to burn with, or why it will use the worker. */
export type EngineProbe =
  | { kind: 'webgpu'; vendor: string; architecture: string; software: boolean }
  | { kind: 'worker'; why: string };

/** A finished burn: the raster, how long rasterize() took, and where it ran. */
export interface BurnOutcome {
  raster: RasterResult;
  ms: number;
  engine: 'webgpu' | 'worker';
}

/** A burn in progress. cancel() makes `result` reject with an AbortError. */
export interface BurnJob {
  result: Promise<BurnOutcome>;
  cancel(): void;
}

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

/** rasterize() with WebGPU in the page; cancel() aborts it through its AbortSignal. */
export function burnWithWebGPU(features: FeatureInput, grid: Grid, options: WorkerBurnOptions, onProgress: (p: ProgressInfo) => void): BurnJob {
  const controller = new AbortController();
  const result = (async (): Promise<BurnOutcome> => {
    const t0 = performance.now();
    const raster = await rasterize(features, grid, { ...options, backend: 'webgpu', signal: controller.signal, onProgress });
    return { raster, ms: performance.now() - t0, engine: 'webgpu' };
  })();
  return { result, cancel: () => controller.abort(abortError()) };
}

/** One worker, started on first use and replaced after a cancel (a terminated worker cannot be reused). */
let worker: Worker | null = null;

function workerUrl(): URL {
  // next to the page's own bundle: served from bundle/worker/ (see scripts/serve-app.mjs)
  return new URL('bundle/worker/rasterburn.js', document.baseURI);
}

/** rasterize() with the CPU engine in a Web Worker; cancel() terminates the worker. */
export function burnInWorker(features: FeatureInput, grid: Grid, options: WorkerBurnOptions, onProgress: (p: ProgressInfo) => void): BurnJob {
  const w = worker ?? (worker = new Worker(workerUrl(), { type: 'module' }));
  let settle: { resolve(o: BurnOutcome): void; reject(e: unknown): void } | null = null;
  const result = new Promise<BurnOutcome>((resolve, reject) => { settle = { resolve, reject }; });
  const done = (): void => {
    w.removeEventListener('message', onMessage);
    w.removeEventListener('error', onError);
    settle = null;
  };
  const onMessage = (e: MessageEvent<WorkerReply>): void => {
    const m = e.data;
    if (m.type === 'progress') {
      onProgress(m);
      return;
    }
    const s = settle;
    done();
    if (!s) return;
    if (m.type === 'done') s.resolve({ raster: m.raster, ms: m.ms, engine: 'worker' });
    else s.reject(Object.assign(new Error(m.message), { name: m.name }));
  };
  // the worker script itself failed (not found, or threw while loading)
  const onError = (e: ErrorEvent): void => {
    e.preventDefault();
    const s = settle;
    done();
    if (worker === w) worker = null;
    w.terminate();
    s?.reject(new Error(`the CPU worker failed to start: ${e.message || `could not load ${workerUrl().href}`}`));
  };
  w.addEventListener('message', onMessage);
  w.addEventListener('error', onError);
  const request: BurnRequest = { type: 'burn', features, grid, options };
  w.postMessage(request);
  return {
    result,
    cancel: () => {
      const s = settle;
      if (!s) return;
      done();
      w.terminate();
      if (worker === w) worker = null;
      s.reject(abortError());
    },
  };
}
