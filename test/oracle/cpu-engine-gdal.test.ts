// The CPU engine on medium-size shapes against GDAL 3.6.2: long rings keep many edges active per row, and
// the whole band must equal gdal_rasterize's in every mode.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { burnArray, gdalBurn, mulberry32, type Geom, type TestGrid } from '../shared/cpu-helpers.js';

describe('medium-size shapes against GDAL (digest of the whole band)', () => {
  // long rings keep many edges active per row, so the active-edge ordering is exercised
  it('1,000-vertex polygons and lines on 700 x 500, every mode', () => {
    const rnd = mulberry32(99);
    const grid: TestGrid = { width: 700, height: 500, transform: [1000, 0.5, 0, 2000, 0, -0.5] };
    const ring = (n: number, cx: number, cy: number, r0: number, r1: number) => {
      const pts = Array.from({ length: n }, (_, i) => {
        const a = (i / n) * 2 * Math.PI;
        const r = r0 + (r1 - r0) * rnd();
        return [Math.round((cx + r * Math.cos(a)) * 4) / 4, Math.round((cy + r * Math.sin(a)) * 4) / 4];
      });
      return [...pts, pts[0]];
    };
    // 300 slanted teeth whose 600 edges all enter on the same row (the bulk sort of entering edges)
    const comb = () => {
      const px: number[][] = [[20, 470.25], [20, 490]];
      for (let i = 0; i < 300; i++) px.push([20 + 2.2 * i + 0.3, 490], [20 + 2.2 * i + 0.9 + (i % 7) * 0.37, 40.3], [20 + 2.2 * i + 1.7, 490]);
      px.push([680, 490], [680, 470.25], [20, 470.25]);
      return px.map(([x, y]) => [1000 + 0.5 * x, 2000 - 0.5 * y]);
    };
    const geoms: Geom[] = [
      { type: 'Polygon', coordinates: [ring(1000, 1170, 1880, 60, 150), ring(300, 1170, 1880, 20, 50)] },
      { type: 'MultiPolygon', coordinates: [[ring(1000, 1250, 1900, 20, 140)], [ring(700, 1300, 1850, 40, 100)]] },
      { type: 'LineString', coordinates: ring(1000, 1100, 1820, 10, 200) },
      { type: 'Polygon', coordinates: [comb()] },
    ];
    const modes = [[], ['-at'], ['-add'], ['-at', '-add']];
    const refs = gdalBurn(modes.map((m) => ({ grid, geoms, opts: ['-burn', '1', ...m] })));
    modes.forEach((m, i) => {
      const got = burnArray(geoms, grid, { allTouched: m.includes('-at'), merge: m.includes('-add') ? 'add' : 'replace' });
      const digest = (a: ArrayLike<number>) => createHash('sha1').update(Buffer.from(Float64Array.from(a).buffer)).digest('hex');
      let diff = 0;
      for (let k = 0; k < got.length; k++) if (got[k] !== refs[i][k]) diff++;
      expect(diff, m.join(' ')).toBe(0);
      expect(digest(got)).toBe(digest(refs[i]));
    });
  });
});
