// FlatGeobuf through the `flatgeobuf` package: its packed R-tree picks the features whose box meets the
// bbox (from memory, or over HTTP range requests from a URL), and its flatbuffer Feature objects are
// read here straight into packed geometries: its own GeoJSON output builds an array per vertex.
import { HttpReader } from 'flatgeobuf/lib/mjs/http-reader.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import type { Geometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import * as flatbuffers from 'flatbuffers';
import type { AnyGeometry, GeoJSONFeature, PackedPositions } from '../features/geojson.js';
import { baseName, boxesMeet, crsMember, filterBox, resolveBBox, wantedFields, type BBox, type FeatureLayer, type FieldInfo, type FieldType, type Properties, type VectorSource } from './layer.js';
import { isFlatGeobuf } from './magic.js';
import { Packer } from './packer.js';
import { searchIndex } from './fgb-index.js';


// FlatGeobuf's GeometryType numbering
const GEOM = ['Unknown', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'];
// ColumnType -> OGR field type (GDAL's FlatGeobuf driver)
const FIELD: FieldType[] = ['Integer', 'Integer', 'Boolean', 'Integer', 'Integer', 'Integer', 'Integer64', 'Integer64', 'Integer64', 'Real', 'Real', 'String', 'String', 'DateTime', 'Binary'];

/** Opens a FlatGeobuf held in memory. */
export function openFlatGeobuf(bytes: Uint8Array, name: string): VectorSource {
  if (!isFlatGeobuf(bytes)) throw new Error(`${name} is not a FlatGeobuf file: wrong magic bytes`);
  // the package's reader views the whole underlying buffer from 0: give it one of its own
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  let header: HeaderMeta;
  let featuresAt: number, indexAt: number;
  try {
    const bb = new flatbuffers.ByteBuffer(own);
    const headerLength = bb.readUint32(8);
    bb.setPosition(8);
    header = fromByteBuffer(bb);
    indexAt = 12 + headerLength;
    featuresAt = indexAt + (header.indexNodeSize > 0 ? calcTreeSize(header.featuresCount, header.indexNodeSize) : 0);
    if (featuresAt > own.length) throw new Error('header or index runs past the end of the file');
  } catch (e) {
    throw new Error(`${name} is not a readable FlatGeobuf file: ${(e as Error).message}`);
  }
  const layer = layerName(header, name);
  return {
    format: 'flatgeobuf',
    name,
    layerNames: () => [layer],
    read: async (asked, options = {}) => {
      checkLayer(layer, asked, name);
      const out = start(header, layer);
      const packer = new Packer();
      const bbox = filterBox(resolveBBox(options.bbox, srsOf(header)), out.extent);
      const wanted = wantedFields(out.fields, options.fields);
      const keep = (id: number, f: Feature): void => push(out, f, header, packer, bbox, options.where, wanted, `${name}: feature ${id}`);
      if (bbox && header.indexNodeSize > 0 && header.featuresCount > 0) {
        // GDAL burns in file order, which is the order of the index's leaves
        const hits = searchIndex(own, indexAt, header.featuresCount, header.indexNodeSize, bbox);
        const bb = new flatbuffers.ByteBuffer(own);
        for (const h of hits) {
          const at = featuresAt + h.offset;
          if (at + 4 > own.length || at + 4 + bb.readUint32(at) > own.length) throw new Error(`${name}: feature ${h.id} is truncated`);
          bb.setPosition(at);
          keep(h.id, Feature.getSizePrefixedRootAsFeature(bb));
        }
        out.featuresRead = hits.length;
      } else {
        const bb = new flatbuffers.ByteBuffer(own);
        let at = featuresAt, id = 0;
        while (at + 4 <= own.length) {
          const len = bb.readUint32(at);
          if (at + 4 + len > own.length) throw new Error(`${name}: feature ${id} is truncated`);
          bb.setPosition(at);
          keep(id, Feature.getSizePrefixedRootAsFeature(bb));
          at += 4 + len;
          id++;
        }
        if (header.featuresCount > 0 && id < header.featuresCount) throw new Error(`${name} is truncated: ${id} of ${header.featuresCount} features`);
        out.featuresRead = id;
      }
      return out;
    },
  };
}

/**
 * Opens a FlatGeobuf at a URL: with a bbox only its header, the index nodes the search visits and the
 * features it finds are fetched (HTTP range requests); without one the whole file.
 */
export function openFlatGeobufUrl(url: string, fetchWhole: () => Promise<Uint8Array>): VectorSource {
  const name = url;
  let layer = baseName(url);
  return {
    format: 'flatgeobuf',
    name,
    layerNames: () => [layer],
    read: async (asked, options = {}) => {
      if (!options.bbox) return openFlatGeobuf(await fetchWhole(), name).read(asked ?? layer, options);
      let reader: HttpReader;
      try {
        reader = await HttpReader.open(url, false);
      } catch (e) {
        throw new Error(`cannot read ${url} as FlatGeobuf: ${(e as Error).message}`);
      }
      const header = reader.header;
      layer = layerName(header, url);
      checkLayer(layer, asked, name);
      const bbox = resolveBBox(options.bbox, srsOf(header));
      if (header.indexNodeSize === 0 || !bbox) return openFlatGeobuf(await fetchWhole(), name).read(asked ?? layer, { ...options, bbox });
      const out = start(header, layer);
      const packer = new Packer();
      const wanted = wantedFields(out.fields, options.fields);
      const hits: { id: number; feature: Feature }[] = [];
      for await (const h of reader.selectBbox(rect(bbox))) hits.push(h);
      hits.sort((a, b) => a.id - b.id);
      for (const h of hits) push(out, h.feature, header, packer, bbox, options.where, wanted, `${url}: feature ${h.id}`);
      out.featuresRead = hits.length;
      return out;
    },
  };
}

function checkLayer(layer: string, asked: string | undefined, file: string): void {
  if (asked !== undefined && asked.toLowerCase() !== layer.toLowerCase()) throw new Error(`Unable to find layer "${asked}": ${file} has one layer, "${layer}"`);
}

// GDAL names the layer by the header's name, else the file's basename
function layerName(h: HeaderMeta, file: string): string {
  return (h as HeaderMeta & { name?: string | null }).name || baseName(file);
}

function rect(b: BBox): { minX: number; minY: number; maxX: number; maxY: number } {
  return { minX: b[0], minY: b[1], maxX: b[2], maxY: b[3] };
}

function start(h: HeaderMeta, name: string): FeatureLayer {
  const fields: FieldInfo[] = (h.columns ?? []).map((c) => ({ name: c.name, type: FIELD[c.type] ?? 'String' }));
  const out: FeatureLayer = { type: 'FeatureCollection', name, format: 'flatgeobuf', fields, features: [], featuresRead: 0 };
  const e = h.envelope;
  if (e && e.length >= 4 && e[0] <= e[2] && e[1] <= e[3]) out.extent = [e[0], e[1], e[2], e[3]];
  const crs = crsMember(srsOf(h));
  if (crs) out.crs = crs;
  return out;
}

function srsOf(h: HeaderMeta): string | undefined {
  const c = h.crs;
  if (!c) return undefined;
  if ((c.org === null || c.org.toUpperCase() === 'EPSG') && c.code > 0) return `EPSG:${c.code}`;
  if (c.wkt) return c.wkt;
  if (c.org && c.code > 0) return `${c.org}:${c.code}`;
  return undefined;
}

function push(out: FeatureLayer, f: Feature, h: HeaderMeta, packer: Packer, bbox: BBox | undefined, where: ((p: Properties) => boolean) | undefined, wanted: boolean[], at: string): void {
  const g = f.geometry();
  let geometry: AnyGeometry | null = null;
  try {
    geometry = g ? convert(g, h.geometryType, packer) : null;
  } catch (e) {
    throw new Error(`${at}: ${(e as Error).message}`);
  }
  if (bbox) {
    const box = geometry ? boxOfFgb(g as Geometry) : null;
    if (!box || !boxesMeet(box, bbox)) return;
  }
  const props = properties(f, h, wanted);
  for (let k = 0; k < (h.columns ?? []).length; k++) {
    const c = (h.columns as NonNullable<HeaderMeta['columns']>)[k];
    if (!wanted[k]) continue;
    // DateTime columns hold ISO text; GDAL's GetFieldAsDouble reads 0 for a date, as fieldAsDouble does for a Date
    if (FIELD[c.type] === 'DateTime' && typeof props[c.name] === 'string') {
      const d = new Date(props[c.name] as string);
      if (!Number.isNaN(d.getTime())) props[c.name] = d;
    }
    if (!(c.name in props)) props[c.name] = null;
  }
  if (where && !where(props)) return;
  out.features.push({ type: 'Feature', geometry, properties: props });
}

const text = new TextDecoder();

// The package's parseProperties, reading only the wanted columns' values and stepping over the others'
// bytes (it decodes every text value of every feature, which is most of a wide layer's reading time).
function properties(f: Feature, h: HeaderMeta, wanted: boolean[]): Properties {
  const props: Properties = {};
  const columns = h.columns;
  const array = columns && columns.length ? f.propertiesArray() : null;
  if (!columns || !array) return props;
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  const length = f.propertiesLength();
  let at = 0;
  while (at < length) {
    const i = view.getUint16(at, true);
    at += 2;
    const c = columns[i];
    if (!c) throw new Error(`property of column ${i}, which the header does not have`);
    const keep = wanted[i];
    const t = c.type;
    if (t <= 2) {
      if (keep) props[c.name] = t === 2 ? !!view.getUint8(at) : t === 0 ? view.getInt8(at) : view.getUint8(at);
      at += 1;
    } else if (t <= 4) {
      if (keep) props[c.name] = t === 3 ? view.getInt16(at, true) : view.getUint16(at, true);
      at += 2;
    } else if (t <= 6) {
      if (keep) props[c.name] = t === 5 ? view.getInt32(at, true) : view.getUint32(at, true);
      at += 4;
    } else if (t <= 8) {
      if (keep) props[c.name] = Number(t === 7 ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
      at += 8;
    } else if (t === 9) {
      if (keep) props[c.name] = view.getFloat32(at, true);
      at += 4;
    } else if (t === 10) {
      if (keep) props[c.name] = view.getFloat64(at, true);
      at += 8;
    } else if (t <= 14) {
      const n = view.getUint32(at, true);
      at += 4;
      if (keep) {
        const bytes = array.subarray(at, at + n);
        props[c.name] = t === 14 ? bytes : t === 12 ? JSON.parse(text.decode(bytes)) : text.decode(bytes);
      }
      at += n;
    } else throw new Error(`Unknown type ${t}`);
  }
  return props;
}

function boxOfFgb(g: Geometry): number[] | null {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (x: Geometry): void => {
    const xy = x.xyArray();
    if (xy) for (let i = 0; i + 1 < xy.length; i += 2) {
      if (xy[i] < b[0]) b[0] = xy[i]; if (xy[i] > b[2]) b[2] = xy[i];
      if (xy[i + 1] < b[1]) b[1] = xy[i + 1]; if (xy[i + 1] > b[3]) b[3] = xy[i + 1];
    }
    for (let k = 0; k < x.partsLength(); k++) visit(x.parts(k) as Geometry);
  };
  visit(g);
  return b[0] <= b[2] ? b : null;
}

function lists(g: Geometry, packer: Packer): PackedPositions[] {
  const xy = g.xyArray() ?? new Float64Array(0);
  const z = g.zArray();
  const n = xy.length >> 1;
  const ends = g.endsArray();
  const bounds = ends && ends.length ? Array.from(ends) : [n];
  const out: PackedPositions[] = [];
  let a = 0;
  for (const e of bounds) {
    if (e < a || e > n) throw new Error(`geometry part end ${e} outside its ${n} vertices`);
    const p = packer.take(e - a, !!z);
    const xyz = p.xyz;
    for (let i = a, o = p.off ?? 0; i < e; i++, o += 3) {
      xyz[o] = xy[2 * i]; xyz[o + 1] = xy[2 * i + 1]; xyz[o + 2] = z ? z[i] : 0;
    }
    out.push(p);
    a = e;
  }
  return out;
}

function convert(g: Geometry, headerType: number, packer: Packer): AnyGeometry {
  const t = GEOM[headerType === 0 ? g.type() : headerType];
  switch (t) {
    case 'Point': {
      const [p] = lists(g, packer);
      return { type: 'Point', coordinates: p };
    }
    case 'MultiPoint': {
      const [p] = lists(g, packer);
      return { type: 'MultiPoint', coordinates: p };
    }
    case 'LineString': return { type: 'LineString', coordinates: lists(g, packer)[0] };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: lists(g, packer) };
    case 'Polygon': return { type: 'Polygon', coordinates: lists(g, packer) };
    case 'MultiPolygon': {
      const polys: PackedPositions[][] = [];
      for (let k = 0; k < g.partsLength(); k++) polys.push(lists(g.parts(k) as Geometry, packer));
      return { type: 'MultiPolygon', coordinates: polys };
    }
    case 'GeometryCollection': {
      const members: AnyGeometry[] = [];
      for (let k = 0; k < g.partsLength(); k++) {
        const part = g.parts(k) as Geometry;
        members.push(convert(part, part.type(), packer));
      }
      return { type: 'GeometryCollection', geometries: members as never };
    }
    default: throw new Error(`FlatGeobuf geometry type ${GEOM[headerType] ?? headerType} is not supported`);
  }
}
