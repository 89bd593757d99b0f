// Grids too big for one array: burned a band of rows at a time with the CPU engine's row window, and
// handed out as bands or as georeferenced tiles in row-major order. Memory is one band plus the
// shapes, whatever the grid's size. Browser-safe.
import { now } from './abort.js';
import { burnInBands, type BandedJob } from './burn/banded.js';
import { resolveRequest } from './burn/request.js';
import { loadShapesCrs, shapesOf } from './burn/shapes.js';
import { noStages, type RasterizeStats } from './burn/stats.js';
import { CrsNotLoadedError } from './crs.js';
import { DTYPES, setPixels } from './dtype.js';
import type { FeatureInput } from './features/geojson.js';
import type { PreparedFeatures } from './prepare.js';
import type { DType, DTypeArrays, GeoTransform, Grid, ProgressInfo, Raster, RasterizeOptions, TypedArray } from './types.js';
import { shapeWarnings } from './burn/warnings.js';

/** `D`, the output type, is inferred from `dtype` (default 'uint16'), as for rasterize(). */
export interface TileOptions<D extends DType = 'uint16'> extends Omit<RasterizeOptions<D>, 'into' | 'onProgress' | 'gpuFill'> {
  /** Tile width and height in pixels; default 256. */
  tileSize?: number;
  /** Tile width (default tileSize): the last column of tiles may be narrower. */
  tileWidth?: number;
  /** Tile height (default tileSize), also the height of the bands burned: the last row may be shorter. */
  tileHeight?: number;
  /** After each band: fraction of rows done; done/total count tiles (bands for rasterizeBands), not shapes. */
  onProgress?: (p: ProgressInfo) => void;
}

/** One tile: a Raster of its own (own transform), and where it sits in the whole grid. */
export interface RasterTile<D extends DType = DType> extends Raster<D> {
  /** column and row of the tile's top-left pixel in the whole grid */
  x: number;
  y: number;
  /** the tile's column and row in the tile grid, and its row-major index */
  col: number;
  row: number;
  index: number;
  /** true when no pixel of the tile was burned: every pixel holds the initial value */
  untouched: boolean;
}

/** Rows y0..y1-1 of the grid, burned. */
export interface RasterBand<D extends DType = DType> {
  y0: number;
  y1: number;
  /** width * (y1 - y0) pixels, row-major; reused for the next band, so copy what must outlive the iteration step */
  data: DTypeArrays[D];
  /** per tile column (tileWidth wide): 1 when a pixel of it was burned in this band, 0 when all of it is the initial value */
  touched: Uint8Array;
  /** the band's index, from 0 at the top */
  index: number;
}

export interface BandOptions<D extends DType = 'uint16'> extends TileOptions<D> {
  /** rows per band; default tileHeight */
  bandHeight?: number;
}

/** What a band or tile run burned (filled in as it goes; final when the iteration ends). */
export interface StreamStats extends RasterizeStats {
  bands: number;
}


