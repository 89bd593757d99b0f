// -co creation options against the real gdal_rasterize: pixels, type, nodata, compression, predictor and
// block layout per case; GDAL's own warnings for what is ignored; GDAL's refusals; BigTIFF and sparse
// chunks read from the files themselves.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { compareRasters, GDAL_ENV, pythonJson, type RasterMeta } from './gdal/oracle.js';

const G = (geometry: unknown, v: number): Feature => ({ type: 'Feature', properties: { v }, geometry });
const SRC: Feature[] = [
  G({ type: 'Polygon', coordinates: [[[3.2, 4.1], [290.5, 12.7], [250.3, 190.2], [10.4, 170.9], [3.2, 4.1]]] }, 7.25),
  G({ type: 'Polygon', coordinates: [[[120, 60], [180, 60], [180, 140], [120, 140], [120, 60]], [[140, 80], [160, 80], [160, 120], [140, 80]]] }, -3.5),
  G({ type: 'LineString', coordinates: [[0, 199], [299, 0]] }, 1000.125),
  G({ type: 'Point', coordinates: [150.5, 100.5] }, 42),
];
const GRID = ['-te', '0', '0', '300', '200', '-ts', '300', '200'];

const CO: string[][] = [
  ['COMPRESS=DEFLATE'],
  ['COMPRESS=DEFLATE', 'PREDICTOR=2'],
  ['COMPRESS=DEFLATE', 'ZLEVEL=9', 'PREDICTOR=3'],
  ['COMPRESS=LZW'],
  ['COMPRESS=LZW', 'PREDICTOR=2', 'TILED=YES'],
  ['COMPRESS=ZSTD'],
  ['COMPRESS=zstd', 'PREDICTOR=3', 'ZSTD_LEVEL=1', 'TILED=YES', 'BLOCKXSIZE=64', 'BLOCKYSIZE=32'],
  ['COMPRESS=PACKBITS'],
  ['COMPRESS=PACKBITS', 'PREDICTOR=2'],
  ['COMPRESS=NONE', 'BLOCKYSIZE=10'],
  ['TILED=YES'],
  ['TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=48', 'COMPRESS=DEFLATE'],
  ['BLOCKYSIZE=1000'],
  ['BLOCKXSIZE=64'],
  ['COMPRESS=LZW', 'COMPRESS=DEFLATE'],
  ['NUM_THREADS=ALL_CPUS', 'COMPRESS=DEFLATE', 'INTERLEAVE=BAND'],
  ['SPARSE_OK=TRUE', 'TILED=YES', 'COMPRESS=DEFLATE'],
];
const TYPES = ['Byte', 'Int16', 'UInt32', 'Float32', 'Float64'];

const cases: DiffCase[] = [];
CO.forEach((co, i) => {
  // every option set on two types; the floating-point predictor only on floats
  const types = co.some((c) => c.endsWith('PREDICTOR=3')) ? ['Float32', 'Float64'] : [TYPES[i % TYPES.length], TYPES[(i + 2) % TYPES.length]];
  for (const t of types) {
    const args = ['-a', 'v', ...GRID, '-ot', t, ...co.flatMap((c) => ['-co', c])];
    if (i % 3 === 0) args.push('-a_nodata', '0');
    if (i % 4 === 1) args.push('-at');
    cases.push({ name: `co-${i}-${t}-${co.join('-')}`, source: SRC, args, checkStructure: true });
  }
});
// GDAL refuses these: no file, exit 1
const refused: [string, string[]][] = [
  ['predictor-5', ['COMPRESS=DEFLATE', 'PREDICTOR=5']],
  ['predictor-3-on-integers', ['COMPRESS=LZW', 'PREDICTOR=3']],
  ['tile-width-not-16', ['TILED=YES', 'BLOCKXSIZE=20']],
  ['tile-height-not-16', ['TILED=YES', 'BLOCKYSIZE=40', 'BLOCKXSIZE=32']],
];
for (const [name, co] of refused) {
  cases.push({ name: `co-refused-${name}`, source: SRC, args: ['-burn', '1', ...GRID, '-ot', 'Byte', ...co.flatMap((c) => ['-co', c])], expect: 'error', gdalFails: true });
}

