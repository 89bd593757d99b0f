// GeoJSON text sequences: one Feature per line (.geojsonl, newline-delimited) or per RS-prefixed record
// (RFC 8142, .geojsons). Each record is parsed by parseGeoJSON, which packs coordinates as it scans.
// Also plain GeoJSON, for readFeatures: one document, a FeatureCollection, Feature or geometry.
import type { AnyGeometry, FeatureInput, GeoJSONFeature } from '../features/geojson.js';
import { featureCrsOf, impliedCrs, iterateFeatures } from '../features/geojson.js';
import { parseGeoJSON } from '../features/scan.js';
import { typedFields } from './infer.js';
import { baseName, checkSingleLayer, crsMember, resolveBBox, type BBox, type FeatureLayer, type Properties, type VectorSource } from './layer.js';
import { geometryBox } from './packer.js';

const RS = 0x1e, LF = 0x0a;

/** True when the bytes hold more than one JSON text (line- or RS-separated), false for one document. */
export function isSequence(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0d || b[i] === LF || b[i] === 0xef || b[i] === 0xbb || b[i] === 0xbf)) i++;
  if (b[i] === RS) return true;
  // one document spans lines freely; a sequence has a complete object on its first line
  const nl = b.indexOf(LF, i);
  if (nl < 0) return false;
  const first = new TextDecoder().decode(b.subarray(i, nl)).trim();
  if (!first.startsWith('{')) return false;
  try {
    const v = JSON.parse(first) as { type?: unknown };
    return v.type === 'Feature' || (typeof v.type === 'string' && v.type !== 'FeatureCollection');
  } catch {
    return false;
  }
}

/** Opens a GeoJSON sequence held in memory (one layer, named after the file, in CRS84 as GDAL reads it). */
export function openGeoJSONSeq(bytes: Uint8Array, name: string): VectorSource {
  const layer = baseName(name) || 'stdin';
  return {
    format: 'geojsonseq',
    name,
    layerNames: () => [layer],
    read: async (asked, options = {}) => {
      checkSingleLayer(layer, asked, name);
      const features: GeoJSONFeature<AnyGeometry>[] = [];
      let read = 0;
      const sep = bytes.includes(RS) ? RS : LF;
      let start = 0, line = 0;
      while (start <= bytes.length) {
        let end = bytes.indexOf(sep, start);
        if (end < 0) end = bytes.length;
        line++;
        const rec = bytes.subarray(start, end);
        start = end + 1;
        if (isBlank(rec)) continue;
        let v: FeatureInput;
        try {
          v = parseGeoJSON(rec);
        } catch (e) {
          throw new Error(`${name}: record ${line} is not valid JSON: ${(e as Error).message}`);
        }
        for (const f of iterateFeatures(v)) {
          read++;
          features.push(f);
        }
      }
      // the schema from every feature, as GDAL scans them, before any filter
      const fields = typedFields(features);
      // WGS 84 longitude/latitude; GDAL 3.6 makes it 3D (EPSG:4979) only for a sequence of one feature with Z
      const srs = features.length === 1 ? impliedCrs(features) : 'OGC:CRS84';
      const bbox = resolveBBox(options.bbox, srs);
      const kept = bbox || options.where ? features.filter((f) => keep(f, bbox, options.where)) : features;
      return { type: 'FeatureCollection', name: layer, format: 'geojsonseq', crs: crsMember(srs), fields, features: kept, featuresRead: read };
    },
  };
}

/** Wraps a parsed GeoJSON document as a one-layer source (name: its "name" member, else the file's). */
export function openGeoJSON(doc: FeatureInput, name: string): VectorSource {
  const layer = typeof (doc as unknown as { name?: unknown }).name === 'string' ? (doc as unknown as { name: string }).name : baseName(name);
  return {
    format: 'geojson',
    name,
    layerNames: () => [layer],
    read: async (asked, options = {}) => {
      checkSingleLayer(layer, asked, name);
      // copies: date fields are rewritten, and the caller's document stays as it was
      const all = [...iterateFeatures(doc)].map((f) => ({ ...f }));
      const fields = typedFields(all);
      const bbox = resolveBBox(options.bbox, featureCrsOf(doc));
      const features = all.filter((f) => keep(f, bbox, options.where));
      const out: FeatureLayer = { type: 'FeatureCollection', name: layer, format: 'geojson', fields, features, featuresRead: all.length };
      const crs = crsMember(featureCrsOf(doc));
      if (crs) out.crs = crs;
      return out;
    },
  };
}

function keep(f: GeoJSONFeature<AnyGeometry>, bbox: BBox | undefined, where: ((p: Properties) => boolean) | undefined): boolean {
  if (bbox) {
    const box = f.geometry && geometryBox(f.geometry);
    if (!box || !(box[0] <= bbox[2] && box[2] >= bbox[0] && box[1] <= bbox[3] && box[3] >= bbox[1])) return false;
  }
  return !where || where(f.properties ?? {});
}

function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d && b[i] !== LF) return false;
  return true;
}
