// A grid's corners in lon/lat, where the map places the result. Computed in the data worker: the
// first reprojection loads the CRS tables, which would otherwise hold the page's main thread.
import type { Grid } from '../src/index.js';
import { makeTransformer } from '../src/crs.js';

type LngLat = [number, number];

/** The grid's four corners in lon/lat (top-left, top-right, bottom-right, bottom-left), or null without a CRS. */
export function cornersLngLat(g: Pick<Grid, 'width' | 'height' | 'transform' | 'crs'>): LngLat[] | null {
  if (!g.crs) return null;
  const to = makeTransformer(g.crs, 'OGC:CRS84');
  const [x0, dx, rx, y0, ry, dy] = g.transform;
  const at = (c: number, row: number): LngLat => {
    const x = x0 + c * dx + row * rx, y = y0 + c * ry + row * dy;
    return to ? to(x, y) : [x, y];
  };
  const corners = [at(0, 0), at(g.width, 0), at(g.width, g.height), at(0, g.height)];
  return corners.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) ? corners : null;
}
