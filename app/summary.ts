// One pass over a burned raster for the summary, the legend and the warnings. Runs in the burn worker
// (a 10,000 x 10,000 raster takes long enough to freeze the page if counted on the main thread).
import type { Raster } from '../src/index.js';

/** Distinct values are counted up to this many; beyond it the count is "more than". */
export const DISTINCT_CAP = 65_536;

export interface RasterSummary {
  /** what unburned pixels hold: nodata if recorded, else 0 (rasterize()'s init) */
  background: number;
  /** pixels that differ from the background (NaN counts as unburned) */
  burned: number;
  total: number;
  /** distinct burned values, at most DISTINCT_CAP + 1 (then `distinctCapped`) */
  distinct: number;
  distinctCapped: boolean;
  /** smallest and largest burned value; NaN when nothing burned */
  min: number;
  max: number;
  /** every burned value is a whole number (an ID, a class): drawn as categories */
  integers: boolean;
  /** the most frequent burned values, most frequent first, with their pixel counts (for the legend) */
  top: [number, number][];
}

/** What unburned pixels hold: nodata if set, else the init value 0 (rasterize()'s default). */
export function backgroundOf(r: Pick<Raster, 'nodata'>): number {
  return r.nodata ?? 0;
}

export function summarize(raster: Raster, topCount = 12): RasterSummary {
  const background = backgroundOf(raster);
  const d = raster.data;
  const counts = new Map<number, number>();
  let burned = 0, min = Infinity, max = -Infinity, integers = true, capped = false;
  for (let k = 0; k < d.length; k++) {
    const v = Number(d[k]);
    if (v === background || v !== v) continue;
    burned++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (!capped) {
      counts.set(v, 1);
      if (counts.size > DISTINCT_CAP) capped = true;
    }
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, topCount);
  return {
    background, burned, total: d.length, distinct: counts.size, distinctCapped: capped,
    min: burned ? min : NaN, max: burned ? max : NaN, integers, top,
  };
}
