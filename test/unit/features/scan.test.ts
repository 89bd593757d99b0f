// parseGeoJSON against JSON.parse: the same tree (coordinate lists packed), bit-identical numbers, the same
// shapes out of flatten, the same errors from flatten for coordinates it cannot pack, one-line JSON errors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerExtent } from '../../../src/features/extent.js';
import { flattenFeatures, type FlattenOptions } from '../../../src/features/flatten.js';
import { featureCrsOf, impliedCrs, isPacked, type FeatureInput } from '../../../src/features/geojson.js';
import { parseGeoJSON } from '../../../src/features/scan.js';
import type { Grid } from '../../../src/types.js';
import { mulberry32 } from '../../../bench/random.js';
import { sameBits } from '../../shared/bits.js';
import { asCollection, asFeature } from '../../shared/feature-input.js';

const FIXTURES = join(import.meta.dirname, '../../shared/fixtures');

// mulberry32, the seeded PRNG of the benchmarks and fuzz tests
const rng = mulberry32;


/** null when `packed` is JSON.parse's `plain` with coordinate lists packed, else where they differ */
function difference(packed: unknown, plain: unknown, where = '$'): string | null {
  if (isPacked(packed)) {
    if (!Array.isArray(plain)) return `${where}: packed where JSON.parse has ${JSON.stringify(plain)}`;
    // a Point's position, or a list of positions
    const list = (plain.length > 0 && typeof plain[0] === 'number' ? [plain] : plain) as number[][];
    if (list.length !== packed.n) return `${where}: ${packed.n} packed positions, JSON.parse has ${list.length}`;
    const off = packed.off ?? 0;
    if (packed.xyz.length - off < 3 * packed.n) return `${where}: xyz holds ${packed.xyz.length - off} numbers from ${off} for ${packed.n} positions`;
    let z = false;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (p.length !== 2 && p.length !== 3) return `${where}[${i}]: packed a position of ${p.length} numbers`;
      if (p.length === 3) z = true;
      for (let k = 0; k < 3; k++) {
        const want = k < p.length ? p[k] : 0;
        if (!sameBits(packed.xyz[off + 3 * i + k], want)) return `${where}[${i}][${k}]: ${packed.xyz[off + 3 * i + k]} vs ${want}`;
      }
    }
    return z === packed.hasZ ? null : `${where}: hasZ ${packed.hasZ}, JSON.parse ${z}`;
  }
  if (Array.isArray(plain)) {
    if (!Array.isArray(packed) || packed.length !== plain.length) return `${where}: array of ${plain.length} vs ${JSON.stringify(packed)?.slice(0, 80)}`;
    for (let i = 0; i < plain.length; i++) {
      const d = difference(packed[i], plain[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (plain !== null && typeof plain === 'object') {
    if (packed === null || typeof packed !== 'object' || Array.isArray(packed)) return `${where}: object vs ${typeof packed}`;
    if (Object.getPrototypeOf(packed) !== Object.getPrototypeOf(plain)) return `${where}: prototype differs`;
    const kp = Reflect.ownKeys(packed), kj = Reflect.ownKeys(plain);
    if (kp.join('|') !== kj.join('|')) return `${where}: keys ${kp.join(',')} vs ${kj.join(',')}`;
    for (const k of kj) {
      const d = difference((packed as Record<string, unknown>)[k as string], (plain as Record<string, unknown>)[k as string], `${where}.${String(k)}`);
      if (d) return d;
    }
    return null;
  }
  if (typeof plain === 'number') return typeof packed === 'number' && sameBits(packed, plain) ? null : `${where}: ${packed} vs ${plain}`;
  return packed === plain ? null : `${where}: ${JSON.stringify(packed)} vs ${JSON.stringify(plain)}`;
}

function countPacked(v: unknown): number {
  if (isPacked(v)) return 1;
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + countPacked(x), 0);
  if (v && typeof v === 'object') return Object.values(v).reduce((s: number, x) => s + countPacked(x), 0);
  return 0;
}

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// ---- numbers ----

function numberTexts(seed: number, count: number): string[] {
  const r = rng(seed);
  const out: string[] = ['0', '-0', '0.0', '-0.0', '0e5', '-0e-5', '1e-400', '-1e-400', '1e308', '1.7976931348623157e308', '2.2250738585072014e-308',
    '4.9e-324', '5e-324', '2.4703282292062327e-324', '9007199254740993', '9007199254740993e-5', '9007199254740992e-22', '9007199254740991e22',
    '123456789012345678901234567890', '0.1', '0.30000000000000004', '1E22', '1e23', '1e-22', '1e-23', '8.41e21', '8.41e-21', '1.00000000000000011102230246251565404236316680908203125',
    '0.000000000000000000000000000000000000001', '100000000000000000000000000000000000000000e-40', '3.0e+2', '3E-0', '-12.5E+01'];
  const bits = new Float64Array(1), w = new Uint32Array(bits.buffer);
  while (out.length < count) {
    const kind = Math.floor(r() * 6);
    if (kind === 0) {
      // any finite double, printed every way JS prints doubles
      do { w[0] = (r() * 2 ** 32) >>> 0; w[1] = (r() * 2 ** 32) >>> 0; } while (!Number.isFinite(bits[0]));
      const v = bits[0];
      out.push(String(v), v.toPrecision(17), v.toExponential(Math.floor(r() * 20)).replace('e+', r() < 0.5 ? 'e' : 'E+'));
    } else if (kind === 1) {
      // coordinates as files have them: a few integer digits, up to 17 significant ones
      const v = (r() - 0.5) * 10 ** Math.floor(r() * 8);
      out.push(v.toFixed(Math.floor(r() * 16)), v.toPrecision(1 + Math.floor(r() * 17)));
    } else if (kind === 2) {
      // random digit strings: long mantissas, leading and trailing zeros, exponents
      let s = r() < 0.5 ? '-' : '';
      const int = Math.floor(r() * 25);
      s += int === 0 ? '0' : String(1 + Math.floor(r() * 9));
      for (let i = 1; i < int; i++) s += String(Math.floor(r() * 10));
      if (r() < 0.7) { s += '.'; const f = 1 + Math.floor(r() * 25); for (let i = 0; i < f; i++) s += r() < 0.3 ? '0' : String(Math.floor(r() * 10)); }
      if (r() < 0.5) s += (r() < 0.5 ? 'e' : 'E') + ['', '+', '-'][Math.floor(r() * 3)] + String(Math.floor(r() * 40));
      out.push(s);
    } else if (kind === 3) {
      // around Clinger's limits: 2^53 and 10^22
      const m = 2 ** 53 - 3 + Math.floor(r() * 6);
      out.push(`${m}e${Math.floor(r() * 50) - 25}`, `${Math.floor(r() * 2 ** 53)}e-${Math.floor(r() * 24)}`);
    } else if (kind === 4) {
      out.push(String(Math.floor((r() - 0.5) * 2 ** 60)), String(Math.floor(r() * 1e6)));
    } else {
      out.push(`${Math.floor(r() * 1e15)}e${Math.floor(r() * 700) - 350}`);
    }
  }
  return out;
}

describe('numbers', () => {
  it('are bit-identical to JSON.parse in coordinates and in properties', () => {
    const texts = numberTexts(20261126, 60000);
    for (let start = 0; start < texts.length; start += 3000) {
      const chunk = texts.slice(start, start + 3000);
      const pairs: string[] = [];
      for (let i = 0; i + 1 < chunk.length; i += 2) pairs.push(`[${chunk[i]},${chunk[i + 1]}]`);
      const text = `{"type":"Feature","properties":{"v":[${chunk.join(',')}]},"geometry":{"type":"MultiPoint","coordinates":[${pairs.join(',')}]}}`;
      const plain = JSON.parse(text);
      const packed = asFeature(parseGeoJSON(text));
      const geometry = packed.geometry;
      const values = packed.properties?.v;
      if (geometry?.type !== 'MultiPoint' || !Array.isArray(values)) throw new Error(`not the MultiPoint feature with a list v: ${text.slice(0, 80)}`);
      const finite = plain.geometry.coordinates.every((p: number[]) => p.every(Number.isFinite));
      // a position with 1e400 in it cannot be packed (flatten reports it): compared as plain arrays
      expect(isPacked(geometry.coordinates)).toBe(finite);
      expect(difference(packed, plain)).toBeNull();
      for (let i = 0; i < chunk.length; i++) if (!sameBits(values[i], plain.properties.v[i])) throw new Error(`${chunk[i]}: ${values[i]}`);
    }
  });
});

// ---- random GeoJSON ----

function randomGeoJSON(seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const ws = (): string => (r() < 0.15 ? pick([' ', '\n', '\t', '\r\n  ', '  ']) : '');
  const num = (lo: number, hi: number): string => {
    const v = lo + r() * (hi - lo);
    return pick([String(v), v.toFixed(Math.floor(r() * 10)), v.toPrecision(17), v.toExponential(12), String(Math.round(v))]);
  };
  const z3 = r() < 0.3;
  const pos = (cx: number, cy: number, s: number): string => {
    const parts = [num(cx - s, cx + s), num(cy - s, cy + s)];
    if (z3 ? r() < 0.9 : r() < 0.05) parts.push(num(-50, 50));
    return `[${ws()}${parts.join(`${ws()},${ws()}`)}${ws()}]`;
  };
  const list = (n: number, closed: boolean): string => {
    const cx = r() * 90, cy = r() * 60, s = 1 + r() * 20;
    const ps: string[] = [];
    for (let i = 0; i < n; i++) ps.push(pos(cx, cy, s));
    if (closed && n > 0) ps.push(ps[0]);
    return `[${ps.join(',' + ws())}]`;
  };
  const rings = (): string => {
    const k = r() < 0.1 ? 0 : 1 + Math.floor(r() * 3);
    const out: string[] = [];
    for (let i = 0; i < k; i++) out.push(r() < 0.05 ? '[]' : list(3 + Math.floor(r() * 8), true));
    return `[${out.join(',')}]`;
  };
  const members = (type: string, coords: string): string => {
    const m = [`"type":${ws()}"${type}"`, `"coordinates":${ws()}${coords}`];
    if (r() < 0.1) m.push('"bbox":[0,0,1,1]');
    if (r() < 0.05) m.push('"geometry":{"type":"Point","coordinates":[1,2]}');
    // some writers put the coordinates first
    if (r() < 0.2) m.reverse();
    return `{${ws()}${m.join(`,${ws()}`)}${ws()}}`;
  };
  const geometry = (depth: number): string => {
    const t = pick(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);
    const n = Math.floor(r() * 6);
    switch (t) {
      case 'Point': return members(t, r() < 0.1 ? '[]' : pos(r() * 90, r() * 60, 1));
      case 'MultiPoint': return members(t, list(n, false));
      case 'LineString': return members(t, list(r() < 0.1 ? 0 : 2 + n, false));
      case 'MultiLineString': return members(t, `[${Array.from({ length: n }, () => list(r() < 0.1 ? 0 : 2 + Math.floor(r() * 5), false)).join(',')}]`);
      case 'Polygon': return members(t, rings());
      case 'MultiPolygon': return members(t, `[${Array.from({ length: n }, rings).join(',')}]`);
      default: {
        const k = depth > 2 ? 0 : Math.floor(r() * 4);
        const gs = `{"type":"GeometryCollection","geometries":[${Array.from({ length: k }, () => geometry(depth + 1)).join(',')}]}`;
        return gs;
      }
    }
  };
  const str = (): string => JSON.stringify(pick(['', 'plain', 'ünïcödé ☃', 'tab\there', 'quote " and \\ backslash', '\u0001ctl', 'emoji 😀', '\ud800 lone', 'Feature', 'coordinates']));
  const props = (): string => {
    if (r() < 0.1) return 'null';
    const kv: string[] = [`"id":${Math.floor(r() * 100)}`];
    if (r() < 0.5) kv.push(`"name":${str()}`);
    if (r() < 0.3) kv.push(`"nested":{"a":[1,[2,[3.5,"x",null]],true,false],"coordinates":[[1,2]],"type":"Point"}`);
    if (r() < 0.2) kv.push(`"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}`);
    if (r() < 0.2) kv.push(`"v":${num(-1e6, 1e6)}`);
    if (r() < 0.1) kv.push('"__proto__":{"polluted":1}');
    if (r() < 0.1) kv.push('"id":7');
    if (r() < 0.1) kv.push(`"\\u0069d2":"\\u00e9\\n"`);
    return `{${kv.join(',' + ws())}}`;
  };
  const feats: string[] = [];
  const count = 5 + Math.floor(r() * 40);
  for (let i = 0; i < count; i++) {
    const g = r() < 0.1 ? 'null' : geometry(0);
    const m = [`"type":"Feature"`, `"properties":${props()}`, `"geometry":${g}`];
    if (r() < 0.1) m.push(`"id":${i}`);
    if (r() < 0.3) m.reverse();
    feats.push(`{${m.join(',')}}`);
  }
  const top = [`"type":"FeatureCollection"`, `"features":[${ws()}${feats.join(`,${ws()}`)}${ws()}]`];
  if (r() < 0.5) top.splice(1, 0, `"name":"layer${seed}"`);
  if (r() < 0.5) top.splice(1, 0, `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4326"}}`);
  if (r() < 0.3) top.reverse();
  return `${ws()}{${top.join(',')}}${ws()}`;
}

const GRID: Grid = { width: 97, height: 61, transform: [-1, 1, 0, 61, 0, -1] };
const OPTIONS: FlattenOptions[] = [
  {}, { merge: 'add' }, { burnZ: true }, { attribute: 'id' }, { invert: true }, { invert: true, merge: 'add' },
];

function sameFlatten(plain: FeatureInput, packed: FeatureInput, grid: Grid, options: FlattenOptions): void {
  const a = outcome(() => flattenFeatures(plain, grid, options));
  const b = outcome(() => flattenFeatures(packed, grid, options));
  expect(b).toEqual(a);
}

describe('random GeoJSON', () => {
  it('parses to JSON.parse\'s tree with packed coordinates; flatten, extent and CRS agree', () => {
    let packedLists = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const text = randomGeoJSON(seed);
      const plain = JSON.parse(text) as FeatureInput;
      const packed = parseGeoJSON(text);
      const d = difference(packed, plain);
      if (d) throw new Error(`seed ${seed}: ${d}`);
      packedLists += countPacked(packed);
      // properties (which hold geometry-like objects) are never packed
      for (const f of (packed as { features: { properties: unknown }[] }).features) expect(countPacked(f.properties)).toBe(0);
      expect(layerExtent(packed)).toEqual(layerExtent(plain));
      expect(impliedCrs(packed)).toBe(impliedCrs(plain));
      expect(featureCrsOf(packed)).toBe(featureCrsOf(plain));
      for (const o of OPTIONS) sameFlatten(plain, packed, GRID, o);
      if (seed % 10 === 0) {
        // reprojected, with the grid in web mercator
        const g3857: Grid = { width: 50, height: 40, transform: [0, 2e5, 0, 8e6, 0, -2e5], crs: 'EPSG:3857' };
        sameFlatten(plain, packed, g3857, {});
        sameFlatten(plain, packed, g3857, { invert: true });
      }
    }
    expect(packedLists).toBeGreaterThan(1000);
  });

  it('bare geometries, a Feature and bytes with a BOM', () => {
    for (const text of [
      '{"type":"Point","coordinates":[1.5,2.5,3]}',
      '{"coordinates":[[[0,0],[4,0],[4,4],[0,0]]],"type":"Polygon"}',
      '{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[5,5]]},"properties":null}',
      '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[]},{"type":"MultiPoint","coordinates":[]}]}',
    ]) {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
      const packed = parseGeoJSON(bytes);
      expect(difference(packed, JSON.parse(text))).toBeNull();
      expect(countPacked(packed)).toBeGreaterThan(0);
      for (const o of OPTIONS.slice(0, 4)) sameFlatten(JSON.parse(text), packed, GRID, o);
    }
  });
});

describe('fixtures', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.geojson') || f.endsWith('.json'));
  it.each(files)('%s', (file) => {
    const bytes = readFileSync(join(FIXTURES, file));
    const plain = JSON.parse(bytes.toString('utf8')) as FeatureInput;
    const packed = parseGeoJSON(bytes);
    expect(difference(packed, plain)).toBeNull();
    expect(countPacked(packed)).toBeGreaterThan(0);
    const ext = layerExtent(plain);
    expect(layerExtent(packed)).toEqual(ext);
    const [x0, y0, x1, y1] = ext as number[];
    const grid: Grid = { width: 64, height: 48, transform: [x0, (x1 - x0) / 64, 0, y1, 0, -(y1 - y0) / 48], crs: 'EPSG:32633' };
    for (const o of [{}, { merge: 'add' as const }, { invert: true }]) sameFlatten(plain, packed, grid, o);
    sameFlatten(plain, packed, { ...grid, crs: undefined }, {});
  });
});

