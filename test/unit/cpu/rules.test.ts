// GDAL 3.6.2's burn rules (docs/pixel-rules.md) on tiny exact targets, expected rows as observed with
// the real gdal_rasterize, and replays of GDAL's own autotest cases.
import { describe, expect, it } from 'vitest';
import { NU, YD, burnArray, burnRows, checksum, wkt as parse, type TestGrid } from '../../shared/cpu-helpers.js';

const A = '(1 1,5 1,5 5,1 5,1 1)';
const B = '(3 3,7 3,7 7,3 7,3 3)';

type Mode = '' | 'at' | 'add' | 'at add';
// [pixel rule and case, features (WKT), grid, mode, expected rows top -> bottom]
const CASES: [string, string[], TestGrid, Mode, string][] = [
  // pixel rules P2-P7: pixel-centre rule, left-exclusive / right-inclusive, orientation-dependent rows
  ['P4 aligned square', ['POLYGON((1 1,4 1,4 4,1 4,1 1))'], YD(6, 6), '', '000000/011100/011100/011100/000000/000000'],
  ['P7 square on centres, y-down', ['POLYGON((1.5 1.5,3.5 1.5,3.5 3.5,1.5 3.5,1.5 1.5))'], YD(6, 6), '', '000000/001100/001100/000000/000000/000000'],
  ['F4 reversed ring', ['POLYGON((1.5 1.5,1.5 3.5,3.5 3.5,3.5 1.5,1.5 1.5))'], YD(6, 6), '', '000000/001100/001100/000000/000000/000000'],
  ['P7 square on centres, north-up', ['POLYGON((1.5 1.5,3.5 1.5,3.5 3.5,1.5 3.5,1.5 1.5))'], NU(6, 6), '', '000000/000000/001100/001100/001100/000000'],
  ['P7 reversed ring', ['POLYGON((1.5 1.5,1.5 3.5,3.5 3.5,3.5 1.5,1.5 1.5))'], NU(6, 6), '', '000000/000000/001100/001100/001100/000000'],
  ['P7 hole, north-up', ['POLYGON((0.5 0.5,7.5 0.5,7.5 7.5,0.5 7.5,0.5 0.5),(2.5 2.5,5.5 2.5,5.5 5.5,2.5 5.5,2.5 2.5))'], NU(8, 8), '',
    '01111111/01111111/01100011/01100011/01100011/01111111/01111111/01111111'],
  ['P7 hole, y-down', ['POLYGON((0.5 0.5,7.5 0.5,7.5 7.5,0.5 7.5,0.5 0.5),(2.5 2.5,5.5 2.5,5.5 5.5,2.5 5.5,2.5 2.5))'], YD(8, 8), '',
    '01111111/01111111/01111111/01100011/01100011/01111111/01111111/00000000'],
  ['P2 diamond on centres', ['POLYGON((4.5 0.5,7.5 3.5,4.5 6.5,1.5 3.5,4.5 0.5))'], YD(8, 8), '',
    '00000000/00001100/00011110/00111111/00011110/00001100/00000000/00000000'],
  ['P2 diamond, north-up', ['POLYGON((4.5 0.5,7.5 3.5,4.5 6.5,1.5 3.5,4.5 0.5))'], NU(8, 8), '',
    '00000000/00000000/00001100/00011110/00111111/00011110/00001100/00000000'],
  ['P2 apex on a centre', ['POLYGON((1 1,7 1,4.5 5.5,1 1))'], YD(8, 8), '',
    '00000000/01111110/00111100/00011100/00001000/00000000/00000000/00000000'],
  // pixel rules P5, F6: even-odd parity, multi-part semantics
  ['F6 multipolygon, replace = union', [`MULTIPOLYGON((${A}),(${B}))`], YD(8, 8), '',
    '00000000/01111000/01111000/01111110/01111110/00011110/00011110/00000000'],
  ['V1 two features', [`POLYGON(${A})`, `POLYGON(${B})`], YD(8, 8), '',
    '00000000/01111000/01111000/01111110/01111110/00011110/00011110/00000000'],
  ['F6 multipolygon, add = xor', [`MULTIPOLYGON((${A}),(${B}))`], YD(8, 8), 'add',
    '00000000/01111000/01111000/01100110/01100110/00011110/00011110/00000000'],
  ['P5 hole partly outside', [`POLYGON(${A},${B})`], YD(8, 8), '',
    '00000000/01111000/01111000/01100110/01100110/00011110/00011110/00000000'],
  ['P5 bowtie', ['POLYGON((0 0,8 8,8 0,0 8,0 0))'], YD(8, 8), '',
    '10000000/11000001/11100011/11110111/11110111/11100011/11000001/10000000'],
  ['F6 collection, replace = union', [`GEOMETRYCOLLECTION(POLYGON(${A}),POLYGON(${B}))`], YD(8, 8), '',
    '00000000/01111000/01111000/01111110/01111110/00011110/00011110/00000000'],
  ['F7 collection members by type', ['GEOMETRYCOLLECTION(POLYGON((1 1,3 1,3 3,1 3,1 1)),LINESTRING(0 7.5,7.9 7.5),POINT(6.5 1.5))'], YD(8, 8), '',
    '00000000/01100010/01100000/00000000/00000000/00000000/00000000/11111111'],
  ['P5 ring repeated as hole', [`POLYGON(${A},${A})`], YD(8, 8), '',
    '00000000/00000000/00000000/00000000/00000000/00000000/00000000/00000000'],
  ['P5 ring winding twice', ['POLYGON((1 1,7 1,7 7,1 7,1 2,6 2,6 6,2 6,2 1,1 1))'], YD(8, 8), '',
    '00000000/00111110/01000010/01000010/01000010/01000010/01111110/00000000'],
  // pixel rules L1-L4: Bresenham from the last vertex, floored endpoints, end pixel only on the last segment
  ['L1 line', ['LINESTRING(0.5 0.5,4.5 2.5)'], YD(6, 4), '', '100000/011000/000110/000000'],
  ['F5 reversed line', ['LINESTRING(4.5 2.5,0.5 0.5)'], YD(6, 4), '', '110000/001100/000010/000000'],
  ['L1 floor not round', ['LINESTRING(0.9 0.9,4.1 0.9)'], YD(6, 4), '', '111110/000000/000000/000000'],
  ['L2 two segments', ['LINESTRING(0.2 0.2,5.8 0.2,5.8 3.8)'], YD(7, 5), '', '1111110/0000010/0000010/0000010/0000000'],
  ['L2 zero-length line', ['LINESTRING(2.5 1.5,2.5 1.5)'], YD(6, 4), '', '000000/001000/000000/000000'],
  ['L1 line on x=2', ['LINESTRING(2 0,2 3)'], YD(6, 4), '', '001000/001000/001000/001000'],
  ['L1 line on y=1', ['LINESTRING(0 1,5 1)'], YD(6, 4), '', '000000/111111/000000/000000'],
  ['L3 end at x=W', ['LINESTRING(0.5 0.5,5 0.5)'], YD(5, 2), '', '11111/00000'],
  ['L3 line through the grid', ['LINESTRING(-3.5 1.5,8.5 1.5)'], YD(5, 2), '', '00000/11111'],
  ['L4 add, shared vertices once', ['LINESTRING(0.5 0.5,3.5 0.5,3.5 3.5,0.5 3.5)'], YD(5, 5), 'add', '11110/00010/00010/11110/00000'],
  ['L4 add, multilinestring crossing', ['MULTILINESTRING((0.5 2.5,4.5 2.5),(2.5 0.5,2.5 4.5))'], YD(5, 5), 'add', '00100/00100/11211/00100/00100'],
  ['L4 add, two features', ['LINESTRING(0.5 2.5,4.5 2.5)', 'LINESTRING(2.5 0.5,2.5 4.5)'], YD(5, 5), 'add', '00100/00100/11211/00100/00100'],
  ['L4 add, self-crossing', ['LINESTRING(0.5 2.5,4.5 2.5,2.5 0.5,2.5 4.5)'], YD(5, 5), 'add', '00100/00110/11211/00100/00100'],
  // pixel rules A1-A6: ALL_TOUCHED and its ADD bookkeeping
  ['A6 add + all touched', ['POLYGON((1.5 1.5,5.5 1.5,5.5 4.5,1.5 4.5,1.5 1.5))'], YD(7, 6), 'at add',
    '0000000/0233330/0111120/0111120/0111110/0000000'],
  ['A1 all touched', ['POLYGON((1.2 1.3,5.6 1.1,4.7 4.4,1.5 4.8,1.2 1.3))'], YD(7, 6), 'at', '0000000/0111110/0111110/0111110/0111100/0000000'],
  ['A1 plain', ['POLYGON((1.2 1.3,5.6 1.1,4.7 4.4,1.5 4.8,1.2 1.3))'], YD(7, 6), '', '0000000/0111100/0111100/0111100/0111000/0000000'],
  ['A3 aligned square, edges skipped', ['POLYGON((1 1,4 1,4 4,1 4,1 1))'], YD(6, 6), 'at', '000000/011100/011100/011100/000000/000000'],
  ['A3 same, north-up', ['POLYGON((1 1,4 1,4 4,1 4,1 1))'], NU(6, 6), 'at', '000000/000000/011100/011100/011100/000000'],
  ['A3 line on x=2 is walked', ['LINESTRING(2 0.5,2 3.5)'], YD(5, 4), 'at', '00100/00100/00100/00100'],
  ['A3 line on y=1 is walked', ['LINESTRING(0.5 1,4.5 1)'], YD(5, 4), 'at', '00000/11111/00000/00000'],
  ['A5 diagonal through corners', ['LINESTRING(0 0,4 4)'], YD(5, 5), 'at', '10000/01000/00100/00010/00000'],
  ['A5 same, reversed', ['LINESTRING(4 4,0 0)'], YD(5, 5), 'at', '10000/01000/00100/00010/00000'],
  ['A5 anti-diagonal staircase', ['LINESTRING(0 4,4 0)'], YD(5, 5), 'at', '00010/00110/01100/11000/10000'],
  ['A5 general stepping', ['LINESTRING(0.2 0.3,4.8 2.7)'], YD(5, 4), 'at', '11000/01110/00011/00000'],
  ['A1 tiny polygon', ['POLYGON((1.2 1.2,1.8 1.2,1.8 1.8,1.2 1.8,1.2 1.2))'], YD(4, 4), 'at', '0000/0100/0000/0000'],
  ['A4 near-vertical takes larger-x column', ['LINESTRING(1.995 0.5,2.004 3.5)'], YD(5, 4), 'at', '00100/00100/00100/00100'],
  ['A4 same, reversed', ['LINESTRING(2.004 3.5,1.995 0.5)'], YD(5, 4), 'at', '00100/00100/00100/00100'],
  ['A1 points ignore all touched', ['POINT(1.5 1.5)', 'POINT(3 2)'], YD(5, 4), 'at', '00000/01000/00010/00000'],
  ['A3 sliver thinner than 0.01 px on a georeferenced grid (3.6.2 result)', ['POLYGON((475439.996613325 424122.228740036,475439.996613325 424142.201761073,475446.914301362 424124.133743847,475439.996613325 424122.228740036))'],
    { width: 3, height: 5, transform: [475435, 5, 0, 424145, 0, -5] }, 'at', '110/010/010/011/111'],
  ['A3 edge 0.02 from the line is walked', ['POLYGON((1.98 0.5,3.5 0.5,3.5 2.5,1.98 2.5,1.98 0.5))'], YD(5, 3), 'at', '01110/01110/01110'],
  ['A3 edge 0.005 from the line is skipped', ['POLYGON((1.995 0.5,3.5 0.5,3.5 2.5,1.995 2.5,1.995 0.5))'], YD(5, 3), 'at', '01110/00110/01110'],
  ['A3 edge 1e-5 from the line is skipped', ['POLYGON((1.99999 0.5,3.5 0.5,3.5 2.5,1.99999 2.5,1.99999 0.5))'], YD(5, 3), 'at', '01110/00110/01110'],
  ['A4 floor(end) inclusive', ['POLYGON((2.5 0.5,4.5 0.5,4.5 2,2.5 2,2.5 0.5))'], YD(6, 4), 'at', '001110/001110/001010/000000'],
  ['A4 top edge ending on x = 4', ['POLYGON((2.5 0.5,4 0.5,4 2.5,2.5 2.5,2.5 0.5))'], YD(6, 4), 'at', '001110/001100/001110/000000'],
  ['A4 edges ending on x = 4 and y = 2', ['POLYGON((2.5 0.5,4 0.5,4 2,2.5 2,2.5 0.5))'], YD(6, 4), 'at', '001110/001100/001000/000000'],
  ['A3 aligned rectangle one row high', ['POLYGON((1 1,4 1,4 2,1 2,1 1))'], YD(6, 4), 'at', '000000/011100/000000/000000'],
  ['A4 vertical line ending on y=2', ['LINESTRING(2.5 0.5,2.5 2)'], YD(6, 4), 'at', '001000/001000/001000/000000'],
  ['A4 horizontal line ending on x=3', ['LINESTRING(0.5 1.5,3 1.5)'], YD(6, 4), 'at', '000000/111100/000000/000000'],
  ['A5 triangle with a diagonal edge', ['POLYGON((0.5 0.5,3 3,0.5 3,0.5 0.5))'], YD(5, 5), 'at', '10000/11000/11100/10000/00000'],
  ['both ends near different grid lines still skip', ['POLYGON((1.005 0.5,1.995 3.5,4 3.5,4 0.5,1.005 0.5))'], YD(6, 5), 'at', '011110/011100/001100/011110/000000'],
  ['A4 edge ending on a grid line', ['POLYGON((7.5 2.5,8 2.5,8 7.5,7.5 7.5,7.5 2.5))'], YD(10, 10), 'at',
    '0000000000/0000000000/0000000110/0000000100/0000000100/0000000100/0000000100/0000000110/0000000000/0000000000'],
  // GDAL's general-case walker does not check the column: a clip that degenerates on x = W burns
  // column W of row 0, which is column 0 of row 1 in GDAL's buffer (the 3 at row 1 col 0; pixel rule A5)
  ['walker column W aliasing', ['POLYGON((-1 8,7 0,6 13,-1 8))'], NU(6, 10), 'at add',
    '121111/311111/111111/111111/011111/001111/000111/000011/000001/000000'],
  // pixel rule L5: points
  ['L5 points on corners and edges', ['POINT(1 1)', 'POINT(3 0.5)', 'POINT(0.5 2)', 'POINT(4 3)', 'POINT(-0.0001 1)', 'POINT(3.9999 2.9999)'], YD(4, 3), '', '0001/0100/1001'],
  ['L5 point north-up', ['POINT(1 2)'], NU(4, 3), '', '0000/0100/0000'],
  ['L5 add, duplicate points', ['MULTIPOINT((0.5 0.5),(0.5 0.5),(0.7 0.2))', 'POINT(0.5 0.5)'], YD(2, 2), 'add', '40/00'],
  // pixel rule F6: collections in ADD go through the polygon path
  ['F6 add, collection line filled', ['GEOMETRYCOLLECTION(LINESTRING(0.5 0.5,6.5 0.5,6.5 3.5))'], YD(8, 5), 'add', '02222220/00011110/00000110/00000000/00000000'],
  ['F6 replace, collection line drawn', ['GEOMETRYCOLLECTION(LINESTRING(0.5 0.5,6.5 0.5,6.5 3.5))'], YD(8, 5), '', '11111110/00000010/00000010/00000010/00000000'],
  ['F6 add, collection point vanishes', ['GEOMETRYCOLLECTION(POLYGON((1 1,3 1,3 3,1 3,1 1)),LINESTRING(0 4.5,7.9 4.5),POINT(6.5 1.5))'], YD(8, 6), 'add',
    '00000000/01100000/01100000/00000000/11111111/00000000'],
  ['F6 A1 add + at, collection overlap', [`GEOMETRYCOLLECTION(POLYGON(${A}),POLYGON(${B}))`], YD(8, 8), 'at add',
    '00000000/01111000/01111000/01100110/01100110/00011110/00011110/00000000'],
  // pixel rule N1: int conversion, beyond 2^31 px nothing burns, or the wrong side
  ['N1 square at 3e9 burns nothing', ['POLYGON((-3e9 -3e9,3e9 -3e9,3e9 3e9,-3e9 3e9,-3e9 -3e9))'], YD(5, 4), '', '00000/00000/00000/00000'],
  ['N1 square at 2e9 burns all', ['POLYGON((-2e9 -2e9,2e9 -2e9,2e9 2e9,-2e9 2e9,-2e9 -2e9))'], YD(5, 4), 'at', '11111/11111/11111/11111'],
  ['N1 lines to 1e300 and -3e9', ['LINESTRING(2.5 1.5,1e300 1.5)', 'LINESTRING(-3e9 0.5,2.5 0.5)'], YD(5, 4), '', '11100/00000/00000/00000'],
  ['P7 zero-area polygon on a centre row', ['POLYGON((0.7 1.5,3.2 1.5,0.7 1.5))'], YD(5, 3), '', '00000/01100/00000'],
  ['P7 same, north-up', ['POLYGON((0.7 1.5,3.2 1.5,0.7 1.5))'], NU(5, 3), '', '00000/01100/00000'],
  ['P6 zero-area polygon off centre', ['POLYGON((0.7 1.2,3.2 1.2,0.7 1.2))'], YD(5, 3), '', '00000/00000/00000'],
  ['A2 unclosed ring: closing edge filled, not walked', ['POLYGON((0.5 0.3,4.5 2.7,0.5 2.7))'], YD(6, 4), 'at', '110000/011100/111110/000000'],
  ['A2 closed ring', ['POLYGON((0.5 0.3,4.5 2.7,0.5 2.7,0.5 0.3))'], YD(6, 4), 'at', '110000/111100/111110/000000'],
  ['N1 polygon to x=3e9 burns the wrong side', ['POLYGON((2.5 0.2,3e9 0.2,3e9 2.8,2.5 2.8,2.5 0.2))'], YD(6, 3), '', '111000/111000/111000'],
  ['N1 mirrored to -3e9', ['POLYGON((2.5 0.2,-3e9 0.2,-3e9 2.8,2.5 2.8,2.5 0.2))'], YD(6, 3), '', '111000/111000/111000'],
  ['N1 to 2e9', ['POLYGON((2.5 0.2,2e9 0.2,2e9 2.8,2.5 2.8,2.5 0.2))'], YD(6, 3), '', '000111/000111/000111'],
  ['N1 line to 3e9', ['LINESTRING(2.5 1.5,3e9 1.5)'], YD(6, 3), '', '000000/000000/000000'],
];

