// Likely-wrong results (src/burn/warnings.ts) through rasterize(): the pixels GDAL burns, plus a warning line.
import { describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/index.js';
import type { Grid } from '../../../src/types.js';

const grid: Grid = { width: 4, height: 4, transform: [0, 1, 0, 4, 0, -1], crs: 'EPSG:4326' };
const point = (x: number, y: number, props: Record<string, unknown> = {}) => ({ type: 'Feature' as const, properties: props, geometry: { type: 'Point' as const, coordinates: [x, y] } });

describe('stats.warnings', () => {
  it('none for an ordinary burn', async () => {
    const r = await rasterize({ type: 'FeatureCollection', features: [point(1.5, 1.5, { v: 3 })] }, grid, { attribute: 'v', dtype: 'uint8' });
    expect(r.stats.warnings).toEqual([]);
  });

  it('no feature meets the grid, with both extents', async () => {
    const r = await rasterize({ type: 'FeatureCollection', features: [point(10, 20), point(12, 21)] }, grid);
    expect(r.stats.warnings).toEqual(['no feature meets the grid: the features lie in 10 20 12 21, the grid covers 0 0 4 4 (in EPSG:4326); nothing was burned']);
    expect(r.data.every((v) => v === 0)).toBe(true);
  });

  it('values clamped and rounded by the type: how many, the range, a type that holds them', async () => {
    const fc = { type: 'FeatureCollection' as const, features: [point(0.5, 0.5, { v: 300 }), point(1.5, 0.5, { v: -2 }), point(2.5, 0.5, { v: 7.5 }), point(3.5, 0.5, { v: 9 })] };
    const r = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8' });
    expect(r.stats.warnings).toEqual(["3 features have a value of attribute v that does not fit Byte: 2 clamped to Byte's range 0 to 255, 1 rounded to whole numbers; the values range over -2 to 300; Float64 holds them (-ot Float64, dtype 'float64')"]);
    const fits = await rasterize(fc, grid, { attribute: 'v', dtype: 'float32' });
    expect(fits.stats.warnings).toEqual([]);
    const ints = await rasterize({ type: 'FeatureCollection', features: [point(0.5, 0.5, { v: 72153 })] }, grid, { attribute: 'v', dtype: 'uint16' });
    expect(ints.stats.warnings).toEqual(["1 feature has a value of attribute v that does not fit UInt16: 1 clamped to UInt16's range 0 to 65535; the value is 72153; Int32 holds it (-ot Int32, dtype 'int32')"]);
    const nan = await rasterize(fc, grid, { burn: NaN, dtype: 'uint8' });
    expect(nan.stats.warnings).toEqual(["the burn value NaN does not fit Byte: NaN is written as 0; Float32 holds it (-ot Float32, dtype 'float32')"]);
    const huge = await rasterize(fc, grid, { burn: 1e39, dtype: 'float32' });
    expect(huge.stats.warnings).toEqual(["the burn value 1e+39 does not fit Float32: it becomes infinite; Float64 holds it (-ot Float64, dtype 'float64')"]);
  });

  it('projected coordinates read as lon/lat for a reprojection: an error naming featureCrs; no reprojection, no error', async () => {
    const utm: Grid = { width: 4, height: 4, transform: [500000, 1000, 0, 4604000, 0, -1000], crs: 'EPSG:32633' };
    const f = { type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: [501500, 4602500] } };
    await expect(rasterize(f, utm)).rejects.toThrow(/no "crs" member.*EPSG:32633.*\[501500, 4602500\].*nothing was burned.*featureCrs/);
    const named = await rasterize(f, utm, { featureCrs: 'EPSG:32633' });
    expect(named.data.filter((v) => v === 1)).toHaveLength(1);
    const plain = await rasterize(f, { ...utm, crs: undefined });
    expect(plain.data.filter((v) => v === 1)).toHaveLength(1);
  });
});

describe('hostile input to the library', () => {
  const g: Grid = { width: 2, height: 2, transform: [0, 1, 0, 2, 0, -1] };
  it('null features or grid: one-line errors, not TypeErrors', async () => {
    await expect(rasterize(null as never, g)).rejects.toThrow(/^features must be GeoJSON, an iterable of Features or prepare\(\)'s result, got null$/);
    await expect(rasterize({ type: 'Point', coordinates: [1, 1] }, null as never)).rejects.toThrow(/^grid must be an object/);
  });

  it('deep or cyclic GeometryCollections: a one-line error instead of a stack overflow', async () => {
    const cyclic = { type: 'GeometryCollection', geometries: [] as unknown[] };
    cyclic.geometries.push(cyclic);
    await expect(rasterize(cyclic as never, g)).rejects.toThrow(/nested more than 64 deep \(or a cyclic object\)/);
    let deep: unknown = { type: 'Point', coordinates: [1, 1] };
    for (let i = 0; i < 100000; i++) deep = { type: 'GeometryCollection', geometries: [deep] };
    await expect(rasterize(deep as never, g)).rejects.toThrow(/nested more than 64 deep/);
  });

  it('a coordinate of 1e999 is reported as written (Infinity), not as null: skipped with a warning, an error with strict', async () => {
    const r = await rasterize({ type: 'Point', coordinates: [1e999, 0] }, g);
    expect(r.stats.warnings).toContain('feature 0 skipped: Point rejected: x is Infinity, not a finite number');
    await expect(rasterize({ type: 'Point', coordinates: [1e999, 0] }, g, { strict: true })).rejects.toThrow('x is Infinity, not a finite number');
  });
});
