// The parity bitmap window of one GPU-filled shape on one tile, shared by crossings.wgsl (which
// toggles its bits) and parity.wgsl (which turns them into pixels). WGSL has no includes: this
// file is concatenated in front of both (src/gpu/shader-source.ts), so the two cannot disagree.

// one shape's parity bitmap on this tile: rows row0 .. row0 + rows - 1, columns col0 .. col0 + cols - 1
// (full-grid pixels, clipped to the tile), `wpr` 32-bit words a row from word `word`
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
}
