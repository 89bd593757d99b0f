// FlatGeobuf features read from their flatbuffer bytes by offset, straight into the flat feature columns
// (features/flat.ts): xy and z vectors copied byte for byte, attribute values decoded only for the fields
// asked for. The package's generated accessors make a Feature and a Geometry object and typed-array views
// for every feature and part: on W1's 100,000 buildings, the same columns written through them took
// 148 ms CPU against 51 ms here (medians of 7, in one process, on a loaded machine;
// bench/results/2026-12-06-formats.md).
//
// Flatbuffer layout used: a table at t starts with an int32 back to its vtable (vt = t - int32(t)); field i
// is at t + uint16(vt + 4 + 2i) when 4 + 2i < uint16(vt), else absent. A vector field holds a uint32
// offset to its length (uint32), the elements following; a table field an offset to the table.
// Feature: 0 geometry (table), 1 properties ([ubyte]). Geometry: 0 ends ([uint32]), 1 xy ([double]),
// 2 z ([double]), 6 type (ubyte), 7 parts ([Geometry]).
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { FlatBuilder, GEOM_COLLECTION, GEOM_LINESTRING, GEOM_MULTILINESTRING, GEOM_MULTIPOINT, GEOM_MULTIPOLYGON, GEOM_NONE, GEOM_POINT, GEOM_POLYGON, type FlatFeatures } from '../features/flat.js';
import type { BBox, Properties } from './layer.js';

