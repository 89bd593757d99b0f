// Features as columns: the form a reader writes straight from a file's bytes, and the engine flattens
// without an object per feature, ring or vertex (see features/flatten-flat.ts). A layer that carries it
// still answers `features` as GeoJSON, built on first use (attachFlat), so every other consumer reads
// it as before. Browser-safe.
//
// The model, three levels under a feature, every level an offset column one longer than its count:
//   feature f  -> members memberStart[f] .. memberStart[f + 1]   (a MultiPolygon's polygons, a
//                 MultiLineString's lines, a GeometryCollection's leaf geometries; one for the others)
//   member m   -> parts   partStart[m] .. partStart[m + 1]       (a polygon's rings, a line, one part
//                 per point of a MultiPoint, one for a Point)
//   part p     -> vertices vertexStart[p] .. vertexStart[p + 1]  (x, y at xy[2v], xy[2v + 1]; z[v])
// geomType[f] is the feature's type (GEOM_*; GEOM_NONE for a null geometry, which has no member) and
// memberType[m] the member's own (Point, LineString, Polygon or MultiPoint): what decides GDAL's split
// into shapes and each part's vertex order. Attribute fields are columns by name, one value per feature.
//
// A reader fills a FlatBuilder:
//   const b = new FlatBuilder([{ name: 'height', numeric: true }, { name: 'name', numeric: false }]);
//   b.beginFeature(GEOM_POLYGON);          // or GEOM_NONE for a null geometry, then endFeature()
//   b.beginMember(GEOM_POLYGON);
//   b.beginPart(); const v = b.addVertices(n); b.xy[2 * v] = x0; ...   // per ring
//   b.number(0, 12.5); b.value(1, 'Main St');                          // null: b.number(0, null)
//   b.endFeature();                          // or b.dropFeature() to leave it out after all
//   const flat = b.finish();
// and hands the layer on with attachFlat(layer, flat): rasterize() and the CLI then take
// the direct path; anything that reads layer.features gets GeoJSON built from the columns.
import type { AnyGeometry, GeoJSONFeature, PackedPositions } from './geojson.js';

export const GEOM_NONE = 0;
export const GEOM_POINT = 1;
export const GEOM_LINESTRING = 2;
export const GEOM_POLYGON = 3;
export const GEOM_MULTIPOINT = 4;
export const GEOM_MULTILINESTRING = 5;
export const GEOM_MULTIPOLYGON = 6;
export const GEOM_COLLECTION = 7;

const NAMES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;

/** An attribute column: numbers (nulls flagged) or any values as a feature's properties hold them. */
export type FlatColumn =
  | { name: string; numeric: true; values: Float64Array; nulls: Uint8Array }
  | { name: string; numeric: false; values: unknown[] };

/** Features as columns (see the model above). */
export interface FlatFeatures {
  count: number;
  geomType: Uint8Array;
  memberStart: Int32Array;
  memberType: Uint8Array;
  partStart: Int32Array;
  vertexStart: Int32Array;
  xy: Float64Array;
  /** per vertex; null when no geometry had Z */
  z: Float64Array | null;
  columns: FlatColumn[];
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

// a copy of `a` with room for exactly n
function resize<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Builds FlatFeatures feature by feature; every array grows by doubling. */
export class FlatBuilder {
  count = 0;
  private members = 0;
  private parts = 0;
  /** vertices written */
  vertices = 0;
  geomType: Uint8Array;
  memberStart: Int32Array;
  memberType: Uint8Array;
  partStart: Int32Array;
  vertexStart: Int32Array;
  /** x, y of vertex v at xy[2v], xy[2v + 1]: write them after addVertices */
  xy: Float64Array;
  /** z of vertex v, once ensureZ() was called (zeros for the vertices before) */
  z: Float64Array | null = null;
  private numbers: { values: Float64Array; nulls: Uint8Array }[] = [];
  private anys: unknown[][] = [];
  private readonly specs: readonly { name: string; numeric: boolean }[];

