// The CLI's decisions before any pixel is burned: format, create vs update, layer name, field lookup,
// output grid/type/nodata/SRS and whether features get reprojected.
import { describe, expect, it } from 'vitest';
import { parseArgs, type CliArgs } from '../../../src/cli/args.js';
import { decideMode, layerNameOf, outputFormat, planOutput, rasterBytes, resolveAttribute, sourceCrs } from '../../../src/cli/plan.js';
import { layerExtent } from '../../../src/features/extent.js';
import type { FeatureInput } from '../../../src/features/geojson.js';
import { gridFromBounds } from '../../../src/grid-from-bounds.js';

function args(...argv: string[]): CliArgs {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error('not a run');
  return r.args;
}

const square = (x0: number, y0: number, x1: number, y1: number, props: Record<string, unknown> = {}) => ({
  type: 'Feature' as const, properties: props,
  geometry: { type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
});
const fc = (features: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'FeatureCollection', ...extra, features }) as unknown as FeatureInput;

describe('outputFormat', () => {
  it('goes by extension, GTiff for .tif/.tiff/none, npy for .npy', () => {
    expect(outputFormat('a/b.tif', undefined)).toBe('gtiff');
    expect(outputFormat('b.TIFF', undefined)).toBe('gtiff');
    expect(outputFormat('dir.v2/out', undefined)).toBe('gtiff');
    expect(outputFormat('out.npy', undefined)).toBe('npy');
    expect(outputFormat('out.NPY', undefined)).toBe('npy');
    // -of GTiff wins over the extension, as GDAL writes a GTiff under any name
    expect(outputFormat('out.npy', 'GTiff')).toBe('gtiff');
    expect(() => outputFormat('out.png', undefined)).toThrow(/cannot tell the output format of 'out\.png'/);
  });
});

describe('decideMode', () => {
  it('creates with any creation option, updates an existing destination otherwise', () => {
    expect(decideMode(args('-burn', '1', '-tr', '1', '1', 's', 'd'), true)).toBe('create');
    expect(decideMode(args('-burn', '1', '-tr', '1', '1', 's', 'd'), false)).toBe('create');
    expect(decideMode(args('-burn', '1', 's', 'd'), true)).toBe('update');
    expect(() => decideMode(args('-burn', '1', 's', 'd'), false)).toThrow(/Size and resolutions are missing: 'd' does not exist/);
  });
});

describe('layer name and fields', () => {
  it('names the layer as OGR does: "name" member, else basename without the last extension', () => {
    expect(layerNameOf(fc([], { name: 'bldg' }), 'x/y.geojson')).toBe('bldg');
    expect(layerNameOf(fc([]), 'x/y.geojson')).toBe('y');
    expect(layerNameOf(fc([]), 'foo.geo.json')).toBe('foo.geo');
    expect(layerNameOf(fc([]), 'noext')).toBe('noext');
    expect(layerNameOf(fc([], { name: 5 }), 'num.json')).toBe('num');
  });

  it('finds fields case-insensitively, preferring an exact match', () => {
    const src = fc([square(0, 0, 1, 1, { Id: 1 }), square(0, 0, 1, 1, { id: 2, ID: 3 })]);
    expect(resolveAttribute(src, 'id', 'l')).toBe('id');
    expect(resolveAttribute(src, 'iD', 'l')).toBe('Id');
    expect(() => resolveAttribute(src, 'height', 'lyr')).toThrow('Failed to find field height on layer lyr');
  });

  it('takes the CRS from the legacy crs member, else CRS84', () => {
    expect(sourceCrs(fc([]))).toBe('OGC:CRS84');
    expect(sourceCrs(fc([], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } } }))).toBe('EPSG:32633');
    expect(sourceCrs(fc([], { crs: { type: 'EPSG', properties: { code: 3857 } } }))).toBe('EPSG:3857');
    expect(() => sourceCrs(fc([], { crs: { type: 'name', properties: { name: 'EPSG:999999' } } }))).toThrow(/crs member.*999999/);
  });
});

