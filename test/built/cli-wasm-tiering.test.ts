// The built CLI compiles sql.js's WebAssembly with Liftoff only when it reads a GeoPackage (V8's trace of
// wasm compiles shows no TurboFan function), RASTERBURN_WASM_TIERUP=1 restores V8's default, and the
// pixels are the same either way (diff-formats.test.ts compares them with gdal_rasterize's).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/rasterburn.mjs');
const dir = mkdtempSync(join(tmpdir(), 'rb-wasm-tiering-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function squares(n: number): string {
  const features = [];
  for (let i = 0; i < n; i++) {
    const x = (i % 20) * 5 + 0.3, y = Math.floor(i / 20) * 5 + 0.7;
    features.push({ type: 'Feature', properties: { v: i + 1 }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 3.4, y], [x + 3.4, y + 2.9], [x, y + 2.9], [x, y]]] } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function burn(src: string, out: string, env: Record<string, string> = {}): { trace: string; tif: Buffer } {
  const r = spawnSync(process.execPath, ['--trace-wasm-compilation-times', CLI, '-q', '-a', 'v', '-te', '0', '0', '100', '100', '-ts', '200', '200', '-ot', 'Int32', src, out], {
    encoding: 'utf8', env: { ...process.env, RASTERBURN_WASM_TIERUP: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return { trace: r.stdout + r.stderr, tif: readFileSync(out) };
}

describe('the CLI and sql.js WebAssembly tiering', () => {
  const geojson = join(dir, 'squares.geojson');
  const gpkg = join(dir, 'squares.gpkg');
  writeFileSync(geojson, squares(400));
  execFileSync('ogr2ogr', ['-f', 'GPKG', gpkg, geojson]);

  it('reads a GeoPackage with Liftoff code only, the same pixels as with tier-up', () => {
    const lift = burn(gpkg, join(dir, 'lift.tif'));
    expect(lift.trace, 'sql.js compiled in this run').toMatch(/using Liftoff/);
    expect(lift.trace).not.toMatch(/using TurboFan/);
    const tier = burn(gpkg, join(dir, 'tier.tif'), { RASTERBURN_WASM_TIERUP: '1' });
    expect(tier.trace).toMatch(/using Liftoff/);
    expect(lift.tif.equals(tier.tif)).toBe(true);
    const fromJson = burn(geojson, join(dir, 'json.tif'));
    expect(fromJson.trace, 'a GeoJSON run compiles no WebAssembly').not.toMatch(/using Liftoff/);
  });
});