  /**
   * `columns`: the attribute fields kept, in the order number()/value() address them. `expect`: about how
   * many features and vertices will come (a file's header count, its size over 16 bytes a vertex), to
   * allocate once instead of doubling
   */
  constructor(columns: readonly { name: string; numeric: boolean }[] = [], expect: { features?: number; vertices?: number } = {}) {
    const nf = Math.max(1024, Math.min(expect.features ?? 0, 1 << 26));
    const nv = Math.max(4096, Math.min(expect.vertices ?? 0, 1 << 27));
    this.geomType = new Uint8Array(nf);
    this.memberStart = new Int32Array(nf + 1);
    this.memberType = new Uint8Array(nf);
    this.partStart = new Int32Array(nf + 1);
    this.vertexStart = new Int32Array(nf + 1);
    this.xy = new Float64Array(2 * nv);
    this.specs = columns;
    for (const c of columns) {
      this.numbers.push(c.numeric ? { values: new Float64Array(nf), nulls: new Uint8Array(nf) } : { values: new Float64Array(0), nulls: new Uint8Array(0) });
      this.anys.push([]);
    }
  }

  /** starts feature `count` with its geometry type (GEOM_NONE: a null geometry) */
  beginFeature(type: number): void {
    const f = this.count;
    if (f >= this.geomType.length) {
      // the per-feature columns grow together; memberStart keeps its one more
      const cap = 2 * this.geomType.length;
      this.geomType = resize(this.geomType, cap);
      this.memberStart = resize(this.memberStart, cap + 1);
      for (let k = 0; k < this.specs.length; k++) {
        if (!this.specs[k].numeric) continue;
        const c = this.numbers[k];
        c.values = resize(c.values, cap);
        c.nulls = resize(c.nulls, cap);
      }
    }
    this.geomType[f] = type;
    this.memberStart[f] = this.members;
  }

  /** a member of the open feature: GEOM_POINT, GEOM_LINESTRING, GEOM_POLYGON or GEOM_MULTIPOINT */
  beginMember(type: number): void {
    const m = this.members++;
    if (m >= this.memberType.length) {
      const cap = 2 * this.memberType.length;
      this.memberType = resize(this.memberType, cap);
      this.partStart = resize(this.partStart, cap + 1);
    }
    this.memberType[m] = type;
    this.partStart[m] = this.parts;
  }

  /** a part (ring, line, point) of the open member */
  beginPart(): void {
    const p = this.parts++;
    if (p + 1 >= this.vertexStart.length) this.vertexStart = resize(this.vertexStart, 2 * this.vertexStart.length);
    this.vertexStart[p] = this.vertices;
  }

  /** room for n vertices of the open part; returns the first one's index (x at xy[2 * index]) */
  addVertices(n: number): number {
    const v = this.vertices;
    this.vertices += n;
    if (2 * this.vertices > this.xy.length) this.xy = grow(this.xy, 2 * this.vertices);
    if (this.z && this.vertices > this.z.length) this.z = grow(this.z, this.vertices);
    return v;
  }

  /** makes the z column (zeros so far); returns it. Call again after addVertices: the array may grow */
  ensureZ(): Float64Array {
    if (!this.z) this.z = new Float64Array(Math.max(this.xy.length >> 1, this.vertices));
    else if (this.vertices > this.z.length) this.z = grow(this.z, this.vertices);
    return this.z;
  }

  /** the open feature's value of numeric column k (null: no value) */
  number(k: number, v: number | null): void {
    const c = this.numbers[k];
    if (v === null) { c.values[this.count] = 0; c.nulls[this.count] = 1; } else { c.values[this.count] = v; c.nulls[this.count] = 0; }
  }

  /** the open feature's value of non-numeric column k, as its properties would hold it */
  value(k: number, v: unknown): void {
    this.anys[k][this.count] = v;
  }

