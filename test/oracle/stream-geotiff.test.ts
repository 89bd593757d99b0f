// Streaming output: the tiled GeoTIFF writer (head first, tiles in order, sparse tiles) read back by GDAL;
// the CLI's band-by-band path (src/cli/stream.ts) against the real gdal_rasterize pixel for pixel; and the
// CLI itself on a grid over its memory budget (20,000 x 20,000 Float64, 3.2 GB as an array) in bounded RSS.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { planOutput } from '../../src/cli/plan.js';
import { streamGeoTIFF } from '../../src/cli/stream.js';
import { burnThreads } from '../../src/cli/threads.js';
import { parseCreationOptions } from '../../src/io/tiff/creation-options.js';
import { loadZstd } from '../../src/io/tiff/zstd.js';
import { checkDestination } from '../../src/io/node-destination.js';
import { TiledGeoTIFFWriter, type PositionalSink } from '../../src/io/tiff/stream.js';
import { readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import { randomScene } from '../shared/batch-scenes.js';
import { pixelList } from '../shared/pixels.js';
import { rng } from './gdal/fuzz.js';
import { compareRasters, gdalRasterize, PYTHON, type RasterMeta } from './gdal/oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let DIR = '';

// GDAL's comparison of raster pairs: differing pixels (NaN = NaN), and each side's size, type, nodata, block size
function pyCompare(pairs: [string, string][]) {
  return compareRasters(pairs.map(([a, b]) => ({ a, b }))).map((r) => ({ ...r, diff: (r.pixelDiffs ?? []).reduce((n, d) => n + d.count, 0) }));
}

// a child process's stdout; on failure an error that carries its stderr
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal ?? r.error?.message}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  DIR = mkdtempSync(join(tmpdir(), 'rasterburn-stream-'));
});
afterAll(() => {
  rmSync(DIR, { recursive: true, force: true });
});

// a file sink over a path, as the CLI's is
function fileSink(path: string): PositionalSink & { close(): void } {
  const fd = openSync(path, 'w');
  return {
    write(bytes, position) { writeSync(fd, bytes, 0, bytes.length, position); },
    close() { closeSync(fd); },
  };
}

