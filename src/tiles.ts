// Grids too big for one array: burned a band of rows at a time with the CPU engine's row window, and
// handed out as bands or as georeferenced tiles in row-major order. Memory is one band plus the
// shapes, whatever the grid's size. Browser-safe.
import { abortError, now } from './abort.js';
import { shapeRows } from './cpu/bands.js';
import { burnShapesCpu } from './cpu/engine.js';
import { converter, DTYPES } from './dtype.js';
import type { FeatureInput } from './features/geojson.js';
import type { ShapeSet } from './features/shapes.js';
import { checkGrid } from './grid.js';
import type { PreparedFeatures } from './prepare.js';
import { checkOptions, shapesFor, type RasterizeStats } from './rasterize.js';
import type { DType, GeoTransform, Grid, ProgressInfo, Raster, RasterizeOptions, TypedArray } from './types.js';

export interface TileOptions extends Omit<RasterizeOptions, 'into' | 'onProgress' | 'gpuFill'> {
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
export interface RasterTile extends Raster {
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
export interface RasterBand {
  y0: number;
  y1: number;
  /** width * (y1 - y0) pixels, row-major; reused for the next band, so copy what must outlive the iteration step */
  data: TypedArray;
  /** per tile column (tileWidth wide): 1 when a pixel of it was burned in this band, 0 when all of it is the initial value */
  touched: Uint8Array;
  /** the band's index, from 0 at the top */
  index: number;
}

export interface BandOptions extends TileOptions {
  /** rows per band; default tileHeight */
  bandHeight?: number;
}

/** What a band or tile run burned (filled in as it goes; final when the iteration ends). */
export interface StreamStats extends RasterizeStats {
  bands: number;
}


/**
 * Which shapes meet which band: each shape's rows are bounded from its vertices (shapeRows: a margin
 * covering every GDAL routine's reach, the whole grid for a shape with a NaN or huge coordinate), shapes are ordered by their first band, and the active list
 * of each band is merged from the previous one, so no band scans all shapes.
 */
export class BandIndex {
  private readonly lastBand: Int32Array;
  /** shapes by first band, each band's in shape order */
  private readonly order: Uint32Array;
  private readonly bandStart: Uint32Array;
  private active: Uint32Array;
  private spare: Uint32Array;
  private nActive = 0;
  private nextBand = 0;
  /** shapes whose last band is below b, for b = 0..bands (progress in shapes) */
  private readonly doneBefore: Uint32Array;

  constructor(shapes: ShapeSet, height: number, readonly bandHeight: number) {
    const n = shapes.count;
    const bands = Math.ceil(height / bandHeight);
    const firstBand = new Int32Array(n);
    this.lastBand = new Int32Array(n);
    const counts = new Uint32Array(bands + 1);
    const { rowMin, rowMax } = shapeRows(shapes, height, (k) => new Int32Array(k));
    for (let i = 0; i < n; i++) {
      const r0 = Math.max(0, rowMin[i]);
      const r1 = Math.min(height - 1, rowMax[i]);
      if (r0 > r1) {
        firstBand[i] = bands;
        this.lastBand[i] = -1;
      } else {
        firstBand[i] = Math.floor(r0 / bandHeight);
        this.lastBand[i] = Math.floor(r1 / bandHeight);
      }
      counts[firstBand[i]]++;
    }
    this.doneBefore = new Uint32Array(bands + 1);
    for (let i = 0; i < n; i++) this.doneBefore[Math.max(0, this.lastBand[i] + 1)]++;
    for (let b = 1; b <= bands; b++) this.doneBefore[b] += this.doneBefore[b - 1];
    // counting sort by first band, stable: within a band, shape order
    this.bandStart = new Uint32Array(bands + 2);
    for (let b = 0; b <= bands; b++) this.bandStart[b + 1] = this.bandStart[b] + counts[b];
    const fill = this.bandStart.slice(0, bands + 1);
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[firstBand[i]]++] = i;
    this.active = new Uint32Array(Math.max(n, 1));
    this.spare = new Uint32Array(Math.max(n, 1));
  }

  /** Shapes with nothing left to burn once bands 0..b are done (for progress in shapes). */
  doneAfter(b: number): number {
    return this.doneBefore[Math.min(b + 1, this.doneBefore.length - 1)];
  }

