// The reader layer in headless Chromium, from the browser bundle: a GeoPackage (sql.js with its wasm
// inlined, loaded on demand), a FlatGeobuf, a GeoParquet file, a zipped Shapefile, its parts as Files
// dropped together, and a GeoJSON sequence read by readFeatures in the page give the same features and
// the same raster as readFeatures in Node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rasterize } from '../../src/rasterize.js';
import { readFeatures } from '../../src/node.js';
import { geoParquetBytes } from '../formats/geoparquet-writer.js';
import { freshBundle, type Bundle } from './bundle.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the Chromium reader tests: ${missing}`);

const hash = (a: ArrayBufferView): string => {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};

const features = Array.from({ length: 60 }, (_, i) => {
  const x = 500000 + (i % 10) * 7.3, y = 6000000 + Math.floor(i / 10) * 6.1;
  return { type: 'Feature', properties: { bid: i + 1, name: `b${i}` }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 5.2, y + 0.4], [x + 4.1, y + 4.9], [x - 0.3, y + 3.7], [x, y]]] } };
});
const grid = { width: 80, height: 48, transform: [499995, 1, 0, 6000040, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:32633' };

let work: string;
let bundle: Bundle;
let server: StaticServer;
let chromium: Chromium;
let page: Page;

describe.skipIf(missing !== null)('readFeatures in headless Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rasterburn-formats-page-'));
    writeFileSync(join(work, 'b.geojson'), JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } }, features }));
    for (const [driver, out] of [['GPKG', 'b.gpkg'], ['FlatGeobuf', 'b.fgb'], ['ESRI Shapefile', 'b.shp'], ['GeoJSONSeq', 'b.geojsonl']]) {
      execFileSync('ogr2ogr', ['-f', driver, out, 'b.geojson'], { cwd: work, stdio: 'ignore' });
    }
    writeFileSync(join(work, 'b.parquet'), geoParquetBytes(features, { crs: 'EPSG:32633', covering: true, rowGroupSize: 16 }));
    const parts = Object.fromEntries(['shp', 'shx', 'dbf', 'prj', 'cpg'].filter((e) => existsSync(join(work, `b.${e}`))).map((e) => [`b.${e}`, readFileSync(join(work, `b.${e}`))]));
    writeFileSync(join(work, 'b.zip'), zipSync(parts));
    bundle = freshBundle();
    server = await startStaticServer({ '/dist/': bundle.dir, '/data/': work, '/': 'test/browser/pages' });
    chromium = await launchChromium();
    page = await chromium.open(`${server.origin}/index.html`);
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    bundle?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('every format gives Node\'s features and raster', async () => {
    const want = await rasterize(await readFeatures(join(work, 'b.gpkg')), grid, { attribute: 'bid', dtype: 'uint16' });
    expect(want.stats.features).toBe(60);
    const got = await page.evaluate(`(async (grid) => {
      const rb = await import('/dist/rasterburn.js');
      const bytes = async (f) => new Uint8Array(await (await fetch('/data/' + f)).arrayBuffer());
      const file = async (f) => new File([await bytes(f)], f);
      const hash = (a) => { const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); let h = 0x811c9dc5; for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193); return (h >>> 0).toString(16).padStart(8, '0'); };
      const inputs = {
        gpkg: await bytes('b.gpkg'), fgb: await file('b.fgb'), parquet: await file('b.parquet'), zip: await file('b.zip'),
        parts: await Promise.all(['b.shp', 'b.dbf', 'b.prj'].map(file)), seq: await bytes('b.geojsonl'),
        fgbUrl: location.origin + '/data/b.fgb',
      };
      const out = {};
      for (const [k, input] of Object.entries(inputs)) {
        try {
          const layer = await rb.readFeatures(input);
          const r = await rb.rasterize(layer, grid, { attribute: 'bid', dtype: 'uint16' });
          out[k] = { n: layer.features.length, crs: layer.crs && layer.crs.properties.name, hash: hash(r.data) };
        } catch (e) { out[k] = { error: String(e && e.message || e) }; }
      }
      return out;
    })(${JSON.stringify(grid)})`) as Record<string, unknown>;
    const h = hash(want.data);
    for (const k of ['gpkg', 'fgb', 'parquet', 'zip', 'parts', 'fgbUrl']) expect(got[k], k).toEqual({ n: 60, crs: 'EPSG:32633', hash: h });
    // a GeoJSON sequence is CRS84 to GDAL whatever its coordinates: burned into the UTM grid it is reprojected
    expect(got.seq).toMatchObject({ n: 60, crs: 'OGC:CRS84' });
  }, 120_000);
});
