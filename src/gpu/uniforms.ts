// Uniform records as the shaders declare them: one packer per WGSL struct, named after it, taking
// the struct's members by name (u32 members as numbers, flags as 0/1) and returning its words in
// declaration order, padding included. test/unit/gpu/layouts.test.ts checks each packer against its
// struct's layout in shaders/.

/** Tile (spans.wgsl, triangles.wgsl, add.wgsl): the tile's top-left pixel, then its size. */
export const TILE_WORDS = 4;

export interface Tile {
  origin: readonly [number, number];
  size: readonly [number, number];
}

// the tile's origin as i32 and its size as u32 share one write: every value fits both
export function packTile(t: Tile): Int32Array<ArrayBuffer> {
  return new Int32Array([t.origin[0], t.origin[1], t.size[0], t.size[1]]);
}

/** AddParams (add.wgsl): the merge 'add' dispatches (fill, add_wrap, add_sat). */
export const ADD_PARAMS_WORDS = 8;

export interface AddParams {
  count: number;
  down: number;
  lo: number;
  hi: number;
  init: number;
}

export function packAddParams(p: AddParams): Uint32Array<ArrayBuffer> {
  return new Uint32Array([p.count, p.down, p.lo, p.hi, p.init, 0, 0, 0]);
}

/** PackParams (pack.wgsl): accumulators into the output type's bytes. */
export const PACK_PARAMS_WORDS = 8;

export interface PackParams {
  cells: number;
  bytes: number;
  signed: number;
  lo: number;
  hi: number;
}

export function packPackParams(p: PackParams): Uint32Array<ArrayBuffer> {
  return new Uint32Array([p.cells, p.bytes, p.signed, 0, p.lo, p.hi, 0, 0]);
}

/** CrossingsParams (crossings.wgsl): one toggle dispatch. */
export const CROSSINGS_PARAMS_WORDS = 4;

export interface CrossingsParams {
  count: number;
  edges: number;
}

export function packCrossingsParams(p: CrossingsParams): Uint32Array<ArrayBuffer> {
  return new Uint32Array([p.count, p.edges, 0, 0]);
}

/** ParityParams (parity.wgsl): one parity dispatch. */
export const PARITY_PARAMS_WORDS = 12;

export interface ParityParams {
  count: number;
  regions: number;
  mode: number;
  down: number;
  lo: number;
  hi: number;
}

export function packParityParams(p: ParityParams): Uint32Array<ArrayBuffer> {
  return new Uint32Array([p.count, p.regions, 0, 0, 0, p.mode, p.down, p.lo, p.hi, 0, 0, 0]);
}

/** OwnerParams (owner.wgsl): one dispatch of host spans. */
export const OWNER_PARAMS_WORDS = 8;

export interface OwnerParams {
  count: number;
  tileX: number;
  tileY: number;
  tileW: number;
  tileH: number;
}

export function packOwnerParams(p: OwnerParams): Int32Array<ArrayBuffer> {
  return new Int32Array([p.count, p.tileX, p.tileY, p.tileW, p.tileH, 0, 0, 0]);
}

/** ResolveParams (resolve.wgsl): owner ids into packed values. */
export const RESOLVE_PARAMS_WORDS = 8;

export interface ResolveParams {
  count: number;
  bytes: number;
  pixels: number;
  hasInit: number;
  init: number;
  jobs: number;
}

export function packResolveParams(p: ResolveParams): Uint32Array<ArrayBuffer> {
  return new Uint32Array([p.count, p.bytes, p.pixels, p.hasInit, p.init >>> 0, p.jobs, 0, 0]);
}