  /** The shapes that may burn pixels in band `b`, in shape order. Bands must be asked for in order, 0, 1, 2, ... */
  band(b: number): Uint32Array {
    if (b !== this.nextBand) throw new Error(`bands must be visited in order: asked for ${b}, expected ${this.nextBand}`);
    this.nextBand++;
    const { order, lastBand } = this;
    const old = this.active, out = this.spare;
    let i = 0, j = this.bandStart[b];
    const jEnd = this.bandStart[b + 1];
    let m = 0;
    // merge the survivors (still reaching this band) with the shapes starting here, both ascending
    while (i < this.nActive || j < jEnd) {
      let s: number;
      if (j >= jEnd || (i < this.nActive && old[i] < order[j])) {
        s = old[i++];
        if (lastBand[s] < b) continue;
      } else {
        s = order[j++];
      }
      out[m++] = s;
    }
    this.active = out;
    this.spare = old;
    this.nActive = m;
    return out.subarray(0, m);
  }
}

function positiveInt(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

const BAND_KEYS = new Set(['tileSize', 'tileWidth', 'tileHeight', 'bandHeight']);

interface BandSetup {
  shapes: ShapeSet;
  stats: StreamStats;
  burnOpts: Parameters<typeof burnShapesCpu>[2];
  dtype: DType;
  tileW: number;
  tileH: number;
  bandH: number;
  init: number;
  signal: AbortSignal | undefined;
  onProgress: TileOptions['onProgress'];
  opts: RasterizeOptions;
}

function setup(features: FeatureInput | PreparedFeatures, grid: Grid, options: BandOptions): BandSetup {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object, got ${options}`);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!BAND_KEYS.has(k)) rest[k] = v;
  if ('into' in rest) throw new Error('option "into" does not apply to tiles: each band and tile is a fresh array');
  if ('gpuFill' in rest) throw new Error('option "gpuFill" does not apply to tiles: they burn on the CPU');
  const opts = checkOptions(rest as RasterizeOptions);
  if (opts.backend === 'webgpu') throw new Error(`tiles burn on the CPU (a band at a time, in bounded memory); backend 'webgpu' is not supported here`);
  checkGrid(grid);
  const size = positiveInt(options.tileSize, 'tileSize', 256);
  const tileW = positiveInt(options.tileWidth, 'tileWidth', size);
  const tileH = positiveInt(options.tileHeight, 'tileHeight', size);
  const bandH = positiveInt(options.bandHeight, 'bandHeight', tileH);
  const dtype: DType = opts.dtype ?? 'uint16';
  // the rest of the option checks happen here, before the caller's first next()
  const { shapes, stats, burnOpts } = shapesFor(features, grid, { ...opts, onProgress: undefined, signal: undefined });
  const init = converter(dtype)(opts.init ?? opts.nodata ?? 0);
  return {
    shapes, stats: { ...stats, bands: 0 }, burnOpts, dtype, tileW, tileH, bandH, init,
    signal: opts.signal, onProgress: options.onProgress, opts,
  };
}


/**
 * Burns the grid band by band (`bandHeight` rows, default the tile height), yielding each band
 * once burned. The band's array is reused: it is only valid until the next step. Every band holds
 * exactly the rows the whole-grid rasterize() would give. Bands burn on the CPU.
 */
export function rasterizeBands(features: FeatureInput | PreparedFeatures, grid: Grid, options: BandOptions = {}): AsyncIterable<RasterBand> & { stats: StreamStats } {
  const s = setup(features, grid, options);
  return { stats: s.stats, [Symbol.asyncIterator]: () => bandsOf(s, grid, s.bandH, true) };
}

// reportBands: progress per band (done/total count bands); otherwise the caller reports
async function* bandsOf(s: BandSetup, grid: Grid, bandH: number, reportBands: boolean): AsyncGenerator<RasterBand> {
  const { width, height } = grid;
  const bands = Math.ceil(height / bandH);
  const index = new BandIndex(s.shapes, height, bandH);
  const touched = new Uint8Array(Math.ceil(width / s.tileW));
  const track = { cols: touched, tileWidth: s.tileW };
  const rowsMax = Math.min(bandH, height);
  let buffer: TypedArray;
  try {
    buffer = DTYPES[s.dtype].make(width * rowsMax);
  } catch {
    throw new Error(`a band of ${width} x ${rowsMax} ${s.dtype} pixels does not fit in memory: use a smaller tileHeight/bandHeight`);
  }
  let lastYield = now();
  for (let b = 0; b < bands; b++) {
    if (s.signal?.aborted) throw abortError(s.signal);
    const y0 = b * bandH, y1 = Math.min(height, y0 + bandH);
    const data = y1 - y0 === rowsMax ? buffer : buffer.subarray(0, width * (y1 - y0));
    data.fill(s.init);
    touched.fill(0);
    const only = index.band(b);
    if (only.length > 0) {
      burnShapesCpu(s.shapes, { data, width, height, dtype: s.dtype, window: { y0, y1 } }, { ...s.burnOpts, only, signal: s.signal, touched: track });
    }
    s.stats.bands = b + 1;
    yield { y0, y1, data, touched, index: b };
    if (reportBands) s.onProgress?.({ fraction: y1 / height, done: b + 1, total: bands });
    // let timers and abort signals in between bands (a timer turn costs ~1 ms: not after every small band)
    if (now() - lastYield > 20) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
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
export function rasterizeTiles(features: FeatureInput | PreparedFeatures, grid: Grid, options: TileOptions = {}): AsyncIterable<RasterTile> & { stats: StreamStats } {
  const s = setup(features, grid, { ...options, bandHeight: undefined });
  return { stats: s.stats, [Symbol.asyncIterator]: () => tilesOf(s, grid) };
}

async function* tilesOf(s: BandSetup, grid: Grid): AsyncGenerator<RasterTile> {
  const { width, height, transform: gt } = grid;
  const { tileW, tileH, dtype } = s;
  const tilesX = Math.ceil(width / tileW);
  const total = tilesX * Math.ceil(height / tileH);
  let index = 0;
  for await (const band of bandsOf(s, grid, tileH, false)) {
    const h = band.y1 - band.y0;
    for (let col = 0; col < tilesX; col++) {
      const x = col * tileW;
      const w = Math.min(tileW, width - x);
      const data = DTYPES[dtype].make(w * h);
      for (let r = 0; r < h; r++) data.set(band.data.subarray(r * width + x, r * width + x + w), r * w);
      const transform: GeoTransform = [
        gt[0] + x * gt[1] + band.y0 * gt[2], gt[1], gt[2],
        gt[3] + x * gt[4] + band.y0 * gt[5], gt[4], gt[5],
      ];
      yield {
        data, width: w, height: h, transform, crs: grid.crs, nodata: s.opts.nodata ?? null, dtype,
        x, y: band.y0, col, row: band.index, index, untouched: band.touched[col] === 0,
      };
      index++;
    }
    s.onProgress?.({ fraction: band.y1 / height, done: index, total });
  }
}
