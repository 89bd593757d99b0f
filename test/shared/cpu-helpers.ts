// Test-only helpers for the CPU engine tests: a small WKT reader, a stand-in for flattenFeatures
// (GDAL's shape splitting, OGR ring orientation, line reversal, inverse-geotransform mapping) and
// an oracle that runs GDAL 3.6.2's gdal_rasterize library code through /usr/bin/python3.
import { invertTransform } from '../../src/grid.js';
import type { ShapeSet } from '../../src/features/shapes.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON } from '../../src/features/shapes.js';
import { burnShapesCpu } from '../../src/cpu/engine.js';
import type { GeoTransform, NumberArray } from '../../src/types.js';
import { makeNumbers, type NumberDType } from './pixels.js';
import { python, pythonJson } from '../oracle/gdal/oracle.js';

export type Pos = number[];
export type Geom =
  | { type: 'Point'; coordinates: Pos | [] }
  | { type: 'MultiPoint'; coordinates: Pos[] }
  | { type: 'LineString'; coordinates: Pos[] }
  | { type: 'MultiLineString'; coordinates: Pos[][] }
  | { type: 'Polygon'; coordinates: Pos[][] }
  | { type: 'MultiPolygon'; coordinates: Pos[][][] }
  | { type: 'GeometryCollection'; geometries: Geom[] };

export interface TestGrid {
  width: number;
  height: number;
  transform: GeoTransform;
}

/** y-down grid: world = pixel ("YD" in docs/pixel-rules.md) */
export const YD = (width: number, height: number): TestGrid => ({ width, height, transform: [0, 1, 0, 0, 0, 1] });
/** north-up grid of unit pixels over 0..W x 0..H ("NU") */
export const NU = (width: number, height: number): TestGrid => ({ width, height, transform: [0, 1, 0, height, 0, -1] });

// ---------------------------------------------------------------- WKT

type Nested = number | Nested[];

/** parses the WKT subset the rule tests are written in into a GeoJSON geometry */
export function wkt(text: string): Geom {
  const tokens = text.match(/[A-Za-z]+|\(|\)|,|[-+0-9.eE]+/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  // a parenthesised list of coordinate tuples (or of further lists)
  function coords(): Nested[] {
    if (next() !== '(') throw new Error(`expected ( at token ${pos}`);
    const out: Nested[] = [];
    for (;;) {
      if (peek() === '(') {
        out.push(coords());
      } else {
        const pt: number[] = [];
        while (peek() !== ',' && peek() !== ')') pt.push(Number(next()));
        out.push(pt);
      }
      const t = next();
      if (t === ')') return out;
      if (t !== ',') throw new Error(`unexpected ${t} in WKT`);
    }
  }

  function geom(): Geom {
    const type = next().toUpperCase();
    if (peek()?.toUpperCase() === 'Z') next();
    const empty = peek()?.toUpperCase() === 'EMPTY';
    if (empty) next();
    switch (type) {
      case 'POINT':
        return { type: 'Point', coordinates: empty ? [] : (coords()[0] as Pos) };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: empty ? [] : (coords() as Pos[]) };
      case 'POLYGON':
        return { type: 'Polygon', coordinates: empty ? [] : (coords() as Pos[][]) };
      case 'MULTIPOINT': {
        const c = empty ? [] : coords();
        return { type: 'MultiPoint', coordinates: c.map((p) => (Array.isArray((p as Nested[])[0]) ? (p as Nested[])[0] : p) as Pos) };
      }
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: empty ? [] : (coords() as Pos[][]) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: empty ? [] : (coords() as Pos[][][]) };
      case 'GEOMETRYCOLLECTION': {
        const geometries: Geom[] = [];
        if (!empty) {
          next();
          for (;;) {
            geometries.push(geom());
            const t = next();
            if (t === ')') break;
          }
        }
        return { type: 'GeometryCollection', geometries };
      }
      default:
        throw new Error(`unsupported WKT type ${type}`);
    }
  }
  return geom();
}

// ---------------------------------------------------------------- flatten stand-in

