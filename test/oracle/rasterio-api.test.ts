// rasterio's spellings against rasterio itself (1.3, on the same GDAL 3.6.2): geometryMask() is
// rasterio.features.geometry_mask and rasterize() of [geometry, value] pairs and bare geometries is
// rasterio.features.rasterize, pixel for pixel, on seeded random polygons, lines and points, with and
// without all-touched and invert; gridFromAffine() takes rasterio's Affine as it is. The seed is in the
// test name. Errors for rasterio's option names and an Affine-ordered transform say what ours are.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/random.js';
import { geometryMask } from '../../src/geometry-mask.js';
import { gridFromAffine } from '../../src/grid-from-affine.js';
import { rasterize } from '../../src/rasterize.js';
import { prepare } from '../../src/prepare.js';
import type { AnyGeometry } from '../../src/features/geojson.js';
import { pythonJson } from './gdal/oracle.js';

const SEED = Number(process.env.RASTERIO_SEED ?? (Date.now() % 1e6));
const AFFINE = [0.5, 0, 1000, 0, -0.5, 2040] as const;
const W = 60, H = 50;

function scene(seed: number): Array<[AnyGeometry, number]> {
  const rnd = mulberry32(seed);
  const x = () => 1000 + rnd() * 30, y = () => 2015 + rnd() * 25;
  const out: Array<[AnyGeometry, number]> = [];
  for (let i = 0; i < 8; i++) {
    const cx = x(), cy = y(), r = 1 + rnd() * 6, n = 3 + Math.floor(rnd() * 7);
    const ring = [];
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n + rnd() * 0.5, d = r * (0.4 + rnd() * 0.6);
      // some vertices on pixel centres and edges (half-pixel multiples), where the tie rules matter
      const px = rnd() < 0.3 ? Math.round((cx + d * Math.cos(a)) * 4) / 4 : cx + d * Math.cos(a);
      ring.push([px, cy + d * Math.sin(a)]);
    }
    ring.push(ring[0]);
    out.push([{ type: 'Polygon', coordinates: [ring] }, 1 + Math.floor(rnd() * 200)]);
  }
  out.push([{ type: 'LineString', coordinates: [[x(), y()], [x(), y()], [x(), y()]] }, 201]);
  out.push([{ type: 'Point', coordinates: [x(), y()] }, 202]);
  return out;
}

const RASTERIO = `
import json, sys
import numpy as np
from affine import Affine
from rasterio.features import rasterize, geometry_mask
job = json.load(sys.stdin)
t = Affine(*job['affine'])
shape = (job['height'], job['width'])
out = {}
out['pairs'] = rasterize([(g, v) for g, v in job['pairs']], out_shape=shape, transform=t, fill=0, all_touched=job['at'], dtype='uint8').ravel().tolist()
out['bare'] = rasterize([g for g, v in job['pairs']], out_shape=shape, transform=t, fill=0, default_value=7, all_touched=job['at'], dtype='uint8').ravel().tolist()
for inv in (False, True):
    out['mask%d' % inv] = geometry_mask([g for g, v in job['pairs']], out_shape=shape, transform=t, all_touched=job['at'], invert=inv).astype('uint8').ravel().tolist()
print(json.dumps(out))
`;

describe('rasterio spellings, pixel for pixel with rasterio', () => {
  for (let k = 0; k < 4; k++) {
    const seed = SEED + k;
    it(`seed ${seed}: pairs, bare geometries and geometry_mask (all-touched ${k % 2 === 1})`, async () => {
      const pairs = scene(seed);
      const at = k % 2 === 1;
      const want = pythonJson<Record<string, number[]>>(RASTERIO, { affine: AFFINE, width: W, height: H, pairs, at });
      const grid = gridFromAffine(AFFINE, W, H);
      const got = {
        pairs: Array.from((await rasterize(pairs, grid, { dtype: 'uint8', allTouched: at })).data),
        bare: Array.from((await rasterize(pairs.map(([g]) => g), grid, { dtype: 'uint8', burn: 7, allTouched: at })).data),
        mask0: Array.from((await geometryMask(pairs.map(([g]) => g), grid, { allTouched: at })).data),
        mask1: Array.from((await geometryMask(pairs, grid, { allTouched: at, invert: true })).data),
      };
      for (const key of Object.keys(got) as Array<keyof typeof got>) {
        const i = got[key].findIndex((v, j) => v !== want[key][j]);
        expect(i, `${key}: first differing pixel ${i} (row ${Math.floor(i / W)}, col ${i % W}): ours ${got[key][i]}, rasterio ${want[key][i]}`).toBe(-1);
      }
      expect(got.mask0.some((v) => v === 0) && got.mask0.some((v) => v === 1)).toBe(true);
    });
  }
});

describe('rasterio names', () => {
  const grid = gridFromAffine(AFFINE, W, H, 'EPSG:32633');
  const square: AnyGeometry = { type: 'Polygon', coordinates: [[[1001, 2030], [1005, 2030], [1005, 2035], [1001, 2030]]] };

  it('gridFromAffine reorders into GDAL order and takes the 9-number matrix', () => {
    expect(grid).toEqual({ width: W, height: H, transform: [1000, 0.5, 0, 2040, 0, -0.5], crs: 'EPSG:32633' });
    expect(gridFromAffine([...AFFINE, 0, 0, 1], W, H).transform).toEqual(grid.transform);
    expect(() => gridFromAffine([0, 0, 1000, 0, 0, 2040], W, H)).toThrow(/not invertible/);
    expect(() => gridFromAffine([1, 2, 3] as never, W, H)).toThrow(/affine must be 6 \(or 9\) finite numbers/);
  });

  it('refuses a transform in Affine order, naming gridFromAffine', async () => {
    const bad = { width: W, height: H, transform: [...AFFINE] as [number, number, number, number, number, number] };
    await expect(rasterize(square, bad)).rejects.toThrow(/looks like rasterio's Affine order .*gridFromAffine/);
    await expect(rasterize(square, { ...bad, transform: [...AFFINE, 0, 0, 1] as never })).rejects.toThrow(/3x3 affine matrix.*gridFromAffine/);
  });

  it("names our option for each of rasterio's", async () => {
    const cases: Array<[string, RegExp]> = [
      ['fill', /unknown option "fill": rasterio's fill is "init" here/],
      ['default_value', /"burn"/], ['out', /"into"/], ['merge_alg', /"merge"/], ['all_touched', /"allTouched"/],
      ['out_shape', /the grid \(width, height\)/], ['transform', /gridFromAffine/],
    ];
    for (const [name, re] of cases) await expect(rasterize(square, grid, { [name]: 1 } as never), name).rejects.toThrow(re);
    await expect(rasterize(square, grid, { colour: 1 } as never)).rejects.toThrow(/^unknown option "colour"$/);
    expect(() => prepare(square, { fill: 0 } as never)).toThrow(/unknown prepare option "fill": rasterio's fill is "init"/);
    await expect(geometryMask([square], grid, { all_touched: true } as never)).rejects.toThrow(/unknown geometryMask option "all_touched": .*"allTouched"/);
  });

  it('says which item of an array is neither a feature, a geometry nor a pair', async () => {
    // on a grid without a CRS: nothing is reprojected, so the items are what is checked
    const plain = gridFromAffine(AFFINE, W, H);
    await expect(rasterize([square, [square, 'x']] as never, plain)).rejects.toThrow(/feature 1: an array item must be a \[geometry, value\] pair/);
    await expect(rasterize([square, { type: 'Thing' }] as never, plain)).rejects.toThrow(/feature 1: not a GeoJSON Feature, geometry or \[geometry, value\] pair/);
  });
});
