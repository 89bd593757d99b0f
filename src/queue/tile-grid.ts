// The tile grid a distributed job is cut into, and the description every worker receives. A tile is
// a window of the whole output grid: its pixels are the whole-grid burn's pixels for that window,
// never a burn of a smaller grid (whose own pixel transform would round differently). Browser-safe.
import type { DType, GeoTransform, Grid } from '../types.js';

/** Blocks of the GeoTIFF tiles workers write; the job's tile size is a multiple of it. */
export const TILE_BLOCK = 256;
/** Default side of a tile task, in pixels. */
export const DEFAULT_TILE_SIZE = 4096;

/** What every tile of a job needs, written by the submitter beside the partitions (job.json). */
export interface TileJobSpec {
  /** format version of this record and of the partition files */
  version: 1;
  jobId: string;
  grid: { width: number; height: number; transform: GeoTransform; crs: string | undefined };
  dtype: DType;
  nodata: number | null;
  /** every pixel's value before the burn, already converted to dtype */
  start: number;
  allTouched: boolean;
  merge: 'replace' | 'add';
  burnZ: boolean;
  /** how many times the shapes are burned (gdal_rasterize burns a layer once per -l naming it) */
  passes: number;
  tileSize: number;
  /** tiles whose pixels all hold `start` are not written: readers of the VRT see `start` there */
  sparse: boolean;
}

/** A tile's window of the whole grid: columns x0..x1-1, rows y0..y1-1. */
export interface TileRect {
  index: number;
  col: number;
  row: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function tilesAcross(spec: Pick<TileJobSpec, 'grid' | 'tileSize'>): number {
  return Math.ceil(spec.grid.width / spec.tileSize);
}

export function tilesDown(spec: Pick<TileJobSpec, 'grid' | 'tileSize'>): number {
  return Math.ceil(spec.grid.height / spec.tileSize);
}

export function tileCount(spec: Pick<TileJobSpec, 'grid' | 'tileSize'>): number {
  return tilesAcross(spec) * tilesDown(spec);
}

/** Tile `index` in row-major order; the last column and row are narrower where the grid ends. */
export function tileRect(spec: Pick<TileJobSpec, 'grid' | 'tileSize'>, index: number): TileRect {
  const across = tilesAcross(spec);
  if (!Number.isInteger(index) || index < 0 || index >= tileCount(spec)) throw new Error(`tile ${index} is not in the job's ${tileCount(spec)} tiles`);
  const col = index % across, row = Math.floor(index / across);
  const s = spec.tileSize;
  const x0 = col * s, y0 = row * s;
  return { index, col, row, x0, y0, x1: Math.min(spec.grid.width, x0 + s), y1: Math.min(spec.grid.height, y0 + s) };
}

/** The geotransform of a tile's own file (the grid's, moved to the tile's top-left pixel). */
export function tileTransform(gt: GeoTransform, x: number, y: number): GeoTransform {
  return [gt[0] + x * gt[1] + y * gt[2], gt[1], gt[2], gt[3] + x * gt[4] + y * gt[5], gt[4], gt[5]];
}

/** Checks a --tile-size: a positive multiple of the tiles' block size. */
export function checkTileSize(n: number): number {
  if (!Number.isInteger(n) || n < TILE_BLOCK || n % TILE_BLOCK !== 0) {
    throw new Error(`--tile-size must be a multiple of ${TILE_BLOCK} (the written tiles' block size), got ${n}`);
  }
  return n;
}

export function specGrid(spec: TileJobSpec): Grid {
  return { width: spec.grid.width, height: spec.grid.height, transform: [...spec.grid.transform] as GeoTransform, crs: spec.grid.crs };
}
