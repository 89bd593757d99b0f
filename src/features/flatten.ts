import { makeTransformer } from '../crs.js';
import { invertTransform } from '../grid.js';
import type { Grid } from '../types.js';
import { ShapeBuilder } from './builder.js';
import { flatOf } from './flat.js';
import { flattenFlat } from './flatten-flat.js';
import { atof } from './field.js';
import { fieldReading, readAs, type FieldReading } from './field-type.js';
import { readableGeometry } from './readable.js';
import { compileWhere, fieldsNamed, layerFields } from '../where/compile.js';
import { isClockwise } from './orient.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON, type ShapeKind, type ShapeSet } from './shapes.js';
import { featureCrsOf, isPacked, iterateFeatures, type FeatureInput, type GeoJSONFeature, type AnyGeometry as GeoJSONGeometry, type PackedPositions, type Position, type Positions } from './geojson.js';
import { assumedLonLatError, MAX_NESTING } from './lonlat.js';

/** What decides the shapes themselves (everything else, like dtype or allTouched, is chosen per burn). */
export interface FlattenOptions {
  /** constant burn value (default 1 when neither attribute nor burnZ is given) */
  burn?: number;
  /** property whose numeric value is burned (GDAL's -a) */
  attribute?: string;
  /** add each vertex's Z to the burn value (GDAL's -3d) */
  burnZ?: boolean;
  /** GDAL splits multi-geometries into separate shapes in 'replace' (default) but not in 'add' */
  merge?: 'replace' | 'add';
  /** GDAL's -i: burn everything outside the polygons (one universe polygon with the features as holes) */
  invert?: boolean;
  /** CRS of the features when the GeoJSON does not name one; default its `crs` member, else CRS84 */
  featureCrs?: string;
  /** a geometry GDAL's reader could not read whole is an error instead of a warning (skipped or part dropped) */
  strict?: boolean;
  /** OGR SQL WHERE clause over the properties (GDAL's -where): features it rejects are not burned */
  where?: string;
}

/** Warnings a flatten keeps one by one; past this many they are counted in one last line. */
export const MAX_FEATURE_WARNINGS = 20;

export interface FlattenStats {
  /** features read */
  features: number;
  /** features skipped: null/empty geometry, a geometry GDAL's reader rejects, or a vertex that failed to reproject */
  skipped: number;
  /** one line per feature whose geometry was rejected or lost parts (see MAX_FEATURE_WARNINGS) */
  warnings?: string[];
  /** features the where clause left out (not counted in features or skipped) */
  filtered?: number;
}

type Mapper = (x: number, y: number) => [number, number];

/**
 * Turns GeoJSON into the ShapeSet engines burn, following GDAL's gv_rasterize_one_shape:
 * reproject to the grid's CRS, split multi-geometries in replace mode, re-orient rings clockwise
 * in world space, reverse lines, and map to pixel space with the inverse geotransform.
 */
