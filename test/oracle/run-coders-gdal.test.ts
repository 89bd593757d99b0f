// GeoTIFFs whose chunks went through the run coders (src/io/tiff/deflate-runs.ts, zstd-runs.ts) read back by the
// real GDAL 3.6.2 to the pixels they were written from: seeded rasters of runs, for several data types, strips
// and tiles, one strip wider than a ZSTD block, with and without the horizontal predictor. The seed is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/random.js';
import { DTYPES } from '../../src/dtype.js';
import { deflateRuns } from '../../src/io/tiff/deflate-runs.js';
import { toGeoTIFF, type GeoTIFFWriteOptions } from '../../src/io/tiff/write.js';
import { zstdRuns } from '../../src/io/tiff/zstd-runs.js';
import { loadZstd } from '../../src/io/tiff/zstd.js';
import type { DType, Raster } from '../../src/types.js';
import { pythonJson } from './gdal/oracle.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-run-coders-'));
  await loadZstd();
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

// each file's compression and the sha-256 of its band's pixels as GDAL reads them (little-endian)
const READ = String.raw`
import sys, json, hashlib
from osgeo import gdal
gdal.UseExceptions()
out = []
for path in json.load(sys.stdin):
    ds = gdal.Open(path)
    arr = ds.GetRasterBand(1).ReadAsArray()
    out.append({'sha': hashlib.sha256(arr.astype(arr.dtype.newbyteorder('<')).tobytes()).hexdigest(),
                'compression': ds.GetMetadataItem('COMPRESSION', 'IMAGE_STRUCTURE')})
print(json.dumps(out))
`;

// a raster of runs along each row: building-like ids, zeros between, some rows copied from the row above
function runsRaster(seed: number, dtype: DType, width: number, height: number): Raster {
  const rand = mulberry32(seed);
  const data = DTYPES[dtype].make(width * height) as Raster['data'];
  const top = dtype === 'uint8' ? 255 : dtype === 'float32' ? 1e6 : 60000;
  for (let y = 0; y < height; y++) {
    if (y > 0 && rand() < 0.3) {
      for (let x = 0; x < width; x++) (data as Float64Array)[y * width + x] = (data as Float64Array)[(y - 1) * width + x];
      continue;
    }
    for (let x = 0; x < width;) {
      const len = 1 + Math.floor(rand() * 60);
      const v = rand() < 0.5 ? 0 : dtype === 'float32' ? Math.fround(rand() * top) : 1 + Math.floor(rand() * top);
      for (let k = 0; k < len && x < width; k++, x++) (data as Float64Array)[y * width + x] = v;
    }
  }
  return { data, width, height, transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata: null, dtype };
}

function sha(raster: Raster): string {
  const d = raster.data;
  return createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');
}

describe('the run coders read back by GDAL', () => {
  it('DEFLATE and ZSTD chunks of seeded runs hold the pixels they were written from', () => {
    const seed = Number(process.env.RUN_CODER_SEED ?? 20261207);
    console.log(`run coders vs GDAL: seed ${seed} (RUN_CODER_SEED=${seed} repeats it)`);
    const cases: Array<{ dtype: DType; width: number; height: number; options: GeoTIFFWriteOptions }> = [];
    for (const compress of ['deflate', 'zstd'] as const) {
      cases.push({ dtype: 'uint16', width: 3000, height: 40, options: { compress } });
      cases.push({ dtype: 'uint8', width: 1000, height: 60, options: { compress } });
      cases.push({ dtype: 'int32', width: 700, height: 50, options: { compress, predictor: 2 } });
      cases.push({ dtype: 'float32', width: 900, height: 30, options: { compress } });
      cases.push({ dtype: 'uint16', width: 1000, height: 700, options: { compress, layout: 'tiles', tileSize: 256 } });
      // one strip of 160 KB: two ZSTD blocks
      cases.push({ dtype: 'float64', width: 20000, height: 3, options: { compress } });
    }
    const paths: string[] = [], want: string[] = [];
    let coded = 0;
    cases.forEach((c, i) => {
      const raster = runsRaster(seed + i, c.dtype, c.width, c.height);
      const path = join(dir, `case${i}-${c.options.compress}-${c.dtype}.tif`);
      writeFileSync(path, new Uint8Array(toGeoTIFF(raster, c.options)));
      paths.push(path);
      want.push(sha(raster));
      // the first row is runs: the run coder takes it (not only zlib or zstd)
      const bytes = DTYPES[c.dtype].bytes;
      const row = new Uint8Array(raster.data.buffer, 0, c.width * bytes).slice();
      if (!c.options.predictor && (c.options.compress === 'zstd' ? zstdRuns(row, bytes) : deflateRuns(row, bytes))) coded++;
    });
    expect(coded).toBeGreaterThanOrEqual(8);
    const got = pythonJson<Array<{ sha: string; compression: string }>>(READ, paths);
    got.forEach((g, i) => {
      expect(g.compression, paths[i]).toBe(cases[i].options.compress!.toUpperCase());
      expect(g.sha, `${paths[i]} (seed ${seed + i})`).toBe(want[i]);
    });
  });
});