// FlatGeobuf's GeometryType numbering, which flat.ts's GEOM_* follow
const GEOM = ['Unknown', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'];
// ColumnType 13, DateTime: ISO text, read as a Date (GDAL's GetFieldAsDouble reads 0 for a date, as fieldAsDouble does for a Date)
const DATETIME = 13;
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const text = new TextDecoder();

/** Reads FlatGeobuf features one by one into flat columns, keeping those the bbox and where filters pass. */
export class FeatureReader {
  private readonly out: FlatBuilder;
  private readonly columns: NonNullable<HeaderMeta['columns']>;
  /** per header column: its flat column, or -1 when not asked for */
  private readonly slot: number[];
  private readonly numeric: boolean[];
  private bytes!: Uint8Array;
  private v!: DataView;

  constructor(bytes: Uint8Array | null, private readonly header: HeaderMeta, wanted: boolean[], private readonly bbox: BBox | undefined, private readonly where: ((p: Properties) => boolean) | undefined) {
    if (bytes) this.use(bytes);
    this.columns = header.columns ?? [];
    const specs: { name: string; numeric: boolean }[] = [];
    this.slot = this.columns.map((c, i) => {
      if (!wanted[i]) return -1;
      // numbers: every integer and float type (Int64 values as doubles, as the package reads them); Bool stays true/false
      specs.push({ name: c.name, numeric: c.type <= 10 && c.type !== 2 });
      return specs.length - 1;
    });
    this.numeric = specs.map((s) => s.numeric);
    this.out = new FlatBuilder(specs, { features: header.featuresCount, vertices: bytes ? bytes.length >> 4 : 0 });
  }

  private use(bytes: Uint8Array): void {
    if (this.bytes === bytes) return;
    this.bytes = bytes;
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // field i of the table at t: its position, or 0 when absent
  private field(t: number, i: number): number {
    const vt = t - this.v.getInt32(t, true);
    const o = 4 + 2 * i < this.v.getUint16(vt, true) ? this.v.getUint16(vt + 4 + 2 * i, true) : 0;
    return o ? t + o : 0;
  }

  // the vector at field position p: [first element's position, length], checked against the buffer
  private vector(p: number, size: number): [number, number] {
    const at = p + this.v.getUint32(p, true);
    const n = this.v.getUint32(at, true);
    if (at + 4 + n * size > this.bytes.length) throw new Error(`a vector of ${n} elements runs past the end of the data`);
    return [at + 4, n];
  }

  /** reads the feature table at `table` in `bytes`; `at` names it in errors */
  read(bytes: Uint8Array, table: number, at: string): void {
    this.use(bytes);
    const out = this.out;
    try {
      const gp = this.field(table, 0);
      const g = gp ? gp + this.v.getUint32(gp, true) : 0;
      const firstVertex = out.vertices;
      if (g) this.geometry(g, this.header.geometryType, true);
      else out.beginFeature(GEOM_NONE);
      if (this.bbox && !(g && this.meets(firstVertex))) { out.dropFeature(); return; }
      this.properties(table);
    } catch (e) {
      throw new Error(`${at}: ${(e as Error).message}`);
    }
    if (this.where && !this.where(out.properties())) out.dropFeature();
    else out.endFeature();
  }

  finish(): FlatFeatures {
    return this.out.finish();
  }

  // whether the box of the open feature's vertices meets the bbox (none: it does not)
  private meets(from: number): boolean {
    const xy = this.out.xy, b = this.bbox as BBox;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let k = 2 * from, end = 2 * this.out.vertices; k < end; k += 2) {
      const x = xy[k], y = xy[k + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x;
      if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    return x0 <= x1 && x0 <= b[2] && x1 >= b[0] && y0 <= b[3] && y1 >= b[1];
  }

  // vertices a..b of the geometry table's xy (and z) vectors as a new part of the open member
  private part(xyAt: number, zAt: number, a: number, b: number): void {
    const out = this.out;
    out.beginPart();
    const n = b - a;
    const to = out.addVertices(n);
    // a byte copy needs two typed-array views, which cost more than reading a small ring's doubles one by one
    const xy = out.xy, v = this.v;
    if (LITTLE && n >= 32) new Uint8Array(xy.buffer, xy.byteOffset + 16 * to, 16 * n).set(this.bytes.subarray(xyAt + 16 * a, xyAt + 16 * b));
    else for (let k = 2 * to, at = xyAt + 16 * a, end = xyAt + 16 * b; at < end; k++, at += 8) xy[k] = v.getFloat64(at, true);
    if (zAt >= 0) {
      const z = out.ensureZ();
      for (let i = 0; i < n; i++) z[to + i] = this.v.getFloat64(zAt + 8 * (a + i), true);
    }
  }

  // the part ends of a geometry table: its ends vector, else one part of all its vertices
  private lists(g: number): { xyAt: number; zAt: number; ends: number[] } {
    const xyP = this.field(g, 1);
    const [xyAt, len] = xyP ? this.vector(xyP, 8) : [0, 0];
    const n = len >> 1;
    const zP = this.field(g, 2);
    let zAt = -1;
    if (zP) {
      const [at, zn] = this.vector(zP, 8);
      if (zn < n) throw new Error(`geometry has ${zn} z values for ${n} vertices`);
      zAt = at;
    }
    const endsP = this.field(g, 0);
    const ends: number[] = [];
    if (endsP) {
      const [at, k] = this.vector(endsP, 4);
      for (let i = 0; i < k; i++) ends.push(this.v.getUint32(at + 4 * i, true));
    }
    if (!ends.length) ends.push(n);
    let a = 0;
    for (const e of ends) {
      if (e < a || e > n) throw new Error(`geometry part end ${e} outside its ${n} vertices`);
      a = e;
    }
    return { xyAt, zAt, ends };
  }

  private type(g: number): number {
    const p = this.field(g, 6);
    return p ? this.v.getUint8(p) : 0;
  }

  private parts(g: number): number[] {
    const p = this.field(g, 7);
    if (!p) return [];
    const [at, n] = this.vector(p, 4);
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(at + 4 * k + this.v.getUint32(at + 4 * k, true));
    return out;
  }

  // geometry table g of `headerType` (0: its own type) as the open feature (top) or as members of it
  private geometry(g: number, headerType: number, top: boolean): void {
    const out = this.out;
    const t = headerType === 0 ? this.type(g) : headerType;
    switch (t) {
      case GEOM_POINT: case GEOM_LINESTRING: case GEOM_MULTIPOINT: {
        // the first part only (a point's or a line's vertices; a MultiPoint's points)
        const { xyAt, zAt, ends } = this.lists(g);
        if (top) out.beginFeature(t);
        out.beginMember(t);
        if (t === GEOM_MULTIPOINT) for (let i = 0; i < ends[0]; i++) this.part(xyAt, zAt, i, i + 1);
        else this.part(xyAt, zAt, 0, ends[0]);
        return;
      }
      case GEOM_POLYGON: case GEOM_MULTILINESTRING: {
        const { xyAt, zAt, ends } = this.lists(g);
        if (top) out.beginFeature(t);
        if (t === GEOM_POLYGON) out.beginMember(GEOM_POLYGON);
        let a = 0;
        for (const e of ends) {
          if (t === GEOM_MULTILINESTRING) out.beginMember(GEOM_LINESTRING);
          this.part(xyAt, zAt, a, e);
          a = e;
        }
        return;
      }
      case GEOM_MULTIPOLYGON: {
        if (top) out.beginFeature(t);
        for (const p of this.parts(g)) this.geometry(p, GEOM_POLYGON, false);
        return;
      }
      case GEOM_COLLECTION: {
        // members as leaf geometries: a MultiPolygon member's polygons, a nested collection's members
        if (top) out.beginFeature(t);
        for (const p of this.parts(g)) this.geometry(p, 0, false);
        return;
      }
      default: throw new Error(`FlatGeobuf geometry type ${GEOM[t] ?? t} is not supported`);
    }
  }

  // the package's parseProperties, reading only the wanted columns' values and stepping over the others'
  // bytes (it decodes every text value of every feature, which is most of a wide layer's reading time);
  // a wanted column the feature has no value of is null
  private properties(table: number): void {
    const out = this.out, v = this.v, cols = this.columns;
    for (let k = 0; k < this.numeric.length; k++) if (this.numeric[k]) out.number(k, null); else out.value(k, null);
    const pp = cols.length ? this.field(table, 1) : 0;
    if (!pp) return;
    const [start, length] = this.vector(pp, 1);
    let at = start;
    const end = start + length;
    while (at < end) {
      const i = v.getUint16(at, true);
      at += 2;
      const c = cols[i];
      if (!c) throw new Error(`property of column ${i}, which the header does not have`);
      const k = this.slot[i];
      const t = c.type;
      let x: number | boolean | null = null;
      if (t <= 2) { if (k >= 0) x = t === 2 ? !!v.getUint8(at) : t === 0 ? v.getInt8(at) : v.getUint8(at); at += 1; }
      else if (t <= 4) { if (k >= 0) x = t === 3 ? v.getInt16(at, true) : v.getUint16(at, true); at += 2; }
      else if (t <= 6) { if (k >= 0) x = t === 5 ? v.getInt32(at, true) : v.getUint32(at, true); at += 4; }
      else if (t <= 8) { if (k >= 0) x = Number(t === 7 ? v.getBigInt64(at, true) : v.getBigUint64(at, true)); at += 8; }
      else if (t === 9) { if (k >= 0) x = v.getFloat32(at, true); at += 4; }
      else if (t === 10) { if (k >= 0) x = v.getFloat64(at, true); at += 8; }
      else if (t <= 14) {
        const n = v.getUint32(at, true);
        at += 4;
        if (k >= 0) {
          const bytes = this.bytes.subarray(at, at + n);
          let value: unknown = t === 14 ? bytes : t === 12 ? JSON.parse(text.decode(bytes)) : text.decode(bytes);
          if (t === DATETIME) {
            const d = new Date(value as string);
            if (!Number.isNaN(d.getTime())) value = d;
          }
          out.value(k, value);
        }
        at += n;
        continue;
      } else throw new Error(`Unknown type ${t}`);
      if (k >= 0) {
        if (this.numeric[k]) out.number(k, x as number);
        else out.value(k, x);
      }
    }
  }
}
