// Updating a GeoTIFF that has overviews rebuilds band 1 of every overview level from the new pixels as
// `gdaladdo -r nearest` does. Seeded fuzz (sizes, odd ones included, sample types, bands, compression,
// predictor, tiling, the levels and their order, masks, shapes): GDAL makes the file, `gdal_rasterize` then
// `gdaladdo -r nearest <the file's levels>` updates one copy and rasterburn's CLI the other, and every pixel of
// every level of every band, and the mask, must match. Files whose overviews rasterburn leaves as they were
// (32-bit integers, --keep-overviews, band-planar files with several bands) must match gdal_rasterize alone.
// RB_SEED=<n> replays one run; the seed is printed.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/random.js';
import { gdalRasterizeAsync, pythonAsync, run } from './gdal/oracle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
let DIR = '';
const P = (name: string): string => join(DIR, name);

const PYTHON = String.raw`
import sys, json, subprocess
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
T = {'Byte': gdal.GDT_Byte, 'Int16': gdal.GDT_Int16, 'UInt16': gdal.GDT_UInt16, 'Int32': gdal.GDT_Int32,
     'UInt32': gdal.GDT_UInt32, 'Float32': gdal.GDT_Float32, 'Float64': gdal.GDT_Float64}

def make(s):
    w, h, nb = s['w'], s['h'], s['bands']
    ds = gdal.GetDriverByName('GTiff').Create(s['path'], w, h, nb, T[s['type']], options=s['co'])
    ds.SetGeoTransform([0, 1, 0, h, 0, -1])
    rng = np.random.default_rng(s['seed'])
    for b in range(1, nb + 1):
        ds.GetRasterBand(b).WriteArray(rng.integers(0, 120, (h, w)).astype(np.float64))
    if s['mask']:
        gdal.SetConfigOption('GDAL_TIFF_INTERNAL_MASK', 'YES')
        ds.CreateMaskBand(gdal.GMF_PER_DATASET)
        m = np.full((h, w), 255, np.uint8); m[:h // 3, :] = 0
        ds.GetRasterBand(1).GetMaskBand().WriteArray(m)
    ds.BuildOverviews('NEAREST', s['levels'])
    ds = None

def diffs(pa, pb):
    da, db = gdal.Open(pa), gdal.Open(pb)
    out = []
    for i in range(1, da.RasterCount + 1):
        ba, bb = da.GetRasterBand(i), db.GetRasterBand(i)
        if ba.GetOverviewCount() != bb.GetOverviewCount():
            out.append(f'band {i}: {ba.GetOverviewCount()} and {bb.GetOverviewCount()} overviews'); continue
        for k in range(-1, ba.GetOverviewCount()):
            x = (ba if k < 0 else ba.GetOverview(k)).ReadAsArray().astype(np.float64)
            y = (bb if k < 0 else bb.GetOverview(k)).ReadAsArray().astype(np.float64)
            if x.shape != y.shape:
                out.append(f'band {i} level {k + 1}: shapes {x.shape} {y.shape}'); continue
            bad = x != y
            if bad.any():
                r, c = np.argwhere(bad)[0]
                out.append(f'band {i} level {k + 1}: {int(bad.sum())} pixels differ, first ({r},{c}) gdal {x[r, c]} ours {y[r, c]}')
    ma, mb = da.GetRasterBand(1).GetMaskBand().ReadAsArray(), db.GetRasterBand(1).GetMaskBand().ReadAsArray()
    if not np.array_equal(ma, mb):
        out.append('masks differ')
    return out

def stale(path, base):
    # whether every overview of band 1 still holds the base file's pixels
    da, db = gdal.Open(path), gdal.Open(base)
    a, b = da.GetRasterBand(1), db.GetRasterBand(1)
    return all(np.array_equal(a.GetOverview(k).ReadAsArray(), b.GetOverview(k).ReadAsArray()) for k in range(a.GetOverviewCount()))

req = json.load(sys.stdin)
if req['op'] == 'make':
    for s in req['specs']:
        make(s)
    print(json.dumps(len(req['specs'])))
elif req['op'] == 'addo':
    subprocess.run(['gdaladdo', '-q', '-r', 'nearest', req['path']] + [str(l) for l in req['levels']], check=True)
    print(json.dumps(True))
elif req['op'] == 'diff':
    print(json.dumps(diffs(req['a'], req['b'])))
elif req['op'] == 'stale':
    print(json.dumps(stale(req['path'], req['base'])))
`;