/** OGR's OGRLinearRing::isClockwise (pixel rule F4), on world coordinates; the last point repeats the first */
export function isClockwise(ring: Pos[]): boolean {
  const n = ring.length;
  if (n < 2) return true;
  let fallback = false;
  let v = 0;
  for (let i = 1; i < n - 1; i++) {
    if (ring[i][1] < ring[v][1] || (ring[i][1] === ring[v][1] && ring[i][0] > ring[v][0])) {
      v = i;
      fallback = false;
    } else if (ring[i][1] === ring[v][1] && ring[i][0] === ring[v][0]) {
      fallback = true;
    }
  }
  const eps = 1e-5;
  const close = (a: Pos, b: Pos) => Math.abs(a[0] - b[0]) < eps && Math.abs(a[1] - b[1]) < eps;
  let prev = v - 1;
  if (prev < 0) prev = n - 2;
  if (close(ring[prev], ring[v])) fallback = true;
  const dx0 = ring[prev][0] - ring[v][0];
  const dy0 = ring[prev][1] - ring[v][1];
  let nxt = v + 1;
  if (nxt >= n - 1) nxt = 0;
  if (close(ring[nxt], ring[v])) fallback = true;
  const dx1 = ring[nxt][0] - ring[v][0];
  const dy1 = ring[nxt][1] - ring[v][1];
  const cross = dx1 * dy0 - dx0 * dy1;
  if (!fallback) {
    if (cross > 0) return false;
    if (cross < 0) return true;
  }
  let sum = ring[0][0] * (ring[1][1] - ring[n - 1][1]);
  for (let i = 1; i < n - 1; i++) sum += ring[i][0] * (ring[i + 1][1] - ring[i - 1][1]);
  sum += ring[n - 1][0] * (ring[0][1] - ring[n - 2][1]);
  return sum < 0;
}

function isEmpty(g: Geom): boolean {
  if (g.type === 'GeometryCollection') return g.geometries.every(isEmpty);
  if (g.type === 'Point') return g.coordinates.length === 0;
  if (g.type === 'Polygon') return g.coordinates.length === 0 || g.coordinates[0].length === 0;
  if (g.type === 'MultiPolygon') return g.coordinates.every((p) => p.length === 0 || p[0].length === 0);
  return g.coordinates.length === 0;
}

// GDALCollectRingsFromGeometry: world-space parts in GDAL's vertex order
function collect(g: Geom, parts: Pos[][]): void {
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length) parts.push([g.coordinates as Pos]);
      return;
    case 'MultiPoint':
      for (const p of g.coordinates) parts.push([p]);
      return;
    case 'LineString':
      if (g.coordinates.length) parts.push([...g.coordinates].reverse());
      return;
    case 'MultiLineString':
      for (const l of g.coordinates) if (l.length) parts.push([...l].reverse());
      return;
    case 'Polygon':
      for (const r of g.coordinates) if (r.length) parts.push(isClockwise(r) ? [...r] : [...r].reverse());
      return;
    case 'MultiPolygon':
      for (const p of g.coordinates) collect({ type: 'Polygon', coordinates: p }, parts);
      return;
    case 'GeometryCollection':
      for (const m of g.geometries) collect(m, parts);
  }
}

export interface Feature {
  geometry: Geom | null;
  value?: number;
}

/** what flattenFeatures produces, built the slow way from GDAL's own steps */
export function shapesFrom(features: (Feature | Geom | string)[], grid: TestGrid, merge: 'replace' | 'add' = 'replace'): ShapeSet {
  const igt = invertTransform(grid.transform);
  const shapes: { kind: number; parts: Pos[][]; value: number; feature: number }[] = [];
  const add = (g: Geom, value: number, feature: number) => {
    if (isEmpty(g)) return;
    if (merge === 'replace' && (g.type === 'MultiPolygon' || g.type === 'MultiLineString' || g.type === 'GeometryCollection')) {
      const members: Geom[] =
        g.type === 'GeometryCollection' ? g.geometries
          : g.type === 'MultiPolygon' ? g.coordinates.map((c) => ({ type: 'Polygon', coordinates: c }) as Geom)
            : g.coordinates.map((c) => ({ type: 'LineString', coordinates: c }) as Geom);
      for (const m of members) add(m, value, feature);
      return;
    }
    const parts: Pos[][] = [];
    collect(g, parts);
    const kind = g.type === 'Point' || g.type === 'MultiPoint' ? KIND_POINT
      : g.type === 'LineString' || g.type === 'MultiLineString' ? KIND_LINE : KIND_POLYGON;
    shapes.push({ kind, parts, value, feature });
  };
  features.forEach((f, idx) => {
    const feat: Feature = typeof f === 'string' ? { geometry: wkt(f) } : 'type' in f ? { geometry: f } : f;
    if (feat.geometry) add(feat.geometry, feat.value ?? 1, idx);
  });
  const nParts = shapes.reduce((s, sh) => s + sh.parts.length, 0);
  const nVerts = shapes.reduce((s, sh) => s + sh.parts.reduce((t, p) => t + p.length, 0), 0);
  const set: ShapeSet = {
    count: shapes.length,
    kind: new Uint8Array(shapes.length),
    value: new Float64Array(shapes.length),
    partStart: new Uint32Array(shapes.length + 1),
    vertexStart: new Uint32Array(nParts + 1),
    x: new Float64Array(nVerts),
    y: new Float64Array(nVerts),
    z: new Float64Array(nVerts),
    feature: new Uint32Array(shapes.length),
  };
  let p = 0;
  let v = 0;
  shapes.forEach((sh, i) => {
    set.kind[i] = sh.kind;
    set.value[i] = sh.value;
    set.feature[i] = sh.feature;
    set.partStart[i] = p;
    for (const part of sh.parts) {
      set.vertexStart[p++] = v;
      for (const c of part) {
        set.x[v] = igt[0] + c[0] * igt[1] + c[1] * igt[2];
        set.y[v] = igt[3] + c[0] * igt[4] + c[1] * igt[5];
        set.z![v] = c[2] ?? 0;
        v++;
      }
    }
  });
  set.partStart[shapes.length] = p;
  set.vertexStart[nParts] = v;
  return set;
}

