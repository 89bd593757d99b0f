// FlatGeobuf and GeoParquet read from a URL with HTTP range requests: a bbox covering 1% of the data
// set's extent must fetch well under 10% of the file's bytes (counted by a local server), and give
// exactly the features a full read filtered by the same bbox gives, in the same order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFeatures } from '../../src/index.js';
import { geoParquetBytes } from '../formats/geoparquet-writer.js';
import { GDAL_ENV } from './gdal/oracle.js';

const work = mkdtempSync(join(tmpdir(), 'rasterburn-http-'));
const served = new Map<string, number>();
let server: Server;
let base = '';

// 40,000 squares on a 2,000 x 2,000 extent, in 100 x 100 blocks (as a spatially sorted file has them)
const N = 200;
const features: { type: 'Feature'; properties: { id: number }; geometry: { type: 'Polygon'; coordinates: number[][][] } }[] = [];
for (let by = 0; by < 20; by++) for (let bx = 0; bx < 20; bx++) for (let k = 0; k < 100; k++) {
  const x = bx * 100 + (k % 10) * 10 + 1, y = by * 100 + Math.floor(k / 10) * 10 + 1;
  features.push({ type: 'Feature', properties: { id: features.length }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 8, y], [x + 8, y + 8], [x, y + 8], [x, y]]] } });
}
// 1% of the extent's area
const bbox: [number, number, number, number] = [730, 1130, 930, 1330];
const expected = features.filter((f) => { const [x, y] = f.geometry.coordinates[0][0]; return x <= bbox[2] && x + 8 >= bbox[0] && y <= bbox[3] && y + 8 >= bbox[1]; }).map((f) => f.properties.id);

beforeAll(async () => {
  writeFileSync(join(work, 'squares.geojson'), JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } }, features }));
  execFileSync('ogr2ogr', ['-f', 'FlatGeobuf', 'squares.fgb', 'squares.geojson'], { cwd: work, env: GDAL_ENV });
  writeFileSync(join(work, 'squares.parquet'), geoParquetBytes(features, { crs: 'EPSG:32633', covering: true, rowGroupSize: 500 }));
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    let body: Buffer;
    try {
      body = readFileSync(join(work, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let part = body;
    if (range) {
      const s = Number(range[1]), e = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      part = body.subarray(s, e + 1);
      res.writeHead(206, { 'Content-Range': `bytes ${s}-${e}/${body.length}`, 'Content-Length': part.length, 'Accept-Ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    }
    if (req.method === 'HEAD') { res.end(); return; }
    served.set(name, (served.get(name) ?? 0) + part.length);
    res.end(part);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 60_000);

afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  rmSync(work, { recursive: true, force: true });
});

it.each(['squares.fgb', 'squares.parquet'])('%s: a 1%% bbox over HTTP reads under 10%% of the bytes, the same features', async (file) => {
  const size = readFileSync(join(work, file)).length;
  const idOf = (f: { properties?: Record<string, unknown> | null }) => Number(f.properties?.id);
  // the whole file without a bbox: (nearly) every byte, every feature
  served.clear();
  const all = await readFeatures(`${base}/${file}`);
  expect(all.features.length).toBe(features.length);
  // (GeoParquet: all but the bbox covering column, which a read without bbox has no use for)
  expect(served.get(file) ?? 0).toBeGreaterThanOrEqual(size * 0.9);
  // in file order (FlatGeobuf's is its index's), the ones that meet the bbox
  const wanted = all.features.map(idOf).filter((id) => expected.includes(id));
  served.clear();
  const layer = await readFeatures(`${base}/${file}`, { bbox });
  const bytes = served.get(file) ?? 0;
  const ids = layer.features.map(idOf);
  console.log(`${file}: ${size} bytes, ${bytes} fetched (${(100 * bytes / size).toFixed(2)}%), ${ids.length} features of ${features.length}`);
  expect([...ids].sort((a, b) => a - b)).toEqual(expected);
  expect(ids).toEqual(wanted);
  expect(layer.crs?.properties.name).toBe('EPSG:32633');
  expect(bytes).toBeGreaterThan(0);
  expect(bytes / size).toBeLessThan(0.1);
}, 60_000);
