// GPU objects of the span/triangle path. Each kind is a small class that creates its objects and
// destroys them; a burn's `Resources` holds the kinds its mode needs, and a GpuResourcePool keeps
// sets between burns of the same tile shape.
import { BUF_COPY_DST, BUF_COPY_SRC, BUF_INDEX, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, BUF_VERTEX, TEX_COPY_DST, TEX_COPY_SRC, TEX_RENDER_ATTACHMENT } from './flags.js';
import { TRI_VERTEX_BYTES } from './pipelines.js';
import { RECT_BYTES } from './spans.js';
import { ADD_PARAMS_WORDS, PACK_PARAMS_WORDS, TILE_WORDS } from './uniforms.js';

/** Rectangles one span draw covers with the static index buffer (24 bytes each: 24 MiB). */
export const QUAD_BATCH = 1 << 20;

/** Idle GPU memory a pool keeps by default: two sets of the largest default tile. */
export const DEFAULT_POOL_BUDGET = 256 * 1024 * 1024;

// sizes rounded up to whole words (WebGPU wants buffer sizes that copies and maps can cover)
function createBuffer(device: GPUDevice, label: string, size: number, usage: number): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
}

/** A buffer of fixed-size records, re-created larger when a tile needs more than it holds. */
export class GrowableBuffer {
  buffer: GPUBuffer | null = null;
  /** records it holds */
  cap = 0;

  constructor(private readonly label: string, private readonly recordBytes: number, private readonly usage: number) {}

  /** Makes room for `n` records, re-creating the buffer with `cap` of them when short; true when re-created. */
  ensure(device: GPUDevice, n: number, cap: number): boolean {
    if (this.cap >= n) return false;
    this.destroy();
    this.buffer = createBuffer(device, this.label, cap * this.recordBytes, this.usage);
    this.cap = cap;
    return true;
  }

  get bytes(): number {
    return this.buffer?.size ?? 0;
  }

  destroy(): void {
    this.buffer?.destroy();
    this.buffer = null;
    this.cap = 0;
  }
}

/** The render path's tile target (a texture of the tile's size) and draw inputs. */
export class RenderResources {
  readonly texture: GPUTexture;
  /** static quad indices (4k, 4k+1, 4k+2, 4k+2, 4k+1, 4k+3), 6 per rectangle */
  readonly quadIdx = new GrowableBuffer('quad indices', 24, BUF_INDEX | BUF_COPY_DST);
  /** triangle vertices (TRI_VERTEX_BYTES each) and their u32 indices */
  readonly triVB = new GrowableBuffer('triangle vertices', TRI_VERTEX_BYTES, BUF_VERTEX | BUF_COPY_DST);
  readonly triIB = new GrowableBuffer('triangle indices', 4, BUF_INDEX | BUF_COPY_DST);
  /** Tile uniform and rectangles, re-bound when the rectangle buffer is re-created */
  tileGroup: GPUBindGroup | null = null;
  private readonly textureBytes: number;

  constructor(device: GPUDevice, tileW: number, tileH: number, format: GPUTextureFormat, bytesPerPixel: number) {
    this.texture = device.createTexture({
      label: 'target',
      size: { width: tileW, height: tileH },
      format,
      usage: TEX_RENDER_ATTACHMENT | TEX_COPY_SRC | TEX_COPY_DST,
    });
    this.textureBytes = tileW * tileH * bytesPerPixel;
  }

  /** Quad indices for `cap` rectangles at least (draws beyond them step baseVertex instead). */
  ensureQuads(device: GPUDevice, need: number, cap: number): void {
    if (!this.quadIdx.ensure(device, need, cap)) return;
    const q = new Uint32Array(cap * 6);
    for (let k = 0, v = 0; k < q.length; k += 6, v += 4) {
      q[k] = v; q[k + 1] = v + 1; q[k + 2] = v + 2; q[k + 3] = v + 2; q[k + 4] = v + 1; q[k + 5] = v + 3;
    }
    device.queue.writeBuffer(this.quadIdx.buffer!, 0, q);
  }

  get bytes(): number {
    return this.textureBytes + this.quadIdx.bytes + this.triVB.bytes + this.triIB.bytes;
  }

