// The CLI's path for grids over the in-memory budget: burned a band of 256 rows at a time on the CPU
// (the row window of the engine, so every pixel is the whole-grid pixel) and written as a tiled
// GeoTIFF, 256 x 256 tiles, BigTIFF when the file passes 4 GiB, to a temp file renamed into place (or in
// place, where a rename would change the destination's identity: src/io/node-destination.ts).
// Memory: one band (width x 256 pixels), one 8 MiB output chunk and the shapes.
//
// Tiles no shape comes near are left out of the file (offset and byte count 0: GDAL's sparse
// tiles) whenever readers would see the right value there, that is when the initial value is the
// nodata value (or 0 without nodata): a 100,000 x 100,000 grid with a few features is then a file
// of a few megabytes instead of 20 GB of zeros. Otherwise every tile is written.
//
// With -co the file is what the options ask for (strips or tiles of their size, compressed): each band's
// chunks are compressed on the worker threads while this thread burns the next band, and written in order
// as they are done (src/io/tiff/stream-chunks.ts).
import { now } from '../abort.js';
import { burnInBands } from '../burn/banded.js';
import { resolveRequest } from '../burn/request.js';
import { loadShapesCrs, shapesOf, type RequestShapes } from '../burn/shapes.js';
import { noStages, type BurnStages } from '../burn/stats.js';
import { shapeWarnings } from '../burn/warnings.js';
import { DTYPES, toPixel, type Pixel } from '../dtype.js';
import type { FeatureInput } from '../features/geojson.js';
import { fillDestination, type Destination, type WriteMethod } from '../io/node-destination.js';
import { TiledGeoTIFFWriter } from '../io/tiff/stream.js';
import type { ChunkedGeoTIFFSummary } from '../io/tiff/stream-chunks.js';
import type { GeoTIFFWriteOptions } from '../io/tiff/write.js';
import type { TypedArray } from '../types.js';
import type { Threads } from './threads.js';
import { roundStages, same, type Summary } from './summary.js';
import type { CliArgs } from './args.js';
import type { OutputPlan } from './plan.js';
import type { ProgressBar } from './progress.js';

/** Tile side of the streamed GeoTIFF, and the height of the bands burned. */
export const STREAM_TILE = 256;

export interface StreamInput {
  args: CliArgs;
  /** the checked destination */
  dest: Destination;
  source: FeatureInput;
  plan: OutputPlan;
  bar: ProgressBar;
  notice: (m: string) => void;
  /** bytes of memory the run may use (main's budget) */
  budget: number;
  t0: number;
  /** the run's stages so far (read, parse); prepare, burn and write are added here (default: all zero) */
  stages?: BurnStages;
  /** leave untouched tiles out when readers see the initial value there (default true) */
  sparse?: boolean;
  /** the run's warnings, to which the flatten's are added */
  warnings?: string[];
  /** -co's options: written as they ask (default: uncompressed 256 x 256 tiles) */
  creation?: GeoTIFFWriteOptions;
  /** the run's threads, which compress the chunks (default: this thread alone) */
  threads?: Threads;
}

export interface StreamSummary extends Summary {
  /** likely-wrong result warnings (src/burn/warnings.ts) */
  burnWarnings: string[];
  /** how the file was written */
  streamed: { tiles: number; sparseTiles: number; bytes: number; bigTiff: boolean };
}


// pixels of the band that differ from the initial value, looking only in the tile columns burned
function changed(data: TypedArray, width: number, rows: number, touched: Uint8Array, init: Pixel): number {
  let n = 0;
  for (let t = 0; t < touched.length; t++) {
    if (!touched[t]) continue;
    const x0 = t * STREAM_TILE, x1 = Math.min(width, x0 + STREAM_TILE);
    for (let r = 0; r < rows; r++) {
      for (let k = r * width + x0, end = r * width + x1; k < end; k++) if (!same(data[k], init)) n++;
    }
  }
  return n;
}

