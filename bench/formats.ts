// W1 (100,000 buildings) as Shapefile, GeoPackage, FlatGeobuf and GeoParquet: the same burn read from
// each format, whole process, gdal_rasterize against the rasterburn CLI on the same file. GDAL 3.6 has
// no Parquet driver: for W1parquet its reference reads the GeoPackage copy (same features, same order).
// The files are converted once from W1's GeoJSON (ogr2ogr; hyparquet-writer for GeoParquet) and cached.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter, geojsonToWkb, parquetWrite } from 'hyparquet-writer';
import { buildingsWorkload, type PreparedWorkload, type Workload } from './workloads.js';

type Format = 'shp' | 'gpkg' | 'fgb' | 'parquet';

const DRIVER: Record<Exclude<Format, 'parquet'>, string> = { shp: 'ESRI Shapefile', gpkg: 'GPKG', fgb: 'FlatGeobuf' };

/** The CLI runners the format workloads run besides the reference (the others read GeoJSON only). */
export const FORMAT_RUNNERS = ['rasterburn-cli-tif'];

function ogr2ogr(dst: string, src: string, driver: string): void {
  // the temporary name keeps the extension: the FlatGeobuf driver takes any other name for a directory
  const tmp = driver === 'ESRI Shapefile' ? dst : dst.replace(/(\.[^./]+)$/, '.tmp$1');
  execFileSync('ogr2ogr', ['-f', driver, tmp, src, '-nln', 'buildings'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (tmp !== dst) renameSync(tmp, dst);
}

// GeoParquet from the GeoJSON: WKB geometry, BuildingID, the bbox covering column, EPSG:32633
function writeParquet(dst: string, src: string): void {
  const fc = JSON.parse(readFileSync(src, 'utf8')) as { features: { geometry: { coordinates: number[][][] }; properties: { BuildingID: number } }[] };
  const boxes = fc.features.map((f) => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const ring of f.geometry.coordinates) for (const [x, y] of ring) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    return { xmin: x0, ymin: y0, xmax: x1, ymax: y1 };
  });
  const writer = new ByteWriter();
  const geo = { version: '1.1.0', primary_column: 'geometry', columns: { geometry: { encoding: 'WKB', geometry_types: ['Polygon'], crs: { type: 'ProjectedCRS', name: 'WGS 84 / UTM zone 33N', id: { authority: 'EPSG', code: 32633 } }, covering: { bbox: { xmin: ['bbox', 'xmin'], ymin: ['bbox', 'ymin'], xmax: ['bbox', 'xmax'], ymax: ['bbox', 'ymax'] } } } } };
  parquetWrite({
    writer,
    columnData: [
      { name: 'geometry', data: fc.features.map((f) => geojsonToWkb(f.geometry as never)) },
      { name: 'BuildingID', data: fc.features.map((f) => f.properties.BuildingID) },
      { name: 'bbox', data: boxes },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      { name: 'geometry', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'BuildingID', type: 'INT32', repetition_type: 'OPTIONAL' },
      { name: 'bbox', num_children: 4, repetition_type: 'OPTIONAL' },
      ...['xmin', 'ymin', 'xmax', 'ymax'].map((name) => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' })),
    ],
    rowGroupSize: 10_000,
    kvMetadata: [{ key: 'geo', value: JSON.stringify(geo) }],
  } as never);
  writeFileSync(`${dst}.tmp`, new Uint8Array(writer.getBuffer()));
  renameSync(`${dst}.tmp`, dst);
}

function formatWorkload(format: Format): Workload {
  const base = buildingsWorkload();
  const id = `W1${format}`;
  return {
    ...base,
    id,
    title: `${base.title}, read from ${format === 'shp' ? 'a Shapefile' : format === 'gpkg' ? 'a GeoPackage' : format === 'fgb' ? 'a FlatGeobuf' : 'GeoParquet (GDAL: the GeoPackage copy)'}`,
    runners: FORMAT_RUNNERS,
    prepare: async (cacheDir: string): Promise<PreparedWorkload> => {
      const geojson = await base.prepare(cacheDir);
      const stem = geojson.path.replace(/\.geojson$/, '');
      const made = (p: string) => existsSync(p) && statSync(p).isFile() && statSync(p).mtimeMs >= statSync(geojson.path).mtimeMs;
      const gpkg = `${stem}.gpkg`;
      let path: string;
      if (format === 'parquet' || format === 'gpkg') {
        if (!made(gpkg)) ogr2ogr(gpkg, geojson.path, 'GPKG');
      }
      if (format === 'parquet') {
        path = `${stem}.parquet`;
        if (!made(path)) writeParquet(path, geojson.path);
      } else if (format === 'gpkg') {
        path = gpkg;
      } else {
        path = format === 'shp' ? join(`${stem}-shp`, 'buildings.shp') : `${stem}.${format}`;
        if (!made(path)) ogr2ogr(format === 'shp' ? `${stem}-shp` : path, geojson.path, DRIVER[format]);
      }
      return { ...geojson, path, bytes: statSync(path).size, ...(format === 'parquet' ? { referencePath: gpkg } : {}) };
    },
  };
}

/** W1shp, W1gpkg, W1fgb, W1parquet. */
export const FORMAT_WORKLOADS: Record<string, () => Workload> = {
  W1shp: () => formatWorkload('shp'),
  W1gpkg: () => formatWorkload('gpkg'),
  W1fgb: () => formatWorkload('fgb'),
  W1parquet: () => formatWorkload('parquet'),
};
