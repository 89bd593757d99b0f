// Exclusive prefix sums of u32 counts, in place, for any length: each workgroup scans one block of
// SCAN_BLOCK values and writes the block's total to `sums` (scan_blocks); the totals are scanned the
// same way one level up, and each block then adds its scanned total back (add_offsets). The host
// encodes scan_blocks from the bottom level up and add_offsets from the top down (src/gpu/fill/scan.ts).

struct ScanParams {
  // values at this level
  n: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: ScanParams;
@group(0) @binding(1) var<storage, read_write> data: array<u32>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;

const SCAN_THREADS: u32 = 256u;
const SCAN_PER_THREAD: u32 = 4u;
// SCAN_THREADS * SCAN_PER_THREAD, src/gpu/fill/scan.ts's SCAN_BLOCK
const SCAN_BLOCK: u32 = 1024u;

var<workgroup> partial: array<u32, 256>;

// dispatches are 2-D (at most 65535 workgroups a side), flattened here
fn blockOf(wid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return wid.y * groups.x + wid.x;
}

@compute @workgroup_size(256)
fn scan_blocks(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let block = blockOf(wid, groups);
  let base = block * SCAN_BLOCK + lid.x * SCAN_PER_THREAD;
  // this thread's values, each replaced by the sum of those before it in the thread
  var own: array<u32, 4>;
  var sum = 0u;
  for (var k = 0u; k < SCAN_PER_THREAD; k++) {
    own[k] = sum;
    if (base + k < params.n) {
      sum += data[base + k];
    }
  }
  // inclusive scan of the threads' sums (Hillis-Steele: log2(256) steps)
  partial[lid.x] = sum;
  workgroupBarrier();
  for (var off = 1u; off < SCAN_THREADS; off <<= 1u) {
    var add = 0u;
    if (lid.x >= off) {
      add = partial[lid.x - off];
    }
    workgroupBarrier();
    partial[lid.x] += add;
    workgroupBarrier();
  }
  let before = partial[lid.x] - sum;
  for (var k = 0u; k < SCAN_PER_THREAD; k++) {
    if (base + k < params.n) {
      data[base + k] = before + own[k];
    }
  }
  if (lid.x == SCAN_THREADS - 1u && block * SCAN_BLOCK < params.n) {
    sums[block] = partial[lid.x];
  }
}

@compute @workgroup_size(256)
fn add_offsets(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let block = blockOf(wid, groups);
  if (block * SCAN_BLOCK >= params.n) {
    return;
  }
  let add = sums[block];
  let base = block * SCAN_BLOCK + lid.x * SCAN_PER_THREAD;
  for (var k = 0u; k < SCAN_PER_THREAD; k++) {
    if (base + k < params.n) {
      data[base + k] += add;
    }
  }
}
