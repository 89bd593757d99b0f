// gdal_rasterize's other switches that scripts carry: -ts with -tr and -tap, -a_srs with -te, -optim and
// -to, against the real gdal_rasterize; -oo and -doo, which GDAL 3.6 does not know, refused as it refuses them.
import { describe, expect, it } from 'vitest';
import { feature as F, report, runCases, type DiffCase } from './gdal/harness.js';

const SRC = [
  F('POLYGON ((0.3 0.2, 90.6 3.1, 70.2 45.9, 5.5 40.1, 0.3 0.2))', { v: 3 }),
  F('LINESTRING (0 50, 100 0)', { v: 9 }),
];

const cases: DiffCase[] = [
  { name: 'G-ts-with-tr-and-tap', source: SRC, args: ['-a', 'v', '-tr', '7', '3', '-ts', '10', '10', '-tap', '-ot', 'Byte'] },
  { name: 'G-ts-with-tr-tap-te', source: SRC, args: ['-a', 'v', '-te', '0.3', '0.2', '100.7', '50.1', '-tr', '7', '3', '-ts', '16', '17', '-tap', '-ot', 'Byte'] },
  { name: 'G-a_srs-with-te-ts', source: SRC, args: ['-burn', '1', '-te', '0', '0', '100', '50', '-ts', '25', '10', '-a_srs', 'EPSG:3857', '-ot', 'Byte'] },
  { name: 'G-a_srs-with-te-tr-tap', source: SRC, args: ['-burn', '1', '-te', '0.3', '0.2', '100.7', '50.1', '-tr', '7', '3', '-tap', '-a_srs', 'EPSG:32633', '-ot', 'Byte'] },
  { name: 'optim-vector', source: SRC, args: ['-a', 'v', '-tr', '2', '2', '-optim', 'VECTOR', '-ot', 'Byte'] },
  { name: 'optim-raster-at', source: SRC, args: ['-a', 'v', '-tr', '2', '2', '-optim', 'raster', '-at', '-ot', 'Byte'] },
  { name: 'to-accepted', source: SRC, args: ['-a', 'v', '-tr', '2', '2', '-to', 'SRC_METHOD=NO_GEOTRANSFORM', '-ot', 'Byte'] },
  { name: 'oo-unknown-in-3.6', source: SRC, args: ['-burn', '1', '-tr', '1', '1', '-oo', 'DATE_AS_STRING=YES'], expect: 'error', gdalFails: true },
  { name: 'doo-unknown-in-3.6', source: SRC, args: ['-burn', '1', '-tr', '1', '1', '-doo', 'X=Y'], expect: 'error', gdalFails: true },
  { name: 'tap-with-ts-alone', source: SRC, args: ['-burn', '1', '-ts', '10', '10', '-tap'], expect: 'error', gdalFails: true },
];

describe("gdal_rasterize's other switches against gdal_rasterize", () => {
  it('gives what GDAL gives', async () => {
    const res = await runCases(cases);
    const bad = res.filter((r) => r.problems.length);
    expect(bad.length, report(bad)).toBe(0);
  }, 300_000);
});
