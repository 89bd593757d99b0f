// flattenFeatures for features held as columns (features/flat.ts): the same shapes, vertex for vertex,
// without a GeoJSON object per feature. It follows flattenFeatures' rules step by step (reproject, split
// multi-geometries in replace mode, orient rings clockwise in world space, reverse lines, the inverse
// geotransform), reading the burn value from the attribute column. Output arrays are sized once from
// the columns' counts: a shape per member at most, a part and a vertex per part and vertex.
// Not for -i (flattenFeatures reads its polygons from the GeoJSON features). A where clause reads only the
// columns it names, one small properties object per feature.
import { makeTransformer } from '../crs.js';
import { invertTransform } from '../grid.js';
import type { Grid } from '../types.js';
import { atof } from './field.js';
import { fieldReading, readAs, type FieldReading } from './field-type.js';
import { columnValue, GEOM_COLLECTION, GEOM_LINESTRING, GEOM_MULTILINESTRING, GEOM_MULTIPOINT, GEOM_MULTIPOLYGON, GEOM_NONE, GEOM_POINT, type FlatFeatures } from './flat.js';
import type { FlattenOptions, FlattenStats } from './flatten.js';
import { declaredReading, int64Of, isInteger64Field, listsField, positionText } from './flatten.js';
import { featureCrsOf, type FeatureInput } from './geojson.js';
import { assumedLonLatError } from './lonlat.js';
import { isClockwise } from './orient.js';
import { compileWhereOnColumns } from '../where/compile.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON, type ShapeSet } from './shapes.js';

const kindOf = (type: number): number => type === GEOM_POINT || type === GEOM_MULTIPOINT ? KIND_POINT
  : type === GEOM_LINESTRING || type === GEOM_MULTILINESTRING ? KIND_LINE : KIND_POLYGON;

