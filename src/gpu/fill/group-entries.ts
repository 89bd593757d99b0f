import type { GpuPlan } from '../device.js';
import type { FillKernels } from '../pipelines.js';
import { dispatch64 } from '../tile-pass.js';
import type { RegionGroup } from './buffers.js';
import { encodeScan, type ScanStore } from './scan.js';

/*
 * One group of regions' crossings, with the edge entries made on the GPU (shaders/entries.wgsl,
 * scan.wgsl) and the toggle dispatch sized there from their total (crossings.wgsl through
 * dispatchWorkgroupsIndirect): the host encodes a dozen dispatches and never reads an edge. Used by
 * a tile of the exact fill and by a batch unit, whose regions differ only in their base, stride and
 * counter words.
 */

/** The GPU buffers one group's entries and toggle pass read and write. */
export interface GroupEntryBuffers {
  /** 32 bytes: entries.wgsl's EntryParams (written here) */
  entryParams: GPUBuffer;
  /** 16 bytes: the toggle's CrossingsParams, copied from toggleArgs */
  toggleParams: GPUBuffer;
  /** 32 bytes, storage, indirect and copy source: the toggle's workgroups then its CrossingsParams */
  toggleArgs: GPUBuffer;
  /** the burn's (or unit's) packed edges */
  edges: GPUBuffer;
  /** every edge's first rows, then every edge's last rows */
  edgeRows: GPUBuffer;
  /** one u32 a group edge and one more (scanned in place) */
  counts: GPUBuffer;
  /** one TileEdge (4 u32) a group edge */
  entries: GPUBuffer;
  /** the group's regions and their shapes' edge ranges, uploaded by the caller */
  regions: GPUBuffer;
  shapeEdges: GPUBuffer;
  /** the group's parity bitmaps, cleared by the caller */
  bits: GPUBuffer;
  /** exact-path counters (one, or one a job) */
  counter: GPUBuffer;
}

/**
 * Encodes group `g`'s entries, their scan and the toggle (the caller uploads its regions and shape
 * edges, clears its bitmaps, and encodes the parity pass after). `nEdges`: the edges behind
 * edgeRows. The parameters go through queue.writeBuffer: `enc` must be submitted before the next
 * group is encoded.
 */
export function encodeGroupEntries(
  device: GPUDevice, gpu: GpuPlan, enc: GPUCommandEncoder, k: FillKernels, scan: ScanStore,
  g: RegionGroup, nEdges: number, b: GroupEntryBuffers,
): void {
  device.queue.writeBuffer(b.entryParams, 0, new Uint32Array([g.first, g.edges, g.nRegions, nEdges, gpu.maxWorkgroups, 0, 0, 0]));
  bindPass(device, enc, k.countEntries, [[0, b.entryParams], [1, b.counts], [2, b.entries], [3, b.edgeRows], [4, b.regions], [5, b.shapeEdges]], (p) => dispatch64(p, gpu, g.edges + 1));
  encodeScan(device, gpu, enc, k, scan, b.counts, g.edges + 1);
  bindPass(device, enc, k.finishEntries, [[0, b.entryParams], [1, b.counts], [2, b.entries], [6, b.toggleArgs]], (p) => dispatch64(p, gpu, Math.max(1, g.edges)));
  enc.copyBufferToBuffer(b.toggleArgs, 16, b.toggleParams, 0, 16);
  bindPass(device, enc, k.toggle, [[0, b.toggleParams], [1, b.edges], [2, b.entries], [3, b.regions], [4, b.bits], [5, b.counter]], (p) => p.dispatchWorkgroupsIndirect(b.toggleArgs, 0));
}

/** One compute pass of `pipeline`, these buffers at these bindings, dispatched by `dispatch`. */
function bindPass(device: GPUDevice, enc: GPUCommandEncoder, pipeline: GPUComputePipeline, buffers: [number, GPUBuffer][], dispatch: (pass: GPUComputePassEncoder) => void): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map(([binding, buffer]) => ({ binding, resource: { buffer } })),
  }));
  dispatch(pass);
  pass.end();
}
