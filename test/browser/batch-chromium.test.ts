// The batch API in headless Chromium (the browser bundle, WebGPU on SwiftShader through navigator.gpu):
// rasterizeBatch on 'webgpu' and 'cpu' hands back, in job order, the arrays of single rasterize() calls in
// the same page, and those equal Node's CPU engine; prepared features cross a postMessage to a worker.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rasterize } from '../../src/rasterize.js';
import type { GpuStats } from '../../src/burn/stats.js';
import type { Grid, RasterizeOptions } from '../../src/types.js';
import { freshBundle, type Bundle } from './bundle.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './server.js';
import { LATTICE_OFFSETS, latticeScene, randomScene } from '../shared/batch-scenes.js';
import { ADVERSARIAL_MODES, hugeScenes, latticeScenes } from '../shared/adversarial-scenes.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the Chromium batch tests: ${missing}`);

/** FNV-1a over the raw bytes, as in the page below */
function hashTyped(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// jobs of random scenes: replace-mode ones the batch kernel takes and others it hands to the engine
interface PageJob { features: unknown; grid: Grid; options: RasterizeOptions }
function jobs(): PageJob[] {
  const out: PageJob[] = [];
  const opts: RasterizeOptions[] = [
    { attribute: 'id', dtype: 'uint16' },
    { attribute: 'v', dtype: 'int16', allTouched: true, init: -2 },
    { burn: 5, dtype: 'uint8' },
    { attribute: 'v', dtype: 'float32', merge: 'add' },
    { burnZ: true, dtype: 'int32' },
  ];
  for (let k = 0; k < 20; k++) {
    const { features, grid } = randomScene(300 + k, 40 + (k % 3) * 21, 30 + (k % 4) * 9);
    out.push({ features, grid, options: opts[k % opts.length] });
  }
  // vertices on pixel centres and edges and 1e-9 off them, grids of different sizes: ties for the exact path
  for (let k = 0; k < 12; k++) {
    const { features, grid } = latticeScene(400 + k, 20 + 7 * k, 9 + 5 * (k % 4), LATTICE_OFFSETS[k % LATTICE_OFFSETS.length]);
    out.push({ features, grid, options: { attribute: 'v', dtype: k < 6 ? 'int16' : 'float32', init: k % 3, allTouched: k % 5 === 2 } });
  }
  // the adversarial scenes (1e-9 offsets, beyond 2^28 px, 1e15 world units), two modes each: every mode at least once
  [...latticeScenes(500, 61, 43), ...hugeScenes(500, 61, 43)].forEach((s, i) => {
    for (const m of [ADVERSARIAL_MODES[i % ADVERSARIAL_MODES.length], ADVERSARIAL_MODES[(i + 5) % ADVERSARIAL_MODES.length]]) {
      out.push({ features: s.features, grid: s.grid, options: m.options });
    }
  });
  return out;
}

let bundle: Bundle;
let server: StaticServer;
let chromium: Chromium;
let page: Page;

describe.skipIf(missing !== null)('rasterizeBatch in headless Chromium', () => {
  beforeAll(async () => {
    bundle = freshBundle();
    server = await startStaticServer({ '/dist/': bundle.dir, '/': 'test/browser/pages' });
    chromium = await launchChromium();
    page = await chromium.open(`${server.origin}/index.html`);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    bundle?.cleanup();
  });

  test('webgpu and cpu batches equal single calls in the page and Node\'s CPU engine', async () => {
    const js = jobs();
    const want: string[] = [];
    for (const j of js) want.push(hashTyped((await rasterize(j.features as never, j.grid, j.options)).data));
    const got = await page.evaluate(`(async (jobs) => {
      const rb = await import('/dist/rasterburn.js');
      const hash = (a) => { const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); let h = 0x811c9dc5; for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193); return (h >>> 0).toString(16).padStart(8, '0'); };
      const out = {};
      for (const backend of ['webgpu', 'cpu']) {
        const r = await rb.createRasterizer({ backend });
        const progress = [];
        const batch = [];
        for await (const x of r.rasterizeBatch(jobs, { onProgress: (p) => progress.push(p.done) })) batch.push({ hash: hash(x.data), backend: x.stats.backend, gpu: x.stats.gpu ?? null });
        const singles = [];
        for (const j of jobs) singles.push(hash((await rb.rasterize(j.features, j.grid, { ...j.options, backend })).data));
        out[backend] = { adapter: r.adapter ?? null, batch, singles, progress };
        r.destroy();
      }
      // prepared features, moved to a worker and back: still the same arrays there
      const p = rb.prepare(jobs[0].features, { attribute: 'id' });
      const worker = new Worker(URL.createObjectURL(new Blob([
        "onmessage = async (e) => { const rb = await import(e.data.url); const r = await rb.rasterize(e.data.p, e.data.grid, { dtype: 'uint16' }); postMessage(r.data, [r.data.buffer]); };",
      ], { type: 'text/javascript' })), { type: 'module' });
      const data = await new Promise((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ url: location.origin + '/dist/rasterburn.js', p, grid: jobs[0].grid }, rb.preparedTransferables(p));
      });
      worker.terminate();
      out.worker = hash(data);
      return out;
    })(${JSON.stringify(js)})`) as Record<'webgpu' | 'cpu', { adapter: string | null; batch: { hash: string; backend: string; gpu: GpuStats | null }[]; singles: string[]; progress: number[] }> & { worker: string };
    expect(got.webgpu.adapter).toMatch(/^(GPU|software adapter): /);
    for (const b of ['webgpu', 'cpu'] as const) {
      expect(got[b].batch.map((x) => x.hash), `${b} batch`).toEqual(want);
      expect(got[b].singles, `${b} singles`).toEqual(want);
      expect(got[b].progress).toEqual(js.map((_, k) => k + 1));
    }
    // the float32 'add' jobs are answered on the CPU (float32-blendable is missing on SwiftShader) or the GPU; the rest on the GPU
    expect(got.webgpu.batch.filter((x) => x.backend === 'webgpu').length).toBeGreaterThanOrEqual(28);
    const figures = got.webgpu.batch.map((x) => x.gpu).filter((g): g is GpuStats => g !== null);
    const crossings = figures.reduce((n, g) => n + g.crossings, 0), exact = figures.reduce((n, g) => n + g.exactFallbacks, 0);
    console.log(`Chromium batch: ${crossings} crossings on the GPU, ${exact} took the exact float64 path`);
    expect(exact).toBeGreaterThan(0);
    // the all-touched jobs' walks run in their units on the GPU (touch.wgsl touch_walk_jobs)
    const walked = figures.reduce((n, g) => n + (g.touchSegments ?? 0), 0);
    console.log(`Chromium batch: ${walked} all-touched segments walked on the GPU`);
    expect(walked).toBeGreaterThan(0);
    expect(got.worker).toBe(want[0]);
  });
});