describe('TiledGeoTIFFWriter', () => {
  const meta = { width: 70, height: 45, dtype: 'int16' as const, transform: [1000, 2, 0, 5000, 0, -2] as [number, number, number, number, number, number], crs: 'EPSG:32633', nodata: -5 };
  const pixels = Int16Array.from({ length: 70 * 45 }, (_, k) => ((k * 37) % 2000) - 1000);

  it('writes the head first, then tiles in order at the offsets the head announced', async () => {
    const writes: [number, number][] = [];
    const file = new Uint8Array(1 << 20);
    const sink: PositionalSink = { write(b, at) { writes.push([at, b.length]); file.set(b, at); } };
    const w = await TiledGeoTIFFWriter.open(meta, sink, { tileSize: 32, chunkBytes: 4096 });
    expect([w.tilesAcross, w.tilesDown, w.tileCount]).toEqual([3, 2, 6]);
    for (let row = 0; row < 2; row++) {
      const rows = Math.min(32, 45 - row * 32);
      await w.writeBand(pixels.subarray(row * 32 * 70, (row * 32 + rows) * 70), rows);
    }
    const sum = await w.finish();
    expect(sum).toMatchObject({ tiles: 6, sparseTiles: 0, bigTiff: false });
    // strictly increasing positions: a pipe or an append-only stream could take it
    expect(writes[0][0]).toBe(0);
    for (let k = 1; k < writes.length; k++) expect(writes[k][0]).toBe(writes[k - 1][0] + writes[k - 1][1]);
    const back = await readGeoTIFFRaster(file.slice(0, sum.bytes).buffer, 1);
    expect(back.grid).toMatchObject({ width: 70, height: 45, transform: meta.transform });
    expect(back.nodata).toBe(-5);
    expect(pixelList(back.data)).toEqual(Array.from(pixels));
  });

  it('sparse tiles: left out, read by GDAL as nodata; BigTIFF on request; tile by tile', async () => {
    const path = join(DIR, 'sparse.tif');
    const sink = fileSink(path);
    const w = await TiledGeoTIFFWriter.open(meta, sink, { tileSize: 16, sparse: true, bigTiff: true });
    const filled = Int16Array.from(pixels);
    // tiles 1 and 7 of the 5 x 3 tile grid hold only nodata: left out
    for (let t = 0; t < w.tileCount; t++) {
      const col = t % 5, row = Math.floor(t / 5);
      const x = col * 16, y = row * 16, tw = Math.min(16, 70 - x), th = Math.min(16, 45 - y);
      if (t === 1 || t === 7) {
        for (let r = 0; r < th; r++) filled.fill(-5, (y + r) * 70 + x, (y + r) * 70 + x + tw);
        await w.writeTile(null, tw, th);
        continue;
      }
      const tile = new Int16Array(tw * th);
      for (let r = 0; r < th; r++) tile.set(filled.subarray((y + r) * 70 + x, (y + r) * 70 + x + tw), r * tw);
      await w.writeTile(tile, tw, th);
    }
    const sum = await w.finish();
    sink.close();
    expect(sum).toMatchObject({ tiles: 15, sparseTiles: 2, bigTiff: true });
    expect(statSync(path).size).toBe(sum.bytes);
    const ref = join(DIR, 'sparse-ref.tif');
    // the reference: the same pixels, written whole by GDAL
    execFileSync(PYTHON, ['-c', String.raw`
import sys, numpy as np
from osgeo import gdal, osr
a = np.frombuffer(sys.stdin.buffer.read(), dtype='<i2').reshape(45, 70)
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 70, 45, 1, gdal.GDT_Int16)
ds.SetGeoTransform([1000, 2, 0, 5000, 0, -2]); r = osr.SpatialReference(); r.ImportFromEPSG(32633); ds.SetSpatialRef(r)
ds.GetRasterBand(1).SetNoDataValue(-5); ds.GetRasterBand(1).WriteArray(a); ds = None
`, ref], { input: Buffer.from(filled.buffer) });
    const [cmp] = pyCompare([[path, ref]]);
    expect(cmp.diff).toBe(0);
    const a = cmp.a as RasterMeta;
    expect([a.width, a.height, a.bands[0].type, a.bands[0].nodata, a.structure.block]).toEqual([70, 45, 'Int16', -5, [16, 16]]);
    const info = execFileSync('gdalinfo', [path], { encoding: 'utf8' });
    expect(info).toMatch(/EPSG","32633"|UTM zone 33N/);
  });

  it('refuses tiles out of order, of the wrong size or type, and sparse tiles when not sparse', async () => {
    const sink: PositionalSink = { write() {} };
    const w = await TiledGeoTIFFWriter.open(meta, sink, { tileSize: 32 });
    await expect(w.writeTile(null, 32, 32)).rejects.toThrow(/sparse mode/);
    await expect(w.writeTile(new Int16Array(32 * 32), 32, 30)).rejects.toThrow(/tile 0 \(column 0, row 0\) is 32 x 32, got 32 x 30/);
    await expect(w.writeTile(new Uint16Array(32 * 32), 32, 32)).rejects.toThrow(/Uint16Array, the file holds int16/);
    await expect(w.writeBand(pixels, 20)).rejects.toThrow(/row of tiles 0 needs 32 rows, got 20/);
    await expect(w.finish()).rejects.toThrow(/6 of 6 tiles were not written/);
  });
});

// what main.ts does for a grid over its budget, called directly so that small grids take the path
// co: with -co's options and the compression threads main.ts would give it
async function streamCli(argv: string[], co = false): Promise<Awaited<ReturnType<typeof streamGeoTIFF>>> {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error('bad test arguments');
  const args = parsed.args;
  const { readFileSync } = await import('node:fs');
  const source = JSON.parse(readFileSync(args.src, 'utf8')) as FeatureInput;
  const plan = planOutput({ args, source, srcPath: args.src, mode: 'create' });
  const creation = co ? parseCreationOptions(args.creationOptions, plan.dtype).options : undefined;
  if (creation?.compress === 'zstd') await loadZstd();
  const threads = co ? await burnThreads(args, new URL('../../dist/src/burn/node-worker.js', import.meta.url), 0) : undefined;
  try {
    return await streamGeoTIFF({ args, dest: checkDestination(args.dst), source, plan, bar: { update() {}, clear() {} }, notice: () => {}, budget: 1e9, t0: performance.now(), creation, threads });
  } finally {
    await threads?.close();
  }
}

describe('the CLI streaming path against gdal_rasterize', () => {
  it('every mode, types, nodata and init, sparse or not: identical rasters', async () => {
    const { features } = randomScene(11, 700, 600);
    const src = join(DIR, 'scene.geojson');
    // 3e9-pixel vertices make GDAL and us both burn "the wrong side" (pixel rule N1); they stay in
    writeFileSync(src, JSON.stringify(features));
    // the features lie in the left half: the right half's tiles stay empty (sparse where allowed)
    const grid = ['-te', '0', '0', '1300', '600', '-ts', '1300', '600'];
    const cases: string[][] = [
      ['-a', 'id', '-ot', 'UInt16'],
      ['-a', 'v', '-ot', 'Float32', '-a_nodata', 'nan'],
      ['-burn', '7', '-at', '-ot', 'Byte', '-a_nodata', '0'],
      ['-a', 'id', '-add', '-ot', 'Int16', '-init', '3'],
      ['-3d', '-at', '-add', '-ot', 'Float64', '-a_nodata', '-9999'],
      ['-burn', '2', '-i', '-ot', 'Int32', '-init', '5', '-a_nodata', '5'],
    ];
    const pairs: [string, string][] = [];
    let sparseSeen = 0;
    for (const [k, c] of cases.entries()) {
      const ours = join(DIR, `ours-${k}.tif`), gdal = join(DIR, `gdal-${k}.tif`);
      const r = await streamCli([...c, ...grid, '--json', src, ours]);
      sparseSeen += r.streamed.sparseTiles;
      expect(r.streamed.tiles).toBe(18);
      gdalRasterize(['-q', ...c, ...grid, src, gdal]);
      pairs.push([ours, gdal]);
    }
    expect(sparseSeen).toBeGreaterThan(0);
    for (const [k, r] of pyCompare(pairs).entries()) {
      expect(r.diff, `case ${cases[k].join(' ')}`).toBe(0);
      expect([r.sizeSame, r.gtSame, r.typeSame, r.nodataSame], `case ${cases[k].join(' ')}`).toEqual([true, true, true, true]);
      expect((r.a as RasterMeta).structure.block).toEqual([256, 256]);
    }
    // and the in-memory CLI agrees on pixels too (a different code path to the same file content)
    const mem = join(DIR, 'mem.tif');
    execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...cases[0], ...grid, src, mem]);
    expect(pyCompare([[pairs[0][0], mem]])[0].diff).toBe(0);
    // no temp files left behind
    expect(readdirSync(DIR).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the CLI streaming path with -co against gdal_rasterize', () => {
  it('strips or tiles of the asked size, compressed as asked, with the pixels GDAL burns', async () => {
    const { features } = randomScene(23, 700, 600);
    const src = join(DIR, 'scene-co.geojson');
    writeFileSync(src, JSON.stringify(features));
    const grid = ['-te', '0', '0', '1300', '600', '-ts', '1300', '600'];
    const cases: [string[], string[]][] = [
      [['-a', 'id', '-ot', 'UInt16'], ['COMPRESS=DEFLATE', 'PREDICTOR=2']],
      [['-a', 'v', '-ot', 'Float32', '-a_nodata', 'nan'], ['COMPRESS=ZSTD', 'PREDICTOR=3', 'TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=64']],
      [['-burn', '7', '-at', '-ot', 'Byte', '-a_nodata', '0'], ['COMPRESS=LZW', 'TILED=YES']],
      [['-a', 'id', '-add', '-ot', 'Int16', '-init', '3'], ['COMPRESS=PACKBITS', 'BLOCKYSIZE=7']],
      [['-a', 'v', '-ot', 'Float64', '-a_nodata', '-9999'], ['BLOCKYSIZE=3']],
      [['-burn', '2', '-ot', 'Int32'], ['COMPRESS=DEFLATE', 'SPARSE_OK=TRUE', 'TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=128', 'NUM_THREADS=3']],
    ];
    const pairs: [string, string][] = [];
    for (const [k, [c, co]] of cases.entries()) {
      const ours = join(DIR, `co-ours-${k}.tif`), gdal = join(DIR, `co-gdal-${k}.tif`);
      const coArgs = co.flatMap((o) => ['-co', o]);
      await streamCli([...c, ...grid, ...coArgs, '--json', src, ours], true);
      gdalRasterize(['-q', ...c, ...grid, ...coArgs, src, gdal]);
      pairs.push([ours, gdal]);
    }
    for (const [k, r] of pyCompare(pairs).entries()) {
      const what = `case ${cases[k].flat().join(' ')}`;
      expect(r.diff, what).toBe(0);
      expect([r.sizeSame, r.gtSame, r.typeSame, r.nodataSame], what).toEqual([true, true, true, true]);
      const [a, b] = [r.a as RasterMeta, r.b as RasterMeta];
      expect([a.structure.compression, a.structure.predictor ?? null, a.structure.block], what).toEqual([b.structure.compression, b.structure.predictor ?? null, b.structure.block]);
    }
  });

  it('compresses the same bytes on one thread and on several', async () => {
    const { features } = randomScene(29, 700, 600);
    const src = join(DIR, 'scene-threads.geojson');
    writeFileSync(src, JSON.stringify(features));
    const { readFileSync } = await import('node:fs');
    for (const co of [['COMPRESS=DEFLATE', 'PREDICTOR=2'], ['COMPRESS=LZW', 'TILED=YES', 'BLOCKXSIZE=64', 'BLOCKYSIZE=64'], ['COMPRESS=ZSTD']]) {
      const files = [1, 4].map((t) => join(DIR, `threads-${t}.tif`));
      for (const [i, t] of [1, 4].entries()) {
        await streamCli(['-a', 'id', '-ot', 'UInt16', '-te', '0', '0', '700', '600', '-ts', '1400', '1200', ...co.flatMap((o) => ['-co', o]), '-co', `NUM_THREADS=${t}`, src, files[i]], true);
      }
      expect(readFileSync(files[0]).equals(readFileSync(files[1])), co.join(' ')).toBe(true);
    }
  });
});

describe('a grid over the CLI memory budget', () => {
  it('20,000 x 20,000 Float64 streams in bounded memory, equal to gdal_rasterize where probed', () => {
    // polygons, a line across the grid and scattered points over a 20 km UTM square, 1 m pixels
    const rand = rng(4242);
    const features: unknown[] = [];
    const centres: [number, number][] = [];
    for (let i = 0; i < 25; i++) {
      const cx = 1000 + rand() * 18000, cy = 1000 + rand() * 18000, rad = 20 + rand() * 900, n = 3 + Math.floor(rand() * 10);
      const ring = Array.from({ length: n }, (_, k) => [cx + rad * Math.cos((2 * Math.PI * k) / n) * (0.5 + rand() / 2), cy + rad * Math.sin((2 * Math.PI * k) / n) * (0.5 + rand() / 2)]);
      ring.push(ring[0]);
      centres.push([Math.round(cx), Math.round(cy)]);
      features.push({ type: 'Feature', properties: { id: i + 1 }, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
    features.push({ type: 'Feature', properties: { id: 100 }, geometry: { type: 'LineString', coordinates: [[0.5, 0.5], [19999.5, 13000.25], [4000.2, 19999.7]] } });
    features.push({ type: 'Feature', properties: { id: 101 }, geometry: { type: 'MultiPoint', coordinates: Array.from({ length: 40 }, () => [rand() * 20000, rand() * 20000]) } });
    const src = join(DIR, 'big.geojson');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } }, features }));
    const out = join(DIR, 'big.tif');
    const argv = ['-a', 'id', '-ot', 'Float64', '-te', '0', '0', '20000', '20000', '-ts', '20000', '20000', '--json', src, out];
    // run() in a child process that reports its peak RSS (VmHWM) when done
    const script = `const { run } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/main.js'))});
const code = await run(${JSON.stringify(argv)});
const { readFileSync } = await import('node:fs');
process.stderr.write('VMHWM ' + readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\\s+(\\d+) kB/)[1] + '\\n');
process.exit(code);`;
    const t0 = performance.now();
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    expect(res.status, res.stderr).toBe(0);
    const hwmKiB = Number(/VMHWM (\d+)/.exec(res.stderr)![1]);
    const summary = JSON.parse(res.stdout);
    console.log(`20000 x 20000 Float64 streamed: ${seconds.toFixed(1)} s, peak RSS ${(hwmKiB / 1024).toFixed(0)} MiB, ${summary.streamed.tiles} tiles (${summary.streamed.sparseTiles} sparse), file ${(statSync(out).size / 2 ** 20).toFixed(0)} MiB`);
    // the array alone would be 3.2 GB
    expect(hwmKiB * 1024).toBeLessThan(512 * 2 ** 20);
    expect(summary.streamed.tiles).toBe(79 * 79);
    const info = execFileSync('gdalinfo', [out], { encoding: 'utf8' });
    expect(info).toMatch(/Size is 20000, 20000/);
    expect(info).toMatch(/Block=256x256 Type=Float64/);
    // windows of the file against gdal_rasterize run on just that window, same pixel grid
    const wins: [number, number, number, number][] = [[0, 0, 600, 500], [19400, 19500, 20000, 20000]];
    for (const [cx, cy] of centres.slice(0, 3)) wins.push([cx - 400, cy - 300, cx + 400, cy + 300]);
    const got = JSON.parse(run(PYTHON, ['-c', String.raw`
import sys, os, json, subprocess
from osgeo import gdal
gdal.UseExceptions()
src, big, tmp = sys.argv[1:4]
ds = gdal.Open(big)  # the band dies with its dataset: keep it
band = ds.GetRasterBand(1)
res = []
for x0, y0, x1, y1 in json.loads(sys.argv[4]):
    if os.path.exists(tmp): os.remove(tmp)
    subprocess.run(['gdal_rasterize', '-q', '-a', 'id', '-ot', 'Float64', '-te', str(x0), str(y0), str(x1), str(y1), '-tr', '1', '1', src, tmp], check=True)
    w = gdal.Open(tmp).ReadAsArray()
    o = band.ReadAsArray(x0, 20000 - y1, x1 - x0, y1 - y0)
    res.append([int((o != w).sum()), int((w != 0).sum())])
print(json.dumps(res))
`, src, out, join(DIR, 'win.tif'), JSON.stringify(wins)]));
    for (const [k, [diff, burned]] of got.entries()) {
      expect(diff, `window ${wins[k]}`).toBe(0);
      // the line's first vertex, and each polygon's centre
      if (k === 0 || k >= 2) expect(burned, `window ${wins[k]}`).toBeGreaterThan(0);
    }
  });
});
