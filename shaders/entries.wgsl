// The exact fill's edge entries of one group of regions on one tile (struct TileEdge, read by
// crossings.wgsl), built on the GPU so that the host's work per tile is its regions, never its
// edges. count_entries gives every edge of the group's shapes its rows within its shape's region
// (none when the shape has no region on this tile); scan.wgsl turns the counts into each entry's
// first crossing; finish_entries writes those starts, the toggle dispatch's parameters (its
// crossings and entries) and its indirect workgroup counts.
//
// Requires regions.wgsl to be concatenated in front of this file.

struct EntryParams {
  // the group's edges: first .. first + edges - 1 of the burn's
  first: u32,
  edges: u32,
  regions: u32,
  // the burn's edges: edge e's rows GDAL scans are rows[e] .. rows[total + e]
  total: u32,
  // workgroups a dispatch dimension may have
  maxGroups: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: EntryParams;
@group(0) @binding(1) var<storage, read_write> counts: array<u32>;
@group(0) @binding(2) var<storage, read_write> entries: array<TileEdge>;
@group(0) @binding(3) var<storage, read> rows: array<i32>;
@group(0) @binding(4) var<storage, read> regions: array<Region>;
// per region: its shape's edges [shapeEdges[2r], shapeEdges[2r + 1]), ascending
@group(0) @binding(5) var<storage, read> shapeEdges: array<u32>;
// finish_entries: workgroups x, y, z of the toggle dispatch, then its CrossingsParams
@group(0) @binding(6) var<storage, read_write> toggle: array<u32>;

fn flat(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.y * groups.x * 64u + gid.x;
}

// the last region whose shape's edges start at or before edge e
fn regionOf(e: u32) -> u32 {
  var lo = 0u;
  var hi = params.regions;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (shapeEdges[2u * mid] <= e) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

@compute @workgroup_size(64)
fn count_entries(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat(gid, groups);
  if (i > params.edges) {
    return;
  }
  // one count past the entries: the scan leaves the group's crossings there
  if (i == params.edges) {
    counts[i] = 0u;
    return;
  }
  let e = params.first + i;
  let r = regionOf(e);
  let g = regions[r];
  let a = max(rows[e], g.row0);
  let b = min(rows[params.total + e], g.row0 + i32(g.rows) - 1);
  var n = 0u;
  // an edge of a shape with no region here (between two regions' shapes) crosses nothing
  if (e < shapeEdges[2u * r + 1u] && a <= b) {
    n = u32(b - a + 1);
  }
  entries[i] = TileEdge(e, r, a, 0u);
  counts[i] = n;
}

@compute @workgroup_size(64)
fn finish_entries(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat(gid, groups);
  if (i < params.edges) {
    entries[i].start = counts[i];
  }
  if (i == 0u) {
    let crossings = counts[params.edges];
    let wg = (crossings + 63u) / 64u;
    let x = min(wg, params.maxGroups);
    toggle[0] = x;
    toggle[1] = select(0u, (wg + x - 1u) / max(x, 1u), x > 0u);
    toggle[2] = 1u;
    toggle[3] = 0u;
    toggle[4] = crossings;
    toggle[5] = params.edges;
    toggle[6] = 0u;
    toggle[7] = 0u;
  }
}
