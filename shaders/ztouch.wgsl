// GDAL's ALL_TOUCHED walk of lines burning Z (pixel rules A4, A5, V7, D9) on the GPU, merge 'replace'.
// The host does what walkParts (src/rules/walker.ts) does per segment in float64, Z included: the
// order of the ends, A4's classification, the clip to the grid and the Z at the first pixel; it
// gives each segment a range of owner ids, one a visit, in burn order. One invocation walks one
// segment and visits its pixels as the CPU does: a vertical or horizontal segment adds GDAL's Z
// increment per row or column, a stepped one replays touch.wgsl's walk and adds the increment times
// each step in x, all in emulated float64. Each visit adds the shape's burn value, converts the sum
// (convert.wgsl), writes the bits as its id's value and burns the id with atomicMax (D3).
//
// Requires f64.wgsl, convert.wgsl, saturate.wgsl, burn.wgsl and visit.wgsl to be concatenated in front of this file.

struct ZTouchParams {
  count: u32,
  tileX: i32,
  tileY: i32,
  tileW: u32,
  tileH: u32,
  // burn.wgsl's mode (always 0 here: owner ids) and saturate.wgsl's members, unused
  mode: u32,
  down: u32,
  lo: u32,
  hi: u32,
  // convert.wgsl: 1 for float32
  float32: u32,
  // the whole grid, whose flat indexing GDAL's column-W visits follow (A5)
  gridW: u32,
  gridH: u32,
  min: vec2<u32>,
  max: vec2<u32>,
}

struct ZTouchSeg {
  // 0: stepped (x, y, xEnd, slope); 1: vertical, column a, rows b..c; 2: horizontal, row a, columns b..c
  kind: u32,
  // the owner id of the first visit; visit k burns id0 + k
  id0: u32,
  a: i32,
  b: i32,
  c: i32,
  // the ids reserved: no walk visits more often
  visits: u32,
  pad0: u32,
  pad1: u32,
  x: vec2<u32>,
  y: vec2<u32>,
  xEnd: vec2<u32>,
  slope: vec2<u32>,
  // Z at the first visit, its increment (per row, per column, or per unit of x), the burn value
  z: vec2<u32>,
  dz: vec2<u32>,
  base: vec2<u32>,
}

@group(0) @binding(0) var<uniform> params: ZTouchParams;
@group(0) @binding(1) var<storage, read> segs: array<ZTouchSeg>;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> values: array<u32>;


// one visit of grid pixel (row, col) by id with Z z
fn ztouch_visit(row: i32, col: i32, id: u32, z: vec2<u32>, base: vec2<u32>) {
  values[id - 1u] = convert_bits(f64_add(base, z));
  band_visit(row, col, id);
}

@compute @workgroup_size(64)
fn ztouch_walk(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = segs[t];
  var z = s.z;
  var id = s.id0;
  if (s.kind != 0u) {
    for (var k = s.b; k <= s.c; k++) {
      if (s.kind == 1u) {
        ztouch_visit(k, s.a, id, z, s.base);
      } else {
        ztouch_visit(s.a, k, id, z, s.base);
      }
      z = f64_add(z, s.dz);
      id++;
    }
    return;
  }
  var w = walk_start(s.x, s.y, s.xEnd, s.slope, params.gridH);
  for (var k = 0u; k < s.visits; k++) {
    let v = walk_next(&w);
    if (v.z < 0) {
      break;
    }
    if (v.z > 0) {
      ztouch_visit(v.x, v.y, id, z, s.base);
    }
    id++;
    z = f64_add(z, f64_mul(s.dz, w.stepX));
  }
}
