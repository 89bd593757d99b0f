// The differential fixture corpus: a case name starts with the ids of the rules in docs/pixel-rules.md it
// pins (P4-..., F4-P7-...), or names the GDAL autotest case it replays (rasterize_2, lib_inverse, ...).
// `gdalRows` / `gdalNonZero` / `gdalChecksum` are GDAL 3.6.2's outputs, observed when the case was
// written; the harness checks GDAL against them so a mis-built case shows up as such.
import { readFileSync } from 'node:fs';
import { feature as F, ROOT, type DiffCase, type Feature, type GdalType, type GT, type RasterSpec } from './harness.js';
import { rng, tiePolygon } from './fuzz.js';

const TYPES: GdalType[] = ['Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Float32', 'Float64'];

// existing destinations: YD = world equals pixel space, y down (det>0); NU = ordinary north-up (det<0)
const YD = (width: number, height: number, more: Partial<RasterSpec> = {}): RasterSpec => ({ width, height, gt: [0, 1, 0, 0, 0, 1], ...more });
const NU = (width: number, height: number, more: Partial<RasterSpec> = {}): RasterSpec => ({ width, height, gt: [0, 1, 0, height, 0, -1], ...more });
const grid = (width: number, height: number, gt: GT | null, more: Partial<RasterSpec> = {}): RasterSpec => ({ width, height, gt, ...more });

const rect = (x0: number, y0: number, x1: number, y1: number) => `POLYGON((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0}))`;
const rectRev = (x0: number, y0: number, x1: number, y1: number) => `POLYGON((${x0} ${y0},${x0} ${y1},${x1} ${y1},${x1} ${y0},${x0} ${y0}))`;
const ring = (x0: number, y0: number, x1: number, y1: number) => `(${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0})`;
const fs = (...g: (string | unknown)[]): Feature[] => g.map((x) => F(x));
// one unit square per column on a 1-row grid, each with its own property value
const row = (values: unknown[], key = 'v'): Feature[] =>
  values.map((v, i) => F(rect(i, 0, i + 1, 1), v === undefined ? {} : { [key]: v }));

const cases: DiffCase[] = [];
const add = (c: DiffCase) => cases.push(c);

// ---------------------------------------------------------------- polygon fill, ties (pixel rules P1-P7)
add({ name: 'P4-aligned-square-yd', source: fs(rect(1, 1, 4, 4)), args: ['-burn', '1'], dst: YD(6, 6), gdalRows: '000000/011100/011100/011100/000000/000000' });
add({ name: 'P4-half-integer-square-yd', source: fs(rect(1.5, 1.5, 3.5, 3.5)), args: ['-burn', '1'], dst: YD(6, 6), gdalRows: '000000/001100/001100/000000/000000/000000' });
add({ name: 'F4-half-integer-square-reversed-yd', source: fs(rectRev(1.5, 1.5, 3.5, 3.5)), args: ['-burn', '1'], dst: YD(6, 6), gdalRows: '000000/001100/001100/000000/000000/000000' });
add({ name: 'P7-half-integer-square-nu', source: fs(rect(1.5, 1.5, 3.5, 3.5)), args: ['-burn', '1'], dst: NU(6, 6), gdalRows: '000000/000000/001100/001100/001100/000000' });
add({ name: 'P7-half-integer-square-reversed-nu', source: fs(rectRev(1.5, 1.5, 3.5, 3.5)), args: ['-burn', '1'], dst: NU(6, 6), gdalRows: '000000/000000/001100/001100/001100/000000' });
const HOLE = `POLYGON(${ring(0.5, 0.5, 7.5, 7.5)},${ring(2.5, 2.5, 5.5, 5.5)})`;
add({ name: 'P6-hole-rows-on-centres-nu', source: fs(HOLE), args: ['-burn', '1'], dst: NU(8, 8), gdalRows: '01111111/01111111/01100011/01100011/01100011/01111111/01111111/01111111' });
add({ name: 'P6-hole-rows-on-centres-yd', source: fs(HOLE), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: '01111111/01111111/01111111/01100011/01100011/01111111/01111111/00000000' });
const DIAMOND = 'POLYGON((4.5 0.5,7.5 3.5,4.5 6.5,1.5 3.5,4.5 0.5))';
add({ name: 'P2-diamond-vertices-on-centres-yd', source: fs(DIAMOND), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: '00000000/00001100/00011110/00111111/00011110/00001100/00000000/00000000' });
add({ name: 'P2-diamond-vertices-on-centres-nu', source: fs(DIAMOND), args: ['-burn', '1'], dst: NU(8, 8) });
add({ name: 'P2-triangle-apex-yd', source: fs('POLYGON((1 1,7 1,4.5 5.5,1 1))'), args: ['-burn', '1'], dst: YD(8, 8) });
add({ name: 'P6-P7-zero-area-on-centre-row-yd', source: fs('POLYGON((0.7 1.5,3.2 1.5,0.7 1.5))'), args: ['-burn', '1'], dst: YD(5, 3), gdalRows: '00000/01100/00000' });
add({ name: 'P6-P7-zero-area-on-centre-row-nu', source: fs('POLYGON((0.7 1.5,3.2 1.5,0.7 1.5))'), args: ['-burn', '1'], dst: NU(5, 3), gdalRows: '00000/01100/00000' });
add({ name: 'P6-zero-area-off-centre-row', source: fs('POLYGON((0.7 1.2,3.2 1.2,0.7 1.2))'), args: ['-burn', '1'], dst: YD(5, 3), gdalRows: '00000/00000/00000' });
add({ name: 'F9-unclosed-ring-closed-implicitly', source: fs({ type: 'Polygon', coordinates: [[[1, 1], [4, 1], [4.5, 4.5], [1, 4]]] }), args: ['-burn', '1'], dst: YD(6, 6) });
add({ name: 'F9-unclosed-ring-nu', source: fs({ type: 'Polygon', coordinates: [[[1.5, 1.5], [4.5, 1.5], [4.5, 4.5], [1.5, 4.5]]] }), args: ['-burn', '1'], dst: NU(6, 6) });

// ---------------------------------------------------------------- even-odd, multi-part (pixel rules P5, F6)
const A = rect(1, 1, 5, 5);
const B = rect(3, 3, 7, 7);
const UNION = '00000000/01111000/01111000/01111110/01111110/00011110/00011110/00000000';
const XOR = '00000000/01111000/01111000/01100110/01100110/00011110/00011110/00000000';
add({ name: 'F6-multipolygon-overlap-union', source: fs(`MULTIPOLYGON((${ring(1, 1, 5, 5)}),(${ring(3, 3, 7, 7)}))`), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: UNION });
add({ name: 'V1-two-features-union', source: fs(A, B), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: UNION });
add({ name: 'F6-multipolygon-overlap-add-xor', source: fs(`MULTIPOLYGON((${ring(1, 1, 5, 5)}),(${ring(3, 3, 7, 7)}))`), args: ['-burn', '1', '-add'], dst: YD(8, 8), gdalRows: XOR });
add({ name: 'F6-multipolygon-overlap-add-at', source: fs(`MULTIPOLYGON((${ring(1, 1, 5, 5)}),(${ring(3.5, 3.5, 7.5, 7.5)}))`), args: ['-burn', '1', '-add', '-at'], dst: YD(9, 9) });
add({ name: 'P5-overlapping-rings-xor', source: fs(`POLYGON(${ring(1, 1, 5, 5)},${ring(3, 3, 7, 7)})`), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: XOR });
add({ name: 'P5-bowtie', source: fs('POLYGON((0 0,8 8,8 0,0 8,0 0))'), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: '10000000/11000001/11100011/11110111/11110111/11100011/11000001/10000000' });
add({ name: 'P5-bowtie-nu-at', source: fs('POLYGON((0 0,8 8,8 0,0 8,0 0))'), args: ['-burn', '1', '-at'], dst: NU(8, 8) });
add({ name: 'F6-geometrycollection-union', source: fs(`GEOMETRYCOLLECTION(${A},${B})`), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: UNION });
add({ name: 'F6-geometrycollection-overlap-add', source: fs(`GEOMETRYCOLLECTION(${A},${B})`), args: ['-burn', '1', '-add'], dst: YD(8, 8), gdalRows: XOR });
add({ name: 'F6-geometrycollection-mixed', source: fs('GEOMETRYCOLLECTION(POLYGON((1 1,3 1,3 3,1 3,1 1)),LINESTRING(0 7.5,7.9 7.5),POINT(6.5 1.5))'), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: '00000000/01100010/01100000/00000000/00000000/00000000/00000000/11111111' });
add({ name: 'F6-geometrycollection-mixed-add', source: fs('GEOMETRYCOLLECTION(POLYGON((1 1,3 1,3 3,1 3,1 1)),LINESTRING(0 7.5,7.9 7.5),POINT(6.5 1.5))'), args: ['-burn', '1', '-add'], dst: YD(8, 8) });
add({ name: 'F6-geometrycollection-line-filled-add', source: fs('GEOMETRYCOLLECTION(LINESTRING(0.5 0.5,6.5 0.5,6.5 3.5))'), args: ['-burn', '1', '-add'], dst: YD(8, 5) });
add({ name: 'F6-geometrycollection-line-replace', source: fs('GEOMETRYCOLLECTION(LINESTRING(0.5 0.5,6.5 0.5,6.5 3.5))'), args: ['-burn', '1'], dst: YD(8, 5) });
add({ name: 'F6-geometrycollection-add-at', source: fs(`GEOMETRYCOLLECTION(${rect(1.5, 1.5, 5.5, 4.5)},LINESTRING(0.2 6.3,7.7 5.1),POINT(6.5 1.5))`), args: ['-burn', '1', '-add', '-at'], dst: YD(8, 8) });
add({ name: 'P5-ring-repeated-as-hole', source: fs(`POLYGON(${ring(1, 1, 5, 5)},${ring(1, 1, 5, 5)})`), args: ['-burn', '1'], dst: YD(8, 8), gdalRows: '00000000/00000000/00000000/00000000/00000000/00000000/00000000/00000000' });
add({ name: 'P5-ring-winding-twice', source: fs('POLYGON((1 1,7 1,7 7,1 7,1 2,6 2,6 6,2 6,2 1,1 1))'), args: ['-burn', '1'], dst: YD(8, 8) });
add({ name: 'P5-self-intersecting-star-nu', source: fs('POLYGON((4 0.5,5.5 7.5,0.5 2.5,7.5 2.5,2.5 7.5,4 0.5))'), args: ['-burn', '1'], dst: NU(8, 8) });
add({ name: 'P5-hole-outside-shell-xor', source: fs(`POLYGON(${ring(1, 1, 5, 5)},${ring(3.5, 2.5, 7.5, 4.5)})`), args: ['-burn', '1'], dst: NU(8, 6) });
add({ name: 'lib_multipolygon-equals-parts', source: fs('MULTIPOLYGON(((0 0,0 1,1 1,0 0)),((1 1,2 1,2 0,1 1)))'), args: ['-burn', '10'], dst: grid(3, 2, [-0.5, 1, 0, 1.5, 0, -1]), gdalRows: '0 10 10/0 0 0' });

