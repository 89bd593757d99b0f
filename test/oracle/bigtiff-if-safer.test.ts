// BIGTIFF=IF_SAFER decided as GDAL decides it: BigTIFF once the uncompressed pixels of every band pass 2 GB,
// whatever the compression. GDAL's choice is read from files gdal_create makes at sizes either side of the
// line (sparse, so they stay small); ours from the head rasterburn would write for the same -co.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCreationOptions } from '../../src/io/tiff/creation-options.js';
import { encodeHead } from '../../src/io/tiff/write.js';
import type { DType } from '../../src/types.js';
import { CLI } from './gdal/harness.js';
import { GDAL_ENV } from './gdal/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'rasterburn-ifsafer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TYPES: Record<string, DType> = { Byte: 'uint8', UInt16: 'uint16', Float64: 'float64' };

// [width, height, GDAL type, bands, compression]: each pair straddles 2,000,000,000 bytes
const CASES: Array<[number, number, string, number, string]> = [
  [50000, 40000, 'Byte', 1, 'DEFLATE'],
  [44722, 44722, 'Byte', 1, 'DEFLATE'],
  [25000, 40000, 'UInt16', 1, 'NONE'],
  [25000, 40001, 'UInt16', 1, 'NONE'],
  [25000, 20000, 'UInt16', 2, 'ZSTD'],
  [25000, 20001, 'UInt16', 2, 'ZSTD'],
  [10000, 25000, 'Float64', 1, 'LZW'],
  [10000, 25001, 'Float64', 1, 'LZW'],
];

describe('BIGTIFF=IF_SAFER', () => {
  it.each(CASES)('%i x %i %s x%i %s: BigTIFF exactly when GDAL makes one', (w, h, type, bands, compress) => {
    const co = ['BIGTIFF=IF_SAFER', `COMPRESS=${compress}`];
    const path = join(dir, `${w}x${h}x${bands}-${type}.tif`);
    execFileSync('gdal_create', ['-q', '-of', 'GTiff', '-outsize', String(w), String(h), '-bands', String(bands), '-ot', type,
      ...[...co, 'SPARSE_OK=YES'].flatMap((c) => ['-co', c]), path], { env: GDAL_ENV, stdio: 'ignore' });
    const gdalBig = readFileSync(path)[2] === 43;
    rmSync(path);
    const dtype = TYPES[type];
    const { options } = parseCreationOptions(co, dtype);
    const rows = Math.max(1, Math.floor(8192 / (w * bands * { uint8: 1, uint16: 2, float64: 8 }[dtype as 'uint8'])));
    const strips = Math.ceil(h / rows);
    const head = encodeHead({ width: w, height: h, dtype, transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata: null },
      { ...options, samples: bands }, new Array<number>(strips).fill(0));
    expect(head.bigTiff).toBe(gdalBig);
  }, 120_000);

  it('writes a small raster as classic TIFF, as gdal_rasterize does', () => {
    writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[1, 1], [8, 1], [8, 8], [1, 1]]] } }] }));
    for (const compress of ['NONE', 'DEFLATE']) {
      const args = ['-burn', '3', '-te', '0', '0', '10', '10', '-ts', '10', '10', '-ot', 'Byte', '-co', 'BIGTIFF=IF_SAFER', '-co', `COMPRESS=${compress}`, 'src.geojson'];
      execFileSync('gdal_rasterize', [...args, 'g.tif'], { cwd: dir, env: GDAL_ENV, stdio: 'ignore' });
      execFileSync(process.execPath, [CLI, '-q', ...args, 'o.tif'], { cwd: dir, stdio: 'ignore' });
      expect(readFileSync(join(dir, 'g.tif'))[2]).toBe(42);
      expect(readFileSync(join(dir, 'o.tif'))[2]).toBe(42);
    }
  });

  it('names a bad bigTiff value', () => {
    expect(() => encodeHead({ width: 1, height: 1, dtype: 'uint8', transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata: null },
      { bigTiff: 'sometimes' as 'if-safer' })).toThrow(/bigTiff must be true, false or 'if-safer', got sometimes/);
  });
});
