// Well-Known Binary (ISO, with the EWKB Z/M/SRID flags PostGIS writes) read straight into the flat
// feature columns (features/flat.ts): what GeoPackage and GeoParquet store. Hand-written because no
// installed library reads WKB without building an object per geometry (hyparquet's own parser makes
// GeoJSON with an array per vertex), and this is the hot path of a large file. Reads any byte view, the
// sql.js heap included, so a GeoPackage's geometries are parsed where SQLite left them.
import { FlatBuilder, GEOM_COLLECTION, GEOM_LINESTRING, GEOM_MULTILINESTRING, GEOM_MULTIPOINT, GEOM_MULTIPOLYGON, GEOM_POINT, GEOM_POLYGON } from '../features/flat.js';

const CURVES: Record<number, string> = { 8: 'CircularString', 9: 'CompoundCurve', 10: 'CurvePolygon', 11: 'MultiCurve', 12: 'MultiSurface', 13: 'Curve', 14: 'Surface', 15: 'PolyhedralSurface', 16: 'TIN', 17: 'Triangle' };
const NAMES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'];
const MAX_DEPTH = 32;

/**
 * Parses WKB into a FlatBuilder, one feature per call; one instance serves a whole layer.
 *
 * @example
 * const b = new FlatBuilder([{ name: 'h', numeric: true }]);
 * const wkb = new WkbFlatReader(b);
 * wkb.feature(new DataView(bytes.buffer), bytes.byteOffset, bytes.byteOffset + bytes.length);
 * b.number(0, 12); b.endFeature();
 */
export class WkbFlatReader {
  private v: DataView = new DataView(new ArrayBuffer(0));
  private i = 0;
  private start = 0;
  private end = 0;
  private le = true;
  // values per position (2 to 4: x, y, then Z and M when present) of the geometry last read by head()
  private stride = 2;

  constructor(private readonly b: FlatBuilder) {}

  /**
   * Begins a feature of the builder with the geometry in bytes [start, end) of `view` (a DataView over a
   * whole buffer, which may be reused from call to call) as its members, parts and vertices; the caller
   * adds the attribute values and ends (or drops) the feature. Throws a one-line error on truncated or
   * unsupported input (the reader then gives up the whole layer).
   */
  feature(view: DataView, start: number, end: number): void {
    this.v = view;
    this.i = this.start = start;
    this.end = end;
    const [type, hasZ] = this.head();
    this.b.beginFeature(type);
    this.body(type, hasZ, 0);
  }

  private need(n: number): void {
    if (this.i + n > this.end) throw new Error(`WKB truncated at byte ${this.i - this.start} (needs ${n} more of ${this.end - this.start})`);
  }

  // the byte order and type of the geometry at i: returns [GEOM_* type, hasZ] and sets the stride
  private head(): [number, boolean] {
    this.need(5);
    const v = this.v;
    this.le = v.getUint8(this.i) === 1;
    let t = v.getUint32(this.i + 1, this.le);
    this.i += 5;
    let hasZ = (t & 0x80000000) !== 0;
    let hasM = (t & 0x40000000) !== 0;
    if (t & 0x20000000) { this.need(4); this.i += 4; }
    t &= 0x0fffffff;
    const dim = Math.floor(t / 1000);
    t %= 1000;
    if (dim === 1 || dim === 3) hasZ = true;
    if (dim === 2 || dim === 3) hasM = true;
    if (t < 1 || t > 7) throw new Error(`WKB geometry type ${CURVES[t] ?? t} is not supported`);
    this.stride = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
    return [t, hasZ];
  }

  // the geometry's body (after its header) as members of the open feature
  private body(type: number, hasZ: boolean, depth: number): void {
    const b = this.b;
    const stride = this.stride;
    switch (type) {
      case GEOM_POINT: {
        b.beginMember(GEOM_POINT);
        this.need(stride * 8);
        const x = this.v.getFloat64(this.i, this.le), y = this.v.getFloat64(this.i + 8, this.le);
        // an empty point is written as NaN NaN: a member without parts
        if (!(Number.isNaN(x) && Number.isNaN(y))) {
          b.beginPart();
          this.vertices(1, stride, hasZ);
        } else this.i += stride * 8;
        return;
      }
      case GEOM_LINESTRING:
        b.beginMember(GEOM_LINESTRING);
        b.beginPart();
        this.vertices(this.count(), stride, hasZ);
        return;
      case GEOM_POLYGON: {
        b.beginMember(GEOM_POLYGON);
        const n = this.count();
        for (let r = 0; r < n; r++) {
          b.beginPart();
          this.vertices(this.count(), stride, hasZ);
        }
        return;
      }
      case GEOM_MULTIPOINT: {
        const n = this.count();
        b.beginMember(GEOM_MULTIPOINT);
        for (let k = 0; k < n; k++) {
          const [t, z] = this.head();
          if (t !== GEOM_POINT) throw new Error(`WKB MultiPoint holds a ${NAMES[t]}`);
          this.need(this.stride * 8);
          const x = this.v.getFloat64(this.i, this.le), y = this.v.getFloat64(this.i + 8, this.le);
          // empty points are left out
          if (Number.isNaN(x) && Number.isNaN(y)) { this.i += this.stride * 8; continue; }
          b.beginPart();
          this.vertices(1, this.stride, z);
        }
        return;
      }
      case GEOM_MULTILINESTRING: case GEOM_MULTIPOLYGON: {
        const want = type === GEOM_MULTILINESTRING ? GEOM_LINESTRING : GEOM_POLYGON;
        const n = this.count();
        for (let k = 0; k < n; k++) {
          const [t, z] = this.head();
          if (t !== want) throw new Error(`WKB ${NAMES[type]} holds a ${NAMES[t]}`);
          this.body(t, z, depth + 1);
        }
        return;
      }
      case GEOM_COLLECTION: {
        if (depth >= MAX_DEPTH) throw new Error('WKB nested too deep');
        const n = this.count();
        for (let k = 0; k < n; k++) {
          const [t, z] = this.head();
          this.body(t, z, depth + 1);
        }
        return;
      }
    }
  }

  private count(): number {
    this.need(4);
    const n = this.v.getUint32(this.i, this.le);
    this.i += 4;
    return n;
  }

  private vertices(n: number, stride: number, hasZ: boolean): void {
    this.need(n * stride * 8);
    const b = this.b;
    const first = b.addVertices(n);
    const xy = b.xy, v = this.v, le = this.le;
    let i = this.i;
    for (let j = 0, k = 2 * first; j < n; j++, i += stride * 8, k += 2) {
      xy[k] = v.getFloat64(i, le);
      xy[k + 1] = v.getFloat64(i + 8, le);
    }
    if (hasZ) {
      const z = b.ensureZ();
      for (let j = 0, at = this.i + 16; j < n; j++, at += stride * 8) z[first + j] = v.getFloat64(at, le);
    }
    this.i = i;
  }
}
