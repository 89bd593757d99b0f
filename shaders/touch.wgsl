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
// Requires f64.wgsl, saturate.wgsl, burn.wgsl and visit.wgsl (its WalkParams) to be concatenated in front of this file.

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
  // its job in a batch unit (touch_walk_jobs)
  job: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> params: WalkParams;
@group(0) @binding(1) var<storage, read> segs: array<TouchSeg>;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;


@compute @workgroup_size(64)
fn touch_walk(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = segs[t];
  var w = walk_start(s.x, s.y, s.xEnd, s.slope, params.gridH);
  for (var k = 0u; k < s.maxSteps; k++) {
    let v = walk_next(&w);
    if (v.z < 0) {
      break;
    }
    if (v.z > 0) {
      band_visit(v.x, v.y, s.value);
    }
  }
}

// a batch unit's segments (rasterizeBatch, D3): each in its own job's grid and stretch of owner cells
struct LineJob {
  // the job's first owner cell, and its grid
  cell: u32,
  width: u32,
  height: u32,
  pad: u32,
}

@group(0) @binding(3) var<storage, read> jobs: array<LineJob>;

@compute @workgroup_size(64)
fn touch_walk_jobs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let s = segs[t];
  let job = jobs[s.job];
  var w = walk_start(s.x, s.y, s.xEnd, s.slope, job.height);
  for (var k = 0u; k < s.maxSteps; k++) {
    let v = walk_next(&w);
    if (v.z < 0) {
      break;
    }
    let p = band_pixel(v.x, v.y, i32(job.width), i32(job.height));
    if (v.z > 0 && p.x >= 0) {
      atomicMax(&acc[job.cell + u32(p.x) * job.width + u32(p.y)], s.value);
    }
  }
}
