// The library in-process, as a Node user calls it: read the file, JSON.parse, rasterize(). Run as
// its own process by bench/run.ts so that its peak RSS is measured alone; prints the phase times
// as one JSON line. With "split" it also times the two halves of rasterize() (flatten to pixel-space
// shapes, then the CPU burn) in a second pass, to show where the time goes; with "dump" it writes
// the array as .npy after the timed phases, for the pixel check.
//
// usage: node dist/bench/lib-runner.js '<json spec>'
// spec: { src, width, height, te, dtype, attribute | burn, allTouched, crs, split?, dump? }
import { readFileSync, writeFileSync } from 'node:fs';
import { rasterize } from '../src/rasterize.js';
import { gridFromBounds } from '../src/grid-from-bounds.js';
import { flattenFeatures } from '../src/features/flatten.js';
import { burnShapesCpu } from '../src/cpu/engine.js';
import { DTYPES } from '../src/dtype.js';
import { toNpy } from '../src/io/npy.js';
import type { DType, RasterizeOptions } from '../src/types.js';
import type { FeatureInput } from '../src/features/geojson.js';

interface Spec {
  src: string;
  width: number;
  height: number;
  te: [number, number, number, number];
  dtype: DType;
  attribute?: string;
  burn?: number;
  allTouched?: boolean;
  crs: string;
  split?: boolean;
  dump?: string;
}

// performance.now() counts from process start: this is Node's boot plus loading the modules
const tImport = performance.now();
if (!process.argv[2]) {
  process.stderr.write('usage: node dist/bench/lib-runner.js \'{"src": ..., "width": ..., "height": ..., "te": [...], "dtype": ..., "crs": ...}\'\n');
  process.exit(1);
}
const spec = JSON.parse(process.argv[2]) as Spec;

const t0 = performance.now();
const text = readFileSync(spec.src, 'utf8');
const t1 = performance.now();
const features = JSON.parse(text) as FeatureInput;
const t2 = performance.now();
const grid = gridFromBounds(spec.te, { size: [spec.width, spec.height] }, { crs: spec.crs });
const options: RasterizeOptions = { dtype: spec.dtype, allTouched: !!spec.allTouched };
if (spec.attribute !== undefined) options.attribute = spec.attribute;
else options.burn = spec.burn ?? 1;
const r = await rasterize(features, grid, options);
const t3 = performance.now();

const out: Record<string, number | string> = {
  startup: tImport / 1000,
  read: (t1 - t0) / 1000,
  parse: (t2 - t1) / 1000,
  rasterize: (t3 - t2) / 1000,
  inner: (t3 - t0) / 1000,
  features: r.stats.features,
  shapes: r.stats.shapes,
};

if (spec.split) {
  const s0 = performance.now();
  const shapes = flattenFeatures(features, grid, { attribute: options.attribute, burn: options.burn });
  const s1 = performance.now();
  const data = DTYPES[spec.dtype].make(spec.width * spec.height);
  const s2 = performance.now();
  burnShapesCpu(shapes, { data, width: spec.width, height: spec.height, dtype: spec.dtype }, { allTouched: !!spec.allTouched });
  const s3 = performance.now();
  out.flatten = (s1 - s0) / 1000;
  out.allocate = (s2 - s1) / 1000;
  out.burn = (s3 - s2) / 1000;
}

if (spec.dump) writeFileSync(spec.dump, new Uint8Array(toNpy(r)));
process.stdout.write(`${JSON.stringify(out)}\n`);
