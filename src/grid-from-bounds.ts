import type { GeoTransform, Grid } from './types.js';

/** Pixel size ([xres, yres], gdal_rasterize's -tr), pixel count ([width, height], its -ts), or both. */
export type BoundsGridSize =
  | { resolution: [number, number]; size?: [number, number] }
  | { size: [number, number]; resolution?: [number, number] };

export interface GridFromBoundsOptions {
  /** Snap the bounds outward to multiples of the resolution (gdal_rasterize's -tap); needs a resolution. */
  targetAlignedPixels?: boolean;
  /** CRS recorded on the grid. */
  crs?: string;
}

// GDAL stores the computed size in a C int
const INT_MAX = 2147483647;

/**
 * The grid gdal_rasterize 3.6 creates for `-te minx miny maxx maxy` with `-tr`, `-ts` (or both) and `-tap`,
 * computed with the same float64 operations in the same order (pixel rules G3, G4, G5), so the geotransform and
 * size are bit-identical to GDAL's:
 *
 * - resolution: as given (the y sign is ignored, as -tr does); with only a size, (max - min) / size;
 * - targetAlignedPixels: min = floor(min / res) * res, max = ceil(max / res) * res;
 * - size: as given; else trunc(0.5 + (max - min) / res), which may leave the right/bottom edge short;
 * - transform: [minx, xres, 0, maxy, 0, -yres].
 *
 * Like GDAL, bounds with min > max are kept (a negative pixel size results when the size is given).
 * The layer-extent growth by half a pixel that gdal_rasterize applies without -te is not done here.
 *
 * @example
 * gridFromBounds([0, 0, 10, 5], { resolution: [3, 2] }); // 3 x 3, transform [0, 3, 0, 5, 0, -2]
 */
export function gridFromBounds(
  bounds: [number, number, number, number],
  gridSize: BoundsGridSize,
  opts: GridFromBoundsOptions = {},
): Grid {
  if (!Array.isArray(bounds) || bounds.length !== 4 || !bounds.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`bounds must be 4 finite numbers [minx, miny, maxx, maxy], got ${JSON.stringify(bounds)}`);
  }
  if (!gridSize || typeof gridSize !== 'object') throw new Error(`grid size must be { resolution } or { size }, got ${JSON.stringify(gridSize)}`);
  const { resolution, size } = gridSize;
  if (resolution === undefined && size === undefined) throw new Error('grid size needs a resolution [xres, yres] or a size [width, height]');

  let xres = 0, yres = 0;
  if (resolution !== undefined) {
    if (!Array.isArray(resolution) || resolution.length !== 2 || !resolution.every((v) => typeof v === 'number' && Number.isFinite(v) && v !== 0)) {
      throw new Error(`resolution must be two non-zero finite numbers [xres, yres], got ${JSON.stringify(resolution)}`);
    }
    xres = resolution[0];
    // -tr takes the absolute value of yres only; a negative xres goes through (and gives a negative size below)
    yres = Math.abs(resolution[1]);
  }
  let width = 0, height = 0;
  if (size !== undefined) {
    if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0 && v <= INT_MAX)) {
      throw new Error(`size must be two positive integers [width, height], got ${JSON.stringify(size)}`);
    }
    [width, height] = size;
  }
  const tap = !!opts.targetAlignedPixels;
  if (tap && resolution === undefined) throw new Error('targetAlignedPixels needs a resolution (gdal_rasterize: -tap needs -tr)');

  let [minX, minY, maxX, maxY] = bounds;
  if (resolution === undefined) {
    xres = spanOver(minX, maxX, width);
    yres = spanOver(minY, maxY, height);
  } else if (tap) {
    minX = Math.floor(minX / xres) * xres;
    maxX = Math.ceil(maxX / xres) * xres;
    minY = Math.floor(minY / yres) * yres;
    maxY = Math.ceil(maxY / yres) * yres;
  }
  if (xres === 0 || yres === 0 || !Number.isFinite(xres) || !Number.isFinite(yres)) {
    throw new Error(`cannot derive a pixel size from bounds ${JSON.stringify(bounds)} and size ${width} x ${height}: the extent is empty`);
  }
  const transform: GeoTransform = [minX, xres, 0, maxY, 0, -yres];

  if (size === undefined) {
    const fx = 0.5 + spanOver(minX, maxX, xres);
    const fy = 0.5 + spanOver(minY, maxY, yres);
    if (!(fx >= 1 && fy >= 1)) {
      throw new Error(`bounds ${JSON.stringify([minX, minY, maxX, maxY])} at resolution ${xres} x ${yres} give a grid of ${Math.trunc(fx)} x ${Math.trunc(fy)} pixels, not a positive size`);
    }
    if (fx > INT_MAX || fy > INT_MAX) {
      throw new Error(`bounds ${JSON.stringify([minX, minY, maxX, maxY])} at resolution ${xres} x ${yres} give a grid of ${fx.toExponential(3)} x ${fy.toExponential(3)} pixels, over GDAL's limit of ${INT_MAX}`);
    }
    width = Math.trunc(fx);
    height = Math.trunc(fy);
  }

  const grid: Grid = { width, height, transform };
  if (opts.crs !== undefined) grid.crs = opts.crs;
  return grid;
}

// (b - a) / d as GDAL computes it; when b - a overflows a double (bounds near +-1.8e308), divided first, where
// GDAL would give an infinite pixel size and a NaN origin
function spanOver(a: number, b: number, d: number): number {
  const span = b - a;
  return Number.isFinite(span) ? span / d : b / d - a / d;
}
