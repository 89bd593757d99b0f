import { shaderSource } from '../shader-source.js';

/** The exact fill's compute pipelines of one device, compiled on first use. */
export interface FillKernels {
  /** crossings.wgsl (after f64.wgsl): GDAL's row crossings toggled into parity bitmaps */
  toggle: GPUComputePipeline;
  /** parity.wgsl: prefix parity of each bitmap row into owner ids */
  parity: GPUComputePipeline;
  /** owner.wgsl: host spans into owner ids */
  spans: GPUComputePipeline;
  /** resolve.wgsl: owner ids into packed pixel values */
  resolve: GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, FillKernels>();


/** The shader modules of the exact fill (exported for the compile test). */
export function fillModules(device: GPUDevice): Record<'crossings' | 'parity' | 'owner' | 'resolve', GPUShaderModule> {
  return {
    crossings: device.createShaderModule({ label: 'crossings.wgsl', code: shaderSource('crossings') }),
    parity: device.createShaderModule({ label: 'parity.wgsl', code: shaderSource('parity') }),
    owner: device.createShaderModule({ label: 'owner.wgsl', code: shaderSource('owner') }),
    resolve: device.createShaderModule({ label: 'resolve.wgsl', code: shaderSource('resolve') }),
  };
}

export function fillKernels(device: GPUDevice): FillKernels {
  const hit = cache.get(device);
  if (hit) return hit;
  const m = fillModules(device);
  // 'auto' layouts: each entry point binds exactly what its module declares
  const pipe = (module: GPUShaderModule, entryPoint: string) =>
    device.createComputePipeline({ label: entryPoint, layout: 'auto', compute: { module, entryPoint } });
  const k: FillKernels = {
    toggle: pipe(m.crossings, 'toggle_crossings'),
    parity: pipe(m.parity, 'parity_owner'),
    spans: pipe(m.owner, 'span_owner'),
    resolve: pipe(m.resolve, 'resolve'),
  };
  cache.set(device, k);
  return k;
}
