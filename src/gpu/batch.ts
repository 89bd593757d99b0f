// Many small burns on the exact fill's kernels at once (createRasterizer's rasterizeBatch): a unit of
// jobs is planned together (fill/unit.ts: per job, work proportional to its vertices), and one chain
// of dispatches burns them all: host spans (owner.wgsl span_owner_cells), the lines' Bresenham runs
// (lines.wgsl line_runs_jobs), the stepped all-touched walks (touch.wgsl touch_walk_jobs, D7), the edge entries
// (entries.wgsl, scan.wgsl: made on the GPU, as a single burn's), GDAL's crossings and their
// parity (crossings.wgsl, parity.wgsl), then each job's owner ids resolved to its values with its own
// initial value (resolve.wgsl resolve_jobs), one copy and one map. Each job's pixels land in their
// own stretch of the unit's buffers. Only merge 'replace' into fresh arrays of integer or float32
// types takes this path; createRasterizer sends every other job to burnShapesWebGPU.
import { abortError, now } from '../abort.js';
import { converter } from '../dtype.js';
import type { DType, NumberArray as TypedArray } from '../types.js';
import { planFor, type GpuPlan } from './device.js';
import { lostGuard, scoped } from './scopes.js';
import { GpuUnsupportedError } from './errors.js';
import { BUF_COPY_DST, BUF_COPY_SRC, BUF_INDIRECT, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, MAP_READ } from './flags.js';
import { gpuFormat, pixelBits } from './formats.js';
import { fillKernels, walkKernel, type FillKernels } from './pipelines.js';
import { computePass } from './fill/exact.js';
import { ENTRY_WORDS, REGION_WORDS, src } from './fill/buffers.js';
import { encodeGroupEntries } from './fill/group-entries.js';
import type { ScanStore } from './fill/scan.js';
import { RUN_WORDS } from './fill/lines.js';
import { TOUCH_WORDS } from './fill/touch.js';
import { EDGE_WORDS, SPAN_WORDS } from './fill/plan.js';
import { planUnit, unitCells, type UnitJob } from './fill/unit.js';
import {
  CROSSINGS_PARAMS_WORDS, OWNER_PARAMS_WORDS, packOwnerParams, packParityParams, packResolveParams,
  PARITY_PARAMS_WORDS, RESOLVE_PARAMS_WORDS,
} from './uniforms.js';

/** One job of a unit: its shapes in its own grid's pixel space and the array its pixels go to. */
export interface BatchUnitJob extends Omit<UnitJob, 'initBits'> {
  data: TypedArray;
  /** the initial value (before conversion) of every pixel no shape burns */
  init: number;
}

/** What the unit's burn reports for each of its jobs. */
export interface BatchJobStats {
  /** (edge, row) crossings computed on the GPU, and how many took the exact float64 path */
  crossings: number;
  exactFallbacks: number;
  /** polygons outside the GPU fill's domain, burned as spans from the CPU rules */
  polygonsOnCpu: number;
  /** lines walked on the GPU, and those burned as spans from the CPU rules (Z, walks beyond C ints or outside the walk's domain) */
  linesOnGpu: number;
  linesOnCpu: number;
  /** all-touched segments walked on the GPU (stepped in touch.wgsl, vertical as line runs) */
  touchSegments: number;
  /** this job's share of the unit's host milliseconds (planning, encoding, unpacking) */
  hostMs: number;
}

/** The GPU buffers of one unit in flight, each grown as needed; idle sets are reused by later units. */
class UnitSet implements ScanStore {
  private readonly buffers = new Map<string, GPUBuffer>();
  constructor(private readonly device: GPUDevice) {}

  /**
   * The buffer `name` holding at least `bytes` (made or replaced when smaller: capacities double
   * from 4 KiB, so units of slightly different sizes share buffers).
   */
  get(name: string, bytes: number, usage: number): GPUBuffer {
    const old = this.buffers.get(name);
    if (old && old.size >= bytes) return old;
    old?.destroy();
    const size = Math.max(4096, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    const b = this.device.createBuffer({ label: `batch ${name}`, size, usage });
    this.buffers.set(name, b);
    return b;
  }

  level(l: number, n: number): GPUBuffer {
    return this.get(`scan level ${l}`, n * 4, STORE);
  }

  params(l: number): GPUBuffer {
    return this.get(`scan level ${l} params`, 16, UNIFORM);
  }

  destroy(): void {
    for (const b of this.buffers.values()) b.destroy();
    this.buffers.clear();
  }
}

const STORE = BUF_STORAGE | BUF_COPY_DST;
const UNIFORM = BUF_UNIFORM | BUF_COPY_DST;

/** Burns units of small replace-mode jobs on one device, reusing the GPU buffers of finished units. */
export class UnitBatcher {
  private readonly idle: UnitSet[] = [];
  private destroyed = false;

