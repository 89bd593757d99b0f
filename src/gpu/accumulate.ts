// Merge 'add' into integer types, one tile at a time: every rectangle visit adds into per-pixel
// 32-bit accumulators (add.wgsl), which pack.wgsl then clamps and packs into the output type's bytes
// and copies to staging. Integer formats cannot blend, hence compute rather than render passes.
import { DTYPES } from '../dtype.js';
import type { Bucket } from './spans.js';
import { RECT_WORDS } from './spans.js';
import type { AccumulateResources, Resources } from './resources.js';
import { bytesOf, tileCopy, type TileRect } from './target.js';
import { dispatch64, type TileContext, type TileDrawn } from './tile-pass.js';
import { packAddParams, packPackParams, type PackParams } from './uniforms.js';
import type { Pipelines } from './pipelines.js';
import type { GpuPlan } from './device.js';

/** Submits one tile's accumulation, packing and copy into `staging`. */
export function accumulateTile(ctx: TileContext, tile: TileRect, bucket: Bucket, staging: GPUBuffer, r: Resources): TileDrawn {
  const a: AccumulateResources = r.accumulate!;
  const rects = r.rects.buffer!;
  const { device, work, pipes, plan, gpuBytes, init } = ctx;
  const queue = device.queue;
  const type = DTYPES[ctx.target.dtype];
  const cells = tile.w * tile.h;
  const signedCells = work.wrapAdd || ctx.fmt.signed;
  const lo = type.min >>> 0, hi = type.max >>> 0;
  const addGroup = (params: GPUBuffer) => device.createBindGroup({
    layout: pipes.addLayout,
    entries: [
      { binding: 0, resource: { buffer: r.tileUniform } },
      { binding: 1, resource: { buffer: params } },
      { binding: 2, resource: { buffer: a.acc } },
      { binding: 3, resource: { buffer: rects } },
    ],
  });

  let enc = device.createCommandEncoder({ label: `tile ${tile.index} add` });
  if (init === undefined) {
    queue.writeBuffer(a.acc, 0, tileCopy(ctx.target, tile, signedCells ? new Int32Array(cells) : new Uint32Array(cells)));
  } else {
    queue.writeBuffer(a.fillParams, 0, packAddParams({ count: cells, down: 0, lo, hi, init }));
    const pass = enc.beginComputePass();
    pass.setPipeline(pipes.compute('fill'));
    pass.setBindGroup(0, addGroup(a.fillParams));
    dispatch64(pass, plan, cells);
    pass.end();
  }
  const entry = work.wrapAdd ? 'add_wrap' : 'add_sat';
  const group = addGroup(a.addParams);
  let drawn = 0;
  for (let f = 0; f < bucket.n; f += ctx.capRects) {
    const n = Math.min(ctx.capRects, bucket.n - f);
    queue.writeBuffer(rects, 0, bytesOf(bucket.rects), f * RECT_WORDS, n * RECT_WORDS);
    queue.writeBuffer(a.addParams, 0, packAddParams({ count: n, down: work.down ? 1 : 0, lo, hi, init: 0 }));
    const pass = enc.beginComputePass();
    pass.setPipeline(pipes.compute(entry));
    pass.setBindGroup(0, group);
    dispatch64(pass, plan, n);
    pass.end();
    drawn += n;
    // the rectangle buffer and params are reused by the next chunk: submit this one first
    queue.submit([enc.finish()]);
    enc = device.createCommandEncoder({ label: `tile ${tile.index} add` });
  }
  const bytes = cells * gpuBytes;
  encodePack(device, pipes, plan, enc, { params: a.packParams, acc: a.acc, packed: a.packed }, { cells, bytes: gpuBytes, signed: signedCells ? 1 : 0, lo, hi });
  enc.copyBufferToBuffer(a.packed, 0, staging, 0, Math.ceil(bytes / 4) * 4);
  queue.submit([enc.finish()]);
  return { pitch: tile.w * gpuBytes, bytes, rects: drawn, triangles: 0 };
}

/**
 * Encodes pack.wgsl: `cells` accumulators clamped to the type's range and packed tightly into
 * `packed` (shared by the span path's accumulators and the exact fill's merge 'add').
 */
export function encodePack(
  device: GPUDevice, pipes: Pipelines, plan: GpuPlan, enc: GPUCommandEncoder,
  b: { params: GPUBuffer; acc: GPUBuffer; packed: GPUBuffer }, p: PackParams,
): void {
  device.queue.writeBuffer(b.params, 0, packPackParams(p));
  const pass = enc.beginComputePass();
  pass.setPipeline(pipes.compute('pack'));
  pass.setBindGroup(0, device.createBindGroup({
    layout: pipes.packLayout,
    entries: [
      { binding: 0, resource: { buffer: b.params } },
      { binding: 1, resource: { buffer: b.acc } },
      { binding: 2, resource: { buffer: b.packed } },
    ],
  }));
  dispatch64(pass, plan, Math.ceil((p.cells * p.bytes) / 4));
  pass.end();
}
