// The web page's pure parts: settings in the URL hash, download names and command lines, warnings,
// the summary, colours, chips and outlines.
import { describe, expect, test } from 'vitest';
import { chipGrids, chipIndex } from '../../../app/chips.js';
import { chooseColors, ColorMap, RampMap, rampColor } from '../../../app/colormap.js';
import { mercatorPlacement, outlineTiling } from '../../../app/map.js';
import { outlineGeoJSON, outlineLonLatGeoJSON, ringSelection } from '../../../app/outline.js';
import { commandLine, DEFAULTS, downloadBase, fromHash, toHash } from '../../../app/settings.js';
import { summarize } from '../../../app/summary.js';
import { gridExtent, pageWarnings } from '../../../app/warnings.js';
import { prepare } from '../../../src/prepare.js';
import type { Grid, Raster } from '../../../src/types.js';

const grid: Grid = { width: 4, height: 2, transform: [100, 10, 0, 50, 0, -10], crs: 'EPSG:32633' };

describe('settings', () => {
  test('the hash holds what differs from the defaults and reads back', () => {
    const s = { ...DEFAULTS, attribute: 'id', dtype: 'int32' as const, allTouched: true, grid: 'bounds' as const, bounds: '0 0 10 10', resolution: '1', crs: 'EPSG:3857' };
    const hash = toHash(s);
    expect(hash).toBe('#attribute=id&dtype=int32&allTouched=1&grid=bounds&bounds=0+0+10+10&resolution=1&crs=EPSG%3A3857');
    expect({ ...DEFAULTS, ...fromHash(hash) }).toEqual(s);
    // typed bounds are kept only when they are the grid; unknown keys are ignored
    expect(toHash({ ...s, grid: 'template' })).toBe('#attribute=id&dtype=int32&allTouched=1');
    expect(fromHash('#nonsense=1&add=1')).toEqual({ add: true });
  });

  test('download names and command lines follow the settings', () => {
    const s = { ...DEFAULTS, attribute: 'zone id', nodata: '0', add: true };
    expect(downloadBase('parcels.geojson', s, grid)).toBe('parcels_zone-id_uint16_4x2_add_nodata0');
    expect(commandLine('gdal_rasterize', { ...s, grid: 'bounds', bounds: '100 30 140 50', resolution: '10' }, grid, 'parcels.geojson', null, 'out.tif', false))
      .toBe("gdal_rasterize -a 'zone id' -add -ot UInt16 -a_nodata 0 -te 100 30 140 50 -tr 10 10 -a_srs EPSG:32633 parcels.geojson out.tif");
    expect(commandLine('rasterburn', { ...DEFAULTS, burn: '3' }, grid, 'a.geojson', 't.tif', 'o.tif', true)).toBe('rasterburn -burn 3 -ot UInt16 --template t.tif a.geojson o.tif');
    expect(commandLine('gdal_rasterize', { ...DEFAULTS, grid: 'bounds', bounds: '100 30 140 50', resolution: '10' }, grid, 'a.geojson', null, 'o.tif', true))
      .toBe('gdal_create -of GTiff -outsize 4 2 -a_srs EPSG:32633 -a_ullr 100 50 140 30 -bands 1 -ot UInt16 -burn 0 o.tif && gdal_rasterize -b 1 -burn 1 a.geojson o.tif');
  });
});

function raster(values: number[], nodata: number | null = null): Raster {
  return { data: Float32Array.from(values), width: values.length, height: 1, transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata, dtype: 'float32' };
}

