// Converts a differential case's src.geojson (written by test/oracle/gdal/harness.ts) into another vector
// format with ogr2ogr (GeoParquet: with hyparquet-writer, beside a GeoPackage copy that GDAL 3.6 reads).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { geoParquetBytes } from './geoparquet-writer.js';
import type { Feature } from '../oracle/gdal/harness.js';
import { run } from '../oracle/gdal/oracle.js';

export type Format = 'gpkg' | 'fgb' | 'geojsonseq' | 'shp' | 'shpzip' | 'parquet';

const ogr = async (dir: string, args: string[]): Promise<void> => {
  const r = await run('ogr2ogr', args, { cwd: dir });
  if (r.rc !== 0) throw new Error(`ogr2ogr ${args.join(' ')}: ${r.stderr.trim().split('\n')[0]}`);
};

function featuresOf(dir: string): Feature[] {
  return JSON.parse(readFileSync(join(dir, 'src.geojson'), 'utf8')).features;
}

// the EPSG code GDAL reads for a file's first layer (undefined: none)
async function gdalSrs(dir: string, file: string): Promise<string | undefined> {
  const r = await run('/usr/bin/python3', ['-c', 'import sys\nfrom osgeo import ogr\nds = ogr.Open(sys.argv[1])\ns = ds.GetLayer(0).GetSpatialRef()\nprint(s.GetAuthorityCode(None) if s else "")', join(dir, file)]);
  const code = r.stdout.trim();
  if (r.rc !== 0) throw new Error(`reading the SRS of ${file}: ${r.stderr.trim()}`);
  return code ? `EPSG:${code}` : undefined;
}

/** Converts the case's src.geojson; returns what each tool reads. */
export async function convert(format: Format, dir: string): Promise<string | { gdal: string; ours: string }> {
  switch (format) {
    case 'gpkg': await ogr(dir, ['-f', 'GPKG', 'src.gpkg', 'src.geojson']); return 'src.gpkg';
    case 'fgb': await ogr(dir, ['-f', 'FlatGeobuf', 'src.fgb', 'src.geojson']); return 'src.fgb';
    case 'geojsonseq': await ogr(dir, ['-f', 'GeoJSONSeq', 'src.geojsonl', 'src.geojson']); return 'src.geojsonl';
    case 'shp': await ogr(dir, ['-f', 'ESRI Shapefile', 'src.shp', 'src.geojson']); return 'src.shp';
    case 'shpzip': {
      await ogr(dir, ['-f', 'ESRI Shapefile', 'src.shp', 'src.geojson']);
      const files: Record<string, Uint8Array> = {};
      for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) if (existsSync(join(dir, `src.${ext}`))) files[`src.${ext}`] = readFileSync(join(dir, `src.${ext}`));
      writeFileSync(join(dir, 'src.zip'), zipSync(files));
      for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) rmSync(join(dir, `src.${ext}`), { force: true });
      return '/vsizip/src.zip';
    }
    case 'parquet': {
      // FID=fid: GDAL's GeoJSON reader takes an integer "id" property as the FID, which the GeoPackage
      // would then store as its FID column instead of a field
      await ogr(dir, ['-f', 'GPKG', '-lco', 'FID=fid', 'src.gpkg', 'src.geojson']);
      // the SRS GDAL gives the same features (GeoJSON without a crs member: CRS84, or EPSG:4979 when 3D)
      writeFileSync(join(dir, 'src.parquet'), geoParquetBytes(featuresOf(dir) as never, { crs: await gdalSrs(dir, 'src.gpkg'), covering: true, rowGroupSize: 2 }));
      return { gdal: 'src.gpkg', ours: 'src.parquet' };
    }
  }
}

