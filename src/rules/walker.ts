import type { BurnSink } from './sink.js';
import { cintFloor } from './point.js';

/*
 * GDAL 3.6.2's ALL_TOUCHED segment walker (pixel rules A1-A6). Each segment of a part is handled as
 * "vertical" (both ends in one column, or less than 0.01 px apart in x), "horizontal" (same for y),
 * or by float64 stepping from column boundary to row boundary with GDAL's 1e-9 nudges. Polygon
 * rings are walked with intersectOnly: a vertical/horizontal edge whose two ends both lie within
 * 0.01 px of an integer grid line is skipped. In ADD mode GDAL avoids burning a pixel twice when the
 * previous segment of the same part burned it (and, in the general case, twice within a segment);
 * the first and last segment of a ring are not "adjacent", so a ring's start pixel counts twice.
 */

const NEAR = 0.01;

// within 0.01 px of the nearest integer
function nearGridLine(v: number): boolean {
  return Math.abs(v - Math.round(v)) < NEAR;
}

// an integer hash set of pixel keys (row * width + col) that clears in time proportional to its use
class PixelSet {
  private keys = new Float64Array(64).fill(-1);
  private used: number[] = [];
  private mask = 63;

  clear(): void {
    const keys = this.keys;
    for (const slot of this.used) keys[slot] = -1;
    this.used.length = 0;
  }

  private slot(k: number): number {
    const h = Math.imul((k % 4294967296) | 0, 0x9e3779b1) ^ ((k / 4294967296) | 0);
    return (h ^ (h >>> 15)) & this.mask;
  }

  has(k: number): boolean {
    const keys = this.keys;
    let s = this.slot(k);
    for (;;) {
      const v = keys[s];
      if (v === k) return true;
      if (v === -1) return false;
      s = (s + 1) & this.mask;
    }
  }

