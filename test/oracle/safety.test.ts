// Safe with users' files: how the built CLI writes its output (through symlinks, keeping mode and owner, in place
// for hard links and unwritable folders, devices and inputs refused), that killed runs leave the old file or the
// complete new one and no temp file after the next run, that compressed destinations are updated or refused
// before writing, and that likely-wrong results are refused or warned about. Each behaviour GDAL also has is
// checked against gdal_rasterize 3.6.2 on the same files. Cases that only write files of their own run
// concurrently; the signal and kill tests, which time processes, run alone.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, chownSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync,
  statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/random.js';
import { compareRasters, gdalRasterizeAsync, makeRasters, PYTHON, run, type Proc } from './gdal/oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const STREAM_CLI = join(ROOT, 'test/oracle/safety/stream-cli.mjs');
const ROOT_USER = process.geteuid?.() === 0;
const NOBODY = 65534;

let DIR = '';
const P = (...names: string[]) => join(DIR, ...names);
const ours = (args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Proc> => run(process.execPath, [CLI, '-q', ...args], { env: opts.env ?? process.env });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));
const oneLine = (p: Proc) => expect(p.stderr.trimEnd().split('\n')).toHaveLength(1);

// one square in lon/lat, one in UTM 33N (no crs member: read as lon/lat)
const SQUARE = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { v: 3 }, geometry: { type: 'Polygon', coordinates: [[[1, 1], [6, 1], [6, 6], [1, 6], [1, 1]]] } }] };
const PROJECTED = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[500000, 4600000], [510000, 4600000], [510000, 4610000], [500000, 4600000]]] } }] };
const FIPS = { type: 'FeatureCollection', features: [72001, 72153, 1001].map((v, i) => ({ type: 'Feature', properties: { fips: v }, geometry: { type: 'Polygon', coordinates: [[[i * 3, 0], [i * 3 + 2, 0], [i * 3 + 2, 2], [i * 3, 2], [i * 3, 0]]] } })) };

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json)`);
  DIR = mkdtempSync(join(tmpdir(), 'rb-safety-'));
  // other users (the read-only-folder case) must reach it
  chmodSync(DIR, 0o755);
  writeFileSync(P('square.geojson'), JSON.stringify(SQUARE));
  writeFileSync(P('projected.geojson'), JSON.stringify(PROJECTED));
  writeFileSync(P('fips.geojson'), JSON.stringify(FIPS));
  makeRasters([
    { path: P('base.tif'), width: 10, height: 10, gt: [0, 1, 0, 10, 0, -1], srs: 'EPSG:4326', type: 'Byte', fill: 'ramp' },
    { path: P('utm.tif'), width: 30, height: 30, gt: [490000, 1000, 0, 4620000, 0, -1000], srs: 'EPSG:32633', type: 'Byte', fill: 0 },
    { path: P('nogeo.tif'), width: 8, height: 8, gt: null, type: 'Byte', fill: 0 },
    { path: P('deflate.tif'), width: 40, height: 40, gt: [0, 0.25, 0, 10, 0, -0.25], srs: 'EPSG:4326', type: 'UInt16', fill: 'ramp', co: ['COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'] },
  ]);
});

afterAll(() => {
  if (DIR) rmSync(DIR, { recursive: true, force: true });
});

// a fresh copy of a base raster for GDAL and one for us
function pair(base: string, name: string): [string, string] {
  const g = P(`${name}.gdal.tif`), o = P(`${name}.ours.tif`);
  copyFileSync(P(base), g);
  copyFileSync(P(base), o);
  return [g, o];
}

function samePixels(a: string, b: string): void {
  const [c] = compareRasters([{ a, b }]);
  expect(c.sizeSame && c.gtSame && c.typeSame, JSON.stringify(c)).toBe(true);
  expect(c.pixelDiffs ?? [], JSON.stringify(c.pixelDiffs)).toEqual([]);
}

describe.concurrent('the destination keeps its identity, as with GDAL', () => {
  it('a symlink is written through: the link stays a link and its target gets the pixels', async () => {
    const [g, o] = pair('base.tif', 'symlink');
    symlinkSync(g, P('gdal-link.tif'));
    symlinkSync(o, P('ours-link.tif'));
    expect((await gdalRasterizeAsync(['-q', '-burn', '7', P('square.geojson'), P('gdal-link.tif')])).rc).toBe(0);
    const r = await ours(['-burn', '7', '--json', P('square.geojson'), P('ours-link.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    expect(lstatSync(P('ours-link.tif')).isSymbolicLink()).toBe(true);
    expect(lstatSync(P('gdal-link.tif')).isSymbolicLink()).toBe(true);
    samePixels(g, o);
    expect(sha(g)).not.toBe(sha(P('base.tif')));
  });

  it('a dangling symlink names the file to create', async () => {
    symlinkSync(P('dangling-target.tif'), P('dangling.tif'));
    const r = await ours(['-burn', '1', '-tr', '1', '1', '-ot', 'Byte', P('square.geojson'), P('dangling.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    expect(lstatSync(P('dangling.tif')).isSymbolicLink()).toBe(true);
    expect(statSync(P('dangling-target.tif')).isFile()).toBe(true);
  });

  it('an updated file keeps its mode, owner and group (a 0600 file of another user stays so)', async () => {
    const [g, o] = pair('base.tif', 'mode');
    for (const f of [g, o]) {
      chmodSync(f, 0o600);
      if (ROOT_USER) chownSync(f, NOBODY, NOBODY);
    }
    expect((await gdalRasterizeAsync(['-q', '-burn', '7', P('square.geojson'), g])).rc).toBe(0);
    const r = await ours(['-burn', '7', '--json', P('square.geojson'), o]);
    expect(r.rc, r.stderr).toBe(0);
    const sg = statSync(g), so = statSync(o);
    expect(so.mode & 0o7777).toBe(0o600);
    expect([so.mode & 0o7777, so.uid, so.gid]).toEqual([sg.mode & 0o7777, sg.uid, sg.gid]);
    samePixels(g, o);
  });

  it.each(['base.tif', 'deflate.tif'])('a hard-linked file (%s) is updated in place: both names still share the new pixels', async (base) => {
    const [g, o] = pair(base, `hardlink-${base}`);
    linkSync(g, `${g}.other.tif`);
    linkSync(o, `${o}.other.tif`);
    expect((await gdalRasterizeAsync(['-q', '-burn', '9', P('square.geojson'), g])).rc).toBe(0);
    const r = await ours(['-burn', '9', '--json', P('square.geojson'), o]);
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).write).toBe('in-place');
    expect(statSync(o).ino).toBe(statSync(`${o}.other.tif`).ino);
    expect(statSync(o).nlink).toBe(2);
    expect(sha(o)).not.toBe(sha(P(base)));
    expect(statSync(g).nlink).toBe(2);
    samePixels(g, `${o}.other.tif`);
  });

  it('an ordinary update replaces the file atomically and says so', async () => {
    const [, o] = pair('base.tif', 'plain');
    const r = await ours(['-burn', '9', '--json', P('square.geojson'), o]);
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).write).toBe('replaced');
    expect(temps(DIR).filter((n) => n.includes('plain'))).toEqual([]);
  });

  it.skipIf(!ROOT_USER)('a writable file in a read-only folder is updated in place, as GDAL does', async () => {
    mkdirSync(P('ro'));
    const [g, o] = [P('ro', 'gdal.tif'), P('ro', 'ours.tif')];
    copyFileSync(P('base.tif'), g);
    copyFileSync(P('base.tif'), o);
    for (const f of [g, o]) { chmodSync(f, 0o666); chownSync(f, NOBODY, NOBODY); }
    chmodSync(P('ro'), 0o555);
    // as nobody, who may write the files but not the folder
    const as = (cmd: string, args: string[]) => run('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', cmd, ...args], { env: process.env });
    const rg = await as('gdal_rasterize', ['-q', '-burn', '4', P('square.geojson'), g]);
    expect(rg.rc, rg.stderr).toBe(0);
    const r = await as(process.execPath, [CLI, '-q', '--json', '-burn', '4', P('square.geojson'), o]);
    expect(r.rc, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).write).toBe('in-place');
    samePixels(g, o);
    expect(temps(P('ro'))).toEqual([]);
  });

  it('a FIFO, a socket and a directory are refused with one line, before anything is read or written', async () => {
    spawnSync('mkfifo', [P('fifo.tif')]);
    const server = createServer();
    await new Promise<void>((ok) => server.listen(P('sock.tif'), ok));
    mkdirSync(P('adir.tif'));
    try {
      for (const [name, kind] of [['fifo.tif', 'a FIFO'], ['sock.tif', 'a socket'], ['adir.tif', 'a directory']]) {
        const r = await ours(['-burn', '1', '-tr', '1', '1', P('square.geojson'), P(name)]);
        expect(r.rc, name).toBe(1);
        oneLine(r);
        expect(r.stderr).toContain(`it is ${kind}, not a regular file`);
      }
      expect(lstatSync(P('fifo.tif')).isFIFO()).toBe(true);
      expect(temps(DIR).filter((n) => /fifo|sock|adir/.test(n))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('an output that is one of the inputs is refused by identity, not by spelling', async () => {
    const before = sha(P('square.geojson'));
    linkSync(P('square.geojson'), P('square-link.geojson'));
    for (const dst of [P('square.geojson'), join(DIR, '.', 'square.geojson'), P('square-link.geojson')]) {
      const r = await ours(['-burn', '1', '-tr', '1', '1', '-of', 'GTiff', P('square.geojson'), dst]);
      expect(r.rc).toBe(1);
      oneLine(r);
      expect(r.stderr).toMatch(/it is the source .*square\.geojson; choose another output/);
    }
    expect(sha(P('square.geojson'))).toBe(before);
    copyFileSync(P('base.tif'), P('tmpl.tif'));
    const t = await ours(['-burn', '1', '--template', P('tmpl.tif'), P('square.geojson'), P('tmpl.tif')]);
    expect(t.rc).toBe(1);
    expect(t.stderr).toMatch(/it is the template .*tmpl\.tif/);
    expect(sha(P('tmpl.tif'))).toBe(sha(P('base.tif')));
  });
});

describe('temp files', () => {
  // the name a process of this host with `pid` gives its temp file (src/io/node-temp.ts)
  const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  const tempOf = (name: string, pid: number) => `.${name}.rasterburn-${host}-${pid}-0123456789ab.tmp`;

  it("the next run in a folder removes a dead process's leftovers, and only those", async () => {
    mkdirSync(P('stale'));
    const dead = spawnSync('true').pid as number;
    const leftovers = { dead: tempOf('x.tif', dead), live: tempOf('x.tif', process.pid), foreign: '.x.tif.0123456789ab.tmp', otherHost: `.x.tif.rasterburn-00000000-${dead}-0123456789ab.tmp` };
    for (const n of Object.values(leftovers)) writeFileSync(P('stale', n), 'partial');
    const r = await ours(['-burn', '1', '-tr', '1', '1', P('square.geojson'), P('stale', 'out.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    expect(temps(P('stale')).sort()).toEqual([leftovers.live, leftovers.foreign, leftovers.otherHost].sort());
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s while writing removes the temp file and leaves the old destination', async (signal) => {
    const dir = P(`sig-${signal}`);
    mkdirSync(dir);
    const dst = join(dir, 'out.tif');
    copyFileSync(P('base.tif'), dst);
    const before = sha(dst);
    // a big enough output that its write takes a while: the signal is sent once the temp file appears
    const child = spawn(process.execPath, [CLI, '-q', '-burn', '1', '-tr', '0.004', '0.004', '-te', '0', '0', '8', '8', P('square.geojson'), dst], { stdio: 'ignore' });
    const exited = new Promise<[number | null, string | null]>((ok) => child.on('exit', (c, s) => ok([c, s])));
    let sent = false;
    for (let k = 0; k < 3000 && !sent && child.exitCode === null; k++) {
      if (temps(dir).length) { child.kill(signal); sent = true; } else await new Promise((ok) => setTimeout(ok, 2));
    }
    const [code, sig] = await exited;
    // a 32 MB write takes far longer than the 2 ms between looks
    expect(sent, 'the temp file was seen').toBe(true);
    expect(code === 0, `exit ${code} ${sig}`).toBe(false);
    expect(sig ?? code).toBe(signal);
    expect(sha(dst)).toBe(before);
    expect(temps(dir)).toEqual([]);
  });
});

describe('killed at random moments (SIGKILL, 20 runs, seeded)', () => {
  const SEED = Number(process.env.SAFETY_SEED ?? 20261206);
  // enough pixels that encoding and writing take a good part of a run
  const GRID = ['-tr', '0.005', '0.005', '-te', '0', '0', '8', '8'];
  interface Case { name: string; cmd: string[]; dst: string; old?: string }
  const cases = (): Case[] => [
    { name: 'in-memory, new file', cmd: [CLI, '-q', '-burn', '1', ...GRID, P('square.geojson')], dst: P('kill', 'new.tif') },
    { name: 'in-memory, update', cmd: [CLI, '-q', '-burn', '5', P('square.geojson')], dst: P('kill', 'update.tif'), old: P('kill', 'update.old.tif') },
    { name: 'streaming, new file', cmd: [STREAM_CLI, '-q', '-burn', '1', '-init', '2', ...GRID, P('square.geojson')], dst: P('kill', 'stream.tif') },
    { name: 'in-memory, .npy', cmd: [CLI, '-q', '-burn', '1', ...GRID, P('square.geojson')], dst: P('kill', 'new.npy') },
  ];

  it('the destination is always the old file or the complete new one; the next run leaves no temp file', async () => {
    mkdirSync(P('kill'));
    const random = mulberry32(SEED);
    const list = cases();
    // the old file to update: a Float64 raster the size of the grid
    const big = await ours(['-burn', '0', ...GRID, P('square.geojson'), list[1].old as string]);
    expect(big.rc, big.stderr).toBe(0);
    // each case's complete output and how long a whole run takes
    const reference = new Map<string, { sha: string; ms: number }>();
    for (const c of list) {
      if (c.old) copyFileSync(c.old, c.dst);
      const r = await run(process.execPath, [...c.cmd, c.dst], { env: process.env });
      expect(r.rc, `${c.name}: ${r.stderr}`).toBe(0);
      reference.set(c.name, { sha: sha(c.dst), ms: r.ms });
    }
    let leftovers = 0;
    const log: string[] = [];
    for (let k = 0; k < 20; k++) {
      const c = list[k % list.length];
      const ref = reference.get(c.name) as { sha: string; ms: number };
      if (c.old) copyFileSync(c.old, c.dst);
      const before = existsSync(c.dst) ? sha(c.dst) : null;
      // even runs: any moment of the run; odd runs: a moment of the write, once the temp file is there
      const whileWriting = k % 2 === 1;
      const delay = Math.floor(random() * (whileWriting ? 5 : ref.ms * 1.1));
      const child = spawn(process.execPath, [...c.cmd, c.dst], { stdio: 'ignore' });
      const exited = new Promise<[number | null, string | null]>((ok) => child.on('exit', (cd, s) => ok([cd, s])));
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (!whileWriting) timer = setTimeout(() => child.kill('SIGKILL'), delay);
      else {
        while (child.exitCode === null && child.signalCode === null && !temps(P('kill')).length) await new Promise((ok) => setTimeout(ok, 1));
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
      }
      const [code, sig] = await exited;
      clearTimeout(timer);
      const now = existsSync(c.dst) ? sha(c.dst) : null;
      leftovers += temps(P('kill')).length;
      log.push(`${c.name} ${whileWriting ? 'writing ' : ''}+${delay}ms: ${sig ?? code}`);
      expect([before, ref.sha], `seed ${SEED} run ${k} (${c.name}, killed after ${delay} ms)`).toContain(now);
    }
    // kills during the write leave temp files: the check below is not vacuous
    expect(leftovers, `seed ${SEED}: no kill left a temp file; ${log.join('; ')}`).toBeGreaterThan(0);
    // the next complete run removes what the killed ones left
    const r = await run(process.execPath, [...list[0].cmd, list[0].dst], { env: process.env });
    expect(r.rc, r.stderr).toBe(0);
    expect(temps(P('kill')), `seed ${SEED}; ${leftovers} temp files were seen after kills; ${log.join('; ')}`).toEqual([]);
  }, 120_000);
});

describe.concurrent('compressed destinations: updated in place or refused before writing', () => {
  it('a ZSTD file with metadata, a colour table, a band description and overviews keeps them all, as GDAL does', async () => {
    const program = `
