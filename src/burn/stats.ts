// What a burn reports: counts, the backend that answered and why, and where the time went.

/** Milliseconds per stage of a run; the library fills prepare and burn, the CLI also read, parse and write. */
export interface BurnStages {
  /** reading the source file (CLI) */
  read: number;
  /** parsing the source into GeoJSON (CLI) */
  parse: number;
  /** features to pixel-space shapes (flatten, or a prepared set's pixel transform) and the output array */
  prepare: number;
  /** the burn itself on whichever backend answered, a CPU fallback included */
  burn: number;
  /** encoding and writing the output file (CLI) */
  write: number;
}

/** What the WebGPU backend reports about a burn it ran. */
export interface GpuStats {
  /** the adapter's one-line description */
  adapter: string;
  /** true for a software rasterizer (SwiftShader, llvmpipe, lavapipe, WARP) */
  software: boolean;
  /** polygon edge crossings computed for the GPU fill */
  crossings: number;
  /** crossings whose float32 value could not certify the pixel, evaluated again in exact emulated float64 */
  exactFallbacks: number;
  /** polygons outside the GPU fill's coordinate domain, burned as spans from the CPU rules */
  polygonsOnCpu?: number;
  /** lines walked on the GPU, and those burned as host spans (docs/pixel-rules.md D4: Z outside D8/D9's domain, walks beyond C ints) */
  linesOnGpu?: number;
  linesOnCpu?: number;
  /** ALL_TOUCHED segments walked on the GPU, merge 'replace' and 'add' (the others walked on the host) */
  touchSegments?: number;
  /** milliseconds the host spent preparing and reading back, outside the GPU's own work */
  hostMs: number;
}

/** What happened during a burn, for summaries and benchmarks. */
export interface RasterizeStats {
  features: number;
  /** features that burned nothing: no geometry, one GDAL's reader rejects, or a vertex that failed to reproject */
  skipped: number;
  shapes: number;
  backend: 'cpu' | 'webgpu';
  /** adapter description when the WebGPU backend ran */
  adapter?: string;
  /** why 'auto' or 'webgpu' ended on the CPU */
  fallbackReason?: string;
  /** milliseconds per stage */
  stages: BurnStages;
  /** the WebGPU burn's own figures (a job a batch burned with others: its own counts, its share of the unit's hostMs) */
  gpu?: GpuStats;
  /**
   * one line each: the result is likely not what was meant though GDAL burns the same (no feature meets the
   * grid; burn values clamped or rounded by the output type; a feature skipped for a geometry GDAL's reader
   * cannot read)
   */
  warnings?: string[];
}

/** Stages all at zero, for a run to fill in. */
export function noStages(): BurnStages {
  return { read: 0, parse: 0, prepare: 0, burn: 0, write: 0 };
}