/** Burns the plan's grid band by band into a tiled GeoTIFF at args.dst. */
export async function streamGeoTIFF(input: StreamInput): Promise<StreamSummary> {
  const { args, source, plan: p, bar, notice, budget } = input;
  const { width, height } = p.grid;
  const dtype = p.dtype;
  const bandBytes = width * Math.min(STREAM_TILE, height) * DTYPES[dtype].bytes;
  // the band, the output chunk, and room for the shapes
  if (bandBytes * 2 > budget) {
    throw new Error(`output grid ${width} x ${height} ${dtype} is too wide to stream: one band of ${STREAM_TILE} rows needs ${bandBytes} bytes, over half the memory budget of ${budget} bytes`);
  }
  if (args.backend === 'webgpu') notice(`burned on the CPU: a ${width} x ${height} grid over the memory budget is streamed in bands, which only the CPU engine does`);

  const stages = input.stages ?? noStages();
  const tPrepare = now();
  const request = resolveRequest(p.grid, { ...p.options, backend: undefined });
  const init = request.start;
  // what GDAL reads for a tile that is not in the file: the nodata value, else 0
  const sparse = (input.sparse ?? true) && same(init, toPixel(dtype, p.nodata ?? 0));
  await loadShapesCrs(source, request);
  const { shapes, modes, counts, attribute } = shapesOf(source, request);
  const burnWarnings = [...(counts.warnings ?? []), ...shapeWarnings(shapes, { grid: p.grid, dtype, burnZ: modes.burnZ, merge: modes.merge, attribute })];
  stages.prepare += now() - tPrepare;

  const creation = input.creation ?? {};
  if (Object.keys(creation).length > 0) return streamChunked(input, { request, shapes, modes, counts, burnWarnings, stages, init, sparse, creation });

  let pixelsBurned = 0;
  let written: Awaited<ReturnType<TiledGeoTIFFWriter['finish']>> | undefined;
  const method: WriteMethod = await fillDestination(input.dest, async (sink) => {
    const writer = await TiledGeoTIFFWriter.open(
      { width, height, dtype, transform: p.grid.transform, crs: p.grid.crs, nodata: p.nodata },
      sink, { tileSize: STREAM_TILE, sparse },
    );
    // gdal_rasterize burns the layer once per -l naming it
    for await (const band of burnInBands({ request, shapes, modes, stages }, STREAM_TILE, STREAM_TILE, p.passes)) {
      const rows = band.y1 - band.y0;
      if (args.json) pixelsBurned += changed(band.data, width, rows, band.touched, init);
      const tWrite = now();
      await writer.writeBand(band.data, rows, sparse ? band.touched : undefined);
      stages.write += now() - tWrite;
      bar.update({ fraction: band.y1 / height, done: band.shapesDone, total: shapes.count });
    }
    const tFinish = now();
    written = await writer.finish();
    stages.write += now() - tFinish;
  }, undefined, streamedBound(width, height, DTYPES[dtype].bytes));
  if (!written) throw new Error('internal: the streamed GeoTIFF was not finished');
  const streamed = { tiles: written.tiles, sparseTiles: written.sparseTiles, bytes: written.bytes, bigTiff: written.bigTiff };
  return summaryOf(input, { shapes, counts, stages, burnWarnings }, pixelsBurned, method, streamed);
}

interface Burnable {
  request: ReturnType<typeof resolveRequest>;
  shapes: RequestShapes['shapes'];
  modes: RequestShapes['modes'];
  counts: RequestShapes['counts'];
  burnWarnings: string[];
  stages: BurnStages;
  init: Pixel;
  /** untouched chunks read back right when left out */
  sparse: boolean;
  creation: GeoTIFFWriteOptions;
}

