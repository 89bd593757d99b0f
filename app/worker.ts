// The CPU fallback: rasterize() with the CPU engine, in a Web Worker so the page stays responsive
// while a large burn runs. The CPU engine is synchronous, so a burn in progress cannot see a
// "cancel" message; the page cancels by terminating this worker instead (see app/engine.ts).
import { rasterize } from '../src/index.js';
import type { BurnRequest, WorkerReply } from './protocol.js';

// the worker's global scope, typed here so the app compiles against the DOM library alone
const scope = self as unknown as {
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<BurnRequest>) => void): void;
};

scope.addEventListener('message', async (e) => {
  const { features, grid, options } = e.data;
  try {
    const t0 = performance.now();
    const raster = await rasterize(features, grid, {
      ...options,
      backend: 'cpu',
      onProgress: (p) => scope.postMessage({ type: 'progress', fraction: p.fraction, done: p.done, total: p.total }),
    });
    const ms = performance.now() - t0;
    // hand the pixels over without copying them
    scope.postMessage({ type: 'done', raster, ms }, [raster.data.buffer]);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: error.name, message: error.message });
  }
});