describe('coordinates it cannot pack stay plain, and flatten reports them as before', () => {
  const cases: [string, string][] = [
    ['one number', '{"type":"LineString","coordinates":[[0,0],[1]]}'],
    ['four numbers', '{"type":"LineString","coordinates":[[0,0,0,9],[1,1,1,9]]}'],
    ['a string', '{"type":"Polygon","coordinates":[[[0,0],[1,"1"],[1,0],[0,0]]]}'],
    ['null', '{"type":"Point","coordinates":[null,1]}'],
    ['too deep', '{"type":"LineString","coordinates":[[[0,0]],[[1,1]]]}'],
    ['too shallow', '{"type":"Polygon","coordinates":[[0,0],[1,1],[0,1]]}'],
    ['numbers instead of positions', '{"type":"MultiPoint","coordinates":[1,2]}'],
    ['an empty position in a list', '{"type":"MultiPoint","coordinates":[[1,2],[]]}'],
    ['1e400', '{"type":"LineString","coordinates":[[0,0],[1e400,1]]}'],
    ['-1e400 as z', '{"type":"Point","coordinates":[1,1,-1e400]}'],
    ['an object', '{"type":"Point","coordinates":{"x":1}}'],
    ['not an array', '{"type":"MultiPolygon","coordinates":5}'],
    ['unknown type', '{"type":"Curve","coordinates":[[0,0],[1,1]]}'],
    ['type changed by a duplicate key', '{"type":"Point","coordinates":[1,2],"type":"LineString"}'],
    ['type not a string', '{"type":7,"coordinates":[[0,0],[1,1]]}'],
    ['a Feature with coordinates', '{"type":"Feature","coordinates":[[0,0],[1,1]],"geometry":null,"properties":{}}'],
  ];
  it.each(cases)('%s', (_name, text) => {
    const plain = JSON.parse(text);
    const packed = parseGeoJSON(text);
    expect(difference(packed, plain)).toBeNull();
    if (_name !== '-1e400 as z' && _name !== 'four numbers' && _name !== 'type changed by a duplicate key') expect(countPacked(packed)).toBe(0);
    for (const o of OPTIONS.slice(0, 4)) {
      const a = outcome(() => flattenFeatures(plain, GRID, o));
      expect(outcome(() => flattenFeatures(packed, GRID, o))).toEqual(a);
    }
    expect(layerExtent(packed)).toEqual(layerExtent(plain));
  });
  it('says which position is bad, as for JSON.parse input', () => {
    for (const input of [parseGeoJSON('{"type":"LineString","coordinates":[[0,0],[1]]}'), JSON.parse('{"type":"LineString","coordinates":[[0,0],[1]]}')]) {
      const stats = { features: 0, skipped: 0, warnings: [] as string[] };
      expect(flattenFeatures(input, GRID, {}, stats).count).toBe(0);
      expect(stats.warnings).toEqual(['feature 0 skipped: LineString rejected: position 1: [1] has fewer than 2 coordinates']);
      expect(stats.skipped).toBe(1);
    }
  });
});

