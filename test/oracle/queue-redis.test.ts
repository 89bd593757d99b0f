// The tile queue for real: a redis-server on a free loopback port, three `rasterburn worker` processes
// of the built CLI, one of them killed with SIGKILL while it holds a tile. The job must still complete,
// every tile done once (no tile lost, none left half-written), and the VRT must equal, pixel for pixel,
// the single-machine run of the same arguments and gdal_rasterize on a crop. A second job survives a
// Redis restart (append-only file on) mid-job; a third assembles one COG (-of COG); a fourth is cancelled. Seeded features: the seed is printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectGeoTIFF } from '../../src/io/tiff/layout.js';
import { loadBullMQ, QUEUE_NAME, tileJobId } from '../../src/queue/node-bullmq.js';
import { compareRasters, PYTHON, run } from './gdal/oracle.js';
import { CLI, features, freePort, killWhileHolding, spawnWorker, until } from './queue-helpers.js';

const SEED = Number(process.env.QUEUE_SEED ?? 20261206);
let DIR = '';
let URL_ = '';
let redis: ChildProcess | null = null;
let PORT = 0;
const workers: ChildProcess[] = [];
const logs: string[][] = [];

function startRedis(): void {
  redis = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--dir', DIR, '--save', '', '--appendonly', 'yes'], { stdio: 'ignore' });
}

function startWorker(): number {
  const k = workers.length;
  const w = spawnWorker(['--redis', URL_, '--lock-seconds', '3']);
  logs[k] = w.lines;
  workers.push(w.proc);
  return k;
}

