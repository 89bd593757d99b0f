// FlatGeobuf: the `flatgeobuf` package reads the header and, over HTTP range requests from a URL, searches
// the packed R-tree; features are read here from the file's bytes straight into the flat feature columns
// (fgb-feature.ts). Its GeoJSON output builds an array per vertex, and even its generated flatbuffer
// accessors make a Feature and a Geometry object and typed-array views per feature.
import { HttpReader } from 'flatgeobuf/lib/mjs/http-reader.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import * as flatbuffers from 'flatbuffers';
import { attachFlat, FlatBuilder } from '../features/flat.js';
import { baseName, crsMember, filterBox, resolveBBox, wantedFields, type BBox, type FeatureLayer, type FieldInfo, type FieldType, type VectorSource } from './layer.js';
import { isFlatGeobuf } from './magic.js';
import { searchIndex } from './fgb-index.js';
import { FeatureReader } from './fgb-feature.js';


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
      const bbox = filterBox(resolveBBox(options.bbox, srsOf(header)), out.extent);
      const reader = new FeatureReader(own, header, wantedFields(out.fields, options.fields), bbox, options.where);
      const v = new DataView(own.buffer, own.byteOffset, own.byteLength);
      // a feature is its size (uint32) and a flatbuffer whose root offset follows
      const root = (at: number): number => at + 4 + v.getUint32(at + 4, true);
      if (bbox && header.indexNodeSize > 0 && header.featuresCount > 0) {
        // GDAL burns in file order, which is the order of the index's leaves
        const hits = searchIndex(own, indexAt, header.featuresCount, header.indexNodeSize, bbox);
        for (const h of hits) {
          const at = featuresAt + h.offset;
          if (at + 8 > own.length || at + 4 + v.getUint32(at, true) > own.length) throw new Error(`${name}: feature ${h.id} is truncated`);
          reader.read(own, root(at), `${name}: feature ${h.id}`);
        }
        out.featuresRead = hits.length;
      } else {
        let at = featuresAt, id = 0;
        while (at + 4 <= own.length) {
          const len = v.getUint32(at, true);
          if (at + 4 + len > own.length || at + 8 > own.length) throw new Error(`${name}: feature ${id} is truncated`);
          reader.read(own, root(at), `${name}: feature ${id}`);
          at += 4 + len;
          id++;
        }
        if (header.featuresCount > 0 && id < header.featuresCount) throw new Error(`${name} is truncated: ${id} of ${header.featuresCount} features`);
        out.featuresRead = id;
      }
      return attachFlat(out, reader.finish());
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
      const features = new FeatureReader(null, header, wantedFields(out.fields, options.fields), bbox, options.where);
      const hits: { id: number; feature: { bb: flatbuffers.ByteBuffer | null; bb_pos: number } }[] = [];
      for await (const h of reader.selectBbox(rect(bbox))) hits.push(h);
      hits.sort((a, b) => a.id - b.id);
      // each fetched feature lies in a buffer of its own; its table where the package's accessor points
      for (const h of hits) features.read((h.feature.bb as flatbuffers.ByteBuffer).bytes(), h.feature.bb_pos, `${url}: feature ${h.id}`);
      out.featuresRead = hits.length;
      return attachFlat(out, features.finish());
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
