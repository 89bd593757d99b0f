// The GPU kit's whole-process run: a fresh process that does what a Node user's script does (read
// the GeoJSON file, JSON.parse, burn, exit), so that the parent can time it from spawn to exit,
// Node's start and the WebGPU device's creation included. Prints one JSON line: its stage times and
// a hash of the output for the parent's pixel check.
import { readFileSync } from 'node:fs';
import { gridFromBounds } from '../../src/grid-from-bounds.js';
import { rasterize } from '../../src/rasterize.js';
import { rasterizeThreaded } from '../../src/node.js';
import type { FeatureInput } from '../../src/features/geojson.js';
import type { DType, RasterizeOptions } from '../../src/types.js';
import { hashPixels } from './check.js';

export interface ChildSpec {
  src: string;
  te: [number, number, number, number];
  width: number;
  height: number;
  crs: string;
  dtype: DType;
  attribute?: string;
  burn?: number;
  backend: 'cpu' | 'webgpu';
  threads: number;
}

export interface ChildAnswer {
  stages: Record<string, number>;
  hash: string;
  fallbackReason?: string;
}

export async function runChild(spec: ChildSpec): Promise<ChildAnswer> {
  const stages: Record<string, number> = {};
  // performance.now() counts from the process's start: Node's boot and loading this bundle
  stages.start = performance.now();
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    stages[name] = now - t;
    t = now;
  };
  const text = readFileSync(spec.src, 'utf8');
  lap('read');
  const features = JSON.parse(text) as FeatureInput;
  lap('parse');
  const grid = gridFromBounds(spec.te, { size: [spec.width, spec.height] }, { crs: spec.crs });
  const options: RasterizeOptions = { dtype: spec.dtype };
  if (spec.attribute !== undefined) options.attribute = spec.attribute;
  else options.burn = spec.burn ?? 1;
  let fallbackReason: string | undefined;
  if (spec.backend === 'webgpu') {
    const { useDawn } = await import('./adapter.js');
    useDawn();
    const r = await rasterize(features, grid, { ...options, backend: 'webgpu' });
    fallbackReason = r.stats.fallbackReason;
    lap('rasterize');
    return { stages, hash: hashPixels(r.data), fallbackReason };
  }
  const r = await rasterizeThreaded(features, grid, options, { threads: spec.threads });
  lap('rasterize');
  return { stages, hash: hashPixels(r.data) };
}
