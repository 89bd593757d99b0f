// The render path's tile pass: span rectangles as quads (spans.wgsl) and earcut triangles
// (triangles.wgsl) drawn in shape order into a texture of the tile, then copied to staging. Merge
// 'replace' writes; float32 merge 'add' blends additively.
import { alignedBytesPerRow } from './device.js';
import { pixelBits } from './formats.js';
import { TRI_VERTEX_BYTES } from './pipelines.js';
import type { RenderResources, Resources } from './resources.js';
import { RECT_WORDS, type Bucket } from './spans.js';
import { bytesOf, tileCopy, tileView, type TileRect } from './target.js';
import type { TileContext, TileDrawn } from './tile-pass.js';
import type { TriangulatedShape } from './triangles.js';

/** A stretch of one tile's draws: span rectangles [first, first+count) or triangulated shapes (indices into the tile's list). */
interface Run {
  tri: boolean;
  first: number;
  count: number;
}

/** One upload and render pass: its runs, and the rectangles, vertices and indices they upload. */
interface Segment {
  runs: Run[];
  /** the segment's first rectangle in the bucket (-1: none) */
  rect0: number;
  rects: number;
  verts: number;
  idx: number;
}

/** Submits one tile's upload (when it starts from the target), draws and copy into `staging`. */
export function renderTile(ctx: TileContext, tile: TileRect, bucket: Bucket, triList: number[], staging: GPUBuffer, r: Resources): TileDrawn {
  const rr: RenderResources = r.render!;
  const { device, work, mode, fmt, gpuBytes, target } = ctx;
  const queue = device.queue;
  if (ctx.init === undefined) {
    const size = { width: tile.w, height: tile.h };
    if (target.dtype === 'float64') {
      queue.writeTexture({ texture: rr.texture }, tileCopy(target, tile, new Float32Array(tile.w * tile.h)), { bytesPerRow: tile.w * 4, rowsPerImage: tile.h }, size);
    } else {
      queue.writeTexture({ texture: rr.texture }, bytesOf(tileView(target, tile)), { bytesPerRow: target.width * gpuBytes, rowsPerImage: tile.h }, size);
    }
  }
  const format = mode === 'add-float' ? 'r32float' : fmt.format;
  const fragment = mode === 'add-float' ? 'fs_float' : fmt.fragment;
  const pipes = {
    span: ctx.pipes.spans(format, fragment, mode === 'add-float'),
    tri: triList.length > 0 ? ctx.pipes.triangles(format, fmt.fragment) : null,
  };
  const view = rr.texture.createView();
  const segs = segments(buildRuns(bucket, triList, work.tris), triList, work.tris, ctx);
  const drawn: TileDrawn = { pitch: alignedBytesPerRow(tile.w, gpuBytes), bytes: 0, rects: 0, triangles: 0 };
  drawn.bytes = drawn.pitch * (tile.h - 1) + tile.w * gpuBytes;
  for (let k = 0; k < segs.length; k++) {
    const enc = device.createCommandEncoder({ label: `tile ${tile.index}` });
    drawSegment(ctx, enc, tile, bucket, triList, segs[k], k === 0, r, view, pipes, drawn);
    if (k === segs.length - 1) {
      enc.copyTextureToBuffer({ texture: rr.texture }, { buffer: staging, bytesPerRow: drawn.pitch, rowsPerImage: tile.h }, { width: tile.w, height: tile.h });
    }
    queue.submit([enc.finish()]);
  }
  return drawn;
}

// one tile's draws in shape order: span rectangles and triangulated shapes interleave only where
// their shapes do, so later shapes still overwrite earlier ones
function buildRuns(bucket: Bucket, triList: number[], tris: TriangulatedShape[]): Run[] {
  if (triList.length === 0) return bucket.n > 0 ? [{ tri: false, first: 0, count: bucket.n }] : [];
  const runs: Run[] = [];
  const shapes = bucket.shapes!;
  let r = 0, k = 0;
  while (r < bucket.n || k < triList.length) {
    const takeRect = k >= triList.length || (r < bucket.n && shapes[r] < tris[triList[k]].shape);
    const last = runs[runs.length - 1];
    if (takeRect) {
      if (last && !last.tri) last.count++;
      else runs.push({ tri: false, first: r, count: 1 });
      r++;
    } else {
      if (last && last.tri) last.count++;
      else runs.push({ tri: true, first: k, count: 1 });
      k++;
    }
  }
  return runs;
}

// the runs cut into uploads of contiguous rectangles and whole triangulated shapes, each under the
// chunk caps; always at least one (possibly empty), which clears and copies the tile
function segments(runs: Run[], triList: number[], tris: TriangulatedShape[], caps: TileContext): Segment[] {
  const out: Segment[] = [];
  let seg: Segment = { runs: [], rect0: -1, rects: 0, verts: 0, idx: 0 };
  const cut = () => {
    out.push(seg);
    seg = { runs: [], rect0: -1, rects: 0, verts: 0, idx: 0 };
  };
  for (const run of runs) {
    if (!run.tri) {
      let f = run.first, left = run.count;
      while (left > 0) {
        if (seg.rects === caps.capRects) cut();
        if (seg.rect0 < 0) seg.rect0 = f;
        const n = Math.min(left, caps.capRects - seg.rects);
        seg.runs.push({ tri: false, first: f, count: n });
        seg.rects += n;
        f += n;
        left -= n;
      }
    } else {
      for (let k = run.first; k < run.first + run.count; k++) {
        const s = tris[triList[k]];
        const nv = s.coords.length / 2, ni = s.tris.length;
        if (nv > caps.capVerts || ni > caps.capIdx) throw new Error(`polygon ${s.shape} has too many vertices (${nv}) for one GPU upload`);
        if (seg.verts + nv > caps.capVerts || seg.idx + ni > caps.capIdx) cut();
        const prev = seg.runs[seg.runs.length - 1];
        if (prev && prev.tri && prev.first + prev.count === k) prev.count++;
        else seg.runs.push({ tri: true, first: k, count: 1 });
        seg.verts += nv;
        seg.idx += ni;
      }
    }
  }
  cut();
  return out;
}

