// GDAL's Bresenham lines burning Z (pixel rules L1-L4, V7, D8) on the GPU, merge 'replace'. The host
// gives each segment its walk's integer state where it meets the grid (as for lines.wgsl), the Z of
// its first vertex, GDAL's float64 increment (z1 - z0) / max(dx, dy), the steps before the grid, and
// a range of owner ids, one a step, in burn order. One invocation walks one segment: it repeats
// GDAL's accumulation of Z by float64 addition in emulated float64 (f64.wgsl), step for step from
// the segment's first vertex, so every pixel's value has GDAL's roundings; it adds the shape's burn
// value, converts the sum to the output type as the CPU does (V3, V4), writes the bits as the value
// of that step's owner id and burns the id with atomicMax (D3): the latest step GDAL burns a pixel
// with wins, whatever order the invocations run in.
//
// Requires f64.wgsl, convert.wgsl, saturate.wgsl and burn.wgsl to be concatenated in front of this file.

struct ZParams {
  // segments in this dispatch
  count: u32,
  // the tile in full-grid pixels
  tileX: i32,
  tileY: i32,
  tileW: u32,
  tileH: u32,
  // burn.wgsl's mode (always 0 here: owner ids) and saturate.wgsl's members, unused
  mode: u32,
  down: u32,
  lo: u32,
  hi: u32,
  // 0: an integer type clamped to [min, max] (V3); 1: float32 (V4)
  float32: u32,
  pad0: u32,
  pad1: u32,
  min: vec2<u32>,
  max: vec2<u32>,
}

struct ZRun {
  a: i32,
  b: i32,
  err: i32,
  steps: u32,
  errA: i32,
  errB: i32,
  // bit 0: x-major (a is the column); bit 1: a steps by -1; bit 2: b steps by -1
  flags: u32,
  // the owner id of the run's first step; step i burns id0 + i
  id0: u32,
  // Z at the segment's first vertex, GDAL's increment, the shape's burn value (binary64 words)
  z: vec2<u32>,
  dz: vec2<u32>,
  base: vec2<u32>,
  // the increments GDAL adds before the run's first step
  pre: u32,
  pad0: u32,
}

@group(0) @binding(0) var<uniform> params: ZParams;
@group(0) @binding(1) var<storage, read> runs: array<ZRun>;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> values: array<u32>;

@compute @workgroup_size(64)
fn zline_runs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let run = runs[t];
  let xMajor = (run.flags & 1u) != 0u;
  let sa = select(1, -1, (run.flags & 2u) != 0u);
  let sb = select(1, -1, (run.flags & 4u) != 0u);
  var z = run.z;
  // GDAL adds the increment once per step before the grid (src/rules/line.ts: one addition of a
  // zero increment stands for them all)
  if (run.pre > 0u) {
    if (f64_is_zero(run.dz)) {
      z = f64_add(z, run.dz);
    } else {
      for (var k = 0u; k < run.pre; k++) {
        z = f64_add(z, run.dz);
      }
    }
  }
  var a = run.a;
  var b = run.b;
  var err = run.err;
  for (var i = 0u; i < run.steps; i++) {
    let id = run.id0 + i;
    let v = f64_add(run.base, z);
    values[id - 1u] = convert_bits(v);
    let col = select(b, a, xMajor) - params.tileX;
    let row = select(a, b, xMajor) - params.tileY;
    if (col >= 0 && col < i32(params.tileW) && row >= 0 && row < i32(params.tileH)) {
      burn(u32(row) * params.tileW + u32(col), id);
    }
    z = f64_add(z, run.dz);
    a += sa;
    if (err > 0) {
      b += sb;
      err += run.errB;
    } else {
      err += run.errA;
    }
  }
}
