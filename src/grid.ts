import type { GeoTransform, Grid } from './types.js';

/** Inverse of a geotransform, computed as GDALInvGeoTransform does (no-rotation fast path), so ties land as in GDAL. */
export function invertTransform(gt: GeoTransform): GeoTransform {
  if (gt[2] === 0 && gt[4] === 0) {
    if (gt[1] === 0 || gt[5] === 0) throw new Error(`geotransform has a zero pixel size: [${gt.join(', ')}]`);
    return [-gt[0] / gt[1], 1 / gt[1], 0, -gt[3] / gt[5], 0, 1 / gt[5]];
  }
  const det = gt[1] * gt[5] - gt[2] * gt[4];
  if (Math.abs(det) < 1e-15) throw new Error(`geotransform is not invertible: [${gt.join(', ')}]`);
  const inv = 1 / det;
  return [
    (gt[2] * gt[3] - gt[0] * gt[5]) * inv,
    gt[5] * inv,
    -gt[2] * inv,
    (-gt[1] * gt[3] + gt[0] * gt[4]) * inv,
    -gt[4] * inv,
    gt[1] * inv,
  ];
}

/** Validates a grid's size and transform, with a message naming the bad value. */
export function checkGrid(grid: Grid): void {
  if (grid === null || typeof grid !== 'object') throw new Error(`grid must be an object { width, height, transform, crs? }, got ${grid === null ? 'null' : typeof grid}`);
  const { width, height, transform } = grid;
  if (!Number.isInteger(width) || width <= 0) throw new Error(`grid width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height <= 0) throw new Error(`grid height must be a positive integer, got ${height}`);
  if (!Array.isArray(transform) || transform.length !== 6 || !transform.every(Number.isFinite)) {
    throw new Error(`grid transform must be 6 finite numbers in GDAL order, got ${JSON.stringify(transform)}`);
  }
}
