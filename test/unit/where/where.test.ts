// The library's where/strict options and warnings, the WHERE parser's refusals, and compressed GeoTIFFs
// read back by geotiff.js (the CLI's differential tests compare the same against GDAL).
import { describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/rasterize.js';
import { compileWhere, compileWhereOnColumns, layerFields, type WhereColumn } from '../../../src/where/compile.js';
import { mulberry32 } from '../../../bench/random.js';
import { parseWhere } from '../../../src/where/parse.js';
import { parseSelect } from '../../../src/where/sql.js';
import { readGeoTIFFRaster } from '../../../src/io/tiff/read.js';
import { toGeoTIFF } from '../../../src/io/tiff/write.js';
import type { Grid } from '../../../src/types.js';

const grid: Grid = { width: 4, height: 1, transform: [0, 1, 0, 1, 0, -1] };
const cell = (k: number, props: Record<string, unknown>, geometry?: unknown) => ({
  type: 'Feature' as const, properties: props,
  geometry: (geometry ?? { type: 'Polygon', coordinates: [[[k, 0], [k + 1, 0], [k + 1, 1], [k, 1], [k, 0]]] }) as never,
});
const fc = { type: 'FeatureCollection' as const, features: [cell(0, { v: 1, s: 'a' }), cell(1, { v: 2, s: 'B' }), cell(2, { v: null, s: 'c' }), cell(3, { v: 4 })] };

describe('where', () => {
  it('on flat columns gives what it gives on properties objects (seeded rows, printed seed)', () => {
    const seed = 20261207;
    const rnd = mulberry32(seed);
    const words = ['abc', 'ABC', 'a_c', 'none', 'Zed', '', '10', '2020-01-01'];
    const n = 400;
    const rows = Array.from({ length: n }, () => ({
      i: rnd() < 0.1 ? null : Math.floor(rnd() * 20) - 5,
      r: rnd() < 0.1 ? null : Math.round(rnd() * 100) / 8,
      s: rnd() < 0.1 ? null : words[Math.floor(rnd() * words.length)],
    }));
    const numeric = (name: 'i' | 'r'): WhereColumn => ({ name, numeric: true, values: Float64Array.from(rows, (p) => p[name] ?? 0), nulls: Uint8Array.from(rows, (p) => (p[name] === null ? 1 : 0)) });
    const columns: WhereColumn[] = [numeric('i'), numeric('r'), { name: 's', numeric: false, values: rows.map((p) => p.s) }];
    const clauses = ['i > 2', 'r <= 4.5 AND i <> 3', "s = 'abc'", "S <> 'none'", "s LIKE 'a%'", "s ILIKE 'A_C'", 'i IN (1, 2, 3) OR s IS NULL',
      'i BETWEEN -2 AND 7', 'NOT (r > 3)', 'i * 2 + 1 > r', "s IN ('zed', '10')", 'r IS NOT NULL AND i / 2 = 1', "i = '3'"];
    for (const w of clauses) {
      const onProps = compileWhere(w, layerFields(rows.map((properties) => ({ properties }))));
      const onColumns = compileWhereOnColumns(w, columns, n);
      const a = rows.map((p) => onProps(p)), b = rows.map((_, f) => onColumns(f));
      expect(b, `${w} (seed ${seed})`).toEqual(a);
      expect(a.some(Boolean) && !a.every(Boolean), `${w} selects some rows, not all`).toBe(true);
    }
  });

  it('burns only the features the clause accepts', async () => {
    const r = await rasterize(fc, grid, { attribute: 'v', where: "v > 1 OR s = 'A'", dtype: 'int16' });
    expect([...r.data]).toEqual([1, 2, 0, 4]);
    const n = await rasterize(fc, grid, { burn: 9, where: 'NOT v = 2', dtype: 'int16' });
    expect([...n.data]).toEqual([9, 0, 9, 9]);
  });
  it('refuses what GDAL refuses, in one line', async () => {
    await expect(rasterize(fc, grid, { burn: 1, where: 's = 1' })).rejects.toThrow('Type mismatch or improper type of arguments to = operator.');
    await expect(rasterize(fc, grid, { burn: 1, where: 'nope = 1' })).rejects.toThrow('"nope" not recognised as an available field.');
    await expect(rasterize(fc, grid, { burn: 1, where: 'v == 1' })).rejects.toThrow(/SQL Expression Parsing Error/);
    await expect(rasterize(fc, grid, { burn: 1, where: 'v' })).rejects.toThrow(/does not evaluate to a true or false value/);
  });
  it('parses precedence and literals as OGR SQL does', () => {
    expect(parseWhere("a = 1 OR b = 2 AND NOT c IS NULL")).toMatchObject({ k: 'or', b: { k: 'and', b: { k: 'not', e: { k: 'isnull' } } } });
    expect(parseWhere("s LIKE 'it''s%'")).toMatchObject({ k: 'like', pattern: { k: 'str', v: "it's%" } });
    const pass = compileWhere('i / 2 = 1 AND r / 2 = 1.25', layerFields([{ properties: { i: 3, r: 2.5 } }]));
    expect(pass({ i: 3, r: 2.5 })).toBe(true);
    expect(parseSelect('select a, "b c" from layer1 where a > 1')).toEqual({ layer: 'layer1', fields: ['a', 'b c'], columns: [{ field: 'a' }, { field: 'b c' }], orderBy: [], where: 'a > 1' });
    expect(parseSelect('SELECT DISTINCT v AS w FROM t WHERE a > 1 AND b IN (1, 2) ORDER BY a DESC, "b" ASC, c LIMIT 3 OFFSET 2')).toEqual({
      layer: 't', fields: ['w'], columns: [{ field: 'v', alias: 'w' }], distinct: true, where: 'a > 1 AND b IN (1, 2)',
      orderBy: [{ field: 'a', desc: true }, { field: 'b', desc: false }, { field: 'c', desc: false }], limit: 3, offset: 2,
      tail: 'ORDER BY a DESC, "b" ASC, c LIMIT 3 OFFSET 2',
    });
    expect(parseSelect('SELECT *, a x FROM t OFFSET 4')).toMatchObject({ fields: null, columns: ['*', { field: 'a', alias: 'x' }], offset: 4, tail: 'OFFSET 4' });
    // what OGR SQL refuses, and what a burn does not take, in one line each
    expect(() => parseSelect('SELECT a FROM t LIMIT -1')).toThrow(/unexpected '-', expecting integer number/);
    expect(() => parseSelect('SELECT a FROM t LIMIT 1.5')).toThrow(/expecting integer number/);
    expect(() => parseSelect('SELECT a FROM t OFFSET 1 LIMIT 2')).toThrow(/expecting end of string/);
    expect(() => parseSelect('SELECT a FROM t ORDER BY 1')).toThrow(/expecting identifier/);
    expect(() => parseSelect('SELECT DISTINCT a, b FROM t')).toThrow('SELECT DISTINCT not supported on multiple columns.');
    expect(() => parseSelect('SELECT COUNT(a) FROM t')).toThrow(/functions in the select list \(COUNT/);
    expect(() => parseSelect('SELECT a * 2 AS b FROM t')).toThrow(/expressions in the select list/);
    expect(() => parseSelect('SELECT a FROM t GROUP BY a')).toThrow(/GROUP is not supported/);
    expect(() => parseSelect('SELECT a FROM t JOIN u ON a = b')).toThrow(/joins are not supported/);
    expect(() => parseSelect('UPDATE t SET a = 1')).toThrow(/only SELECT statements/);
  });
});

describe('geometries GDAL cannot read', () => {
  const bad = { type: 'FeatureCollection' as const, features: [cell(0, { v: 1 }), cell(1, { v: 2 }, { type: 'Polygon', coordinates: [[[1, 0], ['x', 0], [2, 1], [1, 0]]] }), cell(2, { v: 3 }, { type: 'point', coordinates: [2.5, 0.5] })] };
  it('are skipped with a warning, the rest burned; strict refuses them', async () => {
    const r = await rasterize(bad, grid, { attribute: 'v', dtype: 'uint8' });
    expect([...r.data]).toEqual([1, 0, 3, 0]);
    expect(r.stats.skipped).toBe(1);
    expect(r.stats.warnings).toEqual(['feature 1 skipped: Polygon rejected: exterior ring: position 1: x is "x", not a number']);
    await expect(rasterize(bad, grid, { attribute: 'v', strict: true })).rejects.toThrow(/feature 1 skipped: .* \(strict\)/);
  });
});

describe('toGeoTIFF with compression', () => {
  it('reads back the same pixels for every codec and predictor', async () => {
    const width = 70, height = 33;
    const data = new Float32Array(width * height).map((_, i) => Math.sin(i / 7) * 100);
    const raster = { data, width, height, transform: [0, 1, 0, 0, 0, -1] as Grid['transform'], crs: undefined, nodata: null, dtype: 'float32' as const };
    const plain = toGeoTIFF(raster);
    for (const o of [{ compress: 'deflate' }, { compress: 'lzw', predictor: 2 }, { compress: 'deflate', predictor: 3, layout: 'tiles', tileSize: 32 }, { compress: 'packbits' }, { sparse: true, layout: 'tiles', tileSize: 16 }] as const) {
      const buf = toGeoTIFF(raster, o);
      const back = await readGeoTIFFRaster(buf, 1);
      expect([...back.data], JSON.stringify(o)).toEqual([...data]);
      if ('compress' in o && o.compress === 'deflate') expect(buf.byteLength).toBeLessThan(plain.byteLength);
    }
  });
});
