// Regenerates the bundled sample under examples/: seeded building footprints around a point in
// UTM zone 33N, stored as RFC 7946 lon/lat GeoJSON, and a template GeoTIFF holding the UTM grid
// (0.5 m pixels) they are burned onto. Run: npx tsc && node dist/scripts/make-sample.js
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import { makeBuildings } from '../bench/buildings.js';
import { toGeoTIFF } from '../src/io/tiff/write.js';
import type { GeoTransform } from '../src/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const UTM33N = '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs';

const width = 1000, height = 1000, res = 0.5;
const origin: [number, number] = [456000, 5430500]; // Vienna-ish, upper-left corner
const transform: GeoTransform = [origin[0], res, 0, origin[1], 0, -res];
const bounds: [number, number, number, number] = [origin[0] + 5, origin[1] - height * res + 5, origin[0] + width * res - 5, origin[1] - 5];

const fc = makeBuildings({ count: 1500, bounds, seed: 20261125, size: 10 });
const toLonLat = proj4(UTM33N, 'WGS84');
for (const f of fc.features) {
  const g = f.geometry;
  if (g?.type !== 'Polygon') continue;
  g.coordinates = g.coordinates.map((ring) => ring.map(([x, y]) => {
    const [lon, lat] = toLonLat.forward([x, y]);
    return [Number(lon.toFixed(9)), Number(lat.toFixed(9))];
  }));
}
await writeFile(join(root, 'examples', 'buildings.geojson'), JSON.stringify(fc) + '\n');

const tif = toGeoTIFF({ data: new Uint8Array(width * height), width, height, transform, crs: 'EPSG:32633', nodata: null, dtype: 'uint8' });
await writeFile(join(root, 'examples', 'template.tif'), new Uint8Array(tif));
console.log(`wrote examples/buildings.geojson (${fc.features.length} features) and examples/template.tif (${width} x ${height}, EPSG:32633, ${res} m)`);
