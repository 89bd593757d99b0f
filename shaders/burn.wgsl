// One visit of a GPU-walked or GPU-filled pixel (lines.wgsl, parity.wgsl, touch.wgsl), in one place.
// A library concatenated in front of those files after saturate.wgsl (src/gpu/shader-source.ts): it
// uses their `acc` buffer and the `mode` member of their `params`.
//
// mode 0: merge 'replace', the owner id with atomicMax (pixel rule D3); 1: merge 'add' wrapping;
// 2: merge 'add' saturating at the output type's range (pixel rule D5).
fn burn(cell: u32, value: u32) {
  if (params.mode == 0u) {
    atomicMax(&acc[cell], value);
  } else if (params.mode == 1u) {
    atomicAdd(&acc[cell], value);
  } else {
    sat_add(cell, value);
  }
}
