// Chips for ML labels from the web page: the grid cut into N x N chips burned with rasterizeBatch in the
// burn worker (on the CPU, and on WebGPU in the worker), zipped as GeoTIFF or .npy with a GeoJSON index
// of their footprints. Every chip must hold the pixels of a single rasterize() call on its own grid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gridFromBounds } from '../../src/grid-from-bounds.js';
import { gridFromGeoTIFF, readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { rasterize } from '../../src/rasterize.js';
import type { GeoTransform, Grid } from '../../src/types.js';
import { startApp, type AppFixture } from './app/fixture.js';
import { openApp, readNpy, setField, waitForData, waitForDownload } from './app/page.js';
import { chromiumMissing } from './chromium.js';
import { ROOT } from './server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the web page chip tests: ${missing}`);

interface IndexEntry { file: string; row: number; col: number; width: number; height: number; burned: number }

describe.skipIf(missing !== null)('web page: batch chips', () => {
  let app: AppFixture;
  let grid: Grid;
  let fc: unknown;

  beforeAll(async () => {
    app = await startApp();
    grid = await gridFromGeoTIFF(new Uint8Array(readFileSync(join(ROOT, 'examples', 'template.tif'))));
    fc = JSON.parse(readFileSync(join(ROOT, 'examples', 'buildings.geojson'), 'utf8'));
  });
  afterAll(async () => { await app?.close(); });

  /** the grid of chip (row, col) of `size` pixels: the grid's transform moved by whole chips */
  const chipGrid = (row: number, col: number, size: number, of: Grid = grid): Grid => {
    const [x0, dx, rx, y0, ry, dy] = of.transform;
    const t: GeoTransform = [x0 + col * size * dx + row * size * rx, dx, rx, y0 + col * size * ry + row * size * dy, ry, dy];
    return { width: size, height: size, transform: t, crs: of.crs };
  };

  test('GeoTIFF chips on the CPU (only those with features) and .npy chips on WebGPU equal single rasterize() calls', async () => {
    const downloads = join(app.work, 'chips');
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: downloads });
    try {
      await page.click('#use-sample');
      await waitForData(page, /1,500 features/);
      await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));

      // 300-pixel chips: 4 x 4, the last row and column running 200 pixels past the grid (nothing burns there)
      await page.$eval('#chip-size', (el) => { (el as HTMLInputElement).value = '300'; });
      await page.click('#make-chips');
      const zipName = 'buildings_BuildingID_uint16_300x300_chips.zip';
      const zip = unzipSync(new Uint8Array(await waitForDownload(downloads, zipName, 60_000)));
      const info = await page.$eval('#message', (el) => el.textContent ?? '');
      expect(info).toMatch(/^Chips: 16 written, in \d+ ms \(CPU, rasterizeBatch\)\./);
      const index = JSON.parse(new TextDecoder().decode(zip['buildings_BuildingID_uint16_300x300_index.geojson'])) as { crs: { properties: { name: string } }; features: { properties: IndexEntry; geometry: { coordinates: number[][][] } }[] };
      expect(index.crs.properties.name).toBe(grid.crs);
      expect(index.features).toHaveLength(16);
      for (const f of index.features) {
        const { file, row, col, burned } = f.properties;
        const want = await rasterize(fc as never, chipGrid(row, col, 300), { attribute: 'BuildingID', dtype: 'uint16', backend: 'cpu' });
        const got = await readGeoTIFFRaster(zip[file]);
        expect(got.grid, file).toEqual(chipGrid(row, col, 300));
        expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(want.data.buffer)), file).toBe(true);
        expect(burned, file).toBe(Array.from(want.data).filter((v) => v !== 0).length);
        const [x0, , , y0] = chipGrid(row, col, 300).transform;
        expect(f.geometry.coordinates[0][0]).toEqual([x0, y0]);
      }
      expect(Object.keys(zip)).toHaveLength(17);

      // 256-pixel chips on WebGPU (the worker's own device), as .npy, with the empty ones left out, on a grid
      // twice as wide as the buildings' (typed bounds): the eastern half holds nothing
      const wide = gridFromBounds([456000, 5430000, 457000, 5430500], { resolution: [0.5, 0.5] }, { crs: 'EPSG:32633' });
      await setField(page, '#bounds', '456000 5430000 457000 5430500');
      await page.select('#engine', 'webgpu');
      await page.select('#chip-format', 'npy');
      await page.$eval('#chip-size', (el) => { (el as HTMLInputElement).value = '256'; });
      await page.evaluate(() => { document.getElementById('message')!.textContent = ''; });
      await page.click('#make-chips');
      const zip2 = unzipSync(new Uint8Array(await waitForDownload(downloads, 'buildings_BuildingID_uint16_256x256_chips.zip', 120_000)));
      const info2 = await page.$eval('#message', (el) => el.textContent ?? '');
      console.log(info2);
      const m = /^Chips: (\d+) written, (\d+) without features left out, in \d+ ms \((WebGPU|CPU), rasterizeBatch\)\./.exec(info2);
      expect(m, info2).not.toBeNull();
      expect(m![3]).toBe('WebGPU');
      const written = Number(m![1]), skipped = Number(m![2]);
      expect(written + skipped).toBe(32);
      expect(skipped).toBeGreaterThanOrEqual(12);
      const index2 = JSON.parse(new TextDecoder().decode(zip2['buildings_BuildingID_uint16_256x256_index.geojson'])) as { features: { properties: IndexEntry }[] };
      expect(index2.features).toHaveLength(written);
      const seen = new Set(index2.features.map((f) => `${f.properties.row},${f.properties.col}`));
      for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 8; col++) {
          const want = await rasterize(fc as never, chipGrid(row, col, 256, wide), { attribute: 'BuildingID', dtype: 'uint16', backend: 'cpu' });
          const any = want.data.some((v) => v !== 0);
          expect(seen.has(`${row},${col}`), `chip ${row},${col} written iff something burned`).toBe(any);
          if (!any) continue;
          const npy = readNpy(Buffer.from(zip2[`buildings_BuildingID_uint16_256x256_r${row}_c${col}.npy`]));
          expect(npy.shape).toEqual([256, 256]);
          expect(npy.data.equals(Buffer.from(want.data.buffer)), `chip ${row},${col}`).toBe(true);
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('Cancel stops a chip run; progress counts chips', async () => {
    const { page, problems } = await openApp(app.chromium.browser, `${app.server.origin}/`, { downloadDir: app.work });
    try {
      await page.click('#use-sample');
      await waitForData(page, /1,500 features/);
      await page.waitForFunction(() => /template\.tif: 1000 × 1000/.test(document.getElementById('template-status')!.textContent ?? ''));
      // 8-pixel chips: 15,625 jobs
      await page.$eval('#chip-size', (el) => { (el as HTMLInputElement).value = '8'; });
      await page.click('#make-chips');
      await page.waitForFunction(() => / of 15,625 chips$/.test(document.getElementById('progress-text')!.textContent ?? ''), { timeout: 30_000, polling: 20 });
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('message')!.textContent === 'Cancelled.', { timeout: 10_000 });
      expect(await page.$eval('#make-chips', (el) => (el as HTMLButtonElement).disabled)).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
