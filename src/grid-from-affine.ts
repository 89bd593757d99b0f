// rasterio's grid spelling: an Affine (a, b, c, d, e, f) with out_shape, turned into a Grid in GDAL order.
import { checkGrid } from './grid.js';
import type { Grid } from './types.js';

/** rasterio's / affine's coefficients: x = a*col + b*row + c, y = d*col + e*row + f (6 numbers, or the 9 of the 3x3 matrix). */
export type Affine = readonly [number, number, number, number, number, number] | readonly [number, number, number, number, number, number, number, number, number];

/**
 * The grid for a rasterio `transform` (an `Affine`, or any array of its coefficients in its order) and
 * `out_shape` given as width and height (rasterio's out_shape is (height, width)). The transform is
 * reordered into GDAL's [c, a, b, f, d, e], which rasterburn's grids use; nothing is rounded.
 *
 * @example
 * // rasterio: Affine(0.5, 0, 456000, 0, -0.5, 5430500), out_shape=(1000, 1000)
 * const grid = gridFromAffine([0.5, 0, 456000, 0, -0.5, 5430500], 1000, 1000, 'EPSG:32633');
 * grid.transform; // [456000, 0.5, 0, 5430500, 0, -0.5]
 */
export function gridFromAffine(affine: Affine, width: number, height: number, crs?: string): Grid {
  const t = affine as readonly number[];
  if (!Array.isArray(t) || (t.length !== 6 && t.length !== 9) || !t.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`affine must be 6 (or 9) finite numbers [a, b, c, d, e, f], got ${JSON.stringify(affine)}`);
  }
  if (t.length === 9 && (t[6] !== 0 || t[7] !== 0 || t[8] !== 1)) throw new Error(`affine's last row must be [0, 0, 1], got ${JSON.stringify(t.slice(6))}`);
  if (crs !== undefined && (typeof crs !== 'string' || crs === '')) throw new Error(`crs must be a CRS string, got ${JSON.stringify(crs)}`);
  const [a, b, c, d, e, f] = t;
  if (a * e - b * d === 0) throw new Error(`affine ${JSON.stringify(affine)} is not invertible (zero pixel size)`);
  const grid: Grid = { width, height, transform: [c, a, b, f, d, e] };
  if (crs !== undefined) grid.crs = crs;
  checkGrid({ ...grid, transform: [c, a, b, f, d, e] });
  return grid;
}
