// toGeoTIFFAsync from the built Node entry (worker threads run compiled JavaScript): the same bytes for any
// thread count, the pixels readable back, the library's pool reused, and a script that awaits it ends by itself.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGeoTIFFRaster } from '../../src/io/tiff/read.js';

const ROOT = join(import.meta.dirname, '../..');
const NODE_ENTRY = join(ROOT, 'dist/src/node.js');
type NodeEntry = typeof import('../../src/node.js');
const load = (): Promise<NodeEntry> => import(NODE_ENTRY) as Promise<NodeEntry>;

describe('toGeoTIFFAsync', () => {
  it('writes the same bytes on 1, 3 and every thread, for every codec, and they read back as the pixels', async () => {
    const { toGeoTIFFAsync } = await load();
    const data = Int16Array.from({ length: 1200 * 900 }, (_, i) => ((i * 7919) % 5000) - 2500 + (i % 1200 < 300 ? 0 : (i / 1200) | 0));
    const raster = { data, width: 1200, height: 900, dtype: 'int16' as const, transform: [0, 1, 0, 900, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:3857', nodata: -1 };
    for (const o of [{ compress: 'deflate', predictor: 2 }, { compress: 'zstd', layout: 'tiles', tileSize: 128 }, { compress: 'lzw' }, { compress: 'packbits', layout: 'tiles' }] as const) {
      const files = await Promise.all([1, 3, 'all' as const].map((threads) => toGeoTIFFAsync(raster, { ...o, threads })));
      const one = new Uint8Array(files[0]);
      for (const f of files.slice(1)) expect(Buffer.from(f).equals(one), JSON.stringify(o)).toBe(true);
      const back = await readGeoTIFFRaster(files[1], 1);
      expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer)), JSON.stringify(o)).toBe(true);
    }
    await expect(toGeoTIFFAsync(raster, { compress: 'deflate', threads: 0 })).rejects.toThrow(/^threads must be a whole number of at least 1 or 'all', got 0$/);
  });

  it('a script awaiting it ends by itself, after the answer', () => {
    const script = `
      const { toGeoTIFFAsync } = await import(${JSON.stringify(NODE_ENTRY)});
      const data = new Uint8Array(3000 * 3000).map((_, i) => i % 251);
      const tif = await toGeoTIFFAsync({ data, width: 3000, height: 3000, dtype: 'uint8', transform: [0, 1, 0, 0, 0, -1], crs: 'EPSG:3857', nodata: null }, { compress: 'deflate', threads: 3 });
      console.log(tif.byteLength > 1000 && tif.byteLength < data.length);
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(out.trim()).toBe('true');
  });
});
