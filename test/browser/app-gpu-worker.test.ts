// The page's WebGPU burn runs in the burn worker, not on the page's main thread: its progress bar rises
// through the GPU fill's own stages (spans planned, tiles drawn, tiles read back) and never falls, Cancel
// stops it mid-way, and its pixels equal the CPU worker's. The page's own thread never asks for a device.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type AppFixture } from './app/fixture.js';
import { openApp, rasterizeAndWait, resultInPage, setField, summaryOf, textOf, waitForData } from './app/page.js';
import { chromiumMissing } from './chromium.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the page's WebGPU worker test: ${missing}`);

declare global {
  interface Window {
    devicesOnPage: number;
    progressSeen: { value: number; text: string }[];
  }
}

/** 20,000 small squares and 40 large rings over a 6000 x 6000 grid in pixel coordinates: enough shapes for the
 * fill's planning to report, enough pixels for several seconds of SwiftShader. */
function squares(): string {
  const features: unknown[] = [];
  for (let i = 0; i < 20_000; i++) {
    const x = 10 + (i % 200) * 29.7, y = 10 + Math.floor(i / 200) * 59.3, s = 6 + (i % 17);
    features.push({ type: 'Feature', properties: { v: 1 + (i % 60_000) }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + s, y], [x + s, y + s * 1.3], [x, y + s], [x, y]]] } });
  }
  for (let i = 0; i < 40; i++) {
    const r = 500 + 60 * i;
    const ring = Array.from({ length: 401 }, (_, k) => [3000 + r * Math.cos((2 * Math.PI * (k % 400)) / 400), 3000 + r * Math.sin((2 * Math.PI * (k % 400)) / 400)]);
    features.push({ type: 'Feature', properties: { v: 60_001 + i }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe.skipIf(missing !== null)('web page: WebGPU burn in the burn worker', () => {
  let app: AppFixture;
  // a whole burn on SwiftShader takes minutes on a loaded machine: one wait for it must not time out
  beforeAll(async () => { app = await startApp({}, { protocolTimeout: 600_000 }); });
  afterAll(async () => { await app?.close(); });

  test('progress rises through the fill\'s stages, Cancel stops it, pixels equal the CPU worker\'s', async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, {
      downloadDir: app.work,
      before: () => {
        window.devicesOnPage = 0;
        const requestDevice = GPUAdapter.prototype.requestDevice;
        GPUAdapter.prototype.requestDevice = function (this: GPUAdapter, ...args: Parameters<GPUAdapter['requestDevice']>) {
          window.devicesOnPage++;
          return requestDevice.apply(this, args);
        };
      },
    });
    try {
      const path = join(app.work, 'squares.geojson');
      writeFileSync(path, squares());
      await (await page.$('input#geojson-file'))!.uploadFile(path);
      await waitForData(page, /^squares\.geojson: 20,040 features/);
      await page.click('#grid-bounds');
      await setField(page, '#bounds', '0 0 6000 6000');
      await setField(page, '#resolution', '1');
      await setField(page, '#crs', '');
      await page.select('#attribute', 'v');
      await page.select('#dtype', 'uint16');

      await page.select('#engine', 'cpu');
      expect((await rasterizeAndWait(page, 120_000)).kind).not.toBe('error');
      expect(await summaryOf(page, 'engine')).toBe('CPU (Web Worker)');
      const cpu = await resultInPage(page);
      expect(cpu?.burned).toBeGreaterThan(1_000_000);

      await page.select('#engine', 'webgpu');
      // Cancel once the bar has moved: the worker is terminated, the previous result stays
      const terminated = new Promise<void>((ok) => page.once('workerdestroyed', () => ok()));
      await page.click('#rasterize');
      await page.waitForFunction(() => (document.getElementById('progress') as HTMLProgressElement).value > 0, { timeout: 60_000, polling: 10 });
      const at = await textOf(page, '#progress-text');
      const running = await page.$eval('#cancel', (el) => !(el as HTMLButtonElement).disabled);
      expect(running, 'the GPU burn finished before it could be cancelled').toBe(true);
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('message')!.textContent === 'Cancelled.', { timeout: 5_000 });
      await Promise.race([terminated, new Promise((_, fail) => setTimeout(() => fail(new Error('the burn worker was not terminated')), 5_000))]);
      expect(await summaryOf(page, 'engine')).toBe('CPU (Web Worker)');
      console.log(`cancelled the WebGPU worker burn at "${at}"`);

      // every value the bar takes during a whole burn
      await page.evaluate(() => {
        window.progressSeen = [];
        const bar = document.getElementById('progress') as HTMLProgressElement, text = document.getElementById('progress-text')!;
        new MutationObserver(() => { if (!bar.hidden) window.progressSeen.push({ value: bar.value, text: text.textContent ?? '' }); })
          .observe(document.getElementById('progress-row') ?? bar.parentElement!, { attributes: true, childList: true, characterData: true, subtree: true });
      });
      const out = await rasterizeAndWait(page, 300_000);
      expect(out.kind).not.toBe('error');
      expect(await summaryOf(page, 'engine')).toBe('WebGPU');
      const gpu = await resultInPage(page);
      expect(gpu).toEqual(cpu);

      const seen = await page.evaluate(() => window.progressSeen);
      const values = seen.map((s) => s.value);
      const falls = values.filter((v, i) => i > 0 && v < values[i - 1]);
      expect(falls, `progress fell: ${values.join(' ')}`).toEqual([]);
      const between = new Set(values.filter((v) => v > 0 && v < 1));
      expect(between.size, `intermediate values: ${[...between].join(' ')}`).toBeGreaterThanOrEqual(3);
      const texts = [...new Set(seen.map((s) => s.text.replace(/^\d+% of [\d,]+ shapes: /, '').replace(/ \(\d+ s\)$/, '')))];
      expect(texts.some((t) => t === 'planning spans')).toBe(true);
      expect(texts.some((t) => /^tile \d+ of \d+ on the GPU$/.test(t))).toBe(true);
      expect(texts.some((t) => /^tile \d+ of \d+ read back$/.test(t))).toBe(true);
      console.log(`WebGPU in the burn worker: ${await summaryOf(page, 'time')}; progress ${[...between].map((v) => v.toFixed(3)).join(' ')}; stages ${texts.join(' | ')}`);

      expect(await page.evaluate(() => window.devicesOnPage), 'GPU devices requested on the page\'s main thread').toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 600_000);
});
