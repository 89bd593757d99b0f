// Update mode keeps the destination file as GDAL's in-place update does. Each case makes a GeoTIFF with GDAL 3.6.2
// (compression, predictor, tiling, interleave, bands, byte order, BigTIFF, overviews, masks, metadata...), then
// `gdal_rasterize` burns one copy and rasterburn's CLI the other; GDAL must read both the same: every band's
// pixels, overviews and mask, geotransform (or its absence), SRS, nodata, metadata in every domain, band
// descriptions, colour table, compression and block size. Also: the codecs on their own, a hand-made TIFF whose
// chunk arrays must be widened, and bad input leaving the destination byte-identical.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectGeoTIFF, readGeoTIFFBand1, updateGeoTIFFBand1 } from '../../src/io/node-geotiff-update.js';
import { lzwDecode, lzwEncode } from '../../src/io/tiff/lzw.js';
import { packBitsDecode, packBitsEncode } from '../../src/io/tiff/packbits.js';
import { readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { gdalRasterizeAsync, pythonAsync } from './gdal/oracle.js';
import { pixelList } from '../shared/pixels.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
let DIR = '';
const P = (name: string): string => join(DIR, name);

interface Run { rc: number; stdout: string; stderr: string }
function exec(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: ROOT, maxBuffer: 64 << 20, env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() } }, (err, stdout, stderr) => {
      resolve({ rc: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

// python side: make the rasters, and describe a file the way a GDAL user would inspect it
const PYTHON = String.raw`
import sys, json, math, hashlib
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
gdal.PushErrorHandler('CPLQuietErrorHandler')
T = {'Byte': gdal.GDT_Byte, 'Int16': gdal.GDT_Int16, 'UInt16': gdal.GDT_UInt16, 'Int32': gdal.GDT_Int32,
     'UInt32': gdal.GDT_UInt32, 'Float32': gdal.GDT_Float32, 'Float64': gdal.GDT_Float64}

def make(s):
    w, h, nb = s.get('w', 37), s.get('h', 42), s.get('bands', 1)
    path = s['path']
    target = path + '.src.tif' if s.get('cog') else path
    ds = gdal.GetDriverByName('GTiff').Create(target, w, h, nb, T[s.get('type', 'Byte')], options=s.get('co', []))
    if s.get('gt', True):
        ds.SetGeoTransform([0, 1, 0, h, 0, -1])
        srs = osr.SpatialReference(); srs.ImportFromEPSG(32633); ds.SetProjection(srs.ExportToWkt())
    if s.get('point'):
        ds.SetMetadataItem('AREA_OR_POINT', 'Point')
    for k, v in (s.get('metadata') or {}).items():
        ds.SetMetadataItem(k, v)
    if s.get('otherDomain'):
        ds.SetMetadataItem('KEY', 'value', 'MYDOMAIN')
    for b in range(1, nb + 1):
        band = ds.GetRasterBand(b)
        if s.get('nodata') is not None:
            band.SetNoDataValue(float(s['nodata']))
        if s.get('sparse'):
            continue
        arr = (np.arange(w * h).reshape(h, w) * (7 + b) % 97 + 3 * b).astype(np.float64)
        if s.get('constant') is not None:
            arr[:, :] = s['constant']
        if s.get('noise'):
            arr = np.random.default_rng(b).integers(0, 60000, (h, w)).astype(np.float64)
        if s.get('type', 'Byte').startswith('Float'):
            arr = arr / 4 - 3.25
            arr[0, 0] = float('nan')
        band.WriteArray(arr)
    b1 = ds.GetRasterBand(1)
    if s.get('description'):
        b1.SetDescription(s['description'])
        b1.SetMetadataItem('UNITS_NOTE', 'metres')
        b1.SetOffset(1.5); b1.SetScale(0.25); b1.SetUnitType('m')
    if s.get('palette'):
        ct = gdal.ColorTable()
        for i in range(256):
            ct.SetColorEntry(i, (i, 255 - i, (i * 7) % 256, 255))
        b1.SetColorTable(ct)
    if s.get('mask'):
        gdal.SetConfigOption('GDAL_TIFF_INTERNAL_MASK', 'YES')
        ds.CreateMaskBand(gdal.GMF_PER_DATASET)
        m = np.full((h, w), 255, np.uint8); m[:5, :] = 0
        ds.GetRasterBand(1).GetMaskBand().WriteArray(m)
    if s.get('stats'):
        b1.ComputeStatistics(False)
    if s.get('overviews'):
        ds.BuildOverviews('NEAREST', [2, 4])
    ds.FlushCache(); ds = None
    if s.get('cog'):
        gdal.Translate(path, target, format='COG', creationOptions=s['cog'])

def describe(path):
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform(can_return_null=True)
    srs = ds.GetSpatialRef()
    out = {
        'size': [ds.RasterXSize, ds.RasterYSize, ds.RasterCount],
        'gt': None if gt is None else list(gt),
        'wkt': srs.ExportToWkt() if srs is not None else None,
        'metadata': {d or '': ds.GetMetadata(d) for d in (ds.GetMetadataDomainList() or []) if d not in ('DERIVED_SUBDATASETS',)},
        'bands': [],
    }
    for i in range(1, ds.RasterCount + 1):
        b = ds.GetRasterBand(i)
        ct = b.GetColorTable()
        arrs = [b.ReadAsArray()] + [b.GetOverview(k).ReadAsArray() for k in range(b.GetOverviewCount())]
        flags = b.GetMaskFlags()
        out['bands'].append({
            'type': gdal.GetDataTypeName(b.DataType),
            'block': b.GetBlockSize(),
            'nodata': None if b.GetNoDataValue() is None else repr(b.GetNoDataValue()),
            'description': b.GetDescription(),
            'metadata': {d or '': b.GetMetadata(d) for d in (b.GetMetadataDomainList() or [])},
            'offsetScaleUnit': [b.GetOffset(), b.GetScale(), b.GetUnitType()],
            'colorInterp': gdal.GetColorInterpretationName(b.GetColorInterpretation()),
            'colorTable': None if ct is None else [list(ct.GetColorEntry(k)) for k in range(ct.GetCount())],
            'overviews': b.GetOverviewCount(),
            'maskFlags': flags,
            'mask': b.GetMaskBand().ReadAsArray().tobytes().hex() if flags == gdal.GMF_PER_DATASET else None,
            # hashes of the pixels, NaN-aware (NaN bit patterns may differ, values may not); 'pixelDiffs' says where
            'pixels': [digest(a) for a in arrs],
        })
    return out

def digest(a):
    a = a.astype(np.float64)
    return hashlib.sha1(np.where(np.isnan(a), -12345.678, a).tobytes() + np.isnan(a).tobytes()).hexdigest()

def pixel_diffs(pa, pb):
    da, db = gdal.Open(pa), gdal.Open(pb)
    out = []
    for i in range(1, min(da.RasterCount, db.RasterCount) + 1):
        ba, bb = da.GetRasterBand(i), db.GetRasterBand(i)
        for k in range(-1, min(ba.GetOverviewCount(), bb.GetOverviewCount())):
            x = (ba if k < 0 else ba.GetOverview(k)).ReadAsArray().astype(np.float64)
            y = (bb if k < 0 else bb.GetOverview(k)).ReadAsArray().astype(np.float64)
            if x.shape != y.shape:
                out.append(f'band {i} level {k + 1}: shapes {x.shape} {y.shape}'); continue
            bad = ~((x == y) | (np.isnan(x) & np.isnan(y)))
            if bad.any():
                where = np.argwhere(bad)[:3]
                out.append(f'band {i} level {k + 1}: {int(bad.sum())} pixels differ, first ' + '; '.join(f'({r},{c}) gdal {x[r, c]} ours {y[r, c]}' for r, c in where))
    return out

req = json.load(sys.stdin)
if req['op'] == 'make':
    for s in req['specs']:
        make(s)
    print(json.dumps({'made': len(req['specs'])}))
elif req['op'] == 'band1':
    ds = gdal.Open(req['path'])  # held: a band outlived by its dataset crashes
    a = ds.GetRasterBand(1).ReadAsArray().astype(np.float64).ravel()
    print(json.dumps([None if math.isnan(v) else v for v in a.tolist()]))
elif req['op'] == 'addo':
    # gdaladdo -r nearest at the file's own levels (GDAL's in-place update leaves them stale; rasterburn rebuilds them)
    import subprocess
    ds = gdal.Open(req['path']); b = ds.GetRasterBand(1)
    levels = [str(round(ds.RasterXSize / b.GetOverview(k).XSize)) for k in range(b.GetOverviewCount())]
    ds = None
    subprocess.run(['gdaladdo', '-q', '-r', 'nearest', req['path']] + levels, check=True)
    print(json.dumps(levels))
elif req['op'] == 'diff':
    print(json.dumps(pixel_diffs(req['a'], req['b'])))
else:
    res = []
    for p in req['paths']:
        try:
            res.append(describe(p))
        except Exception as e:
            res.append({'error': str(e).splitlines()[0]})
    print(json.dumps(res))
`;

function py(req: unknown): Promise<unknown> {
  return pythonAsync(PYTHON, JSON.stringify(req));
}

// features in the rasters' pixel-sized UTM grid (and in pixel space, y down, for rasters without a geotransform)
const SRC = JSON.stringify({
  type: 'FeatureCollection',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } },
  features: [
    { type: 'Feature', properties: { v: 7 }, geometry: { type: 'Polygon', coordinates: [[[2.2, 3.1], [30.5, 5.3], [24.1, 35.8], [2.2, 3.1]], [[10, 10], [18, 10], [18, 16], [10, 10]]] } },
    { type: 'Feature', properties: { v: 9 }, geometry: { type: 'LineString', coordinates: [[0.3, 41.5], [36.6, 0.4]] } },
    { type: 'Feature', properties: { v: 3 }, geometry: { type: 'Point', coordinates: [33.5, 38.5] } },
  ],
});
// a small feature: most chunks of a tiled raster stay untouched
const SMALL = JSON.stringify({
  type: 'FeatureCollection',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } },
  features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[1.5, 30.5], [6.5, 30.5], [6.5, 40.5], [1.5, 30.5]]] } }],
});

