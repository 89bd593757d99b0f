// Tile jobs whose store and output are on an S3-compatible server (s3rver on a loopback port, the
// AWS_* settings GDAL's /vsis3/ reads pointing at it), and tile jobs burned by GPU workers (Dawn;
// SwiftShader here). A worker is killed with SIGKILL while it holds a tile of the S3 job; the VRT on
// S3 must open in GDAL (gdal_translate of /vsis3/...) and equal the single-machine run, an -of COG
// job written to S3 must be its single-machine file byte for byte, and the GPU workers' output must
// equal the CPU workers' and the single-machine run's. Seeded features: the seed is printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBullMQ, QUEUE_NAME } from '../../src/queue/node-bullmq.js';
import { S3Store } from '../../src/queue/store-s3.js';
import { s3ConfigFromEnv } from '../../src/queue/store-s3-config.js';
import { compareRasters, GDAL_ENV, run } from './gdal/oracle.js';
import { CLI, features, freePort, killWhileHolding, ROOT, spawnWorker, until, type WorkerProc } from './queue-helpers.js';

// s3rver in a process of its own: compareRasters (spawnSync) blocks this one while GDAL reads from it
function startS3(port: number, dir: string): Promise<ChildProcess> {
  const script = `import S3rver from 's3rver';
    await new S3rver({ port: ${port}, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(dir)}, configureBuckets: [{ name: '${BUCKET}', configs: [] }] }).run();
    console.log('ready');`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    p.stdout!.setEncoding('utf8').on('data', (d: string) => { if (d.includes('ready')) done(p); });
    p.on('exit', (rc) => fail(new Error(`s3rver exited (${rc})`)));
  });
}

const SEED = Number(process.env.QUEUE_SEED ?? 20261207);
const BUCKET = 'rb-jobs';
let DIR = '';
let REDIS = '';
let redis: ChildProcess | null = null;
let s3: ChildProcess | null = null;
let ENV: NodeJS.ProcessEnv = {};
const workers: WorkerProc[] = [];

const alive = (w: WorkerProc) => w.proc.exitCode === null && w.proc.signalCode === null;
const cli = (args: string[], timeoutMs = 150_000) => run(process.execPath, [CLI, ...args], { timeoutMs, env: ENV });
const bucket = () => new S3Store(BUCKET, '', s3ConfigFromEnv(ENV, 'the test bucket'));
const grid = ['-te', '0', '0', '60', '40', '-tr', '0.01', '0.01'];

