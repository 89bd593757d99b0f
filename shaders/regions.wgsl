// The parity bitmap window of one GPU-filled shape on one tile, shared by crossings.wgsl (which
// toggles its bits) and parity.wgsl (which turns them into pixels), and the edge entries that
// point crossings.wgsl at them (built on the host for a batch, by entries.wgsl for the exact fill).
// WGSL has no includes: this file is concatenated in front of each (src/gpu/shader-source.ts), so
// they cannot disagree.

// one shape's parity bitmap on this tile: rows row0 .. row0 + rows - 1, columns col0 .. col0 + cols - 1
// (full-grid pixels, clipped to the tile), `wpr` 32-bit words a row from word `word`; grid pixel
// (col, row) is cell base + row * stride + col of the owner buffer (wrapping u32 arithmetic, so that
// a tile's base may be "minus its origin", and a batch's jobs each have their own stretch)
struct Region {
  word: u32,
  wpr: u32,
  col0: i32,
  cols: u32,
  row0: i32,
  rows: u32,
  // owner id (merge 'replace') or increment (merge 'add') parity.wgsl burns; the region's first
  // row in the parity dispatch
  value: u32,
  rowStart: u32,
  base: u32,
  stride: u32,
  // the counter of crossings.wgsl that this shape's exact-path crossings add to (a batch counts per job)
  counter: u32,
}

// an edge's rows within one region: rows row0 .. row0 + (next.start - start) - 1
struct TileEdge {
  edge: u32,
  region: u32,
  row0: i32,
  // index of this entry's first crossing in the dispatch (prefix sum)
  start: u32,
}