describe('-co creation options against gdal_rasterize', () => {
  it('writes the pixels, compression, predictor and blocks GDAL writes, and refuses what GDAL refuses', async () => {
    const res = await runCases(cases);
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 600_000);

  it("warns in GDAL's words about what it ignores", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-co-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      const sets = [['FOO=BAR'], ['COMPRESS=FOO'], ['COMPRESS'], ['ZLEVEL=0', 'COMPRESS=DEFLATE'], ['ZSTD_LEVEL=30', 'COMPRESS=ZSTD'], ['TILED=MAYBE'], ['BIGTIFF=FOO'], ['BLOCKYSIZE=abc']];
      for (const co of sets) {
        const args = ['-burn', '1', ...GRID, '-ot', 'Byte', ...co.flatMap((c) => ['-co', c]), 'src.geojson'];
        const gdal = runQuiet('gdal_rasterize', args.concat('g.tif'), dir);
        const ours = runQuiet(process.execPath, [CLI, ...args, 'o.tif'], dir);
        const gdalWarnings = gdal.split('\n').filter((l) => /^Warning \d+: /.test(l)).map((l) => l.replace(/^Warning \d+: /, ''));
        const ourWarnings = ours.split('\n').filter((l) => l.startsWith('rasterburn: warning: ')).map((l) => l.slice('rasterburn: warning: '.length));
        expect(gdalWarnings.length, co.join(' ')).toBeGreaterThan(0);
        expect(ourWarnings, co.join(' ')).toEqual(gdalWarnings);
      }
      // a compression GDAL has and rasterburn does not write is said, not passed over
      const lzma = runQuiet(process.execPath, [CLI, '-burn', '1', ...GRID, '-co', 'COMPRESS=LZMA', 'src.geojson', 'l.tif'], dir);
      expect(lzma).toMatch(/warning: COMPRESS=LZMA is not supported by rasterburn/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('writes BigTIFF when asked, leaves out empty chunks with SPARSE_OK as GDAL does, and compresses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-co-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      const both = (co: string[], extra: string[] = []): [string, string] => {
        const args = ['-burn', '3', '-te', '-300', '-200', '600', '400', '-ts', '900', '600', '-ot', 'Byte', ...extra, ...co.flatMap((c) => ['-co', c]), 'src.geojson'];
        execFileSync('gdal_rasterize', [...args, 'g.tif'], { cwd: dir, env: GDAL_ENV, stdio: 'ignore' });
        execFileSync(process.execPath, [CLI, '-q', ...args, 'o.tif'], { cwd: dir, stdio: 'ignore' });
        return [join(dir, 'g.tif'), join(dir, 'o.tif')];
      };
      let [g, o] = both(['BIGTIFF=YES']);
      expect(readFileSync(o)[2]).toBe(43);
      expect(readFileSync(g)[2]).toBe(43);
      [g, o] = both(['BIGTIFF=NO']);
      expect(readFileSync(o)[2]).toBe(42);

      for (const extra of [[], ['-a_nodata', '3'], ['-init', '5']]) {
        [g, o] = both(['SPARSE_OK=TRUE', 'TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=128'], extra);
        const missing = (p: string) => pythonJson<string[]>(`
import json, sys
from osgeo import gdal
ds = gdal.Open(sys.argv[1])
b = ds.GetRasterBand(1)
bx, by = b.GetBlockSize()
out = []
for y in range((b.YSize + by - 1) // by):
    for x in range((b.XSize + bx - 1) // bx):
        if b.GetMetadataItem('BLOCK_OFFSET_%d_%d' % (x, y), 'TIFF') is None: out.append('%d,%d' % (x, y))
print(json.dumps(out))`, undefined, [p]);
        const gm = missing(g);
        expect(missing(o), `SPARSE_OK ${extra.join(' ')}`).toEqual(gm);
        if (extra.length === 0) expect(gm.length).toBeGreaterThan(0);
      }

      [g, o] = both(['COMPRESS=DEFLATE']);
      const packed = statSync(o).size;
      [g, o] = both([]);
      expect(packed * 5).toBeLessThan(statSync(o).size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('-co compression on several threads', () => {
  // a grid of many strips and tiles, so that every thread gets chunks
  const BIG = ['-te', '0', '0', '300', '200', '-ts', '1500', '1000'];
  const SETS: [string, string[]][] = [
    ['UInt16', ['COMPRESS=DEFLATE', 'PREDICTOR=2']],
    ['Float32', ['COMPRESS=DEFLATE', 'PREDICTOR=3', 'ZLEVEL=9', 'TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=64']],
    ['Int16', ['COMPRESS=LZW', 'PREDICTOR=2', 'TILED=YES']],
    ['Float64', ['COMPRESS=ZSTD', 'PREDICTOR=3', 'BLOCKYSIZE=5']],
    ['Byte', ['COMPRESS=ZSTD', 'ZSTD_LEVEL=3', 'TILED=YES', 'SPARSE_OK=TRUE']],
    ['UInt32', ['COMPRESS=PACKBITS']],
  ];

  it('writes the same bytes for NUM_THREADS=1, 4 and ALL_CPUS, and GDAL reads its pixels from them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-co-threads-'));
    // child processes awaited, not waited for: the test runner's own messages keep flowing meanwhile
    const run = promisify(execFile);
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      const pairs: { a: string; b: string }[] = [];
      for (const [k, [t, co]] of SETS.entries()) {
        const args = ['-a', 'v', ...BIG, '-ot', t, ...co.flatMap((c) => ['-co', c]), 'src.geojson'];
        const files: string[] = [];
        for (const n of ['1', '4', 'ALL_CPUS']) {
          const f = join(dir, `o-${k}-${n}.tif`);
          await run(process.execPath, [CLI, '-q', ...args, '-co', `NUM_THREADS=${n}`, f], { cwd: dir });
          files.push(f);
        }
        const one = readFileSync(files[0]);
        for (const f of files.slice(1)) expect(readFileSync(f).equals(one), `${t} ${co.join(' ')}: ${f} differs from one thread's`).toBe(true);
        const g = join(dir, `g-${k}.tif`);
        await run('gdal_rasterize', ['-q', ...args, g], { cwd: dir, env: GDAL_ENV });
        pairs.push({ a: files[1], b: g });
      }
      for (const [k, r] of compareRasters(pairs).entries()) {
        const what = SETS[k].flat().join(' ');
        expect((r.pixelDiffs ?? []).reduce((n, d) => n + d.count, 0), what).toBe(0);
        const [a, b] = [r.a as RasterMeta, r.b as RasterMeta];
        expect([a.structure.compression, a.structure.predictor ?? null, a.structure.block], what).toEqual([b.structure.compression, b.structure.predictor ?? null, b.structure.block]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("spreads the chunks over the burn pool's workers and this thread, with one thread's bytes", async () => {
    const { BurnPool } = await import('../../src/burn/node-pool.js');
    const { NODE_DEFLATE } = await import('../../src/io/node-zlib.js');
    const { toGeoTIFFPartsParallel } = await import('../../src/io/tiff/write.js');
    const { loadZstd } = await import('../../src/io/tiff/zstd.js');
    const zstd = await loadZstd();
    const pool = new BurnPool(new URL('../../dist/src/burn/node-worker.js', import.meta.url), 3);
    try {
      const taken = [0, 0];
      const workers = { size: pool.size, encode: (k: number, ...rest: Parameters<typeof pool.encode> extends [number, ...infer R] ? R : never) => { taken[k]++; return pool.encode(k, ...rest); } };
      const data = Float32Array.from({ length: 900 * 700 }, (_, i) => Math.sin(i / 97) * 1000 + (i % 13));
      const raster = { data, width: 900, height: 700, dtype: 'float32' as const, transform: [0, 1, 0, 700, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:3857', nodata: null };
      for (const options of [{ compress: 'deflate', predictor: 3 }, { compress: 'lzw', predictor: 2, layout: 'tiles', tileSize: 64 }, { compress: 'zstd' }, { compress: 'packbits' }] as const) {
        taken.fill(0);
        const one = await toGeoTIFFPartsParallel(raster, options, { workers: null, compressors: { deflate: NODE_DEFLATE, zstd } });
        const many = await toGeoTIFFPartsParallel(raster, options, { workers, compressors: { deflate: NODE_DEFLATE, zstd } });
        expect(taken.every((n) => n > 0), `${JSON.stringify(options)}: chunks per worker ${taken}`).toBe(true);
        expect(Buffer.concat(many).equals(Buffer.concat(one)), JSON.stringify(options)).toBe(true);
      }
    } finally {
      await pool.close();
    }
  }, 120_000);
});

// stderr of a run, failed or not
function runQuiet(cmd: string, args: string[], cwd: string): string {
  return spawnSync(cmd, args, { cwd, env: GDAL_ENV, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }).stderr;
}
