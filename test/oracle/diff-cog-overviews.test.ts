// -of COG with overviews (pixel rule G10) against GDAL: gdal_rasterize's GTiff through gdal_translate -of COG with
// the same -co (GDAL 3.6's gdal_rasterize cannot write COG itself). Every band of every level must match: the
// level sizes, the pixels, and each level's compression, predictor and tile size; GDAL's validator must accept
// our file. Then the options' edges: FORCE_USE_EXISTING, a negative OVERVIEW_COUNT, an unknown or refused
// resampling, one rasterburn does not compute.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectGeoTIFF } from '../../src/io/tiff/layout.js';
import { readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { toCOG } from '../../src/io/tiff/to-cog.js';
import { CLI, feature as F } from './gdal/harness.js';
import { compareRasters, GDAL_ENV, PYTHON, run as spawnAsync } from './gdal/oracle.js';

const SRC = [
  F('POLYGON ((3.2 4.1, 290.5 12.7, 250.3 190.2, 10.4 170.9, 3.2 4.1), (100 60, 180 70, 150 140, 100 60))', { v: 7.25 }),
  F('LINESTRING (0 199, 299 0)', { v: 200 }),
  F('POLYGON ((50 50, 60 50, 60 60, 50 60, 50 50))', { v: 3 }),
  F('MULTIPOINT ((20.5 150.5), (21.5 150.5), (200 20))', { v: 41 }),
];
const GRID = ['-te', '0', '0', '300', '200', '-ts', '1201', '803'];
const CASES: { name: string; burn: string[]; co: string[]; grid?: string[] }[] = [
  { name: 'nearest-byte-default-block', burn: ['-a', 'v', '-ot', 'Byte'], co: ['RESAMPLING=NEAREST'] },
  { name: 'mode-int16-nodata-zstd', burn: ['-a', 'v', '-ot', 'Int16', '-a_nodata', '0'], co: ['RESAMPLING=MODE', 'COMPRESS=ZSTD', 'LEVEL=3', 'BLOCKSIZE=256'] },
  { name: 'mode-float32-deflate-predictor', burn: ['-a', 'v', '-ot', 'Float32', '-at'], co: ['OVERVIEW_RESAMPLING=MODE', 'COMPRESS=DEFLATE', 'PREDICTOR=YES', 'BLOCKSIZE=128'] },
  { name: 'nearest-uint16-count-past-block', burn: ['-burn', '9', '-ot', 'UInt16', '-init', '2'], co: ['RESAMPLING=nearest', 'OVERVIEW_COUNT=5'] },
  { name: 'mode-3-bands-byte-rgb', burn: ['-burn', '10', '-burn', '20', '-burn', '30', '-ot', 'Byte'], co: ['RESAMPLING=MODE', 'BLOCKSIZE=128'] },
  { name: 'nearest-thin-raster', burn: ['-burn', '1', '-ot', 'Byte'], co: ['RESAMPLING=NEAREST', 'BLOCKSIZE=128', 'OVERVIEWS=IGNORE_EXISTING'], grid: ['-te', '0', '0', '300', '200', '-ts', '2000', '3'] },
  { name: 'mode-2-bands-int32-packbits', burn: ['-a', 'v', '-init', '5', '-init', '6', '-ot', 'Int32'], co: ['RESAMPLING=MODE', 'COMPRESS=PACKBITS', 'BLOCKSIZE=256', 'OVERVIEW_COUNT=2'] },
  // pixel rule G11: GDAL's default (CUBIC) and the other averaging methods, odd sizes (fractional windows)
  { name: 'cubic-default-byte', burn: ['-a', 'v', '-ot', 'Byte', '-at'], co: ['BLOCKSIZE=128'] },
  { name: 'average-int16-nodata-deflate', burn: ['-a', 'v', '-ot', 'Int16', '-a_nodata', '0'], co: ['RESAMPLING=AVERAGE', 'COMPRESS=DEFLATE', 'BLOCKSIZE=256'] },
  { name: 'bilinear-float32', burn: ['-a', 'v', '-ot', 'Float32', '-init', '-1.5'], co: ['OVERVIEW_RESAMPLING=BILINEAR', 'BLOCKSIZE=256'] },
  { name: 'rms-uint16-nodata', burn: ['-a', 'v', '-ot', 'UInt16', '-a_nodata', '3'], co: ['RESAMPLING=RMS', 'BLOCKSIZE=128', 'OVERVIEW_COUNT=3'] },
  { name: 'gauss-byte-nodata', burn: ['-burn', '250', '-ot', 'Byte', '-a_nodata', '0', '-init', '0'], co: ['RESAMPLING=GAUSS', 'BLOCKSIZE=128'] },
  { name: 'cubicspline-int32', burn: ['-a', 'v', '-ot', 'Int32', '-init', '2000000001'], co: ['RESAMPLING=CUBICSPLINE', 'BLOCKSIZE=256'] },
  { name: 'lanczos-uint16-nodata', burn: ['-a', 'v', '-ot', 'UInt16', '-a_nodata', '0'], co: ['RESAMPLING=LANCZOS', 'BLOCKSIZE=256', 'COMPRESS=LZW'] },
  { name: 'average-float64-nodata', burn: ['-a', 'v', '-ot', 'Float64', '-a_nodata', '7.25', '-at'], co: ['RESAMPLING=AVERAGE', 'BLOCKSIZE=256', 'PREDICTOR=YES', 'COMPRESS=ZSTD'] },
  { name: 'cubic-3-bands-uint16', burn: ['-burn', '10', '-burn', '20000', '-burn', '65535', '-ot', 'UInt16'], co: ['RESAMPLING=CUBIC', 'BLOCKSIZE=256'] },
  // the convolution methods on float bands with nodata: nodata along the edges (outside the polygon), inside (the
  // hole; the small square when its value is the nodata), NaN, a nodata value float32 cannot hold, several sizes
  { name: 'bilinear-float32-nodata-edges', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', '0'], co: ['RESAMPLING=BILINEAR', 'BLOCKSIZE=128'] },
  { name: 'cubic-default-float64-nodata', burn: ['-a', 'v', '-ot', 'Float64', '-a_nodata', '0', '-at'], co: ['BLOCKSIZE=128'], grid: ['-te', '0', '0', '300', '200', '-ts', '517', '333'] },
  { name: 'cubicspline-float32-nan', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', 'nan', '-init', 'nan'], co: ['RESAMPLING=CUBICSPLINE', 'BLOCKSIZE=256', 'COMPRESS=DEFLATE', 'PREDICTOR=YES'] },
  { name: 'lanczos-float64-nodata-inside', burn: ['-a', 'v', '-ot', 'Float64', '-a_nodata', '3', '-init', '-2.5'], co: ['RESAMPLING=LANCZOS', 'BLOCKSIZE=128', 'OVERVIEW_COUNT=4'], grid: ['-te', '0', '0', '300', '200', '-ts', '777', '1001'] },
  { name: 'lanczos-float32-nodata-thin', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', '7.25'], co: ['RESAMPLING=LANCZOS', 'BLOCKSIZE=128'], grid: ['-te', '0', '0', '300', '200', '-ts', '1500', '17'] },
  { name: 'cubic-float32-nodata-not-float32', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', '0.1', '-init', '0.1'], co: ['RESAMPLING=CUBIC', 'BLOCKSIZE=128'], grid: ['-te', '0', '0', '300', '200', '-ts', '641', '409'] },
  { name: 'bilinear-float64-nodata-count', burn: ['-a', 'v', '-ot', 'Float64', '-a_nodata', '200', '-at'], co: ['RESAMPLING=BILINEAR', 'BLOCKSIZE=128', 'OVERVIEW_COUNT=6'], grid: ['-te', '0', '0', '300', '200', '-ts', '333', '129'] },
  { name: 'rms-gauss-float32-nodata', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', '0'], co: ['RESAMPLING=RMS', 'OVERVIEW_RESAMPLING=GAUSS', 'BLOCKSIZE=128'] },
  // names as GDAL reads them: NEAR... is NEAREST, AVER... is AVERAGE
  { name: 'near-prefix-averagemagphase', burn: ['-a', 'v', '-ot', 'Float32', '-a_nodata', '0'], co: ['RESAMPLING=near', 'OVERVIEW_RESAMPLING=AVERAGE_MAGPHASE', 'BLOCKSIZE=256'] },
];

// asynchronous, so that the test worker keeps answering the runner during the long runs
const run = async (cmd: string, args: string[], cwd: string) => {
  const r = await spawnAsync(cmd, args, { cwd, env: GDAL_ENV, timeoutMs: 120_000 });
  return { rc: r.rc, out: `${r.stdout}${r.stderr}` };
};

// every level of every band: size and pixels (NaN equal to NaN), GDAL's file against ours
const LEVELS = String.raw`
import sys, json, numpy as np
from osgeo import gdal
a, b = gdal.Open(sys.argv[1]), gdal.Open(sys.argv[2])
out = []
for i in range(1, a.RasterCount + 1):
    ba, bb = a.GetRasterBand(i), b.GetRasterBand(i)
    out.append({'band': i, 'levels': [[ba.GetOverview(k).XSize, ba.GetOverview(k).YSize] for k in range(ba.GetOverviewCount())],
                'ours': [[bb.GetOverview(k).XSize, bb.GetOverview(k).YSize] for k in range(bb.GetOverviewCount())]})
    for k in range(min(ba.GetOverviewCount(), bb.GetOverviewCount())):
        x = ba.GetOverview(k).ReadAsArray().astype(np.float64); y = bb.GetOverview(k).ReadAsArray().astype(np.float64)
        bad = ~((x == y) | (np.isnan(x) & np.isnan(y))) if x.shape == y.shape else np.ones(1, bool)
        if bad.any(): out.append(f'band {i} overview {k}: {int(bad.sum())} pixels differ')
print(json.dumps(out))
`;

const structure = (path: string) => {
  const L = inspectGeoTIFF(new Uint8Array(readFileSync(path)));
  return [L, ...L.overviewLayouts].map((l) => ({ size: [l.width, l.height], compression: l.compression, predictor: l.predictor, tile: [l.chunkWidth, l.chunkHeight], spp: l.samplesPerPixel, planar: l.planar }));
};

describe('-of COG overviews', () => {
  it("match GDAL's COG level by level, and pass GDAL's validator", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cog-ovr-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      for (const c of CASES) {
        const grid = c.grid ?? GRID;
        const co = c.co.flatMap((o) => ['-co', o]);
        expect((await run('gdal_rasterize', ['-q', ...c.burn, ...grid, 'src.geojson', `${c.name}.g.tif`], dir)).rc).toBe(0);
        const t = (await run('gdal_translate', ['-q', '-of', 'COG', ...co, `${c.name}.g.tif`, `${c.name}.gc.tif`], dir));
        expect(t.rc, t.out).toBe(0);
        const ours = (await run(process.execPath, [CLI, '-q', '-of', 'COG', ...co, ...c.burn, ...grid, 'src.geojson', `${c.name}.o.tif`], dir));
        expect(ours.rc, ours.out).toBe(0);
        expect(ours.out, c.name).not.toMatch(/without overviews/);
        const v = (await run(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', `${c.name}.o.tif`], dir));
        expect(v.out, c.name).toMatch(/is a valid cloud optimized GeoTIFF/);
        const [cmp] = compareRasters([{ a: join(dir, `${c.name}.gc.tif`), b: join(dir, `${c.name}.o.tif`) }]);
        const what = `${c.name}: ${JSON.stringify(cmp).slice(0, 600)}`;
        expect(cmp.sizeSame && cmp.gtSame && cmp.srsSame && cmp.typeSame && cmp.nodataSame, what).toBe(true);
        expect(cmp.pixelDiffs ?? [], what).toEqual([]);
        const levels = JSON.parse((await run(PYTHON, ['-c', LEVELS, `${c.name}.gc.tif`, `${c.name}.o.tif`], dir)).out) as unknown[];
        // the case makes overviews (else it proves little), the same as GDAL's
        expect(levels.length, c.name).toBeGreaterThan(0);
        for (const l of levels) {
          expect(typeof l, `${c.name}: ${JSON.stringify(l)}`).toBe('object');
          const { levels: g, ours: o } = l as { levels: number[][]; ours: number[][] };
          expect(g.length, c.name).toBeGreaterThan(0);
          expect(o, c.name).toEqual(g);
        }
        expect(structure(join(dir, `${c.name}.o.tif`)), c.name).toEqual(structure(join(dir, `${c.name}.gc.tif`)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("the library's toCOG writes the CLI's file, byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cog-ovr-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      const cases: [string[], number][] = [[['RESAMPLING=MODE', 'BLOCKSIZE=256'], 3], [['RESAMPLING=NEAREST', 'OVERVIEW_COUNT=4', 'COMPRESS=PACKBITS'], 4], [['OVERVIEWS=NONE'], 0]];
      for (const [co, levels] of cases) {
        const o = await run(process.execPath, [CLI, '-q', '-of', 'COG', ...co.flatMap((c) => ['-co', c]), '-a', 'v', '-ot', 'Int16', '-a_nodata', '3', ...GRID, 'src.geojson', 'cli.tif'], dir);
        expect(o.rc, o.out).toBe(0);
        const cli = readFileSync(join(dir, 'cli.tif'));
        const r = await readGeoTIFFRaster(new Uint8Array(cli));
        const raster = { data: r.data.slice(), width: r.grid.width, height: r.grid.height, transform: r.grid.transform, crs: r.grid.crs, nodata: r.nodata, dtype: r.dtype };
        const { file, warnings } = await toCOG(raster, co);
        expect(warnings).toEqual([]);
        expect(inspectGeoTIFF(file).overviews, co.join(' ')).toBe(levels);
        expect(Buffer.from(file).equals(cli), co.join(' ')).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("follows GDAL on the options' edges", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cog-ovr-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: SRC }));
      const ours = (co: string[], out: string) => run(process.execPath, [CLI, '-of', 'COG', ...co.flatMap((o) => ['-co', o]), '-burn', '1', '-ot', 'Byte', ...GRID, 'src.geojson', out], dir);
      const overviewCount = (f: string) => inspectGeoTIFF(new Uint8Array(readFileSync(join(dir, f)))).overviews;
      expect((await run('gdal_rasterize', ['-q', '-burn', '1', '-ot', 'Byte', ...GRID, 'src.geojson', 'g.tif'], dir)).rc).toBe(0);
      const gdal = (co: string[], out: string) => run('gdal_translate', ['-q', '-of', 'COG', ...co.flatMap((o) => ['-co', o]), 'g.tif', out], dir);

      // a rasterized band has no overviews of its own to use
      for (const [co, name] of [[['OVERVIEWS=FORCE_USE_EXISTING', 'RESAMPLING=NEAREST'], 'force'], [['OVERVIEWS=NONE', 'OVERVIEW_COUNT=3'], 'none']] as const) {
        expect((await gdal([...co], `${name}.g.tif`)).rc).toBe(0);
        const o = await ours([...co], `${name}.o.tif`);
        expect(o.rc, o.out).toBe(0);
        expect(o.out).toBe('');
        expect([overviewCount(`${name}.o.tif`), overviewCount(`${name}.g.tif`)]).toEqual([0, 0]);
      }
      // GDAL warns about a negative count and makes none
      const neg = await ours(['OVERVIEW_COUNT=-1', 'RESAMPLING=NEAREST'], 'neg.o.tif');
      expect((await gdal(['OVERVIEW_COUNT=-1', 'RESAMPLING=NEAREST'], 'neg.g.tif')).out).toContain("'-1' is an unexpected value for OVERVIEW_COUNT creation option that should be >= 0.");
      expect(neg.out).toBe("rasterburn: warning: '-1' is an unexpected value for OVERVIEW_COUNT creation option that should be >= 0.\n");
      expect([overviewCount('neg.o.tif'), overviewCount('neg.g.tif')]).toEqual([0, 0]);
      // an unknown value of OVERVIEWS is warned about and read as AUTO
      const bogus = await ours(['OVERVIEWS=BOGUS', 'RESAMPLING=NEAREST'], 'bogus.o.tif');
      expect(bogus.out).toBe("rasterburn: warning: 'BOGUS' is an unexpected value for OVERVIEWS creation option of type string-select.\n");
      expect(overviewCount('bogus.o.tif')).toBe(2);
      // an unknown resampling fails in both, and nothing is written
      expect((await gdal(['RESAMPLING=FOO'], 'foo.g.tif')).out).toContain('Unsupported resampling method "FOO"');
      const foo = await ours(['RESAMPLING=FOO'], 'foo.o.tif');
      expect([foo.rc, foo.out]).toEqual([1, 'rasterburn: GDALGetResampleFunction: Unsupported resampling method "FOO".\n']);
      // GDAL's default (CUBIC) is computed, silently, on a float band with nodata too
      const cubic = await ours([], 'cubic.o.tif');
      expect([cubic.rc, cubic.out]).toEqual([0, '']);
      expect(overviewCount('cubic.o.tif')).toBe(2);
      const f = await run(process.execPath, [CLI, '-of', 'COG', '-co', 'RESAMPLING=BILINEAR', '-burn', '1', '-ot', 'Float32', '-a_nodata', '0', ...GRID, 'src.geojson', 'float.o.tif'], dir);
      expect([f.rc, f.out]).toEqual([0, '']);
      expect(overviewCount('float.o.tif')).toBe(2);
      // the warp methods GDAL refuses for overviews fail in both, and nothing is written
      for (const m of ['MAX', 'Q1']) {
        expect((await gdal([`RESAMPLING=${m}`], `${m}.g.tif`)).out).toContain(`Unsupported resampling method "${m}"`);
        const o = await ours([`RESAMPLING=${m}`], `${m}.o.tif`);
        expect([o.rc, o.out]).toEqual([1, `rasterburn: GDALGetResampleFunction: Unsupported resampling method "${m}".\n`]);
        expect(existsSync(join(dir, `${m}.o.tif`))).toBe(false);
      }
      // AVERAGE_MP, which rasterburn does not compute: written without overviews, and said so
      const mp = await ours(['RESAMPLING=AVERAGE_MP'], 'mp.o.tif');
      expect(mp.rc).toBe(0);
      expect(mp.out).toMatch(/^rasterburn: warning: COG written without overviews: GDAL would add 2 levels \(600 x 401, 300 x 200\) resampled with AVERAGE_MP, which rasterburn does not compute; [^\n]*\n$/);
      expect(overviewCount('mp.o.tif')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
