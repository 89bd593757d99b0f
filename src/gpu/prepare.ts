// The CPU half of the span/triangle path: GDAL's rules (rules/emit.ts) into per-tile rectangles, and
// valid polygons into earcut triangles when the triangle fill is asked for. Nothing here touches
// the GPU.
import { abortError, now } from '../abort.js';
import { emitShape } from '../rules/emit.js';
import { converter, DTYPES } from '../dtype.js';
import { KIND_POLYGON, type ShapeSet } from '../features/shapes.js';
import type { DType, ProgressInfo } from '../types.js';
import { alignedBytesPerRow, type GpuPlan } from './device.js';
import { GpuUnsupportedError } from './errors.js';
import { f32Bits, f32Exact, pixelBits } from './formats.js';
import { RECT_WORDS, SpanCollector, type Bucket, type TileLayout } from './spans.js';
import { triangulatePolygon, type TriangulatedShape } from './triangles.js';

/** How the span/triangle path burns: render into a texture, add into integer accumulators, or blend float32. */
export type Mode = 'replace' | 'add-int' | 'add-float';

/** What the tile passes draw: per tile, its rectangles and triangulated shapes. */
export interface Work {
  bucketOf: (tile: number) => Bucket;
  /** indices into `tris`, in shape order */
  trisOf: (tile: number) => number[];
  tris: TriangulatedShape[];
  /** the value bits of each triangulated shape */
  triBits: number[];
  /** merge 'add' into 8/16-bit types: plain wrapping atomicAdd (no pixel's total can reach 2^31) */
  wrapAdd: boolean;
  /** merge 'add' with burns <= 0: sums move down */
  down: boolean;
}

export interface Prepared {
  work: Work;
  /** polygons the triangle path sent as spans (invalid, too large, ...) */
  asSpans: number;
  /** whether triangles were used at all (merge 'replace', no allTouched or burnZ) */
  useTriangles: boolean;
}

export interface TilePrepareOptions {
  mode: Mode;
  dtype: DType;
  triangles: boolean;
  allTouched: boolean;
  burnZ: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
}

// f32 values GPU blending adds exactly like GDAL's double-then-round: multiples of 2^-126 (every
// normal float32 of magnitude >= 2^-103), so no sum can ever become subnormal and be flushed
export function onFloatGrid(v: number): boolean {
  return v === Infinity || v === -Infinity || Math.abs(v) >= 2 ** -103 || Number.isInteger(v * 2 ** 126);
}

/**
 * Merge 'add' burns into integer types as the GPU adds them: whole numbers, all of one sign, each
 * encoded as its magnitude (-1 for zero: nothing to add); `down` once a burn was negative.
 */
export class IntegerIncrements {
  private up = false;
  down = false;

  encode(v: number, shape: number): number {
    if (!Number.isInteger(v)) throw new GpuUnsupportedError(`merge 'add' on the GPU needs whole-number burns; shape ${shape} burns ${v}; use the CPU backend`);
    if (v === 0) return -1;
    if (v > 0) this.up = true; else this.down = true;
    if (this.up && this.down) throw new GpuUnsupportedError(`merge 'add' on the GPU needs burns of one sign; shape ${shape} burns ${v} after burns of the other sign; use the CPU backend`);
    return Math.min(Math.abs(v), 0xffffffff);
  }
}

/** Tile size for a grid, from the device limits, the memory budget and the mode's bytes per pixel. */
export function planTiles(plan: GpuPlan, width: number, height: number, gpuBytes: number, accumulate: boolean, budget: number, maxTile: number): TileLayout {
  const side = Math.max(1, Math.min(plan.maxTextureSide, maxTile));
  const tileW = Math.min(width, side);
  // per tile row: the target (texture, or accumulators + packed words) and two staging rows
  const staged = accumulate ? tileW * gpuBytes : alignedBytesPerRow(tileW, gpuBytes);
  const perRow = accumulate ? tileW * 4 + tileW * gpuBytes + 2 * staged : tileW * gpuBytes + 2 * staged;
  let rows = Math.min(height, side, Math.floor(budget / perRow), Math.floor(plan.maxBufferSize / staged));
  if (accumulate) rows = Math.min(rows, Math.floor(Math.min(plan.maxStorageBinding, plan.maxBufferSize) / (tileW * 4)));
  if (rows < 1) throw new Error(`GPU memory budget ${budget} bytes cannot hold one ${tileW}-pixel tile row (${perRow} bytes)`);
  return { width, height, tileW, tileH: rows, tilesX: Math.ceil(width / tileW), tilesY: Math.ceil(height / rows) };
}

