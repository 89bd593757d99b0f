// Field typing of GeoJSON properties for -a (pixel rule F13); the strings' verdicts were read from
// OGR 3.6.2 (ogrinfo) and are fuzzed against it in test/oracle/date-fields.test.ts.
import { describe, expect, it } from 'vitest';
import { dateKind, fieldType } from '../../../src/features/field-type.js';
import { flattenFeatures } from '../../../src/features/flatten.js';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const feature = (x: number, properties: Record<string, unknown>) => ({ type: 'Feature' as const, properties, geometry: square(x) });
const grid = { width: 3, height: 1, transform: [0, 1, 0, 1, 0, -1] as [number, number, number, number, number, number] };

describe('dateKind', () => {
  it.each([
    ['2020-01-02', 'date'], ['20-1-2', 'date'], ['-2020/01/02', 'date'], [' 2020-01-02 ', 'date'], ['2020-01-02T', 'date'],
    ['2020-01-02Zabc', 'date'], ['2020-02-31', 'date'], ['2020-01-02T03:04', 'datetime'], ['2020-01-02  12:30', 'datetime'],
    ['2020-01-02T03:04:60', 'datetime'], ['2020-01-02T03:04:05+02:00xyz', 'datetime'], ['12:30', 'time'], ['1:2:3', 'time'],
    ['12:30abc', 'time'], ['12:30 +0200', 'time'],
  ])('%j is a %s', (s, kind) => expect(dateKind(s)).toBe(kind));

  it.each(['2020', '12', '2020-13-01', '2020-01-32', '2020-00-00', '+2020-01-02', '32768-01-01', '2020--01-02', '2020-01-02T03',
    '2020-01-02 abc', '2020-01-02\t', '\t2020-01-02', '2020-01-02 T12:30', '24:00', '12:60', '12:30:61', '12:30:xx', '12:30:00-05', 'a12:30', ''])(
    '%j is text', (s) => expect(dateKind(s)).toBeNull());
});

describe('fieldType', () => {
  it('merges the values as OGR does', () => {
    expect(fieldType(['2020-01-02', null, undefined])).toBe('date');
    expect(fieldType(['2020-1-2', '2020-01-02T03:04'])).toBe('datetime');
    expect(fieldType(['2020-01-02', '12:30'])).toBe('string');
    expect(fieldType(['2020-01-02', 5])).toBe('string');
    expect(fieldType([1, 2.5])).toBe('real');
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
});
