// Span quads: the exact fill path. The CPU runs GDAL's rules (rules/emit.ts) and hands over integer
// rectangles (a span, or row-adjacent spans merged); each is drawn as a quad whose edges lie on
// pixel boundaries, so no pixel centre is ever on an edge and the rasterizer's tie rule decides
// nothing. Draw order is shape order, so later shapes overwrite earlier ones.
//
// Vertices pull their rectangle from a storage buffer (vertex_index / 4) through a static index
// buffer (4k, 4k+1, 4k+2, 4k+2, 4k+1, 4k+3) rather than drawing one instance per rectangle:
// SwiftShader spends ~55 us per instance (283k rectangles took 15.7 s against 0.3 s this way), and
// on hardware a 4-vertex instance wastes most of a vertex wave anyway.
//
// House rule (checked as text by test/gpu/shaders.test.ts): integer values passed from the vertex
// to the fragment stage are struct members marked @interpolate(flat, either).

struct Tile {
  // the tile's top-left pixel in the full grid
  origin: vec2<i32>,
  // the tile's size in pixels
  size: vec2<u32>,
}

// columns x0..x1 and rows y0..y1 inclusive, in the full grid; bits is the pixel value
struct Rect {
  x0: u32,
  x1: u32,
  y0: u32,
  y1: u32,
  bits: u32,
}

@group(0) @binding(0) var<uniform> tile: Tile;
@group(0) @binding(1) var<storage, read> rects: array<Rect>;

struct SpanVarying {
  @builtin(position) position: vec4<f32>,
  // the pixel value, pre-converted to the output type on the CPU, as raw bits
  @location(0) @interpolate(flat, either) bits: u32,
}

// full-grid pixel-boundary coordinate -> clip space; clamped to just outside the tile in integers,
// so grids wider than f32's 2^24 exact range still map exactly
fn to_clip(p: vec2<u32>) -> vec4<f32> {
  let size = vec2<i32>(tile.size);
  let local = vec2<f32>(clamp(vec2<i32>(p) - tile.origin, vec2<i32>(-1), size + 1));
  let s = vec2<f32>(tile.size);
  return vec4<f32>(local.x / s.x * 2.0 - 1.0, 1.0 - local.y / s.y * 2.0, 0.0, 1.0);
}

// vertex 4k + c is corner c of rectangle k: bit 0 of c picks the right edge, bit 1 the bottom edge
@vertex
fn vs_span(@builtin(vertex_index) v: u32) -> SpanVarying {
  let rect = rects[v >> 2u];
  let corner = v & 3u;
  let x = select(rect.x0, rect.x1 + 1u, (corner & 1u) != 0u);
  let y = select(rect.y0, rect.y1 + 1u, (corner & 2u) != 0u);
  var out: SpanVarying;
  out.position = to_clip(vec2<u32>(x, y));
  out.bits = rect.bits;
  return out;
}

// unsigned integer targets; float32/float64 replace also lands here, as f32 bits in r32uint, so
// NaN payloads and subnormals survive untouched
@fragment
fn fs_uint(v: SpanVarying) -> @location(0) vec4<u32> {
  return vec4<u32>(v.bits, 0u, 0u, 1u);
}

// signed integer targets (r16sint, r32sint)
@fragment
fn fs_sint(v: SpanVarying) -> @location(0) vec4<i32> {
  return vec4<i32>(bitcast<i32>(v.bits), 0, 0, 1);
}

// r32float with additive blending: float32 merge 'add'
@fragment
fn fs_float(v: SpanVarying) -> @location(0) vec4<f32> {
  return vec4<f32>(bitcast<f32>(v.bits), 0.0, 0.0, 1.0);
}
