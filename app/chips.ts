// Chips for machine-learning labels: a grid cut into size x size tiles, each a grid of its own (edge
// chips run past the grid so every chip has the same shape, as training code expects), and the
// index of what was written: a GeoJSON FeatureCollection of the chips' footprints in the grid's CRS.
import type { GeoTransform, Grid } from '../src/index.js';

export interface Chip {
  /** chip row and column in the chip layout */
  row: number;
  col: number;
  grid: Grid;
  /** file name inside the zip */
  file: string;
}

/** The largest number of chips one run makes (each is a job and a file). */
export const MAX_CHIPS = 100_000;

/** Cuts `grid` into chips of `size` x `size` pixels, row by row from the top-left. */
export function chipGrids(grid: Grid, size: number, baseName: string, ext: 'tif' | 'npy'): Chip[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chip size must be a whole number of pixels, got ${size}`);
  const rows = Math.ceil(grid.height / size), cols = Math.ceil(grid.width / size);
  if (rows * cols > MAX_CHIPS) throw new Error(`${rows} × ${cols} = ${(rows * cols).toLocaleString('en')} chips of ${size} pixels: at most ${MAX_CHIPS.toLocaleString('en')} (use larger chips)`);
  const [x0, dx, rx, y0, ry, dy] = grid.transform;
  const pad = (n: number, of: number): string => String(n).padStart(String(of - 1).length, '0');
  const out: Chip[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const px = c * size, py = r * size;
      const transform: GeoTransform = [x0 + px * dx + py * rx, dx, rx, y0 + px * ry + py * dy, ry, dy];
      const chip: Grid = { width: size, height: size, transform };
      if (grid.crs !== undefined) chip.crs = grid.crs;
      out.push({ row: r, col: c, grid: chip, file: `${baseName}_r${pad(r, rows)}_c${pad(c, cols)}.${ext}` });
    }
  }
  return out;
}

/** A chip's four corners in map coordinates, closed, clockwise from the top-left. */
function footprint(g: Grid): number[][] {
  const [x0, dx, rx, y0, ry, dy] = g.transform;
  const at = (c: number, r: number): number[] => [x0 + c * dx + r * rx, y0 + c * ry + r * dy];
  return [at(0, 0), at(g.width, 0), at(g.width, g.height), at(0, g.height), at(0, 0)];
}

/** The index written beside the chips: one Polygon per chip written, with its file, position and burned pixel count. */
export function chipIndex(written: { chip: Chip; burned: number }[], grid: Grid): string {
  const features = written.map(({ chip, burned }) => ({
    type: 'Feature',
    properties: { file: chip.file, row: chip.row, col: chip.col, x: chip.col * chip.grid.width, y: chip.row * chip.grid.height, width: chip.grid.width, height: chip.grid.height, burned },
    geometry: { type: 'Polygon', coordinates: [footprint(chip.grid)] },
  }));
  // the CRS is named the pre-RFC 7946 way: the footprints are in the grid's CRS, not necessarily lon/lat
  const crs = grid.crs ? { crs: { type: 'name', properties: { name: grid.crs } } } : {};
  return JSON.stringify({ type: 'FeatureCollection', ...crs, features });
}