// the -co path: strips or tiles as the options ask, compressed on the worker threads while the next band burns
async function streamChunked(input: StreamInput, b: Burnable): Promise<StreamSummary> {
  const { args, bar, plan: p } = input;
  const { request, shapes, modes, counts, stages, init, creation } = b;
  const { width, height } = p.grid;
  const dtype = p.dtype;
  const bpp = DTYPES[dtype].bytes;
  const [{ ChunkedGeoTIFFWriter }, { NODE_DEFLATE }, { zstdIfLoaded }, { compressionThreads }] = await Promise.all([
    import('../io/tiff/stream-chunks.js'), import('../io/node-zlib.js'), import('../io/tiff/zstd.js'), import('./threads.js')]);
  const plain = (creation.compress ?? 'none') === 'none';
  const n = plain || !input.threads ? 1 : await compressionThreads(creation.threads, args, width * height * bpp, input.threads.running());
  const workers = n > 1 && input.threads ? await input.threads.compressors(n) : null;
  // what a reader assumes for a chunk left out; SPARSE_OK also leaves out burned chunks that hold only that
  const fill = toPixel(dtype, p.nodata ?? 0);
  const touchW = creation.layout === 'tiles' ? creation.tileWidth ?? creation.tileSize ?? 256 : STREAM_TILE;
  let pixelsBurned = 0;
  let written: ChunkedGeoTIFFSummary | undefined;
  const method: WriteMethod = await fillDestination(input.dest, async (sink) => {
    const writer = await ChunkedGeoTIFFWriter.open({ width, height, dtype, transform: p.grid.transform, crs: p.grid.crs, nodata: p.nodata },
      sink, creation, { workers, compressors: { deflate: NODE_DEFLATE, zstd: zstdIfLoaded() } });
    const rows = writer.bandRows;
    if (width * rows * bpp * 2 > input.budget) {
      throw new Error(`output grid ${width} x ${height} ${dtype} is too big to stream in ${rows}-row bands (its strips or tiles): one band needs ${width * rows * bpp} bytes, over half the memory budget of ${input.budget} bytes`);
    }
    for await (const band of burnInBands({ request, shapes, modes, stages }, rows, touchW, p.passes)) {
      const h = band.y1 - band.y0;
      if (args.json) pixelsBurned += changedIn(band.data, width, h, band.touched, touchW, init);
      const empty = (x0: number, x1: number): boolean => {
        for (let t = Math.floor(x0 / touchW), end = Math.ceil(x1 / touchW); t < end; t++) {
          if (band.touched[t]) return creation.sparse === true && allEqual(band.data, width, h, x0, x1, fill);
        }
        return b.sparse || (creation.sparse === true && same(init, fill));
      };
      const tWrite = now();
      // returns once the chunks are handed to the threads: the next band burns while they compress
      await writer.writeBand(band.data, h, empty);
      stages.write += now() - tWrite;
      bar.update({ fraction: band.y1 / height, done: band.shapesDone, total: shapes.count });
    }
    const tFinish = now();
    written = await writer.finish();
    stages.write += now() - tFinish;
  }, undefined, Math.ceil(width * height * bpp * 1.01) + (1 << 20));
  if (!written) throw new Error('internal: the streamed GeoTIFF was not finished');
  const streamed = { tiles: written.chunks, sparseTiles: written.sparseChunks, bytes: written.bytes, bigTiff: written.bigTiff };
  return summaryOf(input, b, pixelsBurned, method, streamed);
}

function summaryOf(
  input: StreamInput, b: Pick<Burnable, 'shapes' | 'counts' | 'stages' | 'burnWarnings'>,
  pixelsBurned: number, write: WriteMethod, streamed: StreamSummary['streamed'],
): StreamSummary {
  const { width, height } = input.plan.grid;
  return {
    width, height, dtype: input.plan.dtype, backend: 'cpu',
    features: b.counts.features,
    skipped: b.counts.skipped,
    shapes: b.shapes.count * input.plan.passes,
    pixelsBurned,
    seconds: Math.round(performance.now() - input.t0) / 1000,
    stages: roundStages(b.stages),
    write,
    burnWarnings: b.burnWarnings,
    streamed,
  };
}

// pixels of the band that differ from the initial value, in the touched columns of `touchW` pixels
function changedIn(data: TypedArray, width: number, rows: number, touched: Uint8Array, touchW: number, init: Pixel): number {
  let n = 0;
  for (let t = 0; t < touched.length; t++) {
    if (!touched[t]) continue;
    const x0 = t * touchW, x1 = Math.min(width, x0 + touchW);
    for (let r = 0; r < rows; r++) for (let k = r * width + x0, end = r * width + x1; k < end; k++) if (!same(data[k], init)) n++;
  }
  return n;
}

// every pixel of columns x0..x1-1 equals v (NaN equal to NaN)
function allEqual(data: TypedArray, width: number, rows: number, x0: number, x1: number, v: Pixel): boolean {
  for (let r = 0; r < rows; r++) for (let k = r * width + x0, end = r * width + x1; k < end; k++) if (!same(data[k], v)) return false;
  return true;
}

// the most a streamed file can take (every tile written, BigTIFF offsets): the free space an in-place write
// checks for before it starts
function streamedBound(width: number, height: number, bytes: number): number {
  const tiles = Math.ceil(width / STREAM_TILE) * Math.ceil(height / STREAM_TILE);
  return tiles * (STREAM_TILE * STREAM_TILE * bytes + 16) + (1 << 16);
}
