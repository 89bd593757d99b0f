// Library file for the all-touched walk kernels (touch.wgsl, ztouch.wgsl), prepended to them by
// src/gpu/shader-source.ts: it reads their `params` (grid and tile size, tile origin) and their burn().

// 1e-9, GDAL's nudge across a row boundary, as binary64 words
const WALK_NUDGE: vec2<u32> = vec2<u32>(0xe826d695u, 0x3e112e0bu);

// GDAL's write of (row, col): column W and beyond run on into the next rows of its flat band array,
// and a write past the band's end is dropped (burnGeneral in src/rules/walker.ts)
fn band_visit(row: i32, col: i32, value: u32) {
  var r = row;
  var c = col;
  let w = i32(params.gridW);
  if (c >= w) {
    r += c / w;
    c = c % w;
    if (r >= i32(params.gridH)) {
      return;
    }
  }
  let tc = c - params.tileX;
  let tr = r - params.tileY;
  if (tc >= 0 && tc < i32(params.tileW) && tr >= 0 && tr < i32(params.tileH)) {
    burn(u32(tr) * params.tileW + u32(tc), value);
  }
}