import sys
from osgeo import gdal
ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 10, 10, 1, gdal.GDT_Byte, ['COMPRESS=ZSTD', 'PREDICTOR=2'])
ds.SetGeoTransform([0, 1, 0, 10, 0, -1])
ds.SetMetadataItem('AUTHOR', 'someone')
b = ds.GetRasterBand(1)
b.SetDescription('classes')
ct = gdal.ColorTable()
for k in range(256): ct.SetColorEntry(k, (k, 255 - k, 0, 255))
b.SetColorTable(ct)
b.Fill(2)
ds.BuildOverviews('NEAREST', [2])
ds = None
`;
    expect(spawnSync(PYTHON, ['-c', program, P('zstd.tif')]).status).toBe(0);
    const [g, o] = pair('zstd.tif', 'zstd');
    expect((await gdalRasterizeAsync(['-q', '-burn', '7', P('square.geojson'), g])).rc).toBe(0);
    // GDAL leaves the overview stale; rasterburn rebuilds it as gdaladdo -r nearest does
    expect(spawnSync('gdaladdo', ['-q', '-r', 'nearest', g, '2']).status).toBe(0);
    const r = await ours(['-burn', '7', P('square.geojson'), o]);
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .* has 1 overview level: band 1's were rebuilt from the new pixels with nearest resampling/);
    samePixels(g, o);
    const describe = `