  endFeature(): void {
    this.count++;
  }

  /** forgets the open feature (a where filter rejected it) */
  dropFeature(): void {
    const f = this.count;
    this.members = this.memberStart[f];
    this.parts = this.partStart[this.members];
    this.vertices = this.vertexStart[this.parts];
    for (let k = 0; k < this.specs.length; k++) if (!this.specs[k].numeric) this.anys[k].length = f;
  }

  /** the open feature's properties (for a where filter before endFeature) */
  properties(): Record<string, unknown> {
    const p: Record<string, unknown> = {};
    for (let k = 0; k < this.specs.length; k++) {
      const c = this.numbers[k];
      p[this.specs[k].name] = this.specs[k].numeric ? (c.nulls[this.count] ? null : c.values[this.count]) : this.anys[k][this.count];
    }
    return p;
  }

  finish(): FlatFeatures {
    const n = this.count;
    this.memberStart[n] = this.members;
    this.partStart[this.members] = this.parts;
    this.vertexStart[this.parts] = this.vertices;
    const columns: FlatColumn[] = this.specs.map((s, k) => {
      if (!s.numeric) {
        const a = this.anys[k];
        a.length = n;
        return { name: s.name, numeric: false, values: a };
      }
      return { name: s.name, numeric: true, values: this.numbers[k].values.subarray(0, n), nulls: this.numbers[k].nulls.subarray(0, n) };
    });
    return {
      count: n,
      geomType: this.geomType.subarray(0, n),
      memberStart: this.memberStart.subarray(0, n + 1),
      memberType: this.memberType.subarray(0, this.members),
      partStart: this.partStart.subarray(0, this.members + 1),
      vertexStart: this.vertexStart.subarray(0, this.parts + 1),
      xy: this.xy.subarray(0, 2 * this.vertices),
      z: this.z ? this.z.subarray(0, this.vertices) : null,
      columns,
    };
  }
}

/** feature f's value of column c, as its GeoJSON properties hold it */
export function columnValue(c: FlatColumn, f: number): unknown {
  if (c.numeric) return c.nulls[f] ? null : c.values[f];
  const v = c.values[f];
  return v === undefined ? null : v;
}

/** The first vertex of `flat` outside longitude/latitude's range, or null. */
export function flatBeyondLonLat(flat: FlatFeatures): [number, number] | null {
  const xy = flat.xy;
  for (let k = 0; k + 1 < xy.length; k += 2) if (Math.abs(xy[k]) > 180 || Math.abs(xy[k + 1]) > 90) return [xy[k], xy[k + 1]];
  return null;
}

/** The extent of every vertex (OGR_L_GetExtent's rule: all features, Z ignored; as layerExtent reads packed positions); null when there is none. */
export function flatExtent(flat: FlatFeatures): [number, number, number, number] | null {
  const xy = flat.xy;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let k = 0; k + 1 < xy.length; k += 2) {
    const x = xy[k], y = xy[k + 1];
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  return x0 <= x1 ? [x0, y0, x1, y1] : null;
}

// the flat form rides on a layer under this key, not enumerable: JSON and structured clones of the layer
// hold its GeoJSON features only
const FLAT = Symbol.for('rasterburn.flat');

/**
 * Gives `layer` its features as `flat`: layer.features becomes GeoJSON built from the columns on first
 * read (properties: the columns), after which the flat form is dropped (the features may be changed
 * then). Assigning features drops it too.
 */
export function attachFlat<L extends { features: GeoJSONFeature<AnyGeometry>[] }>(layer: L, flat: FlatFeatures): L {
  let built: GeoJSONFeature<AnyGeometry>[] | null = null;
  Object.defineProperty(layer, FLAT, { value: flat, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(layer, 'features', {
    enumerable: true,
    configurable: true,
    get(): GeoJSONFeature<AnyGeometry>[] {
      if (!built) {
        built = toGeoJSON(flat);
        (layer as Record<symbol, unknown>)[FLAT] = undefined;
      }
      return built;
    },
    set(v: GeoJSONFeature<AnyGeometry>[]) {
      built = v;
      (layer as Record<symbol, unknown>)[FLAT] = undefined;
    },
  });
  return layer;
}

/** The flat form of an input, while its GeoJSON features were never read; else undefined. */
export function flatOf(input: unknown): FlatFeatures | undefined {
  return input && typeof input === 'object' ? (input as Record<symbol, FlatFeatures | undefined>)[FLAT] : undefined;
}

/** GeoJSON features (packed coordinates) from flat columns. */
export function toGeoJSON(flat: FlatFeatures): GeoJSONFeature<AnyGeometry>[] {
  const out: GeoJSONFeature<AnyGeometry>[] = new Array(flat.count);
  const { memberStart, memberType, partStart, vertexStart, xy, z } = flat;
  const hasZ = z !== null;
  // one pool for every position: PackedPositions address it by offset
  const xyz = new Float64Array(3 * (xy.length >> 1));
  for (let v = 0, k = 0; k < xyz.length; v++, k += 3) {
    xyz[k] = xy[2 * v]; xyz[k + 1] = xy[2 * v + 1]; xyz[k + 2] = z ? z[v] : 0;
  }
  const part = (p: number): PackedPositions => ({ xyz, off: 3 * vertexStart[p], n: vertexStart[p + 1] - vertexStart[p], hasZ });
  const member = (m: number): AnyGeometry => {
    const a = partStart[m], b = partStart[m + 1];
    switch (memberType[m]) {
      case GEOM_POINT: return { type: 'Point', coordinates: a < b ? part(a) : { xyz, off: 0, n: 0, hasZ } };
      case GEOM_LINESTRING: return { type: 'LineString', coordinates: a < b ? part(a) : { xyz, off: 0, n: 0, hasZ } };
      case GEOM_MULTIPOINT: {
        // the points' parts are consecutive vertices
        const from = vertexStart[a], to = vertexStart[b];
        return { type: 'MultiPoint', coordinates: { xyz, off: 3 * from, n: to - from, hasZ } };
      }
      default: {
        const rings: PackedPositions[] = [];
        for (let p = a; p < b; p++) rings.push(part(p));
        return { type: 'Polygon', coordinates: rings };
      }
    }
  };
  for (let f = 0; f < flat.count; f++) {
    const m0 = memberStart[f], m1 = memberStart[f + 1];
    let geometry: AnyGeometry | null = null;
    const t = flat.geomType[f];
    if (t === GEOM_MULTILINESTRING) {
      const lines: PackedPositions[] = [];
      for (let m = m0; m < m1; m++) lines.push((member(m) as { coordinates: PackedPositions }).coordinates);
      geometry = { type: 'MultiLineString', coordinates: lines };
    } else if (t === GEOM_MULTIPOLYGON) {
      const polys: PackedPositions[][] = [];
      for (let m = m0; m < m1; m++) polys.push((member(m) as { coordinates: PackedPositions[] }).coordinates);
      geometry = { type: 'MultiPolygon', coordinates: polys };
    } else if (t === GEOM_COLLECTION) {
      const members: AnyGeometry[] = [];
      for (let m = m0; m < m1; m++) members.push(member(m));
      geometry = { type: 'GeometryCollection', geometries: members as never };
    } else if (t !== GEOM_NONE) {
      geometry = m0 < m1 ? member(m0) : null;
      if (geometry && NAMES[t] !== geometry.type) throw new Error(`internal: flat feature ${f} is a ${NAMES[t]} with a ${geometry.type} member`);
    }
    const properties: Record<string, unknown> = {};
    for (const c of flat.columns) properties[c.name] = columnValue(c, f);
    out[f] = { type: 'Feature', geometry, properties };
  }
  return out;
}
