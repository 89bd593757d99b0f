// GDAL's polygon row crossings, computed on the GPU and toggled into per-shape parity bitmaps.
//
// GDAL (pixel rules P2-P4) takes, for each row centre yc = row + 0.5 that an edge
// spans (yl <= yc < yh), the column k = floor((yc - yl) * dx / dy + xl + 0.5) in float64, sorts the
// columns of the row and fills [k0, k1 - 1], [k2, k3 - 1], ... Since floor(x + 0.5) is monotone, the
// sorted rounded columns are the rounded sorted crossings, so pixel c of the row is inside exactly
// when an odd number of the row's columns are <= c: one bit per column, toggled once per crossing,
// and a prefix XOR along the row (parity.wgsl) gives GDAL's spans without any sort.
//
// The column is first evaluated in float32 relative to the edge's integer origin, with an error
// bound proven on the host (src/gpu/fill/plan.ts). When the float32 value lies farther than the
// bound from every integer, its floor is the floor of GDAL's float64 value; otherwise (ties, near
// ties, long edges) the crossing is evaluated again in emulated float64 (f64.wgsl, prepended to
// this file), operation for operation as GDAL does, and counted (pixel rules D1, D2).
//
// Requires f64.wgsl and regions.wgsl to be concatenated in front of this file.

struct CrossingsParams {
  // crossings in this dispatch: (edge, row) pairs of the tile's edge list
  count: u32,
  // entries of the tile's edge list
  edges: u32,
  pad0: u32,
  pad1: u32,
}

// one non-horizontal polygon edge, packed on the host from float64 coordinates
struct Edge {
  // integer origin: X0 = floor(xl), Y0 = floor(yl)
  x0: i32,
  y0: i32,
  // float32 bits: h = 0.5 - (yl - Y0), c = (xl - X0) + 0.5, m = dx / dy, e64 = bound of GDAL's own
  // float64 rounding (added to the float32 bound)
  h: u32,
  c: u32,
  m: u32,
  e64: u32,
  // float64 words (low, high) of xl, yl, dx = xh - xl, dy = yh - yl: the exact path's inputs
  xl: vec2<u32>,
  yl: vec2<u32>,
  dx: vec2<u32>,
  dy: vec2<u32>,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> params: CrossingsParams;
@group(0) @binding(1) var<storage, read> edges: array<Edge>;
@group(0) @binding(2) var<storage, read> tileEdges: array<TileEdge>;
@group(0) @binding(3) var<storage, read> regions: array<Region>;
@group(0) @binding(4) var<storage, read_write> bits: array<atomic<u32>>;
// crossings that took the exact float64 path, at each region's `counter`
@group(0) @binding(5) var<storage, read_write> counters: array<atomic<u32>>;

// 2^-20: the float32 evaluation's relative error bound with a factor of two to spare (see edges.ts)
const F32_BOUND: f32 = 9.5367431640625e-7;

// the tile-edge entry whose crossings include index t (entries are sorted by start)
fn entryOf(t: u32) -> u32 {
  var lo = 0u;
  var hi = params.edges;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (tileEdges[mid].start <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// GDAL's column for this edge on this row: float32 with a certificate, else exact float64
fn column(e: Edge, row: i32, counter: u32) -> i32 {
  let u = f32(row - e.y0) + bitcast<f32>(e.h);
  let m = bitcast<f32>(e.m);
  let t = u * m + bitcast<f32>(e.c);
  let n = round(t);
  let bound = F32_BOUND * (abs(m) * (abs(u) + 1.0) + 1.0) + bitcast<f32>(e.e64);
  // written so that NaN or infinity (huge slopes) fails the test and goes the exact way
  if (abs(t - n) > bound) {
    return e.x0 + i32(floor(t));
  }
  atomicAdd(&counters[counter], 1u);
  return f64_gdal_crossing(row, e.xl, e.yl, e.dx, e.dy);
}

// dispatches are 2-D (at most 65535 workgroups a side), flattened here
@compute @workgroup_size(64)
fn toggle_crossings(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let te = tileEdges[entryOf(t)];
  let row = te.row0 + i32(t - te.start);
  let g = regions[te.region];
  let k = column(edges[te.edge], row, g.counter);
  // columns left of the region count for every pixel of it: they toggle its first position;
  // columns right of it count for none and are dropped
  var pos = 0u;
  if (k > g.col0) {
    pos = u32(k - g.col0);
    if (pos >= g.cols) {
      return;
    }
  }
  let w = g.word + u32(row - g.row0) * g.wpr + (pos >> 5u);
  atomicXor(&bits[w], 1u << (pos & 31u));
}
