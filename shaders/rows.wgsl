// Batches of small replace-mode burns (createRasterizer's rasterizeBatch): one invocation per output
// row writes that row's GDAL spans, in the order the CPU emitted them, straight into the packed
// output buffer. The spans are the span path's (rules/emit.ts, exact); one owner per row means later
// spans overwrite earlier ones exactly as later shapes do in GDAL, with no atomics and no triangles.
// Rows start on 32-bit word boundaries (the CPU pads them), so no two invocations share a word.
//
// Why not quads: a software rasterizer (SwiftShader) spends microseconds per primitive, and a batch
// of 512 x 512 jobs has thousands of spans each; this kernel's cost is the pixels written.

struct RowsParams {
  // rows in this dispatch
  rows: u32,
  // output bytes per pixel: 1, 2 or 4
  bytes: u32,
  pad0: u32,
  pad1: u32,
}

// one output row: its spans [first, first + count), its first word in `out`, its width in pixels,
// and the initial value's raw bits (0: the buffer was cleared, nothing to fill)
struct Row {
  first: u32,
  count: u32,
  word: u32,
  width: u32,
  init: u32,
}

// columns x0..x1 inclusive of the row; bits is the pixel value, pre-converted on the CPU
struct RowSpan {
  x0: u32,
  x1: u32,
  bits: u32,
}

@group(0) @binding(0) var<uniform> params: RowsParams;
@group(0) @binding(1) var<storage, read> rows: array<Row>;
@group(0) @binding(2) var<storage, read> spans: array<RowSpan>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;

// pixels x0..x1 of the row starting at `word` set to `bits`: partial words read-modify-written,
// whole words stored with the value repeated
fn fill(word: u32, x0: u32, x1: u32, bits: u32) {
  let b = params.bytes;
  let per = 4u / b;
  let mask = select((1u << (8u * b)) - 1u, 0xffffffffu, b == 4u);
  let v = bits & mask;
  let whole = select(select(v * 0x01010101u, v * 0x00010001u, b == 2u), v, b == 4u);
  var x = x0;
  while (x <= x1 && (x % per) != 0u) {
    let w = word + x / per;
    let s = (x % per) * 8u * b;
    out[w] = (out[w] & ~(mask << s)) | (v << s);
    x++;
  }
  while (x + per - 1u <= x1) {
    out[word + x / per] = whole;
    x += per;
  }
  while (x <= x1) {
    let w = word + x / per;
    let s = (x % per) * 8u * b;
    out[w] = (out[w] & ~(mask << s)) | (v << s);
    x++;
  }
}

// dispatches are 2-D (at most 65535 workgroups a side), flattened here
@compute @workgroup_size(64)
fn fill_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.y * groups.x * 64u + gid.x;
  if (i >= params.rows) {
    return;
  }
  let r = rows[i];
  if (r.init != 0u) {
    fill(r.word, 0u, r.width - 1u, r.init);
  }
  for (var k = r.first; k < r.first + r.count; k++) {
    let s = spans[k];
    fill(r.word, s.x0, s.x1, s.bits);
  }
}
