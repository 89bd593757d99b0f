// A rasterizer that lives across calls: the WebGPU device, its compiled pipelines and its buffers and
// textures are set up once and reused, and batches of jobs are pipelined (on the GPU several units of jobs
// or burns in flight at once; on the CPU one job after another). Browser-safe: the GPU modules load
// only when a GPU backend is asked for.
import { now } from './abort.js';
import { burn, softwareReason, type GpuContext } from './burn/burn.js';
import { prepareJob, resultOf, type RasterResult } from './burn/job.js';
import { checkBackend, resolveRequest, type BurnRequest } from './burn/request.js';
import { burnRequest } from './burn/run.js';
import { loadShapesCrs, mergeOf } from './burn/shapes.js';
import type { FeatureInput } from './features/geojson.js';
import type { BatchUnitJob, UnitBatcher } from './gpu/batch.js';
import type { PreparedFeatures } from './prepare.js';
import type { Backend, DType, Grid, NumberArray, RasterizeOptions, WebGPUDevice } from './types.js';
import { isBigDType } from './dtype.js';

export interface RasterizerOptions {
  /** 'cpu' (default), 'webgpu' (throws when there is no adapter), or 'auto' (WebGPU on a hardware adapter; the CPU when there is none or it is software) */
  backend?: Backend;
  /** burn on this device instead of the shared one; destroy() leaves it alive */
  device?: WebGPUDevice;
  /**
   * GPU memory (bytes) a batch may hold at once across the jobs in flight, and the idle buffers
   * kept between calls; default 256 MiB. Results not yet taken from a batch count against it too,
   * so memory is bounded by this, not by the batch's length.
   */
  memoryBudget?: number;
}

/** One job of a batch: rasterize(features, grid, options). */
export interface BatchJob {
  features: FeatureInput | PreparedFeatures;
  grid: Grid;
  options?: RasterizeOptions;
}

export interface BatchProgress {
  /** jobs finished (results handed out) */
  done: number;
  /** jobs in the batch when it is an array, else null */
  total: number | null;
  /** done / total, or null when the total is unknown */
  fraction: number | null;
}

export interface BatchOptions {
  /**
   * GPU units in flight at once (a group of small jobs burned together, or one larger job): while
   * one is read back the next is burned and the one after is prepared. Default 3. The CPU backend
   * runs jobs in sequence and ignores it.
   */
  concurrency?: number;
  onProgress?: (p: BatchProgress) => void;
  /** stops the batch: the iteration (or toArray) rejects with the abort reason */
  signal?: AbortSignal;
}

/**
 * A batch's results in job order, as an async iterable (each result as soon as it and all before
 * it are done; taking them one by one keeps memory bounded) or all at once with toArray().
 */
export interface BatchRun extends AsyncIterable<RasterResult> {
  toArray(): Promise<RasterResult[]>;
}

export interface Rasterizer {
  /** the engine jobs run on: 'webgpu' when a device is held, else 'cpu' */
  readonly backend: 'cpu' | 'webgpu';
  /** the adapter's one-line description when backend is 'webgpu' */
  readonly adapter: string | undefined;
  /** why a requested 'auto' backend ended on the CPU (no adapter, or a software one) */
  readonly fallbackReason: string | undefined;
  /** rasterize() on this rasterizer's device and buffers; options as rasterize()'s (backend is the rasterizer's) */
  rasterize<D extends DType = 'uint16'>(features: FeatureInput | PreparedFeatures, grid: Grid, options?: RasterizeOptions<D>): Promise<RasterResult<D>>;
  /** Runs `jobs` (an array, or any iterable or async iterable of jobs, read as needed) pipelined. */
  rasterizeBatch(jobs: Iterable<BatchJob> | AsyncIterable<BatchJob>, options?: BatchOptions): BatchRun;
  /** Frees the GPU buffers and textures it holds (not a device it was given). Later calls throw. */
  destroy(): void;
}

/** Default memoryBudget: 256 MiB. */
export const DEFAULT_BATCH_BUDGET = 256 * 1024 * 1024;

/**
 * Creates a rasterizer. With a GPU backend it gets the device (the shared one unless given),
 * compiles the pipelines once, and keeps buffers between calls.
 *
 * @example
 * const r = await createRasterizer({ backend: 'auto' });
 * for await (const raster of r.rasterizeBatch(jobs, { onProgress: (p) => bar(p.fraction) })) save(raster);
 * r.destroy();
 */
