// Features held as columns (src/features/flat.ts) flatten to the same shapes as the GeoJSON they stand for:
// the direct path (src/features/flatten-flat.ts) against flattenFeatures on the features built from the
// same columns, on seeded random layers of every geometry type, in both merge modes, with Z, attributes,
// reprojection and a rotated grid.
import { describe, expect, it } from 'vitest';
import { loadCrs } from '../../../src/crs.js';
import { attachFlat, FlatBuilder, flatOf, GEOM_COLLECTION, GEOM_LINESTRING, GEOM_MULTILINESTRING, GEOM_MULTIPOINT, GEOM_MULTIPOLYGON, GEOM_NONE, GEOM_POINT, GEOM_POLYGON, toGeoJSON, type FlatFeatures } from '../../../src/features/flat.js';
import { flattenFeatures, type FlattenOptions, type FlattenStats } from '../../../src/features/flatten.js';
import { layerExtent } from '../../../src/features/extent.js';
import type { ShapeSet } from '../../../src/features/shapes.js';
import type { Grid } from '../../../src/types.js';
import { mulberry32 } from '../../../bench/random.js';

const seed = Number(process.env.FLAT_SEED ?? 20261206);

// a random layer: every geometry type, empty parts and members, nulls, Z when asked
function randomFlat(rand: () => number, count: number, withZ: boolean, x0: number, y0: number, span: number): FlatFeatures {
  const b = new FlatBuilder([{ name: 'v', numeric: true }, { name: 's', numeric: false }]);
  const ring = (n: number): void => {
    b.beginPart();
    if (n === 0) return;
    const cx = x0 + rand() * span, cy = y0 + rand() * span, r = span * 0.02 * (0.2 + rand());
    const v = b.addVertices(n + 1);
    const dir = rand() < 0.5 ? 1 : -1;
    for (let i = 0; i < n; i++) {
      const a = dir * (2 * Math.PI * i) / n + rand() * 0.3;
      b.xy[2 * (v + i)] = cx + r * Math.cos(a);
      b.xy[2 * (v + i) + 1] = cy + r * Math.sin(a);
    }
    b.xy[2 * (v + n)] = b.xy[2 * v]; b.xy[2 * (v + n) + 1] = b.xy[2 * v + 1];
    if (withZ) { const z = b.ensureZ(); for (let i = 0; i <= n; i++) z[v + i] = Math.round(rand() * 100); }
  };
  const member = (t: number): void => {
    b.beginMember(t);
    if (t === GEOM_POINT) {
      b.beginPart();
      // an empty point: a part without vertices
      if (rand() < 0.1) return;
      const v = b.addVertices(1);
      b.xy[2 * v] = x0 + rand() * span; b.xy[2 * v + 1] = y0 + rand() * span;
      if (withZ) b.ensureZ()[v] = 7;
    }
    else if (t === GEOM_MULTIPOINT) for (let k = Math.floor(rand() * 4); k > 0; k--) { b.beginPart(); const v = b.addVertices(1); b.xy[2 * v] = x0 + rand() * span; b.xy[2 * v + 1] = y0 + rand() * span; }
    else if (t === GEOM_LINESTRING) ring(rand() < 0.1 ? 0 : 2 + Math.floor(rand() * 5));
    else for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) ring(rand() < 0.1 ? 0 : 3 + Math.floor(rand() * 6));
  };
  for (let f = 0; f < count; f++) {
    const t = Math.floor(rand() * 8);
    b.beginFeature(t);
    if (t === GEOM_MULTIPOLYGON) for (let k = Math.floor(rand() * 3); k >= 0; k--) member(GEOM_POLYGON);
    else if (t === GEOM_MULTILINESTRING) for (let k = Math.floor(rand() * 3); k >= 0; k--) member(GEOM_LINESTRING);
    else if (t === GEOM_COLLECTION) for (let k = Math.floor(rand() * 3); k >= 0; k--) member([GEOM_POINT, GEOM_LINESTRING, GEOM_POLYGON, GEOM_MULTIPOINT][Math.floor(rand() * 4)]);
    else if (t !== GEOM_NONE) member(t);
    b.number(0, rand() < 0.1 ? null : Math.round(rand() * 1000) - 100);
    b.value(1, rand() < 0.5 ? `${Math.round(rand() * 50)}.5 m` : null);
    b.endFeature();
  }
  return b.finish();
}

function layerOf(flat: FlatFeatures | null, features: unknown[] | null, crs: string | undefined, fieldType: string) {
  const layer = {
    type: 'FeatureCollection' as const, name: 'l', format: 'shapefile', fields: [{ name: 'v', type: fieldType }, { name: 's', type: 'String' }],
    features: (features ?? []) as never[], featuresRead: 0, ...(crs ? { crs: { type: 'name' as const, properties: { name: crs } } } : {}),
  };
  return flat ? attachFlat(layer, flat) : layer;
}

function same(a: ShapeSet, b: ShapeSet): void {
  expect(a.count).toBe(b.count);
  for (const k of ['kind', 'value', 'partStart', 'vertexStart', 'x', 'y', 'z', 'feature', 'value64'] as const) {
    expect(a[k] === undefined ? undefined : a[k] === null ? null : Array.from(a[k] as ArrayLike<number | bigint>), k).toEqual(b[k] === undefined ? undefined : b[k] === null ? null : Array.from(b[k] as ArrayLike<number | bigint>));
  }
}

