// .shp geometries read straight into the flat feature columns (features/flat.ts), with DataView and
// byte copies: no object per record, ring or vertex. Not the `shapefile` package's reader: it drops Z
// (which -3d burns), builds a GeoJSON object with an array per vertex for each record (W1's 100,000
// buildings, .shp and .dbf in memory: 2.3 s CPU against 0.13 s here with the .dbf's field, medians on a
// loaded machine, bench/results/2026-12-06-formats.md), and groups
// polygon rings by its own rule; here rings are grouped as GDAL's Shapefile driver does
// (counter-clockwise rings are holes of the smallest clockwise ring that contains them).
import { GEOM_LINESTRING, GEOM_MULTILINESTRING, GEOM_MULTIPOINT, GEOM_MULTIPOLYGON, GEOM_NONE, GEOM_POINT, GEOM_POLYGON, type FlatBuilder } from '../features/flat.js';
import type { AnyGeometry, PackedPositions } from '../features/geojson.js';

const SHAPE_NAMES: Record<number, string> = { 0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch' };

// float64 bytes are copied as they are where the machine is little-endian, as a .shp is
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bounding box in the 100-byte header (what GDAL reports as the layer's extent). */
export function shpBox(b: Uint8Array): [number, number, number, number] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [v.getFloat64(36, true), v.getFloat64(44, true), v.getFloat64(52, true), v.getFloat64(60, true)];
}

/** Checks the 100-byte header; returns the file's shape type. */
export function shpHeader(b: Uint8Array, name: string): number {
  if (b.length < 100) throw new Error(`${name} is not a Shapefile: ${b.length} bytes, shorter than its 100-byte header`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getInt32(0, false) !== 9994) throw new Error(`${name} is not a Shapefile: wrong magic number`);
  const type = v.getInt32(32, true);
  if (!(type in SHAPE_NAMES)) throw new Error(`${name}: unknown shape type ${type}`);
  if (type === 31) throw new Error(`${name}: MultiPatch shapefiles are not supported`);
  return type;
}

/** Whether the file's shapes have Z (PointZ, PolyLineZ, PolygonZ, MultiPointZ). */
export function shpHasZ(type: number): boolean {
  return type === 11 || type === 13 || type === 15 || type === 18;
}

/**
 * Reads every record of a .shp in file order into `out`, one feature each, then calls `done(record)`
 * with the feature open: it writes the attribute columns and ends or drops the feature. With a bbox, a
 * record whose header box misses it (or that has no box: a null shape) is not read at all. Returns the
 * number of records.
 */
export function readShp(b: Uint8Array, out: FlatBuilder, name: string, bbox: readonly number[] | undefined, done: (record: number) => void): number {
  shpHeader(b, name);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 100;
  let index = 0;
  while (at + 8 <= b.length) {
    const words = v.getInt32(at + 4, false);
    const start = at + 8, end = start + words * 2;
    if (words < 2 || end > b.length) throw new Error(`${name}: record ${index + 1} is truncated (${words * 2} bytes from offset ${start}, file ${b.length} bytes)`);
    if (!bbox || meets(v, start, end, bbox)) {
      // with a bbox, a shape without a box (null, or no parts) is left out as a box that misses
      if (record(b, v, start, end, out, `${name}: record ${index + 1}`) || !bbox) done(index);
      else out.dropFeature();
    }
    at = end;
    index++;
  }
  return index;
}

// whether a record's own box (or point) meets bbox; a null shape has none
function meets(v: DataView, s: number, e: number, bbox: readonly number[]): boolean {
  const type = v.getInt32(s, true);
  if (type === 0) return false;
  let x0, y0, x1, y1;
  if (type === 1 || type === 11 || type === 21) {
    // too short to hold its point: read, to report it
    if (s + 20 > e) return true;
    x0 = x1 = v.getFloat64(s + 4, true); y0 = y1 = v.getFloat64(s + 12, true);
  } else {
    if (s + 40 > e) return true;
    x0 = v.getFloat64(s + 4, true); y0 = v.getFloat64(s + 12, true); x1 = v.getFloat64(s + 20, true); y1 = v.getFloat64(s + 28, true);
  }
  return x0 <= bbox[2] && x1 >= bbox[0] && y0 <= bbox[3] && y1 >= bbox[1];
}

// n points of 16 bytes from byte `from` into out.xy at vertex `to`; their Z (8 bytes each) from `zFrom` when >= 0
// (a byte copy needs two typed-array views, which cost more than reading a small ring's doubles one by one)
function copyXY(b: Uint8Array, v: DataView, from: number, n: number, out: FlatBuilder, to: number, zFrom: number): void {
  const xy = out.xy;
  if (LITTLE && n >= 32) new Uint8Array(xy.buffer, xy.byteOffset + 16 * to, 16 * n).set(b.subarray(from, from + 16 * n));
  else for (let k = 2 * to, end = from + 16 * n; from < end; k++, from += 8) xy[k] = v.getFloat64(from, true);
  if (zFrom >= 0) {
    const z = out.ensureZ();
    for (let i = 0; i < n; i++) z[to + i] = v.getFloat64(zFrom + 8 * i, true);
  }
}

// one record as an open feature of `out`; false for a shape with no box (null, or no parts)
function record(b: Uint8Array, v: DataView, s: number, e: number, out: FlatBuilder, where: string): boolean {
  const type = v.getInt32(s, true);
  const need = (n: number): void => { if (s + n > e) throw new Error(`${where}: truncated ${SHAPE_NAMES[type] ?? type} record`); };
  if (type === 0) { out.beginFeature(GEOM_NONE); return false; }
  const z = shpHasZ(type);
  if (type === 1 || type === 11 || type === 21) {
    need(z ? 28 : 20);
    out.beginFeature(GEOM_POINT);
    out.beginMember(GEOM_POINT);
    out.beginPart();
    copyXY(b, v, s + 4, 1, out, out.addVertices(1), z ? s + 20 : -1);
    return true;
  }
  need(40);
  if (type === 8 || type === 18 || type === 28) {
    const n = v.getInt32(s + 36, true);
    need(40 + 16 * n + (z ? 16 + 8 * n : 0));
    out.beginFeature(GEOM_MULTIPOINT);
    out.beginMember(GEOM_MULTIPOINT);
    for (let i = 0; i < n; i++) out.beginPart(), out.addVertices(1);
    copyXY(b, v, s + 40, n, out, out.vertices - n, z ? s + 40 + 16 * n + 16 : -1);
    return true;
  }
  if (type !== 3 && type !== 13 && type !== 23 && type !== 5 && type !== 15 && type !== 25) throw new Error(`${where}: shape type ${SHAPE_NAMES[type] ?? type} is not supported`);
  const nParts = v.getInt32(s + 36, true), nPoints = v.getInt32(s + 40, true);
  if (nParts < 0 || nPoints < 0) throw new Error(`${where}: negative part or point count`);
  const xyAt = s + 44 + 4 * nParts;
  const zAt = xyAt + 16 * nPoints + 16;
  need(44 + 4 * nParts + 16 * nPoints + (z ? 16 + 8 * nPoints : 0));
  const first = (k: number): number => v.getInt32(s + 44 + 4 * k, true);
  for (let k = 0; k < nParts; k++) {
    const a = first(k), c = k + 1 < nParts ? first(k + 1) : nPoints;
    if (a < 0 || c > nPoints || c < a) throw new Error(`${where}: part ${k} has bad vertex indices ${a}..${c}`);
  }
  if (nParts === 0) { out.beginFeature(GEOM_NONE); return false; }
  // parts may skip or repeat vertices: each is copied from its own range
  const line = type === 3 || type === 13 || type === 23;
  if (line || nParts === 1) {
    out.beginFeature(line ? (nParts === 1 ? GEOM_LINESTRING : GEOM_MULTILINESTRING) : GEOM_POLYGON);
    if (!line) out.beginMember(GEOM_POLYGON);
    for (let k = 0; k < nParts; k++) {
      const a = first(k), c = k + 1 < nParts ? first(k + 1) : nPoints;
      if (line) out.beginMember(GEOM_LINESTRING);
      out.beginPart();
      copyXY(b, v, xyAt + 16 * a, c - a, out, out.addVertices(c - a), z ? zAt + 8 * a : -1);
    }
    return true;
  }
  // several rings: grouped into polygons on their coordinates, then written polygon by polygon
  const xy = new Float64Array(2 * nPoints);
  for (let i = 0; i < 2 * nPoints; i++) xy[i] = v.getFloat64(xyAt + 8 * i, true);
  const ranges: [number, number][] = [];
  for (let k = 0; k < nParts; k++) ranges.push([first(k), k + 1 < nParts ? first(k + 1) : nPoints]);
  const members = groupRings(ranges.length, (i) => signedAreaXY(xy, ranges[i]), (i) => boxXY(xy, ranges[i]), (o, i) => anyVertexInside(xy, ranges[o], ranges[i]));
  out.beginFeature(members.length === 1 ? GEOM_POLYGON : GEOM_MULTIPOLYGON);
  for (const rings of members) {
    out.beginMember(GEOM_POLYGON);
    for (const r of rings) {
      const [a, c] = ranges[r];
      out.beginPart();
      copyXY(b, v, xyAt + 16 * a, c - a, out, out.addVertices(c - a), z ? zAt + 8 * a : -1);
    }
  }
  return true;
}

function signedAreaXY(xy: Float64Array, [a, c]: [number, number]): number {
  let s = 0;
  for (let i = a, j = c - 1; i < c; j = i++) s += (xy[2 * j] - xy[2 * i]) * (xy[2 * j + 1] + xy[2 * i + 1]);
  return s / 2;
}

function boxXY(xy: Float64Array, [a, c]: [number, number]): [number, number, number, number] {
  const bx: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = a; i < c; i++) {
    const px = xy[2 * i], py = xy[2 * i + 1];
    if (px < bx[0]) bx[0] = px; if (px > bx[2]) bx[2] = px;
    if (py < bx[1]) bx[1] = py; if (py > bx[3]) bx[3] = py;
  }
  return bx;
}

