// Messages between the page and the CPU worker (app/worker.ts). Everything here survives
// structured cloning; the raster's pixels come back as a transferred buffer, not a copy.
import type { FeatureInput, Grid, RasterizeOptions, RasterResult } from '../src/index.js';

/** The options a worker burn takes: what rasterize() takes, minus what cannot cross a thread boundary. */
export type WorkerBurnOptions = Omit<RasterizeOptions, 'signal' | 'onProgress' | 'into' | 'backend'>;

export interface BurnRequest {
  type: 'burn';
  features: FeatureInput;
  grid: Grid;
  options: WorkerBurnOptions;
}

export type WorkerReply =
  | { type: 'progress'; fraction: number; done: number; total: number }
  | { type: 'done'; raster: RasterResult; ms: number }
  | { type: 'error'; name: string; message: string };