describe(`flat features flatten as their GeoJSON does (seed ${seed})`, () => {
  const grids: [string, Grid, string | undefined][] = [
    ['plain', { width: 300, height: 200, transform: [1000, 2, 0, 1400, 0, -2] }, undefined],
    ['rotated', { width: 300, height: 300, transform: [1000, 1.5, 0.4, 1400, 0.3, -1.5] }, undefined],
    ['reprojected', { width: 256, height: 256, transform: [1113194, 2000, 0, 1118890 + 512000, 0, -2000], crs: 'EPSG:3857' }, 'EPSG:4326'],
  ];
  const cases: [string, FlattenOptions, string][] = [
    ['burn', { burn: 3 }, 'Integer'],
    ['attribute, replace', { attribute: 'v' }, 'Integer'],
    ['attribute, add, burnZ', { attribute: 'v', merge: 'add', burnZ: true }, 'Real'],
    ['text attribute', { attribute: 's' }, 'String'],
    ['Integer64 attribute', { attribute: 'v' }, 'Integer64'],
    ['where clause', { attribute: 'v', where: "v > 100 OR s LIKE '1%'" }, 'Integer'],
  ];
  for (const [gname, grid, crs] of grids) {
    for (const [cname, options, fieldType] of cases) {
      it(`${gname} grid, ${cname}`, async () => {
        if (grid.crs) await loadCrs(crs as string, grid.crs);
        const rand = mulberry32(seed + gname.length * 31 + cname.length);
        const [x0, y0, span] = crs ? [10, 10, 4] : [1000, 1000, 600];
        const flat = randomFlat(rand, 300, !!options.burnZ, x0, y0, span);
        const direct = layerOf(flat, null, crs, fieldType);
        expect(flatOf(direct)).toBe(flat);
        const ds: FlattenStats = { features: 0, skipped: 0 };
        const a = flattenFeatures(direct, grid, options, ds);
        // the direct path ran: the GeoJSON features were never built
        expect(flatOf(direct)).toBe(flat);
        const gs: FlattenStats = { features: 0, skipped: 0 };
        const b = flattenFeatures(layerOf(null, toGeoJSON(flat), crs, fieldType), grid, options, gs);
        same(a, b);
        expect([ds.features, ds.skipped, ds.filtered]).toEqual([gs.features, gs.skipped, gs.filtered]);
        if (options.where) expect(ds.filtered).toBeGreaterThan(50);
        expect(a.count).toBeGreaterThan(100);
      });
    }
  }

  it('reading features builds them once and leaves the GeoJSON path in charge', () => {
    const flat = randomFlat(mulberry32(seed), 50, false, 0, 0, 100);
    const layer = layerOf(flat, null, undefined, 'Integer');
    expect(layerExtent(layer)).toEqual(layerExtent(layerOf(null, toGeoJSON(flat), undefined, 'Integer')));
    const fs = layer.features;
    expect(fs).toHaveLength(50);
    expect(layer.features).toBe(fs);
    expect(flatOf(layer)).toBeUndefined();
    // JSON holds the GeoJSON features, not the columns
    expect(Object.keys(JSON.parse(JSON.stringify(layer)))).toContain('features');
  });

  it('a non-finite coordinate is the same one-line error', () => {
    const b = new FlatBuilder();
    b.beginFeature(GEOM_LINESTRING); b.beginMember(GEOM_LINESTRING); b.beginPart();
    const v = b.addVertices(2); b.xy.set([0, 0, NaN, 1], 2 * v); b.endFeature();
    const flat = b.finish();
    const grid: Grid = { width: 10, height: 10, transform: [0, 1, 0, 10, 0, -1] };
    const direct = (): unknown => flattenFeatures(layerOf(flat, null, undefined, 'Integer'), grid, {});
    const viaGeoJSON = (): unknown => flattenFeatures(layerOf(null, toGeoJSON(flat), undefined, 'Integer'), grid, {});
    expect(viaGeoJSON).toThrow(/feature 0: position 1 has a non-finite coordinate: \[NaN,1\]/);
    expect(direct).toThrow(/feature 0: position 1 has a non-finite coordinate: \[NaN,1\]/);
  });

  it('grows every column past its first allocation', () => {
    const b = new FlatBuilder([{ name: 'v', numeric: true }]);
    for (let f = 0; f < 5000; f++) {
      b.beginFeature(GEOM_MULTIPOINT); b.beginMember(GEOM_MULTIPOINT);
      for (let k = 0; k < 3; k++) { b.beginPart(); const v = b.addVertices(1); b.xy[2 * v] = f; b.xy[2 * v + 1] = k; }
      b.number(0, f); b.endFeature();
    }
    const flat = b.finish();
    const fs = toGeoJSON(flat);
    expect(fs[4999]).toEqual({ type: 'Feature', geometry: expect.objectContaining({ type: 'MultiPoint' }), properties: { v: 4999 } });
    expect(flat.memberStart[5000]).toBe(5000);
    expect(flat.vertexStart[15000]).toBe(15000);
    expect(flat.xy[2 * 14999]).toBe(4999);
  });
});