// ---------------------------------------------------------------- lines (pixel rules F5, L1-L4, A3)
add({ name: 'F5-line-direction', source: fs('LINESTRING(0.5 0.5,4.5 2.5)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '100000/011000/000110/000000' });
add({ name: 'F5-line-direction-reversed', source: fs('LINESTRING(4.5 2.5,0.5 0.5)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '110000/001100/000010/000000' });
add({ name: 'L1-line-floor-not-round', source: fs('LINESTRING(0.9 0.9,4.1 0.9)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '111110/000000/000000/000000' });
add({ name: 'L2-multi-segment-line', source: fs('LINESTRING(0.2 0.2,5.8 0.2,5.8 3.8)'), args: ['-burn', '1'], dst: YD(7, 5), gdalRows: '1111110/0000010/0000010/0000010/0000000' });
add({ name: 'L2-zero-length-line', source: fs('LINESTRING(2.5 1.5,2.5 1.5)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '000000/001000/000000/000000' });
add({ name: 'L1-line-on-pixel-boundary-vertical', source: fs('LINESTRING(2 0,2 3)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '001000/001000/001000/001000' });
add({ name: 'L1-line-on-pixel-boundary-horizontal', source: fs('LINESTRING(0 1,5 1)'), args: ['-burn', '1'], dst: YD(6, 4), gdalRows: '000000/111111/000000/000000' });
add({ name: 'L1-line-on-pixel-boundaries-nu', source: fs('LINESTRING(2 0,2 3)', 'LINESTRING(0 1,5 1)', 'LINESTRING(0 0,4 4)'), args: ['-burn', '1'], dst: NU(6, 5) });
add({ name: 'L3-line-endpoint-at-width', source: fs('LINESTRING(0.5 0.5,5 0.5)'), args: ['-burn', '1'], dst: YD(5, 2), gdalRows: '11111/00000' });
add({ name: 'L3-line-clipped-both-ends', source: fs('LINESTRING(-3.5 1.5,8.5 1.5)'), args: ['-burn', '1'], dst: YD(5, 2), gdalRows: '00000/11111' });
add({ name: 'L3-line-clipped-phase-kept', source: fs('LINESTRING(-7.3 -2.1,11.6 6.9)', 'LINESTRING(12.2 -5.5,-3.1 7.7)'), args: ['-burn', '1'], dst: YD(7, 5) });
add({ name: 'L4-closed-line-add', source: fs('LINESTRING(0.5 0.5,3.5 0.5,3.5 3.5,0.5 3.5)'), args: ['-burn', '1', '-add'], dst: YD(4, 4) });
add({ name: 'L4-closed-ring-line-add', source: fs('LINESTRING(0.5 0.5,3.5 0.5,3.5 3.5,0.5 3.5,0.5 0.5)'), args: ['-burn', '1', '-add'], dst: YD(4, 4) });
add({ name: 'L4-multilinestring-crossing-add', source: fs('MULTILINESTRING((0.5 2.5,4.5 2.5),(2.5 0.5,2.5 4.5))'), args: ['-burn', '1', '-add'], dst: YD(5, 5), gdalRows: '00100/00100/11211/00100/00100' });
add({ name: 'L4-two-line-features-crossing-add', source: fs('LINESTRING(0.5 2.5,4.5 2.5)', 'LINESTRING(2.5 0.5,2.5 4.5)'), args: ['-burn', '1', '-add'], dst: YD(5, 5), gdalRows: '00100/00100/11211/00100/00100' });
add({ name: 'L4-self-crossing-line-add', source: fs('LINESTRING(0.5 2.5,4.5 2.5,2.5 0.5,2.5 4.5)'), args: ['-burn', '1', '-add'], dst: YD(5, 5) });
// GDAL autotest merge_alg_add_multiple_segment_linestring: shared vertices on a coarse grid
const TWO_LINES_COARSE = fs('LINESTRING(0.5 0.5,100.5 50.5,199.5 99.5)', 'LINESTRING(30.5 40.5,30.5 70.5,50.5 70.5)');
add({ name: 'L4-multi-segment-line-add', source: TWO_LINES_COARSE, args: ['-burn', '1', '-add'], dst: grid(10, 10, [0, 20, 0, 100, 0, -10]) });
add({ name: 'L4-A6-multi-segment-line-add-at', source: TWO_LINES_COARSE, args: ['-burn', '1', '-add', '-at'], dst: grid(10, 10, [0, 20, 0, 100, 0, -10]) });
add({ name: 'utilities-8-line-extent-checksum', source: fs('LINESTRING (0 0, 5 5, 10 0, 10 10)'), args: ['-tr', '1', '1', '-init', '0', '-burn', '1'], gdalChecksum: 21 });

// ---------------------------------------------------------------- points (pixel rule L5)
add({ name: 'L5-points-on-corners-and-edges-yd', source: fs('POINT(1 1)', 'POINT(3 0.5)', 'POINT(0.5 2)', 'POINT(4 3)', 'POINT(-0.0001 1)', 'POINT(3.9999 2.9999)'), args: ['-burn', '1'], dst: YD(4, 3), gdalRows: '0001/0100/1001' });
add({ name: 'L5-point-on-corner-nu', source: fs('POINT(1 2)'), args: ['-burn', '1'], dst: NU(4, 3), gdalRows: '0000/0100/0000' });
add({ name: 'L5-points-on-grid-edges-nu', source: fs('MULTIPOINT((0 0),(4 3),(4 0),(0 3),(2 0),(0 1.5),(3.9999999 0.0000001))'), args: ['-burn', '1'], dst: NU(4, 3) });
add({ name: 'L5-multipoint-duplicates-add', source: fs('MULTIPOINT((0.5 0.5),(0.5 0.5),(0.7 0.2))', 'POINT(0.5 0.5)'), args: ['-burn', '1', '-add'], dst: YD(2, 2), gdalRows: '40/00' });
add({ name: 'L5-points-unchanged-by-at', source: fs('POINT(1.5 1.5)', 'POINT(3 2)'), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalRows: '00000/01000/00010/00000' });
add({ name: 'utilities-5-points-attribute-byte', source: [F('POINT(0.5 0.5)', { Value: 1 }), F('POINT(0.5 2.5)', { Value: 2 }), F('POINT(2.5 2.5)', { Value: 3 }), F('POINT(2.5 0.5)', { Value: 4 }), F('POINT(1.5 1.5)', { Value: 5 })], args: ['-a', 'Value', '-tr', '1', '1', '-ot', 'Byte'], gdalRows: '203/050/104' });
add({ name: 'G2-multipoint-extent-grown-by-half-pixel', source: fs('MULTIPOINT((0 0),(10 0),(10 10))'), args: ['-burn', '1', '-tr', '1', '1'] });

// ---------------------------------------------------------------- all touched (pixel rules A1-A6)
add({ name: 'A3-at-aligned-square-yd', source: fs(rect(1, 1, 4, 4)), args: ['-burn', '1', '-at'], dst: YD(6, 6), gdalRows: '000000/011100/011100/011100/000000/000000' });
add({ name: 'A3-at-aligned-square-nu', source: fs(rect(1, 1, 4, 4)), args: ['-burn', '1', '-at'], dst: NU(6, 6), gdalRows: '000000/000000/011100/011100/011100/000000' });
add({ name: 'A3-at-line-on-boundary-vertical', source: fs('LINESTRING(2 0.5,2 3.5)'), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalRows: '00100/00100/00100/00100' });
add({ name: 'A3-at-line-on-boundary-horizontal', source: fs('LINESTRING(0.5 1,4.5 1)'), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalRows: '00000/11111/00000/00000' });
add({ name: 'A5-at-diagonal-through-corners', source: fs('LINESTRING(0 0,4 4)'), args: ['-burn', '1', '-at'], dst: YD(5, 5), gdalRows: '10000/01000/00100/00010/00000' });
add({ name: 'A5-at-diagonal-through-corners-reversed', source: fs('LINESTRING(4 4,0 0)'), args: ['-burn', '1', '-at'], dst: YD(5, 5), gdalRows: '10000/01000/00100/00010/00000' });
add({ name: 'A5-at-anti-diagonal-staircase', source: fs('LINESTRING(0 4,4 0)'), args: ['-burn', '1', '-at'], dst: YD(5, 5), gdalRows: '00010/00110/01100/11000/10000' });
add({ name: 'A5-at-general-line', source: fs('LINESTRING(0.2 0.3,4.8 2.7)'), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalRows: '11000/01110/00011/00000' });
add({ name: 'A1-at-tiny-square-inside-pixel', source: fs('POLYGON((1.2 1.2,1.8 1.2,1.8 1.8,1.2 1.8,1.2 1.2))'), args: ['-burn', '1', '-at'], dst: YD(4, 4), gdalRows: '0000/0100/0000/0000' });
add({ name: 'A3-A4-at-near-vertical-line', source: fs('LINESTRING(1.995 0.5,2.004 3.5)', 'LINESTRING(2.004 3.5,1.995 0.5)'), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalRows: '00100/00100/00100/00100' });
for (const [x, want] of [[1.98, '01110/01110/01110'], [1.995, '01110/00110/01110'], [1.9999, '01110/00110/01110']] as const) {
  add({ name: `A3-at-edge-near-grid-line-x${x}`, source: fs(`POLYGON((${x} 0.5,3.5 0.5,3.5 2.5,${x} 2.5,${x} 0.5))`), args: ['-burn', '1', '-at'], dst: YD(5, 3), gdalRows: want });
}
add({ name: 'A3-at-sliver-near-vertical', source: fs('POLYGON((475439.996613325 424122.228740036,475439.996613325 424142.201761073,475446.914301362 424124.133743847,475439.996613325 424122.228740036))'), args: ['-burn', '1', '-at'], dst: grid(3, 5, [475435, 5, 0, 424145, 0, -5]), gdalRows: '110/010/010/011/111' });
add({ name: 'A4-at-edge-ends-on-grid-line', source: fs('POLYGON((2.5 0.5,4.5 0.5,4.5 2,2.5 2,2.5 0.5))'), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '001110/001110/001010/000000' });
add({ name: 'A4-at-right-edge-on-grid-line', source: fs(rect(2.5, 0.5, 4, 2.5)), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '001110/001100/001110/000000' });
add({ name: 'A4-at-two-edges-on-grid-lines', source: fs(rect(2.5, 0.5, 4, 2)), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '001110/001100/001000/000000' });
add({ name: 'A3-at-aligned-rectangle', source: fs(rect(1, 1, 4, 2)), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '000000/011100/000000/000000' });
add({ name: 'A4-at-vertical-line-ends-on-grid-line', source: fs('LINESTRING(2.5 0.5,2.5 2)'), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '001000/001000/001000/000000' });
add({ name: 'A4-at-horizontal-line-ends-on-grid-line', source: fs('LINESTRING(0.5 1.5,3 1.5)'), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '000000/111100/000000/000000' });
add({ name: 'A5-at-triangle-diagonal', source: fs('POLYGON((0.5 0.5,3 3,0.5 3,0.5 0.5))'), args: ['-burn', '1', '-at'], dst: YD(5, 5), gdalRows: '10000/11000/11100/10000/00000' });
['POLYGON((7.5 2.5,7.5 8.0,2.5 8.0,2.5 2.5,7.5 2.5))', 'POLYGON((8.0 2.5,8.0 7.5,2.5 7.5,2.5 2.5,8.0 2.5))', 'POLYGON((7.5 2.0,7.5 7.5,2.5 7.5,2.5 2.0,7.5 2.0))', 'POLYGON((7.5 2.5,7.5 7.5,2.0 7.5,2.0 2.5,7.5 2.5))'].forEach((w, i) => {
  add({ name: `A4-at-side-on-integer-${i + 1}`, source: fs(w), args: ['-burn', '1', '-at'], dst: YD(10, 10), gdalNonZero: [38, 38, 36, 36][i] });
});
add({ name: 'A1-at-georeferenced-polygon-7-vertices', source: fs('POLYGON((163899.27734375 167988.154296875,163909.339662057 167743.621912878,163628.300781257 167745.908203129,163661.337890632 167785.683593765,163700 167880,163780.000000007 167860.000000011,163835.751953125 167942.617187511,163899.27734375 167988.154296875))'), args: ['-burn', '1', '-at'], dst: grid(20, 16, [163600, 20, 0, 168000, 0, -20]), gdalNonZero: 118 });
add({ name: 'N1-huge_geometry-at-1e300', source: fs(rect(-1e300, -1e300, 1e300, 1e300)), args: ['-burn', '1', '-at'], dst: YD(20, 20), gdalNonZero: 0 });
add({ name: 'A6-at-add-rectangle-yd', source: fs(rect(1.5, 1.5, 5.5, 4.5)), args: ['-burn', '1', '-add', '-at'], dst: YD(7, 6), gdalRows: '0000000/0233330/0111120/0111120/0111110/0000000' });
// A6's chains of merge 'add' (a segment skips what the previous one burned, so a pixel shared by
// several consecutive segments alternates): spikes back over the previous segment, a zigzag inside
// one pixel, back-and-forth along a row and a column, corners and 1e-9 beside them, an open ring
// and a hole, a multi-part line leaving the grid; into every integer type, saturating and negative
const ZIG = Array.from({ length: 21 }, (_, k) => `${10.2 + (k % 2) * 0.5} ${10.3 + (k % 3) * 0.2}`).join(',');
const A6_CHAINS = fs(
  'LINESTRING(3.3 4.1,30.7 20.2,3.3 4.1,3.3 25.5)',
  'POLYGON((5 5,28.5 5.5,5 5,5 25,20 25,5 5))',
  `LINESTRING(${ZIG},25.5 23.5)`,
  `POLYGON((${ZIG},10.2 10.3))`,
  'LINESTRING(1.5 28.5,30.5 28.6,2.5 28.4,28.5 28.5,28.5 1.5,28.6 26.5,28.4 3.5)',
  'LINESTRING(2 2,14 14,2 2.000000001,14.000000001 0)',
  'POLYGON((16.000000001 16,23 9.000000001,30 16,23 22.999999999,16.000000001 16))',
  { type: 'Polygon', coordinates: [[[2.5, 16.5], [8.5, 19.5], [5.5, 26.5], [1.5, 22.5]], [[3.5, 19.5], [6.5, 20.5], [4.5, 23.5], [3.5, 19.5]]] },
  { type: 'MultiLineString', coordinates: [[[31, 3.5], [20, -6], [31, 12.5], [40, 40]], [[-5, 25], [17, -3], [17.5, 40]]] },
);
for (const [t, burn, grid] of [['Byte', '1', 'yd'], ['Byte', '200', 'nu'], ['Int16', '-9000', 'yd'], ['UInt16', '7', 'nu'], ['Int32', '-3', 'nu'], ['UInt32', '5', 'yd']] as const) {
  add({ name: `A6-D10-at-add-chains-${t}-${burn}-${grid}`, source: A6_CHAINS, args: ['-burn', burn, '-add', '-at'], dst: (grid === 'yd' ? YD : NU)(31, 30, { type: t, fill: 'ramp' }) });
}
const QUAD = 'POLYGON((1.2 1.3,5.6 1.1,4.7 4.4,1.5 4.8,1.2 1.3))';
add({ name: 'A1-at-quad', source: fs(QUAD), args: ['-burn', '1', '-at'], dst: YD(7, 6), gdalRows: '0000000/0111110/0111110/0111110/0111100/0000000' });
add({ name: 'A1-plain-quad', source: fs(QUAD), args: ['-burn', '1'], dst: YD(7, 6), gdalRows: '0000000/0111100/0111100/0111100/0111000/0000000' });
add({ name: 'A2-at-unclosed-ring', source: fs({ type: 'Polygon', coordinates: [[[0.5, 0.3], [4.5, 2.7], [0.5, 2.7]]] }), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '110000/011100/111110/000000' });
add({ name: 'A2-at-closed-ring', source: fs({ type: 'Polygon', coordinates: [[[0.5, 0.3], [4.5, 2.7], [0.5, 2.7], [0.5, 0.3]]] }), args: ['-burn', '1', '-at'], dst: YD(6, 4), gdalRows: '110000/111100/111110/000000' });
add({ name: 'rasterize_7-at-unclosed-snapped-square', source: fs({ type: 'Polygon', coordinates: [[[3, 3], [4, 3], [4, 4], [3, 4], [3, 4]]] }), args: ['-burn', '1', '-at'], dst: NU(12, 12), gdalChecksum: 1 });
add({ name: 'rasterize_2-at-cutline', source: fs('POLYGON((6.25 1.25,7.25 1.25,7.25 2.25,6.25 2.25,6.25 1.25))', 'POLYGON((4.25 4.25,6.25 4.25,6.25 6.25,4.25 6.25,4.25 4.25))', 'POLYGON((1.001 1.001,3.999 3.999,3.2 1.6,1.001 1.001))'), args: ['-burn', '220', '-at'], dst: NU(12, 12), gdalChecksum: 121 });
add({ name: 'rasterize_6-at-large-polygon-5000x5000', source: fs('POLYGON((467619.368100351 6039269.25177498,468015.872700352 6094905.74067437,500000 6094791.42097437,500000 6039154.22647498,467619.368100351 6039269.25177498))'), args: ['-burn', '1', '-at'], dst: grid(5000, 5000, [499000, 0.4, 0, 6095000, 0, -0.4]) });
add({ name: 'A1-at-float32-multipolygon', source: fs({ type: 'MultiPolygon', coordinates: [[[[680334.22538978618104, 5128367.892639194615185], [680812.384837608668022, 5128326.164302133023739], [681291.53140685800463, 5128418.05398784019053], [681317.43234931351617, 5125828.967085248790681], [680424.775291706551798, 5125830.598540099337697], [680334.22538978618104, 5128367.892639194615185]]]] }), args: ['-burn', '1', '-at'], dst: grid(98, 259, [680334.2253897862, 10.032724076809542, 0, 5128418.05398784, 0, -9.996474527379922], { type: 'Float32' }) });

// GDAL autotest bugfix_gh8437: negative pixel width, cw/ccw polygon and closed line, in all four modes
// (checksums as GDAL 3.6.2 gives them)
const NEG_WIDTH: [string, string][] = [
  ['cw', 'POLYGON((12.5 2.5,12.5 12.5,2.5 12.5,2.5 2.5,12.5 2.5))'],
  ['ccw', 'POLYGON((12.5 2.5,2.5 2.5,2.5 12.5,12.5 12.5,12.5 2.5))'],
  ['line', 'LINESTRING(12.5 2.5,2.5 2.5,2.5 12.5,12.5 12.5,12.5 2.5)'],
];
const NEG_WIDTH_MODES: [string, string[]][] = [['add-at', ['-add', '-at']], ['at', ['-at']], ['add', ['-add']], ['plain', []]];
for (const [gname, g] of NEG_WIDTH) {
  for (const [mname, m] of NEG_WIDTH_MODES) {
    const line = gname === 'line';
    const sum = line ? (m.includes('-add') ? 512 : 519) : { 'add-at': 1712, at: 1727, add: 1437, plain: 1435 }[mname];
    add({ name: `P7-A6-negative-width-${gname}-${mname}`, source: fs(g), args: ['-burn', '80', ...m], dst: grid(15, 15, [15, -1, 0, 15, 0, -1]), gdalChecksum: sum });
  }
}
add({ name: 'P7-add-unit-square-edges-on-centres', source: fs('POLYGON((0 0,0 1,1 1,1 0,0 0))', 'POLYGON((0 0,1 0,1 1,0 1,0 0))'), args: ['-burn', '10', '-add'], dst: grid(5, 5, [-0.125, 0.25, 0, 1.125, 0, -0.25]), gdalRows: Array(5).fill('0 20 20 20 20').join('/') });

// ---------------------------------------------------------------- one shape set on six grid orientations, four modes
// 3x3 cells of 8 world units; vertices on half-integers so edges and vertices sit on pixel centres or boundaries
const CELL_SHAPES = [
  rect(1.5, 1.5, 5.5, 4.5),
  HOLE,
  DIAMOND,
  'POLYGON((0 0,8 8,8 0,0 8,0 0))',
  QUAD,
  'POLYGON((1 1,7 1,4.5 5.5,1 1))',
  'POLYGON((0.7 1.5,3.2 1.5,0.7 1.5))',
  'POLYGON((1 1,7 1,7 7,1 7,1 2,6 2,6 6,2 6,2 1,1 1))',
  'MULTILINESTRING((0.5 0.5,4.5 2.5,6.5 6.5),(7.5 0.5,0.5 7.25))',
];
function shifted(w: string, dx: number, dy: number): string {
  return w.replace(/(-?[\d.e+]+) (-?[\d.e+]+)/g, (_, x, y) => `${Number(x) + dx} ${Number(y) + dy}`);
}
const CELLS = fs(...CELL_SHAPES.map((w, i) => shifted(w, (i % 3) * 8, Math.floor(i / 3) * 8)));
const ORIENTATIONS: [string, RasterSpec][] = [
  ['yd', grid(24, 24, [0, 1, 0, 0, 0, 1])],
  ['nu', grid(24, 24, [0, 1, 0, 24, 0, -1])],
  ['flip-x-nu', grid(24, 24, [24, -1, 0, 24, 0, -1])],
  ['flip-x-yd', grid(24, 24, [24, -1, 0, 0, 0, 1])],
  ['quarter-offset-half-pixel', grid(50, 50, [-0.25, 0.5, 0, 24.25, 0, -0.5])],
  ['fractional-origin', grid(56, 56, [-3.25, 0.5, 0, 12.5, 0, -0.5])],
];
const MODES: [string, string[]][] = [['plain', []], ['at', ['-at']], ['add', ['-add']], ['at-add', ['-at', '-add']]];
for (const [oname, spec] of ORIENTATIONS) {
  for (const [mname, m] of MODES) {
    add({ name: `F4-P7-orientation-${oname}-${mname}`, source: CELLS, args: ['-burn', '1', ...m], dst: spec });
  }
}

// ---------------------------------------------------------------- -3d (pixel rule V7)
add({ name: 'V7-3d-points', source: fs('POINT(0.5 0.5 7.25)', 'POINT(1.5 0.5)', 'POINT(2.5 0.5 3)', 'POINT(3.5 0.5 4)'), args: ['-3d'], dst: YD(4, 1, { type: 'Float64', fill: -1 }), gdalRows: '7.25 0 3 4' });
add({ name: 'V7-3d-line-interpolated', source: fs('LINESTRING(0.5 0.5 0,8.5 0.5 80)'), args: ['-3d'], dst: YD(9, 1, { type: 'Float64', fill: -1 }), gdalRows: '0 10 20 30 40 50 60 70 80' });
add({ name: 'V7-3d-line-at-left-edge-sampling', source: fs('LINESTRING(0.5 0.5 0,8.5 0.5 80)'), args: ['-3d', '-at'], dst: YD(9, 1, { type: 'Float64', fill: -1 }), gdalRows: '-5 5 15 25 35 45 55 65 75' });
add({ name: 'V7-3d-diagonal-line-at', source: fs('LINESTRING(0.2 0.3 0,4.8 2.7 46)'), args: ['-3d', '-at'], dst: YD(5, 3, { type: 'Float64', fill: -1 }) });
add({ name: 'V7-3d-multi-segment-line', source: fs('LINESTRING(0.5 0.5 0,3.5 0.5 30,3.5 3.5 60)'), args: ['-3d'], dst: YD(4, 4, { type: 'Float64', fill: -1 }) });
add({ name: 'V7-3d-polygon-first-vertex-z', source: fs('POLYGON((0.5 0.5 10,3.5 0.5 20,3.5 3.5 30,0.5 3.5 40,0.5 0.5 10))'), args: ['-3d'], dst: YD(5, 5, { type: 'Float64', fill: -1 }) });
add({ name: 'V7-3d-polygon-first-vertex-z-reversed-at', source: fs('POLYGON((0.5 0.5 10,0.5 3.5 40,3.5 3.5 30,3.5 0.5 20,0.5 0.5 10))'), args: ['-3d', '-at'], dst: YD(5, 5, { type: 'Float64', fill: -1 }) });
add({ name: 'V7-3d-polygon-nu-ccw-first-vertex', source: fs('POLYGON((3.5 0.5 20,3.5 3.5 30,0.5 3.5 40,0.5 0.5 10,3.5 0.5 20))'), args: ['-3d'], dst: NU(5, 5, { type: 'Float64', fill: -1 }) });
add({ name: 'V7-3d-add-int16', source: fs('LINESTRING(0.5 0.5 1.5,7.5 3.5 9.25)', 'POINT(2.5 1.5 -3.5)', 'POLYGON((1 1 2.5,6 1 9,6 3 9,1 1 2.5))'), args: ['-3d', '-add'], dst: YD(8, 4, { type: 'Int16' }) });
const RAST3 = ['POLYGON((1020 1030 40,1020 1045 30,1050 1045 20,1050 1030 35,1020 1030 40))', 'POLYGON((1010 1046 85,1015 1055 35,1055 1060 26,1054 1048 35,1010 1046 85))', 'POLYGON((1020 1076 190,1025 1085 35,1065 1090 26,1064 1078 35,1020 1076 190),(1023 1079 5,1061 1081 35,1062 1087 26,1028 1082 35,1023 1079 85))', 'LINESTRING(1005 1000 10,1100 1050 120)', 'LINESTRING(1000 1000 150,1095 1050 -5,1080 1080 200)'];
add({ name: 'rasterize_3-3d-polygons-and-lines', source: fs(...RAST3), args: ['-3d'], dst: grid(100, 100, [1000, 1, 0, 1100, 0, -1]) });
add({ name: 'rasterize_4-attribute-celsius', source: RAST3.map((w, i) => F(w, { CELSIUS: [50, 255, 60, 100, 180][i] })), args: ['-a', 'CELSIUS'], dst: grid(100, 100, [1000, 1, 0, 1100, 0, -1]), gdalChecksum: 16265 });
add({ name: 'F8-z-ignored-without-3d', source: fs('POLYGON((1 1 5,4 1 6,4 4 7,1 4 8,1 1 5))', 'LINESTRING(0.5 5.5 3,5.5 5.5 9)'), args: ['-burn', '2'], dst: YD(6, 6) });

// ---------------------------------------------------------------- merge, burn order (pixel rules V1, V2, V6)
add({ name: 'V1-last-feature-wins', source: [F(rect(0, 0, 2, 1), { v: 1 }), F(rect(1, 0, 3, 1), { v: 2 })], args: ['-a', 'v'], dst: YD(3, 1), gdalRows: '122' });
add({ name: 'V1-last-feature-wins-reversed', source: [F(rect(1, 0, 3, 1), { v: 2 }), F(rect(0, 0, 2, 1), { v: 1 })], args: ['-a', 'v'], dst: YD(3, 1), gdalRows: '112' });
add({ name: 'V2-add-0.5-three-times-byte', source: fs(rect(0, 0, 1, 1), rect(0, 0, 1, 1), rect(0, 0, 1, 1)), args: ['-burn', '0.5', '-add'], dst: YD(1, 1), gdalRows: '3' });
add({ name: 'V2-add-0.4-three-times-byte', source: fs(rect(0, 0, 1, 1), rect(0, 0, 1, 1), rect(0, 0, 1, 1)), args: ['-burn', '0.4', '-add'], dst: YD(1, 1), gdalRows: '0' });
add({ name: 'V2-add-200-twice-clamps', source: fs(rect(0, 0, 1, 1), rect(0, 0, 1, 1)), args: ['-burn', '200', '-add'], dst: YD(1, 1), gdalRows: '255' });
add({ name: 'V2-add-minus-one-twice-from-5', source: fs(rect(0, 0, 1, 1), rect(0, 0, 1, 1)), args: ['-burn', '-1', '-add'], dst: YD(1, 1, { fill: 5 }), gdalRows: '3' });
// per type: fractional and clamping burns accumulate with a conversion after every visit
const ADD_VALUES = [0.5, 0.5, 0.4, -0.6, 2.5, 200, 200, -1e10, 1e10, 0.49999999999999994];
for (const t of TYPES) {
  add({
    name: `V2-add-fractional-attribute-per-visit-${t}`,
    source: ADD_VALUES.map((v, i) => F(rect(i % 3, 0, 10, 1), { v })),
    args: ['-a', 'v', '-add'],
    dst: YD(10, 1, { type: t, fill: 5 }),
  });
  add({ name: `V2-add-burn-0.5-three-features-${t}`, source: fs(rect(0, 0, 3, 1), rect(1, 0, 3, 1), rect(2, 0, 3, 1)), args: ['-burn', '0.5', '-add'], dst: YD(4, 1, { type: t }) });
  add({ name: `V2-add-at-boundary-visits-0.4-${t}`, source: fs(rect(1.5, 1.5, 5.5, 4.5)), args: ['-burn', '0.4', '-add', '-at'], dst: YD(7, 6, { type: t }) });
}
add({ name: 'V6-add-onto-nodata', source: fs(rect(1, 0, 3, 1)), args: ['-burn', '1', '-add'], dst: YD(4, 1, { type: 'Int16', fill: -9999, nodata: -9999 }), gdalRows: '-9999 -9998 -9998 -9999' });
add({ name: 'V6-burn-equal-to-nodata', source: fs(rect(1, 0, 3, 1)), args: ['-burn', '-9999'], dst: YD(4, 1, { type: 'Int16', fill: 7, nodata: -9999 }), gdalRows: '7 -9999 -9999 7' });

// ---------------------------------------------------------------- value conversion per -ot (pixel rules V3, V4, G6)
// every -ot with edge values through -a (one column per value) and through -burn (one 1x1 raster per value)
const EDGE_VALUES = [2.5, 3.5, -0.5, -1.5, -2.5, 0.49999, 0.49999999999999994, 255.5, 256, 300, -300, 1e10, -1e10, 65535.5, 2.4999999999, -0.4, 32767.5, -32768.5, 2147483646.5, -2147483648.4, 4294967294.5, 4294967295, 16777217, 1.0000001, 3.4028235e38, 1e39, -1e39];
for (const t of TYPES) {
  add({ name: `V3-ot-${t}-attribute-edge-values`, source: row(EDGE_VALUES), args: ['-a', 'v', '-ot', t, '-te', '0', '0', String(EDGE_VALUES.length), '1', '-ts', String(EDGE_VALUES.length), '1'] });
  // string attributes go through C atof, which is how NaN and infinities reach every type
  const strs = ['nan', 'inf', '-inf', '-nan', '1e400', '-1e400', '0x7fffffff'];
  add({ name: `V3-F10-ot-${t}-attribute-nan-inf-strings`, source: row(strs), args: ['-a', 'v', '-ot', t, '-te', '0', '0', String(strs.length), '1', '-ts', String(strs.length), '1'] });
}
// -burn parses its value itself: special spellings once per kind of type
for (const t of ['Byte', 'Int32', 'Float32', 'Float64'] as const) {
  for (const v of ['nan', 'inf', '-inf', '0.49999999999999994', '-0.5']) {
    add({ name: `V3-ot-${t}-burn-${v}`, source: fs(rect(0, 0, 1, 1)), args: ['-burn', v, '-ot', t, '-te', '0', '0', '1', '1', '-ts', '1', '1'] });
  }
}
// GDAL turns any double above FLT_MAX into +inf, even one that rounds to FLT_MAX (measured on 3.6.2)
for (const v of ['3.4028234663852886e38', '3.4028234663852889e38', '3.4028235e38', '-3.4028235e38']) {
  add({ name: `V4-float32-overflow-${v}`, source: fs(rect(0, 0, 1, 1)), args: ['-burn', v, '-ot', 'Float32', '-te', '0', '0', '1', '1', '-ts', '1', '1'] });
}
add({ name: 'V4-float32-add-overflow', source: fs(rect(0, 0, 1, 1), rect(0, 0, 1, 1)), args: ['-burn', '3e38', '-add'], dst: YD(1, 1, { type: 'Float32' }) });
add({ name: 'V3-int16-table', source: row([2.5, 3.5, -0.5, -1.5, -2.5, 0.49999, 255.5, 256, 300, -300, 1e10, -1e10, 65535.5, 2.4999999999, -0.4]), args: ['-a', 'v', '-ot', 'Int16', '-te', '0', '0', '15', '1', '-ts', '15', '1'], gdalRows: '3 4 -1 -2 -3 0 256 256 300 -300 32767 -32768 32767 2 0' });
add({ name: 'V3-burn-0.49999999999999994-byte', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '0.49999999999999994'], dst: YD(1, 1), gdalRows: '1' });
add({ name: 'V3-uint32-int32-extremes', source: row([4294967295, 4294967294.5, 2147483646.5, -2147483648.4]), args: ['-a', 'v'], dst: YD(4, 1, { type: 'UInt32' }), gdalRows: '4294967295 4294967295 2147483647 0' });
add({ name: 'V3-int32-extremes', source: row([4294967295, 4294967294.5, 2147483646.5, -2147483648.4]), args: ['-a', 'v'], dst: YD(4, 1, { type: 'Int32' }), gdalRows: '2147483647 2147483647 2147483647 -2147483648' });
add({ name: 'G6-default-ot-float64', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-te', '0', '0', '2', '1', '-ts', '2', '1'], gdalRows: '10' });

// 2^53+1 cannot pass through a JS number, so this source is written as text
const INT64_SRC = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":9007199254740993},"geometry":${JSON.stringify(wktGeom(rect(0, 0, 1, 1)))}},{"type":"Feature","properties":{"v":1},"geometry":${JSON.stringify(wktGeom(rect(1, 0, 2, 1)))}}]}`;

// ---------------------------------------------------------------- -a attribute sources (pixel rule F10)
add({ name: 'F10-attribute-kinds', source: row([7, 2.75, '12.5', 'abc', null, undefined]), args: ['-a', 'v', '-init', '-9', '-te', '0', '0', '6', '1', '-ts', '6', '1'], gdalRows: '7 2.75 12.5 0 0 0' });
add({ name: 'F10-attribute-strings-atof', source: row(['7', '2.75', '1e3', ' 5 ', '0x10', '3abc']), args: ['-a', 'v', '-te', '0', '0', '6', '1', '-ts', '6', '1'], gdalRows: '7 2.75 1000 5 16 3' });
add({ name: 'F10-attribute-integers', source: row([1, -2, 300, 65535, 0]), args: ['-a', 'v', '-te', '0', '0', '5', '1', '-ts', '5', '1', '-ot', 'Int32'] });
add({ name: 'F10-attribute-null-and-missing-burn-zero', source: row([5, null, undefined, 6]), args: ['-a', 'v'], dst: YD(4, 1, { fill: 9 }) });
add({ name: 'F10-attribute-booleans', source: row([true, false, 3]), args: ['-a', 'v', '-te', '0', '0', '3', '1', '-ts', '3', '1'] });
for (const t of ['Byte', 'Int16'] as const) {
  add({ name: `F10-attribute-real-${t}`, source: row([2.5, -3.7, 300, -0.5, 1.49]), args: ['-a', 'v'], dst: YD(5, 1, { type: t }), gdalRows: t === 'Byte' ? '3 0 255 0 1' : '3 -4 300 -1 1' });
}
// an Integer64 attribute without -ot: GDAL makes an Int64 raster and burns 2^53+1 exactly (pixel rules G6, V10)
add({ name: 'G6-V10-attribute-integer64-default-ot', source: { raw: INT64_SRC }, args: ['-a', 'v', '-te', '0', '0', '2', '1', '-ts', '2', '1'] });

// ---------------------------------------------------------------- -init, -a_nodata (pixel rule V5)
add({ name: 'V5-nodata-without-init', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-a_nodata', '-5', '-te', '0', '0', '3', '1', '-ts', '3', '1'], gdalRows: '1 -5 -5' });
add({ name: 'V5-init-and-nodata-nan', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-init', 'nan', '-a_nodata', 'nan', '-te', '0', '0', '3', '1', '-ts', '3', '1'], gdalRows: '1 nan nan' });
add({ name: 'V5-nodata-nan-float32-no-init', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '2', '-a_nodata', 'nan', '-ot', 'Float32', '-te', '0', '0', '3', '1', '-ts', '3', '1'] });
add({ name: 'V5-init-with-nodata-differs', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-init', '4', '-a_nodata', '9', '-ot', 'UInt16', '-te', '0', '0', '3', '1', '-ts', '3', '1'] });
for (const v of ['300', '-5', '2.5', '3.5']) {
  add({ name: `V5-init-${v}-byte`, source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-init', v, '-ot', 'Byte', '-te', '0', '0', '2', '1', '-ts', '2', '1'] });
}
add({ name: 'V5-nodata-out-of-range-byte-300', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-a_nodata', '300', '-ot', 'Byte', '-te', '0', '0', '2', '1', '-ts', '2', '1'] });
add({ name: 'V5-nodata-fractional-int16', source: fs(rect(0, 0, 1, 1)), args: ['-burn', '1', '-a_nodata', '-3.5', '-init', '-3.5', '-ot', 'Int16', '-te', '0', '0', '2', '1', '-ts', '2', '1'] });
add({ name: 'V5-nodata-zero-uint8-add', source: fs(rect(0, 0, 2, 1), rect(1, 0, 2, 1)), args: ['-burn', '7', '-add', '-a_nodata', '0', '-ot', 'Byte', '-te', '0', '0', '3', '1', '-ts', '3', '1'] });

// ---------------------------------------------------------------- -i (pixel rule F11)
add({ name: 'F11-invert-square', source: fs(rect(1, 1, 4, 4)), args: ['-burn', '1', '-i'], dst: YD(6, 6), gdalRows: '111111/100011/100011/100011/111111/111111' });
add({ name: 'F11-invert-overlap-reburned', source: fs(rect(1, 1, 4, 4), rect(2, 2, 5, 5)), args: ['-burn', '1', '-i'], dst: YD(6, 6) });
add({ name: 'F11-invert-hole-point-line', source: fs(`POLYGON(${ring(0.5, 0.5, 5.5, 5.5)},${ring(2, 2, 4, 4)})`, 'POINT(0.2 0.2)', 'LINESTRING(0 5.8,5.9 5.8)'), args: ['-burn', '1', '-i'], dst: YD(6, 6) });
add({ name: 'F11-invert-no-features', source: [], args: ['-burn', '1', '-i'], dst: YD(6, 6), gdalRows: '111111/111111/111111/111111/111111/111111' });
add({ name: 'F11-invert-at', source: fs(rect(1.5, 1.5, 4.5, 4.5)), args: ['-burn', '1', '-i', '-at'], dst: YD(6, 6) });
add({ name: 'F11-invert-add', source: fs(rect(1.5, 1.5, 4.5, 4.5), rect(0.5, 0.5, 2.5, 2.5)), args: ['-burn', '1', '-i', '-add'], dst: YD(6, 6, { fill: 10 }) });
add({ name: 'F11-invert-nu-ties', source: fs(rect(1.5, 1.5, 4.5, 4.5)), args: ['-burn', '1', '-i'], dst: NU(6, 6) });
add({ name: 'F11-lib_inverse', source: fs(`MULTIPOLYGON(((1 1,1 9,4 9,4 1,1 1),(2 2,2 8,3 8,3 2,2 2)))`, 'POLYGON((5 1,5 9,9 9,9 1,5 1))', 'POINT(5 5)'), args: ['-burn', '9', '-i'], dst: grid(11, 11, [-0.5, 1, 0, 10.5, 0, -1]), gdalRows: ['99999999999', '99000900009', ...Array(7).fill('99090900009'), '99999999999', '99999999999'].join('/') });
add({ name: 'F11-invert-with-attribute', source: [F(rect(1, 1, 3, 3), { v: 4 }), F(rect(3.5, 2.5, 5, 5), { v: 6 })], args: ['-a', 'v', '-i'], dst: YD(6, 6) });
add({ name: 'F11-invert-creation-mode', source: fs(rect(1, 1, 4, 3), rect(5.5, 0.5, 8, 2.5)), args: ['-burn', '3', '-i', '-tr', '0.5', '0.5', '-ot', 'Byte'] });

// ---------------------------------------------------------------- output grid: -te -tr -ts -tap (pixel rules G1-G5)
const LAYER = fs('POLYGON((0.3 0.2,10.1 0.2,10.1 5.05,0.3 5.05,0.3 0.2))');
const GRIDS: [string, string[]][] = [
  ['tr-1', ['-tr', '1', '1']],
  ['tr-1-tap', ['-tr', '1', '1', '-tap']],
  ['ts-10-5', ['-ts', '10', '5']],
  ['te-tr-3-2-tap', ['-te', '0', '0', '10', '5', '-tr', '3', '2', '-tap']],
  ['te-tr-3-2', ['-te', '0', '0', '10', '5', '-tr', '3', '2']],
  ['tr-2.5', ['-tr', '2.5', '2.5']],
  ['tr-negative-y-ignored', ['-tr', '0.5', '-0.25']],
  ['tr-and-ts-both', ['-tr', '0.5', '0.5', '-ts', '7', '4']],
  ['te-ts', ['-te', '-1', '-1', '11', '6', '-ts', '24', '14']],
  ['te-ts-y-down', ['-te', '0', '6', '12', '0', '-ts', '24', '12']],
  ['te-ts-x-flipped', ['-te', '12', '0', '0', '6', '-ts', '24', '12']],
  ['te-ts-both-flipped', ['-te', '12', '6', '0', '0', '-ts', '24', '12']],
  ['tr-tap-fractional', ['-tr', '0.3', '0.7', '-tap']],
  ['te-tap-fractional', ['-te', '0.1', '0.1', '9.9', '4.9', '-tr', '0.75', '0.75', '-tap']],
  ['te-larger-than-layer', ['-te', '-5', '-5', '15', '10', '-tr', '1', '1']],
  ['te-partial-overlap', ['-te', '4', '2', '20', '20', '-ts', '16', '18']],
  ['tr-odd-size-rounding', ['-tr', '0.4', '0.4']],
];
for (const [n, g] of GRIDS) add({ name: `G1-G4-grid-${n}`, source: LAYER, args: ['-burn', '1', ...g] });
for (const [n, g] of GRIDS.filter(([n]) => n.startsWith('te-ts'))) {
  add({ name: `G1-G4-grid-${n}-at-add`, source: fs(HOLE, DIAMOND, 'LINESTRING(0.5 5.5,11.5 0.5)'), args: ['-burn', '1', '-at', '-add', ...g] });
}
add({ name: 'G8-q-of-gtiff-config-accepted', source: LAYER, args: ['-q', '-of', 'GTiff', '--config', 'GDAL_CACHEMAX', '1', '-burn', '1', '-tr', '0.5', '0.5'] });
// GDAL_CACHEMAX 1 makes GDAL burn this 3.2 MB raster in 1 MB row chunks. Plain and -add fills do not see the
// chunks; with -at GDAL 3.6.2's walker does (chunk-local coordinates round differently on this 0.0025 grid:
// 4 pixels differ with -at, 238 with -at -add, measured), so those modes are left out here.
add({ name: 'K1-config-cachemax-chunks-invisible-plain', source: fs(HOLE, DIAMOND, QUAD), args: ['--config', 'GDAL_CACHEMAX', '1', '-burn', '1'], dst: grid(1000, 3200, [0, 0.008, 0, 8, 0, -0.0025]) });
add({ name: 'K1-config-cachemax-chunks-invisible-add', source: fs(HOLE, DIAMOND, QUAD), args: ['--config', 'GDAL_CACHEMAX', '1', '-burn', '1', '-add'], dst: grid(1000, 3200, [0, 0.008, 0, 8, 0, -0.0025]) });

// ---------------------------------------------------------------- georeferencing, SRS, reprojection (pixel rules F1, F3, G7)
add({ name: 'F1-inverse-gt-formula-points', source: fs('POINT(0.3 0.5)', 'POINT(0.6 0.5)', 'POINT(0.7 0.5)', 'POINT(1.2 0.5)'), args: ['-burn', '1'], dst: grid(60, 1, [0, 0.1, 0, 1, 0, -0.1]) });
// big UTM coordinates, 0.3 m pixels: vertices on pixel centres and edges of gt (500000.15, 0.3, ...)
const UTM_GT: GT = [500000.15, 0.3, 0, 6000000.45, 0, -0.3];
const utmRand = rng(20240611);
const UTM_POLYS = Array.from({ length: 40 }, () => F(tiePolygon(utmRand, UTM_GT, 64, 64)));
add({ name: 'F1-utm-0.3m-tie-polygons-add', source: UTM_POLYS, args: ['-burn', '1', '-add'], dst: grid(64, 64, UTM_GT) });
add({ name: 'F1-utm-0.3m-tie-polygons-at-add', source: UTM_POLYS, args: ['-burn', '1', '-add', '-at'], dst: grid(64, 64, UTM_GT) });
const UTM_CRS = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } };
// with its crs member: without one the features would be reprojected from an assumed lon/lat, which GDAL
// answers with an empty raster and rasterburn refuses (the safety suite tests that)
add({ name: 'F1-utm-0.3m-tie-polygons-replace-attribute', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: UTM_POLYS.map((f, i) => ({ ...f, properties: { id: i + 1 } })) } }, args: ['-a', 'id'], dst: grid(64, 64, UTM_GT, { srs: 'EPSG:32633', type: 'UInt16' }) });
add({ name: 'F3-utm-legacy-crs-member-same-srs-no-transform', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: UTM_POLYS } }, args: ['-burn', '1', '-add'], dst: grid(64, 64, UTM_GT, { srs: 'EPSG:32633' }) });
add({ name: 'G7-utm-creation-a_srs-te-tr', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: UTM_POLYS } }, args: ['-burn', '1', '-add', '-a_srs', 'EPSG:32633', '-te', '500000.15', '5999981.25', '500019.35', '6000000.45', '-tr', '0.3', '0.3', '-ot', 'Byte'] });
add({ name: 'G7-utm-creation-from-crs-member-tr', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: UTM_POLYS } }, args: ['-burn', '1', '-add', '-tr', '0.3', '0.3', '-ot', 'UInt16'] });

// CRS84 building footprints near Berlin (UTM 33N ~ 391440 E, 5820080 N)
const BUILDINGS = [
  [[13.39985, 52.51975], [13.40012, 52.51975], [13.40012, 52.51992], [13.39985, 52.51992], [13.39985, 52.51975]],
  [[13.40021, 52.51981], [13.40049, 52.51978], [13.40053, 52.52004], [13.40031, 52.52011], [13.40019, 52.51999], [13.40021, 52.51981]],
  [[13.39993, 52.52003], [13.40008, 52.52003], [13.40008, 52.52021], [13.39993, 52.52021], [13.39993, 52.52003]],
  [[13.40041, 52.52018], [13.40067, 52.52016], [13.40072, 52.52027], [13.40046, 52.52029], [13.40041, 52.52018]],
].map((r, i) => F({ type: 'Polygon', coordinates: [r] }, { BuildingID: 1001 + i }));
add({ name: 'F3-reproject-crs84-into-utm33-raster', source: BUILDINGS, args: ['-a', 'BuildingID'], dst: grid(240, 240, [391400, 0.5, 0, 5820120, 0, -0.5], { srs: 'EPSG:32633', type: 'UInt16' }) });
add({ name: 'F3-reproject-crs84-into-utm33-raster-at', source: BUILDINGS, args: ['-a', 'BuildingID', '-at'], dst: grid(240, 240, [391400, 0.5, 0, 5820120, 0, -0.5], { srs: 'EPSG:32633', type: 'UInt16' }) });
add({ name: 'F3-reproject-crs84-into-webmercator-raster', source: BUILDINGS, args: ['-a', 'BuildingID'], dst: grid(240, 240, [1491640, 0.5, 0, 6894760, 0, -0.5], { srs: 'EPSG:3857', type: 'UInt16' }) });
add({ name: 'F3-reproject-degrees-into-3857-coarse', source: fs('POLYGON((2 49,3 49,3 50,2 50,2 49))'), args: ['-burn', '1'], dst: grid(10, 10, [200000, 20000, 0, 6500000, 0, -30000], { srs: 'EPSG:3857' }) });
add({ name: 'utilities-6-reproject-4326-into-3857-checksum', source: [F('POLYGON((2 49,2 50,3 50,3 49,2 49))', { Value: 255 })], args: ['-a', 'Value'], dst: grid(100, 100, [200000, 2000, 0, 6500000, 0, -3000], { srs: 'EPSG:3857' }), gdalChecksum: 39190 });
add({ name: 'F3-utm-crs-member-into-webmercator-raster', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: [F(rect(391430, 5820050, 391490, 5820100)), F('POLYGON((391441.5 5820061.5,391470.25 5820055,391480 5820090.75,391441.5 5820061.5))')] } }, args: ['-burn', '1', '-add'], dst: grid(240, 240, [1491640, 0.5, 0, 6894760, 0, -0.5], { srs: 'EPSG:3857' }) });
// vertices built on UTM pixel centres/edges, then converted to CRS84 (fuzz seed 354798960): PROJ and proj4js
// disagree by ~1e-9 m, which is enough to move a pixel-centre tie
const fixture = (f: string) => ({ raw: readFileSync(`${ROOT}/test/shared/fixtures/${f}`, 'utf8') });
const projTies = { max: 3, why: 'proj4js and PROJ differ by ~1e-9 m; vertices sit exactly on UTM pixel centres' };
add({ name: 'F3-K2-reproject-utm-pixel-centre-ties', tiePixels: projTies, source: fixture('reproject-utm33-pixel-centre-ties.geojson'), args: ['-a', 'id'], dst: grid(31, 28, [391413, 1, 0, 5820102, 0, -0.3], { srs: 'EPSG:32633', type: 'Int32' }) });
add({ name: 'F3-K2-reproject-utm-pixel-centre-ties-at', tiePixels: projTies, source: fixture('reproject-utm33-ties-at.geojson'), args: ['-a', 'id', '-at'], dst: grid(22, 13, [391401.5, 0.3, 0, 5820118.5, 0, -0.5], { srs: 'EPSG:32633', type: 'UInt32' }) });
// the GeoJSON driver gives a layer whose features are all one 3-D type the SRS EPSG:4979 (WGS 84 3D), and a
// created raster inherits it; mixed geometry types keep EPSG:4326 (measured on 3.6.2)
add({ name: 'G7-3d-layer-srs-4979-creation', source: fs('POLYGON((1 1 3,4 1 3,4 4 3,1 4 3,1 1 3))', 'POLYGON((0.5 0.5 1,2 0.5 1,2 2 1,0.5 0.5 1))'), args: ['-burn', '1', '-tr', '1', '1'] });
add({ name: 'G7-3d-layer-srs-4979-creation-3d', source: fs('LINESTRING(0.5 0.5 0,8.5 3.5 80)'), args: ['-3d', '-tr', '0.5', '0.5', '-ot', 'Float32'] });
add({ name: 'G7-3d-mixed-types-srs-4326', source: fs('POLYGON((1 1 3,4 1 3,4 4 3,1 4 3,1 1 3))', 'POINT(2 2 5)'), args: ['-burn', '1', '-tr', '1', '1'] });
add({ name: 'F3-3d-layer-into-epsg4326-raster', source: fs('POLYGON((13.39985 52.51975 30,13.40012 52.51975 30,13.40012 52.51992 30,13.39985 52.51992 30,13.39985 52.51975 30))'), args: ['-burn', '1'], dst: grid(120, 80, [13.3998, 0.00001, 0, 52.5204, 0, -0.00001], { srs: 'EPSG:4326' }) });
add({ name: 'F3-crs84-into-epsg4326-raster-no-transform', source: BUILDINGS, args: ['-a', 'BuildingID'], dst: grid(120, 80, [13.3998, 0.00001, 0, 52.5204, 0, -0.00001], { srs: 'EPSG:4326', type: 'UInt16' }) });
add({ name: 'F3-crs84-into-raster-without-srs-no-transform', source: fs(rect(1.5, 1.5, 4.5, 3.5)), args: ['-burn', '1'], dst: NU(6, 5) });
add({ name: 'G7-a_srs-disables-reprojection', source: fs('POLYGON((2 49,3 49,3 50,2 50,2 49))'), args: ['-burn', '1', '-a_srs', 'EPSG:3857', '-tr', '0.25', '0.25'] });
add({ name: 'geographic-creation-tr', source: BUILDINGS, args: ['-a', 'BuildingID', '-tr', '0.00001', '0.00001', '-ot', 'UInt16'] });
add({ name: 'geographic-creation-ts-at', source: BUILDINGS, args: ['-burn', '1', '-at', '-ts', '97', '61', '-ot', 'Byte'] });
add({ name: 'geographic-creation-tap', source: BUILDINGS, args: ['-a', 'BuildingID', '-tr', '0.000013', '0.000009', '-tap', '-ot', 'UInt32'] });

// ---------------------------------------------------------------- existing rasters (pixel rules G8, F2)
add({ name: 'G8-existing-other-pixels-kept', source: fs(rect(0, 1, 1, 2)), args: ['-burn', '1'], dst: YD(3, 2, { fill: 9 }), gdalRows: '999/199' });
add({ name: 'existing-ramp-pixels-kept-nu', source: fs(HOLE, 'LINESTRING(0.2 7.9,7.9 0.3)', 'POINT(7.5 7.5)'), args: ['-burn', '200'], dst: NU(9, 9, { fill: 'ramp' }) });
add({ name: 'existing-ramp-int16-nodata-kept', source: fs(DIAMOND), args: ['-burn', '-7', '-add'], dst: NU(9, 9, { fill: 'ramp', type: 'Int16', nodata: 4 }) });
add({ name: 'existing-float32-ramp-at', source: fs(QUAD, 'POLYGON((6 0,8.5 3.25,7 6,6 0))'), args: ['-burn', '0.1', '-at', '-add'], dst: YD(9, 7, { fill: 'ramp', type: 'Float32' }) });
add({ name: 'G8-existing-replaced-by-tr', source: fs(rect(0, 1, 1, 2)), args: ['-burn', '1', '-tr', '1', '1'], dst: YD(3, 2, { fill: 9 }) });
add({ name: 'F2-G8-no-geotransform-y-down', source: fs(rect(1, 1, 3, 3)), args: ['-burn', '1'], dst: grid(4, 4, null), gdalRows: '0000/0110/0110/0000' });
add({ name: 'F2-lib_100-no-geotransform-checksum', source: fs('POLYGON((20 20,20 80,80 80,80 20,20 20))'), args: ['-burn', '255'], dst: grid(100, 100, null), gdalChecksum: 44190 });
add({ name: 'rasterize_1-polygon-and-line-clamped-256', source: fs('POLYGON((1020 1030,1020 1045,1050 1045,1050 1030,1020 1030))', 'LINESTRING(1000 1000,1100 1050)'), args: ['-burn', '256'], dst: grid(100, 100, [1000, 1, 0, 1100, 0, -1]) });
add({ name: 'rasterize_1-band2-checksum', source: fs('POLYGON((1020 1030,1020 1045,1050 1045,1050 1030,1020 1030))', 'LINESTRING(1000 1000,1100 1050)'), args: ['-burn', '220'], dst: grid(100, 100, [1000, 1, 0, 1100, 0, -1]), gdalChecksum: 6452 });
add({ name: 'rasterize_5-add-rectangles-and-lines', source: fs('POLYGON((1020 1030,1020 1045,1050 1045,1050 1030,1020 1030))', 'POLYGON((1045 1050,1055 1050,1055 1020,1045 1020,1045 1050))', 'LINESTRING(1000 1000,1100 1050)', 'LINESTRING(1005 1000,1000 1050)'), args: ['-burn', '110', '-add'], dst: grid(100, 100, [1000, 1, 0, 1100, 0, -1]), gdalChecksum: 13022 });
// the destination's own encoding must be read (and its other pixels kept) whatever GDAL wrote
const ENCODINGS: [string, string[], GdalType][] = [
  ['tiled-deflate-uint16', ['TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16', 'COMPRESS=DEFLATE'], 'UInt16'],
  ['lzw-predictor2-int16', ['COMPRESS=LZW', 'PREDICTOR=2'], 'Int16'],
  ['lzw-predictor3-float32', ['COMPRESS=LZW', 'PREDICTOR=3'], 'Float32'],
  ['packbits-strips-byte', ['COMPRESS=PACKBITS', 'BLOCKYSIZE=3'], 'Byte'],
  ['big-endian-float64', ['ENDIANNESS=BIG'], 'Float64'],
  ['bigtiff-int32', ['BIGTIFF=YES'], 'Int32'],
];
for (const [n, co, t] of ENCODINGS) {
  add({ name: `existing-${n}-pixels-kept`, source: fs(HOLE, DIAMOND, 'LINESTRING(0.2 40.5,37.5 1.2)'), args: ['-burn', '3', '-add'], dst: NU(37, 42, { fill: 'ramp', type: t, co }) });
}
add({ name: 'existing-pixel-is-point-geotiff', source: fs(HOLE, 'POINT(3 3)', 'LINESTRING(0 0,8 5)'), args: ['-burn', '1'], dst: grid(10, 9, [-0.5, 1, 0, 8.5, 0, -1], { pixelIsPoint: true }) });
// GDAL updates the destination in place: encoding, metadata and descriptions survive the burn
add({ name: 'existing-file-structure-kept', checkStructure: true, source: fs(HOLE, DIAMOND), args: ['-burn', '3'], dst: NU(37, 42, { fill: 'ramp', type: 'UInt16', co: ['TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16', 'COMPRESS=DEFLATE'], metadata: { SOURCE: 'survey 2023' }, description: 'heights' }) });
add({ name: 'existing-pixel-is-point-kept', checkStructure: true, source: fs(HOLE), args: ['-burn', '1'], dst: grid(10, 9, [-0.5, 1, 0, 8.5, 0, -1], { pixelIsPoint: true, srs: 'EPSG:32633' }) });
add({ name: 'existing-pixel-is-point-utm', source: { json: { type: 'FeatureCollection', crs: UTM_CRS, features: UTM_POLYS } }, args: ['-burn', '1', '-add'], dst: grid(64, 64, UTM_GT, { srs: 'EPSG:32633', pixelIsPoint: true }) });
add({ name: 'existing-multiband-burns-band-1-only', source: fs(HOLE), args: ['-burn', '5'], dst: NU(8, 8, { bands: 3, fill: 9 }) });

// ---------------------------------------------------------------- null / empty geometries (pixel rule F8)
add({
  name: 'F8-null-and-empty-geometries-skipped',
  source: [
    F(null),
    F({ type: 'Polygon', coordinates: [] }),
    F({ type: 'LineString', coordinates: [] }),
    F({ type: 'MultiPolygon', coordinates: [] }),
    F({ type: 'GeometryCollection', geometries: [] }),
    F(rect(1, 1, 3, 3)),
  ],
  args: ['-burn', '1'],
  dst: YD(4, 4),
  gdalRows: '0000/0110/0110/0000',
});
add({ name: 'F8-empty-feature-collection-creation', source: [], args: ['-burn', '1', '-te', '0', '0', '3', '2', '-ts', '3', '2'] });
add({ name: 'F8-geometry-fully-outside', source: fs(rect(10, 10, 12, 12), 'LINESTRING(-5 -5,-1 -2)', 'POINT(4 1)'), args: ['-burn', '1', '-at'], dst: YD(4, 4) });
add({ name: 'bare-geometry-source', source: { json: { type: 'Feature', properties: { v: 3 }, geometry: wktGeom(rect(1.5, 0.5, 3.5, 2.5)) } }, args: ['-a', 'v'], dst: YD(5, 3) });

// ---------------------------------------------------------------- GeoJSON reading (what OGR's GeoJSON driver makes of the source)
const fc = (features: unknown[], extra: Record<string, unknown> = {}) => ({ json: { type: 'FeatureCollection', ...extra, features } });
add({ name: 'geojson-bare-geometry-source', source: { json: wktGeom(rect(1.5, 0.5, 3.5, 2.5)) }, args: ['-burn', '4'], dst: YD(5, 3) });
add({ name: 'geojson-nested-geometrycollection', source: fs(`GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(${rect(1, 1, 5, 5)},POINT(6.5 0.5)),${rect(3, 3, 7, 7)},LINESTRING(0.5 7.5,7.5 6.5))`), args: ['-burn', '1'], dst: YD(8, 8) });
add({ name: 'geojson-nested-geometrycollection-add', source: fs(`GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(${rect(1, 1, 5, 5)},POINT(6.5 0.5)),${rect(3, 3, 7, 7)},LINESTRING(0.5 7.5,7.5 6.5))`), args: ['-burn', '1', '-add'], dst: YD(8, 8) });
add({ name: 'geojson-xyzm-coordinates-3d', source: fs({ type: 'LineString', coordinates: [[0.5, 0.5, 10, 99], [6.5, 2.5, 40, 99]] }), args: ['-3d'], dst: YD(8, 4, { type: 'Float32' }) });
add({ name: 'geojson-attribute-name-case-insensitive', source: [F(rect(0, 0, 2, 1), { Height: 7 }), F(rect(1, 0, 3, 1), { Height: 9 })], args: ['-a', 'height'], dst: YD(3, 1) });
add({ name: 'geojson-properties-null-attribute-zero', source: [F(rect(0, 0, 1, 1), null), F(rect(1, 0, 2, 1), { v: 3 })], args: ['-a', 'v'], dst: YD(3, 1, { fill: 9 }) });
add({ name: 'geojson-mixed-int-real-field', source: row([1, 2.5, 3]), args: ['-a', 'v', '-ot', 'Byte', '-te', '0', '0', '3', '1', '-ts', '3', '1'] });
add({ name: 'geojson-mixed-int-string-field', source: row([1, '2.5', 3, 'x']), args: ['-a', 'v', '-te', '0', '0', '4', '1', '-ts', '4', '1'] });
add({ name: 'geojson-list-and-object-properties', source: row([[4, 5], { a: 1 }, [2.5], 6]), args: ['-a', 'v', '-te', '0', '0', '4', '1', '-ts', '4', '1'] });
add({ name: 'geojson-crs-short-epsg-name', source: fc([F(rect(391430, 5820050, 391490, 5820100))], { crs: { type: 'name', properties: { name: 'EPSG:32633' } } }), args: ['-burn', '1'], dst: grid(240, 240, [391400, 0.5, 0, 5820120, 0, -0.5], { srs: 'EPSG:32633' }) });
add({ name: 'geojson-crs-ogc-crs84-urn', source: fc(BUILDINGS, { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }), args: ['-a', 'BuildingID'], dst: grid(240, 240, [391400, 0.5, 0, 5820120, 0, -0.5], { srs: 'EPSG:32633', type: 'UInt16' }) });
add({ name: 'geojson-crs-epsg-4326-urn-lat-lon-order', source: fc(BUILDINGS, { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } } }), args: ['-a', 'BuildingID'], dst: grid(240, 240, [391400, 0.5, 0, 5820120, 0, -0.5], { srs: 'EPSG:32633', type: 'UInt16' }) });
add({ name: 'geojson-crs-3857-creation-srs', source: fc([F(rect(1491650, 6894650, 1491700, 6894700))], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }), args: ['-burn', '1', '-tr', '5', '5'] });
add({ name: 'geojson-exponent-and-negative-zero-numbers', source: { raw: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"v":1E1},"geometry":{"type":"Polygon","coordinates":[[[-0.0,5e-1],[3.5E0,0.5],[3.5,2.5e0],[-0,2.5],[-0.0,5e-1]]]}}]}' }, args: ['-a', 'v'], dst: YD(5, 3) });
add({ name: 'geojson-feature-bbox-and-foreign-members', source: { raw: '{"type":"FeatureCollection","name":"x","bbox":[0,0,9,9],"features":[{"type":"Feature","bbox":[1,1,4,4],"title":"t","properties":{"v":2},"geometry":{"type":"Polygon","coordinates":[[[1,1],[4,1],[4,4],[1,4],[1,1]]]}}]}' }, args: ['-a', 'v'], dst: YD(5, 5) });

// ---------------------------------------------------------------- huge pixel coordinates (pixel rule N1)
for (const v of [1e300, 1e10, 3e9, 2e9, 1e9]) {
  const n = v >= 3e9 ? 0 : 20;
  add({ name: `N1-square-pm${v}`, source: fs(rect(-v, -v, v, v)), args: ['-burn', '1'], dst: YD(5, 4), gdalNonZero: n });
  add({ name: `N1-square-pm${v}-at`, source: fs(rect(-v, -v, v, v)), args: ['-burn', '1', '-at'], dst: YD(5, 4), gdalNonZero: n });
}
// (a line from a normal vertex to one beyond 2^31 px makes GDAL walk ~2^31 Bresenham steps, ~3 s: only one such case)
add({ name: 'N1-line-between-huge-vertices', source: fs('LINESTRING(-1e300 0.5,1e300 0.5)', 'LINESTRING(-3e9 2.5,3e9 2.5)'), args: ['-burn', '1'], dst: YD(5, 4), gdalNonZero: 0 });
add({ name: 'N1-polygon-to-plus-3e9-wrong-side', source: fs('POLYGON((2.5 0.2,3e9 0.2,3e9 2.8,2.5 2.8,2.5 0.2))'), args: ['-burn', '1'], dst: YD(6, 3), gdalRows: '111000/111000/111000' });
add({ name: 'N1-polygon-to-minus-3e9', source: fs('POLYGON((-3e9 0.2,2.5 0.2,2.5 2.8,-3e9 2.8,-3e9 0.2))'), args: ['-burn', '1'], dst: YD(6, 3), gdalRows: '111000/111000/111000' });
add({ name: 'N1-polygon-to-plus-2e9', source: fs('POLYGON((2.5 0.2,2e9 0.2,2e9 2.8,2.5 2.8,2.5 0.2))'), args: ['-burn', '1'], dst: YD(6, 3), gdalRows: '000111/000111/000111' });
add({ name: 'N1-line-to-3e9', source: fs('LINESTRING(2.5 1.5,3e9 1.5)'), args: ['-burn', '1'], dst: YD(6, 3), gdalNonZero: 0 });
add({ name: 'N1-huge-polygon-at-3e9-px-nu', source: fs('POLYGON((1.5 0.5,3e9 1.5,4.5 2.5,1.5 0.5))'), args: ['-burn', '1', '-at'], dst: NU(6, 3) });

// ---------------------------------------------------------------- command-line spelling
add({ name: 'cli-options-after-positionals', source: LAYER, args: [], tail: ['-burn', '1', '-tr', '1', '1'] });
add({ name: 'cli-ot-lowercase', source: LAYER, args: ['-burn', '1', '-ot', 'byte', '-tr', '1', '1'] });
add({ name: 'cli-burn-leading-dot-and-plus', source: fs(rect(0, 0, 2, 2), rect(1, 1, 4, 3)), args: ['-burn', '.5', '-add', '-tr', '1', '1'] });
add({ name: 'cli-burn-plus-sign', source: LAYER, args: ['-burn', '+2', '-tr', '1', '1'] });
add({ name: 'cli-ts-fractional-truncated', source: LAYER, args: ['-burn', '1', '-ts', '10.7', '5.2'] });
add({ name: 'cli-exponent-numbers', source: LAYER, args: ['-burn', '1e0', '-tr', '1e0', '1E0', '-te', '0', '0', '1.2e1', '6'] });
add({ name: 'cli-a_srs-proj-string', source: LAYER, args: ['-burn', '1', '-a_srs', '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', '-tr', '1', '1'] });
add({ name: 'cli-a_srs-epsg-4326', source: LAYER, args: ['-burn', '1', '-a_srs', 'EPSG:4326', '-tr', '0.5', '0.5'] });

// ---------------------------------------------------------------- bad input: ours exits 1, one stderr line, no file / destination untouched
const SQ = fs(rect(0, 0, 2, 2));
const bad = (name: string, c: Omit<DiffCase, 'name' | 'expect'>) => add({ name: `bad-${name}`, expect: 'error', ...c });
bad('malformed-json', { source: { raw: '{"type":"FeatureCollection","features":[{"type":"Feature",' }, args: ['-burn', '1', '-tr', '1', '1'], gdalFails: true });
bad('malformed-json-existing-dst-untouched', { source: { raw: '{"type": "FeatureCollection", "features": [' }, args: ['-burn', '1'], dst: YD(4, 4, { fill: 'ramp' }), gdalFails: true });
bad('json-not-geojson', { source: { raw: '{"foo": 1}' }, args: ['-burn', '1', '-tr', '1', '1'], gdalFails: true });
bad('geometry-coordinates-not-array', { source: { raw: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":"x"}}]}' }, args: ['-burn', '1', '-tr', '1', '1'], gdalFails: true });
// GDAL drops the bad feature when another one is valid; so does rasterburn, with a warning (pixel rule F12)
add({ name: 'F12-geometry-coordinates-not-array-beside-valid', source: { raw: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":"x"}},${JSON.stringify(F(rect(0, 0, 2, 2)))}]}` }, args: ['-burn', '1', '-tr', '1', '1'] });
bad('missing-source-file', { source: { missing: true }, args: ['-burn', '1', '-tr', '1', '1'], gdalFails: true });
bad('unknown-option', { source: SQ, args: ['-frobnicate', '-burn', '1', '-tr', '1', '1'], gdalFails: true });
bad('no-burn-a-or-3d', { source: SQ, args: ['-tr', '1', '1'], gdalFails: true });
bad('burn-and-attribute', { source: [F(rect(0, 0, 2, 2), { v: 1 })], args: ['-burn', '1', '-a', 'v', '-tr', '1', '1'], gdalFails: true });
bad('F10-missing-attribute', { source: [F(rect(0, 0, 2, 2), { v: 1 })], args: ['-a', 'nope', '-tr', '1', '1'], gdalFails: true });
bad('F10-missing-attribute-existing-dst-untouched', { source: [F(rect(0, 0, 2, 2), { v: 1 })], args: ['-a', 'nope'], dst: YD(4, 4, { fill: 'ramp' }), gdalFails: true });
bad('unreadable-destination-raster', { source: SQ, args: ['-burn', '1'], dst: { rawBytes: 'this is not a GeoTIFF\n' }, gdalFails: true });
bad('grid-too-big-for-memory', { source: SQ, args: ['-burn', '1', '-ts', '3000000', '3000000', '-ot', 'Float64'], gdalFails: true });
bad('burn-not-a-number', { source: SQ, args: ['-burn', 'abc', '-tr', '1', '1'], gdalFails: true });
bad('tr-zero', { source: SQ, args: ['-burn', '1', '-tr', '0', '0'], gdalFails: true });
bad('tr-negative-x', { source: SQ, args: ['-burn', '1', '-tr', '-1', '1'], gdalFails: true });
bad('ts-zero', { source: SQ, args: ['-burn', '1', '-ts', '0', '5'], gdalFails: true });
bad('te-missing-value', { source: SQ, args: ['-burn', '1', '-tr', '1', '1', '-te', '0', '0', '1'], gdalFails: true });
bad('te-inverted-with-tr', { source: SQ, args: ['-burn', '1', '-te', '0', '5', '10', '0', '-tr', '1', '1'], gdalFails: true });
bad('tap-without-tr', { source: SQ, args: ['-burn', '1', '-ts', '4', '4', '-tap'], gdalFails: true });
bad('no-tr-or-ts-when-creating', { source: SQ, args: ['-burn', '1', '-ot', 'Byte'], gdalFails: true });
bad('G8-init-on-existing-without-tr-untouched', { source: SQ, args: ['-burn', '1', '-init', '0'], dst: YD(3, 2, { fill: 9 }), gdalFails: true });
bad('unknown-ot', { source: SQ, args: ['-burn', '1', '-ot', 'Foo', '-tr', '1', '1'], gdalFails: true });
bad('ot-int8-not-in-3.6', { source: SQ, args: ['-burn', '1', '-ot', 'Int8', '-tr', '1', '1'], gdalFails: true });
bad('burn-missing-value', { source: SQ, args: ['-tr', '1', '1', '-burn'], gdalFails: true });
bad('te-nan', { source: SQ, args: ['-burn', '1', '-tr', '1', '1', '-te', '0', '0', '5', 'nan'], gdalFails: true });
bad('feature-id-is-not-an-attribute', { source: { json: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 5, properties: { v: 1 }, geometry: wktGeom(rect(0, 0, 1, 1)) }] } }, args: ['-a', 'id', '-tr', '1', '1'], gdalFails: true });
bad('too-many-positional-arguments', { source: SQ, args: ['-burn', '1', '-tr', '1', '1', 'src.geojson'], gdalFails: true });

function wktGeom(w: string): unknown {
  return F(w).geometry;
}

export const CORPUS: DiffCase[] = cases;
