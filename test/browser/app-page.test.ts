// The web page (app/, `npm run app`) in headless Chromium: the sample uploaded through the file
// inputs and burned with WebGPU (SwiftShader here) must download as a GeoTIFF and .npy holding the
// CPU engine's exact pixels, drawn on the canvas where they are; errors must show on the page; with
// no WebGPU the CPU engine must run in a Web Worker; Cancel must stop a burn.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { valueColor } from '../../app/colormap.js';
import { readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { gridFromGeoTIFF } from '../../src/io/tiff/read.js';
import { rasterize } from '../../src/rasterize.js';
import type { Grid, TypedArray } from '../../src/types.js';
import { openApp, rasterizeAndWait, readNpy, resultInPage, waitForDownload, type AppPage } from './app/page.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { compareRasters, gdalRasterize, PYTHON } from '../oracle/gdal/oracle.js';
import { ROOT, startStaticServer, type StaticServer } from './server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the web page tests: ${missing}`);

const SAMPLE_GEOJSON = join(ROOT, 'examples', 'buildings.geojson');
const SAMPLE_TIF = join(ROOT, 'examples', 'template.tif');

interface Placement { scale: number; offsetX: number; offsetY: number }

let bundleDir: string;
let work: string;
let server: StaticServer;
let chromium: Chromium;
let grid: Grid;
/** the CPU engine's burn of the sample, computed in Node from src/: what every page result must equal */
let expected: Uint16Array;

/** FNV-1a over the raw bytes, the same function as resultInPage (app/page.ts) */
function hashBytes(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Replaces a form field's text as typing would (the page listens for input events). */
async function setField(page: Page, sel: string, value: string): Promise<void> {
  await page.$eval(sel, (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

const text = (page: Page, sel: string): Promise<string> => page.$eval(sel, (el) => el.textContent ?? '');
const summary = async (page: Page, key: string): Promise<string> => text(page, `#summary dd[data-key="${key}"]`);

describe.skipIf(missing !== null)('web page in headless Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rasterburn-app-test-'));
    bundleDir = join(work, 'bundle');
    // the same build `npm run app` does, into a directory of this test's own
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'serve-app.mjs'), '--build-only', '--outdir', bundleDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    server = await startStaticServer({ '/': 'app', '/bundle/': bundleDir, '/examples/': 'examples' });
    chromium = await launchChromium();
    grid = await gridFromGeoTIFF(new Uint8Array(readFileSync(SAMPLE_TIF)));
    const fc = JSON.parse(readFileSync(SAMPLE_GEOJSON, 'utf8'));
    const cpu = await rasterize(fc, grid, { attribute: 'BuildingID', dtype: 'uint16', backend: 'cpu' });
    expected = cpu.data as Uint16Array;
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the sample, uploaded and burned with WebGPU, downloads as the CPU engine\'s pixels and is drawn where they are', async () => {
    const downloads = join(work, 'downloads-gpu');
    mkdirSync(downloads);
    const { page, problems } = await openApp(chromium.browser, `${server.origin}/`, { downloadDir: downloads });
    try {
      const engine = await text(page, '#engine-status');
      expect(engine).toMatch(/^WebGPU adapter: /);
      // SwiftShader is a software rasterizer: the page must not pass it off as a GPU
      expect(engine).toMatch(/software/);

      await (await page.$('input#geojson-file'))!.uploadFile(SAMPLE_GEOJSON);
      await (await page.$('input#template-file'))!.uploadFile(SAMPLE_TIF);
      await page.waitForFunction(() => /1,500 features/.test(document.getElementById('geojson-status')!.textContent ?? '')
        && /1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''), { timeout: 10_000 });
      const choices = await page.$$eval('#attribute option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(choices).toEqual(['BuildingID', '']);
      await page.select('#attribute', 'BuildingID');
      await page.select('#dtype', 'uint16');
      // "auto" leaves a software adapter for the CPU worker: ask for WebGPU by name
      await page.select('#engine', 'webgpu');

      const t0 = Date.now();
      const outcome = await rasterizeAndWait(page);
      const wall = Date.now() - t0;
      expect(outcome.message, 'a message after a plain WebGPU burn').toBe('');
      expect(await summary(page, 'engine')).toBe('WebGPU');
      const adapter = await summary(page, 'adapter');
      expect(adapter).toMatch(/^software \(/);

      // the result in the page, the summary, and both downloads hold the CPU engine's pixels
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint16Array', hash: hashBytes(expected) });
      let burned = 0;
      const distinct = new Set<number>();
      for (const v of expected) if (v !== 0) { burned++; distinct.add(v); }
      expect(burned).toBeGreaterThan(50_000);
      expect(await summary(page, 'size')).toBe('1000 × 1000 uint16');
      expect(await summary(page, 'pixels burned')).toMatch(new RegExp(`^${burned.toLocaleString('en')} of 1,000,000 `));
      expect(await summary(page, 'distinct values')).toBe(distinct.size.toLocaleString('en'));
      console.log(`page, WebGPU (${adapter}): ${await summary(page, 'time')}, ${wall} ms click to summary; ${burned} pixels burned, ${distinct.size} values`);

      await page.click('#download-tif');
      const tifName = 'buildings_BuildingID_uint16_1000x1000.tif';
      const tif = await waitForDownload(downloads, tifName);
      const back = await readGeoTIFFRaster(new Uint8Array(tif));
      expect(back.dtype).toBe('uint16');
      expect(back.grid).toEqual(grid);
      expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
      // GDAL reads it with the template's geotransform and CRS
      const info = JSON.parse(execFileSync('gdalinfo', ['-json', join(downloads, tifName)], { encoding: 'utf8' })) as { geoTransform: number[]; size: number[]; stac?: { 'proj:epsg'?: number } };
      expect(info.geoTransform).toEqual(grid.transform);
      expect(info.size).toEqual([1000, 1000]);
      expect(info.stac?.['proj:epsg']).toBe(32633);

      await page.click('#download-npy');
      const npy = readNpy(await waitForDownload(downloads, 'buildings_BuildingID_uint16_1000x1000.npy'));
      expect(npy.descr).toBe('<u2');
      expect(npy.shape).toEqual([1000, 1000]);
      expect(npy.data.equals(Buffer.from(expected.buffer))).toBe(true);

      // the COG: valid by GDAL's own validator, and gdal_rasterize's pixels (burned into an empty copy of the template)
      await page.click('#download-cog');
      const cogName = 'buildings_BuildingID_uint16_1000x1000.cog.tif';
      await waitForDownload(downloads, cogName);
      const validator = spawnSync(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', join(downloads, cogName)], { encoding: 'utf8' });
      expect(validator.stdout + validator.stderr).toMatch(/is a valid cloud optimized GeoTIFF/);
      expect(validator.status).toBe(0);
      const ref = join(downloads, 'gdal-reference.tif');
      execFileSync('gdal_create', ['-q', '-if', SAMPLE_TIF, '-ot', 'UInt16', '-bands', '1', '-burn', '0', ref]);
      gdalRasterize(['-q', '-a', 'BuildingID', SAMPLE_GEOJSON, ref]);
      const [cmp] = compareRasters([{ a: join(downloads, cogName), b: ref }]);
      expect(cmp).toMatchObject({ sizeSame: true, gtSame: true, srsSame: true, typeSame: true, nodataSame: true });
      expect(cmp.pixelDiffs?.every((d) => d.count === 0), JSON.stringify(cmp.pixelDiffs)).toBe(true);
      const layout = JSON.parse(execFileSync('gdalinfo', ['-json', join(downloads, cogName)], { encoding: 'utf8' })) as { metadata?: { IMAGE_STRUCTURE?: Record<string, string> }; bands: { block: number[] }[] };
      expect(layout.bands[0].block).toEqual([512, 512]);
      expect(layout.metadata?.IMAGE_STRUCTURE?.COMPRESSION).toBe('LZW');
      // GDAL's default CUBIC overview (1000 -> 500, pixel rule G11): gdal_translate -of COG's level, pixel for pixel,
      // and nothing to say
      const refCog = join(downloads, 'gdal-reference.cog.tif');
      execFileSync('gdal_translate', ['-q', '-of', 'COG', ref, refCog]);
      const levels = execFileSync(PYTHON, ['-c', [
        'import sys, numpy as np', 'from osgeo import gdal',
        'a, b = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])',
        'x, y = a.GetRasterBand(1), b.GetRasterBand(1)',
        'print(x.GetOverviewCount(), y.GetOverviewCount(), int((x.GetOverview(0).ReadAsArray() != y.GetOverview(0).ReadAsArray()).sum()))',
      ].join('\n'), join(downloads, cogName), refCog], { encoding: 'utf8' }).trim();
      expect(levels).toBe('1 1 0');
      expect(await text(page, '#message')).toBe('');

      // the canvas: every sampled canvas pixel over the raster shows its raster pixel's colour, transparent where nothing burned
      const checkCanvas = async (label: string): Promise<number> => {
        const shot = await page.evaluate(() => {
          const app = window.rasterburnApp;
          app.view.draw();
          const c = document.getElementById('view') as HTMLCanvasElement;
          const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          // every 3rd pixel both ways keeps the transfer small
          const samples: number[] = [];
          for (let y = 1; y < c.height; y += 3) for (let x = 1; x < c.width; x += 3) {
            const k = (y * c.width + x) * 4;
            samples.push(x, y, px[k], px[k + 1], px[k + 2], px[k + 3]);
          }
          return { place: app.view.placement, width: c.width, height: c.height, samples };
        });
        const { scale, offsetX, offsetY } = shot.place;
        let onRaster = 0, onBurned = 0;
        const wrong: string[] = [];
        for (let i = 0; i < shot.samples.length; i += 6) {
          const [x, y, r, g, b, a] = shot.samples.slice(i, i + 6);
          const col = Math.floor((x + 0.5 - offsetX) / scale), row = Math.floor((y + 0.5 - offsetY) / scale);
          const inside = col >= 0 && row >= 0 && col < 1000 && row < 1000;
          const v = inside ? expected[row * 1000 + col] : 0;
          const want = v === 0 ? [0, 0, 0, 0] : [...valueColor(v), 255];
          if (inside) onRaster++;
          if (v !== 0) onBurned++;
          if (a !== want[3] || (a !== 0 && (r !== want[0] || g !== want[1] || b !== want[2]))) {
            if (wrong.length < 5) wrong.push(`canvas (${x}, ${y}) -> raster row ${row} col ${col} = ${v}: drawn ${[r, g, b, a]}, want ${want}`);
          }
        }
        expect(wrong, `${label}: canvas pixels that do not show the raster`).toEqual([]);
        expect(onRaster, `${label}: sampled canvas pixels over the raster`).toBeGreaterThan(10_000);
        return onBurned;
      };
      const burnedFit = await checkCanvas('fitted view');
      expect(burnedFit).toBeGreaterThan(1000);

      // hover over a burned pixel: the readout gives its row, column, map coordinates and value
      // the canvas's content box on the page (inside its border): canvas pixel (x, y) is at box.x + x, box.y + y
      const box = await page.$eval('#view', (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + el.clientLeft, y: r.top + el.clientTop, scale: (el as HTMLCanvasElement).width / el.clientWidth };
      });
      expect(box.scale, 'device pixel ratio 1: canvas pixels are CSS pixels').toBe(1);
      const place = await page.evaluate(() => window.rasterburnApp.view.placement);
      // a canvas point over a burned pixel inside its building, on a whole page pixel (where mouse events land)
      const rasterAt = (x: number, y: number, p: Placement) => ({ col: Math.floor((x - p.offsetX) / p.scale), row: Math.floor((y - p.offsetY) / p.scale) });
      let at: { x: number; y: number } | null = null, target = { row: 0, col: 0 };
      // (the content box itself may sit at a fractional page position: pick whole page pixels)
      for (let y = Math.ceil(box.y + place.offsetY) + 300 - box.y; y < place.offsetY + 1000 * place.scale && !at; y++) {
        for (let x = Math.ceil(box.x + place.offsetX) + 10 - box.x; x < place.offsetX + 990 * place.scale && !at; x++) {
          const t = rasterAt(x, y, place), k = t.row * 1000 + t.col;
          if (expected[k] !== 0 && expected[k - 1] === expected[k] && expected[k + 1] === expected[k] && expected[k - 1000] === expected[k] && expected[k + 1000] === expected[k]) {
            at = { x, y };
            target = t;
          }
        }
      }
      expect(at, 'a burned pixel under some canvas point').not.toBeNull();
      await page.mouse.move(box.x + at!.x, box.y + at!.y);
      const readout = await text(page, '#readout');
      const [x0, dx, , y0, , dy] = grid.transform;
      const v = expected[target.row * 1000 + target.col];
      expect(readout).toBe(`row ${target.row}, col ${target.col} · x ${(x0 + (target.col + 0.5) * dx).toFixed(3)}, y ${(y0 + (target.row + 0.5) * dy).toFixed(3)} · value ${v}`);

      // zoom in about the pointer: the pixel under it stays under it; then drag: the view moves with the pointer
      await page.mouse.wheel({ deltaY: -600 });
      await page.waitForFunction((s) => window.rasterburnApp.view.placement.scale > s * 2, { timeout: 5_000 }, place.scale);
      const zoomed = await page.evaluate(() => window.rasterburnApp.view.placement);
      // zooming about the pointer keeps the raster point under it (to rounding), so the readout names the same pixel
      expect((at!.x - zoomed.offsetX) / zoomed.scale).toBeCloseTo((at!.x - place.offsetX) / place.scale, 9);
      expect((at!.y - zoomed.offsetY) / zoomed.scale).toBeCloseTo((at!.y - place.offsetY) / place.scale, 9);
      await page.mouse.move(box.x + at!.x + 1, box.y + at!.y);
      expect(rasterAt(at!.x + 1, at!.y, zoomed)).toEqual(target);
      expect(await text(page, '#readout')).toBe(readout);
      await page.mouse.down();
      await page.mouse.move(box.x + at!.x - 79, box.y + at!.y - 25, { steps: 4 });
      await page.mouse.up();
      const panned = await page.evaluate(() => window.rasterburnApp.view.placement);
      expect(panned.scale).toBe(zoomed.scale);
      expect(panned.offsetX - zoomed.offsetX).toBeCloseTo(-80, 6);
      expect(panned.offsetY - zoomed.offsetY).toBeCloseTo(-25, 6);
      await checkCanvas('zoomed and panned view');

      // back to the fitted view for the record
      await page.click('#view', { count: 2 });
      expect(await page.evaluate(() => window.rasterburnApp.view.placement)).toEqual(place);
      // (the click may have scrolled the page: measure the canvas again)
      const box2 = await page.$eval('#view', (el) => ({ x: el.getBoundingClientRect().left + el.clientLeft, y: el.getBoundingClientRect().top + el.clientTop }));
      await page.mouse.move(box2.x + at!.x, box2.y + at!.y);
      expect(await text(page, '#readout')).toBe(readout);
      mkdirSync(join(ROOT, 'test', 'out'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-screenshot.png') as `${string}.png` });
      // a laptop's window: Rasterize and every download above the fold
      await page.setViewport({ width: 1280, height: 800 });
      await page.evaluate(() => window.scrollTo(0, 0));
      for (const id of ['rasterize', 'download-tif', 'download-cog', 'download-npy', 'download-png']) {
        const r = await page.$eval(`#${id}`, (el) => el.getBoundingClientRect().toJSON() as DOMRect);
        expect(r.bottom, `#${id} above the fold at 1280 x 800`).toBeLessThan(800);
        expect(r.right, `#${id} inside the width at 1280 x 800`).toBeLessThan(1280);
      }
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-screenshot-1280x800.png') as `${string}.png` });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('errors show on the page: broken GeoJSON, not GeoJSON, a bad geometry, a missing attribute, a grid too large', async () => {
    const { page, problems } = await openApp(chromium.browser, `${server.origin}/`, { downloadDir: work });
    try {
      const message = (): Promise<{ text: string; kind: string; visible: boolean }> => page.$eval('#message', (el) => ({
        text: el.textContent ?? '', kind: el.className, visible: (el as HTMLElement).offsetHeight > 0,
      }));
      const upload = async (name: string, content: string): Promise<void> => {
        const path = join(work, name);
        writeFileSync(path, content);
        await (await page.$('input#geojson-file'))!.uploadFile(path);
      };

      await upload('broken.geojson', '{"type": "FeatureCollection", "features": [{"type": "Feature",');
      await page.waitForFunction(() => document.getElementById('message')!.textContent !== '', { timeout: 5_000 });
      const broken = await message();
      expect(broken.kind).toBe('error');
      expect(broken.visible).toBe(true);
      expect(broken.text).toMatch(/^broken\.geojson is not valid JSON: /);
      mkdirSync(join(ROOT, 'test', 'out'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-error.png') as `${string}.png` });

      await upload('topo.json', '{"type": "Topology", "objects": {}}');
      await page.waitForFunction(() => /topo\.json/.test(document.getElementById('message')!.textContent ?? ''), { timeout: 5_000 });
      expect((await message()).text).toBe('topo.json is not GeoJSON: its type is "Topology", expected "FeatureCollection", "Feature" or a geometry');

      // parses, but feature 1 has a coordinate that is a string: skipped as GDAL skips it (pixel rule F12), and counted
      await (await page.$('input#template-file'))!.uploadFile(SAMPLE_TIF);
      const ring = [[14.3983, 49.0213], [14.3984, 49.0213], [14.3984, 49.0214], [14.3983, 49.0213]];
      await upload('bad-geometry.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
        { type: 'Feature', properties: { id: 1 }, geometry: { type: 'Polygon', coordinates: [ring] } },
        { type: 'Feature', properties: { id: 2 }, geometry: { type: 'Polygon', coordinates: [[ring[0], ['x', 49.0213], ring[2], ring[0]]] } },
      ] }));
      await page.waitForFunction(() => /bad-geometry\.geojson: 2 features/.test(document.getElementById('geojson-status')!.textContent ?? ''), { timeout: 10_000 });
      let out = await rasterizeAndWait(page);
      expect(out.kind).not.toBe('error');
      expect(await page.$eval('#summary', (el) => el.textContent ?? '')).toMatch(/2 \(\d+ shapes?, 1 skipped\)/);

      // the attribute list offers what the file has; a property only some features lack burns 0 there, as
      // GDAL does, but one that no feature has is an error (forced here: the form would not offer it)
      await upload('good.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 1 }, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
      await page.waitForFunction(() => /good\.geojson: 1 feature;/.test(document.getElementById('geojson-status')!.textContent ?? ''), { timeout: 10_000 });
      await page.evaluate(() => {
        const s = document.getElementById('attribute') as HTMLSelectElement;
        s.append(new Option('height', 'height'));
        s.value = 'height';
      });
      out = await rasterizeAndWait(page);
      expect(out.kind).toBe('error');
      expect(out.message).toBe('attribute "height" not found in any feature\'s properties');

      // typed bounds: 2 km at 1 cm is 200,000 x 200,000 pixels
      await page.select('#attribute', 'id');
      await setField(page, '#bounds', '0 0 2000 2000');
      await setField(page, '#resolution', '0.01');
      await setField(page, '#crs', 'EPSG:32633');
      expect(await page.$eval('#grid-bounds', (el) => (el as HTMLInputElement).checked)).toBe(true);
      out = await rasterizeAndWait(page);
      expect(out.kind).toBe('error');
      expect(out.message).toMatch(/^grid too large: 200,000 × 200,000 uint16 needs 74\.5 GiB; this page burns at most 1 GiB/);

      await setField(page, '#resolution', 'fine');
      out = await rasterizeAndWait(page);
      expect(out.message).toBe('resolution: "fine" is not a number');

      // files dropped on the drop zone go the same way as picked ones
      const drop = (files: { name: string; text: string }[]): Promise<void> => page.$eval('#drop', (el, fs) => {
        const dt = new DataTransfer();
        for (const f of fs) dt.items.add(new File([f.text], f.name));
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, files);
      await drop([{ name: 'roads.shp', text: 'not a shapefile' }]);
      await page.waitForFunction(() => /roads\.shp/.test(document.getElementById('message')!.textContent ?? ''), { timeout: 5_000 });
      expect(await message()).toMatchObject({ kind: 'error', text: 'roads.shp is not a Shapefile: wrong magic number' });
      await drop([{ name: 'dropped.json', text: JSON.stringify({ type: 'Feature', properties: { h: 3.5, name: 'x' }, geometry: { type: 'Point', coordinates: [1, 2] } }) }]);
      await page.waitForFunction(() => /^dropped\.json: 1 feature; numeric properties: h$/.test(document.getElementById('geojson-status')!.textContent ?? ''), { timeout: 5_000 });
      expect(await message()).toMatchObject({ text: '' });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('without navigator.gpu the page says so and burns in a Web Worker, staying responsive; Cancel stops it', async () => {
    const { page, problems } = await openApp(chromium.browser, `${server.origin}/`, {
      downloadDir: work,
      // a browser without WebGPU: navigator.gpu is a getter on Navigator.prototype in Chromium
      before: () => { delete (Navigator.prototype as { gpu?: unknown }).gpu; },
    });
    const workers: string[] = [];
    page.on('workercreated', (w) => workers.push(w.url()));
    try {
      expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
      expect(await text(page, '#engine-status')).toBe('No WebGPU: this browser has no WebGPU (navigator.gpu is undefined). Burns run on the CPU in a Web Worker.');

      await page.click('#use-sample');
      await page.waitForFunction(() => /1,500 features/.test(document.getElementById('geojson-status')!.textContent ?? '')
        && /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''), { timeout: 10_000 });
      expect(await page.$eval('#attribute', (el) => (el as HTMLSelectElement).value)).toBe('BuildingID');
      const out = await rasterizeAndWait(page);
      expect(out.kind).toBe('info');
      expect(out.message).toBe('No WebGPU (this browser has no WebGPU (navigator.gpu is undefined)): burned on the CPU in a Web Worker.');
      expect(await summary(page, 'engine')).toBe('CPU (Web Worker)');
      expect(await summary(page, 'adapter')).toBe('—');
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint16Array', hash: hashBytes(expected) });
      expect(workers.filter((u) => u.endsWith('/bundle/worker/rasterburn.js'))).toHaveLength(1);
      console.log(`page, CPU worker: ${await summary(page, 'time')}`);

      // a burn long enough to cancel: 200 circles of 1,000 vertices over an 8000 x 8000 grid (GDAL's scanline
      // fill visits every edge on every row, so this takes seconds); pixel coordinates, no CRS
      const circles = Array.from({ length: 200 }, (_, i) => {
        const r = 3000 + 9 * i, ring = Array.from({ length: 1001 }, (_, k) => {
          const a = (2 * Math.PI * (k % 1000)) / 1000;
          return [4000 + r * Math.cos(a), 4000 + r * Math.sin(a)];
        });
        return { type: 'Feature', properties: { v: 1 + (i % 250) }, geometry: { type: 'Polygon', coordinates: [ring] } };
      });
      const slowPath = join(work, 'circles.geojson');
      writeFileSync(slowPath, JSON.stringify({ type: 'FeatureCollection', features: circles }));
      await (await page.$('input#geojson-file'))!.uploadFile(slowPath);
      await page.waitForFunction(() => /circles\.geojson: 200 features/.test(document.getElementById('geojson-status')!.textContent ?? ''), { timeout: 10_000 });
      await page.select('#dtype', 'uint8');
      await setField(page, '#bounds', '0 0 8000 8000');
      await setField(page, '#resolution', '1');
      await setField(page, '#crs', '');
      expect(await page.$eval('#grid-bounds', (el) => (el as HTMLInputElement).checked)).toBe(true);
      const started = Date.now();
      await page.click('#rasterize');
      await page.waitForFunction(() => (document.getElementById('progress') as HTMLProgressElement).value > 0, { timeout: 30_000, polling: 10 });
      // the page keeps painting while the worker burns: count animation frames for 300 ms
      const frames = await page.evaluate(() => new Promise<number>((done) => {
        let n = 0;
        const t0 = performance.now();
        const tick = (): void => { n++; if (performance.now() - t0 < 300) requestAnimationFrame(tick); else done(n); };
        requestAnimationFrame(tick);
      }));
      const stillRunning = await page.$eval('#cancel', (el) => !(el as HTMLButtonElement).disabled);
      expect(stillRunning, 'the circles burn finished before it could be cancelled').toBe(true);
      expect(frames, 'animation frames in 300 ms while the worker burns').toBeGreaterThanOrEqual(5);
      const progressText = await text(page, '#progress-text');
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('message')!.textContent === 'Cancelled.', { timeout: 5_000 });
      expect(await page.$eval('#progress', (el) => (el as HTMLProgressElement).hidden)).toBe(true);
      expect(await page.$eval('#rasterize', (el) => (el as HTMLButtonElement).disabled)).toBe(false);
      // the cancelled burn left the previous result in place, and a new burn starts a new worker
      expect(await summary(page, 'size')).toBe('1000 × 1000 uint16');
      console.log(`cancelled the worker burn ${Date.now() - started} ms after Rasterize, at "${progressText}"; ${frames} frames painted in 300 ms meanwhile`);
      await page.click('#use-sample');
      // the sample sets the grid back to its template once both files are in
      await page.waitForFunction(() => /1,500 features/.test(document.getElementById('geojson-status')!.textContent ?? '')
        && (document.getElementById('grid-template') as HTMLInputElement).checked, { timeout: 10_000 });
      // this time a constant burn value with nodata recorded: the Node CPU engine with the same options gives the same pixels
      await page.select('#attribute', '');
      await setField(page, '#burn', '7');
      await setField(page, '#nodata', '0');
      const again = await rasterizeAndWait(page);
      expect(again.kind).toBe('info');
      expect(await summary(page, 'size')).toBe('1000 × 1000 uint8');
      expect(await summary(page, 'distinct values')).toBe('1');
      const constant = await rasterize(JSON.parse(readFileSync(SAMPLE_GEOJSON, 'utf8')), grid, { burn: 7, dtype: 'uint8', nodata: 0, backend: 'cpu' });
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint8Array', hash: hashBytes(constant.data) });
      expect(workers.filter((u) => u.endsWith('/bundle/worker/rasterburn.js'))).toHaveLength(2);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('with WebGPU (in the burn worker): Cancel aborts a running burn, and a device lost mid-burn shows on the page, then a new device works', async () => {
    const { page, problems } = await openApp(chromium.browser, `${server.origin}/`, { downloadDir: work });
    try {
      await page.click('#use-sample');
      await page.waitForFunction(() => /1,500 features/.test(document.getElementById('geojson-status')!.textContent ?? '')
        && /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''), { timeout: 10_000 });

      await page.select('#engine', 'webgpu');
      // Cancel as soon as it is enabled: the page terminates the worker, GPU work and all
      const cancelled = await page.evaluate(async () => {
        const cancel = document.getElementById('cancel') as HTMLButtonElement;
        const msg = document.getElementById('message')!;
        const within = (ms: number, what: string): Promise<never> => new Promise((_, fail) => setTimeout(() => fail(new Error(`${what} within ${ms} ms; message: "${msg.textContent}"`)), ms));
        const enabled = new Promise<void>((ok) => new MutationObserver((_, o) => { if (!cancel.disabled) { o.disconnect(); ok(); } }).observe(cancel, { attributes: true }));
        (document.getElementById('rasterize') as HTMLButtonElement).click();
        await Promise.race([enabled, within(10_000, 'Cancel was not enabled')]);
        cancel.click();
        const said = new Promise<void>((ok) => new MutationObserver((_, o) => { if (msg.textContent) { o.disconnect(); ok(); } }).observe(msg, { childList: true, characterData: true, subtree: true }));
        await Promise.race([said, within(10_000, 'no message after Cancel')]);
        return { text: msg.textContent, kind: msg.className, result: document.querySelector('#summary dd') !== null };
      });
      expect(cancelled).toEqual({ text: 'Cancelled.', kind: 'info', result: false });

      // a burn after the cancel runs on a new worker, and the page's own thread never asked for a device
      const first = await rasterizeAndWait(page);
      expect(first.message).toBe('');
      expect(await summary(page, 'engine')).toBe('WebGPU');
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint16Array', hash: hashBytes(expected) });
      const workers = page.workers().filter((w) => w.url().endsWith('/bundle/worker/rasterburn.js'));
      expect(workers).toHaveLength(1);
      // in that worker: keep the devices the engine draws with, and destroy them at the next queue.submit() once armed
      await workers[0].evaluate(() => {
        const devices = new Set<GPUDevice>();
        const g = self as unknown as { loseDeviceAtSubmit: boolean };
        g.loseDeviceAtSubmit = true;
        const createCommandEncoder = GPUDevice.prototype.createCommandEncoder;
        GPUDevice.prototype.createCommandEncoder = function (this: GPUDevice, ...args: Parameters<GPUDevice['createCommandEncoder']>) {
          devices.add(this);
          return createCommandEncoder.apply(this, args);
        };
        const submit = GPUQueue.prototype.submit;
        GPUQueue.prototype.submit = function (this: GPUQueue, ...args: Parameters<GPUQueue['submit']>) {
          submit.apply(this, args);
          if (g.loseDeviceAtSubmit) {
            g.loseDeviceAtSubmit = false;
            for (const d of devices) d.destroy();
          }
        };
      });
      const lost = await rasterizeAndWait(page);
      expect(lost.kind).toBe('error');
      expect(lost.message).toMatch(/WebGPU device lost \(destroyed\)/);
      expect(lost.message).toMatch(/press Rasterize to try again/);
      expect(await page.$('#summary dd')).toBeNull();

      const ok = await rasterizeAndWait(page);
      expect(ok.message).toBe('');
      expect(await summary(page, 'engine')).toBe('WebGPU');
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint16Array', hash: hashBytes(expected) });
      // a device loss is reported through the page, not as uncaught errors
      expect(problems.filter((p) => !/WebGPU|GPU|device/i.test(p) || /page error/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('`npm run app` (scripts/serve-app.mjs) serves the page, its bundles, MapLibre\'s worker and the sample on 127.0.0.1', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'serve-app.mjs'), '--no-build', '--outdir', bundleDir], {
      cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        const timer = setTimeout(() => fail(new Error(`no URL printed in 10 s: ${out}`)), 10_000);
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /rasterburn app: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) { clearTimeout(timer); ok(m[1]); }
        });
        child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
        child.on('exit', (code) => fail(new Error(`serve-app exited with ${code}: ${out}`)));
      });
      const get = async (path: string): Promise<{ status: number; type: string | null; body: string }> => {
        const res = await fetch(new URL(path, url));
        return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
      };
      const page = await get('/');
      expect(page.status).toBe(200);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.body).toContain('src="bundle/main/rasterburn.js"');
      for (const p of ['/bundle/main/rasterburn.js', '/bundle/worker/rasterburn.js', '/bundle/data/rasterburn.js', '/bundle/maplibre/maplibre-gl-worker.mjs']) expect((await get(p)).type, p).toMatch(/^text\/javascript/);
      expect((await get('/bundle/maplibre/maplibre-gl.css')).type).toMatch(/^text\/css/);
      expect((await get('/style.css')).type).toMatch(/^text\/css/);
      expect((await get('/examples/template.tif')).type).toBe('image/tiff');
      expect((await get('/examples/buildings.geojson')).status).toBe(200);
      expect((await get('/bundle/../../package.json')).status).not.toBe(200);
      expect((await get('/%2e%2e/package.json')).status).not.toBe(200);
    } finally {
      child.kill();
    }
  });
});
