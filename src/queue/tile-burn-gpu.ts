// One tile of a job burned on the GPU: the exact WebGPU fill run on the tile's window of the whole
// grid (the shapes stay in whole-grid pixel coordinates, so every pixel is the whole-grid burn's,
// as on the CPU: tile-burn.ts). A burn the GPU cannot do exactly (float64 values float32 cannot
// hold, merge 'add' into a float type) goes to the CPU engine instead. Browser-safe.
import { DTYPES } from '../dtype.js';
import type { ShapeSet } from '../features/shapes.js';
import type { TileJobSpec, TileRect } from './tile-grid.js';
import { burnTile, type BurnedTile } from './tile-burn.js';

export interface GpuBurnedTile extends BurnedTile {
  /** the engine that burned it, and why not the GPU when it fell back */
  backend: 'cpu' | 'webgpu';
  fallbackReason?: string;
}

/** Burns `shapes` (flattened on the job's whole grid) into tile `rect` on `device`. */
export async function burnTileWebGPU(spec: TileJobSpec, rect: TileRect, shapes: ShapeSet, device: GPUDevice, signal?: AbortSignal): Promise<GpuBurnedTile> {
  const engine = await import('../gpu/engine.js');
  const w = rect.x1 - rect.x0, h = rect.y1 - rect.y0;
  const data = DTYPES[spec.dtype].make(w * h);
  // the queue refuses int64/uint64 when the job is submitted
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw new Error(`the tile queue does not burn ${spec.dtype}`);
  const target = { data, width: spec.grid.width, height: spec.grid.height, dtype: spec.dtype };
  const window = { x: rect.x0, y: rect.y0, width: w, height: h };
  try {
    for (let pass = 0; pass < spec.passes; pass++) {
      // the first pass starts every pixel from the job's start value; later ones add to what is there
      await engine.burnShapesWebGPU(shapes, target, {
        allTouched: spec.allTouched, merge: spec.merge, burnZ: spec.burnZ,
        init: pass === 0 ? spec.start : undefined, window, device, signal,
      });
    }
  } catch (e) {
    if (!(e instanceof engine.GpuUnsupportedError)) throw e;
    return { ...(await burnTile(spec, rect, shapes, signal)), backend: 'cpu', fallbackReason: e.message };
  }
  let pixelsBurned = 0;
  const s = spec.start;
  // NaN equals NaN here: an unburned NaN start has not changed
  for (let k = 0; k < data.length; k++) { const v = data[k]; if (v !== s && (v === v || s === s)) pixelsBurned++; }
  // the GPU does not say whether a shape wrote into the window (the CPU's 'touched'): a tile whose
  // pixels all kept the start value is left out of a sparse job, as the VRT reads it the same
  return { data, touched: pixelsBurned > 0, pixelsBurned, backend: 'webgpu' };
}
