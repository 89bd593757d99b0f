// The last step of the exact fill: each pixel's owner id (owner.wgsl, parity.wgsl) becomes its value,
// packed tightly into the output type's bytes (1, 2 or 4 a pixel, pixel p at byte p * bytes, rows
// one after another), ready to be copied out. One invocation per 32-bit word, so no two share one.

struct ResolveParams {
  // 32-bit words of the packed tile
  count: u32,
  // bytes per pixel: 1, 2 or 4
  bytes: u32,
  // pixels in the tile
  pixels: u32,
  // 1: unburned pixels take `init`; 0: they keep what `out` holds (the target's uploaded values)
  hasInit: u32,
  init: u32,
  // resolve_jobs: entries of `jobs`
  jobs: u32,
  pad1: u32,
  pad2: u32,
}

// one job of a batch unit (resolve_jobs): its packed pixels start at word `word0` (jobs start on
// whole words: the host aligns each job's first pixel to four pixels), its unburned pixels take `init`
struct JobInit {
  word0: u32,
  init: u32,
}

@group(0) @binding(0) var<uniform> params: ResolveParams;
@group(0) @binding(1) var<storage, read> owner: array<u32>;
// value bits of owner id i at values[i - 1]
@group(0) @binding(2) var<storage, read> values: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
// sorted by word0
@group(0) @binding(4) var<storage, read> jobs: array<JobInit>;

// word w of the output from the owner ids of its pixels; unburned pixels take `init` when hasInit,
// else keep what `out` holds
fn resolveWord(w: u32, hasInit: bool, init: u32) {
  let b = params.bytes;
  let per = 4u / b;
  let mask = select((1u << (8u * b)) - 1u, 0xffffffffu, b == 4u);
  var word = select(out[w], 0u, hasInit);
  for (var k = 0u; k < per; k++) {
    let p = w * per + k;
    if (p >= params.pixels) {
      break;
    }
    let id = owner[p];
    var v = 0u;
    if (id != 0u) {
      v = values[id - 1u];
    } else if (hasInit) {
      v = init;
    } else {
      continue;
    }
    let s = k * 8u * b;
    word = (word & ~(mask << s)) | ((v & mask) << s);
  }
  out[w] = word;
}

@compute @workgroup_size(64)
fn resolve(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let w = gid.y * groups.x * 64u + gid.x;
  if (w >= params.count) {
    return;
  }
  resolveWord(w, params.hasInit != 0u, params.init);
}

// a batch unit: each job's unburned pixels take that job's own initial value
@compute @workgroup_size(64)
fn resolve_jobs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let w = gid.y * groups.x * 64u + gid.x;
  if (w >= params.count) {
    return;
  }
  var lo = 0u;
  var hi = params.jobs;
  while (hi - lo > 1u) {
    let mid = (lo + hi) / 2u;
    if (jobs[mid].word0 <= w) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  resolveWord(w, true, jobs[lo].init);
}