  destroy(): void {
    this.texture.destroy();
    this.quadIdx.destroy();
    this.triVB.destroy();
    this.triIB.destroy();
  }
}

/** Merge 'add' on integers: per-pixel accumulators, the packed output and the dispatches' uniforms. */
export class AccumulateResources {
  readonly acc: GPUBuffer;
  readonly packed: GPUBuffer;
  /** AddParams of the fill dispatch and of the add dispatches; PackParams */
  readonly fillParams: GPUBuffer;
  readonly addParams: GPUBuffer;
  readonly packParams: GPUBuffer;

  constructor(device: GPUDevice, cells: number, bytesPerPixel: number) {
    this.acc = createBuffer(device, 'accumulators', cells * 4, BUF_STORAGE | BUF_COPY_DST);
    this.packed = createBuffer(device, 'packed', cells * bytesPerPixel, BUF_STORAGE | BUF_COPY_SRC);
    this.fillParams = createBuffer(device, 'fill params', ADD_PARAMS_WORDS * 4, BUF_UNIFORM | BUF_COPY_DST);
    this.addParams = createBuffer(device, 'add params', ADD_PARAMS_WORDS * 4, BUF_UNIFORM | BUF_COPY_DST);
    this.packParams = createBuffer(device, 'pack params', PACK_PARAMS_WORDS * 4, BUF_UNIFORM | BUF_COPY_DST);
  }

  get bytes(): number {
    return this.acc.size + this.packed.size + this.fillParams.size + this.addParams.size + this.packParams.size;
  }

  destroy(): void {
    for (const b of [this.acc, this.packed, this.fillParams, this.addParams, this.packParams]) b.destroy();
  }
}

/**
 * GPU objects of one burn. A set is made for one tile shape (its key: mode, format, tile size,
 * staging size); a pooled set is reused by later burns of that shape, growing the buffers whose
 * contents vary in size (rectangles, quad indices, triangles).
 */
export class Resources {
  readonly tileUniform: GPUBuffer;
  /** two, so the GPU fills one while the CPU reads the other */
  readonly stagings: readonly [GPUBuffer, GPUBuffer];
  /** span rectangles: vertex-pulled by spans.wgsl, or looped over by add.wgsl */
  readonly rects = new GrowableBuffer('rects', RECT_BYTES, BUF_STORAGE | BUF_COPY_DST);
  /** exactly one of these, by mode */
  render: RenderResources | null = null;
  accumulate: AccumulateResources | null = null;

  constructor(device: GPUDevice, readonly key: string, stagingBytes: number) {
    this.tileUniform = createBuffer(device, 'tile', TILE_WORDS * 4, BUF_UNIFORM | BUF_COPY_DST);
    this.stagings = [
      createBuffer(device, 'staging 0', stagingBytes, BUF_MAP_READ | BUF_COPY_DST),
      createBuffer(device, 'staging 1', stagingBytes, BUF_MAP_READ | BUF_COPY_DST),
    ];
  }

  /** bytes of GPU memory held */
  get bytes(): number {
    return this.tileUniform.size + this.stagings[0].size + this.stagings[1].size + this.rects.bytes
      + (this.render?.bytes ?? 0) + (this.accumulate?.bytes ?? 0);
  }

  destroy(): void {
    this.tileUniform.destroy();
    for (const s of this.stagings) s.destroy();
    this.rects.destroy();
    this.render?.destroy();
    this.accumulate?.destroy();
  }
}

/** What a pool keeps: a set of GPU objects made for one shape of burn (its key). */
export interface Pooled {
  readonly key: string;
  /** bytes of GPU memory held */
  readonly bytes: number;
  destroy(): void;
}

/**
 * Buffers and textures kept between burns on one device, so a stream of similar burns (a batch of
 * jobs on same-sized grids) allocates nothing after the first. Idle sets are held up to `budget`
 * bytes, the least recently used destroyed beyond it; sets in use belong to their burn.
 */
export class GpuResourcePool {
  // each idle set with the bytes counted when it was given back (a set may grow while idle, e.g. a
  // result's readback returned to it, and the count must not drift)
  private idle: { r: Pooled; bytes: number }[] = [];
  private idleBytes = 0;
  private closed = false;

