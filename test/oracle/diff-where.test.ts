// -where and -sql against the real gdal_rasterize: hand-picked clauses for OGR SQL's types, NULL and case
// rules, GDAL's refusals, and seeded clauses generated from the features' own attributes (the seed is
// printed; RASTERBURN_WHERE_SEED replays a run).
import { describe, expect, it } from 'vitest';
import { report, runCases, type DiffCase, type Feature } from './gdal/harness.js';
import { rng } from './gdal/fuzz.js';

const ROWS: Record<string, unknown>[] = [
  { i: 1, r: 1.5, s: 'abc', b: true, m: 5, d: '2020-01-01' },
  { i: 2, r: 2.25, s: 'ABC', b: false, m: 'x', d: '2021-06-01' },
  { i: null, r: null, s: null, b: null, m: null, d: null },
  { i: 10, r: -3.25, s: 'a_c', b: true, m: '10', d: '2019-12-31' },
  { i: 3, r: 0, s: "it's", b: false, m: 2.5, d: null },
  {},
  { i: 20, r: 20.5, s: '20', b: true, m: 'abc', d: '2020-01-02' },
  { i: -7, r: 7.75, s: 'Zed', b: false, m: 'Abc', d: '2020-01-01' },
];
const W = ROWS.length;
const SRC: Feature[] = ROWS.map((p, k) => ({ type: 'Feature', properties: p, geometry: { type: 'Polygon', coordinates: [[[k, 0], [k + 1, 0], [k + 1, 1], [k, 1], [k, 0]]] } }));
const ARGS = ['-ts', String(W), '1', '-te', '0', '0', String(W), '1', '-ot', 'Float32', '-init', '-99'];

const CLAUSES = [
  'i = 1', 'i > 2', 'i <> 1', 'i != 2', 'NOT i = 1', 'NOT (i > 2)', 'i IS NULL', 'i IS NOT NULL', "s = 'abc'", "s < 'b'", "s > 'ABC'",
  "s LIKE 'a%'", "s LIKE 'A_C'", "s ILIKE 'a%'", "s NOT LIKE 'a%'", "s LIKE 'it''s'", "i = '1'", "i > '2'", "m = '5'", "m IN ('5', 'x')",
  'r BETWEEN 0 AND 2', 'i NOT BETWEEN 2 AND 10', 'i IN (1, 3, 20)', 'i NOT IN (1, 2)', "s IN ('abc', 'a_c')", 'i + 1 = 3', 'i * 2 > 5',
  'b = 1', 'i / 4 = 0', 'i % 3 = 1', '-i < -5', 'i > 1.5', 'r = 2.25', 'i = r', 'i + r > 3', "i = 1 OR i = 2 AND s = 'x'",
  "(i = 1 OR i = 2) AND s = 'ABC'", 'I = 1', '"i" = 1', 'i = 1e0', 'i = NULL', 'i <> NULL', 'i = 3/2', 'i = 7 % 4', 'r * 2 > 1',
  "d = '2020-01-01'", "d > '2020-01-01'", "d < '2020/06/01'", 'NOT NOT i = 1', 'i >= 3 and i <= 10', "s LIKE '%'", "m LIKE '1%'",
];
const REFUSED = ["s = 1", "m = 5", "x = 1", "i == 1", "i = 'abc'", "s IN (1)", "d LIKE '2020%'", 'r < .5', 'i = +1'];

