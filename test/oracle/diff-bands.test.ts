// New rasters with several bands (one per -burn or -init value, the last value standing in for missing
// ones) against the real gdal_rasterize: band count, types, pixels of every band, GDAL's photometric
// (RGB for 3 or 4 Byte bands) and pixel interleaving, with and without creation options.
import { describe, expect, it } from 'vitest';
import { feature as F, report, runCases, type DiffCase } from './gdal/harness.js';

const SRC = [
  F('POLYGON ((0.3 0.2, 90.6 3.1, 70.2 45.9, 5.5 40.1, 0.3 0.2))', { v: 3.5 }),
  F('LINESTRING (0 50, 100 0)', { v: 9 }),
  F('POINT (50.5 25.5)', { v: -4 }),
];
const GRID = ['-te', '0', '0', '100', '50', '-tr', '1.5', '1.25'];

const cases: DiffCase[] = [
  { name: 'bands-3-byte-rgb', source: SRC, args: ['-burn', '10', '-burn', '20', '-burn', '30', ...GRID, '-ot', 'Byte'] },
  { name: 'bands-4-byte-rgba-init', source: SRC, args: ['-burn', '1', '2', '3', '4', '-init', '7', ...GRID, '-ot', 'Byte'] },
  { name: 'bands-2-byte', source: SRC, args: ['-burn', '5', '-burn', '6', ...GRID, '-ot', 'Byte', '-a_nodata', '0'] },
  { name: 'bands-more-init-than-burn', source: SRC, args: ['-burn', '1', '-burn', '2', '-init', '7', '-init', '8', '-init', '9', ...GRID] },
  { name: 'bands-attribute-init', source: SRC, args: ['-a', 'v', '-init', '1', '-init', '2', ...GRID, '-ot', 'Float32'] },
  { name: 'bands-3d-init', source: SRC, args: ['-3d', '-init', '1', '-init', '2', '-init', '3', ...GRID, '-ot', 'Int16'] },
  { name: 'bands-add-at', source: SRC, args: ['-burn', '100', '-burn', '200', '-add', '-at', ...GRID, '-ot', 'UInt16'] },
  { name: 'bands-5-int32-deflate-predictor', source: SRC, args: ['-burn', '1', '2', '3', '4', '5', ...GRID, '-ot', 'Int32', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2'], checkStructure: true },
  { name: 'bands-3-byte-tiled-lzw', source: SRC, args: ['-burn', '1', '2', '3', ...GRID, '-ot', 'Byte', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=32', '-co', 'BLOCKYSIZE=16', '-co', 'COMPRESS=LZW'], checkStructure: true },
  { name: 'bands-2-float64-zstd-fp-predictor', source: SRC, args: ['-burn', '1.5', '-burn', '-2.25', ...GRID, '-co', 'COMPRESS=ZSTD', '-co', 'PREDICTOR=3'], checkStructure: true },
  { name: 'bands-2-uncompressed-structure', source: SRC, args: ['-burn', '1', '-burn', '2', ...GRID, '-ot', 'Float32'], checkStructure: true },
  { name: 'bands-invert', source: SRC, args: ['-burn', '3', '-burn', '4', '-i', ...GRID, '-ot', 'Byte'] },
];

describe('several bands against gdal_rasterize', () => {
  it('creates the bands GDAL creates', async () => {
    const res = await runCases(cases);
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 300_000);
});
