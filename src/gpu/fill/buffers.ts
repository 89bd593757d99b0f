import { BUF_COPY_DST, BUF_COPY_SRC, BUF_INDIRECT, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, MAP_READ } from '../flags.js';
import type { Pooled } from '../resources.js';
import { RECT_WORDS } from '../spans.js';
import { RUN_WORDS } from './lines.js';
import type { ScanStore } from './scan.js';
import { TOUCH_WORDS, ZTOUCH_WORDS } from './touch.js';
import { ZRUN_WORDS } from './zlines.js';
import { EDGE_WORDS, SPAN_WORDS, type FillPlan } from './plan.js';

/** 32-bit words of a tile-edge entry (struct TileEdge) and of a region (struct Region). */
export const ENTRY_WORDS = 4;
export const REGION_WORDS = 11;
/** Parity bitmap words one group of regions may use. */
export const BITS_WORDS = 16 * 1024 * 1024;

const align4 = (n: number) => Math.ceil(n / 4) * 4;

// typed arrays as WebGPU upload sources (TS types ArrayBufferLike-backed views too narrowly)
export function src(a: ArrayBufferView): GPUAllowSharedBufferSource {
  return a as unknown as GPUAllowSharedBufferSource;
}

/** The pool key of the buffers for tiles of `pixels` pixels of `bytes` bytes each. */
export function fillBuffersKey(pixels: number, bytes: number): string {
  return `exact-fill ${pixels}x${bytes}`;
}

/**
 * The GPU objects of exact-fill burns on tiles of one size and output type: made for one burn, or
 * kept in a GpuResourcePool (createRasterizer's) and reused by later burns of the same shape, the
 * buffers whose contents vary in size (values, edges, bitmaps, entries, spans) growing as needed.
 */
export class FillBuffers implements Pooled, ScanStore {
  readonly key: string;
  /** bytes of GPU memory held */
  bytes = 0;
  readonly owner: GPUBuffer;
  readonly out: GPUBuffer;
  readonly counter: GPUBuffer;
  readonly counterRead: GPUBuffer;
  readonly spanParams: GPUBuffer;
  readonly toggleParams: GPUBuffer;
  readonly parityParams: GPUBuffer;
  readonly resolveParams: GPUBuffer;
  readonly packParams: GPUBuffer;
  readonly tileUniform: GPUBuffer;
  readonly addParams: GPUBuffer;
  readonly lineParams: GPUBuffer;
  readonly touchParams: GPUBuffer;
  readonly zParams: GPUBuffer;
  readonly zTouchParams: GPUBuffer;
  /** entries.wgsl's parameters, and the toggle dispatch it writes: workgroups x, y, z, then CrossingsParams */
  readonly entryParams: GPUBuffer;
  readonly toggleArgs: GPUBuffer;
  /** sized by load() for each burn */
  values: GPUBuffer;
  edges: GPUBuffer;
  bits: GPUBuffer;
  runs: GPUBuffer;
  touch: GPUBuffer;
  zRuns: GPUBuffer;
  zTouch: GPUBuffer;
  /** every edge's first rows, then every edge's last rows (entries.wgsl's `rows`) */
  edgeRows: GPUBuffer;
  /** one crossing count an edge and one more, scanned in place into the entries' starts */
  counts: GPUBuffer;
  private readonly scanLevels: (GPUBuffer | null)[] = [];
  private readonly scanParams: GPUBuffer[] = [];
  private shapeEdges: GPUBuffer | null = null;
  private readonly stagings: GPUBuffer[] = [];
  private readonly stagingBytes: number;
  private spans: GPUBuffer | null = null;
  private rects: GPUBuffer | null = null;
  private entries: GPUBuffer | null = null;
  private regions: GPUBuffer | null = null;
  private readonly all = new Set<GPUBuffer>();
  private destroyed = false;

