// The GPU half of one span/triangle burn: resources for its largest tile, one pass per tile
// (render-tile.ts or accumulate.ts), readback pipelined one tile behind, and clean-up.
import { abortError } from '../abort.js';
import { accumulateTile } from './accumulate.js';
import { alignedBytesPerRow, type GpuPlan } from './device.js';
import { gpuFormat } from './formats.js';
import { TRI_VERTEX_BYTES, type Pipelines } from './pipelines.js';
import type { Mode, Work } from './prepare.js';
import { finishReadback, startReadback, type Pending } from './readback.js';
import { renderTile } from './render-tile.js';
import { acquireResources, type GpuResourcePool, type Resources } from './resources.js';
import { lostGuard, scoped } from './scopes.js';
import { RECT_BYTES, type TileLayout } from './spans.js';
import { fillTile, tileRect, type WebGPUTarget } from './target.js';
import type { TileContext } from './tile-pass.js';
import { packTile } from './uniforms.js';

/** Bytes of one upload chunk (rectangles, triangle vertices): large enough to amortise a submit. */
const CHUNK_BYTES = 64 * 1024 * 1024;

/** What the tiles drew, summed. */
export interface TileJobResult {
  tilesDrawn: number;
  rects: number;
  triangles: number;
}

export interface TileJobOptions {
  device: GPUDevice;
  plan: GpuPlan;
  pipes: Pipelines;
  target: WebGPUTarget;
  layout: TileLayout;
  mode: Mode;
  init: number | undefined;
  pool: GpuResourcePool | null;
  work: Work;
}

/**
 * Runs every tile of a prepared burn on the GPU into o.target.data. The burn's resources go back
 * to the pool after a success and are destroyed otherwise (a failed burn may leave a map in flight).
 */
export async function runTiles(o: TileJobOptions, signal: AbortSignal | undefined, progress: (done: number, all: number) => void): Promise<TileJobResult> {
  let res: Resources | null = null;
  let ok = false;
  try {
    const out = await tiles(o, (r) => { res = r; }, signal, progress);
    ok = true;
    return out;
  } finally {
    const r = res as Resources | null;
    if (r) {
      if (ok && o.pool) o.pool.give(r);
      else r.destroy();
    }
  }
}

async function tiles(
  o: TileJobOptions, own: (r: Resources) => void, signal: AbortSignal | undefined, progress: (done: number, all: number) => void,
): Promise<TileJobResult> {
  const { device, layout, work, plan, mode } = o;
  const guard = lostGuard(device);
  const fmt = gpuFormat(o.target.dtype);
  const gpuBytes = mode === 'add-float' ? 4 : fmt.gpuBytes;
  const count = layout.tilesX * layout.tilesY;
  const { tileW, tileH } = layout;
  const accumulate = mode === 'add-int';
  const staged = accumulate ? tileW * gpuBytes : alignedBytesPerRow(tileW, gpuBytes);

  // biggest upload any tile needs, capped at one chunk
  let maxRects = 0, maxTriVerts = 0, maxTriIdx = 0;
  for (let t = 0; t < count; t++) {
    maxRects = Math.max(maxRects, work.bucketOf(t).n);
    let v = 0, ix = 0;
    for (const k of work.trisOf(t)) { v += work.tris[k].coords.length / 2; ix += work.tris[k].tris.length; }
    maxTriVerts = Math.max(maxTriVerts, v);
    maxTriIdx = Math.max(maxTriIdx, ix);
  }
  const cap = Math.min(CHUNK_BYTES, plan.maxBufferSize, plan.maxStorageBinding);
  const ctx: TileContext = {
    device, plan, pipes: o.pipes, target: o.target, mode, fmt, gpuBytes, init: o.init, work,
    capRects: Math.floor(cap / RECT_BYTES), capVerts: Math.floor(cap / TRI_VERTEX_BYTES), capIdx: Math.floor(cap / 4),
  };
  const sizes = { stagingBytes: staged * tileH, maxRects, maxTriVerts, maxTriIdx, capRects: ctx.capRects, capVerts: ctx.capVerts, capIdx: ctx.capIdx };
  const shape = { kind: mode, accumulate, tileW, tileH, format: mode === 'add-float' ? 'r32float' as const : fmt.format, gpuBytes };
  const [res, allocated] = scoped(device, `allocating GPU resources for ${tileW} x ${tileH} tiles`, () => acquireResources(device, o.pool, shape, sizes, o.pipes.tileLayout, own));
  await guard(allocated);

  const out: TileJobResult = { tilesDrawn: 0, rects: 0, triangles: 0 };
  let pending: Pending | null = null;
  let k = 0;
  for (let t = 0; t < count; t++) {
    if (signal?.aborted) throw abortError(signal);
    const tile = tileRect(layout, t);
    const bucket = work.bucketOf(t);
    const triList = work.trisOf(t);
    if (bucket.n === 0 && triList.length === 0) {
      // nothing to draw: with `into` the target already holds the answer, else it is init
      if (o.init !== undefined) fillTile(o.target, tile, o.init);
      progress(t + 1, count);
      continue;
    }
    const staging = res.stagings[k++ % 2];
    const [drawn, errors] = scoped(device, `tile ${t} (${tile.w} x ${tile.h} at ${tile.x},${tile.y})`, () => {
      device.queue.writeBuffer(res.tileUniform, 0, packTile({ origin: [tile.x, tile.y], size: [tile.w, tile.h] }));
      return accumulate ? accumulateTile(ctx, tile, bucket, staging, res) : renderTile(ctx, tile, bucket, triList, staging, res);
    });
    out.rects += drawn.rects;
    out.triangles += drawn.triangles;
    const next = startReadback(tile, staging, drawn.pitch, drawn.bytes, errors);
    out.tilesDrawn++;
    // the GPU works on this tile while the previous one is copied out
    if (pending) await finishReadback(pending, o.target, gpuBytes, guard);
    pending = next;
    progress(t + 1, count);
  }
  // the last tile (one still in flight when something above throws is abandoned instead: runTiles
  // destroys its staging buffer, which rejects the map)
  if (pending) await finishReadback(pending, o.target, gpuBytes, guard);
  return out;
}
