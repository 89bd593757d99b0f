// Library file for the all-touched walk kernels (touch.wgsl, ztouch.wgsl, touchadd.wgsl), prepended to
// them by src/gpu/shader-source.ts: GDAL's band write and its walk step, in one place. It reads their
// `params` (grid and tile size, tile origin) and their burn().

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

// one step of GDAL's stepped walk (A5) from (x, y) in row `row`, along `slope` (rows falling when
// `down`): to the next column boundary, or, when that would leave the row, to the row boundary with
// the 1e-9 nudge past it; returns (stepX, stepY), each the float64 GDAL computes (src/rules/walker.ts)
fn walk_step(x: vec2<u32>, y: vec2<u32>, slope: vec2<u32>, row: i32, down: bool) -> array<vec2<u32>, 2> {
  var stepX = f64_sub(f64_from_i32(f64_floor_i32(f64_add(x, vec2<u32>(0u, 0x3ff00000u)))), x);
  var stepY = f64_mul(stepX, slope);
  if (f64_floor_i32(f64_add(y, stepY)) != row) {
    if (down) {
      stepY = f64_sub(f64_from_i32(row), y);
      let nudge = vec2<u32>(WALK_NUDGE.x, WALK_NUDGE.y | F64_SIGN);
      if (f64_lt(nudge, stepY)) {
        stepY = nudge;
      }
    } else {
      stepY = f64_sub(f64_from_i32(row + 1), y);
      if (f64_lt(stepY, WALK_NUDGE)) {
        stepY = WALK_NUDGE;
      }
    }
    stepX = f64_div(stepY, slope);
  }
  return array<vec2<u32>, 2>(stepX, stepY);
}