const py = <T>(req: unknown): Promise<T> => pythonAsync<T>(PYTHON, req);


interface Case { name: string; w: number; h: number; bands: number; type: string; co: string[]; levels: number[]; mask: boolean; seed: number; args: string[]; features: string }

const SEED = process.env.RB_SEED !== undefined ? Number(process.env.RB_SEED) : 20261206;
const FUZZ = 14;

function fuzzCase(k: number): Case {
  const r = mulberry32(SEED * 1000 + k);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const type = pick(['Byte', 'UInt16', 'Int16', 'Float32'] as const);
  const compress = pick(['NONE', 'DEFLATE', 'LZW', 'PACKBITS', 'ZSTD']);
  const co = [`COMPRESS=${compress}`, 'INTERLEAVE=PIXEL'];
  if (compress !== 'NONE' && compress !== 'PACKBITS' && r() < 0.5) co.push(type === 'Float32' && r() < 0.5 ? 'PREDICTOR=3' : 'PREDICTOR=2');
  if (r() < 0.5) co.push('TILED=YES', `BLOCKXSIZE=${pick([16, 32])}`, `BLOCKYSIZE=${pick([16, 32])}`);
  else co.push(`BLOCKYSIZE=${int(1, 9)}`);
  const w = int(17, 140), h = int(17, 140);
  const features = JSON.stringify({
    type: 'FeatureCollection',
    // a large triangle first, so that the burn always reaches the overviews, then small random ones
    features: [[[0.5, 0.5], [w - 0.5, h * r()], [w * r(), h - 0.5]], ...Array.from({ length: int(1, 4) }, () => [[r() * w, r() * h], [r() * w, r() * h], [r() * w, r() * h]])].map((t) => ({
      type: 'Feature', properties: { v: int(150, 250) },
      geometry: { type: 'Polygon', coordinates: [[...t, t[0]]] },
    })),
  });
  return {
    name: `fuzz-${k}`, w, h, bands: pick([1, 1, 3]), type, co, mask: r() < 0.3, seed: k,
    levels: pick([[2, 4, 8], [2, 3, 6], [3, 2], [2, 4, 8, 16], [4, 2, 8], [2, 3, 9, 4], [2], [5, 10]]),
    args: r() < 0.5 ? ['-a', 'v'] : ['-burn', String(int(150, 250))], features,
  };
}

const CASES: Case[] = Array.from({ length: FUZZ }, (_, k) => fuzzCase(k));
const TRIANGLE = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[2.5, 3.5], [40.5, 9.5], [11.5, 30.5], [2.5, 3.5]]] } }] });
const KEPT: (Case & { why: string; extra?: string[] })[] = [
  { name: 'kept-uint32', w: 45, h: 33, bands: 1, type: 'UInt32', co: ['COMPRESS=DEFLATE'], levels: [2, 4], mask: false, seed: 1, args: ['-burn', '7'], features: TRIANGLE, why: 'integer 32-bit samples' },
  { name: 'kept-float64', w: 45, h: 33, bands: 1, type: 'Float64', co: [], levels: [2, 4], mask: false, seed: 2, args: ['-burn', '7'], features: TRIANGLE, why: 'float 64-bit samples' },
  { name: 'kept-band-planar', w: 45, h: 33, bands: 3, type: 'Byte', co: ['INTERLEAVE=BAND', 'COMPRESS=LZW'], levels: [2, 4, 8], mask: false, seed: 3, args: ['-burn', '7'], features: TRIANGLE, why: 'one plane per band' },
  { name: 'kept-by-option', w: 45, h: 33, bands: 1, type: 'Byte', co: ['COMPRESS=DEFLATE'], levels: [2, 4], mask: false, seed: 4, args: ['-burn', '7'], features: TRIANGLE, why: '--keep-overviews', extra: ['--keep-overviews'] },
];

const CASE_TIMEOUT = 60_000;

beforeAll(async () => {
  console.log(`overview fuzz seed ${SEED} (RB_SEED=${SEED} replays it)`);
  DIR = mkdtempSync(join(tmpdir(), 'rb-overviews-'));
  for (const c of [...CASES, ...KEPT]) writeFileSync(P(`${c.name}.geojson`), c.features);
  await py({ op: 'make', specs: [...CASES, ...KEPT].map((c) => ({ ...c, path: P(`${c.name}.tif`) })) });
}, 180_000);

