// proj4 and the EPSG table load only when a CRS needs them. With the Node loader taken out (as in a
// browser), built-in CRSs burn without evaluating either; other codes need loadCrs() first, and the
// synchronous calls say so; rasterize(), tiles and prepare-after-loadCrs load what they need. The
// built-in definitions are the table's own, and the table's kind (geographic or not) read from its
// text is the one proj4 gives.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CrsNotLoadedError, crsModulesLoaded, epsgDefinition, loadCrs, makeTransformer, parseCrs, sameCrs, setCrsLoader,
} from '../../../src/crs.js';
import { prepare } from '../../../src/prepare.js';
import { rasterize } from '../../../src/rasterize.js';
import { rasterizeTiles } from '../../../src/tiles.js';
import type { Grid } from '../../../src/types.js';

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

describe('lazy CRS support', () => {
  beforeAll(() => setCrsLoader(null));

  it('burns on built-in CRSs without evaluating proj4 or the EPSG table', async () => {
    expect(crsModulesLoaded()).toEqual({ proj4: false, table: false });
    for (const c of ['EPSG:4326', 'OGC:CRS84', 'EPSG:3857', 'EPSG:32633', 'EPSG:32760', 'urn:ogc:def:crs:EPSG::32601', 'EPSG:4979']) parseCrs(c);
    expect(sameCrs('OGC:CRS84', 'EPSG:4326')).toBe(true);
    expect(makeTransformer('EPSG:32633', 'EPSG:32633')).toBeNull();
    const utm: Grid = { width: 20, height: 20, transform: [500000, 1, 0, 5000020, 0, -1], crs: 'EPSG:32633' };
    const r = await rasterize(square(500002, 5000002, 10), utm, { featureCrs: 'EPSG:32633' });
    expect(r.data.reduce((s, v) => s + v, 0)).toBe(100);
    const geo: Grid = { width: 10, height: 10, transform: [0, 1, 0, 10, 0, -1], crs: 'EPSG:4326' };
    expect((await rasterize(square(2, 2, 5), geo)).data.reduce((s, v) => s + v, 0)).toBe(25);
    expect(crsModulesLoaded()).toEqual({ proj4: false, table: false });
  });

  it('asks for loadCrs() before a synchronous call needs the table, then works', async () => {
    expect(() => parseCrs('EPSG:2154')).toThrow(CrsNotLoadedError);
    expect(() => parseCrs('EPSG:2154')).toThrow(/EPSG table for CRS 'EPSG:2154' is not loaded: await loadCrs\("EPSG:2154"\) first/);
    expect(() => prepare(square(2, 2, 1), { crs: 'EPSG:2154' })).toThrow(CrsNotLoadedError);
    await loadCrs('EPSG:2154');
    expect(crsModulesLoaded()).toEqual({ proj4: false, table: true });
    expect(parseCrs('EPSG:2154')).toMatchObject({ id: 'EPSG:2154', epsg: 2154, geographic: false });
    // reprojecting needs proj4, which loadCrs of both sides brings
    expect(() => prepare(square(2, 46, 1), { crs: 'EPSG:2154' })).toThrow(/proj4 for CRS/);
    await loadCrs('OGC:CRS84', 'EPSG:2154');
    expect(crsModulesLoaded()).toEqual({ proj4: true, table: true });
    expect(prepare(square(2, 46, 1), { crs: 'EPSG:2154' }).shapes.count).toBe(1);
  });
});

describe('lazy CRS support in async calls', () => {
  it('rasterize() and rasterizeTiles() load what the grid and features need', async () => {
    // a fresh module state is not available here, so this checks the results, not the loading
    const lambert: Grid = { width: 50, height: 50, transform: [650000, 2000, 0, 6900000, 0, -2000], crs: 'EPSG:2154' };
    const f = square(2, 48, 0.5);
    const r = await rasterize(f, lambert);
    const tiles = [];
    for await (const t of rasterizeTiles(f, lambert, { tileSize: 16 })) tiles.push(t);
    const sum = (a: ArrayLike<number | bigint>) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += Number(a[i]);
      return s;
    };
    expect(sum(r.data)).toBeGreaterThan(0);
    expect(tiles.reduce((s, t) => s + sum(t.data), 0)).toBe(sum(r.data));
  });
});

describe('built-in definitions', () => {
  it('are the EPSG table\'s, and the table\'s kind read from its text is proj4\'s', async () => {
    await loadCrs('EPSG:2154', 'OGC:CRS84');
    const table = (await import('proj4js-definitions')).default as Array<[string, string]>;
    const proj4 = (await import('proj4')).default;
    const byCode = new Map(table.map(([k, v]) => [Number(k.slice(5)), v]));
    const builtins = [4326, 3857];
    for (let z = 1; z <= 60; z++) builtins.push(32600 + z, 32700 + z);
    for (const code of builtins) expect(epsgDefinition(code), `EPSG:${code}`).toBe(byCode.get(code));
    let checked = 0;
    for (const [code, def] of byCode) {
      let projName: string;
      try {
        projName = (proj4.Proj(def) as unknown as { projName: string }).projName;
      } catch {
        continue;
      }
      expect(parseCrs(`EPSG:${code}`).geographic, `EPSG:${code} ${def}`).toBe(projName === 'longlat');
      checked++;
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
