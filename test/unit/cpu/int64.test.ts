// Int64 / UInt64 pixels (pixel rules V8-V11): the double conversions GDAL 3.6.2 gave on the edges of each
// type (values observed with gdal_rasterize -burn), the BigInt sink's add modes, exact Integer64 attributes
// through flatten, the engine and the threads' band loop, and the library's arrays, files and fallbacks.
import { describe, expect, it } from 'vitest';
import { addInt64, bigConverter, INT64_MAX, INT64_MIN, toPixel, UINT64_MAX } from '../../../src/dtype.js';
import { BigArraySink } from '../../../src/cpu/big-sink.js';
import { burnBands, shapeRows, sharedGrid, type BandJob } from '../../../src/cpu/bands.js';
import { burnShapesCpu } from '../../../src/cpu/engine.js';
import { flattenFeatures } from '../../../src/features/flatten.js';
import { parseGeoJSON } from '../../../src/features/scan.js';
import { parseSource } from '../../../src/cli/parse-source.js';
import { rasterize, createRasterizer, toNpy, toGeoTIFF } from '../../../src/index.js';
import { readGeoTIFFRaster } from '../../../src/io/tiff/read.js';
import type { Grid } from '../../../src/types.js';
import { asCollection } from '../../shared/feature-input.js';

const rect = (x0: number, x1: number, v: string) =>
  `{"type":"Feature","properties":{"v":${v}},"geometry":{"type":"Polygon","coordinates":[[[${x0},0],[${x1},0],[${x1},1],[${x0},1],[${x0},0]]]}}`;
const text = (...f: string[]) => `{"type":"FeatureCollection","features":[${f.join(',')}]}`;
const GRID: Grid = { width: 4, height: 1, transform: [0, 1, 0, 1, 0, -1], crs: 'EPSG:4326' };

describe('double to Int64 / UInt64 as GDAL 3.6.2 converts', () => {
  const i64 = bigConverter('int64');
  const u64 = bigConverter('uint64');
  it('rounds half away from zero in float64 and clamps, except that 2^63 wraps (V8)', () => {
    const cases: [number, bigint][] = [
      [0.5, 1n], [-0.5, -1n], [2.5, 3n], [-2.5, -3n], [0.49999999999999994, 1n], [4503599627370497, 4503599627370498n],
      [-4503599627370497, -4503599627370498n], [9007199254740993, 9007199254740992n], [9223372036854774784, 9223372036854774784n],
      [2 ** 63, INT64_MIN], [9223372036854777856, INT64_MAX], [1e30, INT64_MAX], [-9223372036854777856, INT64_MIN],
      [-(2 ** 63), INT64_MIN], [NaN, 0n], [Infinity, INT64_MAX], [-Infinity, INT64_MIN], [5e-324, 0n],
    ];
    for (const [v, want] of cases) expect([v, i64(v)]).toEqual([v, want]);
  });
  it('sends negatives to 0, +inf to the maximum, and 2^64 and beyond to 0 (V9)', () => {
    const cases: [number, bigint][] = [
      [0.5, 1n], [-0.5, 0n], [-1.5, 0n], [2.5, 3n], [2 ** 63, 2n ** 63n], [1e19, 10000000000000000000n],
      [18446744073709549568, 18446744073709549568n], [2 ** 64, 0n], [2 ** 65, 0n], [1e20, 0n], [1.7976931348623157e308, 0n],
      [Infinity, UINT64_MAX], [-Infinity, 0n], [NaN, 0n], [-1e30, 0n],
    ];
    for (const [v, want] of cases) expect([v, u64(v)]).toEqual([v, want]);
  });
  it('saturates Int64 sums', () => {
    expect(addInt64(INT64_MAX, 1n)).toBe(INT64_MAX);
    expect(addInt64(INT64_MIN, -5n)).toBe(INT64_MIN);
    expect(addInt64(-9007199254740993n, 9223372036854775807n)).toBe(9214364837600034814n);
    expect(toPixel('int64', 7)).toBe(7n);
    expect(toPixel('int32', 7.5)).toBe(8);
  });
});

describe('BigArraySink', () => {
  it('adds through doubles, or exactly with saturation for exact values (V10)', () => {
    const data = new BigInt64Array(3).fill(9007199254740993n);
    const s = new BigArraySink(data, 3, 'int64', 'add');
    s.setValue(1);
    s.span(0, 0, 1, 0);
    expect([...data]).toEqual([9007199254740992n, 9007199254740992n, 9007199254740993n]);
    s.setExact(1n);
    s.span(0, 1, 2, 0);
    expect([...data]).toEqual([9007199254740992n, 9007199254740993n, 9007199254740994n]);
    s.setExact(INT64_MAX);
    s.point(0, 2, 0);
    expect(data[2]).toBe(INT64_MAX);
  });
  it('replaces with the converted value and a Z variant per pixel', () => {
    const data = new BigUint64Array(3);
    const s = new BigArraySink(data, 3, 'uint64', 'replace');
    s.setValue(-4);
    s.span(0, 0, 0, 10.5);
    s.span(0, 1, 2, 0);
    expect([...data]).toEqual([7n, 0n, 0n]);
  });
});