  private constructor(readonly device: GPUDevice, readonly plan: GpuPlan, private readonly kernels: FillKernels) {}

  /** Compiles the kernels on `device`, reporting their errors here rather than in the first unit. */
  static async create(device: GPUDevice): Promise<UnitBatcher> {
    const plan = await planFor(device);
    const kernels = await lostGuard(device)(fillKernels(device));
    return new UnitBatcher(device, plan, kernels);
  }

  /**
   * The most bytes (as jobBytes() counts them) a unit may take when `inFlight` units share
   * `budget`; idle sets beyond `inFlight` are let go.
   */
  unitBytes(budget: number, inFlight: number): number {
    while (this.idle.length > inFlight) this.idle.shift()!.destroy();
    // jobBytes() counts at least four bytes a cell: the owner buffer stays within one binding
    const limit = Math.min(this.plan.maxBufferSize, this.plan.maxStorageBinding);
    return Math.max(4, Math.floor(Math.min(192 * 1024 * 1024, budget / inFlight, limit)));
  }

  /** GPU bytes a job of this size takes in a unit: owner ids, packed output and its staging copy. */
  jobBytes(width: number, height: number, dtype: DType): number {
    return unitCells(width, height) * (4 + 2 * gpuFormat(dtype).gpuBytes);
  }

