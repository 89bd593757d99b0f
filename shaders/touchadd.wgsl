// GDAL's ALL_TOUCHED walks of merge 'add' on the GPU (pixel rules A1-A6, D7, D10). A6: within a part,
// a segment does not burn a pixel the previous segment burned, nor one pixel twice. Which pixels the
// previous segment burned depends on the one before it, so a segment's burns chain back through the
// part; per pixel the chain has a closed form. Let V(k) be the distinct pixels segment k visits (in
// the grid) and d the number of segments just before k that all visit pixel P (k-1, k-2, ... up to
// the first that does not, or the part's start). The segment at the chain's start burns P (nothing
// before it did), the next does not, the next does again: segment k burns P exactly when d is even.
// So, exactly and in any order:
//   touch_list: one invocation a segment walks it (vertical, horizontal, or stepped by walk_step in
//     emulated float64, as touch.wgsl) and writes its distinct visits in walk order, each as the key
//     row * (W + 1) + col (column W apart from column 0 of the next row, as walkParts keys them);
//   touch_link: one invocation a visit finds the same pixel in the previous segment's list (a walk is
//     monotone in column and row, so the list is sorted and a binary search finds it): a link, or none;
//   touch_jump: pointer jumping, each round doubling the hops a link spans and adding their parities;
//     after ceil(log2(longest chain)) rounds every link is resolved to d's parity;
//   touch_add: one invocation a visit adds the segment's increment where d is even (burn.wgsl's
//     wrapping or saturating add, D5), through GDAL's flat band write (band_visit).
//
// Requires f64.wgsl, saturate.wgsl, burn.wgsl and visit.wgsl (its WalkParams) to be concatenated in front of this file.

struct AddSeg {
  // stepped (kind 0): the clipped start (x, y), the end xEnd, the slope
  x: vec2<u32>,
  y: vec2<u32>,
  xEnd: vec2<u32>,
  slope: vec2<u32>,
  // 0: stepped; 1: vertical, column a, rows b..c; 2: horizontal, row a, columns b..c
  kind: u32,
  a: i32,
  b: i32,
  c: i32,
  // the increment each burned visit adds
  value: u32,
  // 1 when the record before this one is the previous segment of the same part (A6)
  linked: u32,
  // this segment's visit slots: first, and how many (more than it can visit; the host's bound)
  first: u32,
  cap: u32,
}

// a visit slot's state in touch_link and touch_jump: the slot a link reaches (NO_LINK: none) and the
// parity of the hops to it
const NO_LINK: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> params: WalkParams;
@group(0) @binding(1) var<storage, read> segs: array<AddSeg>;
// per slot: key + 1 of the visit (0: an unused slot), and the segment that made it
@group(0) @binding(2) var<storage, read_write> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> owners: array<u32>;
// touch_jump reads one state buffer and writes the other
@group(0) @binding(4) var<storage, read_write> stateIn: array<vec2<u32>>;
@group(0) @binding(5) var<storage, read_write> stateOut: array<vec2<u32>>;
// visits beyond a segment's slots or a walk beyond its step guard (never expected: the host then fails the burn)
@group(0) @binding(6) var<storage, read_write> overflow: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> acc: array<atomic<u32>>;

fn invocation(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.y * groups.x * 64u + gid.x;
}

// the list writer of one segment: skips a repeat of the visit before it (walks are monotone, so a
// pixel's visits are consecutive)
struct Lister {
  seg: u32,
  first: u32,
  cap: u32,
  n: u32,
  last: u32,
}

fn list_visit(l: ptr<function, Lister>, row: i32, col: i32) {
  let key = u32(row) * (params.gridW + 1u) + u32(col);
  if ((*l).n > 0u && key == (*l).last) {
    return;
  }
  (*l).last = key;
  if ((*l).n >= (*l).cap) {
    atomicAdd(&overflow[0], 1u);
    return;
  }
  keys[(*l).first + (*l).n] = key + 1u;
  owners[(*l).first + (*l).n] = (*l).seg;
  (*l).n++;
}

@compute @workgroup_size(64)
fn touch_list(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = invocation(gid, groups);
  if (t >= params.count) {
    return;
  }
  let s = segs[t];
  var l = Lister(t, s.first, s.cap, 0u, 0u);
  if (s.kind != 0u) {
    for (var k = s.b; k <= s.c; k++) {
      if (s.kind == 1u) {
        list_visit(&l, k, s.a);
      } else {
        list_visit(&l, s.a, k);
      }
    }
    return;
  }
  var w = walk_start(s.x, s.y, s.xEnd, s.slope, params.gridH);
  // a walk takes at most three steps a column and a row boundary; its distinct visits bound both
  let guard = 4u * s.cap + 16u;
  var k = 0u;
  for (; k < guard; k++) {
    let v = walk_next(&w);
    if (v.z < 0) {
      break;
    }
    if (v.z > 0) {
      list_visit(&l, v.x, v.y);
    }
  }
  if (k == guard) {
    atomicAdd(&overflow[0], 1u);
  }
}

// whether pixel (r1, c1) comes before (r2, c2) along a walk: columns rise, rows rise (or fall, `down`)
fn walk_before(r1: u32, c1: u32, r2: u32, c2: u32, down: bool) -> bool {
  if (c1 != c2) {
    return c1 < c2;
  }
  return select((r1 < r2), (r1 > r2), down);
}

@compute @workgroup_size(64)
fn touch_link(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let v = invocation(gid, groups);
  if (v >= params.count) {
    return;
  }
  let kv = keys[v];
  if (kv == 0u) {
    stateOut[v] = vec2<u32>(NO_LINK, 1u);
    return;
  }
  let s = segs[owners[v]];
  if (s.linked == 0u) {
    stateOut[v] = vec2<u32>(NO_LINK, 0u);
    return;
  }
  let p = segs[owners[v] - 1u];
  let stride = params.gridW + 1u;
  let row = (kv - 1u) / stride;
  let col = (kv - 1u) % stride;
  let down = p.kind == 0u && f64_negative(p.slope);
  // the first of the previous segment's slots not before the pixel; unused slots come last
  var lo = p.first;
  var hi = p.first + p.cap;
  while (lo < hi) {
    let mid = lo + (hi - lo) / 2u;
    let km = keys[mid];
    if (km != 0u && walk_before((km - 1u) / stride, (km - 1u) % stride, row, col, down)) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  if (lo < p.first + p.cap && keys[lo] == kv) {
    stateOut[v] = vec2<u32>(lo, 1u);
  } else {
    stateOut[v] = vec2<u32>(NO_LINK, 0u);
  }
}

@compute @workgroup_size(64)
fn touch_jump(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let v = invocation(gid, groups);
  if (v >= params.count) {
    return;
  }
  let st = stateIn[v];
  if (st.x == NO_LINK) {
    stateOut[v] = st;
    return;
  }
  let next = stateIn[st.x];
  stateOut[v] = vec2<u32>(next.x, st.y ^ next.y);
}

@compute @workgroup_size(64)
fn touch_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let v = invocation(gid, groups);
  if (v >= params.count) {
    return;
  }
  let kv = keys[v];
  // an unused slot, or a pixel the previous segment burned (an odd chain)
  if (kv == 0u || stateIn[v].y != 0u) {
    return;
  }
  let stride = params.gridW + 1u;
  band_visit(i32((kv - 1u) / stride), i32((kv - 1u) % stride), segs[owners[v]].value);
}
