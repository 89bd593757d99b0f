// -ot Int64 / UInt64 and Integer64 attributes against the real gdal_rasterize (pixel rules G6, V8-V11): every
// pixel compared as a 64-bit integer (never through a double, so 2^53 + 1 and 2^53 differ), band type, nodata,
// compression and blocks; the seeded cases print their seed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, report, runCases, type DiffCase } from './gdal/harness.js';
import { GDAL_ENV, PYTHON } from './gdal/oracle.js';
import { mulberry32 as rng } from '../../bench/random.js';

// a FeatureCollection of axis-aligned rectangles as text, so attribute values keep every digit
function collection(rects: Array<{ x0: number; y0: number; x1: number; y1: number; props: Record<string, string> }>): string {
  const feats = rects.map(({ x0, y0, x1, y1, props }) => {
    const p = Object.entries(props).map(([k, v]) => `"${k}":${v}`).join(',');
    return `{"type":"Feature","properties":{${p}},"geometry":{"type":"Polygon","coordinates":[[[${x0},${y0}],[${x1},${y0}],[${x1},${y1}],[${x0},${y1}],[${x0},${y0}]]]}}`;
  });
  return `{"type":"FeatureCollection","features":[${feats.join(',')}]}`;
}

// a random Int64 as decimal text: small, near 2^53, near the ends of the range, or anywhere
function randomInt64(r: () => number): string {
  const big = (bits: number) => { let v = 0n; for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(r() * 65536)); return v & ((1n << BigInt(bits)) - 1n); };
  const sign = r() < 0.4 ? -1n : 1n;
  const k = r();
  let v: bigint;
  if (k < 0.2) v = BigInt(Math.floor(r() * 2000) - 1000);
  else if (k < 0.5) v = 2n ** 53n + big(8) - 128n;
  else if (k < 0.7) v = 2n ** 63n - 1n - big(12);
  else v = big(62);
  v *= sign;
  if (v > 2n ** 63n - 1n) v = 2n ** 63n - 1n;
  if (v < -(2n ** 63n)) v = -(2n ** 63n);
  return v.toString();
}

const ONE_ROW = ['-te', '0', '0', '4', '1', '-ts', '4', '1'];
const SQUARE = collection([{ x0: 0, y0: 0, x1: 4, y1: 1, props: { v: '1' } }]);

const cases: DiffCase[] = [];

// V8 and V9: one double burn value converted, at the edges of each type
const BURNS = ['0.5', '-0.5', '2.5', '-2.5', '0.49999999999999994', '4503599627370497', '9007199254740993', '9223372036854774784',
  '9223372036854775807', '9223372036854777856', '-9223372036854775808', '-9223372036854777856', '18446744073709549568',
  '18446744073709551615', '1e20', '1e300', '-1', 'nan', 'inf', '-inf'];
for (const t of ['Int64', 'UInt64']) {
  for (const b of BURNS) cases.push({ name: `V8-V9-burn-${t}-${b}`, source: { raw: SQUARE }, args: ['-burn', b, '-ot', t, ...ONE_ROW] });
}

// V10: an Integer64 attribute, exact into Int64 (the default type), through doubles into UInt64 and in add mode
const I64 = collection([
  { x0: 0, y0: 0, x1: 2, y1: 1, props: { v: '9007199254740993', r: '1.5' } },
  { x0: 1, y0: 0, x1: 4, y1: 1, props: { v: '-9007199254740993', r: '-2.5' } },
  { x0: 3, y0: 0, x1: 6, y1: 1, props: { v: '9223372036854775807', r: '3.5' } },
  { x0: 5, y0: 0, x1: 6, y1: 1, props: { v: '9223372036854775807', r: '3.5' } },
  { x0: 6, y0: 0, x1: 8, y1: 1, props: { v: '-9223372036854775807', r: '0' } },
  { x0: 7, y0: 0, x1: 8, y1: 1, props: { v: '-9223372036854775000', r: '0' } },
]);
const ROW8 = ['-te', '0', '0', '8', '1', '-ts', '8', '1'];
for (const [name, args] of [
  ['default-type', ['-a', 'v']],
  ['int64', ['-a', 'v', '-ot', 'Int64']],
  ['uint64', ['-a', 'v', '-ot', 'UInt64']],
  ['float64', ['-a', 'v', '-ot', 'Float64']],
  ['add-saturates', ['-a', 'v', '-add']],
  ['add-init', ['-a', 'v', '-add', '-init', '5']],
  ['uint64-add', ['-a', 'v', '-ot', 'UInt64', '-add', '-init', '9007199254740993']],
  ['real-add-init-big', ['-a', 'r', '-ot', 'Int64', '-add', '-init', '9007199254740993']],
  ['burn-add-init-big', ['-burn', '1', '-ot', 'Int64', '-add', '-init', '9007199254740993']],
  ['all-touched', ['-a', 'v', '-at']],
  ['invert', ['-a', 'v', '-i']],
] as const) {
  cases.push({ name: `V10-${name}`, source: { raw: I64 }, args: [...args, ...ROW8] });
}

// V11: the nodata tag and the start value of 64-bit rasters
for (const [name, args] of [
  ['nodata-big', ['-burn', '1', '-ot', 'Int64', '-a_nodata', '9007199254740995', '-te', '0', '0', '10', '1', '-ts', '10', '1']],
  ['nodata-not-init', ['-burn', '1', '-ot', 'Int64', '-a_nodata', '7', '-te', '0', '0', '10', '1', '-ts', '10', '1']],
  ['nodata-and-init', ['-burn', '1', '-ot', 'UInt64', '-a_nodata', '7', '-init', '3', '-te', '0', '0', '10', '1', '-ts', '10', '1']],
  ['nodata-minus-one-uint64', ['-burn', '1', '-ot', 'UInt64', '-a_nodata', '-1', '-te', '0', '0', '10', '1', '-ts', '10', '1']],
  ['nodata-int64-min', ['-burn', '1', '-ot', 'Int64', '-a_nodata', '-9223372036854775808', '-te', '0', '0', '10', '1', '-ts', '10', '1']],
] as const) {
  cases.push({ name: `V11-${name}`, source: { raw: SQUARE }, args: [...args] });
}

