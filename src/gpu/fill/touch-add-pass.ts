import type { GpuPlan } from '../device.js';
import { BUF_COPY_DST, BUF_MAP_READ, BUF_COPY_SRC, BUF_STORAGE, BUF_UNIFORM, MAP_READ } from '../flags.js';
import { shaderSource } from '../shader-source.js';
import { dispatch64 } from '../tile-pass.js';
import type { GpuResourcePool, Pooled } from '../resources.js';
import { ADD_TOUCH_WORDS } from './touch-add.js';

/*
 * The GPU half of the merge-'add' all-touched walks (shaders/touchadd.wgsl, pixel rule D10): once a
 * burn, the visit lists, their links to the previous segment's lists and the pointer jumping that
 * resolves A6's chains; then once a tile, the adds. The buffers live for one burn, or in the burn's
 * GpuResourcePool between burns.
 */

type Entry = 'touch_list' | 'touch_link' | 'touch_jump' | 'touch_add';
const ENTRIES: Entry[] = ['touch_list', 'touch_link', 'touch_jump', 'touch_add'];
type Kernels = Record<Entry, GPUComputePipeline>;
const cache = new WeakMap<GPUDevice, Promise<Kernels>>();

/** touchadd.wgsl's four pipelines, compiled once per device on a burn's first need. */
export function addTouchKernels(device: GPUDevice): Promise<Kernels> {
  const hit = cache.get(device);
  if (hit) return hit;
  const module = device.createShaderModule({ label: 'touchadd.wgsl', code: shaderSource('touchadd') });
  const p = Promise.all(ENTRIES.map((e) => device.createComputePipelineAsync({ label: e, layout: 'auto', compute: { module, entryPoint: e } })))
    .then((list) => Object.fromEntries(ENTRIES.map((e, k) => [e, list[k]])) as Kernels);
  p.catch(() => cache.delete(device));
  cache.set(device, p);
  return p;
}

/** Rounds of pointer jumping that resolve chains of up to `chain` links: 2^rounds > chain. */
export function jumpRounds(chain: number): number {
  return chain <= 0 ? 0 : 32 - Math.clz32(chain);
}

/** What touch_add adds with (burn.wgsl's mode 1 or 2 and saturate.wgsl's members). */
export interface AddTouchMode {
  wrap: boolean;
  down: boolean;
  lo: number;
  hi: number;
}

/** The pool key of the merge-'add' walks' buffers (one set serves any grid). */
export const ADD_TOUCH_BUFFERS_KEY = 'all-touched add walks';

/**
 * The GPU buffers of the merge-'add' walks: made for one burn, or kept in a GpuResourcePool and
 * reused by later burns, the segment and slot buffers growing as needed. Larger buffers than a burn
 * needs, holding an earlier burn's data, read the same: every kernel stops at the burn's own counts,
 * the keys are cleared for the burn's slots, and touch_link writes every slot's state before it is read.
 */
export class AddTouchBuffers implements Pooled {
  readonly key = ADD_TOUCH_BUFFERS_KEY;
  bytes = 0;
  segs: GPUBuffer;
  keys: GPUBuffer;
  owners: GPUBuffer;
  states: [GPUBuffer, GPUBuffer];
  readonly overflow: GPUBuffer;
  readonly overflowRead: GPUBuffer;
  readonly listParams: GPUBuffer;
  readonly slotParams: GPUBuffer;
  readonly tileParams: GPUBuffer;
  private readonly all = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {
    this.segs = this.make('segments', 16, BUF_STORAGE | BUF_COPY_DST);
    this.keys = this.make('visit keys', 16, BUF_STORAGE | BUF_COPY_DST);
    this.owners = this.make('visit segments', 16, BUF_STORAGE);
    this.states = [this.make('link states', 16, BUF_STORAGE), this.make('link states', 16, BUF_STORAGE)];
    this.overflow = this.make('overflow', 4, BUF_STORAGE | BUF_COPY_SRC | BUF_COPY_DST);
    this.overflowRead = this.make('overflow readback', 4, BUF_MAP_READ | BUF_COPY_DST);
    this.listParams = this.make('list params', 48, BUF_UNIFORM | BUF_COPY_DST);
    this.slotParams = this.make('slot params', 48, BUF_UNIFORM | BUF_COPY_DST);
    this.tileParams = this.make('tile params', 48, BUF_UNIFORM | BUF_COPY_DST);
  }

  private make(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label: `all-touched add ${label}`, size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    this.all.add(b);
    this.bytes += b.size;
    return b;
  }

  // `old` when it holds `size` bytes, else a new buffer (the old one destroyed: only between burns)
  private sized(old: GPUBuffer, label: string, size: number, usage: number): GPUBuffer {
    if (old.size >= size) return old;
    old.destroy();
    this.all.delete(old);
    this.bytes -= old.size;
    return this.make(label, size, usage);
  }

  /** Room for `n` segments and `slots` visit slots. */
  fit(n: number, slots: number): void {
    this.segs = this.sized(this.segs, 'segments', n * ADD_TOUCH_WORDS * 4, BUF_STORAGE | BUF_COPY_DST);
    this.keys = this.sized(this.keys, 'visit keys', slots * 4, BUF_STORAGE | BUF_COPY_DST);
    this.owners = this.sized(this.owners, 'visit segments', slots * 4, BUF_STORAGE);
    this.states = [this.sized(this.states[0], 'link states', slots * 8, BUF_STORAGE), this.sized(this.states[1], 'link states', slots * 8, BUF_STORAGE)];
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.bytes = 0;
  }
}