// a vertex of ring `hole` inside ring `outer` (even-odd; vertices on its edge do not decide)
function anyVertexInside(xy: Float64Array, [oa, oc]: [number, number], [ha, hc]: [number, number]): boolean {
  for (let k = ha; k < hc; k++) {
    const px = xy[2 * k], py = xy[2 * k + 1];
    let c = false;
    for (let i = oa, j = oc - 1; i < oc; j = i++) {
      const xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
      if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) c = !c;
    }
    if (c) return true;
  }
  return false;
}

/**
 * Rings into polygons as GDAL's Shapefile driver does, as lists of ring indices: one ring is a polygon;
 * otherwise clockwise rings are exteriors and every counter-clockwise ring is a hole of the smallest
 * exterior containing it (a hole in none stands as a polygon of its own). One exterior: one polygon, that
 * exterior first, then every other ring in file order.
 */
export function groupRings(n: number, area: (i: number) => number, box: (i: number) => [number, number, number, number], inside: (outer: number, hole: number) => boolean): number[][] {
  if (n === 1) return [[0]];
  const areas = Array.from({ length: n }, (_, i) => area(i));
  const outers: number[] = [];
  for (let i = 0; i < n; i++) if (areas[i] <= 0) outers.push(i);
  if (outers.length === 1) {
    const o = outers[0];
    return [[o, ...Array.from({ length: n }, (_, i) => i).filter((i) => i !== o)]];
  }
  const boxes = Array.from({ length: n }, (_, i) => box(i));
  const polys = new Map<number, number[]>();
  for (const i of outers) polys.set(i, [i]);
  const loose: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (areas[i] <= 0) continue;
    const b = boxes[i];
    let best = -1, bestArea = Infinity;
    for (const o of outers) {
      const ob = boxes[o];
      if (b[0] < ob[0] || b[2] > ob[2] || b[1] < ob[1] || b[3] > ob[3]) continue;
      if (inside(o, i) && Math.abs(areas[o]) < bestArea) { best = o; bestArea = Math.abs(areas[o]); }
    }
    if (best >= 0) (polys.get(best) as number[]).push(i);
    else loose.push([i]);
  }
  return [...outers.map((o) => polys.get(o) as number[]), ...loose];
}