export async function createRasterizer(options: RasterizerOptions = {}): Promise<Rasterizer> {
  if (options === null || typeof options !== 'object') throw new Error(`rasterizer options must be an object, got ${options}`);
  for (const k of Object.keys(options)) if (!['backend', 'device', 'memoryBudget'].includes(k)) throw new Error(`unknown rasterizer option "${k}"`);
  checkBackend(options.backend);
  const requested = options.backend ?? 'cpu';
  const budget = options.memoryBudget ?? DEFAULT_BATCH_BUDGET;
  if (typeof budget !== 'number' || !(budget > 0)) throw new Error(`memoryBudget must be a positive number of bytes, got ${JSON.stringify(options.memoryBudget)}`);
  if (requested === 'cpu') {
    if (options.device) throw new Error(`a device was given but backend is 'cpu': pass backend 'webgpu' or 'auto'`);
    return new RasterizerImpl('cpu', null, undefined, undefined, budget);
  }
  const engine = await import('./gpu/engine.js');
  let device: GPUDevice;
  try {
    device = (options.device as GPUDevice | undefined) ?? (await engine.getWebGPUDevice());
  } catch (e) {
    if (requested === 'auto' && e instanceof Error) return new RasterizerImpl('cpu', null, undefined, e.message, budget);
    throw e;
  }
  const described = await engine.describeAdapter(device);
  // 'auto' means a hardware adapter: on a software one the CPU engine is faster
  if (requested === 'auto' && described.software) return new RasterizerImpl('cpu', null, undefined, softwareReason(described.label), budget);
  const adapter = described.label;
  const gpu: GpuContext = { device, pool: new engine.GpuResourcePool(device, budget) };
  return new RasterizerImpl(requested, gpu, adapter, undefined, budget);
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('batch aborted');
  err.name = 'AbortError';
  return err;
}

/** A stretch of the batch that runs as one: several small jobs burned together, or one job. */
interface Unit {
  /** resolves to the unit's results in job order */
  results: Promise<RasterResult[]>;
}

class RasterizerImpl implements Rasterizer {
  readonly backend: 'cpu' | 'webgpu';
  private batcher: Promise<UnitBatcher> | null = null;
  private destroyed = false;

  constructor(
    /** what jobs pass to rasterize: 'webgpu' or 'auto' keep their meaning per job, 'cpu' */
    private readonly jobBackend: Backend,
    private readonly gpu: GpuContext | null,
    readonly adapter: string | undefined,
    readonly fallbackReason: string | undefined,
    private readonly budget: number,
  ) {
    this.backend = gpu ? 'webgpu' : 'cpu';
  }

  private check(): void {
    if (this.destroyed) throw new Error('this rasterizer was destroyed');
  }

  // a job's request, on the rasterizer's backend
  private request(grid: Grid, options: RasterizeOptions | undefined): BurnRequest {
    const o = options ?? {};
    const req = resolveRequest(grid, o);
    if (o.backend !== undefined && o.backend !== this.jobBackend) {
      throw new Error(`job backend "${o.backend}" differs from the rasterizer's "${this.jobBackend}": choose the backend in createRasterizer()`);
    }
    req.backend = this.jobBackend;
    return req;
  }

  async rasterize<D extends DType = 'uint16'>(features: FeatureInput | PreparedFeatures, grid: Grid, options: RasterizeOptions<D> = {}): Promise<RasterResult<D>> {
    this.check();
    return burnRequest(features, this.request(grid, options), { gpu: this.gpu }) as Promise<RasterResult<D>>;
  }