import sys, json
from osgeo import gdal
out = []
for p in sys.argv[1:]:
    ds = gdal.Open(p); b = ds.GetRasterBand(1); ct = b.GetColorTable()
    out.append([ds.GetMetadata(), ds.GetMetadata('IMAGE_STRUCTURE'), b.GetDescription(), ct.GetCount() if ct else None, ct.GetColorEntry(3) if ct else None, b.GetOverviewCount(), b.GetOverview(0).Checksum()])
print(json.dumps(out))
`;
    const d = spawnSync(PYTHON, ['-c', describe, g, o], { encoding: 'utf8' });
    const [dg, dO] = JSON.parse(d.stdout);
    expect(dO).toEqual(dg);
    expect(dO[0].AUTHOR).toBe('someone');
    expect(dO[1].COMPRESSION).toBe('ZSTD');
  });

  it('a LERC file is refused before anything is written, naming the compression and --rewrite', async () => {
    makeRasters([{ path: P('lerc.tif'), width: 10, height: 10, gt: [0, 1, 0, 10, 0, -1], type: 'Byte', fill: 1, co: ['COMPRESS=LERC'], metadata: { AUTHOR: 'someone' } }]);
    const before = sha(P('lerc.tif'));
    const r = await ours(['-burn', '7', P('square.geojson'), P('lerc.tif')]);
    expect(r.rc).toBe(1);
    oneLine(r);
    expect(r.stderr).toMatch(/cannot update .*lerc\.tif: it has LERC compression, which rasterburn cannot re-encode, so nothing was written; pass --rewrite/);
    expect(sha(P('lerc.tif'))).toBe(before);
    expect(temps(DIR).filter((n) => n.includes('lerc'))).toEqual([]);
  });
});

describe.concurrent('likely-wrong results', () => {
  it('projected GeoJSON without a crs member: an error and nothing burned (GDAL reports PROJ errors and burns nothing)', async () => {
    const [g, o] = pair('utm.tif', 'projected');
    const rg = await gdalRasterizeAsync(['-burn', '1', P('projected.geojson'), g]);
    expect(rg.stderr).toMatch(/PROJ/);
    samePixels(g, P('utm.tif'));
    const before = sha(o);
    const r = await ours(['-burn', '1', P('projected.geojson'), o]);
    expect(r.rc).toBe(1);
    oneLine(r);
    expect(r.stderr).toMatch(/no "crs" member.*EPSG:32633.*\[500000, 4600000\].*nothing was burned.*--src-crs/);
    expect(sha(o)).toBe(before);
    // naming the CRS burns it where GDAL burns it when the GeoJSON names it
    const named = { ...PROJECTED, crs: { type: 'name', properties: { name: 'EPSG:32633' } } };
    writeFileSync(P('projected-named.geojson'), JSON.stringify(named));
    expect((await gdalRasterizeAsync(['-q', '-burn', '1', P('projected-named.geojson'), g])).rc).toBe(0);
    const ok = await ours(['-burn', '1', '--src-crs', 'EPSG:32633', P('projected.geojson'), o]);
    expect(ok.rc, ok.stderr).toBe(0);
    samePixels(g, o);
  });

  it('without reprojection (a grid with no CRS) such coordinates are simply burned, as GDAL does', async () => {
    const args = ['-burn', '1', '-ot', 'Byte', '-ts', '20', '20', '-te', '495000', '4595000', '515000', '4615000'];
    expect((await gdalRasterizeAsync(['-q', ...args, P('projected.geojson'), P('nocrs.gdal.tif')])).rc).toBe(0);
    const r = await ours([...args, P('projected.geojson'), P('nocrs.ours.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    samePixels(P('nocrs.gdal.tif'), P('nocrs.ours.tif'));
  });

  it('no feature meeting the grid: GDAL\'s pixels, and a warning naming both extents (stderr and --json)', async () => {
    const args = ['-burn', '1', '-ot', 'Byte', '-tr', '1', '1', '-te', '100', '100', '110', '110'];
    expect((await gdalRasterizeAsync(['-q', ...args, P('square.geojson'), P('far.gdal.tif')])).rc).toBe(0);
    const r = await run(process.execPath, [CLI, '--json', ...args, P('square.geojson'), P('far.ours.tif')], { env: process.env });
    expect(r.rc, r.stderr).toBe(0);
    samePixels(P('far.gdal.tif'), P('far.ours.tif'));
    const line = 'no feature meets the grid: the features lie in 1 1 6 6, the grid covers 100 100 110 110 (in EPSG:4326); nothing was burned';
    expect(r.stderr).toBe(`rasterburn: warning: ${line}\n`);
    expect(JSON.parse(r.stdout).warnings).toEqual([line]);
  });

  it('values the type clamps: GDAL\'s pixels, and how many, their range and a type that holds them', async () => {
    const args = ['-a', 'fips', '-ot', 'UInt16', '-tr', '1', '1', '-te', '0', '0', '9', '3'];
    expect((await gdalRasterizeAsync(['-q', ...args, P('fips.geojson'), P('fips.gdal.tif')])).rc).toBe(0);
    const r = await ours([...args, P('fips.geojson'), P('fips.ours.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    samePixels(P('fips.gdal.tif'), P('fips.ours.tif'));
    expect(r.stderr).toBe("rasterburn: warning: 2 features have a value of attribute fips that does not fit UInt16: 2 clamped to UInt16's range 0 to 65535; the values range over 1001 to 72153; Int32 holds them (-ot Int32, dtype 'int32')\n");
    const fits = await ours(['-a', 'fips', '-ot', 'Int32', '-tr', '1', '1', '-te', '0', '0', '9', '3', P('fips.geojson'), P('fips32.ours.tif')]);
    expect(fits.stderr).toBe('');
  });

  it('a template without georeferencing: GDAL\'s pixels, and a warning', async () => {
    const args = ['-burn', '1', '-ot', 'Byte'];
    const r = await ours([...args, '--template', P('nogeo.tif'), P('square.geojson'), P('nogeo.ours.tif')]);
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^rasterburn: warning: template .*nogeo\.tif has no georeferencing: its grid is taken as pixel coordinates[^\n]*\n$/);
    // GDAL burns into such a raster in the same pixel coordinates
    copyFileSync(P('nogeo.tif'), P('nogeo.gdal.tif'));
    expect((await gdalRasterizeAsync(['-q', '-burn', '1', P('square.geojson'), P('nogeo.gdal.tif')])).rc).toBe(0);
    const [c] = compareRasters([{ a: P('nogeo.gdal.tif'), b: P('nogeo.ours.tif') }]);
    expect(c.pixelDiffs ?? []).toEqual([]);
  });
});
