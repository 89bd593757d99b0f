// GDAL's Bresenham lines (pixel rules L1-L4, D6) walked on the GPU. The host floors each vertex in
// float64 as GDAL does and cuts each segment's walk into runs of at most a few hundred steps, giving
// each run the walker's integer state at its first step (src/gpu/fill/lines.ts, by the same closed
// form the CPU rules use); from there every step is GDAL's own integer loop, so no decision here is
// approximate and none needs an exact path. One invocation walks one run. Merge 'replace' takes the
// line's owner id with atomicMax (owner.wgsl's order rule); merge 'add' adds its increment once per
// visit, a pixel visited by several runs (segments sharing it, a line crossing itself) once per run,
// as GDAL does.
//
// Requires saturate.wgsl and burn.wgsl to be concatenated in front of this file.

struct LineParams {
  // runs in this dispatch
  count: u32,
  // the tile in full-grid pixels
  tileX: i32,
  tileY: i32,
  tileW: u32,
  tileH: u32,
  // 0: atomicMax of owner ids; 1: wrapping add; 2: saturating add (as parity.wgsl)
  mode: u32,
  down: u32,
  lo: u32,
  hi: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

// one run of a segment's walk: the state at its first step (a on the major axis, b on the minor,
// the error term), its step count, GDAL's two error increments, and the step signs
struct LineRun {
  a: i32,
  b: i32,
  err: i32,
  steps: u32,
  errA: i32,
  errB: i32,
  // bit 0: x-major (a is the column); bit 1: a steps by -1; bit 2: b steps by -1
  flags: u32,
  // owner id (merge 'replace') or increment (merge 'add')
  value: u32,
}

@group(0) @binding(0) var<uniform> params: LineParams;
@group(0) @binding(1) var<storage, read> runs: array<LineRun>;
@group(0) @binding(2) var<storage, read_write> acc: array<atomic<u32>>;

@compute @workgroup_size(64)
fn line_runs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let run = runs[t];
  let xMajor = (run.flags & 1u) != 0u;
  let sa = select(1, -1, (run.flags & 2u) != 0u);
  let sb = select(1, -1, (run.flags & 4u) != 0u);
  var a = run.a;
  var b = run.b;
  var err = run.err;
  for (var i = 0u; i < run.steps; i++) {
    // the run's pixel in tile coordinates (the host has put every step's a on the grid; b may be off it)
    let col = select(b, a, xMajor) - params.tileX;
    let row = select(a, b, xMajor) - params.tileY;
    if (col >= 0 && col < i32(params.tileW) && row >= 0 && row < i32(params.tileH)) {
      burn(u32(row) * params.tileW + u32(col), run.value);
    }
    a += sa;
    if (err > 0) {
      b += sb;
      err += run.errB;
    } else {
      err += run.errA;
    }
  }
}

// A batch unit's lines (src/gpu/batch.ts): the runs of many jobs in one dispatch, each job with its
// own grid whose owner cells start at its own cell of the unit's owner buffer. Merge 'replace'
// only (the only mode a unit burns), so the owner id's atomicMax is the whole burn.
struct LineJob {
  // the job's first owner cell, and its grid
  cell: u32,
  width: u32,
  height: u32,
  pad: u32,
}

// per run: its job
@group(0) @binding(3) var<storage, read> runJob: array<u32>;
@group(0) @binding(4) var<storage, read> lineJobs: array<LineJob>;

@compute @workgroup_size(64)
fn line_runs_jobs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let run = runs[t];
  let job = lineJobs[runJob[t]];
  let xMajor = (run.flags & 1u) != 0u;
  let sa = select(1, -1, (run.flags & 2u) != 0u);
  let sb = select(1, -1, (run.flags & 4u) != 0u);
  var a = run.a;
  var b = run.b;
  var err = run.err;
  // the same integer walk as line_runs, clipped to the job's own grid
  for (var i = 0u; i < run.steps; i++) {
    let col = select(b, a, xMajor);
    let row = select(a, b, xMajor);
    if (col >= 0 && col < i32(job.width) && row >= 0 && row < i32(job.height)) {
      atomicMax(&acc[job.cell + u32(row) * job.width + u32(col)], run.value);
    }
    a += sa;
    if (err > 0) {
      b += sb;
      err += run.errB;
    } else {
      err += run.errA;
    }
  }
}
