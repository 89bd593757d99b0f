// What one burn's tile passes (render-tile.ts, accumulate.ts) share, and what each reports back.
import type { GpuPlan } from './device.js';
import type { GpuFormat } from './formats.js';
import type { Pipelines } from './pipelines.js';
import type { Mode, Work } from './prepare.js';
import type { WebGPUTarget } from './target.js';

export interface TileContext {
  device: GPUDevice;
  plan: GpuPlan;
  pipes: Pipelines;
  target: WebGPUTarget;
  mode: Mode;
  fmt: GpuFormat;
  /** bytes per pixel on the GPU: the format's, or 4 for float32 blending */
  gpuBytes: number;
  /** the initial value of every pixel (converted), or undefined to start from target.data */
  init: number | undefined;
  work: Work;
  /** the caps of one upload chunk, in rectangles, triangle vertices and indices */
  capRects: number;
  capVerts: number;
  capIdx: number;
}

/** One tile's submitted work: where its bytes lie in staging, and what it drew. */
export interface TileDrawn {
  /** bytes from one tile row to the next in staging */
  pitch: number;
  /** bytes of the tile in staging, from the first row's start to the last row's end */
  bytes: number;
  rects: number;
  triangles: number;
}

// 64-wide workgroups over a 2-D grid of at most maxWorkgroups a side (the shaders flatten it)
export function dispatch64(pass: GPUComputePassEncoder, plan: GpuPlan, invocations: number): void {
  const groups = Math.max(1, Math.ceil(invocations / 64));
  const gx = Math.min(groups, plan.maxWorkgroups);
  pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
}
