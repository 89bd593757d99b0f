// The CLI's path for gdal_rasterize's default output: a new uncompressed, striped, one-band GeoTIFF burned on
// the CPU. Its head (header, IFD, strip offsets) is known before a pixel is burned and its pixels follow it
// row after row, so the grid is burned in bands of rows and each band is written at its place in the file
// while the next one burns: the write (on libuv's threads) copies into the page cache beside the burn
// instead of after it, and the grid's 200 MB of fresh memory (W1: 50,000 first-touch page faults) is never
// allocated; two bands are. The file is byte for byte toGeoTIFFParts' for the whole grid.
// A job big enough for the burn's threads is burned whole on them as before (src/burn/burn.ts).
import { now } from '../abort.js';
import { burnInBands } from '../burn/banded.js';
import { burn } from '../burn/burn.js';
import { prepareJob } from '../burn/job.js';
import { resolveRequest } from '../burn/request.js';
import { loadShapesCrs, shapesOf } from '../burn/shapes.js';
import { worthThreads } from '../burn/pool.js';
import type { BurnStages } from '../burn/stats.js';
import { nodataWarning, shapeWarnings } from '../burn/warnings.js';
import { DTYPES, type Pixel } from '../dtype.js';
import type { FeatureInput } from '../features/geojson.js';
import { LITTLE_ENDIAN_HOST } from '../io/endian.js';
import { fillDestination, writeDestination, writeMethodFor, type Destination } from '../io/node-destination.js';
import { encodeHead, toGeoTIFFParts, type GeoTIFFWriteOptions } from '../io/tiff/write.js';
import type { DType, TypedArray } from '../types.js';
import type { CliArgs } from './args.js';
import type { OutputPlan } from './plan.js';
import type { ProgressBar } from './progress.js';
import { roundStages, same, type Summary } from './summary.js';
import type { Threads } from './threads.js';

// a band's bytes: small enough that two stay in the CPU's last-level cache's neighbourhood and the first
// write starts early, big enough that the shapes crossing a band's edge (burned once per band they meet)
// and the per-band turn of the event loop stay a few percent (W1: 48 bands of 209 rows)
const BAND_BYTES = 4 << 20;

export interface StripsInput {
  args: CliArgs;
  dest: Destination;
  source: FeatureInput;
  plan: OutputPlan;
  bar: ProgressBar;
  t0: number;
  /** the run's stages so far (read, parse); prepare, burn and write are added here */
  stages: BurnStages;
  /** -co's options, which stripsApply() accepted */
  creation: GeoTIFFWriteOptions;
  threads: Threads;
}

export interface StripsSummary extends Summary {
  /** likely-wrong result warnings (src/burn/warnings.ts) */
  burnWarnings: string[];
}

/**
 * Whether a new GeoTIFF with these options is written by burnStrips: one band, uncompressed strips in the
 * host's byte order, the CPU backend, and a destination that is created or replaced through a temp file
 * (an in-place rewrite would damage the destination if the burn failed half-way).
 */
export function stripsApply(creation: GeoTIFFWriteOptions, dtype: DType, backend: string, dest: Destination): boolean {
  return backend === 'cpu' && (creation.compress ?? 'none') === 'none' && !creation.sparse && (creation.layout ?? 'strips') === 'strips'
    && (creation.samples ?? 1) === 1 && (LITTLE_ENDIAN_HOST || DTYPES[dtype].bytes === 1) && writeMethodFor(dest) !== 'in-place';
}

/** Burns the plan's grid and writes it as a striped GeoTIFF at args.dst (see the file's comment). */
export async function burnStrips(input: StripsInput): Promise<StripsSummary> {
  const { args, source, plan: p, bar, stages, creation, threads } = input;
  const { width, height } = p.grid;
  const dtype = p.dtype;
  const tPrepare = now();
  const request = resolveRequest(p.grid, p.options);
  await loadShapesCrs(source, request);
  const flat = shapesOf(source, request);
  const { shapes, modes, counts, attribute } = flat;
  const burnWarnings = [...(counts.warnings ?? []), ...shapeWarnings(shapes, { grid: p.grid, dtype, burnZ: modes.burnZ, merge: modes.merge, attribute }),
    ...[nodataWarning(dtype, request.nodata)].filter((w): w is string => w !== null)];
  stages.prepare += now() - tPrepare;
  const raster = { width, height, dtype, transform: [...p.grid.transform] as typeof p.grid.transform, crs: p.grid.crs, nodata: p.nodata };
  const head = encodeHead(raster, creation);
  const start = request.start;
  let pixelsBurned = 0;
  const summary = (write: Summary['write']): StripsSummary => ({
    width, height, dtype, backend: 'cpu', features: counts.features, skipped: counts.skipped, shapes: shapes.count * p.passes,
    pixelsBurned, seconds: Math.round(performance.now() - input.t0) / 1000, stages: roundStages(stages), write, burnWarnings,
  });

  const pool = threads.options;
  if (pool && (pool.force || (pool.worth ?? worthThreads)(width * height, shapes.x.length))) {
    // the whole grid on the burn's threads, shapes flattened once for every pass
    let data: TypedArray | undefined;
    for (let pass = 0; pass < p.passes; pass++) {
      const req = { ...request, onProgress: (q: Parameters<ProgressBar['update']>[0]) => bar.update(q), into: data };
      const result = await burn(prepareJob(source, req, pool, flat));
      stages.burn += result.stats.stages.burn;
      data = result.data;
    }
    bar.clear();
    if (args.json) pixelsBurned = countChanged(data!, start);
    const tWrite = now();
    const method = await writeDestination(input.dest, toGeoTIFFParts({ ...raster, data: data! }, creation));
    stages.write += now() - tWrite;
    return summary(method);
  }

  const rowBytes = width * DTYPES[dtype].bytes;
  const rows = Math.max(1, Math.min(height, Math.floor(BAND_BYTES / rowBytes)));
  const method = await fillDestination(input.dest, async (sink) => {
    // the write of the band before: its array is burned again once that write is done
    let last: Promise<void> | null = null;
    const settle = async (w: Promise<void> | null): Promise<void> => {
      if (!w) return;
      const t = now();
      await w;
      stages.write += now() - t;
    };
    try {
      await settle(sink.write(head.head, 0));
      for await (const band of burnInBands({ request, shapes, modes, stages }, rows, width, p.passes, { buffers: 2, track: false })) {
        const n = (band.y1 - band.y0) * width;
        if (args.json) pixelsBurned += countChanged(band.data.subarray(0, n), start);
        const d = band.data;
        const w = sink.write(new Uint8Array(d.buffer, d.byteOffset, n * d.BYTES_PER_ELEMENT), head.offsets[0] + band.y0 * rowBytes);
        // failures are taken when awaited below; until then they must not count as unhandled
        w.catch(() => undefined);
        bar.update({ fraction: band.y1 / height, done: band.shapesDone, total: shapes.count });
        await settle(last);
        last = w;
      }
      await settle(last);
      last = null;
    } finally {
      // nothing may still write into the file when it is closed and removed
      if (last) await (last as Promise<void>).catch(() => undefined);
    }
  }, head.total);
  bar.clear();
  return summary(method);
}

// pixels that differ from the start value
function countChanged(data: TypedArray, start: Pixel): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!same(data[i], start)) n++;
  return n;
}
