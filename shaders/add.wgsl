// merge 'add' for integer outputs: integer formats cannot blend, so every span visit adds into a
// per-pixel 32-bit accumulator with atomics. The CPU only routes here burns that are integral and
// all of one sign, where GDAL's per-visit round-and-clamp reduces to a saturating sum that does
// not depend on visit order (pixel rules V2, D5).
//
// Requires saturate.wgsl to be concatenated in front of this file.

struct Tile {
  // the tile's top-left pixel in the full grid
  origin: vec2<i32>,
  // the tile's size in pixels
  size: vec2<u32>,
}

struct AddParams {
  // spans in this dispatch (add_*), or accumulator cells (fill)
  count: u32,
  // 1 when every burn is <= 0: add_sat then subtracts magnitudes towards lo
  down: u32,
  // the output type's range as raw 32-bit patterns (two's complement for signed types)
  lo: u32,
  hi: u32,
  // the initial value of every cell, raw bits (fill)
  init: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

// columns x0..x1, rows y0..y1 inclusive, in the full grid; bits is the increment (spans.wgsl's
// Rect, the same records)
struct Rect {
  x0: u32,
  x1: u32,
  y0: u32,
  y1: u32,
  bits: u32,
}

@group(0) @binding(0) var<uniform> tile: Tile;
@group(0) @binding(1) var<uniform> params: AddParams;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> spans: array<Rect>;

// dispatches are 2-D (at most 65535 workgroups a side), flattened here
fn linear_id(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.y * groups.x * 64u + gid.x;
}

@compute @workgroup_size(64)
fn fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_id(gid, groups);
  if (i < params.count) {
    atomicStore(&acc[i], params.init);
  }
}

// the span clipped to this tile, as local (x0, x1, y0, y1); empty when x0 > x1 or y0 > y1
fn clip_span(s: Rect) -> vec4<i32> {
  let size = vec2<i32>(tile.size);
  let x0 = max(i32(s.x0) - tile.origin.x, 0);
  let x1 = min(i32(s.x1) - tile.origin.x, size.x - 1);
  let y0 = max(i32(s.y0) - tile.origin.y, 0);
  let y1 = min(i32(s.y1) - tile.origin.y, size.y - 1);
  return vec4<i32>(x0, x1, y0, y1);
}

// plain wrapping add: used when the CPU has bounded every cell's total below 2^31 in magnitude,
// so the accumulator cannot wrap and pack.wgsl clamps once at the end
@compute @workgroup_size(64)
fn add_wrap(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_id(gid, groups);
  if (i >= params.count) {
    return;
  }
  let s = spans[i];
  let r = clip_span(s);
  let w = i32(tile.size.x);
  for (var y = r.z; y <= r.w; y++) {
    for (var x = r.x; x <= r.y; x++) {
      atomicAdd(&acc[u32(y * w + x)], s.bits);
    }
  }
}

// saturating add for sums that could leave the 32-bit range; bits is the increment's magnitude
@compute @workgroup_size(64)
fn add_sat(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_id(gid, groups);
  if (i >= params.count) {
    return;
  }
  let s = spans[i];
  let r = clip_span(s);
  let w = i32(tile.size.x);
  for (var y = r.z; y <= r.w; y++) {
    for (var x = r.x; x <= r.y; x++) {
      sat_add(u32(y * w + x), s.bits);
    }
  }
}
