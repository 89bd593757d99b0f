// Field typing of GeoJSON properties for -a (pixel rule F12); the strings' verdicts were read from
// OGR 3.6.2 (ogrinfo) and are fuzzed against it in test/oracle/date-fields.test.ts.
import { describe, expect, it } from 'vitest';
import { attributeType, dateKind, isOneShot } from '../../../src/features/field-type.js';
import { flattenFeatures } from '../../../src/features/flatten.js';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const feature = (x: number, properties: Record<string, unknown>) => ({ type: 'Feature' as const, properties, geometry: square(x) });
const grid = { width: 3, height: 1, transform: [0, 1, 0, 1, 0, -1] as [number, number, number, number, number, number] };

describe('dateKind', () => {
  it.each([
    ['2020-01-02', 'Date'], ['20-1-2', 'Date'], ['-2020/01/02', 'Date'], [' 2020-01-02 ', 'Date'], ['2020-01-02T', 'Date'],
    ['2020-01-02Zabc', 'Date'], ['2020-02-31', 'Date'], ['2020-01-02T03:04', 'DateTime'], ['2020-01-02  12:30', 'DateTime'],
    ['2020-01-02T03:04:60', 'DateTime'], ['2020-01-02T03:04:05+02:00xyz', 'DateTime'], ['12:30', 'Time'], ['1:2:3', 'Time'],
    ['12:30abc', 'Time'], ['12:30 +0200', 'Time'],
  ])('%j is a %s', (s, kind) => expect(dateKind(s)).toBe(kind));

  it.each(['2020', '12', '2020-13-01', '2020-01-32', '2020-00-00', '+2020-01-02', '32768-01-01', '2020--01-02', '2020-01-02T03',
    '2020-01-02 abc', '2020-01-02\t', '\t2020-01-02', '2020-01-02 T12:30', '24:00', '12:60', '12:30:61', '12:30:xx', '12:30:00-05', 'a12:30', ''])(
    '%j is text', (s) => expect(dateKind(s)).toBeNull());
});

describe('attributeType', () => {
  const fc = (values: unknown[]) => ({ type: 'FeatureCollection' as const, features: values.map((v, i) => feature(i, v === undefined ? {} : { a: v })) });
  it('merges the values as OGR does', () => {
    expect(attributeType(fc(['2020-01-02', null, undefined]), 'a')).toBe('Date');
    expect(attributeType(fc(['2020-01-02', '2020-01-02T03:04']), 'a')).toBe('DateTime');
    expect(attributeType(fc(['2020-01-02', '12:30']), 'a')).toBe('String');
    expect(attributeType(fc(['2020-01-02', 5]), 'a')).toBe('String');
    expect(attributeType(fc([1, 2.5]), 'a')).toBe('Real');
    expect(attributeType(fc([null]), 'a')).toBeNull();
  });
  it("takes a reader's field list over the values", () => {
    expect(attributeType({ ...fc(['2020-01-02']), fields: [{ name: 'a', type: 'String' }] } as never, 'a')).toBe('String');
  });
});

describe('flattenFeatures -a on typed fields', () => {
  const values = (input: unknown) => { const s = flattenFeatures(input as never, grid, { attribute: 'a' }); return Array.from(s.value.subarray(0, s.count)); };
  it('burns 0 for every feature of a date field, the atof prefix for a String one', () => {
    expect(values([feature(0, { a: '2020-01-02' }), feature(1, { a: '2021-05-06' })])).toEqual([0, 0]);
    expect(values([feature(0, { a: '2020-01-02' }), feature(1, { a: '7 up' })])).toEqual([2020, 7]);
    expect(values([feature(0, { a: true }), feature(1, { a: 'x' })])).toEqual([0, 0]);
    expect(values([feature(0, { a: true }), feature(1, { a: 2 })])).toEqual([1, 2]);
  });
  it('reads a generator once, typing it from all its features', () => {
    function* gen() { yield feature(0, { a: '2020-01-02' }); yield feature(1, { a: 'x' }); }
    const g = gen();
    expect(isOneShot(g as never)).toBe(true);
    expect(isOneShot([] as never)).toBe(false);
    expect(values(g)).toEqual([2020, 0]);
  });
});
