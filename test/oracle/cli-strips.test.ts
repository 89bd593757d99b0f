// A new uncompressed striped GeoTIFF is burned in bands of rows, each band written while the next burns
// (src/cli/strips.ts). Grids of several bands, with shapes across every band edge: every pixel as
// gdal_rasterize burns it, and the file byte for byte the one the whole-grid burn writes (--threads 2 burns
// the whole grid on the pool and writes it with toGeoTIFFParts).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRasters, run } from './gdal/oracle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
let DIR = '';
const P = (name: string) => join(DIR, name);

const W = 2600, H = 2100;
const SEED = 20261207;

// seeded shapes over the whole grid: rectangles, triangles, rings with holes, lines and points, many of
// them tall enough to cross a band edge (bands are 4 MiB: 201 to 1,613 rows here)
function source(seed: number): string {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const features: unknown[] = [];
  for (let i = 0; i < 1500; i++) {
    const x = rnd() * W, y = rnd() * H, w = 2 + rnd() * 60, h = 2 + rnd() * (i % 10 === 0 ? 900 : 120);
    const kind = i % 7;
    const properties = { id: i + 1, v: Math.round((rnd() * 2000 - 1000) * 100) / 100 };
    let geometry: unknown;
    if (kind === 0) geometry = { type: 'LineString', coordinates: [[x, y], [x + w, y + h], [x - w, y + h / 2]] };
    else if (kind === 1) geometry = { type: 'MultiPoint', coordinates: [[x, y], [x + 0.5, y + h]] };
    else if (kind === 2) geometry = { type: 'Polygon', coordinates: [[[x, y], [x + w, y + h / 3], [x + w / 2, y + h], [x, y]]] };
    else if (kind === 3) {
      const r = (a: number, b: number, c: number, d: number) => [[a, b], [c, b], [c, d], [a, d], [a, b]];
      geometry = { type: 'Polygon', coordinates: [r(x, y, x + w + 8, y + h + 8), r(x + 3, y + 3, x + w + 5, y + h + 5)] };
    } else {
      geometry = { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] };
    }
    features.push({ type: 'Feature', properties, geometry });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const GRID = ['-te', '0', '0', String(W), String(H), '-ts', String(W), String(H)];

const CASES: Array<{ name: string; args: string[] }> = [
  { name: 'Int32 from an attribute', args: ['-a', 'id', '-ot', 'Int32'] },
  { name: 'Float32, -init and nodata', args: ['-a', 'v', '-ot', 'Float32', '-init', '2.5', '-a_nodata', '-9'] },
  { name: 'Byte, -burn, all touched', args: ['-burn', '200', '-ot', 'Byte', '-at'] },
  { name: 'Int16, -add', args: ['-burn', '7', '-ot', 'Int16', '-add'] },
  { name: 'Int64 from an attribute', args: ['-a', 'id', '-ot', 'Int64'] },
  { name: 'UInt16, values clamped', args: ['-a', 'v', '-ot', 'UInt16'] },
];

beforeAll(() => {
  DIR = mkdtempSync(join(tmpdir(), 'rb-strips-'));
  writeFileSync(P('src.geojson'), source(SEED));
});
afterAll(() => { if (DIR) rmSync(DIR, { recursive: true, force: true }); });

describe(`the CLI's banded striped GeoTIFF (seed ${SEED})`, () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: GDAL\'s pixels, the whole-grid burn\'s bytes', async (_n, c, i) => {
    const banded = P(`b${i}.tif`), whole = P(`w${i}.tif`), theirs = P(`g${i}.tif`);
    const args = [...c.args, ...GRID, 'src.geojson'];
    const [b, w, g] = await Promise.all([
      run(process.execPath, [CLI, '-q', '--json', ...args, banded], { cwd: DIR }),
      run(process.execPath, [CLI, '-q', '--json', '--threads', '2', ...args, whole], { cwd: DIR }),
      run('gdal_rasterize', ['-q', ...args, theirs], { cwd: DIR }),
    ]);
    expect(b.rc, b.stderr).toBe(0);
    expect(w.rc, w.stderr).toBe(0);
    expect(g.rc, g.stderr).toBe(0);
    // the same warnings (if any), and the same count of pixels changed
    expect(b.stderr).toBe(w.stderr);
    const sb = JSON.parse(b.stdout), sw = JSON.parse(w.stdout);
    expect(sb.pixelsBurned).toBeGreaterThan(10_000);
    expect([sb.pixelsBurned, sb.shapes, sb.features, sb.write]).toEqual([sw.pixelsBurned, sw.shapes, sw.features, sw.write]);
    expect(Buffer.compare(readFileSync(banded), readFileSync(whole))).toBe(0);
    const [r] = compareRasters([{ a: theirs, b: banded }]);
    expect(r.a && !('error' in r.a), JSON.stringify(r.a)).toBe(true);
    expect([r.sizeSame, r.gtSame, r.typeSame, r.nodataSame]).toEqual([true, true, true, true]);
    expect(r.pixelDiffs ?? [], JSON.stringify(r.pixelDiffs?.[0]?.first[0])).toEqual([]);
  });

  it('replaces an existing file through a temp file, keeping its mode', async () => {
    const dst = P('existing.tif');
    writeFileSync(dst, 'old bytes', { mode: 0o640 });
    const o = await run(process.execPath, [CLI, '-q', '--json', '-burn', '1', '-ot', 'Byte', ...GRID, 'src.geojson', dst], { cwd: DIR });
    expect(o.rc, o.stderr).toBe(0);
    expect(JSON.parse(o.stdout).write).toBe('replaced');
    expect(statSync(dst).mode & 0o777).toBe(0o640);
    const [r] = compareRasters([{ a: dst }]);
    expect(r.a && !('error' in r.a) ? r.a.width : 0).toBe(W);
  });
});