/** groupRings on packed rings, as a geometry: a Polygon for one group, else a MultiPolygon. */
export function organize(rings: PackedPositions[]): AnyGeometry {
  const xyOf = (p: PackedPositions): Float64Array => {
    const o = p.off ?? 0, xy = new Float64Array(2 * p.n);
    for (let i = 0; i < p.n; i++) { xy[2 * i] = p.xyz[o + 3 * i]; xy[2 * i + 1] = p.xyz[o + 3 * i + 1]; }
    return xy;
  };
  const xys = rings.map(xyOf);
  const whole = (i: number): [number, number] => [0, rings[i].n];
  const groups = groupRings(rings.length, (i) => signedAreaXY(xys[i], whole(i)), (i) => boxXY(xys[i], whole(i)), (o, i) => {
    // the hole's vertices against the exterior: both rings side by side in one array
    const both = new Float64Array(xys[o].length + xys[i].length);
    both.set(xys[o]); both.set(xys[i], xys[o].length);
    return anyVertexInside(both, [0, rings[o].n], [rings[o].n, rings[o].n + rings[i].n]);
  });
  const members = groups.map((g) => g.map((i) => rings[i]));
  if (members.length === 1) return { type: 'Polygon', coordinates: members[0] };
  return { type: 'MultiPolygon', coordinates: members };
}
