// The submitting side of `rasterburn --redis URL ... SRC OUT.vrt`: flattens the features once on the
// whole grid, writes each tile's share of them into the store, queues the job as a BullMQ flow (one
// child per tile with shapes, one assembling parent), follows it to the end and writes OUT as a VRT
// over the tiles (with -of COG, one COG assembled from them: node-cog.ts). Re-run with the same --job-id, it follows the job already queued instead.
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, posix, relative, resolve } from 'node:path';
import { resolveRequest } from '../burn/request.js';
import { loadShapesCrs, shapesOf } from '../burn/shapes.js';
import type { BurnStages } from '../burn/stats.js';
import type { CliArgs } from '../cli/args.js';
import type { OutputPlan } from '../cli/plan.js';
import type { ProgressBar } from '../cli/progress.js';
import { roundStages, same, type Summary } from '../cli/summary.js';
import { isBigDType, toPixel } from '../dtype.js';
import type { FeatureInput } from '../features/geojson.js';
import { parseCogOptions } from '../io/tiff/cog-options.js';
import { loadZstd } from '../io/tiff/zstd.js';
import { assembleCog } from './node-cog.js';
import { partitionShapes, subsetShapes } from './partition.js';
import { encodeShapes } from './shape-file.js';
import { JobStore } from './job-store.js';
import { openLocation, openStore } from './node-open-store.js';
import { isS3Url, splitS3Url } from './store.js';
import { checkTileSize, DEFAULT_TILE_SIZE, tileCount, tileRect, type TileJobSpec } from './tile-grid.js';
import { checkJobId, connectionFor, loadBullMQ, QUEUE_NAME, tileJobId, withTimeout } from './node-bullmq.js';
import type { AssembleResult, AssembleTaskData, TileTaskData } from './node-worker.js';
import { vrtXml } from './vrt.js';

export interface SubmitInput {
  args: CliArgs;
  source: FeatureInput;
  plan: OutputPlan;
  bar: ProgressBar;
  notice: (m: string) => void;
  t0: number;
  stages: BurnStages;
  /** -co warnings of an -of COG job go here */
  warnings?: string[];
  /** how often the job's progress is read, ms (default 500) */
  pollMs?: number;
}

export interface QueueSummary extends Summary {
  queue: { jobId: string; store: string; tiles: number; queued: number; written: number; empty: number; resumed: boolean; taskMs: number; burnMs: number; writeMs: number; gpuTiles: number };
}

/** How long the submitter keeps trying while Redis does not answer. */
const REDIS_PATIENCE_MS = 60_000;

/** The store's default folder: beside OUT, named after it (an s3:// OUT: the same prefix in its bucket). */
export function defaultStore(dst: string): string {
  const base = dst.replace(/\.(vrt|tiff?)$/i, '') + '.tiles';
  return isS3Url(base) ? base : resolve(base);
}

/**
 * How the VRT at `dst` names the tile `key` of `store`: relative to the VRT's folder where both are
 * in the same place (one file system, or one bucket with the tiles below the VRT's prefix: GDAL
 * resolves relativeToVRT names against /vsis3/ paths too), else the tile's GDAL name (a /vsis3/
 * path, or an absolute path).
 */
export function vrtTileName(dst: string, store: JobStore, key: string): { path: string; relative: boolean } {
  const gdal = store.store.gdalName(key);
  if (isS3Url(dst)) {
    const { bucket, key: dstKey } = splitS3Url(dst);
    const dir = `/vsis3/${bucket}/${posix.dirname(dstKey) === '.' ? '' : `${posix.dirname(dstKey)}/`}`;
    return gdal.startsWith(dir) ? { path: gdal.slice(dir.length), relative: true } : { path: gdal, relative: false };
  }
  if (gdal.startsWith('/vsis3/')) return { path: gdal, relative: false };
  const rel = relative(dirname(resolve(dst)), gdal);
  return isAbsolute(rel) ? { path: gdal, relative: false } : { path: rel, relative: true };
}

