// The web page reading the library's vector formats in its data worker: a Shapefile as a .zip, one
// layer picked from a GeoPackage of two, a FlatGeobuf from a URL read by HTTP range requests (only
// the part the typed grid needs), a GeoParquet written with hyparquet-writer, and a bad file. Every
// burn is compared pixel for pixel with gdal_rasterize on the same file and grid.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gridFromGeoTIFF, readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import type { Grid } from '../../src/types.js';
import { geoParquetBytes } from '../formats/geoparquet-writer.js';
import { GDAL_ENV } from '../oracle/gdal/oracle.js';
import { startApp, type AppFixture } from './app/fixture.js';
import { openApp, rasterizeAndWait, resultInPage, setField, textOf, waitForData } from './app/page.js';
import { chromiumMissing } from './chromium.js';
import { ROOT } from './server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the web page format tests: ${missing}`);

const SAMPLE_GEOJSON = join(ROOT, 'examples', 'buildings.geojson');
const SAMPLE_TIF = join(ROOT, 'examples', 'template.tif');

/** gdal_rasterize's pixels for `input` on the grid, hashed as resultInPage hashes the page's. */
async function gdalResult(dir: string, args: string[]): Promise<{ hash: string; type: string; burned: number }> {
  execFileSync('gdal_rasterize', [...args, '-ot', 'UInt16', '-init', '0', '-of', 'GTiff', 'gdal.tif'], { cwd: dir, env: GDAL_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const data = (await readGeoTIFFRaster(new Uint8Array(readFileSync(join(dir, 'gdal.tif'))))).data;
  const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  let burned = 0;
  for (let i = 0; i < data.length; i++) if (Number(data[i]) !== 0) burned++;
  return { hash: (h >>> 0).toString(16).padStart(8, '0'), type: data.constructor.name, burned };
}

/** -te and -ts of a north-up grid */
function gridArgs(g: Grid): string[] {
  const [x0, dx, , y0, , dy] = g.transform;
  return ['-te', String(x0), String(y0 + g.height * dy), String(x0 + g.width * dx), String(y0), '-ts', String(g.width), String(g.height)];
}

/**
 * A server of one directory that honours single HTTP ranges (what FlatGeobuf's reader asks for) and
 * allows any origin, counting the bytes it sends.
 */
function rangeServer(dir: string): Promise<{ server: Server; origin: string; sent: () => number }> {
  let sent = 0;
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, Accept-Ranges');
    if (req.method === 'OPTIONS') { res.writeHead(204).end(); return; }
    const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, ''));
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    res.writeHead(m ? 206 : 200, { 'Content-Length': String(end - start + 1), 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', ...(m ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) });
    if (req.method === 'HEAD') { res.end(); return; }
    sent += end - start + 1;
    createReadStream(path, { start, end }).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent })));
}