  constructor(readonly device: GPUDevice, readonly budget: number = DEFAULT_POOL_BUDGET) {
    if (!(budget >= 0)) throw new Error(`pool budget must be a number of bytes >= 0, got ${budget}`);
  }

  /** An idle set for this key, now owned by the caller; null when none. */
  take(key: string): Pooled | null {
    for (let k = this.idle.length - 1; k >= 0; k--) {
      const { r, bytes } = this.idle[k];
      if (r.key !== key) continue;
      this.idle.splice(k, 1);
      this.idleBytes -= bytes;
      return r;
    }
    return null;
  }

  /** Returns a set after a successful burn (its buffers unmapped); destroys it when the pool is closed. */
  give(r: Pooled): void {
    if (this.closed) { r.destroy(); return; }
    this.idle.push({ r, bytes: r.bytes });
    this.idleBytes += r.bytes;
    while (this.idleBytes > this.budget && this.idle.length > 0) {
      const old = this.idle.shift()!;
      this.idleBytes -= old.bytes;
      old.r.destroy();
    }
  }

  /** GPU bytes held by idle sets. */
  get heldBytes(): number {
    return this.idleBytes;
  }

  /** Destroys every idle set; sets still in use are destroyed when their burns give them back. */
  destroy(): void {
    this.closed = true;
    for (const { r } of this.idle) r.destroy();
    this.idle = [];
    this.idleBytes = 0;
  }
}

/** The most one burn's tiles upload at once, and the caps of one upload chunk. */
export interface ResourceSizes {
  stagingBytes: number;
  maxRects: number;
  maxTriVerts: number;
  maxTriIdx: number;
  capRects: number;
  capVerts: number;
  capIdx: number;
}

/** The tile shape a set is made for. */
export interface ResourceShape {
  /** 'accumulate' for merge 'add' on integers, else a texture of `format` */
  kind: string;
  accumulate: boolean;
  tileW: number;
  tileH: number;
  format: GPUTextureFormat;
  /** bytes per pixel on the GPU (texture texels, packed output) */
  gpuBytes: number;
}

/**
 * Everything one burn holds on the GPU, sized for its largest tile: a pooled set of the same tile
 * shape when there is one (grown where too small), else a new one. `own` receives the set before
 * anything is grown, so that whoever destroys it on failure also destroys what was made.
 */
export function acquireResources(
  device: GPUDevice, pool: GpuResourcePool | null, shape: ResourceShape, z: ResourceSizes, tileLayout: GPUBindGroupLayout,
  own: (r: Resources) => void,
): Resources {
  const { tileW, tileH } = shape;
  const key = `${shape.kind} ${shape.format} ${tileW}x${tileH} ${z.stagingBytes}`;
  const kept = pool?.take(key);
  const res = kept instanceof Resources ? kept : new Resources(device, key, z.stagingBytes);
  own(res);
  // a pool reuses sets across burns whose rectangle counts differ: grow by doubling
  const roundUp = (n: number, cap: number) => (pool ? Math.min(cap, 2 ** Math.ceil(Math.log2(Math.max(n, 64)))) : n);
  const rectCount = Math.min(Math.max(z.maxRects, 1), z.capRects);
  const rectsChanged = res.rects.ensure(device, rectCount, roundUp(rectCount, z.capRects));
  if (shape.accumulate) {
    res.accumulate ??= new AccumulateResources(device, tileW * tileH, shape.gpuBytes);
    return res;
  }
  const r = (res.render ??= new RenderResources(device, tileW, tileH, shape.format, shape.gpuBytes));
  r.ensureQuads(device, Math.min(rectCount, QUAD_BATCH), Math.min(res.rects.cap, QUAD_BATCH));
  if (z.maxTriIdx > 0) {
    const verts = Math.min(z.maxTriVerts, z.capVerts), idx = Math.min(z.maxTriIdx, z.capIdx);
    r.triVB.ensure(device, verts, roundUp(verts, z.capVerts));
    r.triIB.ensure(device, idx, roundUp(idx, z.capIdx));
  }
  if (!r.tileGroup || rectsChanged) {
    r.tileGroup = device.createBindGroup({
      layout: tileLayout,
      entries: [{ binding: 0, resource: { buffer: res.tileUniform } }, { binding: 1, resource: { buffer: res.rects.buffer! } }],
    });
  }
  return res;
}