describe('pixel rules on tiny targets (GDAL 3.6.2 output)', () => {
  for (const [name, wkts, grid, mode, expected] of CASES) {
    it(name, () => {
      const got = burnRows(wkts, grid, { allTouched: mode.includes('at'), merge: mode.includes('add') ? 'add' : 'replace' });
      expect(got).toBe(expected);
    });
  }
});

describe('Z as burn value (pixel rule V7)', () => {
  // features burn value 1 by default in the helpers; -3d burns 0 + Z, so pass value 0 explicitly
  const burnZ = (wkts: string[], grid: TestGrid, allTouched = false, merge: 'replace' | 'add' = 'replace') =>
    Array.from(burnArray(wkts.map((w) => ({ geometry: parse(w), value: 0 })), grid, { burnZ: true, allTouched, merge }));

  it('points burn their own Z, 2-D points 0', () => {
    const got = burnZ(['POINT Z(0.5 0.5 7.25)', 'POINT(1.5 0.5)', 'POINT Z(2.5 0.5 3)', 'POINT Z(3.5 0.5 4)'], YD(4, 1));
    expect(got).toEqual([7.25, 0, 3, 4]);
  });
  it('Bresenham lines interpolate per pixel from the segment start', () => {
    expect(burnZ(['LINESTRING Z(0.5 0.5 0,8.5 0.5 80)'], YD(9, 1))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(burnZ(['LINESTRING Z(0.5 0.5 0,3.5 0.5 30,3.5 3.5 60)'], YD(4, 4))).toEqual([
      0, 10, 20, 30,
      0, 0, 0, 40,
      0, 0, 0, 50,
      0, 0, 0, 60,
    ]);
  });
  it('all touched lines sample Z at the pixel left edge', () => {
    expect(burnZ(['LINESTRING Z(0.5 0.5 0,8.5 0.5 80)'], YD(9, 1), true)).toEqual([-5, 5, 15, 25, 35, 45, 55, 65, 75]);
  });
  it('polygons burn the first vertex Z everywhere, with or without all touched', () => {
    for (const at of [false, true]) {
      for (const w of ['POLYGON Z((0.5 0.5 10,3.5 0.5 20,3.5 3.5 30,0.5 3.5 40,0.5 0.5 10))', 'POLYGON Z((0.5 0.5 10,0.5 3.5 40,3.5 3.5 30,3.5 0.5 20,0.5 0.5 10))']) {
        const got = burnZ([w], YD(5, 5), at);
        expect(new Set(got.filter((v) => v !== 0))).toEqual(new Set([10]));
      }
    }
  });
});

describe('GDAL autotest replays', () => {
  const gt1000: TestGrid = { width: 100, height: 100, transform: [1000, 1, 0, 1100, 0, -1] };
  const poly1 = 'POLYGON((1020 1030,1020 1045,1050 1045,1050 1030,1020 1030))';
  const line1 = 'LINESTRING(1000 1000, 1100 1050)';
  const zGeoms = [
    'POLYGON((1020 1030 40,1020 1045 30,1050 1045 20,1050 1030 35,1020 1030 40))',
    'POLYGON((1010 1046 85,1015 1055 35,1055 1060 26,1054 1048 35,1010 1046 85))',
    'POLYGON((1020 1076 190,1025 1085 35,1065 1090 26,1064 1078 35,1020 1076 190),(1023 1079 5,1061 1081 35,1062 1087 26,1028 1082 35,1023 1079 85))',
    'LINESTRING(1005 1000 10, 1100 1050 120)',
    'LINESTRING(1000 1000 150, 1095 1050 -5, 1080 1080 200)',
  ];
  const min = (a: ArrayLike<number>) => {
    let m = Infinity;
    for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
    return m;
  };
  const max = (a: ArrayLike<number>) => -min(Array.from(a, (v) => -v));
  const count = (a: ArrayLike<number>) => {
    let n = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
    return n;
  };

  it('rasterize_1: polygon + line, clamped burns', () => {
    const band = (v: number) => burnArray([{ geometry: parse(poly1), value: v }, { geometry: parse(line1), value: v }], gt1000, { dtype: 'uint8' });
    expect(checksum(band(220))).toBe(6452);
    expect(max(band(256))).toBe(255);
    expect(min(band(-1))).toBe(0);
  });
  it('rasterize_2: cutline.csv with ALL_TOUCHED', () => {
    const cutline = [
      'POLYGON((6.25 1.25,7.25 1.25,7.25 2.25,6.25 2.25,6.25 1.25))',
      'POLYGON((4.25 4.25,6.25 4.25,6.25 6.25,4.25 6.25,4.25 4.25))',
      'POLYGON((1.001 1.001,3.999 3.999,3.2 1.6,1.001 1.001))',
    ];
    const got = burnArray(cutline.map((w) => ({ geometry: parse(w), value: 220 })), NU(12, 12), { dtype: 'uint8', allTouched: true });
    expect(checksum(got)).toBe(121);
  });
  it('rasterize_3: BURN_VALUE_FROM=Z', () => {
    const got = burnArray(zGeoms.map((w) => ({ geometry: parse(w), value: 10 })), gt1000, { dtype: 'uint8', burnZ: true });
    expect(checksum(got)).toBe(15037);
  });
  it('rasterize_4: ATTRIBUTE', () => {
    const values = [50, 255, 60, 100, 180];
    const got = burnArray(zGeoms.map((w, i) => ({ geometry: parse(w), value: values[i] })), gt1000, { dtype: 'uint8' });
    expect(checksum(got)).toBe(16265);
  });
  it('rasterize_5: MERGE_ALG=ADD', () => {
    const geoms = [poly1, 'POLYGON((1045 1050,1055 1050,1055 1020,1045 1020,1045 1050))', line1, 'LINESTRING(1005 1000, 1000 1050)'];
    const band = (v: number) => burnArray(geoms.map((w) => ({ geometry: parse(w), value: v })), gt1000, { dtype: 'uint8', merge: 'add' });
    expect(checksum(band(110))).toBe(13022);
    expect(max(band(256))).toBe(255);
    expect(min(band(-1))).toBe(0);
  });
  it('rasterize_6: sliver on a 5000 x 5000 grid, once a hang (pixel counts measured on 3.6.2)', () => {
    const ring = [[467619.3681003512, 6039269.251774982], [468015.87270035164, 6094905.740674373], [499999.9999999999, 6094791.420974373],
      [500000.0, 6039154.226474982], [467619.3681003512, 6039269.251774982]];
    const grid: TestGrid = { width: 5000, height: 5000, transform: [499000, 0.4, 0, 6095000, 0, -0.4] };
    const geom = { type: 'Polygon' as const, coordinates: [ring] };
    expect(count(burnArray([geom], grid, { dtype: 'uint8', allTouched: true }))).toBe(11208806);
    expect(count(burnArray([geom], grid, { dtype: 'uint8' }))).toBe(11207545);
  });
  it('rasterize_7: square.csv, unclosed ring, ALL_TOUCHED -> one pixel', () => {
    expect(checksum(burnArray(['POLYGON((3 3,4 3,4 4,3 4,3 4))'], NU(12, 12), { dtype: 'uint8', allTouched: true }))).toBe(1);
  });
  it('merge_alg_add_multiple_segment_linestring', () => {
    const grid: TestGrid = { width: 10, height: 10, transform: [0, 20, 0, 100, 0, -10] };
    const lines = ['LINESTRING(0.5 0.5,100.5 50.5,199.5 99.5)', 'LINESTRING(30.5 40.5,30.5 70.5,50.5 70.5)'];
    expect(burnRows(lines, grid, { merge: 'add' })).toBe(
      '0000000001/0000000010/0110000100/0100001000/0100010000/0100100000/0001000000/0010000000/0100000000/1000000000');
    expect(burnRows(lines, grid, { merge: 'add', allTouched: true })).toBe(
      '0000000001/0000000011/0110001110/0100011000/0100110000/0101100000/0011000000/0110000000/1100000000/1000000000');
  });
  it('merge_alg_add_polygon: cw and ccw unit squares on centre lines', () => {
    const grid: TestGrid = { width: 5, height: 5, transform: [-0.125, 0.25, 0, 1.125, 0, -0.25] };
    for (const w of ['POLYGON((0 0,0 1,1 1,1 0,0 0))', 'POLYGON((0 0,1 0,1 1,0 1,0 0))']) {
      const got = burnArray([{ geometry: parse(w), value: 10 }], grid, { merge: 'add', dtype: 'uint8' });
      expect(Array.from(got)).toEqual(Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? 0 : 10)));
    }
  });
  it('bugfix_gh8437: horizontal edges and walker duplicates (3.6.2 checksums)', () => {
    const grid: TestGrid = { width: 15, height: 15, transform: [15, -1, 0, 15, 0, -1] };
    const cases: [string, { allTouched?: boolean; merge?: 'add' }, number, number][] = [];
    for (const w of ['POLYGON((12.5 2.5, 12.5 12.5, 2.5 12.5, 2.5 2.5, 12.5 2.5))', 'POLYGON((12.5 2.5, 2.5 2.5, 2.5 12.5, 12.5 12.5, 12.5 2.5))']) {
      cases.push([w, { merge: 'add', allTouched: true }, 1712, 240], [w, { allTouched: true }, 1727, 80], [w, { merge: 'add' }, 1437, 160], [w, {}, 1435, 80]);
    }
    const l = 'LINESTRING(12.5 2.5, 2.5 2.5, 2.5 12.5, 12.5 12.5, 12.5 2.5)';
    cases.push([l, { merge: 'add', allTouched: true }, 512, 160], [l, { allTouched: true }, 519, 80], [l, { merge: 'add' }, 512, 160], [l, {}, 519, 80]);
    for (const [w, o, sum, mx] of cases) {
      const got = burnArray([{ geometry: parse(w), value: 80 }], grid, { dtype: 'uint8', ...o });
      expect([checksum(got), max(got)], `${w} ${JSON.stringify(o)}`).toEqual([sum, mx]);
    }
  });
  it('bugfix_gh8918: four rectangles with one side on a grid line (3.6.2: 38, 38, 36, 36)', () => {
    const polys = [
      'POLYGON((7.5 2.5, 7.5 8.0, 2.5 8.0, 2.5 2.5, 7.5 2.5))',
      'POLYGON((8.0 2.5, 8.0 7.5, 2.5 7.5, 2.5 2.5, 8.0 2.5))',
      'POLYGON((7.5 2.0, 7.5 7.5, 2.5 7.5, 2.5 2.0, 7.5 2.0))',
      'POLYGON((7.5 2.5, 7.5 7.5, 2.0 7.5, 2.0 2.5, 7.5 2.5))',
    ];
    expect(polys.map((w) => checksum(burnArray([w], YD(10, 10), { dtype: 'uint8', allTouched: true })))).toEqual([38, 38, 36, 36]);
  });
  it('bugfix_gh12129 (3.6.2: 118)', () => {
    const w = 'POLYGON ((163899.27734375 167988.154296875,163909.339662057 167743.621912878,163628.300781257 167745.908203129,163661.337890632 167785.683593765,163700 167880,163780.000000007 167860.000000011,163835.751953125 167942.617187511,163899.27734375 167988.154296875))';
    const grid: TestGrid = { width: 20, height: 16, transform: [163600, 20, 0, 168000, 0, -20] };
    expect(checksum(burnArray([w], grid, { dtype: 'uint8', allTouched: true }))).toBe(118);
  });
  it('huge_geometry: a +/-1e300 square burns nothing on 3.6.2', () => {
    const w = 'POLYGON ((-1e300 -1e300,-1e300 1e300,1e300 1e300,1e300 -1e300,-1e300 -1e300))';
    expect(checksum(burnArray([w], YD(20, 20), { dtype: 'uint8', allTouched: true }))).toBe(0);
  });
  it('lib_100: no geotransform = identity', () => {
    const got = burnArray([{ geometry: parse('POLYGON((20 20,20 80,80 80,80 20,20 20))'), value: 255 }], YD(100, 100), { dtype: 'uint8' });
    expect(checksum(got)).toBe(44190);
  });
  it('lib_multipolygon equals its parts', () => {
    const grid: TestGrid = { width: 3, height: 2, transform: [-0.5, 1, 0, 1.5, 0, -1] };
    const mp = burnArray([{ geometry: parse('MULTIPOLYGON (((0 0,0 1,1 1,0 0)),((1 1,2 1,2 0,1 1)))'), value: 10 }], grid);
    const parts = burnArray([{ geometry: parse('POLYGON ((0 0,0 1,1 1,0 0))'), value: 10 }, { geometry: parse('POLYGON ((1 1,2 1,2 0,1 1))'), value: 10 }], grid);
    expect(Array.from(mp)).toEqual([0, 10, 10, 0, 0, 0]);
    expect(Array.from(parts)).toEqual(Array.from(mp));
  });
  it('test_gdal_rasterize 8: LINESTRING (0 0,5 5,10 0,10 10) -tr 1 1 -> 21 pixels', () => {
    const grid: TestGrid = { width: 11, height: 11, transform: [-0.5, 1, 0, 10.5, 0, -1] };
    expect(count(burnArray(['LINESTRING (0 0,5 5,10 0,10 10)'], grid))).toBe(21);
  });
  it('test_gdal_rasterize 5: points with values', () => {
    const pts: [string, number][] = [['POINT(0.5 0.5)', 1], ['POINT(0.5 2.5)', 2], ['POINT(2.5 2.5)', 3], ['POINT(2.5 0.5)', 4], ['POINT(1.5 1.5)', 5]];
    const got = burnArray(pts.map(([w, v]) => ({ geometry: parse(w), value: v })), NU(3, 3), { dtype: 'uint8' });
    expect(Array.from(got)).toEqual([2, 0, 3, 0, 5, 0, 1, 0, 4]);
  });
});