export function flattenFeatures(input: FeatureInput, grid: Grid, options: FlattenOptions = {}, stats?: FlattenStats): ShapeSet {
  const merge = options.merge ?? 'replace';
  const burnZ = !!options.burnZ;
  const attribute = options.attribute;
  const base = options.burn ?? (attribute !== undefined || burnZ ? 0 : 1);
  if (!Number.isFinite(base) && !Number.isNaN(base) && Math.abs(base) !== Infinity) throw new Error(`burn value is not a number: ${options.burn}`);
  // a reader's layer held as columns: the same shapes without a GeoJSON object per feature
  const flat = options.invert ? undefined : flatOf(input);
  if (flat) return flattenFlat(input, flat, grid, options, stats ?? { features: 0, skipped: 0 });

  const srcCrs = options.featureCrs ?? featureCrsOf(input) ?? 'OGC:CRS84';
  // let, not const: the -i universe rectangle is built in the grid's CRS and must skip it
  let reproject: Mapper | null = grid.crs ? makeTransformer(srcCrs, grid.crs) : null;
  if (reproject && options.featureCrs === undefined && featureCrsOf(input) === undefined) {
    const e = assumedLonLatError(input, grid.crs as string, 'pass featureCrs');
    if (e) throw e;
  }
  const igt = invertTransform(grid.transform);
  const b = new ShapeBuilder(burnZ);

  // world scratch for one ring/line: orientation must be judged before the pixel transform
  let wx = new Float64Array(256), wy = new Float64Array(256), wz = new Float64Array(256);
  let failed = false;

  const loadPart = (coords: Positions, where: string): number => {
    const n = isPacked(coords) ? coords.n : coords.length;
    if (n > wx.length) {
      const cap = Math.max(n, wx.length * 2);
      wx = new Float64Array(cap); wy = new Float64Array(cap); wz = new Float64Array(cap);
    }
    if (isPacked(coords)) return loadPacked(coords, n, where);
    for (let i = 0; i < n; i++) {
      const p = coords[i];
      if (!Array.isArray(p) || p.length < 2) throw new Error(`${where}: position ${i} is not an array of 2 or 3 numbers: ${positionText(p)}`);
      let x = p[0], y = p[1];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(`${where}: position ${i} has a non-finite coordinate: ${positionText(p)}`);
      }
      if (p.length > 2 && typeof p[2] !== 'number') throw new Error(`${where}: position ${i} has a Z that is not a number: ${JSON.stringify(p)}`);
      if (reproject) {
        [x, y] = reproject(x, y);
        if (!Number.isFinite(x) || !Number.isFinite(y)) failed = true;
      }
      wx[i] = x; wy[i] = y;
      wz[i] = typeof p[2] === 'number' ? p[2] : 0;
    }
    return n;
  };

  // the same rules as for plain positions, read straight from the packed columns
  const loadPacked = (coords: PackedPositions, n: number, where: string): number => {
    const xyz = coords.xyz;
    const off = coords.off ?? 0;
    if (!(Number.isInteger(off) && off >= 0 && xyz.length - off >= 3 * n)) throw new Error(`${where}: packed positions hold ${xyz.length - off} numbers from offset ${off}, fewer than 3 x ${n}`);
    for (let i = 0, k = off; i < n; i++, k += 3) {
      let x = xyz[k], y = xyz[k + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(`${where}: position ${i} has a non-finite coordinate: ${positionText(coords.hasZ ? [x, y, xyz[k + 2]] : [x, y])}`);
      }
      if (reproject) {
        [x, y] = reproject(x, y);
        if (!Number.isFinite(x) || !Number.isFinite(y)) failed = true;
      }
      wx[i] = x; wy[i] = y;
      wz[i] = xyz[k + 2];
    }
    return n;
  };

  const emit = (i: number): void => {
    const x = wx[i], y = wy[i];
    b.vertex(igt[0] + x * igt[1] + y * igt[2], igt[3] + x * igt[4] + y * igt[5], wz[i]);
  };

  const pushRing = (coords: Positions, where: string): void => {
    const n = loadPart(coords, where);
    if (n === 0) return;
    b.beginPart();
    if (isClockwise(wx, wy, 0, n)) for (let i = 0; i < n; i++) emit(i);
    else for (let i = n - 1; i >= 0; i--) emit(i);
  };

  const pushLine = (coords: Positions, where: string): void => {
    const n = loadPart(coords, where);
    if (n === 0) return;
    b.beginPart();
    for (let i = n - 1; i >= 0; i--) emit(i);
  };

  const pushPoint = (coords: Position | PackedPositions, where: string): void => {
    if (isPacked(coords)) {
      if (coords.n === 0) return;
      loadPacked(coords, 1, where);
    } else {
      if (Array.isArray(coords) && coords.length === 0) return;
      loadPart([coords], where);
    }
    b.beginPart();
    emit(0);
  };

  // a packed MultiPoint: every point its own part, as pushPoint makes them one by one
  const pushPoints = (coords: PackedPositions, where: string): void => {
    const n = loadPart(coords, where);
    for (let i = 0; i < n; i++) {
      b.beginPart();
      emit(i);
    }
  };

  // GeometryCollections inside GeometryCollections: a bound instead of a stack overflow (deep or cyclic objects)
  let depth = 0;
  const nest = (where: string, visit: () => void): void => {
    if (++depth > MAX_NESTING) throw new Error(`${where}: GeometryCollections nested more than ${MAX_NESTING} deep (or a cyclic object)`);
    try {
      visit();
    } finally {
      depth--;
    }
  };

  const collect = (g: GeoJSONGeometry, where: string): void => {
    const c = (g as { coordinates?: unknown }).coordinates;
    switch (g.type) {
      case 'Point': pushPoint(c as Position, where); break;
      case 'MultiPoint':
        if (isPacked(c)) pushPoints(c, where);
        else for (const p of arr<Position>(c, where)) pushPoint(p, where);
        break;
      case 'LineString': pushLine(list(c, where), where); break;
      case 'MultiLineString': for (const l of arr<Positions>(c, where)) pushLine(list(l, where), where); break;
      case 'Polygon': for (const r of arr<Positions>(c, where)) pushRing(list(r, where), where); break;
      case 'MultiPolygon':
        for (const poly of arr<Positions[]>(c, where)) for (const r of arr<Positions>(poly, where)) pushRing(list(r, where), where);
        break;
      case 'GeometryCollection':
        nest(where, () => { for (const m of arr<GeoJSONGeometry>((g as { geometries?: unknown }).geometries, where)) collect(checkGeometry(m, where), where); });
        break;
    }
  };

  const addShape = (g: GeoJSONGeometry, value: number, feature: number, where: string): void => {
    if (merge === 'replace') {
      // GDAL burns the members of these one by one in replace mode (a union, not one parity set)
      if (g.type === 'MultiPolygon') {
        for (const poly of arr<Positions[]>(g.coordinates, where)) addShape({ type: 'Polygon', coordinates: poly }, value, feature, where);
        return;
      }
      if (g.type === 'MultiLineString') {
        for (const l of arr<Positions>(g.coordinates, where)) addShape({ type: 'LineString', coordinates: l }, value, feature, where);
        return;
      }
      if (g.type === 'GeometryCollection') {
        nest(where, () => { for (const m of arr<GeoJSONGeometry>(g.geometries, where)) addShape(checkGeometry(m, where), value, feature, where); });
        return;
      }
    }
    b.beginShape(kindOf(g), value, feature);
    collect(g, where);
    b.endShape();
  };

  const st: FlattenStats = stats ?? { features: 0, skipped: 0 };
  st.features = 0; st.skipped = 0;
  const warnings: string[] = st.warnings ?? (st.warnings = []);
  let unread = 0;
  // a geometry the fast path refused: what GDAL's reader keeps of it, reported (or refused with strict)
  const reread = (g: unknown, where: string, e: unknown): GeoJSONGeometry | null => {
    const r = readableGeometry(g);
    if (r.geometry === g && r.problems.length === 0) {
      if (e) throw e;
      return r.geometry;
    }
    if (r.problems.length) {
      const line = `${where}${r.geometry ? '' : ' skipped'}: ${r.problems.join('; ')}`;
      if (options.strict) throw new Error(`${line} (strict)`);
      if (unread++ < MAX_FEATURE_WARNINGS) warnings.push(line);
    }
    return r.geometry;
  };
  if (attribute !== undefined || options.where !== undefined) input = reiterable(input);
  const pass = options.where !== undefined ? compileWhere(options.where, layerFields(iterateFeatures(input), fieldsNamed(options.where))) : null;
  st.filtered = 0;
  const reading: FieldReading = attribute !== undefined ? declaredReading(input, attribute) ?? fieldReading(valuesOf(input, attribute)) : 'number';
  let attributeSeen = attribute === undefined;
  // an Integer64 field also keeps its exact values, which GDAL burns into an Int64 band (pixel rule V10)
  const exact = attribute !== undefined && options.burn === undefined && isInteger64Field(input, attribute);
  if (exact) b.keepExact();
  const exactValue = (props: Record<string, unknown> | null | undefined): bigint => int64Of(props ? props[attribute as string] : undefined);
  const invertPolys: Positions[][] = [];
  let invertValue: number | undefined;
  const featureValue = (props: Record<string, unknown> | null | undefined): number =>
    attribute !== undefined ? base + readAs(reading, props ? props[attribute] : undefined, atof) : base;

  let index = 0;
  for (const f of iterateFeatures(input)) {
    const where = `feature ${index}`;
    const props = f.properties;
    if (!attributeSeen && props && typeof props === 'object' && Object.prototype.hasOwnProperty.call(props, attribute as string)) attributeSeen = true;
    if (pass && !pass(props)) { st.filtered++; index++; continue; }
    st.features++;
    let g: GeoJSONGeometry | null | undefined = f.geometry;
    if (g === null || g === undefined) { st.skipped++; index++; continue; }
    if (options.invert) {
      // checked whole, points and lines too: -i drops them, but a bad one is still reported
      g = reread(g, where, null);
      if (g) collectPolygons(g, invertPolys, where);
      if (!g) { st.skipped++; index++; continue; }
      // -i burns one shape; GDAL gives it the value of the first feature that has a geometry
      if (invertValue === undefined) {
        invertValue = f.value ?? featureValue(props);
        if (exact) b.exact = exactValue(props);
      }
      index++;
      continue;
    }
    // a [geometry, value] pair burns its own value (rasterio's shapes); options.burn is the others' default
    const value = f.value ?? featureValue(props);
    if (exact) b.exact = f.value !== undefined ? int64Of(f.value) : exactValue(props);
    const mark = b.mark();
    failed = false;
    try {
      addShape(checkGeometry(g, where), value, index, where);
    } catch (e) {
      b.rollback(mark);
      g = reread(g, where, e);
      failed = false;
      if (g) addShape(g, value, index, where);
    }
    if (!g) st.skipped++;
    else if (failed) { b.rollback(mark); st.skipped++; }
    else if (b.mark()[0] === mark[0]) st.skipped++;
    index++;
  }
  // a reader's layer lists its fields: one the features left after a bbox hold no value of is still there
  if (!attributeSeen && !listsField(input, attribute as string)) throw new Error(`attribute "${attribute}" not found in any feature's properties`);
  if (unread > MAX_FEATURE_WARNINGS) warnings.push(`${unread - MAX_FEATURE_WARNINGS} more features whose geometries GDAL's reader rejects or cuts (the first ${MAX_FEATURE_WARNINGS} are listed)`);

  if (options.invert) {
    reproject = null;
    addInverse(invertPolys, grid, invertValue ?? base, merge, b);
  }
  return b.finish();

  function addInverse(polys: Positions[][], gr: Grid, value: number, mode: 'replace' | 'add', builder: ShapeBuilder): void {
    // GDAL's -i: one MultiPolygon whose first member is the grid grown by 2 pixels with every input
    // exterior ring as a hole, followed by each input interior ring as a polygon of its own
    const gt = gr.transform;
    const corner = (px: number, py: number): Position => [gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5]];
    const W = gr.width, H = gr.height;
    const universe: Position[] = [corner(-2, -2), corner(W + 2, -2), corner(W + 2, H + 2), corner(-2, H + 2), corner(-2, -2)];
    builder.beginShape(KIND_POLYGON, value, 0);
    pushRing(universe, 'invert');
    // input rings were reprojected when collected
    for (const poly of polys) if (poly.length) pushRing(poly[0], 'invert');
    for (const poly of polys) {
      for (let r = 1; r < poly.length; r++) {
        if (mode === 'replace') { builder.endShape(); builder.beginShape(KIND_POLYGON, value, 0); }
        pushRing(poly[r], 'invert');
      }
    }
    builder.endShape();
  }

  function collectPolygons(g: GeoJSONGeometry, out: Positions[][], where: string): void {
    const r = reproject;
    const project = (ring: Positions): Positions => {
      if (!r) return ring;
      if (!isPacked(ring)) return ring.map((p) => { const [x, y] = r(p[0], p[1]); return [x, y, p[2] ?? 0]; });
      const src = ring.xyz, off = ring.off ?? 0, xyz = new Float64Array(3 * ring.n);
      for (let k = 0; k < xyz.length; k += 3) {
        const [x, y] = r(src[off + k], src[off + k + 1]);
        xyz[k] = x; xyz[k + 1] = y; xyz[k + 2] = src[off + k + 2];
      }
      // as the plain path's [x, y, z ?? 0], should a message show one
      return { xyz, n: ring.n, hasZ: true };
    };
    if (g.type === 'Polygon') out.push(arr<Positions>(g.coordinates, where).map((r) => project(list(r, where))));
    else if (g.type === 'MultiPolygon') for (const p of arr<Positions[]>(g.coordinates, where)) out.push(p.map((r) => project(list(r, where))));
    // GDAL drops non-polygon geometries in -i mode
  }

}

