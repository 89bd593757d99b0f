// GDAL's ALL_TOUCHED walk of a segment that is neither vertical nor horizontal (pixel rules A5, D7),
// replayed on the GPU in exact emulated float64 (f64.wgsl), one invocation a segment. The host has
// done what is per segment in float64 (src/gpu/fill/touch.ts: the classification of A4, the order
// of the ends, the clip to the grid); from the clipped start every step is GDAL's: the next column
// boundary, or the row boundary with its 1e-9 nudge, each position the float64 sum of the steps
// before it. Every operation below is the one rounding the CPU rules make (src/rules/walker.ts),
// so each visited pixel is GDAL's; no float32 shortcut is taken, so no decision needs certifying.
// Merge 'replace' only: every visit burns the shape's owner id (D3), so repeated visits change
// nothing and the order of the invocations does not matter.
//
// Requires f64.wgsl, saturate.wgsl and burn.wgsl to be concatenated in front of this file.

struct TouchParams {
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
  // the whole grid, whose flat row-major indexing GDAL's column-W visits follow (A5)
  gridW: u32,
  gridH: u32,
  pad0: u32,
}

// one clipped segment: the walk starts at (x, y) and runs while x < xEnd, stepping along slope
struct TouchSeg {
  x: vec2<u32>,
  y: vec2<u32>,
  xEnd: vec2<u32>,
  slope: vec2<u32>,
  // owner id
  value: u32,
  // more steps than the walk can take (the host's bound): a guard against a runaway loop only
  maxSteps: u32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> params: TouchParams;
@group(0) @binding(1) var<storage, read> segs: array<TouchSeg>;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;


@compute @workgroup_size(64)
fn touch_walk(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = segs[t];
  var x = s.x;
  var y = s.y;
  let slope = s.slope;
  let down = f64_negative(slope);
  let h = i32(params.gridH);
  for (var k = 0u; k < s.maxSteps; k++) {
    // while (x >= 0 && x < xEnd)
    if (f64_negative(x) || !f64_lt(x, s.xEnd)) {
      break;
    }
    let col = f64_floor_i32(x);
    let row = f64_floor_i32(y);
    if (row >= 0 && row < h) {
      band_visit(row, col, s.value);
    } else if (select(row >= h, row < 0, down)) {
      // y only moves away from the grid from here on
      break;
    }
    let step = walk_step(x, y, slope, row, down);
    x = f64_add(x, step[0]);
    y = f64_add(y, step[1]);
  }
}
