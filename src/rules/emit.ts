import type { ShapeSet } from '../features/shapes.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON } from '../features/shapes.js';
import type { BurnSink } from './sink.js';
import { burnPoints } from './point.js';
import { bresenhamParts } from './line.js';
import { walkParts } from './walker.js';
import { fillPolygon } from './polygon.js';

export interface EmitOptions {
  allTouched: boolean;
  merge: 'replace' | 'add';
  burnZ: boolean;
  /** false: polygons send only their all-touched edge pixels, the caller fills them itself (the GPU fill) */
  polygonFill?: boolean;
}

/** Rows y0..y1-1 of the grid: the only rows a windowed emitShape sends to its sink. */
export interface RowWindow {
  y0: number;
  y1: number;
}

// drops the rows outside a window for the routines that walk in full-grid coordinates (Bresenham,
// the ALL_TOUCHED walker, points): their pixel choices never depend on the grid's height beyond
// clipping, so filtering what they send keeps the whole-grid result row for row
class WindowFilter implements BurnSink {
  inner: BurnSink | null = null;
  y0 = 0;
  y1 = 0;
  span(y: number, x0: number, x1: number, variant: number): void {
    if (y >= this.y0 && y < this.y1) this.inner!.span(y, x0, x1, variant);
  }
  point(y: number, x: number, variant: number): void {
    if (y >= this.y0 && y < this.y1) this.inner!.point(y, x, variant);
  }
}
const filter = new WindowFilter();

/**
 * Sends the pixels of shape `i` to `sink`, dispatching on the shape's kind as GDAL's
 * rasterize_one_shape does (pixel rule F7): points -> point rule; lines -> ALL_TOUCHED
 * walker or Bresenham; polygons -> (ALL_TOUCHED: walker over every ring segment, intersect-only)
 * then the scanline fill. The variant (Z term) is per vertex for points and lines and the first
 * vertex's Z for a whole polygon (pixel rule V7); it is 0 when Z is not burned. Shared by the CPU engine and
 * the GPU span path, so it knows nothing about output arrays.
 *
 * With a `window`, only rows window.y0..y1-1 reach the sink, still in full-grid row numbers, and
 * each of them exactly as the whole-grid burn has it: coordinates are never shifted (that would
 * round differently), the polygon fill scans only the window's rows, the other routines are
 * filtered.
 */
export function emitShape(
  shapes: ShapeSet,
  i: number,
  width: number,
  height: number,
  opts: EmitOptions,
  sink: BurnSink,
  window?: RowWindow,
): void {
  if (window !== undefined && (window.y0 > 0 || window.y1 < height)) {
    const { y0, y1 } = window;
    if (!(Number.isInteger(y0) && Number.isInteger(y1) && y0 >= 0 && y1 <= height && y0 < y1)) {
      throw new Error(`row window [${y0}, ${y1}) is not inside the grid's ${height} rows`);
    }
    filter.inner = sink;
    filter.y0 = y0;
    filter.y1 = y1;
    try {
      dispatch(shapes, i, width, height, opts, filter, sink, y0, y1);
    } finally {
      // no band array outlives its burn through the shared filter
      filter.inner = null;
    }
    return;
  }
  dispatch(shapes, i, width, height, opts, sink, sink, 0, height);
}

// `sink` receives the walkers' pixels, `fillSink` the polygon fill's (already limited to the rows)
function dispatch(
  shapes: ShapeSet,
  i: number,
  width: number,
  height: number,
  opts: EmitOptions,
  sink: BurnSink,
  fillSink: BurnSink,
  rowFrom: number,
  rowTo: number,
): void {
  const { x, y, vertexStart, partStart } = shapes;
  const p0 = partStart[i];
  const p1 = partStart[i + 1];
  if (p0 === p1) return;
  const z = opts.burnZ ? shapes.z : null;
  const kind = shapes.kind[i];

  const windowed = rowFrom > 0 || rowTo < height;

  if (kind === KIND_POINT) {
    burnPoints(x, y, z, vertexStart[p0], vertexStart[p1], width, height, sink);
  } else if (kind === KIND_LINE) {
    if (opts.allTouched) {
      const wo = { intersectOnly: false, avoidSame: opts.merge === 'add', variants: z };
      if (!windowed) walkParts(x, y, vertexStart, p0, p1, width, height, wo, sink);
      else forRuns(y, vertexStart, p0, p1, rowFrom, rowTo, (vs, a, b) => walkParts(x, y, vs, a, b, width, height, wo, sink));
    } else if (!windowed) {
      bresenhamParts(x, y, z, vertexStart, p0, p1, width, height, sink);
    } else {
      forRuns(y, vertexStart, p0, p1, rowFrom, rowTo, (vs, a, b) => bresenhamParts(x, y, z, vs, a, b, width, height, sink));
    }
  } else if (kind === KIND_POLYGON) {
    const first = vertexStart[p0];
    if (first === vertexStart[p1]) return;
    const variant = z === null ? 0 : z[first];
    if (opts.allTouched) {
      const wo = { intersectOnly: true, avoidSame: opts.merge === 'add', variants: z === null ? null : variant };
      if (!windowed) walkParts(x, y, vertexStart, p0, p1, width, height, wo, sink);
      else forRuns(y, vertexStart, p0, p1, rowFrom, rowTo, (vs, a, b) => walkParts(x, y, vs, a, b, width, height, wo, sink));
    }
    if (opts.polygonFill !== false) fillPolygon(x, y, vertexStart, p0, p1, width, height, variant, fillSink, rowFrom, rowTo);
  } else {
    throw new Error(`shape ${i} has unknown kind ${kind}`);
  }
}

// coordinates this far out make GDAL's int conversions wrap (pixel rule N1): a segment touching
// one may reach any row, so it is always walked
const FAR = 2 ** 30;
// rows a segment may burn beyond its own floor(min y)..floor(max y): the walker's 1e-9 nudges and
// its column-W write into the next row
const MARGIN = 2;
const run = new Uint32Array(2);

/**
 * Walks, as parts of their own, the runs of consecutive segments of parts p0..p1-1 that can reach
 * rows y0..y1-1, skipping the segments that cannot. For those rows this is exact: what a skipped
 * segment changes (its own pixels, the ADD-mode "burned by the previous segment" set it hands on,
 * Bresenham's end pixel of the segment before it, which is a vertex of the skipped one) lies
 * outside the window, and the window filter drops it. A band of a tall grid then costs the
 * segments near it, not every segment of every shape that crosses it.
 */
function forRuns(
  ys: Float64Array,
  vertexStart: Uint32Array,
  p0: number,
  p1: number,
  y0: number,
  y1: number,
  walk: (vs: Uint32Array, partFrom: number, partTo: number) => void,
): void {
  const lo = y0 - MARGIN, hi = y1 + MARGIN;
  for (let p = p0; p < p1; p++) {
    const s = vertexStart[p], e = vertexStart[p + 1];
    let start = -1;
    for (let j = s + 1; j < e; j++) {
      const a = ys[j - 1], b = ys[j];
      // NaN fails every comparison: such a segment is walked
      const near = !(a > -FAR && a < FAR && b > -FAR && b < FAR) || !((a < lo && b < lo) || (a >= hi && b >= hi));
      if (near) {
        if (start < 0) start = j - 1;
      } else if (start >= 0) {
        run[0] = start;
        run[1] = j;
        walk(run, 0, 1);
        start = -1;
      }
    }
    if (start >= 0) {
      run[0] = start;
      run[1] = e;
      walk(run, 0, 1);
    }
  }
}