export interface BurnOpts {
  allTouched?: boolean;
  merge?: 'replace' | 'add';
  burnZ?: boolean;
  dtype?: NumberDType;
  init?: number;
}

/** burns features with the CPU engine */
export function burnArray(features: (Feature | Geom | string)[], grid: TestGrid, opts: BurnOpts = {}): NumberArray {
  const shapes = shapesFrom(features, grid, opts.merge ?? 'replace');
  const dtype = opts.dtype ?? 'float64';
  const data = makeNumbers(dtype, grid.width * grid.height);
  if (opts.init) data.fill(opts.init);
  burnShapesCpu(shapes, { data, width: grid.width, height: grid.height, dtype }, opts);
  return data;
}

/** small values as digit rows joined by '/', the notation of the rule tests' expected rows */
export function rows(data: ArrayLike<number>, width: number): string {
  const out: string[] = [];
  for (let y = 0; y * width < data.length; y++) {
    out.push(Array.from({ length: width }, (_, x) => String(data[y * width + x])).join(''));
  }
  return out.join('/');
}

export function burnRows(features: (Feature | Geom | string)[], grid: TestGrid, opts: BurnOpts = {}): string {
  return rows(burnArray(features, grid, opts), grid.width);
}

/** GDAL's GDALChecksumImage for integer bands */
export function checksum(data: ArrayLike<number>): number {
  const primes = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  let sum = 0;
  let ip = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i] % primes[ip++];
    if (ip > 10) ip = 0;
    sum &= 0xffff;
  }
  return sum;
}

// ---------------------------------------------------------------- GDAL oracle

export interface GdalCase {
  grid: TestGrid;
  geoms: (Geom | Feature)[];
  /** gdal_rasterize options, e.g. ['-burn', '1', '-at'] */
  opts: string[];
  /** GDAL type name of the band, default Float64 */
  type?: string;
  init?: number;
}

const ORACLE = `
import sys, json
from osgeo import gdal, ogr
gdal.UseExceptions()
gdal.PushErrorHandler('CPLQuietErrorHandler')
req = json.load(sys.stdin)
res = []
for c in req:
    g = c['grid']
    ds = gdal.GetDriverByName('MEM').Create('', g['width'], g['height'], 1, gdal.GetDataTypeByName(c.get('type') or 'Float64'))
    ds.SetGeoTransform(g['transform'])
    band = ds.GetRasterBand(1)
    band.Fill(c.get('init') or 0)
    src = gdal.GetDriverByName('Memory').Create('', 0, 0, 0, gdal.GDT_Unknown)
    lyr = src.CreateLayer('l', geom_type=ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn('v', ogr.OFTReal))
    for f in c['geoms']:
        feat = ogr.Feature(lyr.GetLayerDefn())
        geom = f['geometry'] if 'geometry' in f else f
        if 'value' in f:
            feat.SetField('v', f['value'])
        if geom is not None:
            feat.SetGeometry(ogr.CreateGeometryFromJson(json.dumps(geom)))
        lyr.CreateFeature(feat)
    gdal.Rasterize(ds, src, options=c['opts'])
    res.append([float(v) for v in band.ReadAsArray().flatten().tolist()])
print(json.dumps(res))
`;

/** runs every case through GDAL 3.6.2 (python osgeo.gdal.Rasterize = gdal_rasterize's library code) */
export function gdalBurn(cases: GdalCase[]): number[][] {
  return pythonJson<number[][]>(ORACLE, JSON.stringify(cases));
}

/** whether the GDAL oracle can run here */
export function haveGdal(): boolean {
  try {
    python('from osgeo import gdal');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- seeded randomness

export { mulberry32 } from '../../bench/random.js';