interface Spec {
  name: string;
  type?: string;
  bands?: number;
  co?: string[];
  gt?: boolean;
  point?: boolean;
  metadata?: Record<string, string>;
  otherDomain?: boolean;
  description?: string;
  nodata?: number | string;
  palette?: boolean;
  mask?: boolean;
  stats?: boolean;
  overviews?: boolean;
  sparse?: boolean;
  cog?: string[];
  /** fill every band with this value instead of a ramp */
  constant?: number;
  /** fill with seeded noise (incompressible: a burn shrinks the chunks it touches) */
  noise?: boolean;
  w?: number;
  h?: number;
  args?: string[];
  src?: string;
  /** compressions kept in place: the file size must not change for uncompressed ones */
  sameSize?: boolean;
  /** the bands the burn changes (default [1]); every other band must keep its pixels and overviews */
  burned?: number[];
}

const CASES: Spec[] = [
  { name: 'tiled-deflate-uint16-structure', type: 'UInt16', co: ['TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16', 'COMPRESS=DEFLATE'], metadata: { SOURCE: 'survey 2023' }, description: 'heights', point: true, otherDomain: true },
  { name: 'deflate-strips-predictor2-int16', type: 'Int16', co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'BLOCKYSIZE=5'], nodata: -9999, args: ['-burn', '-3', '-add'] },
  { name: 'deflate-predictor3-float32-tiled', type: 'Float32', co: ['COMPRESS=DEFLATE', 'PREDICTOR=3', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=32'], nodata: 'nan', args: ['-a', 'v', '-at'] },
  { name: 'deflate-predictor3-float64', type: 'Float64', co: ['COMPRESS=DEFLATE', 'PREDICTOR=3'], args: ['-burn', '2.75'] },
  { name: 'deflate-predictor2-uint32', type: 'UInt32', co: ['COMPRESS=DEFLATE', 'PREDICTOR=2'], args: ['-burn', '4000000000'] },
  { name: 'lzw-uint8', co: ['COMPRESS=LZW'] },
  { name: 'lzw-predictor2-int32-tiled', type: 'Int32', co: ['COMPRESS=LZW', 'PREDICTOR=2', 'TILED=YES', 'BLOCKXSIZE=32', 'BLOCKYSIZE=16'], args: ['-a', 'v'] },
  { name: 'lzw-predictor3-float32-big-endian', type: 'Float32', co: ['COMPRESS=LZW', 'PREDICTOR=3', 'ENDIANNESS=BIG'], args: ['-burn', '1e30'] },
  { name: 'lzw-predictor2-uint16-big-endian', type: 'UInt16', co: ['COMPRESS=LZW', 'PREDICTOR=2', 'ENDIANNESS=BIG', 'BLOCKYSIZE=3'] },
  { name: 'packbits-byte', co: ['COMPRESS=PACKBITS', 'BLOCKYSIZE=4'], palette: true },
  { name: '3-bands-pixel-interleaved-deflate-tiled', bands: 3, co: ['COMPRESS=DEFLATE', 'INTERLEAVE=PIXEL', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'] },
  { name: '3-bands-band-interleaved-lzw-predictor2', type: 'UInt16', bands: 3, co: ['COMPRESS=LZW', 'PREDICTOR=2', 'INTERLEAVE=BAND'] },
  { name: '3-bands-pixel-interleaved-predictor2-int16', type: 'Int16', bands: 3, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'INTERLEAVE=PIXEL'] },
  { name: '3-bands-pixel-interleaved-predictor3-float32', type: 'Float32', bands: 3, co: ['COMPRESS=LZW', 'PREDICTOR=3', 'INTERLEAVE=PIXEL', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'] },
  { name: '3-bands-pixel-interleaved-uncompressed', type: 'Int16', bands: 3, co: ['INTERLEAVE=PIXEL'], sameSize: true },
  { name: '3-bands-band-interleaved-uncompressed-tiled', type: 'Float64', bands: 3, co: ['INTERLEAVE=BAND', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], sameSize: true },
  { name: '3-bands-big-endian-uncompressed-pixel', type: 'UInt16', bands: 3, co: ['INTERLEAVE=PIXEL', 'ENDIANNESS=BIG'], sameSize: true },
  { name: 'no-geotransform-uncompressed', gt: false, args: ['-burn', '200'], sameSize: true },
  { name: 'no-geotransform-lzw', gt: false, co: ['COMPRESS=LZW'], point: true },
  { name: 'bigtiff-deflate-tiled-int32', type: 'Int32', co: ['BIGTIFF=YES', 'COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], nodata: -1 },
  { name: 'bigtiff-big-endian-lzw', type: 'UInt16', co: ['BIGTIFF=YES', 'ENDIANNESS=BIG', 'COMPRESS=LZW', 'PREDICTOR=2'] },
  { name: 'zstd-tiled-predictor', type: 'UInt16', co: ['COMPRESS=ZSTD', 'PREDICTOR=2', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'] },
  { name: 'zstd-float-predictor-strips', type: 'Float32', co: ['COMPRESS=ZSTD', 'PREDICTOR=3', 'BLOCKYSIZE=7'] },
  { name: 'overviews-and-stats-deflate', co: ['COMPRESS=DEFLATE'], overviews: true, stats: true, description: 'classes' },
  { name: 'internal-mask-deflate-tiled', co: ['COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], mask: true },
  { name: 'sparse-deflate-tiled-nodata', type: 'Int16', co: ['COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16', 'SPARSE_OK=TRUE'], nodata: -7, sparse: true, src: SMALL },
  { name: 'sparse-uncompressed-3-bands', bands: 3, co: ['SPARSE_OK=TRUE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], nodata: 9, sparse: true, src: SMALL },
  { name: 'small-burn-keeps-most-tiles', type: 'UInt16', co: ['COMPRESS=LZW', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], src: SMALL },
  { name: 'cog-deflate', w: 300, h: 260, type: 'UInt16', noise: true, cog: ['COMPRESS=DEFLATE', 'BLOCKSIZE=128', 'OVERVIEWS=NONE'], src: SMALL },
  // -b: the named bands burned in place, each with the -burn value of its position (the last standing in)
  { name: 'b2-pixel-interleaved-deflate-tiled', bands: 3, co: ['COMPRESS=DEFLATE', 'INTERLEAVE=PIXEL', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], args: ['-b', '2', '-burn', '5'], burned: [2] },
  { name: 'b3-b1-pixel-interleaved-predictor2-int16', type: 'Int16', bands: 3, co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'INTERLEAVE=PIXEL'], args: ['-b', '3', '-b', '1', '-burn', '-4', '-burn', '6'], burned: [1, 3] },
  { name: 'b2-b3-band-interleaved-lzw-predictor2-attribute', type: 'UInt16', bands: 3, co: ['COMPRESS=LZW', 'PREDICTOR=2', 'INTERLEAVE=BAND'], args: ['-b', '2', '-b', '3', '-a', 'v'], burned: [2, 3] },
  { name: 'b3-band-interleaved-uncompressed-tiled-float64', type: 'Float64', bands: 3, co: ['INTERLEAVE=BAND', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], args: ['-b', '3', '-burn', '2.5'], sameSize: true, burned: [3] },
  { name: 'b2-b3-pixel-interleaved-uncompressed-big-endian', type: 'UInt16', bands: 3, co: ['INTERLEAVE=PIXEL', 'ENDIANNESS=BIG'], args: ['-b', '2', '-b', '3', '-burn', '100', '-burn', '200'], sameSize: true, burned: [2, 3] },
  { name: 'b1-b2-b4-last-burn-repeats-zstd-float32', type: 'Float32', bands: 4, co: ['COMPRESS=ZSTD', 'PREDICTOR=3', 'INTERLEAVE=PIXEL', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], args: ['-b', '1', '-b', '2', '-b', '4', '-burn', '9', '-burn', '8', '-at'], burned: [1, 2, 4] },
  { name: 'b2-twice-add', type: 'Int16', bands: 2, co: ['COMPRESS=DEFLATE'], args: ['-b', '2', '-b', '2', '-burn', '5', '-burn', '6', '-add'], burned: [2] },
  { name: 'b2-b4-overviews-pixel-interleaved', bands: 4, co: ['COMPRESS=DEFLATE', 'INTERLEAVE=PIXEL'], overviews: true, args: ['-b', '2', '-b', '4', '-burn', '250', '-burn', '1'], burned: [2, 4] },
  { name: 'b2-b3-sparse-uncompressed', bands: 3, co: ['SPARSE_OK=TRUE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], nodata: 9, sparse: true, src: SMALL, args: ['-b', '3', '-b', '2', '-burn', '1', '-burn', '2'], burned: [2, 3] },
  { name: 'b2-sparse-deflate-pixel-nodata-0', bands: 2, type: 'Int16', co: ['SPARSE_OK=TRUE', 'COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], nodata: 0, sparse: true, src: SMALL, args: ['-b', '2', '-burn', '3'], burned: [2] },
  { name: 'b2-cog-2-bands', w: 300, h: 260, bands: 2, type: 'UInt16', noise: true, cog: ['COMPRESS=DEFLATE', 'BLOCKSIZE=128', 'OVERVIEWS=NONE'], args: ['-b', '2', '-burn', '7'], burned: [2] },
  { name: 'cog-deflate-blocks-grow', w: 300, h: 260, type: 'UInt16', constant: 1, cog: ['COMPRESS=DEFLATE', 'BLOCKSIZE=128'], args: ['-burn', '5'] },
];

const CASE_TIMEOUT = 60_000;

beforeAll(async () => {
  // npm test builds first (pretest); rebuild here only when stale
  if (distIsStale()) {
    const b = await exec('npx', ['tsc', '-p', 'tsconfig.json']);
    if (distIsStale() || !existsSync(CLI)) throw new Error(`the build did not bring dist/ up to date: ${b.stdout}${b.stderr}`);
  }
  DIR = mkdtempSync(join(tmpdir(), 'rb-update-'));
  writeFileSync(P('src.geojson'), SRC);
  writeFileSync(P('small.geojson'), SMALL);
  await py({
    op: 'make',
    specs: [
      ...CASES.map((c) => ({ ...c, path: P(`${c.name}.tif`), co: c.co ?? [] })),
      { path: P('float64-predictor2.tif'), type: 'Float64', co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'BLOCKYSIZE=7'] },
      { path: P('jpeg-1band.tif'), co: ['COMPRESS=JPEG', 'TILED=YES'], w: 64, h: 64 },
      { path: P('jpeg-3band.tif'), bands: 3, co: ['COMPRESS=JPEG'], w: 64, h: 64 },
      { path: P('lzw-truncated.tif'), type: 'UInt16', co: ['COMPRESS=LZW'], w: 64, h: 64 },
    ],
  });
}, 180_000);

afterAll(() => {
  if (DIR) rmSync(DIR, { recursive: true, force: true });
});

function distIsStale(dir = join(ROOT, 'src')): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (distIsStale(p)) return true; continue; }
    if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) continue;
    const js = join(ROOT, 'dist', p.slice(ROOT.length + 1)).replace(/\.ts$/, '.js');
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) return true;
  }
  return false;
}

type Described = { error?: string; bands: { pixels: string[] }[] } & Record<string, unknown>;

describe('updating a GeoTIFF keeps it as gdal_rasterize does', () => {
  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const base = P(`${c.name}.tif`), a = P(`${c.name}.gdal.tif`), b = P(`${c.name}.ours.tif`);
    copyFileSync(base, a);
    copyFileSync(base, b);
    const args = c.args ?? ['-burn', '5'];
    const src = c.src === SMALL ? P('small.geojson') : P('src.geojson');
    const [g, o] = await Promise.all([
      gdalRasterizeAsync(['-q', ...args, src, a]),
      exec(process.execPath, [CLI, '-q', ...args, src, b]),
    ]);
    expect(g.rc, g.stderr).toBe(0);
    expect(o.rc, o.stderr).toBe(0);
    // GDAL leaves overviews stale; rasterburn rebuilds them as gdaladdo -r nearest does, with a warning saying so
    const hasOverviews = c.overviews || (c.cog !== undefined && !c.cog.includes('OVERVIEWS=NONE'));
    if (hasOverviews) {
      await py({ op: 'addo', path: a });
      const named = [...new Set(args.filter((_, i) => args[i - 1] === '-b'))];
      const burned = named.length > 1 ? `bands ${named.join(', ')}` : `band ${named[0] ?? 1}`;
      expect(o.stderr).toMatch(new RegExp(`^rasterburn: warning: \\S+ has \\d overview levels?: ${burned}'s were rebuilt from the new pixels with nearest resampling \\(as gdaladdo -r nearest\\)[^\\n]*\n$`));
    }
    else if (c.gt === false) {
      // a raster without SRS under a layer with one: GDAL's warning, in its words (GDAL reads an unnamed local CRS
      // from the LZW file's keys, fails to reproject to it, and says that instead)
      expect(g.stderr).toMatch(/The input vector layer has a SRS, but the output raster dataset SRS is unknown\.|do not have the same SRS/);
      expect(o.stderr).toBe('rasterburn: warning: The input vector layer has a SRS, but the output raster dataset SRS is unknown. Ensure output raster dataset has the same SRS, otherwise results might be incorrect.\n');
    } else expect(o.stderr).toBe('');
    const [da, db, d0] = (await py({ op: 'describe', paths: [a, b, base] })) as Described[];
    expect(da.error, 'GDAL cannot read its own output').toBeUndefined();
    const diffs = (await py({ op: 'diff', a, b })) as string[];
    expect(diffs.join('\n')).toBe('');
    expect(db).toEqual(da);
    // the burn changed the bands it names (else the comparison proves little), and no other band
    const burned = c.burned ?? [1];
    d0.bands.forEach((band, i) => {
      if (burned.includes(i + 1)) expect(da.bands[i].pixels[0], `band ${i + 1}`).not.toBe(band.pixels[0]);
      // (GDAL writes a missing chunk's other bands as 0: those are compared with GDAL above)
      else if (!c.sparse) expect(db.bands[i].pixels, `band ${i + 1}`).toEqual(band.pixels);
    });
    if (c.sameSize) expect(statSync(b).size).toBe(statSync(base).size);
  }, CASE_TIMEOUT);

  it('chunks the burn did not touch keep their bytes and offsets', async () => {
    const base = readFileSync(P('small-burn-keeps-most-tiles.tif'));
    const ours = readFileSync(P('small-burn-keeps-most-tiles.ours.tif'));
    const before = inspectGeoTIFF(new Uint8Array(base)), after = inspectGeoTIFF(new Uint8Array(ours));
    const chunk = (f: Buffer, L: typeof before, i: number) => f.subarray(L.offsets[i], L.offsets[i] + L.byteCounts[i]);
    const changed = before.offsets.map((_, i) => i).filter((i) => !chunk(base, before, i).equals(chunk(ours, after, i)));
    // the triangle covers rows 1..11, columns 1..6: the first tile only
    expect(before.offsets.length).toBe(9);
    expect(changed).toEqual([0]);
    for (let i = 0; i < before.offsets.length; i++) {
      if (!changed.includes(i)) expect(after.offsets[i], `tile ${i}`).toBe(before.offsets[i]);
    }
  });

  it('-b: the planes of the bands not named keep their bytes and offsets', () => {
    for (const [name, burned] of [['b3-band-interleaved-uncompressed-tiled-float64', 3], ['b2-b3-band-interleaved-lzw-predictor2-attribute', 2]] as const) {
      const base = readFileSync(P(`${name}.tif`)), ours = readFileSync(P(`${name}.ours.tif`));
      const before = inspectGeoTIFF(new Uint8Array(base)), after = inspectGeoTIFF(new Uint8Array(ours));
      expect(before.planar, name).toBe(2);
      const perPlane = before.chunksAcross * before.chunksDown;
      for (let i = 0; i < perPlane * (burned - 1); i++) {
        expect([after.offsets[i], after.byteCounts[i]], `${name} chunk ${i}`).toEqual([before.offsets[i], before.byteCounts[i]]);
      }
      expect(ours.subarray(before.offsets[0], before.offsets[perPlane * (burned - 1) - 1] + before.byteCounts[perPlane * (burned - 1) - 1])
        .equals(base.subarray(before.offsets[0], before.offsets[perPlane * (burned - 1) - 1] + before.byteCounts[perPlane * (burned - 1) - 1])), name).toBe(true);
    }
  });

  it('-b naming a band the file lacks fails as in GDAL: one line, exit 1, file byte-identical', async () => {
    const cases = [
      [['-b', '4'], 'GDALDataset::GetRasterBand(4) - Illegal band #'],
      [['-b', '1', '-b', '9'], 'RasterIO(): panBandMap[1] = 9, this band does not exist on dataset'],
    ] as const;
    for (const [bands, message] of cases) {
      const base = P('3-bands-pixel-interleaved-deflate-tiled.tif'), a = P('missing-band.gdal.tif'), b = P('missing-band.ours.tif');
      copyFileSync(base, a);
      copyFileSync(base, b);
      const [g, o] = await Promise.all([
        gdalRasterizeAsync(['-q', ...bands, '-burn', '5', P('src.geojson'), a]),
        exec(process.execPath, [CLI, '-q', ...bands, '-burn', '5', P('src.geojson'), b]),
      ]);
      expect(g.rc).not.toBe(0);
      expect(g.stderr).toContain(message);
      expect(o.rc).toBe(1);
      expect(o.stderr).toBe(`rasterburn: ${b}: ${message}: it has 3 bands\n`);
      expect(readFileSync(b).equals(readFileSync(base))).toBe(true);
      expect(readFileSync(a).equals(readFileSync(base))).toBe(true);
    }
  }, CASE_TIMEOUT);

  it('COGs: a block rewritten in place keeps its size leader and trailer; a moved block marks the file as GDAL does', () => {
    const flag = (f: Buffer): string | undefined => /KNOWN_INCOMPATIBLE_EDITION=(\w+)/.exec(f.subarray(0, 300).toString('latin1'))?.[1];
    const seen: Record<string, [string | undefined, string | undefined]> = {};
    for (const name of ['cog-deflate', 'cog-deflate-blocks-grow']) {
      const f = readFileSync(P(`${name}.ours.tif`)), g = readFileSync(P(`${name}.gdal.tif`));
      seen[name] = [flag(f), flag(g)];
      if (flag(f) !== 'NO') continue;
      const L = inspectGeoTIFF(new Uint8Array(f));
      for (let i = 0; i < L.offsets.length; i++) {
        const off = L.offsets[i], n = L.byteCounts[i];
        if (n === 0) continue;
        expect(f.readUInt32LE(off - 4), `${name} tile ${i} leader`).toBe(n);
        expect(Buffer.compare(f.subarray(off + n, off + n + 4), f.subarray(off + n - 4, off + n)), `${name} tile ${i} trailer`).toBe(0);
      }
    }
    // a small burn into noise shrinks the tile it touches; burning shapes into a constant raster grows them
    expect(seen).toEqual({ 'cog-deflate': ['NO', 'NO'], 'cog-deflate-blocks-grow': ['YES', 'YES'] });
  });
});

describe('encodings rasterburn cannot write', () => {
  it('a single-band JPEG file is refused before anything is written, naming the compression and --rewrite', async () => {
    const dst = P('jpeg-1band.ours.tif');
    copyFileSync(P('jpeg-1band.tif'), dst);
    const before = readFileSync(dst);
    const o = await exec(process.execPath, [CLI, '-q', '-burn', '5', P('src.geojson'), dst]);
    expect(o.rc).toBe(1);
    expect(o.stderr).toMatch(/^rasterburn: cannot update .*jpeg-1band\.ours\.tif: it has JPEG compression, which rasterburn cannot re-encode, so nothing was written; pass --rewrite [^\n]*\n$/);
    expect(readFileSync(dst).equals(before)).toBe(true);
    expect(readdirSync(DIR).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, CASE_TIMEOUT);

  it('with --rewrite, a single-band JPEG file is rewritten with a one-line warning naming the compression', async () => {
    const dst = P('jpeg-1band.ours.tif');
    copyFileSync(P('jpeg-1band.tif'), dst);
    const o = await exec(process.execPath, [CLI, '-q', '--rewrite', '-burn', '5', P('src.geojson'), dst]);
    expect(o.rc, o.stderr).toBe(0);
    expect(o.stderr).toMatch(/^rasterburn: warning: .*jpeg-1band\.ours\.tif has JPEG compression, which rasterburn cannot write: it was rewritten \(--rewrite\) as an uncompressed GeoTIFF[^\n]*\n$/);
    const [d] = (await py({ op: 'describe', paths: [dst] })) as { metadata: Record<string, Record<string, string>> }[];
    expect(d.metadata.IMAGE_STRUCTURE?.COMPRESSION).toBeUndefined();
  }, CASE_TIMEOUT);

  it('a 3-band JPEG file is refused: one line, exit 1, file byte-identical', async () => {
    const dst = P('jpeg-3band.ours.tif');
    copyFileSync(P('jpeg-3band.tif'), dst);
    const before = readFileSync(dst);
    const o = await exec(process.execPath, [CLI, '-burn', '5', P('src.geojson'), dst]);
    expect(o.rc).toBe(1);
    expect(o.stderr).toMatch(/^rasterburn: .*jpeg-3band\.ours\.tif has 3 bands and JPEG compression, which rasterburn cannot write[^\n]*\n$/);
    expect(readFileSync(dst).equals(before)).toBe(true);
    expect(readdirSync(DIR).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, CASE_TIMEOUT);

  it('a file whose chunks do not decode is refused: one line, exit 1, file byte-identical', async () => {
    // corrupt the LZW stream of the last strip after the header: the reader or the updater must say so
    const dst = P('lzw-truncated.ours.tif');
    const bytes = readFileSync(P('lzw-truncated.tif'));
    const L = inspectGeoTIFF(new Uint8Array(bytes));
    const last = L.offsets.length - 1;
    bytes.fill(0xff, L.offsets[last], L.offsets[last] + L.byteCounts[last]);
    writeFileSync(dst, bytes);
    const o = await exec(process.execPath, [CLI, '-burn', '5', P('src.geojson'), dst]);
    expect(o.rc).toBe(1);
    expect(o.stderr.split('\n')).toHaveLength(2);
    expect(o.stderr).toMatch(/^rasterburn: .*lzw-truncated\.ours\.tif/);
    expect(readFileSync(dst).equals(bytes)).toBe(true);
  }, CASE_TIMEOUT);

  it('garbage is refused as before: one line, exit 1, file byte-identical', async () => {
    const dst = P('garbage.tif');
    writeFileSync(dst, 'II*\0 this is not a tiff at all');
    const o = await exec(process.execPath, [CLI, '-burn', '5', P('src.geojson'), dst]);
    expect(o.rc).toBe(1);
    expect(o.stderr).toMatch(/^rasterburn: cannot read .*garbage\.tif as a GeoTIFF raster: [^\n]*\n$/);
    expect(readFileSync(dst, 'latin1')).toBe('II*\0 this is not a tiff at all');
  }, CASE_TIMEOUT);
});

// a classic little-endian TIFF written by hand: 8x4 Byte, two DEFLATE strips (the old zlib code, 32946) whose offsets and byte counts are
// SHORT values held inside their IFD entries, and a long ImageDescription after the strips so that a chunk
// appended at the end lies past 65535
// (with `shared`, both strips are constant and point at the same bytes)
function handMadeTiff(shared = false): { file: Uint8Array; pixels: Uint8Array } {
  // the second strip is constant: it compresses well, and noise written into it will not fit in its place
  const pixels = new Uint8Array(32).map((_, i) => (i < 16 && !shared ? (i * 37) % 251 : 4));
  const strips: Uint8Array[] = [deflateSync(pixels.subarray(0, 16)), shared ? new Uint8Array(0) : deflateSync(pixels.subarray(16))];
  const description = 'x'.repeat(70000);
  const entries: [number, number, number, number[] | number][] = [
    [256, 3, 1, [8]], [257, 3, 1, [4]], [258, 3, 1, [8]], [259, 3, 1, [32946]], [262, 3, 1, [1]],
    [270, 2, description.length + 1, -1], [273, 3, 2, []], [277, 3, 1, [1]], [278, 3, 1, [2]], [279, 3, 2, shared ? [strips[0].length, strips[0].length] : [strips[0].length, strips[1].length]],
  ];
  const ifdAt = 8, ifdBytes = 2 + entries.length * 12 + 4;
  let at = ifdAt + ifdBytes;
  const stripAt = shared ? [at, at] : [at, at + strips[0].length];
  at += strips[0].length + strips[1].length;
  at += at % 2;
  const descAt = at;
  const total = descAt + description.length + 1;
  const file = new Uint8Array(total);
  const dv = new DataView(file.buffer);
  file.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifdAt, true);
  dv.setUint16(ifdAt, entries.length, true);
  entries.forEach(([tag, type, count, values], i) => {
    const e = ifdAt + 2 + i * 12;
    dv.setUint16(e, tag, true); dv.setUint16(e + 2, type, true); dv.setUint32(e + 4, count, true);
    if (tag === 270) dv.setUint32(e + 8, descAt, true);
    else (tag === 273 ? stripAt : (values as number[])).forEach((v, k) => dv.setUint16(e + 8 + k * 2, v, true));
  });
  file.set(strips[0], stripAt[0]);
  file.set(strips[1], stripAt[1]);
  file.set(new TextEncoder().encode(description), descAt);
  return { file, pixels };
}

describe('updateGeoTIFFBand1', () => {
  it('widens SHORT chunk offsets that no longer fit, and GDAL reads the result', async () => {
    const { file, pixels } = handMadeTiff();
    const band = (await readGeoTIFFRaster(file.slice().buffer, 1)).data as Uint8Array;
    expect(Array.from(band)).toEqual(Array.from(pixels));
    // noise does not compress: the second strip grows and goes to the end of the file, past 65535
    const next = pixels.slice();
    for (let i = 16; i < 32; i++) next[i] = (i * 97 + 13) % 256;
    const parts = updateGeoTIFFBand1(file, next);
    const out = Buffer.concat(parts);
    expect(out.subarray(0, 8).equals(Buffer.from(file.subarray(0, 8)))).toBe(true);
    const L = inspectGeoTIFF(new Uint8Array(out));
    expect(L.offsetsEntry.type).toBe(4);
    expect(L.offsets[0]).toBe(inspectGeoTIFF(file).offsets[0]);
    expect(L.offsets[1]).toBeGreaterThan(70000);
    writeFileSync(P('hand.tif'), out);
    const [d] = (await py({ op: 'describe', paths: [P('hand.tif')] })) as Described[];
    expect(d.error).toBeUndefined();
    expect(await py({ op: 'band1', path: P('hand.tif') })).toEqual(Array.from(next));
    expect((d.metadata as Record<string, Record<string, string>>)['']?.TIFFTAG_IMAGEDESCRIPTION?.length).toBe(70000);
  }, CASE_TIMEOUT);

  it('reads and rewrites 64-bit samples with the horizontal predictor (which geotiff.js cannot read)', async () => {
    const file = new Uint8Array(readFileSync(P('float64-predictor2.tif')));
    const L = inspectGeoTIFF(file);
    expect([L.predictor, L.sampleBytes, L.chunkHeight]).toEqual([2, 8, 7]);
    const band = readGeoTIFFBand1(file, new Float64Array(0), L) as Float64Array;
    const gdal = (await py({ op: 'band1', path: P('float64-predictor2.tif') })) as (number | null)[];
    expect(Array.from(band, (v) => (Number.isNaN(v) ? null : v))).toEqual(gdal);
    // rows 12..15 only: strips 1 (rows 7..13) and 2 (rows 14..20) change, the other four keep their bytes
    for (let i = 12 * 37; i < 16 * 37; i++) band[i] = -0.125 * i;
    writeFileSync(P('float64-predictor2.out.tif'), Buffer.concat(updateGeoTIFFBand1(file, band, L)));
    const back = (await py({ op: 'band1', path: P('float64-predictor2.out.tif') })) as (number | null)[];
    expect(back).toEqual(Array.from(band, (v) => (Number.isNaN(v) ? null : v)));
    const out = new Uint8Array(readFileSync(P('float64-predictor2.out.tif')));
    const after = inspectGeoTIFF(out);
    const same = L.offsets.map((o, i) => Buffer.from(file.subarray(o, o + L.byteCounts[i])).equals(out.subarray(after.offsets[i], after.offsets[i] + after.byteCounts[i])));
    expect(same).toEqual([true, false, false, true, true, true]);
  }, CASE_TIMEOUT);

  it('does not rewrite in place a chunk whose bytes another chunk shares', async () => {
    const { file, pixels } = handMadeTiff(true);
    const L = inspectGeoTIFF(file);
    expect(L.offsets[0]).toBe(L.offsets[1]);
    // constant 5 deflates to as many bytes as constant 4: it would fit where the shared copy is
    const next = pixels.slice();
    next.fill(5, 0, 16);
    writeFileSync(P('shared.tif'), Buffer.concat(updateGeoTIFFBand1(file, next, L)));
    expect(await py({ op: 'band1', path: P('shared.tif') })).toEqual(Array.from(next));
    const after = inspectGeoTIFF(new Uint8Array(readFileSync(P('shared.tif'))));
    expect(after.offsets[1]).toBe(L.offsets[1]);
    expect(after.offsets[0]).toBeGreaterThanOrEqual(file.length);
  }, CASE_TIMEOUT);

  it('returns the file unchanged when band 1 did not change', () => {
    const { file, pixels } = handMadeTiff();
    const out = Buffer.concat(updateGeoTIFFBand1(file, pixels));
    expect(out.equals(Buffer.from(file))).toBe(true);
  });

  it('rejects a band of the wrong type or size', () => {
    const { file } = handMadeTiff();
    expect(() => updateGeoTIFFBand1(file, new Uint16Array(32))).toThrow('band 1 is a Uint16Array, but the file stores Uint8Array samples');
    expect(() => updateGeoTIFFBand1(file, new Uint8Array(31))).toThrow('band 1 has 31 values, expected 8x4 = 32');
  });

  it('names what it cannot parse', () => {
    expect(() => inspectGeoTIFF(new TextEncoder().encode('GIF89a...'))).toThrow('not a TIFF: no II/MM byte-order mark');
    const { file } = handMadeTiff();
    expect(() => inspectGeoTIFF(file.subarray(0, 60))).toThrow(/malformed TIFF: .* lie past the end of the 60-byte file/);
  });
});

describe('codecs', () => {
  // seeded, so a failure reproduces
  function noise(n: number, seed: number, alphabet = 256): Uint8Array {
    let s = seed >>> 0;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = (s >>> 24) % alphabet; }
    return out;
  }
  const inputs: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([42])],
    ['constant run (KwKwK codes)', new Uint8Array(10000).fill(7)],
    ['random bytes (table resets)', noise(50000, 1)],
    ['4-letter text (long strings, code widths to 12 bits)', noise(200000, 2, 4)],
    ['ramp', new Uint8Array(70000).map((_, i) => (i * 3) & 0xff)],
  ];
  it.each(inputs)('LZW round trip: %s', (_n, data) => {
    const enc = lzwEncode(data);
    expect(Array.from(lzwDecode(enc, data.length).subarray(0, 64))).toEqual(Array.from(data.subarray(0, 64)));
    expect(Buffer.compare(lzwDecode(enc, data.length), data)).toBe(0);
  });
  it('LZW decodes what GDAL wrote, byte for byte', async () => {
    const f = new Uint8Array(readFileSync(P('lzw-uint8.tif')));
    const L = inspectGeoTIFF(f);
    const rows = Math.min(L.chunkHeight, L.height);
    const strip = lzwDecode(f.subarray(L.offsets[0], L.offsets[0] + L.byteCounts[0]), rows * L.width);
    const band = (await readGeoTIFFRaster(f.slice().buffer, 1)).data;
    expect(Array.from(strip)).toEqual(pixelList(band.subarray(0, rows * L.width)));
  });
  it('LZW names corrupt data', () => {
    expect(() => lzwDecode(new Uint8Array([0x80, 0x00, 0x00, 0x00]), 10)).toThrow(/LZW/);
    expect(() => lzwDecode(lzwEncode(new Uint8Array(5)), 10)).toThrow('LZW data ends after 5 of 10 bytes');
  });
  it.each(inputs)('PackBits round trip: %s', (_n, data) => {
    for (const row of [1, 7, 300, Math.max(1, data.length)]) {
      expect(Buffer.compare(packBitsDecode(packBitsEncode(data, row), data.length), data), `row ${row}`).toBe(0);
    }
  });
  it('PackBits never lets a run cross a row', () => {
    const data = new Uint8Array(20).fill(5);
    // two rows of 10 equal bytes: two repeat runs
    expect(Array.from(packBitsEncode(data, 10))).toEqual([0xf7, 5, 0xf7, 5]);
  });
});