/** One burn's merge-'add' walks on the GPU, in buffers from `pool` when it has a set (given back by release()). */
export class AddTouchPasses {
  private readonly segs: GPUBuffer;
  private readonly keys: GPUBuffer;
  private readonly owners: GPUBuffer;
  private readonly states: [GPUBuffer, GPUBuffer];
  private readonly overflow: GPUBuffer;
  private readonly overflowRead: GPUBuffer;
  private readonly listParams: GPUBuffer;
  private readonly slotParams: GPUBuffer;
  private readonly tileParams: GPUBuffer;
  private readonly bufs: AddTouchBuffers;
  /** the state buffer holding the resolved parities */
  private final = 0;
  private checked: Promise<void> | null = null;

  constructor(
    private readonly device: GPUDevice, private readonly gpu: GpuPlan, private readonly k: Kernels,
    words: Uint32Array, private readonly n: number, private readonly slots: number, private readonly chain: number,
    private readonly gridW: number, private readonly gridH: number, private readonly pool?: GpuResourcePool,
  ) {
    const pooled = pool?.take(ADD_TOUCH_BUFFERS_KEY);
    const b = (this.bufs = pooled instanceof AddTouchBuffers ? pooled : new AddTouchBuffers(device));
    b.fit(n, slots);
    this.segs = b.segs;
    this.keys = b.keys;
    this.owners = b.owners;
    this.states = b.states;
    this.overflow = b.overflow;
    this.overflowRead = b.overflowRead;
    this.listParams = b.listParams;
    this.slotParams = b.slotParams;
    this.tileParams = b.tileParams;
    device.queue.writeBuffer(this.segs, 0, words as unknown as GPUAllowSharedBufferSource, 0, n * ADD_TOUCH_WORDS);
    device.queue.writeBuffer(this.listParams, 0, new Uint32Array([n, 0, 0, 0, 0, 0, 0, 0, 0, gridW, gridH, 0]));
    device.queue.writeBuffer(this.slotParams, 0, new Uint32Array([slots, 0, 0, 0, 0, 0, 0, 0, 0, gridW, gridH, 0]));
  }

  private pass(enc: GPUCommandEncoder, entry: Entry, bindings: Array<[number, GPUBuffer]>, invocations: number): void {
    const pipeline = this.k[entry];
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: bindings.map(([binding, buffer]) => ({ binding, resource: { buffer } })),
    }));
    dispatch64(pass, this.gpu, invocations);
    pass.end();
  }

  /** Encodes the lists, links and jumps (once a burn, before any tile's adds) and checks the lists' bounds. */
  encodeLists(enc: GPUCommandEncoder): void {
    enc.clearBuffer(this.keys, 0, this.slots * 4);
    enc.clearBuffer(this.overflow, 0, 4);
    this.pass(enc, 'touch_list', [[0, this.listParams], [1, this.segs], [2, this.keys], [3, this.owners], [6, this.overflow]], this.n);
    this.pass(enc, 'touch_link', [[0, this.slotParams], [1, this.segs], [2, this.keys], [3, this.owners], [5, this.states[0]]], this.slots);
    let from = 0;
    for (let r = jumpRounds(this.chain); r > 0; r--) {
      this.pass(enc, 'touch_jump', [[0, this.slotParams], [4, this.states[from]], [5, this.states[1 - from]]], this.slots);
      from = 1 - from;
    }
    this.final = from;
    enc.copyBufferToBuffer(this.overflow, 0, this.overflowRead, 0, 4);
  }

  /** Starts reading the overflow count back (after encodeLists' submit). */
  startCheck(): void {
    this.checked = this.overflowRead.mapAsync(MAP_READ, 0, 4);
    this.checked.catch(() => { /* awaited in check */ });
  }

  /** Throws when a walk visited more pixels than the host's bound (its pixels would be missing). */
  async check(guard: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
    if (!this.checked) return;
    await guard(this.checked);
    const over = new Uint32Array(this.overflowRead.getMappedRange(0, 4))[0];
    this.overflowRead.unmap();
    if (over !== 0) throw new Error(`internal error: ${over} all-touched walks of merge 'add' passed their visit bound on the GPU`);
  }

  /** Encodes one tile's adds into the accumulators `acc` (the tile's cells, row-major). */
  encodeTile(enc: GPUCommandEncoder, acc: GPUBuffer, tile: { x: number; y: number; w: number; h: number }, mode: AddTouchMode): void {
    this.device.queue.writeBuffer(this.tileParams, 0, new Uint32Array([
      this.slots, tile.x >>> 0, tile.y >>> 0, tile.w, tile.h, mode.wrap ? 1 : 2, mode.down ? 1 : 0, mode.lo >>> 0, mode.hi >>> 0, this.gridW, this.gridH, 0,
    ]));
    this.pass(enc, 'touch_add', [[0, this.tileParams], [1, this.segs], [2, this.keys], [3, this.owners], [4, this.states[this.final]], [7, acc]], this.slots);
  }

  /**
   * Ends the burn's use of the buffers: back to the pool after a burn that succeeded (check() has
   * read and unmapped the overflow count), else destroyed (a failed burn may leave a map pending).
   */
  release(ok: boolean): void {
    if (ok && this.pool && this.overflowRead.mapState === 'unmapped') this.pool.give(this.bufs);
    else this.bufs.destroy();
  }
}