  add(k: number): void {
    if ((this.used.length + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    let s = this.slot(k);
    for (;;) {
      const v = keys[s];
      if (v === k) return;
      if (v === -1) break;
      s = (s + 1) & this.mask;
    }
    keys[s] = k;
    this.used.push(s);
  }

  private grow(): void {
    const old = this.used.map((s) => this.keys[s]);
    this.keys = new Float64Array(this.keys.length * 2).fill(-1);
    this.mask = this.keys.length - 1;
    this.used.length = 0;
    for (const k of old) this.add(k);
  }
}

// The general case does not check the column against the grid: when clipping degenerates (a segment
// starting exactly on the right edge x = W and rising through y = 0), GDAL burns column W of row 0,
// which in its row-major buffer is column 0 of the next row. Reproduced through the same offset;
// a write past the end of GDAL's buffer is dropped.
function burnGeneral(row: number, col: number, width: number, height: number, variant: number, sink: BurnSink): void {
  if (col < width) {
    sink.point(row, col, variant);
    return;
  }
  const off = row * width + col;
  if (off < width * height) sink.point(Math.floor(off / width), off % width, variant);
}

/** What walkSegment decided: nothing to walk, or one of A4's two cases, or A5's stepping. */
export const SEG_SKIP = 0;
export const SEG_VERTICAL = 1;
export const SEG_HORIZONTAL = 2;
export const SEG_STEPPED = 3;

/**
 * One segment of a walk as GDAL prepares it, reused from segment to segment (no allocation a
 * segment). Vertical: column a, rows b..c (clamped to the grid; may be empty), v the Z term at row b,
 * dv its step per row. Horizontal: row a, columns b..c, v at column b, dv per column. Stepped: the
 * clipped start (x, y), the end xEnd, the slope, v at the start, dv per unit of x.
 */
export class WalkSegment {
  a = 0;
  b = 0;
  c = 0;
  x = 0;
  y = 0;
  xEnd = 0;
  slope = 0;
  v = 0;
  dv = 0;
}

/**
 * GDAL's per-segment work before it visits pixels (pixel rules A3-A5): the off-grid test, the order
 * of the ends, A3's skip of polygon edges on grid lines (`intersectOnly`), A4's classification and
 * the clip to the grid, in float64 and in GDAL's order of operations, Z term (v, vEnd) included.
 * The one copy of these rules: the CPU walk below and the GPU's walk records (src/gpu/fill/touch.ts)
 * both start from it. Fills `seg` and returns its kind; SEG_SKIP leaves `seg` unspecified.
 */
export function walkSegment(
  x: number, y: number, xEnd: number, yEnd: number, v: number, vEnd: number,
  width: number, height: number, intersectOnly: boolean, seg: WalkSegment,
): number {
  if ((y < 0 && yEnd < 0) || (y > height && yEnd > height) || (x < 0 && xEnd < 0) || (x > width && xEnd > width)) {
    return SEG_SKIP;
  }
  if (x > xEnd) {
    let t = x; x = xEnd; xEnd = t;
    t = y; y = yEnd; yEnd = t;
    t = v; v = vEnd; vEnd = t;
  }

  if (Math.floor(x) === Math.floor(xEnd) || Math.abs(x - xEnd) < NEAR) {
    // vertical: the column of the larger-x end, rows floor(min y) .. floor(max y) inclusive
    if (intersectOnly && nearGridLine(x) && nearGridLine(xEnd)) return SEG_SKIP;
    if (yEnd < y) {
      let t = y; y = yEnd; yEnd = t;
      t = v; v = vEnd; vEnd = t;
    }
    const col = cintFloor(xEnd);
    let row = cintFloor(y);
    let rowEnd = cintFloor(yEnd);
    if (col < 0 || col >= width) return SEG_SKIP;
    let dv = 0;
    if (yEnd - y > 0) dv = (vEnd - v) / (yEnd - y);
    if (row < 0) row = 0;
    if (rowEnd >= height) rowEnd = height - 1;
    seg.a = col;
    seg.b = row;
    seg.c = rowEnd;
    seg.v = v + dv * (row - y);
    seg.dv = dv;
    return SEG_VERTICAL;
  }

  const dvdx = (vEnd - v) / (xEnd - x);

  if (Math.floor(y) === Math.floor(yEnd) || Math.abs(y - yEnd) < NEAR) {
    // horizontal: the row of the left end, columns floor(x) .. floor(xEnd) inclusive
    if (intersectOnly && nearGridLine(y) && nearGridLine(yEnd)) return SEG_SKIP;
    let col = cintFloor(x);
    const row = cintFloor(y);
    let colEnd = cintFloor(xEnd);
    if (row < 0 || row >= height) return SEG_SKIP;
    if (col < 0) col = 0;
    if (colEnd >= width) colEnd = width - 1;
    seg.a = row;
    seg.b = col;
    seg.c = colEnd;
    seg.v = v + dvdx * (col - x);
    seg.dv = dvdx;
    return SEG_HORIZONTAL;
  }

  // general case: clip to the grid in x, then in y
  const slope = (yEnd - y) / (xEnd - x);
  if (xEnd > width) {
    yEnd -= (xEnd - width) * slope;
    xEnd = width;
  }
  if (x < 0) {
    y += (0 - x) * slope;
    v += dvdx * (0 - x);
    x = 0;
  }
  if (yEnd > y) {
    if (y < 0) {
      const diff = (0 - y) / slope;
      x += diff;
      v += dvdx * diff;
      y = 0;
    }
    if (yEnd >= height) xEnd += (yEnd - height) / slope;
  } else {
    if (y >= height) {
      const diff = (height - y) / slope;
      x += diff;
      v += dvdx * diff;
      y = height;
    }
    if (yEnd < 0) xEnd -= (yEnd - 0) / slope;
  }
  // the stepping loop runs while x >= 0 && x < xEnd: none of it runs otherwise
  if (!(x >= 0 && x < xEnd)) return SEG_SKIP;
  seg.x = x;
  seg.y = y;
  seg.xEnd = xEnd;
  seg.slope = slope;
  seg.v = v;
  seg.dv = dvdx;
  return SEG_STEPPED;
}

const seg = new WalkSegment();
let lastBurnt = new PixelSet();
let newBurnt = new PixelSet();

export interface WalkOptions {
  /** skip vertical/horizontal segments lying on grid lines (polygon rings in GDAL >= 3.6) */
  intersectOnly: boolean;
  /** GDAL's bAvoidBurningSamePoints, on in ADD mode */
  avoidSame: boolean;
  /**
   * The Z term: per-vertex values interpolated along each segment (lines), a constant for every
   * vertex (polygons use their first vertex's Z), or null when Z is not burned (variant 0).
   */
  variants: Float64Array | number | null;
}

/** Walks every segment (consecutive vertex pairs only) of parts partFrom..partTo-1. */
export function walkParts(
  xs: Float64Array,
  ys: Float64Array,
  vertexStart: Uint32Array,
  partFrom: number,
  partTo: number,
  width: number,
  height: number,
  opts: WalkOptions,
  sink: BurnSink,
): void {
  const { intersectOnly, avoidSame, variants } = opts;
  const useVariant = variants !== null;
  const perVertex = typeof variants === 'object' && variants !== null ? variants : null;
  const constVariant = typeof variants === 'number' ? variants : 0;
  // dedupe keys must tell column `width` (see burnGeneral) apart from column 0 of the next row
  const stride = width + 1;

  for (let p = partFrom; p < partTo; p++) {
    const s = vertexStart[p];
    const e = vertexStart[p + 1];
    if (avoidSame) newBurnt.clear();
    for (let j = s + 1; j < e; j++) {
      if (avoidSame) {
        // the previous segment's pixels become the ones to avoid; a skipped segment leaves none
        const t = lastBurnt;
        lastBurnt = newBurnt;
        newBurnt = t;
        newBurnt.clear();
      }
      let x = xs[j - 1];
      let y = ys[j - 1];
      let xEnd = xs[j];
      let yEnd = ys[j];
      let v = 0;
      let vEnd = 0;
      if (useVariant) {
        v = perVertex !== null ? perVertex[j - 1] : constVariant;
        vEnd = perVertex !== null ? perVertex[j] : constVariant;
      }

      const kind = walkSegment(x, y, xEnd, yEnd, v, vEnd, width, height, intersectOnly, seg);
      if (kind === SEG_SKIP) continue;
      v = seg.v;
      if (kind === SEG_VERTICAL) {
        const col = seg.a, dv = seg.dv;
        for (let row = seg.b, rowEnd = seg.c; row <= rowEnd; row++, v += dv) {
          if (avoidSame) {
            const key = row * stride + col;
            if (lastBurnt.has(key)) continue;
            newBurnt.add(key);
          }
          sink.point(row, col, useVariant ? v : 0);
        }
        continue;
      }
      if (kind === SEG_HORIZONTAL) {
        const row = seg.a, colEnd = seg.c, dvdx = seg.dv;
        let col = seg.b;
        if (!avoidSame && !useVariant) {
          if (col <= colEnd) sink.span(row, col, colEnd, 0);
          continue;
        }
        for (; col <= colEnd; col++, v += dvdx) {
          if (avoidSame) {
            const key = row * stride + col;
            if (lastBurnt.has(key)) continue;
            newBurnt.add(key);
          }
          sink.point(row, col, useVariant ? v : 0);
        }
        continue;
      }

      // stepped: pixel by pixel from the clipped start
      x = seg.x;
      y = seg.y;
      xEnd = seg.xEnd;
      const slope = seg.slope, dvdx = seg.dv;
      while (x >= 0 && x < xEnd) {
        const col = cintFloor(x);
        const row = cintFloor(y);
        if (row >= 0 && row < height) {
          if (avoidSame) {
            const key = row * stride + col;
            if (!lastBurnt.has(key) && !newBurnt.has(key)) {
              newBurnt.add(key);
              burnGeneral(row, col, width, height, useVariant ? v : 0, sink);
            }
          } else {
            burnGeneral(row, col, width, height, useVariant ? v : 0, sink);
          }
        } else if (slope > 0 ? y >= height : slope < 0 ? y < 0 : false) {
          // y only moves away from the grid from here on; GDAL keeps stepping without burning
          break;
        }
        let stepX = Math.floor(x + 1) - x;
        let stepY = stepX * slope;
        if (cintFloor(y + stepY) === row) {
          x += stepX;
          y += stepY;
          v += dvdx * stepX;
        } else if (slope < 0) {
          stepY = row - y;
          if (stepY > -0.000000001) stepY = -0.000000001;
          stepX = stepY / slope;
          x += stepX;
          y += stepY;
          v += dvdx * stepX;
        } else {
          stepY = row + 1 - y;
          if (stepY < 0.000000001) stepY = 0.000000001;
          stepX = stepY / slope;
          x += stepX;
          y += stepY;
          v += dvdx * stepX;
        }
      }
    }
    if (avoidSame) {
      lastBurnt.clear();
      newBurnt.clear();
    }
  }
}