/**
 * GDAL's spans of every shape as per-tile rectangles (and, with `triangles`, valid polygons as
 * earcut triangles), each value encoded as the GPU stores it for `mode`. Throws
 * GpuUnsupportedError for a burn the mode cannot make exactly.
 */
export async function prepareTiles(shapes: ShapeSet, layout: TileLayout, o: TilePrepareOptions): Promise<Prepared> {
  const { mode, dtype, signal, onProgress } = o;
  const { width, height } = layout;
  const conv = converter(dtype);
  const type = DTYPES[dtype];
  const useTriangles = o.triangles && mode === 'replace' && !o.allTouched && !o.burnZ;
  const range = type.max - type.min;
  const adds = new IntegerIncrements();
  let encode: (v: number, shape: number) => number;
  if (mode === 'replace') {
    encode = (v, i) => pixelBits(dtype, conv(v), `burn of shape ${i}`);
  } else if (mode === 'add-int') {
    encode = (v, i) => adds.encode(v, i);
  } else {
    encode = (v, i) => {
      if (v !== v || !f32Exact(v) || !onFloatGrid(v)) throw new GpuUnsupportedError(`merge 'add' into float32 on the GPU needs burns float32 holds exactly, outside the subnormal range; shape ${i} burns ${v}; use the CPU backend`);
      return v === 0 ? -1 : f32Bits(v);
    };
  }
  const collector = new SpanCollector(layout, useTriangles, encode, mode === 'add-int' ? (bits) => Math.min(bits, range) : null);
  const tris: TriangulatedShape[] = [];
  const triBits: number[] = [];
  let asSpans = 0;
  const emitOpts = { allTouched: o.allTouched, merge: mode === 'replace' ? 'replace' as const : 'add' as const, burnZ: o.burnZ };
  const total = shapes.count;
  // this preparation is CPU work: hand the event loop back every ~50 ms so a page can repaint its
  // progress bar and a Cancel click can reach the AbortSignal
  let lastYield = now();
  for (let i = 0; i < total; i++) {
    if ((i & 255) === 0) {
      if (signal?.aborted) throw abortError(signal);
      if (onProgress && (i & 4095) === 0 && i > 0) onProgress({ fraction: (0.5 * i) / total, done: i, total });
      if (now() - lastYield > 50) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        if (signal?.aborted) throw abortError(signal);
        lastYield = now();
      }
    }
    if (useTriangles && shapes.kind[i] === KIND_POLYGON) {
      const t = triangulatePolygon(shapes, i);
      if (t) {
        // wholly left of, right of, above or below every pixel centre: GDAL burns nothing either
        if (t.maxX <= 0 || t.maxY <= 0 || t.minX >= width || t.minY >= height) continue;
        tris.push(t);
        triBits.push(encode(shapes.value[i], i));
        continue;
      }
      asSpans++;
    }
    collector.begin(i, shapes.value[i]);
    emitShape(shapes, i, width, height, emitOpts, collector);
  }

  // merge 'add' into 8/16-bit types: a plain atomicAdd cannot wrap when no pixel's total can
  // reach 2^31, and pack.wgsl clamps once; otherwise every visit saturates (compare-exchange)
  const wrapAdd = mode === 'add-int' && type.bytes < 4 && Math.max(Math.abs(type.min), type.max) + collector.magnitudeSum < 2 ** 31;
  const down = adds.down;
  if (wrapAdd && down) {
    for (const b of collector.buckets) for (let k = 0, o = 4; k < b.n; k++, o += RECT_WORDS) b.rects[o] = -b.rects[o] >>> 0;
  }

  // triangulated shapes per tile, in shape order
  const triByTile: number[][] = [];
  for (let t = 0; t < layout.tilesX * layout.tilesY; t++) triByTile.push([]);
  for (let k = 0; k < tris.length; k++) {
    const s = tris[k];
    const tx0 = Math.max(0, Math.floor(s.minX / layout.tileW)), tx1 = Math.min(layout.tilesX - 1, Math.floor(s.maxX / layout.tileW));
    const ty0 = Math.max(0, Math.floor(s.minY / layout.tileH)), ty1 = Math.min(layout.tilesY - 1, Math.floor(s.maxY / layout.tileH));
    for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) triByTile[ty * layout.tilesX + tx].push(k);
  }

  return {
    work: { bucketOf: (t) => collector.buckets[t], trisOf: (t) => triByTile[t], tris, triBits, wrapAdd, down },
    asSpans,
    useTriangles,
  };
}