  rasterizeBatch(jobs: Iterable<BatchJob> | AsyncIterable<BatchJob>, options: BatchOptions = {}): BatchRun {
    this.check();
    if (!jobs || (typeof (jobs as Iterable<BatchJob>)[Symbol.iterator] !== 'function' && typeof (jobs as AsyncIterable<BatchJob>)[Symbol.asyncIterator] !== 'function')) {
      throw new Error(`jobs must be an array or an (async) iterable of { features, grid, options }, got ${typeof jobs}`);
    }
    if (options === null || typeof options !== 'object') throw new Error(`batch options must be an object, got ${options}`);
    for (const k of Object.keys(options)) if (!['concurrency', 'onProgress', 'signal'].includes(k)) throw new Error(`unknown batch option "${k}"`);
    const concurrency = options.concurrency ?? 3;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${JSON.stringify(options.concurrency)}`);
    const total = Array.isArray(jobs) ? jobs.length : null;
    const run = (): AsyncGenerator<RasterResult> => (this.gpu ? this.gpuBatch(jobs, options, concurrency, total) : this.cpuBatch(jobs, options, total));
    return {
      [Symbol.asyncIterator]: run,
      async toArray() {
        const out: RasterResult[] = [];
        for await (const r of { [Symbol.asyncIterator]: run }) out.push(r);
        return out;
      },
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.gpu?.pool?.destroy();
    const batcher = this.batcher;
    this.batcher = null;
    batcher?.then((b) => b.destroy(), () => undefined);
  }

  private report(options: BatchOptions, done: number, total: number | null): void {
    options.onProgress?.({ done, total, fraction: total === null ? null : total === 0 ? 1 : done / total });
  }

  // one job after another; a timer turn now and then so that aborts and UI updates get through
  private async *cpuBatch(jobs: Iterable<BatchJob> | AsyncIterable<BatchJob>, options: BatchOptions, total: number | null): AsyncGenerator<RasterResult> {
    const { signal } = options;
    let done = 0;
    let lastYield = now();
    for await (const job of jobs) {
      this.check();
      if (signal?.aborted) throw abortError(signal);
      checkJob(job, done);
      const result = await burnRequest(job.features, this.request(job.grid, job.options));
      done++;
      this.report(options, done, total);
      yield result;
      if (now() - lastYield > 50) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        lastYield = now();
      }
    }
    if (signal?.aborted) throw abortError(signal);
  }

  private unitBatcher(): Promise<UnitBatcher> {
    if (!this.batcher) {
      const gpu = this.gpu!;
      this.batcher = import('./gpu/batch.js').then((m) => m.UnitBatcher.create(gpu.device));
      this.batcher.catch(() => { this.batcher = null; });
    }
    return this.batcher;
  }

  // units (several small replace-mode jobs burned together, or single jobs) in flight up to
  // `concurrency`, results handed out in job order as the oldest unit completes
  private async *gpuBatch(jobs: Iterable<BatchJob> | AsyncIterable<BatchJob>, options: BatchOptions, concurrency: number, total: number | null): AsyncGenerator<RasterResult> {
    const { signal } = options;
    const gpu = this.gpu!;
    const batcher = await this.unitBatcher();
    const unitBytes = batcher.unitBytes(this.budget, concurrency);
    const source: AsyncIterator<BatchJob> | Iterator<BatchJob> = Symbol.asyncIterator in jobs
      ? (jobs as AsyncIterable<BatchJob>)[Symbol.asyncIterator]()
      : (jobs as Iterable<BatchJob>)[Symbol.iterator]();
    let ahead: { job: BatchJob; index: number } | null = null;
    let index = 0;
    let exhausted = false;
    // a bad job found while filling a unit: thrown when the next unit starts, after the results before it
    let pending: { error: unknown } | null = null;
    const pull = async (): Promise<{ job: BatchJob; index: number } | null> => {
      if (ahead) { const a = ahead; ahead = null; return a; }
      if (pending) throw pending.error;
      if (exhausted) return null;
      const r = await source.next();
      if (r.done) { exhausted = true; return null; }
      checkJob(r.value, index);
      return { job: r.value, index: index++ };
    };
    const single = (features: FeatureInput | PreparedFeatures, req: BurnRequest): Unit => ({ results: burnRequest(features, req, { gpu }).then((r) => [r]) });

    // the next unit: consecutive jobs that fit one output buffer together, or a job of its own
    const nextUnit = async (): Promise<Unit | null> => {
      const first = await pull();
      if (!first) return null;
      const firstReq = this.request(first.job.grid, first.job.options);
      const dtype = firstReq.dtype;
      const fits = (j: BatchJob, r: BurnRequest) => unitEligible(j, r) && batcher.jobBytes(r.grid.width, r.grid.height, r.dtype) <= unitBytes;
      if (!fits(first.job, firstReq)) return single(first.job.features, firstReq);
      const members: { job: BatchUnitJob; result: RasterResult; req: BurnRequest; features: FeatureInput | PreparedFeatures }[] = [];
      let bytes = 0;
      let next: { job: BatchJob; index: number } | null = first;
      while (next) {
        const g = next.job.grid;
        let req: BurnRequest, prepared: ReturnType<typeof prepareJob>;
        try {
          req = next === first ? firstReq : this.request(g, next.job.options);
          if (next !== first && (!fits(next.job, req) || req.dtype !== dtype || bytes + batcher.jobBytes(g.width, g.height, dtype) > unitBytes)) {
            ahead = next;
            break;
          }
          req.signal?.throwIfAborted();
          await loadShapesCrs(next.job.features, req);
          // the job's CPU half now, so that it overlaps the GPU work of the units before it
          prepared = prepareJob(next.job.features, req);
        } catch (e) {
          // the unit ends before a job that fails; that job then fails as the next unit's first
          if (next === first) throw e;
          ahead = next;
          break;
        }
        bytes += batcher.jobBytes(g.width, g.height, dtype);
        const { shapes, stats, modes, data } = prepared;
        stats.backend = 'webgpu';
        stats.adapter = this.adapter;
        members.push({
          job: { shapes, data: data as NumberArray, width: g.width, height: g.height, allTouched: modes.allTouched, burnZ: modes.burnZ, init: req.start as number },
          result: resultOf(prepared, data),
          req,
          features: next.job.features,
        });
        try {
          next = await pull();
        } catch (e) {
          pending = { error: e };
          break;
        }
      }
      const t0 = now();
      const results = batcher.burn(members.map((m) => m.job), dtype, signal).then(
        (figures) => members.map((m, k) => {
          const n = m.result.stats.shapes;
          m.result.stats.stages.burn = now() - t0;
          const { adapter } = batcher.plan;
          m.result.stats.gpu = { adapter: adapter.label, software: adapter.software, ...figures[k] };
          m.req.onProgress?.({ fraction: 1, done: n, total: n });
          return m.result;
        }),
        async (e: unknown) => {
          if (!(e instanceof Error) || e.name === 'AbortError') throw e;
          // a unit the kernels cannot take (lists over the device's limits) goes job by job through burn(),
          // which answers unsupported requests on the CPU; 'auto' also answers GPU failures there
          const unsupported = e.name === 'GpuUnsupportedError';
          if (!unsupported && this.jobBackend !== 'auto') throw e;
          const out: RasterResult[] = [];
          for (const m of members) {
            const req: BurnRequest = unsupported ? m.req : { ...m.req, backend: 'cpu' };
            const r = await burn(prepareJob(m.features, req), unsupported ? gpu : null);
            if (!unsupported) r.stats.fallbackReason = e.message;
            out.push(r);
          }
          return out;
        },
      );
      return { results };
    };

    const inFlight: Unit[] = [];
    let done = 0;
    // a job that cannot even be prepared fails the batch where it stands: the results before it come first
    let failed = false;
    try {
      for (;;) {
        while (!failed && inFlight.length < concurrency) {
          if (signal?.aborted) throw abortError(signal);
          this.check();
          let unit: Unit | null;
          try {
            unit = await nextUnit();
          } catch (e) {
            unit = { results: Promise.reject(e) };
            failed = true;
          }
          if (!unit) break;
          // a unit abandoned by an abort or an earlier failure must not report an unhandled rejection
          unit.results.catch(() => undefined);
          inFlight.push(unit);
        }
        const head = inFlight.shift();
        if (!head) break;
        const results = await head.results;
        for (const r of results) {
          if (signal?.aborted) throw abortError(signal);
          done++;
          this.report(options, done, total);
          yield r;
        }
        if (signal?.aborted) throw abortError(signal);
      }
    } finally {
      // stop reading a lazy job source we will not finish
      if (!exhausted) await (source as AsyncIterator<BatchJob>).return?.();
    }
  }
}

function checkJob(job: BatchJob, index: number): void {
  if (!job || typeof job !== 'object' || job.features === undefined || !job.grid) {
    throw new Error(`batch job ${index} must be { features, grid, options? }, got ${JSON.stringify(job)?.slice(0, 80)}`);
  }
}

// jobs a batch unit burns on the exact fill's kernels, as burnShapesWebGPU would: merge 'replace' with the span fill
// into a fresh array of an integer or float32 type (float64 needs the engine's exactness checks)
function unitEligible(job: BatchJob, req: BurnRequest): boolean {
  return mergeOf(job.features, req) === 'replace' && req.gpuFill === 'spans' && req.into === undefined && req.dtype !== 'float64' && !isBigDType(req.dtype);
}
