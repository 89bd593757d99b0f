// resolveRequest: the one place rasterize() options are named, checked and given their defaults;
// and the stages every burn reports.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DTYPE, resolveRequest } from '../../../src/burn/request.js';
import { rasterize } from '../../../src/rasterize.js';
import { rasterizeTiles } from '../../../src/tiles.js';
import type { GeoJSONFeature } from '../../../src/features/geojson.js';
import type { Grid, RasterizeOptions } from '../../../src/types.js';

const grid: Grid = { width: 4, height: 3, transform: [0, 1, 0, 3, 0, -1] };
const square: GeoJSONFeature = { type: 'Feature', properties: { v: 7 }, geometry: { type: 'Polygon', coordinates: [[[0.5, 0.5], [2.5, 0.5], [2.5, 2.5], [0.5, 2.5], [0.5, 0.5]]] } };

describe('resolveRequest', () => {
  it('settles every default', () => {
    const r = resolveRequest(grid, {});
    expect(r).toMatchObject({
      grid, dtype: 'uint16', start: 0, nodata: null, merge: 'replace', allTouched: false, burnZ: false, invert: false,
      into: undefined, backend: 'cpu', gpuFill: 'spans', signal: undefined, onProgress: undefined,
    });
    expect(DEFAULT_DTYPE).toBe('uint16');
    expect(resolveRequest(grid).dtype).toBe('uint16');
  });

  it('starts from init, else nodata, else 0, converted to the type as GDAL converts', () => {
    expect(resolveRequest(grid, { init: 5, nodata: 9 }).start).toBe(5);
    expect(resolveRequest(grid, { nodata: 9 }).start).toBe(9);
    expect(resolveRequest(grid, { nodata: null }).start).toBe(0);
    expect(resolveRequest(grid, { init: 300, dtype: 'uint8' }).start).toBe(255);
    expect(resolveRequest(grid, { init: -2.5, dtype: 'int16' }).start).toBe(-3);
    expect(resolveRequest(grid, { init: NaN, dtype: 'uint8' }).start).toBe(0);
    expect(resolveRequest(grid, { nodata: 0.1, dtype: 'float32' }).start).toBe(Math.fround(0.1));
    expect(Object.is(resolveRequest(grid, { init: -0, dtype: 'float64' }).start, -0)).toBe(true);
  });

  it('keeps the options that shape features as given, and the modes as booleans', () => {
    const r = resolveRequest(grid, { attribute: 'v', merge: 'add', burnZ: true, allTouched: true, invert: true, featureCrs: 'EPSG:4326' });
    expect(r.shapeOptions).toEqual({ attribute: 'v', merge: 'add', burnZ: true, invert: true, featureCrs: 'EPSG:4326', burn: undefined });
    expect(r).toMatchObject({ merge: 'add', burnZ: true, allTouched: true, invert: true });
  });

  it('refuses bad options, naming the option and the value', () => {
    const bad: [unknown, RegExp][] = [
      [null, /options must be an object, got null/],
      [{ colour: 1 }, /unknown option "colour"/],
      [{ dtype: 'int8' }, /unknown dtype "int8"/],
      [{ merge: 'max' }, /merge must be 'replace' or 'add', got "max"/],
      [{ backend: 'gpu' }, /backend must be 'cpu', 'webgpu' or 'auto', got "gpu"/],
      [{ gpuFill: 'voxels' }, /gpuFill must be 'spans' or 'triangles', got voxels/],
      [{ burn: '1' }, /burn must be a number, got "1"/],
      [{ init: true }, /init must be a number, got true/],
      [{ nodata: 'none' }, /nodata must be a number or null, got "none"/],
      [{ attribute: '' }, /attribute must be a property name, got ""/],
      [{ into: new Uint16Array(5) }, /into has 5 elements, the grid needs 4 x 3 = 12/],
      [{ into: new Uint8Array(12) }, /into is a Uint8Array, dtype uint16 needs a Uint16Array/],
    ];
    for (const [o, msg] of bad) expect(() => resolveRequest(grid, o as RasterizeOptions), JSON.stringify(o)).toThrow(msg);
    expect(() => resolveRequest({ ...grid, width: 0 }, {})).toThrow(/grid width must be a positive integer, got 0/);
  });
});

describe('stats.stages', () => {
  const keys = ['burn', 'parse', 'prepare', 'read', 'write'];

  it('rasterize() reports prepare and burn; read, parse and write are the CLI\'s', async () => {
    const r = await rasterize(square, grid, { attribute: 'v', dtype: 'uint8' });
    expect(Object.keys(r.stats.stages).sort()).toEqual(keys);
    expect(r.stats.stages.prepare).toBeGreaterThan(0);
    expect(r.stats.stages.burn).toBeGreaterThan(0);
    expect([r.stats.stages.read, r.stats.stages.parse, r.stats.stages.write]).toEqual([0, 0, 0]);
    expect(r.stats.gpu).toBeUndefined();
    expect(Array.from(r.data)).toContain(7);
  });

  it('tiles add up their bands\' burn time', async () => {
    const run = rasterizeTiles(square, grid, { attribute: 'v', dtype: 'uint8', tileSize: 2 });
    expect(run.stats.stages.prepare).toBeGreaterThan(0);
    expect(run.stats.stages.burn).toBe(0);
    for await (const tile of run) expect(tile.width).toBeLessThanOrEqual(2);
    expect(run.stats.stages.burn).toBeGreaterThan(0);
    expect(Object.keys(run.stats.stages).sort()).toEqual(keys);
  });
});
