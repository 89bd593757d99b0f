// .shp geometries read straight into packed GeoJSON geometries. Not the `shapefile` package's reader:
// it drops Z (which -3d burns), makes an array per vertex, and groups polygon rings by its own rule;
// here rings are grouped as GDAL's Shapefile driver does (counter-clockwise rings are holes of the
// smallest clockwise ring that contains them).
import type { AnyGeometry, PackedPositions } from '../features/geojson.js';
import type { Packer } from './packer.js';

export interface ShpRecord { geometry: AnyGeometry | null; box: [number, number, number, number] | null }

const SHAPE_NAMES: Record<number, string> = { 0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch' };

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

/**
 * Yields every record of a .shp in file order. With a bbox, a record whose header box misses it is
 * yielded with its box and no geometry, its coordinates never read.
 */
export function* shpRecords(b: Uint8Array, packer: Packer, name: string, bbox?: readonly number[]): Generator<ShpRecord> {
  shpHeader(b, name);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 100;
  let index = 0;
  while (at + 8 <= b.length) {
    const words = v.getInt32(at + 4, false);
    const start = at + 8, end = start + words * 2;
    if (words < 2 || end > b.length) throw new Error(`${name}: record ${index + 1} is truncated (${words * 2} bytes from offset ${start}, file ${b.length} bytes)`);
    yield bbox && missed(v, start, end, bbox) || record(v, start, end, packer, `${name}: record ${index + 1}`);
    at = end;
    index++;
  }
}

// a record whose own box (or point) lies outside bbox: only its header is read
function missed(v: DataView, s: number, e: number, bbox: readonly number[]): ShpRecord | null {
  const type = v.getInt32(s, true);
  if (type === 0) return null;
  let box: [number, number, number, number];
  if (type === 1 || type === 11 || type === 21) {
    if (s + 20 > e) return null;
    const x = v.getFloat64(s + 4, true), y = v.getFloat64(s + 12, true);
    box = [x, y, x, y];
  } else {
    if (s + 40 > e) return null;
    box = [v.getFloat64(s + 4, true), v.getFloat64(s + 12, true), v.getFloat64(s + 20, true), v.getFloat64(s + 28, true)];
  }
  return box[0] <= bbox[2] && box[2] >= bbox[0] && box[1] <= bbox[3] && box[3] >= bbox[1] ? null : { geometry: null, box };
}

function record(v: DataView, s: number, e: number, packer: Packer, where: string): ShpRecord {
  const type = v.getInt32(s, true);
  const need = (n: number): void => { if (s + n > e) throw new Error(`${where}: truncated ${SHAPE_NAMES[type] ?? type} record`); };
  if (type === 0) return { geometry: null, box: null };
  const z = type === 11 || type === 13 || type === 15 || type === 18;
  if (type === 1 || type === 11 || type === 21) {
    need(20);
    const p = packer.take(1, z);
    const o = p.off ?? 0;
    p.xyz[o] = v.getFloat64(s + 4, true); p.xyz[o + 1] = v.getFloat64(s + 12, true);
    p.xyz[o + 2] = z ? (need(28), v.getFloat64(s + 20, true)) : 0;
    return { geometry: { type: 'Point', coordinates: p }, box: [p.xyz[o], p.xyz[o + 1], p.xyz[o], p.xyz[o + 1]] };
  }
  need(40);
  const box: [number, number, number, number] = [v.getFloat64(s + 4, true), v.getFloat64(s + 12, true), v.getFloat64(s + 20, true), v.getFloat64(s + 28, true)];
  if (type === 8 || type === 18 || type === 28) {
    const n = v.getInt32(s + 36, true);
    need(40 + 16 * n + (z ? 16 + 8 * n : 0));
    const pts: number[][] = [];
    const zAt = s + 40 + 16 * n + 16;
    for (let i = 0; i < n; i++) {
      const x = v.getFloat64(s + 40 + 16 * i, true), y = v.getFloat64(s + 48 + 16 * i, true);
      pts.push(z ? [x, y, v.getFloat64(zAt + 8 * i, true)] : [x, y]);
    }
    return { geometry: { type: 'MultiPoint', coordinates: pts }, box };
  }
  if (type !== 3 && type !== 13 && type !== 23 && type !== 5 && type !== 15 && type !== 25) throw new Error(`${where}: shape type ${SHAPE_NAMES[type] ?? type} is not supported`);
  const nParts = v.getInt32(s + 36, true), nPoints = v.getInt32(s + 40, true);
  if (nParts < 0 || nPoints < 0) throw new Error(`${where}: negative part or point count`);
  const xyAt = s + 44 + 4 * nParts;
  const zAt = xyAt + 16 * nPoints + 16;
  need(44 + 4 * nParts + 16 * nPoints + (z ? 16 + 8 * nPoints : 0));
  const parts: PackedPositions[] = [];
  for (let k = 0; k < nParts; k++) {
    const a = v.getInt32(s + 44 + 4 * k, true);
    const b = k + 1 < nParts ? v.getInt32(s + 48 + 4 * k, true) : nPoints;
    if (a < 0 || b > nPoints || b < a) throw new Error(`${where}: part ${k} has bad vertex indices ${a}..${b}`);
    const p = packer.take(b - a, z);
    const xyz = p.xyz;
    for (let i = a, o = p.off ?? 0; i < b; i++, o += 3) {
      xyz[o] = v.getFloat64(xyAt + 16 * i, true);
      xyz[o + 1] = v.getFloat64(xyAt + 16 * i + 8, true);
      xyz[o + 2] = z ? v.getFloat64(zAt + 8 * i, true) : 0;
    }
    parts.push(p);
  }
  if (nParts === 0) return { geometry: null, box: null };
  if (type === 3 || type === 13 || type === 23) {
    return { geometry: nParts === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts }, box };
  }
  return { geometry: organize(parts), box };
}