// a segment's triangles as one vertex buffer (x, y as float32, value bits) and u32 indices
function packTriangles(seg: Segment, tile: TileRect, triList: number[], tris: TriangulatedShape[], triBits: number[]): [ArrayBuffer, Uint32Array<ArrayBuffer>] {
  const vb = new ArrayBuffer(seg.verts * TRI_VERTEX_BYTES);
  const vf = new Float32Array(vb), vu = new Uint32Array(vb);
  const ib = new Uint32Array(seg.idx);
  let nv = 0, ni = 0;
  for (const run of seg.runs) {
    if (!run.tri) continue;
    for (let k = run.first; k < run.first + run.count; k++) {
      const s = tris[triList[k]];
      const bits = triBits[triList[k]];
      const c = s.coords;
      // tile-relative in float64, then float32 (pixel rule D4)
      for (let v = 0; v < c.length / 2; v++) {
        vf[(nv + v) * 3] = c[2 * v] - tile.x;
        vf[(nv + v) * 3 + 1] = c[2 * v + 1] - tile.y;
        vu[(nv + v) * 3 + 2] = bits;
      }
      for (let q = 0; q < s.tris.length; q++) ib[ni + q] = s.tris[q] + nv;
      nv += c.length / 2;
      ni += s.tris.length;
    }
  }
  return [vb, ib];
}

// uploads one segment and encodes its render pass (clearing first when it is the tile's first and
// the burn starts from init)
function drawSegment(
  ctx: TileContext, enc: GPUCommandEncoder, tile: TileRect, bucket: Bucket, triList: number[], seg: Segment, first: boolean,
  r: Resources, view: GPUTextureView, pipes: { span: GPURenderPipeline; tri: GPURenderPipeline | null }, drawn: TileDrawn,
): void {
  const { device, work } = ctx;
  const queue = device.queue;
  const rr = r.render!;
  if (seg.rects > 0) queue.writeBuffer(r.rects.buffer!, 0, bytesOf(bucket.rects), seg.rect0 * RECT_WORDS, seg.rects * RECT_WORDS);
  if (seg.verts > 0) {
    const [vb, ib] = packTriangles(seg, tile, triList, work.tris, work.triBits);
    queue.writeBuffer(rr.triVB.buffer!, 0, vb);
    queue.writeBuffer(rr.triIB.buffer!, 0, ib);
    drawn.triangles += seg.idx / 3;
  }
  const pass = enc.beginRenderPass({
    colorAttachments: [{
      view,
      loadOp: first && ctx.init !== undefined ? 'clear' : 'load',
      storeOp: 'store',
      clearValue: ctx.init !== undefined ? clearValue(ctx, ctx.init) : undefined,
    }],
  });
  pass.setViewport(0, 0, tile.w, tile.h, 0, 1);
  pass.setBindGroup(0, rr.tileGroup!);
  let current: GPURenderPipeline | null = null;
  let triIndexBase = 0;
  const quadCap = rr.quadIdx.cap;
  for (const run of seg.runs) {
    if (run.tri) {
      if (current !== pipes.tri) {
        pass.setPipeline(pipes.tri!);
        pass.setVertexBuffer(0, rr.triVB.buffer!);
        pass.setIndexBuffer(rr.triIB.buffer!, 'uint32');
        current = pipes.tri;
      }
      let n = 0;
      for (let k = run.first; k < run.first + run.count; k++) n += work.tris[triList[k]].tris.length;
      pass.drawIndexed(n, 1, triIndexBase, 0, 0);
      triIndexBase += n;
    } else {
      if (current !== pipes.span) {
        pass.setPipeline(pipes.span);
        pass.setIndexBuffer(rr.quadIdx.buffer!, 'uint32');
        current = pipes.span;
      }
      // indexed: Dawn on SwiftShader aborted on very large non-indexed draws
      for (let f = 0; f < run.count; f += quadCap) {
        pass.drawIndexed(6 * Math.min(quadCap, run.count - f), 1, 0, 4 * (run.first - seg.rect0 + f));
      }
      drawn.rects += run.count;
    }
  }
  pass.end();
}

// the texture's clear colour for `init`: signed formats clear with the signed value, the r32uint
// float targets with the f32 bits, r32float (float32 merge 'add') with the value
function clearValue(ctx: TileContext, v: number): GPUColor {
  if (ctx.mode === 'add-float') return { r: v, g: 0, b: 0, a: 0 };
  return { r: ctx.fmt.signed ? v : pixelBits(ctx.target.dtype, v, 'init'), g: 0, b: 0, a: 0 };
}