describe('summary, colours and warnings', () => {
  test('summary counts burned pixels, distinct values, min/max and the most frequent', () => {
    const s = summarize(raster([0, 3, 3, 5, 0, NaN, 3, 5, 9]));
    expect(s).toMatchObject({ background: 0, burned: 6, total: 9, distinct: 3, min: 3, max: 9, integers: true, top: [[3, 3], [5, 2], [9, 1]] });
    expect(summarize(raster([7, 7, 1.5], 7))).toMatchObject({ background: 7, burned: 1, integers: false, min: 1.5, max: 1.5 });
  });

  test('whole numbers get categories, fractions the ramp; the background is transparent either way', () => {
    const cat = chooseColors('auto', { background: 0, integers: true, min: 1, max: 9 });
    expect(cat.kind).toBe('categories');
    expect(cat.colors.packed(0)).toBe(0);
    expect(cat.colors.packed(4)).toBe(new ColorMap(0).packed(4));
    const ramp = chooseColors('auto', { background: -1, integers: false, min: 2, max: 4 });
    expect(ramp.kind).toBe('ramp');
    const pack = ([r, g, b]: number[]): number => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    expect(ramp.colors.packed(2)).toBe(pack(rampColor(0)));
    expect(ramp.colors.packed(4)).toBe(pack(rampColor(1)));
    expect(ramp.colors.packed(-1)).toBe(0);
    expect(new RampMap(0, 5, 5).packed(5)).toBe(pack(rampColor(128 / 255)));
  });

  test('warnings name the silent cases', () => {
    const empty = summarize(raster([0, 0]));
    const base = { count: 3, summary: empty, grid, dtype: 'uint16' as const, invert: false, clamped: null, ungeoreferencedTemplate: null, library: [] };
    expect(gridExtent(grid)).toEqual([100, 30, 140, 50]);
    expect(pageWarnings({ ...base, count: 0, dataExtent: null })).toEqual(['The input has no features: nothing was burned.']);
    expect(pageWarnings({ ...base, dataExtent: [0, 0, 1, 1] })[0]).toBe("Nothing was burned: the features' extent 0 0 1 1 does not meet the grid's extent 100 30 140 50 (EPSG:32633). Check the grid's CRS and bounds, or fit the grid to the features.");
    expect(pageWarnings({ ...base, dataExtent: [101, 31, 101.5, 31.5] })[0]).toMatch(/meets the grid's extent .* try "all touched"/);
    const burned = summarize(raster([1]));
    expect(pageWarnings({ ...base, summary: burned, dataExtent: [100, 30, 140, 50], clamped: { features: 1, min: 70000, max: 70000 }, library: ['from the library'] }))
      .toEqual(["1 feature has a burn value outside uint16's range (0 to 65535), from 70000 to 70000: clamped to the range, as GDAL does; choose a wider output type to keep them.", 'from the library']);
  });
});

describe('chips and outlines', () => {
  test('chips tile the grid row by row, all the same size, and the index holds their footprints', () => {
    const chips = chipGrids(grid, 3, 'x', 'tif');
    expect(chips.map((c) => c.file)).toEqual(['x_r0_c0.tif', 'x_r0_c1.tif']);
    expect(chips[1].grid).toEqual({ width: 3, height: 3, transform: [130, 10, 0, 50, 0, -10], crs: 'EPSG:32633' });
    const index = JSON.parse(chipIndex([{ chip: chips[1], burned: 4 }], grid));
    expect(index.crs.properties.name).toBe('EPSG:32633');
    expect(index.features[0].properties).toEqual({ file: 'x_r0_c1.tif', row: 0, col: 1, x: 3, y: 0, width: 3, height: 3, burned: 4 });
    expect(index.features[0].geometry.coordinates[0]).toEqual([[130, 50], [160, 50], [160, 20], [130, 20], [130, 50]]);
    expect(() => chipGrids(grid, 0, 'x', 'tif')).toThrow(/chip size/);
  });

  test('outlines keep every ring\'s ends and thin the rest to the budget', () => {
    const ring = Array.from({ length: 101 }, (_, i) => [Math.cos((i / 100) * 2 * Math.PI), Math.sin((i / 100) * 2 * Math.PI)]);
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [5, 6] } },
    ] };
    const p = prepare(fc as never, { burn: 1, crs: 'OGC:CRS84' });
    const { json, bounds } = outlineGeoJSON(p.shapes, 20);
    expect(bounds).toEqual([-1, -1, 5, 6]);
    const out = JSON.parse(json!);
    const line = out.features[0].geometry.coordinates[0];
    expect(line.length).toBeLessThan(30);
    expect(line[0]).toEqual(line[line.length - 1]);
    expect(out.features[1].geometry).toEqual({ type: 'MultiPoint', coordinates: [[5, 6]] });
    // straight from lon/lat GeoJSON: the same thinning of the ring as given (the shapes above are reoriented)
    const direct = outlineLonLatGeoJSON(fc, 20)!;
    expect(direct.bounds).toEqual(bounds);
    const d = JSON.parse(direct.json!);
    const round = (v: number): number => Math.round(v * 1e6) / 1e6 + 0;
    expect(d.features[0].geometry.coordinates[0]).toEqual(ring.filter((_, i) => i % 6 === 0 || i === 100).map(([x, y]) => [round(x), round(y)]));
    expect(d.features[1].geometry).toEqual(out.features[1].geometry);
    expect(outlineLonLatGeoJSON({ ...fc, crs: { type: 'name', properties: { name: 'EPSG:3857' } } })).toBeNull();
  });
});