/** flattenFeatures(input, grid, options, stats) for an input whose features are `flat`. */
export function flattenFlat(input: FeatureInput, flat: FlatFeatures, grid: Grid, options: FlattenOptions, st: FlattenStats): ShapeSet {
  const merge = options.merge ?? 'replace';
  const burnZ = !!options.burnZ;
  const attribute = options.attribute;
  const base = options.burn ?? (attribute !== undefined || burnZ ? 0 : 1);
  const srcCrs = options.featureCrs ?? featureCrsOf(input) ?? 'OGC:CRS84';
  const reproject = grid.crs ? makeTransformer(srcCrs, grid.crs) : null;
  if (reproject && options.featureCrs === undefined && featureCrsOf(input) === undefined) {
    const e = assumedLonLatError(input, grid.crs as string, 'pass featureCrs');
    if (e) throw e;
  }
  const igt = invertTransform(grid.transform);
  const [g0, g1, g2, g3, g4, g5] = igt;

  const column = attribute === undefined ? undefined : flat.columns.find((c) => c.name === attribute);
  if (attribute !== undefined && !(column && flat.count > 0) && !listsField(input, attribute)) throw new Error(`attribute "${attribute}" not found in any feature's properties`);
  const reading: FieldReading = attribute === undefined ? 'number'
    : declaredReading(input, attribute) ?? fieldReading(column ? Array.from({ length: flat.count }, (_, f) => columnValue(column, f)) : []);
  const exact = attribute !== undefined && options.burn === undefined && isInteger64Field(input, attribute);

  const { geomType, memberStart, memberType, partStart, vertexStart, xy } = flat;
  const zIn = flat.z;
  const nMembers = memberType.length, nParts = vertexStart.length - 1, nVerts = xy.length >> 1;
  // a shape per member in replace mode (per feature in add mode): never more than members + features
  const maxShapes = nMembers + flat.count;
  const kind = new Uint8Array(maxShapes);
  const value = new Float64Array(maxShapes);
  const feature = new Uint32Array(maxShapes);
  const value64 = exact ? new BigInt64Array(maxShapes) : null;
  const shapePart = new Uint32Array(maxShapes + 1);
  // a MultiPoint's points each make a part, however the reader grouped them
  const partVertex = new Uint32Array(nParts + (memberType.includes(GEOM_MULTIPOINT) ? nVerts : 0) + 1);
  const x = new Float64Array(nVerts), y = new Float64Array(nVerts);
  const z = burnZ ? new Float64Array(nVerts) : null;
  let shapes = 0, parts = 0, verts = 0;

  // world scratch for one part: orientation is judged on world coordinates, before the pixel transform
  let cap = 256;
  let wx = new Float64Array(cap), wy = new Float64Array(cap);
  let failed = false;
  let index = 0;

  // vertices a..b of the part into the scratch, reprojected; a non-finite one is an error, as in flattenFeatures
  const load = (a: number, b: number): void => {
    const n = b - a;
    if (n > cap) { cap = Math.max(n, cap * 2); wx = new Float64Array(cap); wy = new Float64Array(cap); }
    for (let i = 0, v = a; v < b; i++, v++) {
      let px = xy[2 * v], py = xy[2 * v + 1];
      if (!Number.isFinite(px) || !Number.isFinite(py)) {
        throw new Error(`feature ${index}: position ${i} has a non-finite coordinate: ${positionText(zIn ? [px, py, zIn[v]] : [px, py])}`);
      }
      if (reproject) {
        [px, py] = reproject(px, py);
        if (!Number.isFinite(px) || !Number.isFinite(py)) failed = true;
      }
      wx[i] = px; wy[i] = py;
    }
  };
  const emit = (i: number, v: number): void => {
    const X = wx[i], Y = wy[i];
    x[verts] = g0 + X * g1 + Y * g2;
    y[verts] = g3 + X * g4 + Y * g5;
    if (z) z[verts] = zIn ? zIn[v] : 0;
    verts++;
  };
  const beginPart = (): void => { partVertex[parts++] = verts; };
  // a member's parts in GDAL's vertex order
  const collect = (m: number): void => {
    const t = memberType[m];
    for (let p = partStart[m]; p < partStart[m + 1]; p++) {
      const a = vertexStart[p], b = vertexStart[p + 1], n = b - a;
      if (t === GEOM_POINT) {
        if (n === 0) continue;
        load(a, a + 1);
        beginPart();
        emit(0, a);
      } else if (t === GEOM_MULTIPOINT) {
        load(a, b);
        for (let i = 0; i < n; i++) { beginPart(); emit(i, a + i); }
      } else if (t === GEOM_LINESTRING) {
        load(a, b);
        if (n === 0) continue;
        beginPart();
        for (let i = n - 1; i >= 0; i--) emit(i, a + i);
      } else {
        load(a, b);
        if (n === 0) continue;
        beginPart();
        if (isClockwise(wx, wy, 0, n)) for (let i = 0; i < n; i++) emit(i, a + i);
        else for (let i = n - 1; i >= 0; i--) emit(i, a + i);
      }
    }
  };
  let shapeValue = 0, shapeExact = 0n;
  const beginShape = (k: number): void => {
    kind[shapes] = k;
    value[shapes] = shapeValue;
    if (value64) value64[shapes] = shapeExact;
    feature[shapes] = index;
    shapePart[shapes] = parts;
    shapes++;
  };
  // the open shape is dropped when none of its parts had vertices (ShapeBuilder.endShape)
  const endShape = (): void => {
    if (parts === shapePart[shapes - 1]) shapes--;
  };

  // the where clause sees what flattenFeatures' sees of these features: the values of the fields it names,
  // read from the columns themselves
  const pass = options.where !== undefined ? compileWhereOnColumns(options.where, flat.columns, flat.count) : null;

  st.features = 0; st.skipped = 0; st.filtered = 0;
  if (!st.warnings) st.warnings = [];
  for (let f = 0; f < flat.count; f++, index++) {
    if (pass && !pass(f)) { st.filtered++; continue; }
    st.features++;
    const t = geomType[f];
    if (t === GEOM_NONE) { st.skipped++; continue; }
    const raw = column ? columnValue(column, f) : undefined;
    shapeValue = attribute !== undefined ? base + readAs(reading, raw, atof) : base;
    if (value64) shapeExact = int64Of(raw);
    const mark0 = shapes, mark1 = parts, mark2 = verts;
    failed = false;
    const m0 = memberStart[f], m1 = memberStart[f + 1];
    if (merge === 'replace' && (t === GEOM_MULTIPOLYGON || t === GEOM_MULTILINESTRING || t === GEOM_COLLECTION)) {
      for (let m = m0; m < m1; m++) { beginShape(kindOf(memberType[m])); collect(m); endShape(); }
    } else {
      beginShape(kindOf(t));
      for (let m = m0; m < m1; m++) collect(m);
      endShape();
    }
    if (failed || shapes === mark0) {
      shapes = mark0; parts = mark1; verts = mark2;
      st.skipped++;
    }
  }

  const partStartOut = shapes === maxShapes ? shapePart : shapePart.slice(0, shapes + 1);
  partStartOut[shapes] = parts;
  const vertexStartOut = parts + 1 === partVertex.length ? partVertex : partVertex.slice(0, parts + 1);
  vertexStartOut[parts] = verts;
  const cut = <T extends Float64Array | Uint8Array | Uint32Array | BigInt64Array>(a: T, n: number): T => (a.length === n ? a : a.slice(0, n) as T);
  return {
    count: shapes,
    kind: cut(kind, shapes),
    value: cut(value, shapes),
    partStart: partStartOut,
    vertexStart: vertexStartOut,
    x: cut(x, verts),
    y: cut(y, verts),
    z: z ? cut(z, verts) : null,
    feature: cut(feature, shapes),
    ...(value64 ? { value64: cut(value64, shapes) } : {}),
  };
}
