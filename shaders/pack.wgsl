// Packs the 32-bit add accumulators of one tile into the output type's bytes (tight rows, little
// endian, as the result typed array lays them out), clamping to the type's range on the way.

struct PackParams {
  // accumulator cells in the tile
  cells: u32,
  // output bytes per pixel: 1, 2 or 4
  bytes: u32,
  // 1 when cells hold two's complement values
  signed: u32,
  pad0: u32,
  // the output type's range (as i32 when signed, else as u32 bits)
  lo: u32,
  hi: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: PackParams;
@group(0) @binding(1) var<storage, read> acc: array<u32>;
@group(0) @binding(2) var<storage, read_write> packed: array<u32>;

fn clamped(cell: u32) -> u32 {
  let v = acc[cell];
  if (params.signed != 0u) {
    return bitcast<u32>(clamp(bitcast<i32>(v), bitcast<i32>(params.lo), bitcast<i32>(params.hi)));
  }
  return clamp(v, params.lo, params.hi);
}

// one invocation per output word; dispatches are 2-D, flattened here
@compute @workgroup_size(64)
fn pack(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let word = gid.y * groups.x * 64u + gid.x;
  let per = 4u / params.bytes;
  let first = word * per;
  if (first >= params.cells) {
    return;
  }
  let bits = params.bytes * 8u;
  let mask = select((1u << bits) - 1u, 0xffffffffu, bits == 32u);
  var out = 0u;
  for (var j = 0u; j < per; j++) {
    let cell = first + j;
    if (cell < params.cells) {
      out |= (clamped(cell) & mask) << (j * bits);
    }
  }
  packed[word] = out;
}
