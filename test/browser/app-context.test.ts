// The web page as a tool: on "auto" with only a software adapter it burns in the CPU worker and says so;
// the legend, the warnings for silent results, fitting the grid to the features, the settings kept in
// the URL hash, download names, the command lines (run here with the real GDAL, which must give the
// page's pixels), and the map with the outlines, the grid's footprint and the result.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { valueColor } from '../../app/colormap.js';
import { gridFromBounds } from '../../src/grid-from-bounds.js';
import { prepare } from '../../src/prepare.js';
import { gridFromGeoTIFF, readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { rasterize } from '../../src/rasterize.js';
import type { Grid, TypedArray } from '../../src/types.js';
import { startApp, type AppFixture } from './app/fixture.js';
import { openApp, rasterizeAndWait, resultInPage, setField, summaryOf, textOf, waitForData, waitForDownload, warningsOf } from './app/page.js';
import { chromiumMissing } from './chromium.js';
import { ROOT } from './server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the web page context tests: ${missing}`);

const SAMPLE_GEOJSON = join(ROOT, 'examples', 'buildings.geojson');
const SAMPLE_TIF = join(ROOT, 'examples', 'template.tif');

function hashBytes(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}


/**
 * Runs a command line the page shows, in `dir` (holding its input files), with the real GDAL or the
 * built CLI, and returns the output GeoTIFF's pixels.
 */
function runShown(line: string, dir: string, output: string): Promise<TypedArray> {
  for (const part of line.split(' && ')) {
    const words = part.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
    execFileSync(words[0], words.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  return readGeoTIFFRaster(new Uint8Array(readFileSync(join(dir, output)))).then((r) => r.data);
}

describe.skipIf(missing !== null)('web page: context, legend, warnings, fitting, sharing', () => {
  let app: AppFixture;
  let grid: Grid;
  let fc: unknown;

  beforeAll(async () => {
    app = await startApp();
    grid = await gridFromGeoTIFF(new Uint8Array(readFileSync(SAMPLE_TIF)));
    fc = JSON.parse(readFileSync(SAMPLE_GEOJSON, 'utf8'));
  });
  afterAll(async () => { await app?.close(); });

  test('the sample on "auto" with only a software adapter: CPU worker, legend, command lines GDAL agrees with, hash, names, map', async () => {
    const downloads = join(app.work, 'dl-sample');
    mkdirSync(downloads);
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: downloads });
    try {
      await page.click('#use-sample');
      await waitForData(page, /1,500 features/);
      await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));
      const out = await rasterizeAndWait(page);
      expect(out.kind).toBe('info');
      expect(out.message).toMatch(/^The only WebGPU adapter is a software one \(.*\): burned on the CPU in a Web Worker, which is faster here\./);
      expect(await summaryOf(page, 'engine')).toBe('CPU (Web Worker)');
      const expected = (await rasterize(fc as never, grid, { attribute: 'BuildingID', dtype: 'uint16', backend: 'cpu' })).data;
      expect(await resultInPage(page)).toMatchObject({ width: 1000, height: 1000, type: 'Uint16Array', hash: hashBytes(expected) });
      expect(await warningsOf(page)).toEqual([]);
      expect(await summaryOf(page, 'warnings')).toBe('none');
      expect(await summaryOf(page, 'values')).toBe('1 to 1500');

      // IDs: categories, the most frequent first, in the viewer's colours; the background named transparent
      const legend = await page.$eval('#legend', (el) => ({
        kind: (el as HTMLElement).dataset.kind,
        items: [...el.querySelectorAll('.legend-item')].map((i) => ({ value: (i as HTMLElement).dataset.value, colour: getComputedStyle(i.querySelector('.swatch')!).backgroundColor, text: i.textContent })),
        note: el.querySelector('.legend-note')?.textContent,
      }));
      expect(legend.kind).toBe('categories');
      expect(legend.items).toHaveLength(13);
      const [v0] = legend.items;
      expect(legend.items[0].colour).toBe(`rgb(${valueColor(Number(v0.value)).join(', ')})`);
      expect(legend.items[12].text).toBe('0 (unburned): transparent');
      expect(legend.note).toBe('and 1,488 more');

      // downloads are named by their settings
      await page.click('#download-tif');
      await waitForDownload(downloads, 'buildings_BuildingID_uint16_1000x1000.tif');
      // the quick look: a PNG of the raster's size
      await page.click('#download-png');
      const png = await waitForDownload(downloads, 'buildings_BuildingID_uint16_1000x1000.png');
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1000, 1000]);

      // the settings are in the URL hash; the same URL opened again restores them
      await page.select('#dtype', 'int32');
      await page.click('#all-touched');
      const hash = await page.evaluate(() => location.hash);
      expect(hash).toBe('#attribute=BuildingID&dtype=int32&allTouched=1');
      const again = await openApp(app.chromium.browser, `${app.server.origin}/${hash}`, { downloadDir: downloads });
      expect(await again.page.$eval('#dtype', (el) => (el as HTMLSelectElement).value)).toBe('int32');
      expect(await again.page.$eval('#all-touched', (el) => (el as HTMLInputElement).checked)).toBe(true);
      await again.page.close();
      await page.bringToFront();
      await page.select('#dtype', 'uint16');
      await page.click('#all-touched');

      // the command lines for these settings; gdal_rasterize run as shown gives the page's pixels
      const rb = await textOf(page, '#command-rasterburn');
      const gd = await textOf(page, '#command-gdal');
      expect(rb).toBe('rasterburn -a BuildingID -ot UInt16 --template template.tif buildings.geojson buildings_BuildingID_uint16_1000x1000.tif');
      expect(gd).toBe('gdal_create -if template.tif -bands 1 -ot UInt16 -burn 0 buildings_BuildingID_uint16_1000x1000.tif && gdal_rasterize -b 1 -a BuildingID buildings.geojson buildings_BuildingID_uint16_1000x1000.tif');
      const dir = join(app.work, 'cmd-sample');
      mkdirSync(dir);
      copyFileSync(SAMPLE_GEOJSON, join(dir, 'buildings.geojson'));
      copyFileSync(SAMPLE_TIF, join(dir, 'template.tif'));
      expect(hashBytes(await runShown(gd, dir, 'buildings_BuildingID_uint16_1000x1000.tif'))).toBe(hashBytes(expected));

      // the map: offline style (background, graticule), the outlines, the grid's footprint and the result
      await page.click('#tab-map');
      await page.waitForFunction(() => {
        const d = window.rasterburnApp.map.describe();
        return d.loaded && ['background', 'graticule', 'result', 'outlines', 'footprint'].every((l) => d.layers.includes(l));
      }, { timeout: 60_000, polling: 200 });
      const corners = await page.evaluate(() => window.rasterburnApp.map.describe().corners!);
      // the template is 500 m of UTM 33N near 14.4 E, 49.0 N
      for (const [x, y] of corners) {
        expect(x).toBeGreaterThan(14.3);
        expect(x).toBeLessThan(14.5);
        expect(y).toBeGreaterThan(48.9);
        expect(y).toBeLessThan(49.1);
      }
      // wait for the map to settle, then count the result's colours on the map's own canvas
      await page.waitForFunction(() => (document.querySelector('#map canvas') as HTMLCanvasElement | null) !== null, { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 1500));
      const drawn = await page.evaluate(async (colours: number[][]) => {
        const gl = document.querySelector('#map canvas') as HTMLCanvasElement;
        const img = new Image();
        img.src = gl.toDataURL('image/png');
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let background = 0, near = 0;
        for (let k = 0; k < px.length; k += 4) {
          if (px[k] === 0xee && px[k + 1] === 0xf1 && px[k + 2] === 0xf4) background++;
          // the result is drawn at 85% opacity over the background: near one of the legend's colours
          else if (colours.some(([r, g, b]) => Math.abs(px[k] - (0.85 * r + 0.15 * 0xee)) < 12 && Math.abs(px[k + 1] - (0.85 * g + 0.15 * 0xf1)) < 12 && Math.abs(px[k + 2] - (0.85 * b + 0.15 * 0xf4)) < 12)) near++;
        }
        return { background, near, total: px.length / 4 };
      }, Array.from({ length: 1500 }, (_, i) => valueColor(i + 1)));
      mkdirSync(join(ROOT, 'test', 'out'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-map.png') as `${string}.png` });
      // at 1280 x 800 the buttons that act on the result are on screen without scrolling
      await page.setViewport({ width: 1280, height: 800 });
      const fold = await page.$$eval('#rasterize, #download-tif, #tab-map', (els) => els.map((e) => e.getBoundingClientRect().bottom));
      for (const b of fold) expect(b).toBeLessThan(800);
      await page.screenshot({ path: join(ROOT, 'test', 'out', 'app-1280x800.png') as `${string}.png` });
      console.log(`map canvas: ${drawn.background} background pixels, ${drawn.near} in the result's colours, of ${drawn.total}`);
      expect(drawn.background).toBeGreaterThan(drawn.total * 0.05);
      expect(drawn.near).toBeGreaterThan(drawn.total * 0.02);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('warnings beside the result: no features, features off the grid (both extents), clamped values, no georeferencing; a ramp for fractions', async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work });
    try {
      const paste = async (json: unknown, re: RegExp): Promise<void> => {
        await page.$eval('#more-inputs', (el) => { (el as HTMLDetailsElement).open = true; });
        await page.$eval('#paste', (el, t) => { (el as HTMLTextAreaElement).value = t; }, JSON.stringify(json));
        await page.click('#load-paste');
        await waitForData(page, re);
      };
      await (await page.$('input#template-file'))!.uploadFile(SAMPLE_TIF);
      await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));

      await paste({ type: 'FeatureCollection', features: [] }, /^pasted\.geojson: 0 features/);
      let out = await rasterizeAndWait(page);
      expect(await warningsOf(page)).toEqual(['The input has no features: nothing was burned.']);
      expect(await summaryOf(page, 'warnings')).toBe('1');

      // a square in the Indian Ocean on a grid in Bohemia
      const square = (x: number, y: number, d: number, props: Record<string, unknown>) => ({
        type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
      });
      await paste({ type: 'FeatureCollection', features: [square(80, -10, 1, { v: 1 })] }, /^pasted\.geojson: 1 feature;/);
      out = await rasterizeAndWait(page);
      expect(out.kind).toBe('info');
      const [off] = await warningsOf(page);
      const dataExtent = (() => {
        const p = prepare({ type: 'FeatureCollection', features: [square(80, -10, 1, { v: 1 })] } as never, { burn: 1, crs: grid.crs });
        const xs = [...p.shapes.x], ys = [...p.shapes.y];
        return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      })();
      const [x0, dx, , y0, , dy] = grid.transform;
      expect(off).toBe(`Nothing was burned: the features' extent ${dataExtent.map((v) => v.toPrecision(9).replace(/\.?0+$/, '')).join(' ')} does not meet the grid's extent ${[x0, y0 + 1000 * dy, x0 + 1000 * dx, y0].map(String).join(' ')} (${grid.crs}). Check the grid's CRS and bounds, or fit the grid to the features.`);
      const legendEmpty = await textOf(page, '#legend');
      expect(legendEmpty).toMatch(/^nothing burned/);

      // burn values a uint16 cannot hold are clamped: said once, with how many features and which values
      const [cx, cy] = [14.3983, 49.0213];
      await paste({ type: 'FeatureCollection', features: [square(cx, cy, 0.0005, { v: 70000 }), square(cx + 0.001, cy, 0.0005, { v: -5 }), square(cx + 0.002, cy, 0.0005, { v: 7 })] }, /^pasted\.geojson: 3 features/);
      out = await rasterizeAndWait(page);
      expect(await warningsOf(page)).toEqual(["2 features have burn values outside uint16's range (0 to 65535), from -5 to 70000: clamped to the range, as GDAL does; choose a wider output type to keep them."]);
      await page.select('#dtype', 'int32');
      out = await rasterizeAndWait(page);
      expect(await warningsOf(page)).toEqual([]);
      // whole numbers: categories
      expect(await page.$eval('#legend', (el) => (el as HTMLElement).dataset.kind)).toBe('categories');

      // fractions: a ramp from min to max
      await paste({ type: 'FeatureCollection', features: [square(cx, cy, 0.0005, { h: 2.5 }), square(cx + 0.001, cy, 0.0005, { h: 10.25 })] }, /^pasted\.geojson: 2 features/);
      await page.select('#dtype', 'float32');
      out = await rasterizeAndWait(page);
      expect(out.message).not.toMatch(/error/i);
      expect(await page.$eval('#legend', (el) => ({ kind: (el as HTMLElement).dataset.kind, min: el.querySelector('.legend-min')?.textContent, max: el.querySelector('.legend-max')?.textContent }))).toEqual({ kind: 'ramp', min: '2.5', max: '10.25' });
      // one canvas pixel over each square: the ramp's ends
      expect(await summaryOf(page, 'values')).toBe('2.5 to 10.25');

      // a TIFF without georeferencing: said when loaded and with the result
      const plain = join(app.work, 'plain.tif');
      execFileSync('gdal_create', ['-outsize', '20', '10', '-bands', '1', '-ot', 'Byte', plain]);
      await (await page.$('input#template-file'))!.uploadFile(plain);
      await page.waitForFunction(() => /plain\.tif: 20 × 10/.test(document.getElementById('template-status')!.textContent ?? ''));
      expect(await textOf(page, '#template-status')).toMatch(/plain\.tif has no georeferencing/);
      out = await rasterizeAndWait(page);
      const w = await warningsOf(page);
      expect(w[0]).toMatch(/^Nothing was burned: the features' extent .* does not meet the grid's extent 0 0 20 10\./);
      expect(w[1]).toBe('plain.tif has no georeferencing: its grid is in pixel coordinates (transform [0, 1, 0, 0, 0, 1], no CRS), so features in map coordinates land far off it.');

      // not a TIFF at all: named as such; an error clears the old result rather than leaving it under the message
      const notTiff = join(app.work, 'fake.tif');
      writeFileSync(notTiff, 'hello');
      await (await page.$('input#template-file'))!.uploadFile(notTiff);
      await page.waitForFunction(() => /fake\.tif/.test(document.getElementById('message')!.textContent ?? ''));
      expect(await textOf(page, '#message')).toBe('fake.tif is not a TIFF file (a TIFF starts with II*, MM* or their BigTIFF forms)');
      await setField(page, '#resolution', 'fine');
      out = await rasterizeAndWait(page);
      expect(out).toEqual({ message: 'resolution: "fine" is not a number', kind: 'error' });
      expect(await page.$('#summary dd')).toBeNull();
      expect(await warningsOf(page)).toEqual([]);
      expect(await page.evaluate(() => window.rasterburnApp.result)).toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('fit the grid to the features in the grid\'s CRS, with -tap; the command line (gdal_create, then gdal_rasterize) gives the same pixels', async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work });
    try {
      await page.click('#use-sample');
      await waitForData(page, /1,500 features/);
      await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));
      await setField(page, '#crs', 'EPSG:32633');
      await setField(page, '#resolution', '2');
      await page.click('#tap');
      await page.click('#fit');
      await page.waitForFunction(() => (document.getElementById('bounds') as HTMLInputElement).value.split(' ').length === 4
        && !/^\S+ \S+ \S+ \S+$/.test('') && (document.getElementById('bounds') as HTMLInputElement).value !== '', { timeout: 30_000 });
      await page.waitForFunction((old: string) => (document.getElementById('bounds') as HTMLInputElement).value !== old, { timeout: 30_000 }, '');
      const p = prepare(fc as never, { burn: 1, crs: 'EPSG:32633' });
      const xs = p.shapes.x, ys = p.shapes.y;
      let e = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < xs.length; i++) e = [Math.min(e[0], xs[i]), Math.min(e[1], ys[i]), Math.max(e[2], xs[i]), Math.max(e[3], ys[i])];
      await page.waitForFunction((want: string) => (document.getElementById('bounds') as HTMLInputElement).value === want, { timeout: 30_000 }, e.map(String).join(' '));
      expect(await page.$eval('#grid-bounds', (el) => (el as HTMLInputElement).checked)).toBe(true);
      const out = await rasterizeAndWait(page);
      expect(out.kind).toBe('info');
      const want = gridFromBounds(e as [number, number, number, number], { resolution: [2, 2] }, { crs: 'EPSG:32633', targetAlignedPixels: true });
      const r = await resultInPage(page);
      const expected = (await rasterize(fc as never, want, { attribute: 'BuildingID', dtype: 'uint16', backend: 'cpu' })).data;
      expect(r).toMatchObject({ width: want.width, height: want.height, transform: want.transform, crs: 'EPSG:32633', hash: hashBytes(expected) });
      expect(await warningsOf(page)).toEqual([]);

      // the features are lon/lat and the grid UTM: GDAL reprojects only into an existing raster, so the command creates one first
      const gd = await textOf(page, '#command-gdal');
      const name = `buildings_BuildingID_uint16_${want.width}x${want.height}.tif`;
      expect(gd).toMatch(/^gdal_create -of GTiff -outsize \d+ \d+ -a_srs EPSG:32633 -a_ullr .* && gdal_rasterize -b 1 -a BuildingID buildings\.geojson /);
      const dir = join(app.work, 'cmd-fit');
      mkdirSync(dir);
      copyFileSync(SAMPLE_GEOJSON, join(dir, 'buildings.geojson'));
      expect(hashBytes(await runShown(gd, dir, name))).toBe(hashBytes(expected));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
