// Merge 'replace' as a maximum (pixel rule D3): every burn writes its owner id (a number that grows
// with GDAL's burn order: shape, then the order a shape's own pixels are burned in when their values
// differ) into a per-pixel atomicMax, so the GPU may run the burns in any order and each pixel still ends with the
// last burn GDAL makes on it (resolve.wgsl then maps ids to pixel values). This file burns the spans
// the host computed (lines, points, all-touched edges, horizontal polygon edges, shapes outside the
// GPU fill's domain); parity.wgsl burns the GPU-filled polygon interiors.

struct OwnerParams {
  // spans in this dispatch
  count: u32,
  // the tile in full-grid pixels
  tileX: i32,
  tileY: i32,
  tileW: u32,
  tileH: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

// columns x0..x1 (inclusive, full grid, already clipped to the grid) of row y, burned by `id`
struct OwnerSpan {
  y: i32,
  x0: i32,
  x1: i32,
  id: u32,
}

@group(0) @binding(0) var<uniform> params: OwnerParams;
@group(0) @binding(1) var<storage, read> spans: array<OwnerSpan>;
@group(0) @binding(2) var<storage, read_write> owner: array<atomic<u32>>;

@compute @workgroup_size(64)
fn span_owner(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = spans[t];
  let row = s.y - params.tileY;
  if (row < 0 || row >= i32(params.tileH)) {
    return;
  }
  let a = max(s.x0 - params.tileX, 0);
  let b = min(s.x1 - params.tileX, i32(params.tileW) - 1);
  let base = u32(row) * params.tileW;
  for (var x = a; x <= b; x++) {
    atomicMax(&owner[base + u32(x)], s.id);
  }
}

// A batch unit's spans (src/gpu/batch.ts): its jobs share one owner buffer, each in its own stretch,
// so `y` holds the cell of the span's row start (the job's base + row * width, as u32 bits) and the
// span burns cells y + x0 .. y + x1. The host has clipped them to the job's grid.
@compute @workgroup_size(64)
fn span_owner_cells(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = spans[t];
  let base = bitcast<u32>(s.y);
  for (var x = s.x0; x <= s.x1; x++) {
    atomicMax(&owner[base + u32(x)], s.id);
  }
}