describe('valid JSON in odd shapes', () => {
  it.each([
    ['whitespace everywhere', ' \n\t{ "type" : "Feature" ,\r\n "properties" : { "a" : [ 1 , [ ] , { } ] } , "geometry" : { "type" : "MultiPolygon" , "coordinates" : [ [ [ [ 0 , 0 ] , [ 1 , 0 ] , [ 1 , 1 ] , [ 0 , 0 ] ] ] ] } } \n'],
    ['escapes and unicode', '{"type":"Feature","properties":{"s":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00","k\\u00e9y":"ö€😀","long":"' + 'x'.repeat(5000) + '"},"geometry":null}'],
    ['__proto__ and duplicate keys', '{"type":"Feature","properties":{"__proto__":{"x":1},"a":1,"a":2,"2":"two","1":"one"},"geometry":null}'],
    ['literals', '{"type":"Feature","properties":{"t":true,"f":false,"n":null,"e":[]},"geometry":null}'],
    ['deep properties', '{"type":"Feature","properties":{"d":' + '['.repeat(500) + ']'.repeat(500) + '},"geometry":null}'],
    ['foreign geometry-named members', '{"type":"FeatureCollection","geometries":[{"type":"Point","coordinates":[1,2]}],"features":[{"type":"Feature","features":[{"type":"Point","coordinates":[1,2]}],"geometry":{"type":"Point","coordinates":[3,4],"geometry":{"type":"Point","coordinates":[5,6]}},"properties":{}}]}'],
  ])('%s', (_name, text) => {
    const packed = parseGeoJSON(text);
    expect(difference(packed, JSON.parse(text))).toBeNull();
    expect(difference(parseGeoJSON(new TextEncoder().encode(text)), JSON.parse(text))).toBeNull();
  });
  it('packs only the real geometry among geometry-named foreign members', () => {
    const text = '{"type":"FeatureCollection","geometries":[{"type":"Point","coordinates":[1,2]}],"features":[{"type":"Feature","features":[{"type":"Point","coordinates":[1,2]}],"geometry":{"type":"Point","coordinates":[3,4],"geometry":{"type":"Point","coordinates":[5,6]}},"properties":{}}]}';
    expect(countPacked(parseGeoJSON(text))).toBe(1);
  });
});

