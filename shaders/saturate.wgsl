// One saturating visit of merge 'add' (add.wgsl's spans and parity.wgsl's filled pixels), in one
// place. A library concatenated in front of those files (src/gpu/shader-source.ts): it uses their
// `acc` accumulators and the `down`, `lo`, `hi` members of their `params`.

// one saturating visit: the accumulator always holds a value of the output type; room is the
// distance to the limit in the direction of travel (a wrapping u32 difference is exact for both
// signed and unsigned 32-bit ranges)
fn sat_add(cell: u32, mag: u32) {
  var old = atomicLoad(&acc[cell]);
  loop {
    var next: u32;
    if (params.down == 0u) {
      let room = params.hi - old;
      next = select(old + mag, params.hi, mag >= room);
    } else {
      let room = old - params.lo;
      next = select(old - mag, params.lo, mag >= room);
    }
    let r = atomicCompareExchangeWeak(&acc[cell], old, next);
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
}
