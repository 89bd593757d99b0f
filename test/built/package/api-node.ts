// The packaging test's Node program: the whole browser-safe API, then what rasterburn/node adds.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flattenFeatures, gridFromGeoTIFF, rasterize, rasterizeThreaded, readFileAsArrayBuffer, readGeoJSON, toGeoTIFF, writeFileAtomic } from 'rasterburn/node';
import { exercise } from './api-common.js';

const steps = await exercise();
const dir = mkdtempSync(join(tmpdir(), 'rasterburn-api-'));
const geojson = join(dir, 'f.geojson');
await writeFileAtomic(geojson, new TextEncoder().encode(JSON.stringify({
  type: 'FeatureCollection',
  crs: { type: 'name', properties: { name: 'EPSG:2154' } },
  features: [{ type: 'Feature', properties: { v: 3 }, geometry: { type: 'Polygon', coordinates: [[[700000, 6600000], [700040, 6600000], [700040, 6600040], [700000, 6600000]]] } }],
})));
const features = await readGeoJSON(geojson);
// synchronous with a CRS beyond the built-in ones: rasterburn/node loads the EPSG table itself
const shapes = flattenFeatures(features, { width: 10, height: 10, transform: [700000, 10, 0, 6600100, 0, -10], crs: 'EPSG:2154' });
if (shapes.count !== 1) throw new Error('flattenFeatures from a file failed');
const r = await rasterizeThreaded(features, { width: 10, height: 10, transform: [700000, 10, 0, 6600100, 0, -10], crs: 'EPSG:2154' }, { attribute: 'v', dtype: 'uint8' }, { threads: 2 });
const tif = join(dir, 'r.tif');
await writeFileAtomic(tif, toGeoTIFF(r));
const grid = await gridFromGeoTIFF(tif);
const again = await gridFromGeoTIFF(pathToFileURL(tif));
const bytes = await readFileAsArrayBuffer(tif);
const same = await rasterize(features, grid, { attribute: 'v', dtype: 'uint8' });
const equal = same.data.every((v, i) => v === r.data[i]);
if (!equal || again.crs !== 'EPSG:2154' || bytes.byteLength !== readFileSync(tif).length) throw new Error('rasterburn/node file helpers failed');
console.log(`ok ${[...steps, 'node'].join(' ')}`);
