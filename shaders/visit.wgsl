// Library file for the all-touched walk kernels (touch.wgsl, ztouch.wgsl, touchadd.wgsl), prepended to
// them by src/gpu/shader-source.ts: GDAL's band write and its walk step, in one place. It reads their
// `params` (grid and tile size, tile origin) and their burn().

// the uniform of touch.wgsl's and touchadd.wgsl's kernels (ztouch.wgsl has its own, with the Z
// conversion's members)
struct WalkParams {
  // segments (touch_walk, touch_list) or visit slots (touchadd's other kernels) in this dispatch
  count: u32,
  // the tile in full-grid pixels
  tileX: i32,
  tileY: i32,
  tileW: u32,
  tileH: u32,
  // burn.wgsl's mode (0: owner ids, for touch.wgsl; 1 wrapping, 2 saturating add) and saturate.wgsl's members
  mode: u32,
  down: u32,
  lo: u32,
  hi: u32,
  // the whole grid, whose flat row-major indexing GDAL's column-W visits follow (A5)
  gridW: u32,
  gridH: u32,
  pad0: u32,
}

// 1e-9, GDAL's nudge across a row boundary, as binary64 words
const WALK_NUDGE: vec2<u32> = vec2<u32>(0xe826d695u, 0x3e112e0bu);

// GDAL's pixel for a write of (row, col) in a w x h band: column w and beyond run on into the next
// rows of its flat band array; row -1 for a write past the band's end, which is dropped
// (burnGeneral in src/rules/walker.ts)
fn band_pixel(row: i32, col: i32, w: i32, h: i32) -> vec2<i32> {
  if (col < w) {
    return vec2<i32>(row, col);
  }
  let r = row + col / w;
  return vec2<i32>(select(r, -1, r >= h), col % w);
}

// GDAL's write of (row, col) in the whole grid, burned when it lands in this dispatch's tile
fn band_visit(row: i32, col: i32, value: u32) {
  let p = band_pixel(row, col, i32(params.gridW), i32(params.gridH));
  let tr = p.x - params.tileY;
  let tc = p.y - params.tileX;
  if (p.x >= 0 && tc >= 0 && tc < i32(params.tileW) && tr >= 0 && tr < i32(params.tileH)) {
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

// a stepped walk in progress (A5): its position, its end and slope, the grid's rows, the last step in x
struct Walk {
  x: vec2<u32>,
  y: vec2<u32>,
  xEnd: vec2<u32>,
  slope: vec2<u32>,
  // 1 when rows fall (a negative slope)
  down: u32,
  h: i32,
  stepX: vec2<u32>,
}

fn walk_start(x: vec2<u32>, y: vec2<u32>, xEnd: vec2<u32>, slope: vec2<u32>, h: u32) -> Walk {
  return Walk(x, y, xEnd, slope, select(0u, 1u, f64_negative(slope)), i32(h), vec2<u32>(0u, 0u));
}

// GDAL's loop body: the pixel (row, col) at the walk's position with z = 1 when its row is in the
// grid, 0 when not (GDAL burns nothing there), then one step on (its x step in stepX); z = -1 when
// the walk is over (x reached xEnd, or y left the grid on the side it moves away from)
fn walk_next(w: ptr<function, Walk>) -> vec3<i32> {
  // while (x >= 0 && x < xEnd)
  if (f64_negative((*w).x) || !f64_lt((*w).x, (*w).xEnd)) {
    return vec3<i32>(0, 0, -1);
  }
  let col = f64_floor_i32((*w).x);
  let row = f64_floor_i32((*w).y);
  var inside = 1;
  if (row < 0 || row >= (*w).h) {
    // y only moves away from the grid from here on
    if (select(row >= (*w).h, row < 0, (*w).down != 0u)) {
      return vec3<i32>(0, 0, -1);
    }
    inside = 0;
  }
  let step = walk_step((*w).x, (*w).y, (*w).slope, row, (*w).down != 0u);
  (*w).x = f64_add((*w).x, step[0]);
  (*w).y = f64_add((*w).y, step[1]);
  (*w).stepX = step[0];
  return vec3<i32>(row, col, inside);
}
