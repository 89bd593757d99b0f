// Many small burns in one GPU pass (createRasterizer's rasterizeBatch): a unit of jobs shares one
// upload, one dispatch of shaders/rows.wgsl, one copy and one map, and each job's pixels land in
// its own stretch of one output buffer. The spans are the span path's (rules/emit.ts: GDAL's rules
// in float64, exact), grouped by row in emission order; one invocation per row writes them in that
// order, so later shapes overwrite earlier ones as in GDAL. Per unit this replaces a texture, a
// render pass, a submit and a map round trip per job, and quads by plain stores (a software
// adapter pays microseconds per quad). Only merge 'replace' into fresh arrays of integer or
// float32 types takes this path; createRasterizer sends every other job to burnShapesWebGPU.
import { emitShape } from '../rules/emit.js';
import type { BurnSink } from '../rules/sink.js';
import { converter } from '../dtype.js';
import type { ShapeSet } from '../features/shapes.js';
import type { DType, TypedArray } from '../types.js';
import { planFor, type GpuPlan } from './device.js';
import { lostGuard, scoped } from './scopes.js';
import { GpuUnsupportedError } from './errors.js';
import { BUF_COPY_DST, BUF_COPY_SRC, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, MAP_READ, STAGE_COMPUTE } from './flags.js';
import { gpuFormat, pixelBits } from './formats.js';
import { rowsWgsl } from './shaders.gen.js';
import { packRowsParams, ROWS_PARAMS_WORDS } from './uniforms.js';
import { ValueBits } from './value-bits.js';

/** One job of a unit: its shapes in its own grid's pixel space and the array its pixels go to. */
export interface RowJob {
  shapes: ShapeSet;
  data: TypedArray;
  width: number;
  height: number;
  allTouched: boolean;
  burnZ: boolean;
  /** the initial value (before conversion) of every pixel no shape burns */
  init: number;
}

/** Row record (rows.wgsl): first span, span count, first output word, width, init bits. */
export const ROW_WORDS = 5;
/** RowSpan record (rows.wgsl): x0, x1 inclusive, value bits. */
export const ROW_SPAN_WORDS = 3;

/** 32-bit words of one output row of `width` pixels (rows are padded to whole words). */
function rowWords(width: number, bytes: number): number {
  return Math.ceil((width * bytes) / 4);
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('burn aborted');
  err.name = 'AbortError';
  return err;
}

// growable u32 column
class U32s {
  a = new Uint32Array(4096);
  n = 0;
  reserve(k: number): void {
    if (this.n + k <= this.a.length) return;
    const b = new Uint32Array(Math.max(this.a.length * 2, this.n + k));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
}

// collects one job's spans (row, x0, x1, value bits) in emission order
class RowSpanSink implements BurnSink {
  readonly spans = new U32s();
  private readonly values: ValueBits;

  constructor(encode: (v: number) => number) {
    this.values = new ValueBits(encode);
  }

  begin(value: number): void {
    this.values.begin(value);
  }

  span(y: number, x0: number, x1: number, variant: number): void {
    const bits = this.values.bits(variant);
    const s = this.spans;
    s.reserve(4);
    const a = s.a, n = s.n;
    a[n] = y; a[n + 1] = x0; a[n + 2] = x1; a[n + 3] = bits;
    s.n = n + 4;
  }

  point(y: number, x: number, variant: number): void {
    this.span(y, x, x, variant);
  }
}

/** GPU objects of one unit in flight; idle ones are reused by later units. */
interface UnitSet {
  params: GPUBuffer;
  rows: GPUBuffer | null;
  rowCap: number;
  spans: GPUBuffer | null;
  spanCap: number;
  out: GPUBuffer | null;
  staging: GPUBuffer | null;
  outBytes: number;
  group: GPUBindGroup | null;
}

/** Burns units of small replace-mode jobs on one device, reusing the GPU objects of finished units. */
export class RowBatcher {
  private readonly layout: GPUBindGroupLayout;
  private readonly pipeline: GPUComputePipeline;
  private readonly idle: UnitSet[] = [];
  private destroyed = false;

