// The caller's typed array seen tile by tile: where a tile sits, and its pixels as upload sources
// or filled on the CPU. Readback into it is readback.ts's.
import type { DType, NumberArray as TypedArray } from '../types.js';
import type { TileLayout } from './spans.js';

export interface WebGPUTarget {
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
}

/** One tile's place in the grid. */
export interface TileRect {
  index: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Tile `t` of a layout (row-major; right and bottom tiles may be smaller). */
export function tileRect(layout: TileLayout, t: number): TileRect {
  const { width, height, tileW, tileH, tilesX } = layout;
  const x = (t % tilesX) * tileW, y = Math.floor(t / tilesX) * tileH;
  return { index: t, x, y, w: Math.min(tileW, width - x), h: Math.min(tileH, height - y) };
}

/** The target's rows of one tile as a view, for uploads (no copy). */
export function tileView(target: WebGPUTarget, tile: TileRect): TypedArray {
  const { data, width } = target;
  return data.subarray(tile.y * width + tile.x, (tile.y + tile.h - 1) * width + tile.x + tile.w);
}

/** A tile-sized copy of the target's values in another array type (widening / narrowing). */
export function tileCopy<T extends Int32Array | Uint32Array | Float32Array>(target: WebGPUTarget, tile: TileRect, out: T): T {
  const { data, width } = target;
  for (let r = 0; r < tile.h; r++) {
    const o = (tile.y + r) * width + tile.x;
    out.set(data.subarray(o, o + tile.w), r * tile.w);
  }
  return out;
}

/** Sets every pixel of one tile to `value` on the CPU (a tile nothing burns). */
export function fillTile(target: WebGPUTarget, tile: TileRect, value: number): void {
  const { data, width } = target;
  for (let r = 0; r < tile.h; r++) {
    const o = (tile.y + r) * width + tile.x;
    data.fill(value, o, o + tile.w);
  }
}

/** Typed arrays as WebGPU upload sources (TS types ArrayBufferLike-backed views too narrowly). */
export function bytesOf(a: TypedArray | Uint32Array | Int32Array | Float32Array): GPUAllowSharedBufferSource {
  return a as unknown as GPUAllowSharedBufferSource;
}