describe.skipIf(missing !== null)('web page: vector formats read in the data worker, burned as GDAL burns them', () => {
  let app: AppFixture;
  let grid: Grid;
  let ranged: Awaited<ReturnType<typeof rangeServer>>;

  beforeAll(async () => {
    app = await startApp();
    grid = await gridFromGeoTIFF(new Uint8Array(readFileSync(SAMPLE_TIF)));
    const ogr = (args: string[]): void => { execFileSync('ogr2ogr', args, { cwd: app.work, env: GDAL_ENV, stdio: ['ignore', 'pipe', 'pipe'] }); };
    // in the template's CRS, so that GDAL and the page burn the same coordinates without reprojection
    ogr(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32633', 'b.shp', SAMPLE_GEOJSON]);
    writeFileSync(join(app.work, 'b.zip'), zipSync(Object.fromEntries(['shp', 'shx', 'dbf', 'prj', 'cpg'].filter((e) => existsSync(join(app.work, `b.${e}`))).map((e) => [`b.${e}`, new Uint8Array(readFileSync(join(app.work, `b.${e}`)))]))));
    ogr(['-f', 'GPKG', '-t_srs', 'EPSG:32633', '-nln', 'all', 'm.gpkg', SAMPLE_GEOJSON]);
    ogr(['-update', '-f', 'GPKG', '-t_srs', 'EPSG:32633', '-nln', 'some', '-where', 'BuildingID % 3 = 0', 'm.gpkg', SAMPLE_GEOJSON]);
    ogr(['-f', 'FlatGeobuf', '-t_srs', 'EPSG:32633', 'b.fgb', SAMPLE_GEOJSON]);
    ogr(['-f', 'GeoJSON', '-t_srs', 'EPSG:32633', 'utm.geojson', SAMPLE_GEOJSON]);
    const utm = JSON.parse(readFileSync(join(app.work, 'utm.geojson'), 'utf8')) as { features: { geometry: { type: string }; properties: Record<string, unknown> }[] };
    writeFileSync(join(app.work, 'b.parquet'), geoParquetBytes(utm.features, { crs: 'EPSG:32633', covering: true, rowGroupSize: 100, types: { BuildingID: 'INT32' } }));
    writeFileSync(join(app.work, 'bad.gpkg'), 'not a geopackage at all');
    ranged = await rangeServer(app.work);
  });
  afterAll(async () => {
    await app?.close();
    if (ranged) await new Promise((r) => ranged.server.close(r));
  });

  async function pageWithTemplate(): Promise<Page> {
    const { page } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work });
    await (await page.$('input#template-file'))!.uploadFile(SAMPLE_TIF);
    await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));
    return page;
  }

  test('a Shapefile as a .zip, then as its parts together', async () => {
    const page = await pageWithTemplate();
    try {
      await (await page.$('input#geojson-file'))!.uploadFile(join(app.work, 'b.zip'));
      await waitForData(page, /b\.zip: 1,500 features; numeric properties: BuildingID/);
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      const want = await gdalResult(app.work, ['-a', 'BuildingID', ...gridArgs(grid), '/vsizip/b.zip/b.shp']);
      expect(want.burned).toBeGreaterThan(1000);
      expect(await resultInPage(page)).toMatchObject(want);
      // the same Shapefile as its parts picked together
      const parts = ['shp', 'shx', 'dbf', 'prj'].map((e) => join(app.work, `b.${e}`));
      await (await page.$('input#geojson-file'))!.uploadFile(...parts);
      await waitForData(page, /^b\.shp: 1,500 features/);
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      expect(await resultInPage(page)).toMatchObject(want);
    } finally {
      await page.close();
    }
  });

  test('the layer picked from a GeoPackage of two', async () => {
    const page = await pageWithTemplate();
    try {
      await (await page.$('input#geojson-file'))!.uploadFile(join(app.work, 'm.gpkg'));
      await waitForData(page, /m\.gpkg \(layer all\): 1,500 features/);
      expect(await page.$eval('#layer-row', (el) => (el as HTMLElement).hidden)).toBe(false);
      await page.select('#layer', 'some');
      await waitForData(page, /m\.gpkg \(layer some\): 500 features/);
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      const want = await gdalResult(app.work, ['-a', 'BuildingID', '-l', 'some', ...gridArgs(grid), 'm.gpkg']);
      expect(want.burned).toBeGreaterThan(100);
      expect(await resultInPage(page)).toMatchObject(want);
    } finally {
      await page.close();
    }
  });

  test('a FlatGeobuf URL read only where the typed grid lies, then wholly for a wider grid', async () => {
    const { page } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work });
    try {
      // the template's western half
      const [x0, dx, , y0, , dy] = grid.transform;
      const half = [x0, y0 + grid.height * dy, x0 + (grid.width / 2) * dx, y0];
      await setField(page, '#bounds', half.join(' '));
      await setField(page, '#resolution', `${dx} ${-dy}`);
      await setField(page, '#crs', 'EPSG:32633');
      await setField(page, '#data-url', `${ranged.origin}/b.fgb`);
      const before = ranged.sent();
      // (the URL fields sit in a folded section)
      await page.$eval('#load-urls', (el) => (el as HTMLButtonElement).click());
      await waitForData(page, /b\.fgb: [\d,]+ features meeting the grid/).catch(async (e) => {
        throw new Error(`${(e as Error).message}; the page says "${await textOf(page, '#message')}", "${await textOf(page, '#geojson-status')}", loading "${await textOf(page, '#loading-text')}"`);
      });
      const count = Number((await textOf(page, '#geojson-status')).match(/: ([\d,]+) features/)![1].replace(/,/g, ''));
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(1500);
      expect(ranged.sent() - before).toBeLessThan(statSync(join(app.work, 'b.fgb')).size);
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      const halfArgs = ['-te', ...half.map(String), '-tr', String(dx), String(-dy)];
      let want = await gdalResult(app.work, ['-a', 'BuildingID', ...halfArgs, 'b.fgb']);
      expect(want.burned).toBeGreaterThan(100);
      expect(await resultInPage(page)).toMatchObject(want);
      // the whole template's grid reaches beyond what was read: the page reads the file again for it
      await setField(page, '#bounds', [x0, y0 + grid.height * dy, x0 + grid.width * dx, y0].join(' '));
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      want = await gdalResult(app.work, ['-a', 'BuildingID', ...gridArgs(grid), 'b.fgb']);
      expect(await resultInPage(page)).toMatchObject(want);
    } finally {
      await page.close();
    }
  });

  test('a GeoParquet file written by hyparquet-writer burns as GDAL burns its source', async () => {
    const page = await pageWithTemplate();
    try {
      await (await page.$('input#geojson-file'))!.uploadFile(join(app.work, 'b.parquet'));
      await waitForData(page, /b\.parquet: 1,500 features; numeric properties: BuildingID/);
      expect((await rasterizeAndWait(page)).kind).not.toBe('error');
      expect(await resultInPage(page)).toMatchObject(await gdalResult(app.work, ['-a', 'BuildingID', ...gridArgs(grid), 'utm.geojson']));
    } finally {
      await page.close();
    }
  });

  test('a bad file: a one-line error, the loading indicator gone', async () => {
    const page = await pageWithTemplate();
    try {
      await (await page.$('input#geojson-file'))!.uploadFile(join(app.work, 'bad.gpkg'));
      await page.waitForFunction(() => document.getElementById('message')!.className === 'error', { timeout: 30_000 });
      const message = await textOf(page, '#message');
      expect(message).toMatch(/bad\.gpkg/);
      expect(message).not.toMatch(/\n/);
      expect(await page.$eval('#loading', (el) => (el as HTMLElement).hidden)).toBe(true);
    } finally {
      await page.close();
    }
  });
});