  /**
   * Burns `jobs` (all of `dtype`; the caller sizes units with unitBytes()) into their arrays and
   * returns each job's figures. Throws GpuUnsupportedError when the unit's lists exceed the device's
   * limits (the caller then burns its jobs one by one), and the device's errors (validation, out of
   * memory, loss).
   */
  async burn(jobs: BatchUnitJob[], dtype: DType, signal?: AbortSignal): Promise<BatchJobStats[]> {
    if (this.destroyed) throw new Error('the rasterizer was destroyed');
    if (jobs.length === 0) return [];
    const { device, kernels } = this;
    const t0 = now();
    const conv = converter(dtype);
    const bytes = gpuFormat(dtype).gpuBytes;
    const tick = () => { if (signal?.aborted) throw abortError(signal); };
    const unit = planUnit(
      jobs.map((j) => ({ ...j, initBits: pixelBits(dtype, conv(j.init), 'init') })),
      // pixelBits refuses only float64 values, which never reach a unit: a fixed label will do
      bytes, (v) => pixelBits(dtype, conv(v), 'burn value'), tick,
    );
    tick();
    const limit = Math.min(this.plan.maxStorageBinding, this.plan.maxBufferSize);
    const over = (what: string, n: number, words: number) => {
      if (n * words * 4 > limit) throw new GpuUnsupportedError(`a batch unit of ${n} ${what} is over the device's storage binding limit`);
    };
    over('edges', unit.nEdges, EDGE_WORDS);
    over('host spans', unit.nSpans, SPAN_WORDS);
    over('line runs', unit.nRuns, RUN_WORDS);
    over('all-touched segments', unit.nTouch, TOUCH_WORDS);
    // a group's entries: one an edge of its range (made on the GPU)
    for (const g of unit.groups) over('edge entries', g.edges, ENTRY_WORDS);
    const stats = jobs.map((_, k): BatchJobStats => ({ crossings: unit.crossings[k], exactFallbacks: 0, polygonsOnCpu: unit.polygonsOnCpu[k],
      linesOnGpu: unit.linesOnGpu[k], linesOnCpu: unit.linesOnCpu[k], touchSegments: unit.touchSegments[k], hostMs: 0,
    }));
    const outBytes = unit.cells * bytes;
    if (outBytes === 0) return stats;

    // the float64 walk, compiled on the first unit that has stepped all-touched segments
    const touchKernel = unit.nTouch > 0 ? await lostGuard(device)(walkKernel(device, 'touchJobs')) : null;
    const set = this.idle.pop() ?? new UnitSet(device);
    let ok = false;
    let hostMs = 0;
    try {
      const staging = set.get('staging', outBytes, BUF_MAP_READ | BUF_COPY_DST);
      const countsRead = set.get('counts read', jobs.length * 4, BUF_MAP_READ | BUF_COPY_DST);
      const [maps, errors] = scoped(device, `a batch unit of ${jobs.length} jobs`, () => {
        const q = device.queue;
        const owner = set.get('owner ids', unit.cells * 4, STORE);
        const out = set.get('packed output', outBytes, BUF_STORAGE | BUF_COPY_SRC);
        const values = set.get('values', unit.values.byteLength, STORE);
        const edges = set.get('edges', unit.edges.byteLength, STORE);
        const counts = set.get('exact-path counts', jobs.length * 4, STORE | BUF_COPY_SRC);
        const jobTable = set.get('jobs', unit.jobTable.byteLength, STORE);
        q.writeBuffer(values, 0, src(unit.values));
        q.writeBuffer(edges, 0, src(unit.edges));
        q.writeBuffer(jobTable, 0, src(unit.jobTable));
        let enc = device.createCommandEncoder({ label: 'batch unit' });
        // device-side clears: the owner ids start unburned, the counters at zero; the packed
        // output is wholly written by resolve_jobs and needs none
        enc.clearBuffer(owner, 0, unit.cells * 4);
        enc.clearBuffer(counts, 0, jobs.length * 4);
        if (unit.nSpans > 0) {
          const spans = set.get('host spans', unit.nSpans * SPAN_WORDS * 4, STORE);
          const params = set.get('span params', OWNER_PARAMS_WORDS * 4, UNIFORM);
          q.writeBuffer(spans, 0, src(unit.spans), 0, unit.nSpans * SPAN_WORDS);
          q.writeBuffer(params, 0, packOwnerParams({ count: unit.nSpans, tileX: 0, tileY: 0, tileW: 0, tileH: 0 }));
          computePass(device, this.plan, enc, kernels.spanCells, [params, spans, owner], unit.nSpans);
        }
        if (unit.nRuns > 0) {
          const runs = set.get('line runs', unit.nRuns * RUN_WORDS * 4, STORE);
          const runJob = set.get('run jobs', unit.nRuns * 4, STORE);
          const lineJobs = set.get('line jobs', unit.lineJobs.byteLength, STORE);
          const params = set.get('line params', 48, UNIFORM);
          q.writeBuffer(runs, 0, src(unit.runs), 0, unit.nRuns * RUN_WORDS);
          q.writeBuffer(runJob, 0, src(unit.runJob), 0, unit.nRuns);
          q.writeBuffer(lineJobs, 0, src(unit.lineJobs));
          // struct LineParams: only the count matters to line_runs_jobs
          q.writeBuffer(params, 0, new Uint32Array([unit.nRuns, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
          computePass(device, this.plan, enc, kernels.linesJobs, [params, runs, owner, runJob, lineJobs], unit.nRuns);
        }
        if (touchKernel) {
          const segs = set.get('all-touched segments', unit.nTouch * TOUCH_WORDS * 4, STORE);
          const lineJobs = set.get('line jobs', unit.lineJobs.byteLength, STORE);
          const params = set.get('touch params', 48, UNIFORM);
          q.writeBuffer(segs, 0, src(unit.touch), 0, unit.nTouch * TOUCH_WORDS);
          q.writeBuffer(lineJobs, 0, src(unit.lineJobs));
          // struct WalkParams (visit.wgsl): only the count matters to touch_walk_jobs
          q.writeBuffer(params, 0, new Uint32Array([unit.nTouch, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
          computePass(device, this.plan, enc, touchKernel, [params, segs, owner, lineJobs], unit.nTouch);
        }
        const bits = set.get('parity bitmaps', Math.max(1, unit.bitsWords) * 4, STORE);
        const parityParams = set.get('parity params', PARITY_PARAMS_WORDS * 4, UNIFORM);
        if (unit.groups.length > 0) {
          // every edge's rows, once for the unit: the GPU clips them to each region
          const edgeRows = set.get('edge rows', unit.nEdges * 8, STORE);
          q.writeBuffer(edgeRows, 0, src(unit.edgeFirst));
          q.writeBuffer(edgeRows, unit.nEdges * 4, src(unit.edgeLast));
          const fixed = {
            edges, edgeRows, counter: counts, bits,
            entryParams: set.get('entry params', 32, UNIFORM),
            toggleParams: set.get('toggle params', CROSSINGS_PARAMS_WORDS * 4, UNIFORM),
            toggleArgs: set.get('toggle dispatch', 32, BUF_STORAGE | BUF_INDIRECT | BUF_COPY_SRC),
          };
          unit.groups.forEach((g, k) => {
            const regions = set.get('regions', g.nRegions * REGION_WORDS * 4, STORE);
            const shapeEdges = set.get('region shape edges', g.nRegions * 8, STORE);
            const edgeCounts = set.get('edge crossing counts', (g.edges + 1) * 4, STORE);
            const entries = set.get('edge entries', g.edges * ENTRY_WORDS * 4, STORE);
            q.writeBuffer(regions, 0, src(g.regions), 0, g.nRegions * REGION_WORDS);
            q.writeBuffer(shapeEdges, 0, src(g.shapeEdges), 0, g.nRegions * 2);
            q.writeBuffer(parityParams, 0, packParityParams({ count: g.regionRows, regions: g.nRegions, mode: 0, down: 0, lo: 0, hi: 0 }));
            enc.clearBuffer(bits, 0, g.words * 4);
            encodeGroupEntries(device, this.plan, enc, kernels, set, g, unit.nEdges, { ...fixed, regions, shapeEdges, counts: edgeCounts, entries });
            computePass(device, this.plan, enc, kernels.parity, [parityParams, regions, bits, owner], g.regionRows);
            // a later group rewrites the entries, regions and parameters: this one goes first
            if (k < unit.groups.length - 1) {
              q.submit([enc.finish()]);
              enc = device.createCommandEncoder({ label: 'batch unit' });
            }
          });
        }
        const resolveParams = set.get('resolve params', RESOLVE_PARAMS_WORDS * 4, UNIFORM);
        q.writeBuffer(resolveParams, 0, packResolveParams({ count: outBytes / 4, bytes, pixels: unit.cells, hasInit: 1, init: 0, jobs: jobs.length }));
        computePass(device, this.plan, enc, kernels.resolveJobs, [resolveParams, owner, values, out, jobTable], outBytes / 4);
        enc.copyBufferToBuffer(out, 0, staging, 0, outBytes);
        enc.copyBufferToBuffer(counts, 0, countsRead, 0, jobs.length * 4);
        q.submit([enc.finish()]);
        return Promise.all([staging.mapAsync(MAP_READ, 0, outBytes), countsRead.mapAsync(MAP_READ, 0, jobs.length * 4)]);
      });
      maps.catch(() => { /* reported through errors or the guard below */ });
      hostMs += now() - t0;
      const guard = lostGuard(device);
      try {
        await guard(maps);
      } catch (e) {
        await guard(errors);
        throw e;
      }
      await guard(errors);
      const t1 = now();
      try {
        const mapped = new Uint8Array(staging.getMappedRange(0, outBytes));
        for (let k = 0; k < jobs.length; k++) {
          const { data } = jobs[k];
          const at = unit.base[k] * bytes;
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(mapped.subarray(at, at + data.byteLength));
        }
        const counted = new Uint32Array(countsRead.getMappedRange(0, jobs.length * 4));
        for (let k = 0; k < jobs.length; k++) stats[k].exactFallbacks = counted[k];
      } finally {
        staging.unmap();
        countsRead.unmap();
      }
      hostMs += now() - t1;
      ok = true;
    } finally {
      // a set whose map may still be pending is not reused
      if (ok && !this.destroyed) this.idle.push(set);
      else set.destroy();
    }
    for (const s of stats) s.hostMs = hostMs / jobs.length;
    return stats;
  }

  /** Destroys the idle GPU buffers; units still running destroy theirs when done. */
  destroy(): void {
    this.destroyed = true;
    for (const s of this.idle) s.destroy();
    this.idle.length = 0;
  }
}
