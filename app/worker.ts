// The burn worker: rasterize() on prepared features with the CPU engine or WebGPU (the worker's own
// device), the result's summary, and chips for training sets through rasterizeBatch. The CPU engine
// and the GPU fill's planning are synchronous, so a burn in progress cannot see a "cancel" message;
// the page cancels by terminating this worker (see app/engine.ts). Pixels and zips go back
// transferred, not copied.
import { zipSync } from 'fflate';
import { createRasterizer, rasterize, toGeoTIFF, toNpy, type BatchJob, type Rasterizer } from '../src/index.js';
import { chipGrids, chipIndex, type Chip } from './chips.js';
import type { BurnReply, BurnRequest } from './protocol.js';
import { summarize } from './summary.js';

const scope = self as unknown as {
  postMessage(message: BurnReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<BurnRequest>) => void): void;
};

async function chips(m: Extract<BurnRequest, { type: 'chips' }>): Promise<void> {
  const t0 = performance.now();
  const { size, onlyWithFeatures, format, backend, baseName } = m.chips;
  const list = chipGrids(m.grid, size, baseName, format);
  let rasterizer: Rasterizer;
  let fallbackReason: string | undefined;
  try {
    rasterizer = await createRasterizer({ backend });
  } catch (e) {
    // no WebGPU in this worker (or no adapter): the same jobs on the CPU
    fallbackReason = (e as Error).message;
    rasterizer = await createRasterizer({ backend: 'cpu' });
  }
  const jobs: BatchJob[] = list.map((c) => ({ features: m.features, grid: c.grid, options: m.options }));
  const files: Record<string, Uint8Array> = {};
  const written: { chip: Chip; burned: number }[] = [];
  let k = 0, skipped = 0;
  try {
    const run = rasterizer.rasterizeBatch(jobs, {
      onProgress: (p) => scope.postMessage({ type: 'progress', id: m.id, fraction: p.fraction ?? 0, done: p.done, total: list.length }),
    });
    for await (const raster of run) {
      const chip = list[k++];
      const burned = summarize(raster, 0).burned;
      if (onlyWithFeatures && burned === 0) {
        skipped++;
        continue;
      }
      files[chip.file] = new Uint8Array(format === 'tif' ? toGeoTIFF(raster) : toNpy(raster));
      written.push({ chip, burned });
    }
  } finally {
    rasterizer.destroy();
  }
  files[`${baseName}_index.geojson`] = new TextEncoder().encode(chipIndex(written, m.grid));
  // label chips are mostly runs of one value: the fastest deflate level already shrinks them well
  const zip = zipSync(files, { level: 1 });
  const buffer = zip.buffer as ArrayBuffer;
  scope.postMessage({ type: 'chips', id: m.id, zip: buffer, written: written.length, skipped, ms: performance.now() - t0, backend: rasterizer.backend, fallbackReason }, [buffer]);
}

scope.addEventListener('message', async (e) => {
  const m = e.data;
  try {
    if (m.type === 'burn') {
      const t0 = performance.now();
      let last = 0;
      const raster = await rasterize(m.features, m.grid, {
        ...m.options,
        backend: m.backend,
        onProgress: (p) => {
          // a bar that steps back reads as a restart: the fraction shown never falls
          last = Math.max(last, p.fraction);
          scope.postMessage({ type: 'progress', id: m.id, fraction: last, done: p.done, total: p.total, stage: p.stage });
        },
      });
      const ms = performance.now() - t0;
      scope.postMessage({ type: 'progress', id: m.id, fraction: 1, done: raster.stats.shapes, total: raster.stats.shapes, stage: 'counting the pixels' });
      const summary = summarize(raster);
      scope.postMessage({ type: 'done', id: m.id, raster, ms, summary }, [raster.data.buffer as ArrayBuffer]);
    } else if (m.type === 'chips') {
      await chips(m);
    }
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', id: m.id, name: error.name, message: error.message });
  }
});
