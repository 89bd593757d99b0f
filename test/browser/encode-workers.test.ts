// toGeoTIFFAsync in headless Chromium compresses on Web Workers (the bundle's encode-worker.js) and gives
// the bytes of the synchronous toGeoTIFF, for each codec the bundle writes, strips and tiles, any thread count
// (ZSTD too: its .wasm file travels in the bundle's chunks/, fetched by the page and by each worker).
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshBundle, type Bundle } from './bundle.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './server.js';
import { randomScene } from '../shared/batch-scenes.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the Chromium encode-worker tests: ${missing}`);

let bundle: Bundle;
let server: StaticServer;
let chromium: Chromium;
let page: Page;

describe.skipIf(missing !== null)('toGeoTIFFAsync on Web Workers in headless Chromium', () => {
  beforeAll(async () => {
    bundle = freshBundle();
    server = await startStaticServer({ '/dist/': bundle.dir, '/': 'test/browser/pages' });
    chromium = await launchChromium();
    page = await chromium.open(`${server.origin}/index.html`);
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    bundle?.cleanup();
  });

  test('the synchronous toGeoTIFF\'s bytes, compressed on workers', async () => {
    const { features, grid } = randomScene(21, 1000, 700);
    const sets = [
      { compress: 'deflate' }, { compress: 'deflate', predictor: 2, layout: 'tiles', tileSize: 64 }, { compress: 'deflate', zlevel: 9 },
      { compress: 'lzw' }, { compress: 'lzw', predictor: 2, layout: 'tiles', tileSize: 128 }, { compress: 'packbits' },
      { compress: 'zstd' }, { compress: 'zstd', predictor: 2, layout: 'tiles', tileSize: 64 },
    ];
    const got = await page.evaluate(`(async (features, grid, sets) => {
      const rb = await import('/dist/rasterburn.js');
      const raster = await rb.rasterize(features, grid, { attribute: 'id', dtype: 'uint16' });
      const hash = (buf) => { const b = new Uint8Array(buf); let h = 0x811c9dc5; for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193); return (h >>> 0).toString(16) + ':' + b.length; };
      // batches posted to the encode workers, counted at the Worker boundary
      let posted = 0;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (...a) { if (a[0] && a[0].spec) posted++; return post.apply(this, a); };
      const out = [];
      await rb.loadZstd();
      for (const o of sets) {
        const sync = hash(rb.toGeoTIFF(raster, o));
        const before = posted;
        const four = hash(await rb.toGeoTIFFAsync(raster, { ...o, threads: 4 }));
        const batches = posted - before;
        const one = hash(await rb.toGeoTIFFAsync(raster, { ...o, threads: 1 }));
        out.push({ sync, four, one, batches });
      }
      Worker.prototype.postMessage = post;
      return out;
    })(${JSON.stringify(features)}, ${JSON.stringify(grid)}, ${JSON.stringify(sets)})`) as { sync: string; four: string; one: string; batches: number }[];
    got.forEach((g, i) => {
      const what = JSON.stringify(sets[i]);
      expect(g.four, what).toBe(g.sync);
      expect(g.one, what).toBe(g.sync);
      expect(g.batches, what).toBeGreaterThan(0);
    });
  }, 300_000);

  test('a worker that cannot load fails the write with its reason', async () => {
    const msg = await page.evaluate(`(async () => {
      const rb = await import('/dist/rasterburn.js');
      rb.useWebEncodeThreads('/dist/no-such-worker.js');
      const raster = await rb.rasterize({ type: 'Polygon', coordinates: [[[0, 0], [900, 0], [900, 900], [0, 0]]] }, { width: 2000, height: 2000, transform: [0, 0.5, 0, 1000, 0, -0.5] }, { burn: 1, dtype: 'uint16' });
      try { await rb.toGeoTIFFAsync(raster, { compress: 'deflate', threads: 3 }); return 'no error'; } catch (e) { return e.message; }
      finally { rb.useWebEncodeThreads(new URL('/dist/encode-worker.js', location.href)); }
    })()`);
    expect(msg).toMatch(/GeoTIFF encode worker failed/);
  }, 120_000);
});
