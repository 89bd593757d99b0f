// An ESRI world file (.tfw) as GDAL 3.6 writes it for -co TFW=YES: six lines, x pixel size, the two rotation
// terms (row then column), y pixel size, then the CENTRE of the top-left pixel, each printed with ten
// decimals as C's "%.10f" prints them. Browser-safe: the Node side writes the text (src/io/node-world-file.ts).
import type { Grid } from '../../types.js';

/** The world file's text for a grid's geotransform, byte for byte what GDAL writes. */
export function worldFileText(grid: Pick<Grid, 'transform'>): string {
  const [x0, px, rx, y0, ry, py] = grid.transform;
  const values = [px, ry, rx, py, x0 + 0.5 * px + 0.5 * rx, y0 + 0.5 * ry + 0.5 * py];
  return values.map((v) => `${fixed10(v)}\n`).join('');
}

/**
 * The path GDAL gives the world file: the output's extension (after the last dot of its last path component)
 * replaced by `tfw`, or `.tfw` appended when it has none.
 */
export function worldFilePath(raster: string): string {
  const slash = Math.max(raster.lastIndexOf('/'), raster.lastIndexOf('\\'));
  const dot = raster.lastIndexOf('.');
  return `${dot > slash ? raster.slice(0, dot) : raster}.tfw`;
}

/**
 * C's printf("%.10f"): the exact binary value rounded to ten decimals. Number#toFixed rounds the exact value
 * too, except that it breaks an exact tie upwards where glibc rounds it to even, prints -0 without its sign,
 * and switches to exponent form from 1e21.
 */
export function fixed10(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  // an integer from 2^53 up: exact as a BigInt
  if (a >= 1e21) return `${sign}${BigInt(a).toString()}.0000000000`;
  let s = a.toFixed(10);
  // a tie at the eleventh decimal is an exact binary fraction, so its expansion ends there
  const exact = a.toFixed(100);
  const point = exact.indexOf('.');
  if (/^50*$/.test(exact.slice(point + 11))) {
    const down = exact.slice(0, point + 11);
    // glibc rounds a tie to the even last digit: keep the truncation when its last digit is even
    if (Number(down[down.length - 1]) % 2 === 0) s = down;
  }
  return sign + s;
}