/** signed area (shoelace); negative for clockwise rings in a y-up frame */
function signedArea(p: PackedPositions): number {
  const x = p.xyz, o = p.off ?? 0, n = p.n;
  let a = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) a += (x[o + 3 * j] - x[o + 3 * i]) * (x[o + 3 * j + 1] + x[o + 3 * i + 1]);
  return a / 2;
}

function boxOf(p: PackedPositions): [number, number, number, number] {
  const x = p.xyz, o = p.off ?? 0;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.n; i++) {
    const px = x[o + 3 * i], py = x[o + 3 * i + 1];
    if (px < b[0]) b[0] = px; if (px > b[2]) b[2] = px;
    if (py < b[1]) b[1] = py; if (py > b[3]) b[3] = py;
  }
  return b;
}

// even-odd point in ring
function inside(ring: PackedPositions, px: number, py: number): boolean {
  const x = ring.xyz, o = ring.off ?? 0, n = ring.n;
  let c = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = x[o + 3 * i], yi = x[o + 3 * i + 1], xj = x[o + 3 * j], yj = x[o + 3 * j + 1];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/**
 * Rings into polygons as GDAL's Shapefile driver does: one part is a Polygon; otherwise clockwise rings
 * are exteriors and every counter-clockwise ring is a hole of the smallest exterior containing it (a hole
 * in none stands as a polygon of its own). One exterior: a Polygon with every other ring as a hole.
 */
export function organize(rings: PackedPositions[]): AnyGeometry {
  if (rings.length === 1) return { type: 'Polygon', coordinates: rings };
  const area = rings.map(signedArea);
  const outer = rings.map((_, i) => area[i] <= 0);
  const outers = rings.map((_, i) => i).filter((i) => outer[i]);
  if (outers.length === 1) {
    const o = outers[0];
    return { type: 'Polygon', coordinates: [rings[o], ...rings.filter((_, i) => i !== o)] };
  }
  const boxes = rings.map(boxOf);
  const polys = new Map<number, PackedPositions[]>();
  for (const i of outers) polys.set(i, [rings[i]]);
  const loose: PackedPositions[][] = [];
  for (let i = 0; i < rings.length; i++) {
    if (outer[i]) continue;
    const b = boxes[i];
    let best = -1, bestArea = Infinity;
    for (const o of outers) {
      const ob = boxes[o];
      if (b[0] < ob[0] || b[2] > ob[2] || b[1] < ob[1] || b[3] > ob[3]) continue;
      // a vertex of the hole that is inside the exterior (vertices on its edge do not decide)
      const h = rings[i], hx = h.xyz, ho = h.off ?? 0;
      let hit = false;
      for (let k = 0; k < h.n && !hit; k++) hit = inside(rings[o], hx[ho + 3 * k], hx[ho + 3 * k + 1]);
      if (hit && Math.abs(area[o]) < bestArea) { best = o; bestArea = Math.abs(area[o]); }
    }
    if (best >= 0) (polys.get(best) as PackedPositions[]).push(rings[i]);
    else loose.push([rings[i]]);
  }
  const members = [...outers.map((o) => polys.get(o) as PackedPositions[]), ...loose];
  if (members.length === 1) return { type: 'Polygon', coordinates: members[0] };
  return { type: 'MultiPolygon', coordinates: members };
}