afterAll(() => {
  if (DIR) rmSync(DIR, { recursive: true, force: true });
});

async function burnBoth(c: Case, extra: string[] = []): Promise<{ base: string; a: string; b: string; stderr: string; stdout: string }> {
  const base = P(`${c.name}.tif`), a = P(`${c.name}.gdal.tif`), b = P(`${c.name}.ours.tif`);
  copyFileSync(base, a);
  copyFileSync(base, b);
  const src = P(`${c.name}.geojson`);
  const [g, o] = await Promise.all([
    gdalRasterizeAsync(['-q', ...c.args, src, a]),
    run(process.execPath, [CLI, '-q', '--json', ...extra, ...c.args, src, b]),
  ]);
  expect(g.rc, g.stderr).toBe(0);
  expect(o.rc, `${c.name} (seed ${SEED}): ${o.stderr}`).toBe(0);
  // a layer with an SRS burned into a raster without one: GDAL warns, and so do we (the line is checked
  // against GDAL's, then set aside so that each test matches its own warning)
  const srsLine = /^rasterburn: warning: The input vector layer has a SRS, but the output raster dataset SRS is unknown\.[^\n]*\n/m;
  expect(srsLine.test(o.stderr), `${c.name}: GDAL said ${g.stderr}`).toBe(/output raster dataset SRS is unknown/.test(g.stderr));
  return { base, a, b, stderr: o.stderr.replace(srsLine, ''), stdout: o.stdout };
}

describe('an update rebuilds the overviews as gdal_rasterize then gdaladdo -r nearest do', () => {
  it.concurrent.each(CASES.map((c) => [`${c.name} ${c.w}x${c.h} ${c.bands}x${c.type} ${c.co.join(' ')} levels ${c.levels.join(' ')}${c.mask ? ' mask' : ''}`, c] as const))('%s', async (_n, c) => {
    const { base, a, b, stderr, stdout } = await burnBoth(c);
    await py({ op: 'addo', path: a, levels: c.levels });
    const n = c.levels.length;
    const warning = new RegExp(`^rasterburn: warning: \\S+ has ${n} overview levels?: band 1's were rebuilt from the new pixels with nearest resampling \\(as gdaladdo -r nearest\\)[^\\n]*\\n$`);
    expect(stderr).toMatch(warning);
    expect((JSON.parse(stdout) as { warnings?: string[] }).warnings?.[0]).toMatch(/rebuilt from the new pixels with nearest resampling/);
    expect((await py<string[]>({ op: 'diff', a, b })).join('\n'), `seed ${SEED}`).toBe('');
    // the comparison proves something only when the burn reached the overviews
    expect(await py<boolean>({ op: 'stale', path: a, base })).toBe(false);
  }, CASE_TIMEOUT);
});

describe('overviews rasterburn cannot rebuild: refused, or with --keep-overviews left as they were (as gdal_rasterize does) with a warning', () => {
  it.concurrent.each(KEPT.filter((c) => c.extra === undefined).map((c) => [c.name, c] as const))('%s without --keep-overviews is refused and the file is untouched', async (_n, c) => {
    const base = P(`${c.name}.tif`), b = P(`${c.name}.refused.tif`);
    copyFileSync(base, b);
    const o = await run(process.execPath, [CLI, '-q', ...c.args, P(`${c.name}.geojson`), b]);
    expect(o.rc).toBe(1);
    expect(o.stderr).toMatch(new RegExp(`^rasterburn: cannot update \\S+: its ${c.levels.length} overview levels cannot be rebuilt \\(${c.why}\\), so nothing was written; pass --keep-overviews[^\\n]*\\n$`));
    expect(readFileSync(b).equals(readFileSync(base))).toBe(true);
  }, CASE_TIMEOUT);
  it.concurrent.each(KEPT.map((c) => [c.name, c] as const))('%s with --keep-overviews', async (_n, c) => {
    const { base, a, b, stderr } = await burnBoth(c, ['--keep-overviews']);
    expect(stderr).toMatch(new RegExp(`^rasterburn: warning: \\S+ has ${c.levels.length} overview levels, kept as they were \\(--keep-overviews\\): they do not show this burn; rebuild them with gdaladdo -r nearest \\S+\\n$`));
    expect((await py<string[]>({ op: 'diff', a, b })).join('\n')).toBe('');
    expect(await py<boolean>({ op: 'stale', path: b, base })).toBe(true);
  }, CASE_TIMEOUT);
});