describe('tile jobs with an S3 store, and on GPU workers', () => {
  beforeAll(async () => {
    console.log(`queue S3/GPU test seed: ${SEED} (QUEUE_SEED=${SEED} repeats it)`);
    DIR = mkdtempSync(join(tmpdir(), 'rb-queue-s3-'));
    writeFileSync(join(DIR, 'src.geojson'), features(SEED));
    const [redisPort, s3Port] = [await freePort(), await freePort()];
    REDIS = `redis://127.0.0.1:${redisPort}`;
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', DIR, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    s3 = await startS3(s3Port, join(DIR, 's3'));
    // what a user sets for GDAL's /vsis3/ against such a server: rasterburn, its workers and GDAL read the same
    const aws = {
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_S3_ENDPOINT: `127.0.0.1:${s3Port}`,
      AWS_HTTPS: 'NO', AWS_VIRTUAL_HOSTING: 'FALSE', AWS_REGION: 'us-east-1',
    };
    ENV = { ...GDAL_ENV, ...aws };
    Object.assign(GDAL_ENV, aws);
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(['--redis', REDIS, '--lock-seconds', '3'], ENV));
    await until('the workers', () => workers.every((w) => w.lines.some((s) => s.includes('waiting for tiles'))), 30_000);
  });

  afterAll(async () => {
    for (const w of workers) if (alive(w)) w.proc.kill('SIGKILL');
    redis?.kill('SIGTERM');
    s3?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    if (DIR) rmSync(DIR, { recursive: true, force: true });
  });

  it('a job stored on S3 and written there completes after a worker is killed, GDAL opens its VRT through /vsis3/, pixels equal the single-machine run', async () => {
    const args = ['-a', 'v', '-ot', 'Byte', ...grid];
    const single = await cli([...args, '-q', join(DIR, 'src.geojson'), join(DIR, 'single.tif')]);
    expect(single.rc, single.stderr).toBe(0);
    // the default store: s3://rb-jobs/out/job.tiles beside the VRT, whose tiles it names relatively
    const submit = cli(['--redis', REDIS, '--tile-size', '1024', '--job-id', 's3-kill', '--json', '-q', ...args, join(DIR, 'src.geojson'), `s3://${BUCKET}/out/job.vrt`]);
    const mq = await loadBullMQ();
    const q = new mq.Queue(QUEUE_NAME, { connection: { url: REDIS } });
    try {
      let victim = -1;
      await until('a finished tile', () => (victim = workers.findIndex((w) => w.lines.some((s) => / written, /.test(s)))) >= 0, 60_000);
      const held = await killWhileHolding(q, workers[victim].proc);
      expect(held, 'the killed worker held a tile').toHaveLength(1);
      const r = await submit;
      expect(r.rc, r.stderr).toBe(0);
      const { queue } = JSON.parse(r.stdout.trim());
      expect(queue).toMatchObject({ tiles: 24, store: `s3://${BUCKET}/out/job.tiles/s3-kill`, gpuTiles: 0 });
      const parent = await mq.Job.fromId(q, 's3-kill');
      expect(await parent!.getDependenciesCount()).toMatchObject({ processed: queue.queued, unprocessed: 0, failed: 0 });
      const taken = await mq.Job.fromId(q, held[0]);
      expect(await taken!.getState()).toBe('completed');
    } finally {
      await q.close();
    }

    const vrt = new TextDecoder().decode(await bucket().get('out/job.vrt'));
    expect(vrt).toContain('<SourceFilename relativeToVRT="1">job.tiles/s3-kill/tiles/r0-c0.tif</SourceFilename>');
    const info = await run('gdalinfo', [`/vsis3/${BUCKET}/out/job.vrt`]);
    expect(info.rc, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/Size is 6000, 4000/);
    // GDAL reads every tile from the server: the whole VRT, and the job's own VRT in the store
    for (const [name, path] of [['out', `/vsis3/${BUCKET}/out/job.vrt`], ['store', `/vsis3/${BUCKET}/out/job.tiles/s3-kill/s3-kill.vrt`]]) {
      const t = await run('gdal_translate', ['-q', path, join(DIR, `from-s3-${name}.tif`)]);
      expect(t.rc, t.stderr).toBe(0);
      const [same] = compareRasters([{ a: join(DIR, `from-s3-${name}.tif`), b: join(DIR, 'single.tif') }]);
      expect(same, name).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });
    }
    // a store elsewhere: the VRT names its tiles by /vsis3/ path
    const r2 = await cli(['--redis', REDIS, '--tile-size', '2048', '--store', `s3://${BUCKET}/stores`, '-q', ...args, join(DIR, 'src.geojson'), `s3://${BUCKET}/out/elsewhere.vrt`]);
    expect(r2.rc, r2.stderr).toBe(0);
    expect(new TextDecoder().decode(await bucket().get('out/elsewhere.vrt'))).toMatch(new RegExp(`<SourceFilename relativeToVRT="0">/vsis3/${BUCKET}/stores/[^<]+/tiles/r0-c0.tif</SourceFilename>`));
    const [same2] = compareRasters([{ a: `/vsis3/${BUCKET}/out/elsewhere.vrt`, b: join(DIR, 'single.tif') }]);
    expect(same2).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });
  }, 300_000);

  it('-of COG to S3: the single-machine COG byte for byte', async () => {
    workers.push(spawnWorker(['--redis', REDIS, '--lock-seconds', '3'], ENV));
    const args = ['-a', 'v', '-ot', 'UInt16', '-a_nodata', '0', '-te', '-30', '-20', '60', '40', '-tr', '0.015', '0.015', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'OVERVIEWS=NONE'];
    const single = await cli([...args, '-q', join(DIR, 'src.geojson'), join(DIR, 'single-cog.tif')]);
    expect(single.rc, single.stderr).toBe(0);
    const r = await cli(['--redis', REDIS, '--tile-size', '768', '--json', '-q', ...args, join(DIR, 'src.geojson'), `s3://${BUCKET}/cog/out.tif`]);
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim()).queue.empty).toBeGreaterThan(0);
    const bytes = await bucket().get('cog/out.tif');
    expect(Buffer.from(bytes).equals(readFileSync(join(DIR, 'single-cog.tif')))).toBe(true);
  });

  it('GPU workers (--backend webgpu) give the CPU workers\' and the single-machine pixels; --backend auto leaves a software adapter alone', async () => {
    for (const w of workers) if (alive(w)) w.proc.kill('SIGTERM');
    await until('the CPU workers to stop', () => workers.every((w) => !alive(w)), 30_000);
    const auto = spawnWorker(['--redis', REDIS, '--backend', 'auto'], ENV);
    workers.push(auto);
    await until('the auto worker', () => auto.lines.some((s) => s.includes('waiting for tiles')), 60_000);
    const software = auto.lines.some((s) => s.includes('is a software rasterizer'));
    auto.proc.kill('SIGTERM');
    await until('the auto worker to stop', () => !alive(auto), 30_000);
    if (software) expect(auto.lines.find((s) => s.includes('waiting for tiles'))).toMatch(/, CPU\)$/);

    const gpu = [spawnWorker(['--redis', REDIS, '--backend', 'webgpu'], ENV), spawnWorker(['--redis', REDIS, '--backend', 'webgpu'], ENV)];
    workers.push(...gpu);
    await until('the GPU workers', () => gpu.every((w) => w.lines.some((s) => s.includes('waiting for tiles'))), 60_000);
    expect(gpu[0].lines.find((s) => s.includes('waiting for tiles'))).toMatch(/(GPU|software adapter): /);

    // the first test's job again, now on the GPU: equal to the CPU workers' output on S3 and to the single-machine run
    const r = await cli(['--redis', REDIS, '--tile-size', '1024', '--store', join(DIR, 'gpu-store'), '--json', '-q', '-a', 'v', '-ot', 'Byte', ...grid, join(DIR, 'src.geojson'), join(DIR, 'gpu.vrt')]);
    expect(r.rc, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim());
    expect(s.backend).toBe('webgpu');
    expect(s.queue.gpuTiles).toBe(s.queue.queued);
    const [vsCpu, vsSingle] = compareRasters([{ a: join(DIR, 'gpu.vrt'), b: `/vsis3/${BUCKET}/out/job.vrt` }, { a: join(DIR, 'gpu.vrt'), b: join(DIR, 'single.tif') }]);
    expect(vsCpu).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });
    expect(vsSingle).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, pixelDiffs: [] });

    // merge 'add' with all-touched into Int16 (the GPU's integer sums), another tile size
    const add = ['-at', '-add', '-burn', '3', '-ot', 'Int16', '-a_nodata', '-9', '-init', '-9', ...grid];
    const single = await cli([...add, '-q', join(DIR, 'src.geojson'), join(DIR, 'single-add.tif')]);
    expect(single.rc, single.stderr).toBe(0);
    const r2 = await cli(['--redis', REDIS, '--tile-size', '1536', '--json', '-q', ...add, join(DIR, 'src.geojson'), join(DIR, 'gpu-add.vrt')]);
    expect(r2.rc, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout.trim()).queue.gpuTiles).toBeGreaterThan(0);
    const [addSame] = compareRasters([{ a: join(DIR, 'gpu-add.vrt'), b: join(DIR, 'single-add.tif') }]);
    expect(addSame).toMatchObject({ sizeSame: true, gtSame: true, typeSame: true, nodataSame: true, pixelDiffs: [] });
    // SwiftShader burns in software: minutes on a loaded machine
  }, 600_000);

  it('refuses, in one line, an S3 store without credentials and an unknown worker backend', async () => {
    const { AWS_ACCESS_KEY_ID: _, ...noKey } = ENV;
    const r = await run(process.execPath, [CLI, '--redis', REDIS, '-burn', '1', ...grid, join(DIR, 'src.geojson'), `s3://${BUCKET}/x.vrt`], { env: noKey });
    expect(r.rc).toBe(1);
    expect(r.stderr.trim()).toMatch(/^rasterburn: --store s3:\/\/rb-jobs\/x\.tiles is on S3 but AWS_ACCESS_KEY_ID is not set: /);
    const w = await run(process.execPath, [CLI, 'worker', '--redis', REDIS, '--backend', 'metal']);
    expect(w.rc).toBe(1);
    expect(w.stderr.trim()).toBe("rasterburn: --backend must be cpu, webgpu or auto, got 'metal'");
  });
});
