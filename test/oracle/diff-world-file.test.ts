// -co TFW=YES against the real gdal_rasterize: the world file beside the GeoTIFF, compared byte for byte with
// GDAL's on grids of awkward sizes and origins, the raster's pixels with it; GDAL's warning for a value that
// is not a boolean; -of COG (GDAL's COG driver has no TFW option: a warning, no world file); an existing
// raster (-co makes gdal_rasterize create the file anew, so TFW needs -tr/-ts there too); and the write's
// safety (a symlink written through, no output at all when the world file cannot be written).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type Feature } from './gdal/harness.js';
import { compareRasters, GDAL_ENV } from './gdal/oracle.js';
import { fixed10 } from '../../src/io/tiff/world-file.js';

const F = (coordinates: number[][][], v: number): Feature => ({ type: 'Feature', properties: { v }, geometry: { type: 'Polygon', coordinates } });

interface Run { rc: number | null; stderr: string }
const gdal = (args: string[], cwd: string): Run => {
  const r = spawnSync('gdal_rasterize', ['-q', ...args], { cwd, env: GDAL_ENV, encoding: 'utf8' });
  return { rc: r.status, stderr: r.stderr };
};
const ours = (args: string[], cwd: string): Run => {
  const r = spawnSync(process.execPath, [CLI, '-q', ...args], { cwd, encoding: 'utf8' });
  return { rc: r.status, stderr: r.stderr };
};
const warningsOf = (r: Run, tool: 'gdal' | 'ours'): string[] => tool === 'gdal'
  ? r.stderr.split('\n').filter((l) => /^Warning \d+: /.test(l)).map((l) => l.replace(/^Warning \d+: /, ''))
  : r.stderr.split('\n').filter((l) => l.startsWith('rasterburn: warning: ')).map((l) => l.slice('rasterburn: warning: '.length));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rasterburn-tfw-'));
  // a UTM-sized layer and a small one around the origin, where half a pixel crosses zero
  writeFileSync(join(dir, 'utm.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
    F([[[500000.123, 4649776.22482], [500321.77, 4649776.22482], [500321.77, 4650012.5], [500000.123, 4650012.5], [500000.123, 4649776.22482]]], 3),
    F([[[500100, 4649800], [500200, 4649800], [500150, 4649990], [500100, 4649800]]], 9),
  ] }));
  writeFileSync(join(dir, 'small.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
    F([[[-0.35, -0.15], [6, 0], [6, 6], [0, 6], [-0.35, -0.15]]], 1),
    F([[[3, 3], [9, 3], [9, 9], [3, 9], [3, 3]]], 2),
  ] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-co TFW=YES against gdal_rasterize', () => {
  const grids: [string, string[]][] = [
    ['utm.geojson', ['-tr', '0.7', '0.3']],
    ['utm.geojson', ['-tr', '1.1', '2.3', '-tap']],
    ['utm.geojson', ['-ts', '317', '211']],
    ['small.geojson', ['-tr', '0.7', '0.3']],
    ['small.geojson', ['-te', '-1', '-1', '1', '1', '-tr', '0.00048828125', '0.0009765625']],
    ['small.geojson', ['-te', '-3.3', '-2.2', '9.9', '10.1', '-ts', '33', '7']],
  ];
  it('writes the world file GDAL writes, byte for byte, beside the same pixels', () => {
    const pairs: { a: string; b: string }[] = [];
    grids.forEach(([src, grid], i) => {
      for (const co of [['TFW=YES'], ['tfw=on', 'COMPRESS=DEFLATE', 'TILED=YES']]) {
        const args = ['-a', 'v', ...grid, ...co.flatMap((c) => ['-co', c]), src];
        const name = `${i}-${co.length}`;
        const g = gdal([...args, `g${name}.tif`], dir);
        const o = ours([...args, `o${name}.tif`], dir);
        expect(g.rc, g.stderr).toBe(0);
        expect(o.rc, o.stderr).toBe(0);
        expect(o.stderr, args.join(' ')).toBe('');
        const text = readFileSync(join(dir, `g${name}.tfw`), 'utf8');
        expect(text.split('\n')).toHaveLength(7);
        expect(readFileSync(join(dir, `o${name}.tfw`), 'utf8'), args.join(' ')).toBe(text);
        pairs.push({ a: join(dir, `g${name}.tif`), b: join(dir, `o${name}.tif`) });
      }
    });
    for (const c of compareRasters(pairs)) {
      expect(c.sizeSame && c.gtSame && c.typeSame && c.nodataSame, JSON.stringify(c)).toBe(true);
      expect(c.pixelDiffs?.every((d) => d.count === 0), JSON.stringify(c.pixelDiffs)).toBe(true);
    }
  }, 120_000);

  it('names the world file as GDAL does, and writes none for TFW=NO', () => {
    mkdirSync(join(dir, 'names'));
    for (const dst of ['noext', 'x.y.TIF', 'sub.dir/plain']) {
      mkdirSync(join(dir, 'names', 'g', dst, '..'), { recursive: true });
      mkdirSync(join(dir, 'names', 'o', dst, '..'), { recursive: true });
      expect(gdal(['-burn', '1', '-tr', '1', '1', '-co', 'TFW=YES', '../utm.geojson', `g/${dst}`], join(dir, 'names')).rc).toBe(0);
      expect(ours(['-burn', '1', '-tr', '1', '1', '-co', 'TFW=YES', '../utm.geojson', `o/${dst}`], join(dir, 'names')).rc).toBe(0);
    }
    const list = (d: string): string[] => spawnSync('find', ['.', '-type', 'f'], { cwd: d, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    expect(list(join(dir, 'names', 'o'))).toEqual(list(join(dir, 'names', 'g')));
    expect(list(join(dir, 'names', 'g'))).toContain('./x.y.tfw');
    for (const v of ['NO', 'off']) {
      expect(gdal(['-burn', '1', '-tr', '1', '1', '-co', `TFW=${v}`, 'utm.geojson', 'gno.tif'], dir).rc).toBe(0);
      expect(ours(['-burn', '1', '-tr', '1', '1', '-co', `TFW=${v}`, 'utm.geojson', 'ono.tif'], dir).rc).toBe(0);
      expect(existsSync(join(dir, 'gno.tfw'))).toBe(false);
      expect(existsSync(join(dir, 'ono.tfw'))).toBe(false);
    }
  }, 60_000);

  it("warns in GDAL's words for a value that is not a boolean, and writes the file (GDAL reads it as true)", () => {
    const args = ['-burn', '1', '-tr', '2', '2', '-co', 'TFW=MAYBE', 'utm.geojson'];
    const g = gdal([...args, 'gm.tif'], dir);
    const o = ours([...args, 'om.tif'], dir);
    expect(warningsOf(o, 'ours')).toEqual(warningsOf(g, 'gdal'));
    expect(warningsOf(g, 'gdal')).toEqual(["'MAYBE' is an unexpected value for TFW creation option of type boolean."]);
    expect(readFileSync(join(dir, 'om.tfw'), 'utf8')).toBe(readFileSync(join(dir, 'gm.tfw'), 'utf8'));
  }, 60_000);

  it("-of COG: GDAL's COG driver has no TFW option, so a warning and no world file", () => {
    // gdal_rasterize 3.6 cannot write COG at all; gdal_translate -of COG is GDAL's COG writer
    expect(gdal(['-burn', '1', '-tr', '2', '2', 'utm.geojson', 'gsrc.tif'], dir).rc).toBe(0);
    const t = spawnSync('gdal_translate', ['-q', '-of', 'COG', '-co', 'TFW=YES', 'gsrc.tif', 'gcog.tif'], { cwd: dir, env: GDAL_ENV, encoding: 'utf8' });
    expect(t.status).toBe(0);
    const o = ours(['-burn', '1', '-tr', '2', '2', '-of', 'COG', '-co', 'TFW=YES', 'utm.geojson', 'ocog.tif'], dir);
    expect(o.rc).toBe(0);
    expect(warningsOf(o, 'ours')).toEqual(warningsOf({ rc: t.status, stderr: t.stderr }, 'gdal'));
    expect(warningsOf(o, 'ours')).toEqual(['driver COG does not support creation option TFW']);
    expect(existsSync(join(dir, 'gcog.tfw'))).toBe(false);
    expect(existsSync(join(dir, 'ocog.tfw'))).toBe(false);
  }, 60_000);

  it('an existing raster: -co makes the file new, so both need -tr/-ts, and with them both write it anew with its world file', () => {
    for (const who of ['g', 'o'] as const) expect(gdal(['-burn', '5', '-tr', '3', '3', 'utm.geojson', `${who}upd.tif`], dir).rc).toBe(0);
    const g = gdal(['-burn', '1', '-co', 'TFW=YES', 'utm.geojson', 'gupd.tif'], dir);
    const o = ours(['-burn', '1', '-co', 'TFW=YES', 'utm.geojson', 'oupd.tif'], dir);
    expect(g.rc).not.toBe(0);
    expect(o.rc).toBe(g.rc);
    expect(existsSync(join(dir, 'gupd.tfw')) || existsSync(join(dir, 'oupd.tfw'))).toBe(false);
    expect(gdal(['-burn', '1', '-tr', '0.9', '0.9', '-co', 'TFW=YES', 'utm.geojson', 'gupd.tif'], dir).rc).toBe(0);
    expect(ours(['-burn', '1', '-tr', '0.9', '0.9', '-co', 'TFW=YES', 'utm.geojson', 'oupd.tif'], dir).rc).toBe(0);
    expect(readFileSync(join(dir, 'oupd.tfw'), 'utf8')).toBe(readFileSync(join(dir, 'gupd.tfw'), 'utf8'));
    const [c] = compareRasters([{ a: join(dir, 'gupd.tif'), b: join(dir, 'oupd.tif') }]);
    expect(c.sizeSame && c.gtSame && c.pixelDiffs?.every((d) => d.count === 0), JSON.stringify(c)).toBe(true);
  }, 60_000);

  it('writes through a symlinked world file, and refuses before any output when the world file cannot be written', () => {
    writeFileSync(join(dir, 'target.txt'), 'old');
    symlinkSync('target.txt', join(dir, 'olink.tfw'));
    expect(ours(['-burn', '1', '-tr', '2', '2', '-co', 'TFW=YES', 'utm.geojson', 'olink.tif'], dir).rc).toBe(0);
    expect(lstatSync(join(dir, 'olink.tfw')).isSymbolicLink()).toBe(true);
    expect(gdal(['-burn', '1', '-tr', '2', '2', '-co', 'TFW=YES', 'utm.geojson', 'glink.tif'], dir).rc).toBe(0);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe(readFileSync(join(dir, 'glink.tfw'), 'utf8'));
    // GDAL writes the raster and silently no world file; rasterburn says so before writing anything
    mkdirSync(join(dir, 'odir.tfw'));
    const o = ours(['-burn', '1', '-tr', '2', '2', '-co', 'TFW=YES', 'utm.geojson', 'odir.tif'], dir);
    expect(o.rc).toBe(1);
    expect(o.stderr.trim().split('\n')).toHaveLength(1);
    expect(o.stderr).toMatch(/odir\.tfw.*directory/);
    expect(existsSync(join(dir, 'odir.tif'))).toBe(false);
  }, 60_000);
});

describe("the world file's numbers", () => {
  it("prints as C's %.10f, ties to even, -0 signed", () => {
    const r = spawnSync('/usr/bin/python3', ['-c', 'import json,sys\nprint(json.dumps([("%.10f" % float(v)) for v in json.load(sys.stdin)]))'], {
      input: JSON.stringify([0.7, 1 / 2048, 3 / 2048, -5 / 2048, 0.1 + 0.2, 4649776.22482, 1e22, 5e-11, -1e-12, 123456.00000000005].map(String)), encoding: 'utf8',
    });
    const want = JSON.parse(r.stdout) as string[];
    expect([0.7, 1 / 2048, 3 / 2048, -5 / 2048, 0.1 + 0.2, 4649776.22482, 1e22, 5e-11, -1e-12, 123456.00000000005].map(fixed10)).toEqual(want);
    expect(fixed10(-0)).toBe('-0.0000000000');
  });
});
