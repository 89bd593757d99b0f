/**
 * The burn cannot be done exactly on the GPU (a float64 value float32 cannot hold, fractional or
 * mixed-sign burns in merge 'add', ...). rasterize() catches this one and burns on the CPU instead.
 */
export class GpuUnsupportedError extends Error {
  override name = 'GpuUnsupportedError';
}

/** No WebGPU adapter could be found (no navigator.gpu, no Dawn, no Vulkan driver). */
export class WebGPUUnavailableError extends Error {
  override name = 'WebGPUUnavailableError';
}
