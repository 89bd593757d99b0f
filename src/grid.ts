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
  const t = transform as readonly number[];
  if (Array.isArray(t) && t.length === 9 && t[6] === 0 && t[7] === 0 && t[8] === 1) {
    throw new Error(`grid transform ${JSON.stringify(transform)} is a 3x3 affine matrix (rasterio's Affine); rasterburn takes GDAL's 6 numbers: use gridFromAffine(affine, width, height, crs)`);
  }
  if (!Array.isArray(transform) || transform.length !== 6 || !transform.every(Number.isFinite)) {
    throw new Error(`grid transform must be 6 finite numbers in GDAL order, got ${JSON.stringify(transform)}`);
  }
  if (looksLikeAffine(transform)) {
    throw new Error(`grid transform ${JSON.stringify(transform)} looks like rasterio's Affine order [a, b, c, d, e, f]; rasterburn takes GDAL order [c, a, b, f, d, e]: use gridFromAffine(affine, width, height, crs)`);
  }
}

/**
 * A north-up rasterio Affine [a, 0, c, 0, e, f] read in GDAL's slots gives a zero pixel width and a
 * zero origin y with a non-zero pixel height: a degenerate shear no real GDAL grid has, but invertible,
 * so it would silently burn onto a wrong grid.
 */
export function looksLikeAffine(t: readonly number[]): boolean {
  return t[1] === 0 && t[3] === 0 && t[5] !== 0 && t[0] !== 0 && t[4] !== 0;
}
