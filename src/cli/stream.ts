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
import { now } from '../abort.js';
import { burnInBands } from '../burn/banded.js';
import { resolveRequest } from '../burn/request.js';
import { loadShapesCrs, shapesOf } from '../burn/shapes.js';
import { noStages, type BurnStages } from '../burn/stats.js';
import { shapeWarnings } from '../burn/warnings.js';
import { DTYPES, toPixel, type Pixel } from '../dtype.js';
import type { FeatureInput } from '../features/geojson.js';
import { fillDestination, type Destination, type WriteMethod } from '../io/node-destination.js';
import { TiledGeoTIFFWriter } from '../io/tiff/stream.js';
import type { TypedArray } from '../types.js';
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
  return {
    width, height, dtype, backend: 'cpu',
    features: counts.features,
    skipped: counts.skipped,
    shapes: shapes.count * p.passes,
    pixelsBurned,
    seconds: Math.round(performance.now() - input.t0) / 1000,
    stages: roundStages(stages),
    write: method,
    burnWarnings,
    streamed: { tiles: written.tiles, sparseTiles: written.sparseTiles, bytes: written.bytes, bigTiff: written.bigTiff },
  };
}

// the most a streamed file can take (every tile written, BigTIFF offsets): the free space an in-place write
// checks for before it starts
function streamedBound(width: number, height: number, bytes: number): number {
  const tiles = Math.ceil(width / STREAM_TILE) * Math.ceil(height / STREAM_TILE);
  return tiles * (STREAM_TILE * STREAM_TILE * bytes + 16) + (1 << 16);
}
