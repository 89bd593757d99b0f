// The page's own warnings: results that are probably not what the user wanted, which would otherwise
// end as a blank canvas or quietly wrong values. Each is one line, shown beside the result and in
// the summary; the library's own (stats.warnings) are shown with them.
import type { DType, Grid } from '../src/index.js';
import type { ClampInfo } from './protocol.js';
import type { RasterSummary } from './summary.js';

type Extent = [number, number, number, number];

/** The grid's extent in its CRS: the bounding box of its four corners. */
export function gridExtent(grid: Grid): Extent {
  const [x0, dx, rx, y0, ry, dy] = grid.transform;
  const xs = [0, grid.width].flatMap((c) => [0, grid.height].map((r) => x0 + c * dx + r * rx));
  const ys = [0, grid.width].flatMap((c) => [0, grid.height].map((r) => y0 + c * ry + r * dy));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function formatExtent(e: Extent): string {
  return e.map((v) => (Number.isInteger(v) ? String(v) : v.toPrecision(9).replace(/\.?0+$/, ''))).join(' ');
}

function overlaps(a: Extent, b: Extent): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** GDAL's grid for a GeoTIFF without georeferencing: pixel coordinates. */
export function isUngeoreferenced(grid: Grid): boolean {
  const t = grid.transform;
  return !grid.crs && t[0] === 0 && t[1] === 1 && t[2] === 0 && t[3] === 0 && t[4] === 0 && t[5] === 1;
}

export function ungeoreferencedWarning(name: string): string {
  return `${name} has no georeferencing: its grid is in pixel coordinates (transform [0, 1, 0, 0, 0, 1], no CRS), so features in map coordinates land far off it.`;
}

const RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
};

export interface WarningInput {
  /** features in the input */
  count: number;
  summary: RasterSummary;
  /** the features' extent in the grid's CRS (from the prepared shapes), null when none has coordinates */
  dataExtent: Extent | null;
  grid: Grid;
  dtype: DType;
  invert: boolean;
  clamped: ClampInfo | null;
  /** the template's file name when the grid is an ungeoreferenced template's */
  ungeoreferencedTemplate: string | null;
  /** the library's own warnings (stats.warnings) */
  library: string[];
}

export function pageWarnings(w: WarningInput): string[] {
  const out: string[] = [];
  const crs = w.grid.crs ? ` (${w.grid.crs})` : '';
  if (w.count === 0) {
    out.push('The input has no features: nothing was burned.');
  } else if (w.summary.burned === 0 && !w.invert) {
    const grid = formatExtent(gridExtent(w.grid));
    if (!w.dataExtent) out.push('Nothing was burned: no feature has coordinates.');
    else if (!overlaps(w.dataExtent, gridExtent(w.grid))) {
      out.push(`Nothing was burned: the features' extent ${formatExtent(w.dataExtent)} does not meet the grid's extent ${grid}${crs}. Check the grid's CRS and bounds, or fit the grid to the features.`);
    } else {
      out.push(`Nothing was burned: the features' extent ${formatExtent(w.dataExtent)} meets the grid's extent ${grid}${crs}, but no pixel centre is inside a feature; try "all touched" or a finer resolution.`);
    }
  }
  if (w.clamped) {
    const range = RANGE[w.dtype];
    const n = w.clamped.features;
    out.push(`${n.toLocaleString('en')} feature${n === 1 ? ' has a burn value' : 's have burn values'} outside ${w.dtype}'s range${range ? ` (${range[0]} to ${range[1]})` : ''}, from ${w.clamped.min} to ${w.clamped.max}: clamped to the range, as GDAL does; choose a wider output type to keep them.`);
  }
  if (w.ungeoreferencedTemplate) out.push(ungeoreferencedWarning(w.ungeoreferencedTemplate));
  // the library says some of the same things (stats.warnings): each is said once, in the page's words
  // where the page has its own line (those name the fix in the page's terms)
  const nothingMet = out.some((l) => l.startsWith('Nothing was burned'));
  out.push(...w.library.filter((l) => !(w.clamped && / does not fit /.test(l)) && !(nothingMet && l.startsWith('no feature meets the grid'))));
  return out;
}