  private constructor(readonly device: GPUDevice, readonly plan: GpuPlan) {
    this.layout = device.createBindGroupLayout({
      label: 'rows',
      entries: [
        { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipeline = device.createComputePipeline({
      label: 'fill_rows',
      layout: device.createPipelineLayout({ bindGroupLayouts: [this.layout] }),
      compute: { module: device.createShaderModule({ label: 'rows.wgsl', code: rowsWgsl }), entryPoint: 'fill_rows' },
    });
  }

  /** Compiles the kernel on `device`, reporting its errors here rather than in the first unit. */
  static async create(device: GPUDevice): Promise<RowBatcher> {
    const plan = await planFor(device);
    const [b, compiled] = scoped(device, 'compiling rows.wgsl', () => new RowBatcher(device, plan));
    await lostGuard(device)(compiled);
    return b;
  }

  /**
   * The largest unit output (bytes) when `inFlight` units share `budget` bytes, each holding an
   * output buffer and its staging copy; idle objects beyond `inFlight` units are let go.
   */
  unitBytes(budget: number, inFlight: number): number {
    while (this.idle.length > inFlight) destroySet(this.idle.shift()!);
    const limit = Math.min(this.plan.maxBufferSize, this.plan.maxStorageBinding);
    return Math.max(4, Math.floor(Math.min(64 * 1024 * 1024, budget / inFlight / 2, limit) / 4) * 4);
  }

  /** Output bytes a job of this size takes in a unit. */
  jobBytes(width: number, height: number, dtype: DType): number {
    return height * rowWords(width, gpuFormat(dtype).gpuBytes) * 4;
  }

  /**
   * Burns `jobs` (all of `dtype`; the caller sizes units with unitBytes()) into their arrays. GDAL's spans are
   * computed here on the CPU; throws the device's errors (validation, out of memory, loss).
   */
  async burn(jobs: RowJob[], dtype: DType, signal?: AbortSignal): Promise<void> {
    if (this.destroyed) throw new Error('the rasterizer was destroyed');
    if (jobs.length === 0) return;
    const { device } = this;
    const conv = converter(dtype);
    const bpp = gpuFormat(dtype).gpuBytes;
    const encode = (v: number): number => pixelBits(dtype, conv(v), 'burn value');

    // CPU: each job's spans, grouped by row (a stable counting sort keeps emission order per row)
    let rowsTotal = 0;
    for (const j of jobs) rowsTotal += j.height;
    const rows = new Uint32Array(rowsTotal * ROW_WORDS);
    const spans = new U32s();
    const bases: number[] = [];
    let word = 0, row = 0;
    for (let k = 0; k < jobs.length; k++) {
      if (signal?.aborted) throw abortError(signal);
      const job = jobs[k];
      const { shapes, width, height } = job;
      const sink = new RowSpanSink(encode);
      const emitOpts = { allTouched: job.allTouched, merge: 'replace' as const, burnZ: job.burnZ };
      for (let i = 0; i < shapes.count; i++) {
        sink.begin(shapes.value[i]);
        emitShape(shapes, i, width, height, emitOpts, sink);
      }
      const src = sink.spans.a, n = sink.spans.n / 4;
      const counts = new Uint32Array(height + 1);
      for (let s = 0; s < n; s++) counts[src[4 * s] + 1]++;
      for (let y = 0; y < height; y++) counts[y + 1] += counts[y];
      const first = spans.n / ROW_SPAN_WORDS;
      spans.reserve(n * ROW_SPAN_WORDS);
      const dst = spans.a;
      const fill = counts.slice(0, height);
      for (let s = 0; s < n; s++) {
        const at = (first + fill[src[4 * s]]++) * ROW_SPAN_WORDS;
        dst[at] = src[4 * s + 1]; dst[at + 1] = src[4 * s + 2]; dst[at + 2] = src[4 * s + 3];
      }
      spans.n += n * ROW_SPAN_WORDS;
      const rw = rowWords(width, bpp);
      const init = pixelBits(dtype, conv(job.init), 'init');
      bases.push(word);
      for (let y = 0; y < height; y++, row++) {
        const o = row * ROW_WORDS;
        rows[o] = first + counts[y];
        rows[o + 1] = counts[y + 1] - counts[y];
        rows[o + 2] = word + y * rw;
        rows[o + 3] = width;
        rows[o + 4] = init;
      }
      word += height * rw;
    }
    if (signal?.aborted) throw abortError(signal);
    const bytes = word * 4;
    const spanCount = spans.n / ROW_SPAN_WORDS;
    if (spanCount * ROW_SPAN_WORDS * 4 > Math.min(this.plan.maxStorageBinding, this.plan.maxBufferSize)) {
      throw new GpuUnsupportedError(`a batch unit of ${spanCount} spans is over the device's storage binding limit`);
    }

    const set = this.take(rowsTotal, spanCount, bytes);
    let ok = false;
    try {
      const [map, errors] = scoped(device, `a batch unit of ${jobs.length} jobs`, () => {
        const q = device.queue;
        q.writeBuffer(set.rows!, 0, rows);
        if (spanCount > 0) q.writeBuffer(set.spans!, 0, spans.a.subarray(0, spans.n));
        q.writeBuffer(set.params, 0, packRowsParams({ rows: rowsTotal, bytes: bpp }));
        const enc = device.createCommandEncoder({ label: 'batch unit' });
        // rows with a zero initial value rely on this
        enc.clearBuffer(set.out!, 0, bytes);
        const pass = enc.beginComputePass();
        pass.setPipeline(this.pipeline);
        pass.setBindGroup(0, set.group!);
        const groups = Math.ceil(rowsTotal / 64);
        const gx = Math.min(groups, this.plan.maxWorkgroups);
        pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
        pass.end();
        enc.copyBufferToBuffer(set.out!, 0, set.staging!, 0, bytes);
        q.submit([enc.finish()]);
        return set.staging!.mapAsync(MAP_READ, 0, bytes);
      });
      map.catch(() => { /* reported through errors or the guard below */ });
      const guard = lostGuard(device);
      try {
        await guard(map);
      } catch (e) {
        await guard(errors);
        throw e;
      }
      await guard(errors);
      const mapped = set.staging!.getMappedRange(0, bytes);
      try {
        const src = new Uint8Array(mapped);
        for (let k = 0; k < jobs.length; k++) {
          const { data, width, height } = jobs[k];
          const dst = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          const rowBytes = width * bpp, pitch = rowWords(width, bpp) * 4, base = bases[k] * 4;
          if (pitch === rowBytes) dst.set(src.subarray(base, base + rowBytes * height));
          else for (let y = 0; y < height; y++) dst.set(src.subarray(base + y * pitch, base + y * pitch + rowBytes), y * rowBytes);
        }
      } finally {
        set.staging!.unmap();
      }
      ok = true;
    } finally {
      // a set whose map may still be pending is not reused
      if (ok && !this.destroyed) this.idle.push(set);
      else destroySet(set);
    }
  }

  /** Destroys the idle GPU objects; units still running destroy theirs when done. */
  destroy(): void {
    this.destroyed = true;
    for (const s of this.idle) destroySet(s);
    this.idle.length = 0;
  }

  // an idle set, grown where too small for this unit (capacities double), or a new one
  private take(rowCount: number, spanCount: number, bytes: number): UnitSet {
    const { device } = this;
    const grow = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 1024)));
    const s: UnitSet = this.idle.pop() ?? {
      params: device.createBuffer({ label: 'batch params', size: ROWS_PARAMS_WORDS * 4, usage: BUF_UNIFORM | BUF_COPY_DST }),
      rows: null, rowCap: 0, spans: null, spanCap: 0, out: null, staging: null, outBytes: 0, group: null,
    };
    let regroup = !s.group;
    if (s.outBytes < bytes) {
      s.out?.destroy();
      s.staging?.destroy();
      // whole MiB steps, so that units of slightly different sizes share buffers
      const limit = Math.min(this.plan.maxBufferSize, this.plan.maxStorageBinding);
      s.outBytes = Math.max(bytes, Math.floor(Math.min(Math.ceil(bytes / 2 ** 20) * 2 ** 20, limit) / 4) * 4);
      s.out = device.createBuffer({ label: 'batch output', size: s.outBytes, usage: BUF_STORAGE | BUF_COPY_SRC | BUF_COPY_DST });
      s.staging = device.createBuffer({ label: 'batch staging', size: s.outBytes, usage: BUF_MAP_READ | BUF_COPY_DST });
      regroup = true;
    }
    if (s.rowCap < rowCount) {
      s.rows?.destroy();
      s.rowCap = grow(rowCount);
      s.rows = device.createBuffer({ label: 'batch rows', size: s.rowCap * ROW_WORDS * 4, usage: BUF_STORAGE | BUF_COPY_DST });
      regroup = true;
    }
    if (s.spanCap < Math.max(spanCount, 1)) {
      s.spans?.destroy();
      s.spanCap = grow(spanCount);
      s.spans = device.createBuffer({ label: 'batch spans', size: s.spanCap * ROW_SPAN_WORDS * 4, usage: BUF_STORAGE | BUF_COPY_DST });
      regroup = true;
    }
    if (regroup) {
      s.group = device.createBindGroup({
        layout: this.layout,
        entries: [s.params, s.rows!, s.spans!, s.out!].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    }
    return s;
  }
}

function destroySet(s: UnitSet): void {
  for (const b of [s.params, s.rows, s.spans, s.out, s.staging]) b?.destroy();
}