describe('tile jobs on BullMQ/Redis with several worker processes', () => {
  beforeAll(async () => {
    console.log(`queue test seed: ${SEED} (QUEUE_SEED=${SEED} repeats it)`);
    DIR = mkdtempSync(join(tmpdir(), 'rb-queue-'));
    writeFileSync(join(DIR, 'src.geojson'), features(SEED));
    PORT = await freePort();
    URL_ = `redis://127.0.0.1:${PORT}`;
    startRedis();
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 3; i++) startWorker();
    await until('the workers', () => logs.every((l) => l.some((s) => s.includes('waiting for tiles'))), 30_000);
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    redis?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    if (DIR) rmSync(DIR, { recursive: true, force: true });
  });

  const grid = ['-te', '0', '0', '60', '40', '-tr', '0.01', '0.01'];

  it('completes after a worker is killed mid-job, each tile done once, equal to the single-machine run and to gdal_rasterize', async () => {
    const args = ['-a', 'v', '-ot', 'Byte', ...grid];
    const single = run(process.execPath, [CLI, ...args, '-q', join(DIR, 'src.geojson'), join(DIR, 'single.tif')], { timeoutMs: 120_000 });
    const submit = run(process.execPath, [CLI, '--redis', URL_, '--tile-size', '1024', '--job-id', 'kill-test', '--json', '-q', '-co', 'COMPRESS=DEFLATE', ...args, join(DIR, 'src.geojson'), join(DIR, 'out.vrt')], { timeoutMs: 150_000 });
    // once a worker has finished a tile, kill it while it holds its next one (BullMQ records who holds a task)
    const mq = await loadBullMQ();
    const q = new mq.Queue(QUEUE_NAME, { connection: { url: URL_ } });
    try {
      let victim = -1;
      await until('a finished tile', () => (victim = logs.findIndex((l) => l.some((s) => / written, /.test(s)))) >= 0, 60_000);
      const held = await killWhileHolding(q, workers[victim]);
      expect(held, 'the killed worker held a tile').toHaveLength(1);
      const r = await submit;
      expect(r.rc, r.stderr).toBe(0);
      // a -co the VRT's tiles cannot honour is said, never silently dropped
      expect(r.stderr).toMatch(/^rasterburn: warning: creation options COMPRESS=DEFLATE are ignored: a tile job writes a VRT over uncompressed tiled GeoTIFFs; pass -of COG/m);
      const { queue } = JSON.parse(r.stdout.trim());
      expect(queue.tiles).toBe(24);

      // every queued tile done once; the killed worker's tile was taken over and completed
      const parent = await mq.Job.fromId(q, 'kill-test');
      expect(await parent!.getDependenciesCount()).toMatchObject({ processed: queue.queued, unprocessed: 0, failed: 0 });
      const taken = await mq.Job.fromId(q, held[0]);
      expect(taken!.attemptsStarted + taken!.stalledCounter).toBeGreaterThanOrEqual(2);
      expect(await taken!.getState()).toBe('completed');
      expect(held[0].startsWith(tileJobId('kill-test', 0).slice(0, -1))).toBe(true);
      // no tile written twice or left half-written: the files are exactly the tiles written
      const files = readdirSync(join(queue.store, 'tiles'));
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(files.length).toBe(queue.written);
    } finally {
      await q.close();
    }

    const s = await single;
    expect(s.rc, s.stderr).toBe(0);
    const [same] = compareRasters([{ a: join(DIR, 'out.vrt'), b: join(DIR, 'single.tif') }]);
    expect(same).toMatchObject({ sizeSame: true, gtSame: true, srsSame: true, typeSame: true, nodataSame: true, pixelDiffs: [] });

    // gdal_rasterize on a crop across four tiles (pixels 900..2300 x 600..1700), against the VRT's crop
    const te = ['9', String(40 - 17), '23', String(40 - 6)];
    const g = await run('gdal_rasterize', ['-q', '-a', 'v', '-ot', 'Byte', '-te', ...te, '-tr', '0.01', '0.01', join(DIR, 'src.geojson'), join(DIR, 'gdal-crop.tif')]);
    expect(g.rc, g.stderr).toBe(0);
    const c = await run('gdal_translate', ['-q', '-srcwin', '900', '600', '1400', '1100', join(DIR, 'out.vrt'), join(DIR, 'vrt-crop.tif')]);
    expect(c.rc, c.stderr).toBe(0);
    const [crop] = compareRasters([{ a: join(DIR, 'vrt-crop.tif'), b: join(DIR, 'gdal-crop.tif') }]);
    expect(crop).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });
  });

  it('survives a Redis restart mid-job and gives the single-machine pixels for another tile size and burn mode (-at -add, Int16 with nodata)', async () => {
    // a fresh worker in place of the killed one
    startWorker();
    const args = ['-at', '-add', '-burn', '3', '-ot', 'Int16', '-a_nodata', '-9', '-init', '-9', ...grid];
    const single = run(process.execPath, [CLI, ...args, '-q', join(DIR, 'src.geojson'), join(DIR, 'single2.tif')], { timeoutMs: 120_000 });
    mkdirSync(join(DIR, 'sub'));
    let finished = false;
    const submit = run(process.execPath, [CLI, '--redis', URL_, '--tile-size', '768', '--job-id', 'restart-test', '--store', join(DIR, 'store2'), '--json', ...args, join(DIR, 'src.geojson'), join(DIR, 'sub', 'out2.vrt')], { timeoutMs: 150_000 })
      .then((p) => { finished = true; return p; });
    await until('a tile of the second job', () => logs.some((l) => l.some((s) => s.includes('job restart-test tile'))), 60_000);
    expect(finished).toBe(false);
    const old = redis!;
    const exited = new Promise((r) => old.once('exit', r));
    old.kill('SIGTERM');
    await exited;
    await new Promise((r) => setTimeout(r, 1000));
    startRedis();
    const r = await submit;
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim()).queue.tiles).toBe(8 * 6);
    const s = await single;
    expect(s.rc, s.stderr).toBe(0);
    const [same] = compareRasters([{ a: join(DIR, 'sub', 'out2.vrt'), b: join(DIR, 'single2.tif') }]);
    expect(same).toMatchObject({ sizeSame: true, gtSame: true, srsSame: true, typeSame: true, nodataSame: true, pixelDiffs: [] });
  });

  it('assembles one COG with -of COG: the single-machine -of COG file, GDAL-valid, blocks cut across tiles, overviews included', async () => {
    // 768-pixel tiles under 512-pixel COG blocks: most blocks take rows and columns from several tiles;
    // the grid reaches west of the features, so the tiles there are empty and never written. Without
    // OVERVIEWS=NONE the COG gets GDAL's default overviews (CUBIC, pixel rule G11), as on one machine
    for (const [name, extra, levels] of [['none', ['-co', 'OVERVIEWS=NONE'], 0], ['cubic', [], 4]] as const) {
      const args = ['-a', 'v', '-ot', 'UInt16', '-a_nodata', '0', '-te', '-30', '-20', '60', '40', '-tr', '0.015', '0.015', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', ...extra];
      const single = await run(process.execPath, [CLI, ...args, '-q', join(DIR, 'src.geojson'), join(DIR, `single-cog-${name}.tif`)], { timeoutMs: 120_000 });
      expect(single.rc, single.stderr).toBe(0);
      const r = await run(process.execPath, [CLI, '--redis', URL_, '--tile-size', '768', '--store', join(DIR, `store-cog-${name}`), '--json', ...args, join(DIR, 'src.geojson'), join(DIR, `out-cog-${name}.tif`)], { timeoutMs: 150_000 });
      expect(r.rc, r.stderr).toBe(0);
      expect(r.stderr, name).not.toMatch(/overviews/);
      const q = JSON.parse(r.stdout.trim()).queue;
      expect(q.tiles).toBe(8 * 6);
      expect(q.empty).toBeGreaterThan(0);
      const [same] = compareRasters([{ a: join(DIR, `out-cog-${name}.tif`), b: join(DIR, `single-cog-${name}.tif`) }]);
      expect(same).toMatchObject({ sizeSame: true, gtSame: true, srsSame: true, typeSame: true, nodataSame: true, pixelDiffs: [] });
      const out = readFileSync(join(DIR, `out-cog-${name}.tif`));
      expect(inspectGeoTIFF(new Uint8Array(out)).overviews, name).toBe(levels);
      expect(out.equals(readFileSync(join(DIR, `single-cog-${name}.tif`))), name).toBe(true);
      const v = await run(PYTHON, ['-m', 'osgeo_utils.samples.validate_cloud_optimized_geotiff', join(DIR, `out-cog-${name}.tif`)]);
      expect(v.stdout).toMatch(/is a valid cloud optimized GeoTIFF/);
      expect(readdirSync(DIR).filter((n) => n.includes(`out-cog-${name}`) && n !== `out-cog-${name}.tif`)).toEqual([]);
    }
  }, 480_000);

  it('cancels a queued job: its tiles are not burned, its submitter says so, status shows it', async () => {
    // the workers frozen, nothing can run before the cancel
    const alive = workers.filter((w) => w.exitCode === null && w.signalCode === null);
    for (const w of alive) w.kill('SIGSTOP');
    let err = '';
    const submit = new Promise<{ rc: number | null }>((done) => {
      const p = spawn(process.execPath, [CLI, '--redis', URL_, '--tile-size', '256', '--job-id', 'cancel-test', '-burn', '1', ...grid, join(DIR, 'src.geojson'), join(DIR, 'cancelled.vrt')], { stdio: ['ignore', 'ignore', 'pipe'] });
      p.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
      p.on('close', (rc) => done({ rc }));
    });
    try {
      await until('the job queued', () => err.includes('job cancel-test queued'), 60_000);
      const c = await run(process.execPath, [CLI, 'job', '--redis', URL_, 'cancel', 'cancel-test']);
      expect(c.rc, c.stderr).toBe(0);
      expect(JSON.parse(c.stdout)).toMatchObject({ jobId: 'cancel-test', state: 'cancelling', tilesDone: 0 });
    } finally {
      for (const w of alive) w.kill('SIGCONT');
    }
    const r = await submit;
    expect(r.rc).toBe(1);
    expect(err.trim().split('\n').pop()).toBe('rasterburn: job cancel-test was cancelled');
    const st = await run(process.execPath, [CLI, 'job', '--redis', URL_, 'status', 'cancel-test']);
    expect(JSON.parse(st.stdout)).toMatchObject({ state: 'failed', tilesDone: 0 });
    expect(readdirSync(join(DIR, 'cancelled.tiles', 'cancel-test', 'tiles'))).toEqual([]);
  });

  it('refuses a bad command line in one line, before touching Redis', async () => {
    const r = await run(process.execPath, [CLI, '--redis', URL_, '-burn', '1', ...grid, join(DIR, 'src.geojson'), join(DIR, 'out.tif')]);
    expect(r.rc).toBe(1);
    expect(r.stderr.trim()).toMatch(/^rasterburn: --redis writes a VRT over the tiles \(or one COG with -of COG\): name the destination \.vrt/);
    const c = await run(process.execPath, [CLI, '--redis', URL_, '-burn', '1', ...grid, '-of', 'COG', join(DIR, 'src.geojson'), join(DIR, 'out.vrt')]);
    expect(c.rc).toBe(1);
    expect(c.stderr.trim()).toMatch(/^rasterburn: --redis -of COG writes one GeoTIFF: name the destination \.tif, got '[^\n]*'$/);
    const w = await run(process.execPath, [CLI, 'worker']);
    expect(w.rc).toBe(1);
    expect(w.stderr.trim().split('\n')).toHaveLength(1);
  });
});
