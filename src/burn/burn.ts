// The one place a prepared job is burned: on the CPU (one thread or the job's pool) or on WebGPU, and
// the one place that answers on the CPU what the GPU cannot do exactly, or, for 'auto', cannot do at
// all or only on a software adapter. The GPU modules load only when a GPU backend is asked for.
import { now } from '../abort.js';
import { bandLayout, shapeRows, sharedShapes, type BandJob } from '../cpu/bands.js';
import { burnShapesCpu } from '../cpu/engine.js';
import { fillPixels } from '../dtype.js';
import type { GpuResourcePool, WebGPUBurnResult } from '../gpu/engine.js';
import { resultOf, type BurnJob, type RasterResult } from './job.js';
import type { GpuStats } from './stats.js';

/** A WebGPU device and resource pool kept across burns (createRasterizer's); null: the shared device, nothing kept. */
export interface GpuContext {
  device: GPUDevice;
  pool: GpuResourcePool | null;
}

let mappedResults = false;

/**
 * Lets a fresh one-tile WebGPU result on the shared device be the mapped readback itself instead
 * of a copy. For callers that use the result and drop it (the CLI writes it out): such an array
 * cannot be transferred to another thread, and the device's loss or destruction empties it.
 */
export function allowMappedGpuResults(on: boolean): void {
  mappedResults = on;
}

/** Burns the job on the request's backend and returns the finished raster. */
export async function burn(job: BurnJob, gpu: GpuContext | null = null): Promise<RasterResult> {
  const t0 = now();
  const { backend } = job.request;
  if (backend === 'cpu') {
    if (job.pool) await burnThreaded(job);
    else burnCpu(job);
  } else {
    await burnGpu(job, backend, gpu);
  }
  job.stats.stages.burn = now() - t0;
  const into = job.request.into;
  // a threaded burn of an ordinary `into` ran on a shared copy
  if (into && into !== job.data) {
    into.set(job.data as never);
    return resultOf(job, into);
  }
  return resultOf(job, job.data);
}

function burnCpu(job: BurnJob): void {
  const { grid, dtype, signal, onProgress } = job.request;
  burnShapesCpu(job.shapes, { data: job.data, width: grid.width, height: grid.height, dtype }, { ...job.modes, signal, onProgress });
}

// the pool's threads and this one take row bands from a shared counter (src/cpu/bands.ts): the pixels are the one-thread burn's
async function burnThreaded(job: BurnJob): Promise<void> {
  const { grid, dtype, into, start, onProgress } = job.request;
  const pool = job.pool!;
  const { bandRows, bands } = bandLayout(grid.height, pool.threads);
  const rows = shapeRows(job.shapes, grid.height, (n) => new Int32Array(new SharedArrayBuffer(4 * n)));
  const bandJob: BandJob = {
    shapes: sharedShapes(job.shapes), ...rows, data: job.data, width: grid.width, height: grid.height, dtype,
    ...job.modes, init: into ? null : start, bandRows, bands, ctl: new Int32Array(new SharedArrayBuffer(8)),
  };
  await pool.run(bandJob, onProgress);
}

async function burnGpu(job: BurnJob, backend: 'webgpu' | 'auto', gpu: GpuContext | null): Promise<void> {
  const { request, shapes, stats, data } = job;
  const { grid, dtype, into, start, signal, onProgress, gpuFill } = request;
  const engine = await import('../gpu/engine.js');
  let device = gpu?.device;
  if (backend === 'auto') {
    // 'auto' means a hardware adapter: a software one (SwiftShader, llvmpipe) is slower than the CPU engine
    try {
      device ??= await engine.getWebGPUDevice();
      const adapter = await engine.describeAdapter(device);
      if (adapter.software) {
        stats.fallbackReason = softwareReason(adapter.label);
        burnCpu(job);
        return;
      }
    } catch (e) {
      if (!(e instanceof Error) || e.name === 'AbortError') throw e;
      stats.fallbackReason = e.message;
      burnCpu(job);
      return;
    }
  }
  // a fresh array is re-made from its start value; a caller's `into` array needs a copy to undo a failed GPU run
  const restore = into && backend === 'auto' ? data.slice() : null;
  try {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      throw new engine.GpuUnsupportedError(`${dtype} pixels need 64-bit integers, which WGSL lacks; use the CPU backend`);
    }
    const r = await engine.burnShapesWebGPU(shapes, { data, width: grid.width, height: grid.height, dtype }, {
      ...job.modes, gpuFill, signal, onProgress, init: into ? undefined : (start as number),
      device, pool: gpu?.pool ?? undefined,
      // a pooled rasterizer's readback is a view only on request: release() then gives it back to the pool
      viewResult: !into && (request.gpuView || (mappedResults && !gpu)),
    });
    if (r.data) {
      job.data = r.data;
      if (request.gpuView) job.release = r.release;
    }
    stats.backend = 'webgpu';
    stats.adapter = r.adapter;
    stats.gpu = gpuStatsOf(r);
  } catch (e) {
    if (!(e instanceof Error) || e.name === 'AbortError') throw e;
    // a request the GPU cannot do exactly is still answered, on the CPU; 'auto' also covers a failing adapter
    const unsupported = e instanceof engine.GpuUnsupportedError;
    if (!unsupported && backend !== 'auto') throw e;
    if (!unsupported) {
      if (restore) data.set(restore as never);
      else fillPixels(data, start);
    }
    stats.fallbackReason = e.message;
    burnCpu(job);
  }
}

/** Why 'auto' left a software adapter alone. */
export function softwareReason(label: string): string {
  return `${label} is a software rasterizer, slower than the CPU engine: backend 'auto' burns on the CPU (ask for 'webgpu' to use it anyway)`;
}

// the GPU rewrite adds crossings, exactFallbacks and hostMs to the result: read them as optional
function gpuStatsOf(r: WebGPUBurnResult): GpuStats {
  const extra = r as Partial<WebGPUBurnResult> & { crossings?: number; exactFallbacks?: number; hostMs?: number };
  return {
    adapter: r.adapter,
    software: r.adapterInfo.software,
    crossings: extra.crossings ?? 0,
    exactFallbacks: extra.exactFallbacks ?? 0,
    hostMs: extra.hostMs ?? 0,
    polygonsOnCpu: r.fill === 'spans' ? r.polygonsAsSpans : undefined,
    linesOnGpu: r.linesOnGpu,
    linesOnCpu: r.linesOnCpu,
    touchSegments: r.touchSegments,
  };
}
