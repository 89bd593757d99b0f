import type { GpuPlan } from '../device.js';

/** Values one workgroup of scan.wgsl scans (its SCAN_BLOCK). */
export const SCAN_BLOCK = 1024;

/** Where a scan keeps its levels: the block sums of level l (l >= 1) and each level's parameters. */
export interface ScanStore {
  /** a storage buffer of at least n u32 for level l >= 1 (kept between scans, grown as needed) */
  level(l: number, n: number): GPUBuffer;
  /** the 16-byte uniform of level l (each level its own: one submit runs them all) */
  params(l: number): GPUBuffer;
}

/** The levels of a scan of n values: n, then the block counts up to a single block. */
export function scanSizes(n: number): number[] {
  const sizes = [n];
  while (sizes[sizes.length - 1] > SCAN_BLOCK) sizes.push(Math.ceil(sizes[sizes.length - 1] / SCAN_BLOCK));
  return sizes;
}

// workgroups of one block each, over a 2-D grid when there are more than a side holds
function dispatchBlocks(pass: GPUComputePassEncoder, gpu: GpuPlan, n: number): void {
  const blocks = Math.max(1, Math.ceil(n / SCAN_BLOCK));
  const gx = Math.min(blocks, gpu.maxWorkgroups);
  pass.dispatchWorkgroups(gx, Math.ceil(blocks / gx));
}

/**
 * Encodes an exclusive prefix sum of the first n u32 of `data`, in place (scan.wgsl): O(log n)
 * dispatches, whatever n. The parameters are written with queue.writeBuffer, so `enc` must be
 * submitted before the next scan on the same store is encoded.
 */
export function encodeScan(
  device: GPUDevice, gpu: GpuPlan, enc: GPUCommandEncoder, kernels: { scanBlocks: GPUComputePipeline; addOffsets: GPUComputePipeline },
  store: ScanStore, data: GPUBuffer, n: number,
): void {
  const sizes = scanSizes(n);
  const levels = sizes.map((size, l) => (l === 0 ? data : store.level(l, size)));
  // the top level is one block: its total goes to a scratch level nobody reads
  const top = store.level(sizes.length, 1);
  const params = sizes.map((size, l) => {
    const p = store.params(l);
    device.queue.writeBuffer(p, 0, new Uint32Array([size, 0, 0, 0]));
    return p;
  });
  const pass = (pipeline: GPUComputePipeline, l: number, sums: GPUBuffer) => {
    const p = enc.beginComputePass();
    p.setPipeline(pipeline);
    p.setBindGroup(0, device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: params[l] } }, { binding: 1, resource: { buffer: levels[l] } }, { binding: 2, resource: { buffer: sums } }],
    }));
    dispatchBlocks(p, gpu, sizes[l]);
    p.end();
  };
  for (let l = 0; l < sizes.length; l++) pass(kernels.scanBlocks, l, l + 1 < sizes.length ? levels[l + 1] : top);
  for (let l = sizes.length - 2; l >= 0; l--) pass(kernels.addOffsets, l, levels[l + 1]);
}