export async function submitTileJob(input: SubmitInput): Promise<QueueSummary> {
  const { args, source, plan: p, bar, notice, stages } = input;
  const redis = args.redis!;
  const mq = await loadBullMQ();
  const jobId = args.jobId !== undefined ? checkJobId(args.jobId) : `rb-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  if (isBigDType(p.dtype)) throw new Error(`the tile queue does not burn ${p.dtype} yet: run without --queue`);
  const tileSize = checkTileSize(args.tileSize ?? DEFAULT_TILE_SIZE);
  const given = args.store ?? defaultStore(args.dst);
  const storeRoot = isS3Url(given) ? given.replace(/\/+$/, '') : resolve(given);
  const store = new JobStore(openStore(storeRoot, '--store'), jobId);
  // an s3:// destination is checked (bucket, credentials) before anything is queued
  if (isS3Url(args.dst)) openLocation(args.dst);
  // -of COG: its -co read (and refused) before anything is queued; the submitter assembles OUT
  const cog = args.format?.toLowerCase() === 'cog' ? parseCogOptions(args.creationOptions, p.dtype, p.grid.width, p.grid.height) : undefined;
  if (cog) {
    input.warnings?.push(...cog.warnings);
    if (cog.options.compress === 'zstd') await loadZstd();
  } else if (args.creationOptions.length > 0) {
    // the VRT's tiles are written one way; never a -co that silently does nothing
    input.warnings?.push(`creation options ${args.creationOptions.join(' ')} are ignored: a tile job writes a VRT over uncompressed tiled GeoTIFFs; pass -of COG to assemble one file with them`);
  }
  const connection = connectionFor(redis);
  const queue = new mq.Queue(QUEUE_NAME, { connection });
  queue.on('error', () => { /* reported by the polling loop below */ });
  try {
    await withTimeout(queue.waitUntilReady(), 10_000, `cannot reach Redis at ${redis}`);
    let spec: TileJobSpec;
    let queued = 0;
    const existing = args.jobId !== undefined ? await mq.Job.fromId(queue, jobId) : undefined;
    const resumed = existing !== undefined;
    let features = 0, shapeCount = 0;
    if (resumed) {
      notice(`job ${jobId} is already queued: following it`);
      spec = await store.readSpec();
    } else {
      const t = performance.now();
      const request = resolveRequest(p.grid, { ...p.options, backend: undefined });
      await loadShapesCrs(source, request);
      const { shapes, modes, counts } = shapesOf(source, request);
      features = counts.features;
      shapeCount = shapes.count;
      spec = {
        version: 1, jobId,
        grid: { width: p.grid.width, height: p.grid.height, transform: [...p.grid.transform], crs: p.grid.crs },
        dtype: p.dtype, nodata: p.nodata, start: request.start as number,
        allTouched: modes.allTouched, merge: modes.merge, burnZ: modes.burnZ, passes: p.passes,
        tileSize,
        // a VRT reads a missing tile as nodata, else 0
        sparse: same(request.start, toPixel(p.dtype, p.nodata ?? 0)),
      };
      await store.create();
      const part = partitionShapes(shapes, spec);
      const children: Array<{ name: string; queueName: string; data: TileTaskData; opts: object }> = [];
      const total = tileCount(spec);
      for (let i = 0; i < total; i++) {
        const n = part.start[i + 1] - part.start[i];
        if (n > 0) await store.writeShapes(i, encodeShapes(subsetShapes(shapes, part.order.subarray(part.start[i], part.start[i + 1]))));
        if (n === 0 && spec.sparse) continue;
        children.push({
          name: 'tile', queueName: QUEUE_NAME,
          data: { store: storeRoot, jobId, index: i, hasShapes: n > 0 },
          opts: { jobId: tileJobId(jobId, i), attempts: 5, backoff: { type: 'exponential', delay: 2000 }, failParentOnFailure: true },
        });
      }
      await store.writeSpec(spec);
      stages.prepare += performance.now() - t;
      const flow = new mq.FlowProducer({ connection });
      try {
        const data: AssembleTaskData = { store: storeRoot, jobId };
        await flow.add({ name: 'assemble', queueName: QUEUE_NAME, data, opts: { jobId }, children });
      } finally {
        await flow.close();
      }
      queued = children.length;
      notice(`job ${jobId} queued: ${queued} of ${total} tiles to burn${queued < total ? ' (the others have nothing to burn)' : ''}; rerun with --job-id ${jobId} to follow it again`);
    }

    const tBurn = performance.now();
    const result = await follow(mq, queue, jobId, redis, bar, notice, input.pollMs ?? 500, () => store.isCancelled().catch(() => false));
    stages.burn += performance.now() - tBurn;

    const tWrite = performance.now();
    if (cog) {
      await assembleCog(spec, store, result.written, args.dst, cog.options, cog.overviews);
    } else {
      const out = openLocation(args.dst);
      const xml = vrtXml(spec, result.written, (i) => vrtTileName(args.dst, store, store.tileKey(tileRect(spec, i))));
      await out.store.put(out.key, [new TextEncoder().encode(xml)]);
    }
    stages.write += performance.now() - tWrite;
    return {
      width: spec.grid.width, height: spec.grid.height, dtype: spec.dtype, backend: (result.gpuTiles ?? 0) > 0 ? 'webgpu' : 'cpu',
      features, shapes: shapeCount, pixelsBurned: result.pixelsBurned,
      seconds: Math.round(performance.now() - input.t0) / 1000,
      stages: roundStages(stages),
      queue: { jobId, store: store.dir, tiles: result.tiles, queued, written: result.written.length, empty: result.empty, resumed, taskMs: result.taskMs, burnMs: result.burnMs, writeMs: result.writeMs, gpuTiles: result.gpuTiles ?? 0 },
    };
  } finally {
    await queue.close().catch(() => undefined);
  }
}

// polls the parent until it completes or fails; Redis outages are waited out for a while
async function follow(
  mq: typeof import('bullmq'), queue: import('bullmq').Queue, jobId: string, redis: string,
  bar: ProgressBar, notice: (m: string) => void, pollMs: number, cancelled: () => Promise<boolean>,
): Promise<AssembleResult> {
  let lostSince = 0;
  for (;;) {
    try {
      const parent = await mq.Job.fromId(queue, jobId);
      if (!parent) throw new GoneError(`job ${jobId} is no longer in Redis at ${redis} (was Redis restarted without persistence, or the job removed?): run the same command with --job-id ${jobId} to submit it again`);
      const state = await parent.getState();
      if (state === 'completed') {
        // read again: the job fetched above may predate its completion
        const done = await mq.Job.fromId(queue, jobId);
        if (done?.returnvalue) return done.returnvalue as AssembleResult;
        continue;
      }
      if (state === 'failed') throw new GoneError(await cancelled() ? `job ${jobId} was cancelled` : `job ${jobId} failed: ${parent.failedReason}`);
      const c = await parent.getDependenciesCount();
      const done = c.processed ?? 0, total = done + (c.unprocessed ?? 0) + (c.failed ?? 0) + (c.ignored ?? 0);
      bar.update({ fraction: total === 0 ? 1 : done / total, done, total });
      if (lostSince) notice(`Redis at ${redis} answers again`);
      lostSince = 0;
    } catch (e) {
      if (e instanceof GoneError) throw new Error(e.message);
      const t = performance.now();
      if (!lostSince) {
        lostSince = t;
        notice(`lost Redis at ${redis} (${(e as Error).message.split('\n')[0]}): retrying for ${REDIS_PATIENCE_MS / 1000} s`);
      } else if (t - lostSince > REDIS_PATIENCE_MS) {
        throw new Error(`Redis at ${redis} did not answer for ${REDIS_PATIENCE_MS / 1000} s; the job may still run: run the same command with --job-id ${jobId} to follow it`);
      }
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

class GoneError extends Error {}
