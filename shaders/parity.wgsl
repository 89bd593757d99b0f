// Turns the crossing toggles of crossings.wgsl into pixels: a prefix XOR along each region row gives
// GDAL's even-odd spans (a pixel is inside when an odd number of the row's crossing columns are at or
// left of it). In merge 'replace' each inside pixel takes the shape's owner id with atomicMax, so the
// pixel ends with the latest shape that burns it whatever order the GPU runs in. In merge 'add'
// (integer outputs, burns of one sign, as add.wgsl) each inside pixel is one visit: the shape's
// increment is added, wrapping or saturating; such sums do not depend on the order either.
//
// Requires regions.wgsl, saturate.wgsl and burn.wgsl to be concatenated in front of this file.

struct ParityParams {
  // region rows in this dispatch (sum of rows over the regions)
  count: u32,
  regions: u32,
  // (each region says where its pixels are in the owner buffer)
  pad3: u32,
  pad4: u32,
  pad5: u32,
  // 0: atomicMax of owner ids; 1: wrapping add; 2: saturating add
  mode: u32,
  // merge 'add': 1 when every burn is <= 0 (saturating adds then subtract), the type's range as raw bits
  down: u32,
  lo: u32,
  hi: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: ParityParams;
@group(0) @binding(1) var<storage, read> regions: array<Region>;
@group(0) @binding(2) var<storage, read> bits: array<u32>;
// owner ids (merge 'replace') or accumulators (merge 'add'), one a tile pixel
@group(0) @binding(3) var<storage, read_write> acc: array<atomic<u32>>;

// the region whose rows include index t (regions are sorted by rowStart)
fn regionOf(t: u32) -> u32 {
  var lo = 0u;
  var hi = params.regions;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (regions[mid].rowStart <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

@compute @workgroup_size(64)
fn parity_owner(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.y * groups.x * 64u + gid.x;
  if (t >= params.count) {
    return;
  }
  let g = regions[regionOf(t)];
  let r = t - g.rowStart;
  let first = g.word + r * g.wpr;
  let pixel0 = g.base + u32(g.row0 + i32(r)) * g.stride + u32(g.col0);
  var carry = 0u;
  for (var k = 0u; k < g.wpr; k++) {
    // inclusive prefix XOR within the word, then the parity carried in from the words before it
    var x = bits[first + k];
    x ^= x << 1u;
    x ^= x << 2u;
    x ^= x << 4u;
    x ^= x << 8u;
    x ^= x << 16u;
    x ^= carry;
    carry = 0u - (x >> 31u);
    let base = k * 32u;
    if (base + 32u > g.cols) {
      // the row's last word: positions at or beyond cols are not pixels of the region
      x &= (1u << (g.cols - base)) - 1u;
    }
    while (x != 0u) {
      let b = firstTrailingBit(x);
      x &= x - 1u;
      burn(pixel0 + base + b, g.value);
    }
  }
}