  constructor(private readonly device: GPUDevice, pixels: number, bytes: number) {
    this.key = fillBuffersKey(pixels, bytes);
    this.owner = this.make('owner ids', pixels * 4, BUF_STORAGE | BUF_COPY_DST);
    this.out = this.make('packed tile', pixels * bytes, BUF_STORAGE | BUF_COPY_SRC | BUF_COPY_DST);
    this.stagingBytes = pixels * bytes;
    this.counter = this.make('exact-path counter', 4, BUF_STORAGE | BUF_COPY_SRC | BUF_COPY_DST);
    this.counterRead = this.make('exact-path counter readback', 4, BUF_MAP_READ | BUF_COPY_DST);
    this.spanParams = this.make('span params', 32, BUF_UNIFORM | BUF_COPY_DST);
    this.toggleParams = this.make('toggle params', 16, BUF_UNIFORM | BUF_COPY_DST);
    this.parityParams = this.make('parity params', 48, BUF_UNIFORM | BUF_COPY_DST);
    this.tileUniform = this.make('add tile', 16, BUF_UNIFORM | BUF_COPY_DST);
    this.addParams = this.make('add params', 32, BUF_UNIFORM | BUF_COPY_DST);
    this.lineParams = this.make('line params', 48, BUF_UNIFORM | BUF_COPY_DST);
    this.touchParams = this.make('touch params', 48, BUF_UNIFORM | BUF_COPY_DST);
    this.zParams = this.make('z line params', 64, BUF_UNIFORM | BUF_COPY_DST);
    this.zTouchParams = this.make('all-touched z line params', 64, BUF_UNIFORM | BUF_COPY_DST);
    this.entryParams = this.make('entry params', 32, BUF_UNIFORM | BUF_COPY_DST);
    this.toggleArgs = this.make('toggle dispatch', 32, BUF_STORAGE | BUF_INDIRECT | BUF_COPY_SRC);
    this.resolveParams = this.make('resolve params', 32, BUF_UNIFORM | BUF_COPY_DST);
    this.packParams = this.make('pack params', 32, BUF_UNIFORM | BUF_COPY_DST);
    this.values = this.make('owner values', 4, BUF_STORAGE | BUF_COPY_DST);
    this.edges = this.make('edges', EDGE_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.bits = this.make('parity bitmaps', 4, BUF_STORAGE | BUF_COPY_DST);
    this.runs = this.make('line runs', RUN_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.touch = this.make('all-touched segments', TOUCH_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.zRuns = this.make('z line segments', ZRUN_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.zTouch = this.make('all-touched z line segments', ZTOUCH_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.edgeRows = this.make('edge rows', 8, BUF_STORAGE | BUF_COPY_DST);
    this.counts = this.make('edge crossing counts', 8, BUF_STORAGE | BUF_COPY_DST);
  }

  private make(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, align4(size)), usage });
    this.all.add(b);
    this.bytes += b.size;
    return b;
  }

  // `old` when it holds `bytes`, else a new storage buffer (the old one destroyed: only between
  // submits, never while an unsubmitted encoder names it)
  private sized(old: GPUBuffer | null, label: string, bytes: number): GPUBuffer {
    if (old && old.size >= bytes) return old;
    if (old) {
      old.destroy();
      this.all.delete(old);
      this.bytes -= old.size;
    }
    return this.make(label, bytes, BUF_STORAGE | BUF_COPY_DST);
  }

  /** Uploads one burn's plan: owner values, edges, line runs (`runs`: their words as lines.wgsl burns them), all-touched segments; sizes the bitmaps for tiles of tileW x tileH; zeroes the counter. */
  load(plan: FillPlan, tileW: number, tileH: number, runs: Int32Array = plan.runs): void {
    const queue = this.device.queue;
    this.values = this.sized(this.values, 'owner values', Math.max(1, plan.ids) * 4);
    if (plan.ids > 0) queue.writeBuffer(this.values, 0, src(plan.values));
    this.edges = this.sized(this.edges, 'edges', Math.max(1, plan.nEdges) * EDGE_WORDS * 4);
    if (plan.nEdges > 0) queue.writeBuffer(this.edges, 0, src(plan.edges));
    this.edgeRows = this.sized(this.edgeRows, 'edge rows', Math.max(1, plan.nEdges) * 8);
    if (plan.nEdges > 0) {
      queue.writeBuffer(this.edgeRows, 0, src(plan.edgeFirst));
      queue.writeBuffer(this.edgeRows, plan.nEdges * 4, src(plan.edgeLast));
    }
    this.counts = this.sized(this.counts, 'edge crossing counts', (plan.nEdges + 1) * 4);
    this.bits = this.sized(this.bits, 'parity bitmaps', bitmapWords(plan, tileW, tileH) * 4);
    this.runs = this.sized(this.runs, 'line runs', Math.max(1, plan.nRuns) * RUN_WORDS * 4);
    if (plan.nRuns > 0) queue.writeBuffer(this.runs, 0, src(runs));
    this.touch = this.sized(this.touch, 'all-touched segments', Math.max(1, plan.nTouch) * TOUCH_WORDS * 4);
    if (plan.nTouch > 0) queue.writeBuffer(this.touch, 0, src(plan.touch));
    this.zRuns = this.sized(this.zRuns, 'z line segments', Math.max(1, plan.nZRuns) * ZRUN_WORDS * 4);
    if (plan.nZRuns > 0) queue.writeBuffer(this.zRuns, 0, src(plan.zRuns));
    this.zTouch = this.sized(this.zTouch, 'all-touched z line segments', Math.max(1, plan.nZTouch) * ZTOUCH_WORDS * 4);
    if (plan.nZTouch > 0) queue.writeBuffer(this.zTouch, 0, src(plan.zTouch));
    queue.writeBuffer(this.counter, 0, new Uint32Array(1));
  }

  /** Readback buffer k (0 or 1), made on first use. */
  staging(k: number): GPUBuffer {
    return (this.stagings[k] ??= this.make(`tile readback ${k}`, this.stagingBytes, BUF_MAP_READ | BUF_COPY_DST));
  }

  /**
   * Readback buffer k, handed over for good (it backs a result array): this set forgets it and
   * makes a new one when next asked.
   */
  detachStaging(k: number): GPUBuffer {
    const b = this.stagings[k];
    if (!b) throw new Error(`readback buffer ${k} was never made`);
    this.all.delete(b);
    this.bytes -= b.size;
    delete this.stagings[k];
    return b;
  }

  /**
   * Takes back readback buffer k after detachStaging() (the result it backed is released): unmapped
   * and kept for the next burn when this set is alive and has not made a new one, else destroyed.
   */
  reattachStaging(k: number, b: GPUBuffer): void {
    b.unmap();
    if (this.destroyed || this.stagings[k] || b.size !== Math.max(16, align4(this.stagingBytes))) {
      b.destroy();
      return;
    }
    this.stagings[k] = b;
    this.all.add(b);
    this.bytes += b.size;
  }

  spanBuffer(n: number): GPUBuffer {
    return (this.spans = this.sized(this.spans, 'host spans', n * SPAN_WORDS * 4));
  }

  rectBuffer(n: number): GPUBuffer {
    return (this.rects = this.sized(this.rects, 'add rectangles', n * RECT_WORDS * 4));
  }

  entryBuffer(n: number): GPUBuffer {
    return (this.entries = this.sized(this.entries, 'tile edges', n * ENTRY_WORDS * 4));
  }

  regionBuffer(n: number): GPUBuffer {
    return (this.regions = this.sized(this.regions, 'regions', n * REGION_WORDS * 4));
  }

  /** Two u32 a region: its shape's first edge and the one after its last (entries.wgsl). */
  shapeEdgeBuffer(n: number): GPUBuffer {
    return (this.shapeEdges = this.sized(this.shapeEdges, 'region shape edges', n * 8));
  }

  level(l: number, n: number): GPUBuffer {
    const b = this.sized(this.scanLevels[l] ?? null, `scan level ${l}`, n * 4);
    this.scanLevels[l] = b;
    return b;
  }

  params(l: number): GPUBuffer {
    return (this.scanParams[l] ??= this.make(`scan level ${l} params`, 16, BUF_UNIFORM | BUF_COPY_DST));
  }

  /** Copies the exact-path counter for takeCounter() at the end of `enc` (the burn's last submit). */
  copyCounter(enc: GPUCommandEncoder): void {
    enc.copyBufferToBuffer(this.counter, 0, this.counterRead, 0, 4);
  }

  /** The counter copied by copyCounter(), once `mapped` (counterRead's map) resolves. */
  async takeCounter(guard: <T>(p: Promise<T>) => Promise<T>, mapped: Promise<void>): Promise<number> {
    await guard(mapped);
    const n = new Uint32Array(this.counterRead.getMappedRange(0, 4))[0];
    this.counterRead.unmap();
    return n;
  }

  /** The number of crossings that took the exact float64 path since load(). */
  async readCounter(guard: <T>(p: Promise<T>) => Promise<T>): Promise<number> {
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.counter, 0, this.counterRead, 0, 4);
    this.device.queue.submit([enc.finish()]);
    await guard(this.counterRead.mapAsync(MAP_READ));
    const n = new Uint32Array(this.counterRead.getMappedRange())[0];
    this.counterRead.unmap();
    return n;
  }

  destroy(): void {
    this.destroyed = true;
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.bytes = 0;
  }
}

// bitmap words the largest group can need: groups stop at BITS_WORDS, and no group holds more than
// all the shapes' regions together, each clipped to at most one tile
function bitmapWords(plan: FillPlan, tileW: number, tileH: number): number {
  let words = 0;
  for (let s = 0; s < plan.fills; s++) {
    const cols = Math.min(tileW, plan.col1[s] - plan.col0[s] + 1), rows = Math.min(tileH, plan.row1[s] - plan.row0[s] + 1);
    words += Math.ceil(cols / 32) * rows;
    if (words >= BITS_WORDS) return BITS_WORDS;
  }
  return words || 1;
}

/**
 * A group of regions whose bitmaps fit BITS_WORDS, and the edges entries.wgsl makes their entries
 * of: one dispatch chain's worth of a tile (the exact fill) or of a batch unit.
 */
export interface RegionGroup {
  /** REGION_WORDS words a region (struct Region), ascending by shape */
  regions: Uint32Array;
  nRegions: number;
  regionRows: number;
  /** bitmap words of its regions */
  words: number;
  /** per region, its shape's edges [shapeEdges[2r], shapeEdges[2r + 1]) */
  shapeEdges: Uint32Array;
  /** the edges of the group's shapes and of the shapes between them: first .. first + edges - 1 */
  first: number;
  edges: number;
}