// (attribute r has fractions: a whole number written as 5.0 or 5e18 is Real for OGR, which rasterburn cannot tell, K6)
// GeoTIFF layouts GDAL writes for 8-byte integers: compression, predictor, tiles, strips
const SEED = Number(process.env.RASTERBURN_SEED ?? Date.now() % 1_000_000);
const r = rng(SEED);
const rects = Array.from({ length: 60 }, () => {
  const x0 = Math.floor(r() * 90), y0 = Math.floor(r() * 60);
  return { x0: x0 + 0.3, y0: y0 + 0.6, x1: x0 + 3 + r() * 30, y1: y0 + 2 + r() * 25, props: { v: randomInt64(r), r: (r() * 2e15 - 1e15).toFixed(2) } };
});
const RANDOM = collection(rects);
const GRID = ['-te', '0', '0', '120', '90', '-ts', '120', '90'];
const CO = [[], ['COMPRESS=DEFLATE'], ['COMPRESS=DEFLATE', 'PREDICTOR=2'], ['COMPRESS=LZW', 'PREDICTOR=2', 'TILED=YES'], ['COMPRESS=ZSTD', 'TILED=YES', 'BLOCKXSIZE=32', 'BLOCKYSIZE=16'], ['COMPRESS=PACKBITS'], ['BLOCKYSIZE=7']];
CO.forEach((co, i) => {
  const t = i % 2 === 0 ? 'Int64' : 'UInt64';
  cases.push({ name: `seeded-co-${i}-${t}`, source: { raw: RANDOM }, args: ['-a', 'v', '-ot', t, ...GRID, ...co.flatMap((c) => ['-co', c])], checkStructure: true });
});
for (const [name, args] of [
  ['default-type', ['-a', 'v']],
  ['add', ['-a', 'v', '-add']],
  ['add-init', ['-a', 'v', '-add', '-init', '-9007199254740993']],
  ['uint64-add', ['-a', 'v', '-ot', 'UInt64', '-add']],
  ['real-into-int64-add', ['-a', 'r', '-ot', 'Int64', '-add', '-init', '9007199254740993']],
  ['real-into-uint64', ['-a', 'r', '-ot', 'UInt64']],
  ['all-touched-add', ['-a', 'v', '-at', '-add']],
] as const) {
  cases.push({ name: `seeded-${name}`, source: { raw: RANDOM }, args: [...args, ...GRID] });
}

// an existing Int64 / UInt64 raster updated in place (GeoTIFF read, band-1 rewrite)
for (const t of ['Int64', 'UInt64'] as const) {
  cases.push({ name: `update-${t}`, source: { raw: I64 }, args: ['-a', 'v'], dst: { width: 8, height: 2, gt: [0, 1, 0, 1, 0, -0.5], srs: 'EPSG:4326', type: t, fill: 'ramp', nodata: 3 }, checkStructure: true });
  cases.push({ name: `update-${t}-deflate-add`, source: { raw: I64 }, args: ['-a', 'v', '-add'], dst: { width: 8, height: 2, gt: [0, 1, 0, 1, 0, -0.5], srs: 'EPSG:4326', type: t, fill: 'ramp', co: ['COMPRESS=DEFLATE', 'PREDICTOR=2', 'TILED=YES'] }, checkStructure: true });
}

describe('Int64 and UInt64 against gdal_rasterize', () => {
  it(`burns, converts and writes what GDAL does (seed ${SEED}; RASTERBURN_SEED=${SEED} replays it)`, async () => {
    console.log(`diff-int64 seed ${SEED}`);
    const res = await runCases(cases);
    const bad = res.filter((x) => x.problems.length);
    expect(bad.length, `seed ${SEED}\n${report(bad)}`).toBe(0);
  }, 600_000);

  it('writes .npy as <i8 / <u8 with the pixels GDAL burns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-i64npy-'));
    try {
      writeFileSync(join(dir, 'src.geojson'), I64);
      for (const t of ['Int64', 'UInt64']) {
        const args = ['-a', 'v', '-ot', t, ...ROW8, 'src.geojson'];
        const g = spawnSync('gdal_rasterize', [...args, 'g.tif'], { cwd: dir, env: GDAL_ENV, encoding: 'utf8' });
        expect(g.status, g.stderr).toBe(0);
        const o = spawnSync(process.execPath, [CLI, '-q', ...args, 'o.npy'], { cwd: dir, encoding: 'utf8' });
        expect(o.status, o.stderr).toBe(0);
        const py = spawnSync(PYTHON, ['-c', [
          'import numpy as np, sys; from osgeo import gdal',
          'a = np.load("o.npy"); b = gdal.Open("g.tif").ReadAsArray()',
          'print(a.dtype.str, b.dtype.str, a.shape == b.shape and bool((a == b).all()), a.ravel().tolist())',
        ].join('\n')], { cwd: dir, env: GDAL_ENV, encoding: 'utf8' });
        expect(py.status, py.stderr).toBe(0);
        const [da, db, same] = py.stdout.trim().split(' ');
        expect([da, db, same], py.stdout).toEqual(t === 'Int64' ? ['<i8', '<i8', 'True'] : ['<u8', '<u8', 'True']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