// A reader's layer declares its field types, and GDAL reads a value by its field's type (GetFieldAsDouble):
// a String field's text through atof even when every value looks like a date, which the GeoJSON rule of
// judging by the values would read as 0; and the same whichever features a bbox left
export function declaredReading(input: FeatureInput, name: string): FieldReading | undefined {
  const fields = (input as { format?: unknown; fields?: unknown }).fields;
  const format = (input as { format?: unknown }).format;
  // GeoJSON and GeoJSONSeq fields are themselves inferred from the values, as OGR's GeoJSON readers do
  if (typeof format !== 'string' || format === 'geojson' || format === 'geojsonseq' || !Array.isArray(fields)) return undefined;
  const type = (fields.find((f) => (f as { name?: unknown }).name === name) as { type?: unknown } | undefined)?.type;
  switch (type) {
    case 'Integer': case 'Integer64': case 'Real': case 'Boolean': return 'number';
    case 'String': return 'text';
    case 'Date': case 'DateTime': case 'Time': return 'zero';
    default: return undefined;
  }
}

export function listsField(input: FeatureInput, name: string): boolean {
  const fields = (input as { fields?: unknown }).fields;
  return Array.isArray(fields) && fields.some((f) => (f as { name?: unknown }).name === name);
}

function kindOf(g: GeoJSONGeometry): ShapeKind {
  switch (g.type) {
    case 'Point': case 'MultiPoint': return KIND_POINT;
    case 'LineString': case 'MultiLineString': return KIND_LINE;
    default: return KIND_POLYGON;
  }
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

function checkGeometry(g: unknown, where: string): GeoJSONGeometry {
  if (!g || typeof g !== 'object') throw new Error(`${where}: geometry is not an object: ${JSON.stringify(g)}`);
  const t = (g as { type?: unknown }).type;
  if (typeof t !== 'string' || !GEOMETRY_TYPES.has(t)) throw new Error(`${where}: unknown geometry type ${JSON.stringify(t)}`);
  if (t === 'GeometryCollection') {
    if (!Array.isArray((g as { geometries?: unknown }).geometries)) throw new Error(`${where}: GeometryCollection has no "geometries" array`);
  } else if (!Array.isArray((g as { coordinates?: unknown }).coordinates) && !isPacked((g as { coordinates?: unknown }).coordinates)) {
    throw new Error(`${where}: ${t} has no "coordinates" array`);
  }
  return g as GeoJSONGeometry;
}

// a position list, plain or packed
function list(v: unknown, where: string): Positions {
  return isPacked(v) ? v : arr<Position>(v, where);
}

function arr<T>(v: unknown, where: string): T[] {
  if (!Array.isArray(v)) throw new Error(`${where}: expected an array of coordinates, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v as T[];
}

// an input the attribute's pre-pass can read and the burn read again: a one-shot iterator is collected
function reiterable(input: FeatureInput): FeatureInput {
  const it = input as Iterable<unknown> & { type?: unknown };
  if (it.type === undefined && typeof it[Symbol.iterator] === 'function' && (it[Symbol.iterator]() as unknown) === it) {
    return [...(input as Iterable<GeoJSONFeature<GeoJSONGeometry>>)];
  }
  return input;
}

/**
 * Whether OGR types field `key` Integer64 (what makes -a burn exact Int64 values, and gdal_rasterize create
 * an Int64 raster): a reader's schema says so, else, as OGR's GeoJSON reader decides, every value is a
 * whole number (booleans and nulls aside) and one is beyond the Int32 range.
 */
export function isInteger64Field(input: FeatureInput, key: string): boolean {
  const s = input as { format?: unknown; fields?: unknown };
  if (typeof s.format === 'string' && Array.isArray(s.fields)) return (s.fields as { name: string; type: string }[]).some((f) => f.name === key && f.type === 'Integer64');
  let wide = false;
  for (const v of valuesOf(input, key)) {
    if (v === null || v === undefined || typeof v === 'boolean') continue;
    if (typeof v === 'bigint') { wide = true; continue; }
    if (typeof v !== 'number' || !Number.isInteger(v)) return false;
    if (v > 2147483647 || v < -2147483648) wide = true;
  }
  return wide;
}

// an Integer64 field's value as OGR_F_GetFieldAsInteger64 gives it (null, missing and booleans aside: 0 and 0/1);
// a double beyond the range (a GeoJSON 1e19) is clamped as OGR's reader clamps it
export function int64Of(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v !== 'number' || v !== v) return 0n;
  if (v >= 2 ** 63) return 2n ** 63n - 1n;
  if (v <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(v));
}

function* valuesOf(input: FeatureInput, key: string): Generator<unknown> {
  for (const f of iterateFeatures(input)) {
    const p = f.properties;
    if (p && Object.prototype.hasOwnProperty.call(p, key)) yield p[key];
  }
}

// a position as written, except that numbers JSON cannot hold (1e999 read as Infinity, NaN) keep their value
// instead of turning into null
export function positionText(p: unknown): string {
  if (!Array.isArray(p)) return JSON.stringify(p)?.slice(0, 60) ?? String(p);
  return `[${p.slice(0, 4).map((v) => typeof v === 'number' ? String(v) : JSON.stringify(v)?.slice(0, 30)).join(',')}${p.length > 4 ? ',...' : ''}]`;
}