describe('Integer64 attributes burned exactly', () => {
  const src = text(rect(0, 2, '9007199254740993'), rect(1, 4, '-9223372036854775807'), rect(3, 4, '9223372036854775807'));
  it('keeps GeoJSON whole numbers beyond 2^53 as BigInts, and parseSource sends such text to the scanner', () => {
    const fc = asCollection(parseGeoJSON(new TextEncoder().encode(src)));
    expect(fc.features.map((f) => f.properties?.v)).toEqual([9007199254740993n, -9223372036854775807n, 9223372036854775807n]);
    const viaCli = asCollection(parseSource(new TextEncoder().encode(src), (b) => parseGeoJSON(b)));
    expect(viaCli.features[0].properties?.v).toBe(9007199254740993n);
    const small = asCollection(parseGeoJSON(new TextEncoder().encode(text(rect(0, 1, '12'), rect(1, 2, '1.5e300'), rect(2, 3, '9007199254740993.0')))));
    expect(small.features.map((f) => f.properties?.v)).toEqual([12, 1.5e300, 9007199254740992]);
    const clamped = asCollection(parseGeoJSON(new TextEncoder().encode(text(rect(0, 1, '99999999999999999999')))));
    expect(clamped.features[0].properties?.v).toBe(INT64_MAX);
  });
  it('flattens value64 and burns it into int64 (replace and add), doubles into uint64', async () => {
    const fc = parseGeoJSON(new TextEncoder().encode(src));
    const shapes = flattenFeatures(fc, GRID, { attribute: 'v' });
    expect([...(shapes.value64 ?? [])]).toEqual([9007199254740993n, -9223372036854775807n, 9223372036854775807n]);
    const data = new BigInt64Array(4);
    burnShapesCpu(shapes, { data, width: 4, height: 1, dtype: 'int64' });
    expect([...data]).toEqual([9007199254740993n, -9223372036854775807n, -9223372036854775807n, 9223372036854775807n]);
    const add = await rasterize(fc, GRID, { attribute: 'v', dtype: 'int64', merge: 'add', init: 5 });
    expect([...add.data]).toEqual([9007199254740998n, -9214364837600034809n, -9223372036854775802n, 5n + 0n + (-9223372036854775807n) + 9223372036854775807n]);
    const u = await rasterize(fc, GRID, { attribute: 'v', dtype: 'uint64' });
    expect(u.data).toBeInstanceOf(BigUint64Array);
    expect([...u.data]).toEqual([9007199254740992n, 0n, 0n, 2n ** 63n]);
  });
  it('burns 8-byte pixels in row bands on shared memory as in one pass', () => {
    const fc = parseGeoJSON(new TextEncoder().encode(src));
    const grid: Grid = { width: 4, height: 40, transform: [0, 1, 0, 1, 0, -1 / 40], crs: 'EPSG:4326' };
    const shapes = flattenFeatures(fc, grid, { attribute: 'v', merge: 'add' });
    const one = new BigInt64Array(160).fill(3n);
    burnShapesCpu(shapes, { data: one, width: 4, height: 40, dtype: 'int64' }, { merge: 'add' });
    const data = sharedGrid('int64', 160);
    const job: BandJob = {
      shapes, ...shapeRows(shapes, 40, (n) => new Int32Array(n)), data, width: 4, height: 40, dtype: 'int64', allTouched: false,
      merge: 'add', burnZ: false, init: 3n, bandRows: 7, bands: 6, ctl: new Int32Array(new SharedArrayBuffer(8)),
    };
    burnBands(job);
    expect([...data]).toEqual([...one]);
  });
});

describe('the library with int64 / uint64', () => {
  const fc = parseGeoJSON(new TextEncoder().encode(text(rect(0, 2, '9007199254740993'), rect(1, 3, '-2'))));
  it('starts at init or 0, never at nodata, and warns about a fractional nodata (V11)', async () => {
    const r = await rasterize(fc, GRID, { attribute: 'v', dtype: 'int64', nodata: 7 });
    expect([...r.data]).toEqual([9007199254740993n, -2n, -2n, 0n]);
    expect(r.nodata).toBe(7);
    const w = await rasterize(fc, GRID, { burn: 1, dtype: 'uint64', nodata: 1.5, init: 2 });
    expect([...w.data]).toEqual([1n, 1n, 1n, 2n]);
    expect(w.stats.warnings?.some((x) => x.startsWith('nodata 1.5 is not a whole number in UInt64'))).toBe(true);
  });
  it("falls back to the CPU when the GPU is asked, saying why", async () => {
    const r = await rasterize(fc, GRID, { attribute: 'v', dtype: 'int64', backend: 'webgpu' });
    expect(r.stats.backend).toBe('cpu');
    expect(r.stats.fallbackReason).toMatch(/int64 pixels need 64-bit integers/);
    expect(r.data[0]).toBe(9007199254740993n);
  });
  it('burns batches of int64 jobs', async () => {
    const rz = await createRasterizer({ backend: 'cpu' });
    const out: bigint[][] = [];
    for await (const r of rz.rasterizeBatch([{ features: fc, grid: GRID, options: { attribute: 'v', dtype: 'int64' } }, { features: fc, grid: GRID, options: { burn: -1, dtype: 'uint64' } }])) {
      out.push([...(r.data as BigInt64Array)]);
    }
    expect(out).toEqual([[9007199254740993n, -2n, -2n, 0n], [0n, 0n, 0n, 0n]]);
    rz.destroy();
  });
  it('writes .npy <i8 and GeoTIFF SampleFormat 2 / 64 bits that read back exactly', async () => {
    const r = await rasterize(fc, GRID, { attribute: 'v', dtype: 'int64' });
    const npy = new Uint8Array(toNpy(r));
    expect(new TextDecoder().decode(npy.subarray(10, 40))).toContain("'descr': '<i8'");
    for (const compress of ['none', 'deflate', 'lzw'] as const) {
      const tif = toGeoTIFF(r, { compress, predictor: compress === 'none' ? 1 : 2 });
      const back = await readGeoTIFFRaster(tif);
      expect(back.dtype).toBe('int64');
      expect([...(back.data as BigInt64Array)]).toEqual([...r.data]);
    }
  });
});