describe('outline rings', () => {
  test('beyond the ring budget only the largest rings are drawn, and the stride counts only their vertices', () => {
    const sizes = Float64Array.from([5, 0.1, 3, 0.2, 4]);
    const counts = Int32Array.from([1000, 50, 600, 50, 400]);
    expect(ringSelection(sizes, counts, 500, 3)).toEqual({ minSize: 3, stride: 4 });
    expect(ringSelection(sizes, counts, 500, 10)).toEqual({ minSize: -Infinity, stride: 5 });
  });
  test('many islets: the outlines keep the large rings and the extent of all', () => {
    const square = (x: number, y: number, d: number): number[][] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
    const features = [
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 10)] } },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(20 + i, 20, 0.001)] } })),
    ];
    const fc = { type: 'FeatureCollection', features };
    const shapes = prepare(fc as never, { burn: 1 }).shapes;
    for (const out of [outlineLonLatGeoJSON(fc, 1000)!, outlineGeoJSON(shapes, 1000)]) {
      expect(out.bounds).toEqual([0, 0, 49.001, 20.001]);
      expect(JSON.parse(out.json!).features[0].geometry.coordinates.length).toBe(31);
    }
    for (const out of [outlineLonLatGeoJSON(fc, 1000, 1)!, outlineGeoJSON(shapes, 1000, 1)]) {
      expect(out.bounds).toEqual([0, 0, 49.001, 20.001]);
      const lines = JSON.parse(out.json!).features[0].geometry.coordinates as number[][][];
      expect(lines).toHaveLength(1);
      expect(Math.max(...lines[0].map((p) => p[0]))).toBe(10);
    }
  });
});

describe('map placement', () => {
  test('a world lon/lat grid keeps the rows inside Mercator\'s latitude limit, at their own latitudes', () => {
    // 0.25° rows from 90 to -90: the limit 85.051129 falls inside row 19, which is dropped whole
    const p = mercatorPlacement([[-180, 90], [180, 90], [180, -90], [-180, -90]], 720);
    expect(p.rows).toEqual([20, 700]);
    expect(p.corners).toEqual([[-180, 85], [180, 85], [180, -85], [-180, -85]]);
    // image rows at equal Mercator steps: the top and bottom at the clipped rows, the equator in the middle, latitude 60 where Mercator puts it
    expect(p.rowAt!(0)).toBeCloseTo(20, 9);
    expect(p.rowAt!(1)).toBeCloseTo(700, 9);
    expect(p.rowAt!(0.5)).toBeCloseTo(360, 9);
    const m = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    expect(p.rowAt!((m(85) - m(60)) / (2 * m(85)))).toBeCloseTo(120, 6);
  });
  test('a grid inside the limit is placed as it is; a rotated one past it has its latitudes clamped', () => {
    const c: [number, number][] = [[14, 49.1], [14.1, 49.1], [14.1, 49], [14, 49]];
    expect(mercatorPlacement(c, 1000)).toMatchObject({ corners: c, rows: [0, 1000] });
    const r = mercatorPlacement([[0, 89], [10, 88], [9, -89], [-1, -88]], 10);
    expect(r.rows).toEqual([0, 10]);
    expect(r.corners.map((q) => q[1])).toEqual([85.051129, 85.051129, -85.051129, -85.051129]);
  });
  test('outlines are tiled a few zooms past the view that fits them', () => {
    expect(outlineTiling([-180, -90, 180, 90]).maxzoom).toBe(6);
    expect(outlineTiling([14, 49, 14.01, 49.01]).maxzoom).toBe(18);
    expect(outlineTiling(null).maxzoom).toBe(6);
  });
});