describe('planOutput', () => {
  const src = fc([square(0.3, 0.2, 10.1, 5.05, { id: 3, big: 3000000000 }), { type: 'Feature', properties: { id: 1 }, geometry: null }]);

  it('creates from the layer extent with GDAL defaults: Float64, no nodata, EPSG:4326, no reprojection', () => {
    const p = planOutput({ args: args('-burn', '1', '-tr', '1', '1', 's.geojson', 'd.tif'), source: src, srcPath: 's.geojson', mode: 'create' });
    expect(p.grid).toEqual({ width: 11, height: 6, transform: [-0.2, 1, 0, 5.55, 0, -1], crs: 'EPSG:4326' });
    expect(p.dtype).toBe('float64');
    expect(p.nodata).toBeNull();
    expect(p.options).toMatchObject({ burn: 1, dtype: 'float64', merge: 'replace', featureCrs: 'EPSG:4326', nodata: null });
    expect(p.options.init).toBeUndefined();
    expect(p.passes).toBe(1);
    expect(p.layerName).toBe('s');
  });

  it('passes -init, -a_nodata, -ot, -at, -add, -i, -3d through', () => {
    const p = planOutput({
      args: args('-3d', '-init', '4', '-a_nodata', '9', '-ot', 'Int16', '-at', '-add', '-i', '-ts', '3', '3', 's', 'd'),
      source: src, srcPath: 's', mode: 'create',
    });
    expect(p.options).toMatchObject({ burnZ: true, init: 4, nodata: 9, dtype: 'int16', allTouched: true, merge: 'add', invert: true });
    expect(p.options.burn).toBeUndefined();
  });

  it('assigns -a_srs without reprojecting', () => {
    const p = planOutput({ args: args('-burn', '1', '-a_srs', 'epsg:32631', '-tr', '1', '1', 's', 'd'), source: src, srcPath: 's', mode: 'create' });
    expect(p.grid.crs).toBe('EPSG:32631');
    expect(p.options.featureCrs).toBe('EPSG:32631');
    expect(() => planOutput({ args: args('-burn', '1', '-a_srs', 'nonsense', '-tr', '1', '1', 's', 'd'), source: src, srcPath: 's', mode: 'create' }))
      .toThrow(/^Failed to process SRS definition: nonsense/);
  });

  it('takes a template grid and reprojects the features onto it', () => {
    const template = { width: 5, height: 4, transform: [0, 1, 0, 4, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:3857' };
    const p = planOutput({ args: args('-burn', '1', '--template', 't.tif', 's', 'd'), source: src, srcPath: 's', mode: 'create', template });
    expect(p.grid).toEqual(template);
    expect(p.grid).not.toBe(template);
    expect(p.options.featureCrs).toBe('OGC:CRS84');
    expect(p.dtype).toBe('float64');
  });

  it('updates with the existing raster\'s grid, type and nodata', () => {
    const existing = { grid: { width: 3, height: 2, transform: [0, 1, 0, 2, 0, -1] as [number, number, number, number, number, number], crs: 'EPSG:3857' }, dtype: 'uint8' as const, nodata: 0, bandCount: 1 };
    const p = planOutput({ args: args('-burn', '3', '4', 's', 'd'), source: src, srcPath: 's', mode: 'update', existing });
    expect(p).toMatchObject({ mode: 'update', grid: existing.grid, dtype: 'uint8', nodata: 0 });
    expect(p.options).toMatchObject({ burn: 3, dtype: 'uint8', nodata: 0, featureCrs: 'OGC:CRS84' });
    expect(() => planOutput({ args: args('-burn', '1', 's', 'd'), source: src, srcPath: 's', mode: 'update', existing: { ...existing, bandCount: 3 } }))
      .toThrow('d has 3 bands; rasterburn can only burn into a single-band raster');
  });

  it('checks -l against the layer name and counts repeated -l as passes', () => {
    expect(planOutput({ args: args('-burn', '1', '-l', 'S', '-l', 's', '-tr', '1', '1', 's.json', 'd'), source: src, srcPath: 's.json', mode: 'create' }).passes).toBe(2);
    expect(() => planOutput({ args: args('-burn', '1', '-l', 'x', '-tr', '1', '1', 's.json', 'd'), source: src, srcPath: 's.json', mode: 'create' }))
      .toThrow('Unable to find layer "x": s.json has one layer, "s"');
  });

  it('makes an Int64 raster for an Integer64 attribute, as GDAL does, unless -ot says otherwise', () => {
    const mk = (...a: string[]) => () => planOutput({ args: args(...a, 's', 'd'), source: src, srcPath: 's', mode: 'create' });
    expect(mk('-a', 'big', '-tr', '1', '1')().dtype).toBe('int64');
    expect(mk('-a', 'big', '-ot', 'Float64', '-tr', '1', '1')().dtype).toBe('float64');
    expect(mk('-a', 'ID', '-tr', '1', '1')().dtype).toBe('float64');
    expect(mk('-a', 'big', '-ot', 'Float64', '-tr', '1', '1')().options.attribute).toBe('big');
    expect(mk('-a', 'ID', '-tr', '1', '1')().options.attribute).toBe('id');
  });

  it('says when the layer has no extent', () => {
    expect(() => planOutput({ args: args('-burn', '1', '-tr', '1', '1', 's', 'd'), source: fc([]), srcPath: 's', mode: 'create' }))
      .toThrow(/^Cannot get layer extent/);
    expect(planOutput({ args: args('-burn', '1', '-te', '0', '0', '2', '2', '-tr', '1', '1', 's', 'd'), source: fc([]), srcPath: 's', mode: 'create' }).grid)
      .toMatchObject({ width: 2, height: 2 });
  });

  it('sizes the band', () => {
    expect(rasterBytes({ width: 100000, height: 100000, transform: [0, 1, 0, 0, 0, -1] }, 'float64')).toBe(8e10);
  });
});

describe('layerExtent (OGR_L_GetExtent of a GeoJSON layer)', () => {
  it('covers every geometry type and nested collections, ignoring Z, bbox and null geometries', () => {
    const input = fc([
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2, 100] } },
      { type: 'Feature', properties: {}, geometry: null },
      { type: 'Feature', properties: {}, bbox: [-1e9, -1e9, 1e9, 1e9], geometry: { type: 'MultiLineString', coordinates: [[[0, 5], [3, 3]], [[-4, 0]]] } },
      { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [{ type: 'MultiPolygon', coordinates: [[[[7, -2], [8, -2], [8, -1], [7, -2]]]] }] } },
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } },
    ], { bbox: [-100, -100, 100, 100] });
    expect(layerExtent(input)).toEqual([-4, -2, 8, 5]);
  });

  it('handles a bare geometry, a Feature, an iterable and no coordinates at all', () => {
    expect(layerExtent({ type: 'LineString', coordinates: [[1, 1], [2, 3]] } as FeatureInput)).toEqual([1, 1, 2, 3]);
    expect(layerExtent(square(0, 0, 1, 2))).toEqual([0, 0, 1, 2]);
    expect(layerExtent([square(0, 0, 1, 2), square(-1, 5, 0, 6)])).toEqual([-1, 0, 1, 6]);
    expect(layerExtent(fc([]))).toBeNull();
    expect(layerExtent(fc([{ type: 'Feature', properties: {}, geometry: null }]))).toBeNull();
  });

  it('counts only what GDAL\'s reader keeps of a malformed geometry (pixel rule F12)', () => {
    expect(layerExtent(fc([
      { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1], ['a', 9], [5], [2, 2]] } },
    ]))).toBeNull();
    expect(layerExtent(fc([
      { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[1, 1], [2, 2]], [[40, 40], [5]]] } },
    ]))).toEqual([1, 1, 2, 2]);
  });
});

describe('extents near the limits of a double', () => {
  it('-te -1e308 -1e308 1e308 1e308 is a grid, not an "empty" extent (the span overflows, its halves do not)', () => {
    const g = gridFromBounds([-1e308, -1e308, 1e308, 1e308], { size: [10, 10] });
    expect(g.transform).toEqual([-1e308, 2e307, 0, 1e308, 0, -2e307]);
    const r = gridFromBounds([-1e308, -1e308, 1e308, 1e308], { resolution: [1e307, 1e307] });
    expect([r.width, r.height]).toEqual([20, 20]);
  });
});
