// Differential fuzz: fresh seeded random polygons, lines and points (snapped to 1/0.5/0.25 lattices
// and to the grid border to hit ties) burned by the CPU engine and by GDAL 3.6.2, pixel for pixel,
// in every burn mode. Set RASTERBURN_FUZZ_SEED to replay a run; the seed is printed on failure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/types.js';
import { NU, burnArray, gdalBurn, rows, wkt, type BurnOpts, type Geom } from '../shared/cpu-helpers.js';
import { fuzzCase } from '../shared/cpu-fuzz.js';
import { gdalRasterize, readRasters } from './gdal/oracle.js';

const BASE = Number(process.env.RASTERBURN_FUZZ_SEED ?? Math.floor(Math.random() * 1e9));
const N = Number(process.env.RASTERBURN_FUZZ_CASES ?? 250);

interface Mode {
  name: string;
  opts: BurnOpts;
  gdal: string[];
  /** burn value (ignored with z: -3d burns 0 + Z) */
  value?: number;
  z?: boolean;
  type?: string;
}

const MODES: Mode[] = [
  { name: 'plain', opts: {}, gdal: [] },
  { name: '-at', opts: { allTouched: true }, gdal: ['-at'] },
  { name: '-add', opts: { merge: 'add' }, gdal: ['-add'] },
  { name: '-at -add', opts: { allTouched: true, merge: 'add' }, gdal: ['-at', '-add'] },
  { name: '-3d', opts: { burnZ: true }, gdal: ['-3d'], z: true },
  // replace mode keeps GDAL's walker from deduplicating: shared vertices take the later Z
  { name: '-3d -at', opts: { burnZ: true, allTouched: true }, gdal: ['-3d', '-at'], z: true },
  { name: '-3d -at -add', opts: { burnZ: true, allTouched: true, merge: 'add' }, gdal: ['-3d', '-at', '-add'], z: true },
  { name: 'Byte -at -add 0.5', opts: { allTouched: true, merge: 'add', dtype: 'uint8' }, gdal: ['-at', '-add'], value: 0.5, type: 'Byte' },
  { name: 'Int16 -add -0.6', opts: { merge: 'add', dtype: 'int16' }, gdal: ['-add'], value: -0.6, type: 'Int16' },
  { name: 'Float32 -at -add 0.1', opts: { allTouched: true, merge: 'add', dtype: 'float32' }, gdal: ['-at', '-add'], value: 0.1, type: 'Float32' },
];

describe(`CPU engine vs GDAL 3.6.2 (seed ${BASE}, ${N} cases per mode)`, () => {
  for (const [m, mode] of MODES.entries()) {
    it(mode.name, () => {
      const seeds = Array.from({ length: N }, (_, i) => BASE + m * 100003 + i);
      const cases = seeds.map((s) => fuzzCase(s, mode.z));
      const value = mode.z ? 0 : mode.value ?? 1;
      const refs = gdalBurn(cases.map((c) => ({
        grid: c.grid,
        geoms: c.geoms,
        opts: mode.z ? mode.gdal : ['-burn', String(value), ...mode.gdal],
        type: mode.type,
      })));
      const failures: string[] = [];
      cases.forEach((c, i) => {
        const got = burnArray(c.geoms.map((g) => ({ geometry: g, value })), c.grid, mode.opts);
        const ref = refs[i];
        let diff = 0;
        for (let k = 0; k < got.length; k++) if (got[k] !== ref[k]) diff++;
        if (diff > 0 && failures.length < 3) {
          failures.push(`seed ${seeds[i]} (${mode.name}, ${diff} px): grid ${JSON.stringify(c.grid)}\n  ${JSON.stringify(c.geoms)}\n` +
            `  got  ${rows(got, c.grid.width)}\n  gdal ${rows(ref, c.grid.width)}`);
        }
      });
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }
});

// the Python oracle above runs gdal_rasterize's library code; check it against the CLI itself
describe('gdal_rasterize CLI agrees (GeoJSON file, -te/-ts, AAIGrid read-back)', () => {
  it('a few cases in every mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rasterburn-cpu-'));
    try {
      const geoms: Geom[] = [
        wkt('POLYGON((0.5 0.5,7.5 0.5,7.5 7.5,0.5 7.5,0.5 0.5),(2.5 2.5,5.5 2.5,5.5 5.5,2.5 5.5,2.5 2.5))'),
        wkt('LINESTRING(0.2 0.3,7.8 5.7,1 7)'),
        wkt('POLYGON((1.2 1.3,5.6 1.1,4.7 4.4,1.5 4.8,1.2 1.3))'),
      ];
      const grid = NU(8, 8);
      const src = join(dir, 'in.geojson');
      writeFileSync(src, JSON.stringify({
        type: 'FeatureCollection',
        features: geoms.map((g) => ({ type: 'Feature', properties: {}, geometry: g })),
      }));
      for (const extra of [[], ['-at'], ['-add'], ['-at', '-add']]) {
        const out = join(dir, 'out.tif');
        rmSync(out, { force: true });
        gdalRasterize(['-q', '-burn', '1', ...extra, '-te', '0', '0', '8', '8', '-ts', '8', '8', '-ot', 'Byte', src, out]);
        const values = readRasters([out], { pixels: true })[0].pixels!.flat().map(Number);
        const dtype: DType = 'uint8';
        const got = burnArray(geoms, grid, { allTouched: extra.includes('-at'), merge: extra.includes('-add') ? 'add' : 'replace', dtype });
        expect(rows(got, 8), extra.join(' ')).toBe(rows(values, 8));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