function positiveInt(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

const BAND_KEYS = new Set(['tileSize', 'tileWidth', 'tileHeight', 'bandHeight']);

interface BandSetup extends BandedJob {
  stats: StreamStats;
  tileW: number;
  tileH: number;
  bandH: number;
  onProgress: TileOptions['onProgress'];
  /** features whose CRS support (EPSG table, proj4) was not loaded yet: flattened on the first next() */
  deferred: FeatureInput | null;
}

function setup(features: FeatureInput | PreparedFeatures, grid: Grid, options: BandOptions<DType>): BandSetup {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object, got ${options}`);
  const t0 = now();
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!BAND_KEYS.has(k)) rest[k] = v;
  if ('into' in rest) throw new Error('option "into" does not apply to tiles: each band and tile is a fresh array');
  if ('gpuFill' in rest) throw new Error('option "gpuFill" does not apply to tiles: they burn on the CPU');
  const request = resolveRequest(grid, rest as RasterizeOptions);
  if (request.backend === 'webgpu') throw new Error(`tiles burn on the CPU (a band at a time, in bounded memory); backend 'webgpu' is not supported here`);
  const size = positiveInt(options.tileSize, 'tileSize', 256);
  const tileW = positiveInt(options.tileWidth, 'tileWidth', size);
  const tileH = positiveInt(options.tileHeight, 'tileHeight', size);
  const bandH = positiveInt(options.bandHeight, 'bandHeight', tileH);
  // the rest of the option checks happen here, before the caller's first next(), unless the features'
  // CRS needs the EPSG table or proj4 first: those load on the first next()
  let flat: ReturnType<typeof shapesOf>;
  try {
    flat = shapesOf(features, request);
  } catch (e) {
    if (!(e instanceof CrsNotLoadedError)) throw e;
    const stats: StreamStats = { features: 0, skipped: 0, warnings: [], shapes: 0, backend: 'cpu', stages: noStages(), bands: 0 };
    // placeholders until then: no shapes, on the grid without its CRS (nothing to reproject)
    const none = shapesOf([], { ...request, grid: { ...request.grid, crs: undefined } });
    return { request, shapes: none.shapes, modes: none.modes, stages: stats.stages, stats, tileW, tileH, bandH, onProgress: options.onProgress, deferred: features as FeatureInput };
  }
  const { shapes, modes, counts, attribute } = flat;
  const stats: StreamStats = {
    features: counts.features, skipped: counts.skipped, shapes: shapes.count, backend: 'cpu', stages: noStages(), bands: 0,
    warnings: [...(counts.warnings ?? []), ...shapeWarnings(shapes, { grid, dtype: request.dtype, burnZ: modes.burnZ, merge: modes.merge, attribute })],
  };
  stats.stages.prepare = now() - t0;
  return { request, shapes, modes, stages: stats.stages, stats, tileW, tileH, bandH, onProgress: options.onProgress, deferred: null };
}

// flattens deferred features once their CRS support has loaded
async function ready(s: BandSetup): Promise<void> {
  if (!s.deferred) return;
  const features = s.deferred;
  s.deferred = null;
  const t0 = now();
  await loadShapesCrs(features, s.request);
  const { shapes, modes, counts, attribute } = shapesOf(features, s.request);
  Object.assign(s, { shapes, modes });
  Object.assign(s.stats, {
    features: counts.features, skipped: counts.skipped, shapes: shapes.count,
    warnings: shapeWarnings(shapes, { grid: s.request.grid, dtype: s.request.dtype, burnZ: modes.burnZ, merge: modes.merge, attribute }),
  });
  s.stats.stages.prepare += now() - t0;
}


/**
 * Burns the grid band by band (`bandHeight` rows, default the tile height), yielding each band
 * once burned. The band's array is reused: it is only valid until the next step. Every band holds
 * exactly the rows the whole-grid rasterize() would give. Bands burn on the CPU.
 */
export function rasterizeBands<D extends DType = 'uint16'>(features: FeatureInput | PreparedFeatures, grid: Grid, options: BandOptions<D> = {}): AsyncIterable<RasterBand<D>> & { stats: StreamStats } {
  const s = setup(features, grid, options as BandOptions<DType>);
  return { stats: s.stats, [Symbol.asyncIterator]: () => bandsOf(s, s.bandH, true) as AsyncGenerator<RasterBand<D>> };
}

// reportBands: progress per band (done/total count bands); otherwise the caller reports
async function* bandsOf(s: BandSetup, bandH: number, reportBands: boolean): AsyncGenerator<RasterBand> {
  await ready(s);
  const height = s.request.grid.height;
  const bands = Math.ceil(height / bandH);
  for await (const band of burnInBands(s, bandH, s.tileW)) {
    s.stats.bands = band.index + 1;
    yield { y0: band.y0, y1: band.y1, data: band.data, touched: band.touched, index: band.index };
    if (reportBands) s.onProgress?.({ fraction: band.y1 / height, done: band.index + 1, total: bands });
  }
}

/**
 * Burns `features` onto `grid` tile by tile, yielding georeferenced tiles (tileSize x tileSize,
 * narrower/shorter at the right and bottom edges) in row-major order. Memory holds one band of
 * tiles (width x tileHeight pixels) and the shapes, so grids far beyond one array's limit work.
 * Stitched together, the tiles equal rasterize(features, grid, options) pixel for pixel. Options
 * are rasterize()'s, less `into` and `gpuFill`; tiles burn on the CPU ('auto' means the CPU here).
 *
 * @example
 * for await (const tile of rasterizeTiles(countries, grid, { tileSize: 512, dtype: 'uint8' })) {
 *   await upload(tile.col, tile.row, tile.data);
 * }
 */
export function rasterizeTiles<D extends DType = 'uint16'>(features: FeatureInput | PreparedFeatures, grid: Grid, options: TileOptions<D> = {}): AsyncIterable<RasterTile<D>> & { stats: StreamStats } {
  const s = setup(features, grid, { ...(options as TileOptions<DType>), bandHeight: undefined });
  return { stats: s.stats, [Symbol.asyncIterator]: () => tilesOf(s, grid) as AsyncGenerator<RasterTile<D>> };
}

async function* tilesOf(s: BandSetup, grid: Grid): AsyncGenerator<RasterTile> {
  const { width, height, transform: gt } = grid;
  const { tileW, tileH } = s;
  const { dtype, nodata } = s.request;
  const tilesX = Math.ceil(width / tileW);
  const total = tilesX * Math.ceil(height / tileH);
  let index = 0;
  for await (const band of bandsOf(s, tileH, false)) {
    const h = band.y1 - band.y0;
    for (let col = 0; col < tilesX; col++) {
      const x = col * tileW;
      const w = Math.min(tileW, width - x);
      const data = DTYPES[dtype].make(w * h);
      for (let r = 0; r < h; r++) setPixels(data, band.data.subarray(r * width + x, r * width + x + w), r * w);
      const transform: GeoTransform = [
        gt[0] + x * gt[1] + band.y0 * gt[2], gt[1], gt[2],
        gt[3] + x * gt[4] + band.y0 * gt[5], gt[4], gt[5],
      ];
      yield {
        data, width: w, height: h, transform, crs: grid.crs, nodata, dtype,
        x, y: band.y0, col, row: band.index, index, untouched: band.touched[col] === 0,
      };
      index++;
    }
    s.onProgress?.({ fraction: band.y1 / height, done: index, total });
  }
}