describe('malformed JSON', () => {
  const bad = [
    '', ' ', '{', '{"type":"Feature"', '{"type":"Feature",}', '{"type" "Feature"}', '{type:"Feature"}', '[1,2,]', '[1 2]',
    '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":1e}', '{"a":1e+}', '{"a":-}', '{"a":0x10}', '{"a":NaN}', '{"a":Infinity}',
    '{"a":"\\x"}', '{"a":"\\u12g4"}', '{"a":"tab\there"}', '{"a":"unterminated}', '{"a":tru}', '{"a":nul}', "{'a':1}",
    '{"type":"Point","coordinates":[1,2,]}', '{"type":"Point","coordinates":[1,,2]}', '{"type":"LineString","coordinates":[[0,0],[1,1]}',
    '{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]]}', '{"a":1} x', '{"a":1}{}', '\u00a0{}', '{"a":[1,2}',
    '{"type":"MultiPoint","coordinates":[[1,2],[3,4e]]}', '{"type":"Point","coordinates":[1,2]',
  ];
  it.each(bad)('%j', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    let message = '';
    try {
      parseGeoJSON(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ at byte offset \d+$/);
    expect(message).not.toMatch(/\n/);
  });
  it('names the offset of the problem', () => {
    expect(() => parseGeoJSON('{"type":"Feature",}')).toThrow("unexpected '}' at byte offset 18");
    expect(() => parseGeoJSON('{"type":"Point","coordinates":[1,2')).toThrow('unexpected end of JSON input at byte offset 34');
    expect(() => parseGeoJSON('{"a":"x\u0001"}')).toThrow('control character 0x01 in a string at byte offset 7');
  });
  it('refuses very deep nesting with one line, not a stack overflow', () => {
    expect(() => parseGeoJSON('['.repeat(100000))).toThrow(/nested deeper than \d+ levels at byte offset \d+/);
    expect(() => parseGeoJSON('{"type":"Feature","properties":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001))).toThrow(/nested deeper/);
  });
  it('refuses what is not text', () => {
    expect(() => parseGeoJSON(42 as unknown as string)).toThrow('parseGeoJSON needs a Uint8Array or a string, got number');
  });
});

describe('non-ASCII text among the numbers (US counties: "Doña Ana", "Cataño")', () => {
  // regression: a decode window that met a non-ASCII byte used to be thrown away, so every later
  // number re-decoded a whole window and a 3 MB file took minutes; numbers must still be exact
  it('decodes names and keeps every coordinate bit-identical to JSON.parse', () => {
    const features = [];
    for (let i = 0; i < 400; i++) {
      const ring = [];
      for (let k = 0; k < 50; k++) ring.push([-106.123456789 + k * 1e-3 + i, 32.987654321 - k * 7e-4]);
      ring.push(ring[0]);
      features.push({ type: 'Feature', properties: { name: i % 3 ? `Doña Ana ${i}` : `Cataño ✓ ${i}`, id: i }, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
    const text = JSON.stringify({ type: 'FeatureCollection', features });
    const bytes = new TextEncoder().encode(text);
    const ours = asCollection(parseGeoJSON(bytes));
    const ref = JSON.parse(text) as { features: { properties: { name: string }; geometry: { coordinates: number[][][] } }[] };
    for (let i = 0; i < ref.features.length; i++) {
      const f = ours.features[i];
      expect(f.properties?.name).toBe(ref.features[i].properties.name);
      if (f.geometry?.type !== 'Polygon') throw new Error(`feature ${i}: ${f.geometry?.type ?? 'null'} geometry, not the Polygon written`);
      const p = f.geometry.coordinates[0];
      if (!isPacked(p)) throw new Error(`feature ${i}: outer ring not packed`);
      const off = p.off ?? 0;
      const want = ref.features[i].geometry.coordinates[0];
      expect(p.n).toBe(want.length);
      for (let k = 0; k < p.n; k++) {
        expect(Object.is(p.xyz[off + 3 * k], want[k][0]) && Object.is(p.xyz[off + 3 * k + 1], want[k][1])).toBe(true);
      }
    }
  });
});

describe('parseGeoJSON memory', () => {
  it('a small document does not hold a 4 MiB packing buffer', () => {
    const fc = parseGeoJSON(new TextEncoder().encode('{"type":"LineString","coordinates":[[1,2],[3,4],[5,6]]}')) as unknown as { coordinates: { xyz: Float64Array } };
    expect(fc.coordinates.xyz.byteLength).toBeLessThan(1024);
  });
});