const cases: DiffCase[] = [
  ...CLAUSES.map((w, k): DiffCase => ({ name: `where-${k}-${w}`, source: SRC, args: ['-a', 'i', '-where', w, ...ARGS] })),
  ...REFUSED.map((w, k): DiffCase => ({ name: `where-refused-${k}-${w}`, source: SRC, args: ['-burn', '1', '-where', w, ...ARGS], expect: 'error', gdalFails: true })),
  { name: 'sql-star-where', source: SRC, args: ['-a', 'r', '-sql', 'SELECT * FROM src WHERE i > 2', ...ARGS] },
  { name: 'sql-fields', source: SRC, args: ['-a', 'r', '-sql', 'select i, r from src where s ilike \'a%\'', ...ARGS] },
  { name: 'sql-no-where', source: SRC, args: ['-burn', '4', '-sql', 'SELECT s FROM src', ...ARGS] },
  { name: 'sql-and-dialect', source: SRC, args: ['-a', 'i', '-dialect', 'OGRSQL', '-sql', 'SELECT * FROM src WHERE NOT i IS NULL', ...ARGS] },
  // GDAL applies -where to the layers it opens, never to -sql's result; any dialect but SQLite's is OGR SQL, and
  // without -sql the dialect is not used
  { name: 'sql-ignores-where', source: SRC, args: ['-a', 'i', '-where', 'i > 2', '-sql', 'SELECT * FROM src WHERE i < 5', ...ARGS] },
  { name: 'sql-unknown-dialect-is-ogrsql', source: SRC, args: ['-a', 'i', '-dialect', 'FOO', '-sql', "SELECT * FROM src WHERE s = 'abc'", ...ARGS] },
  { name: 'dialect-sqlite-without-sql', source: SRC, args: ['-a', 'i', '-dialect', 'SQLITE', ...ARGS] },
  { name: 'dialect-sqlite-with-where', source: SRC, args: ['-a', 'i', '-dialect', 'SQLite', '-where', "s = 'ABC'", ...ARGS] },
  { name: 'sql-attribute-not-selected', source: SRC, args: ['-a', 'r', '-sql', 'SELECT i FROM src', ...ARGS], expect: 'error', gdalFails: true },
  { name: 'sql-no-such-layer', source: SRC, args: ['-burn', '1', '-sql', 'SELECT * FROM nope', ...ARGS], expect: 'error', gdalFails: true },
  // the layer extent is taken before the filter, as GDAL takes it
  { name: 'where-extent-of-whole-layer', source: SRC, args: ['-burn', '1', '-where', 'i = 3', '-tr', '0.5', '0.5'] },
  { name: 'where-invert', source: SRC, args: ['-burn', '5', '-i', '-where', 'i > 2', ...ARGS] },
];

describe('-where and -sql against gdal_rasterize', () => {
  it('burns the features GDAL burns, and refuses what GDAL refuses', async () => {
    const res = await runCases(cases);
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 600_000);

  it('seeded clauses from the attributes burn what GDAL burns', async () => {
    const seed = Number(process.env.RASTERBURN_WHERE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`where fuzz seed ${seed} (RASTERBURN_WHERE_SEED=${seed} replays it)`);
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const values = (f: string) => ROWS.map((p) => p[f]).filter((v) => v !== null && v !== undefined);
    const lit = (f: string): string => {
      const v = pick(values(f));
      if (f === 'i' || f === 'r' || f === 'b') return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      return `'${String(v).replace(/'/g, "''")}'`;
    };
    const atom = (): string => {
      const f = pick(['i', 'r', 's', 'm', 'b', 'I', '"s"']);
      const base = f.replace(/"/g, '').toLowerCase();
      switch (Math.floor(r() * 6)) {
        case 0: return `${f} ${pick(['=', '<>', '<', '<=', '>', '>='])} ${lit(base)}`;
        case 1: return `${f} IS ${pick(['', 'NOT '])}NULL`;
        case 2: return `${f} ${pick(['', 'NOT '])}IN (${lit(base)}, ${lit(base)})`;
        case 3: return base === 's' || base === 'm' ? `${f} ${pick(['LIKE', 'ILIKE', 'NOT LIKE'])} '${pick(['a', 'A', '1', '%', '_'])}${pick(['%', '_', 'c', ''])}'` : `${f} BETWEEN ${lit(base)} AND ${lit(base)}`;
        case 4: return base === 'i' || base === 'r' ? `${f} ${pick(['+', '-', '*', '/', '%'])} ${pick(['1', '2', '3', '0.5'])} ${pick(['=', '>', '<'])} ${lit(base)}` : `${f} = ${lit(base)}`;
        default: return `NOT ${f} ${pick(['=', '<'])} ${lit(base)}`;
      }
    };
    const clause = (depth: number): string => (depth > 0 && r() < 0.5 ? `(${clause(depth - 1)}) ${pick(['AND', 'OR'])} ${pick(['', 'NOT '])}(${clause(depth - 1)})` : atom());
    const fuzz: DiffCase[] = Array.from({ length: 40 }, (_, k) => ({ name: `where-fuzz-${seed}-${k}`, source: SRC, args: ['-a', 'i', '-where', clause(2), ...ARGS] }));
    const res = await runCases(fuzz, { gdalErrorMeansError: true });
    const bad = res.filter((x) => x.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 600_000);
});
