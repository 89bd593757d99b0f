// The library in-process, as a Node user calls it: read the file, JSON.parse, rasterize(). Run as
// its own process by bench/run.ts so that its peak RSS is measured alone; prints the phase times
// as one JSON line. With "split" it also times the two halves of rasterize() (flatten to pixel-space
// shapes, then the CPU burn) in a second pass, to show where the time goes; with "dump" it writes
// the array as .npy after the timed phases, for the pixel check.
//
// backend 'webgpu' burns through Dawn (the optional `webgpu` package; SwiftShader where there is no
// GPU) and reports the adapter. For a 'jobs' workload (W5) the file holds many small jobs: "mode"
// 'loop' awaits rasterize() once per job, 'batch' runs them all through one
// createRasterizer().rasterizeBatch(); the timed phase is "loop" either way, and "dump" writes the
// results as one (jobs, height, width) .npy stack.
//
// usage: node dist/bench/lib-runner.js '<json spec>'
// spec: { src, width, height, te, tr?, dtype, attribute | burn, allTouched, crs, backend?, kind?, mode?, split?, dump? }
import { readFileSync, writeFileSync } from 'node:fs';
import { rasterize, type RasterResult } from '../src/rasterize.js';
import { createRasterizer, type BatchJob } from '../src/rasterizer.js';
import { gridFromBounds } from '../src/grid-from-bounds.js';
import { flattenFeatures } from '../src/features/flatten.js';
import { burnShapesCpu } from '../src/cpu/engine.js';
import { DTYPES } from '../src/dtype.js';
import { toNpy } from '../src/io/npy.js';
import type { DType, Grid, RasterizeOptions } from '../src/types.js';
import type { FeatureInput } from '../src/features/geojson.js';
import { npyHeader } from './npy.js';

interface Spec {
  src: string;
  width: number;
  height: number;
  te: [number, number, number, number];
  tr?: [number, number];
  dtype: DType;
  attribute?: string;
  burn?: number;
  allTouched?: boolean;
  crs: string;
  backend?: 'cpu' | 'webgpu';
  kind?: 'single' | 'jobs';
  /** jobs: a loop of rasterize() or one rasterizeBatch(); single: 'threads' burns with rasterburn/node's rasterizeThreaded */
  mode?: 'loop' | 'batch' | 'threads';
  split?: boolean;
  dump?: string;
}

interface JobsFile {
  crs: string;
  width: number;
  height: number;
  jobs: { te: [number, number, number, number]; features: FeatureInput }[];
}

// performance.now() counts from process start: this is Node's boot plus loading the modules
const tImport = performance.now();
if (!process.argv[2]) {
  process.stderr.write('usage: node dist/bench/lib-runner.js \'{"src": ..., "width": ..., "height": ..., "te": [...], "dtype": ..., "crs": ...}\'\n');
  process.exit(1);
}
const spec = JSON.parse(process.argv[2]) as Spec;
const backend = spec.backend ?? 'cpu';
const options: RasterizeOptions = { dtype: spec.dtype, allTouched: !!spec.allTouched, backend };
if (spec.attribute !== undefined) options.attribute = spec.attribute;
else options.burn = spec.burn ?? 1;

const out: Record<string, number | string> = { startup: tImport / 1000 };
const t0 = performance.now();
const text = readFileSync(spec.src, 'utf8');
const t1 = performance.now();
const parsed = JSON.parse(text) as unknown;
const t2 = performance.now();
out.read = (t1 - t0) / 1000;
out.parse = (t2 - t1) / 1000;

if (spec.kind === 'jobs') {
  const file = parsed as JobsFile;
  const jobs: BatchJob[] = file.jobs.map((j) => ({ features: j.features, grid: gridFromBounds(j.te, { size: [file.width, file.height] }, { crs: file.crs }), options }));
  const results: RasterResult[] | null = spec.dump ? [] : null;
  let adapter = '';
  const t3 = performance.now();
  if (spec.mode === 'batch') {
    // the rasterizer's setup (device, pipelines) is part of what a batch costs
    const r = await createRasterizer({ backend });
    const jobOptions = { ...options };
    delete jobOptions.backend;
    for await (const res of r.rasterizeBatch(jobs.map((j) => ({ ...j, options: jobOptions })))) {
      results?.push(res);
      adapter ||= res.stats.adapter ?? '';
    }
    r.destroy();
  } else {
    for (const j of jobs) {
      const res = await rasterize(j.features, j.grid, options);
      results?.push(res);
      adapter ||= res.stats.adapter ?? '';
    }
  }
  const t4 = performance.now();
  out.loop = (t4 - t3) / 1000;
  out.jobs = jobs.length;
  out.inner = (t4 - t0) / 1000;
  if (adapter) out.adapter = adapter;
  if (results && spec.dump) {
    // one (jobs, height, width) stack, as bench/gdal_mem.py writes its jobs
    const { width, height } = file;
    const header = npyHeader(spec.dtype, [results.length, height, width]);
    const body = new Uint8Array(results.length * width * height * DTYPES[spec.dtype].bytes);
    results.forEach((r, k) => body.set(new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength), k * width * height * DTYPES[spec.dtype].bytes));
    const buf = new Uint8Array(header.length + body.length);
    buf.set(header, 0);
    buf.set(body, header.length);
    writeFileSync(spec.dump, buf);
  }
} else {
  const features = parsed as FeatureInput;
  const grid: Grid = gridFromBounds(spec.te, spec.tr ? { resolution: spec.tr } : { size: [spec.width, spec.height] }, { crs: spec.crs });
  if (grid.width !== spec.width || grid.height !== spec.height) throw new Error(`grid is ${grid.width} x ${grid.height}, the workload says ${spec.width} x ${spec.height}`);
  const r = spec.mode === 'threads'
    ? await (await import('../src/node.js')).rasterizeThreaded(features, grid, options)
    : await rasterize(features, grid, options);
  const t3 = performance.now();
  out.rasterize = (t3 - t2) / 1000;
  out.inner = (t3 - t0) / 1000;
  out.features = r.stats.features;
  out.shapes = r.stats.shapes;
  if (r.stats.adapter) out.adapter = r.stats.adapter;
  if (r.stats.fallbackReason) out.fallbackReason = r.stats.fallbackReason;

  if (spec.split) {
    const s0 = performance.now();
    const shapes = flattenFeatures(features, grid, { attribute: options.attribute, burn: options.burn });
    const s1 = performance.now();
    const data = DTYPES[spec.dtype].make(grid.width * grid.height);
    const s2 = performance.now();
    burnShapesCpu(shapes, { data, width: grid.width, height: grid.height, dtype: spec.dtype }, { allTouched: !!spec.allTouched });
    const s3 = performance.now();
    out.flatten = (s1 - s0) / 1000;
    out.allocate = (s2 - s1) / 1000;
    out.burn = (s3 - s2) / 1000;
  }

  if (spec.dump) writeFileSync(spec.dump, new Uint8Array(toNpy(r)));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
// Dawn keeps the process alive while its instance lives
process.exit(0);
