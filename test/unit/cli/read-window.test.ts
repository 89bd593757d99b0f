import { describe, expect, it } from 'vitest';
import { readWindow } from '../../../src/cli/read-window.js';

const base = { invert: false } as const;

describe('readWindow: what the CLI asks a reader for', () => {
  it('grows -te by two pixels of -ts or -tr', () => {
    const w = readWindow({ ...base, te: [0, 0, 100, 50], ts: [10, 10] });
    expect(typeof w.bbox === 'function' && w.bbox('EPSG:32633')).toEqual([-20, -10, 120, 60]);
    const r = readWindow({ ...base, te: [0, 0, 100, 50], tr: [3, 4] });
    expect(typeof r.bbox === 'function' && r.bbox(undefined)).toEqual([-6, -8, 106, 58]);
  });

  it('reads everything without -te, with -i, or when the features are reprojected to the grid', () => {
    expect(readWindow({ ...base, ts: [10, 10] }).bbox).toBeUndefined();
    expect(readWindow({ ...base, te: [0, 0, 1, 1], ts: [1, 1], invert: true }).bbox).toBeUndefined();
    const w = readWindow({ ...base, te: [0, 0, 1, 1], ts: [1, 1], srs: 'EPSG:3857' });
    const f = w.bbox as (s: string | undefined) => unknown;
    expect(f('EPSG:4326')).toBeUndefined();
    expect(f('epsg:3857')).toEqual([-2, -2, 3, 3]);
    // a layer without an SRS is not reprojected
    expect(f(undefined)).toEqual([-2, -2, 3, 3]);
    // --src-crs names the features' SRS instead of the layer's
    const s = readWindow({ ...base, te: [0, 0, 1, 1], ts: [1, 1], srs: 'EPSG:3857', srcCrs: 'EPSG:4326' }).bbox as (s: string | undefined) => unknown;
    expect(s('EPSG:3857')).toBeUndefined();
  });

  it('names the fields -a and -where read; none for a constant burn; all with -sql', () => {
    expect([...readWindow({ ...base, attribute: 'ID', where: "name = 'x' AND pop > 3" }).fields ?? []].sort()).toEqual(['ID', 'name', 'pop']);
    expect(readWindow({ ...base }).fields).toEqual([]);
    expect(readWindow({ ...base, attribute: 'ID', sql: 'SELECT * FROM t' }).fields).toBeUndefined();
  });
});
