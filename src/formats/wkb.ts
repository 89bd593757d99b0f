// Well-Known Binary (ISO, with the EWKB Z/M/SRID flags PostGIS writes) into GeoJSON geometries with
// packed coordinates: what GeoPackage and GeoParquet store. Hand-written because no installed library
// reads WKB, and a parser making one array per position would be the hot path of a large file.
import type { AnyGeometry, PackedPositions } from '../features/geojson.js';
import type { Packer } from './packer.js';

const NAMES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;
const CURVES: Record<number, string> = { 8: 'CircularString', 9: 'CompoundCurve', 10: 'CurvePolygon', 11: 'MultiCurve', 12: 'MultiSurface', 13: 'Curve', 14: 'Surface', 15: 'PolyhedralSurface', 16: 'TIN', 17: 'Triangle' };

class Reader {
  i: number;
  constructor(readonly v: DataView, start: number, readonly packer: Packer) { this.i = start; }

  need(n: number): void {
    if (this.i + n > this.v.byteLength) throw new Error(`WKB truncated at byte ${this.i} (needs ${n} more of ${this.v.byteLength})`);
  }

  geometry(depth: number): AnyGeometry {
    if (depth > 32) throw new Error('WKB nested too deep');
    this.need(5);
    const le = this.v.getUint8(this.i) === 1;
    let t = this.v.getUint32(this.i + 1, le);
    this.i += 5;
    let hasZ = false, hasM = false;
    if (t & 0x80000000) hasZ = true;
    if (t & 0x40000000) hasM = true;
    if (t & 0x20000000) { this.need(4); this.i += 4; }
    t &= 0x0fffffff;
    const dim = Math.floor(t / 1000);
    t %= 1000;
    if (dim === 1 || dim === 3) hasZ = true;
    if (dim === 2 || dim === 3) hasM = true;
    const name = NAMES[t];
    if (!name) throw new Error(`WKB geometry type ${CURVES[t] ?? t} is not supported`);
    const stride = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
    switch (name) {
      case 'Point': {
        const p = this.positions(1, stride, hasZ, le);
        // an empty point is written as NaN NaN
        if (Number.isNaN(p.xyz[p.off ?? 0]) && Number.isNaN(p.xyz[(p.off ?? 0) + 1])) p.n = 0;
        return { type: 'Point', coordinates: p };
      }
      case 'LineString': return { type: 'LineString', coordinates: this.counted(stride, hasZ, le) };
      case 'Polygon': {
        const n = this.count(le);
        const rings: PackedPositions[] = [];
        for (let r = 0; r < n; r++) rings.push(this.counted(stride, hasZ, le));
        return { type: 'Polygon', coordinates: rings };
      }
      default: {
        const n = this.count(le);
        const members: AnyGeometry[] = [];
        for (let k = 0; k < n; k++) members.push(this.geometry(depth + 1));
        return collect(name, members, this.packer);
      }
    }
  }

  count(le: boolean): number {
    this.need(4);
    const n = this.v.getUint32(this.i, le);
    this.i += 4;
    return n;
  }

  counted(stride: number, hasZ: boolean, le: boolean): PackedPositions {
    return this.positions(this.count(le), stride, hasZ, le);
  }

  positions(n: number, stride: number, hasZ: boolean, le: boolean): PackedPositions {
    this.need(n * stride * 8);
    const p = this.packer.take(n, hasZ);
    const v = this.v, xyz = p.xyz;
    let i = this.i, k = p.off ?? 0;
    for (let j = 0; j < n; j++, i += stride * 8, k += 3) {
      xyz[k] = v.getFloat64(i, le);
      xyz[k + 1] = v.getFloat64(i + 8, le);
      xyz[k + 2] = hasZ ? v.getFloat64(i + 16, le) : 0;
    }
    this.i = i;
    return p;
  }
}

type Coords = { coordinates: unknown };

function collect(name: 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection', members: AnyGeometry[], packer: Packer): AnyGeometry {
  const wrong = (want: string): never => { throw new Error(`WKB ${name} holds a ${members.find((m) => m.type !== want)?.type}`); };
  if (name === 'GeometryCollection') return { type: 'GeometryCollection', geometries: members as never };
  const coords = members.map((m) => (m as Coords).coordinates);
  if (name === 'MultiPoint') {
    if (members.some((m) => m.type !== 'Point')) wrong('Point');
    // one packed list, empty points left out
    const pts = coords as PackedPositions[];
    const kept = pts.filter((p) => p.n > 0);
    const out = packer.take(kept.length, kept.some((p) => p.hasZ));
    kept.forEach((p, k) => out.xyz.set(p.xyz.subarray(p.off ?? 0, (p.off ?? 0) + 3), (out.off ?? 0) + 3 * k));
    return { type: 'MultiPoint', coordinates: out };
  }
  if (name === 'MultiLineString') {
    if (members.some((m) => m.type !== 'LineString')) wrong('LineString');
    return { type: 'MultiLineString', coordinates: coords as PackedPositions[] };
  }
  if (members.some((m) => m.type !== 'Polygon')) wrong('Polygon');
  return { type: 'MultiPolygon', coordinates: coords as PackedPositions[][] };
}

/** Parses one WKB geometry from bytes[start..]; throws a one-line error on truncated or unsupported input. */
export function parseWKB(bytes: Uint8Array, packer: Packer, start = 0): AnyGeometry {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Reader(v, start, packer).geometry(0);
}
