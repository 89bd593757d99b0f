// Triangle path: earcut triangles of valid polygons, positions in pixels relative to the tile's
// origin (subtracted in float64 on the CPU, then rounded to f32: under 2^14 px that is within
// 2^-10 px). Coverage at pixel centres within the rasterizer's sub-pixel snap of an edge is the
// hardware's call, not GDAL's: the tests count those tie pixels.
//
// House rule (checked as text by test/gpu/shaders.test.ts): integer values passed from the vertex
// to the fragment stage are struct members marked @interpolate(flat, either).

struct Tile {
  // the tile's top-left pixel in the full grid (unused here: positions are already tile-relative)
  origin: vec2<i32>,
  // the tile's size in pixels
  size: vec2<u32>,
}

@group(0) @binding(0) var<uniform> tile: Tile;

struct TriVarying {
  @builtin(position) position: vec4<f32>,
  // the pixel value, pre-converted to the output type on the CPU, as raw bits
  @location(0) @interpolate(flat, either) bits: u32,
}

@vertex
fn vs_tri(@location(0) position: vec2<f32>, @location(1) bits: u32) -> TriVarying {
  let s = vec2<f32>(tile.size);
  var out: TriVarying;
  out.position = vec4<f32>(position.x / s.x * 2.0 - 1.0, 1.0 - position.y / s.y * 2.0, 0.0, 1.0);
  out.bits = bits;
  return out;
}

@fragment
fn fs_uint(v: TriVarying) -> @location(0) vec4<u32> {
  return vec4<u32>(v.bits, 0u, 0u, 1u);
}

@fragment
fn fs_sint(v: TriVarying) -> @location(0) vec4<i32> {
  return vec4<i32>(bitcast<i32>(v.bits), 0, 0, 1);
}
