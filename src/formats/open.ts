// The reader layer's dispatcher: picks the reader by magic bytes, then by extension, for bytes in
// memory, Blobs/Files (a page's file input), sets of files (a shapefile's parts dropped together)
// and URLs (FlatGeobuf and GeoParquet read by HTTP range requests). Browser-safe.
// The readers are imported when a file of their format turns up: a page that burns GeoJSON never loads
// sql.js, hyparquet or flatgeobuf.
import type { AsyncBuffer } from 'hyparquet';
import { parseGeoJSON } from '../features/scan.js';
import { isSequence, openGeoJSON, openGeoJSONSeq } from './geojsonseq.js';
import type { FeatureLayer, ReadOptions, VectorSource } from './layer.js';
import { isFlatGeobuf, isParquet, isShp, isSQLite, isZip, looksLikeJson } from './magic.js';
import { groupShapefiles, openShapefiles } from './shapefile.js';

const openGeoPackage = async (b: Uint8Array, name: string) => (await import('./geopackage.js')).openGeoPackage(b, name);
const openFlatGeobuf = async (b: Uint8Array, name: string) => (await import('./flatgeobuf.js')).openFlatGeobuf(b, name);
const openGeoParquet = async (f: AsyncBuffer, name: string) => (await import('./geoparquet.js')).openGeoParquet(f, name);
const unzipEntries = async (b: Uint8Array, name: string) => (await import('./zip.js')).unzipEntries(b, name);

/** What readFeatures accepts: bytes, a Blob or File, several Files (a shapefile's parts), or a URL. */
export type VectorInput = ArrayBuffer | Uint8Array | Blob | URL | Iterable<File> | ArrayLike<File>;

const EXT = /\.([a-z0-9]+)$/i;

function extOf(name: string): string {
  const m = EXT.exec(name.replace(/[?#].*$/, ''));
  return m ? m[1].toLowerCase() : '';
}

/** Opens a vector file held in memory, named `name` for messages and the layer name. */
export async function openVectorBytes(input: Uint8Array, name: string): Promise<VectorSource> {
  // a plain view: a Node Buffer's slice() is a view, not the copy the readers count on
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) throw new Error(`${name} is empty`);
  if (isSQLite(bytes)) return openGeoPackage(bytes, name);
  if (isFlatGeobuf(bytes)) return openFlatGeobuf(bytes, name);
  if (isParquet(bytes)) return openGeoParquet(memoryBuffer(bytes), name);
  if (isZip(bytes)) return openZip(bytes, name);
  if (isShp(bytes)) throw new Error(`${name} is a .shp alone: a Shapefile needs its .dbf (and .prj) too; pass its path, the files together, or a .zip of them`);
  if (looksLikeJson(bytes)) {
    if (isSequence(bytes)) return openGeoJSONSeq(bytes, name);
    let doc;
    try {
      doc = parseGeoJSON(bytes);
    } catch (e) {
      throw new Error(`${name} is not valid JSON: ${(e as Error).message}`);
    }
    return openGeoJSON(doc, name);
  }
  // no magic matched: the extension names what the file was meant to be
  switch (extOf(name)) {
    case 'gpkg': return openGeoPackage(bytes, name);
    case 'fgb': return openFlatGeobuf(bytes, name);
    case 'parquet': case 'geoparquet': return openGeoParquet(memoryBuffer(bytes), name);
    case 'zip': return openZip(bytes, name);
    case 'shp': throw new Error(`${name} is not a Shapefile: wrong magic number`);
    case 'geojson': case 'json': case 'geojsonl': case 'geojsons': case 'geojsonseq': case 'ndjson': case 'jsonl':
      throw new Error(`${name} is not valid JSON: it does not start with "{"`);
  }
  throw new Error(`${name}: unrecognised vector format (readable: GeoJSON, GeoJSONSeq, Shapefile, GeoPackage, FlatGeobuf, GeoParquet)`);
}

async function openZip(bytes: Uint8Array, name: string): Promise<VectorSource> {
  const entries = await unzipEntries(bytes, name);
  const shapefiles = groupShapefiles(entries);
  if (shapefiles.size) return openShapefiles(shapefiles, name);
  const others = [...entries].filter(([p]) => /\.(gpkg|fgb|parquet|geoparquet|geojson|json|geojsonl|geojsons)$/i.test(p));
  if (others.length === 1) return openVectorBytes(others[0][1], others[0][0]);
  throw new Error(`${name} holds no .shp file${others.length > 1 ? ` and ${others.length} other vector files (one is read)` : ''}`);
}

/** A file in memory as hyparquet's random-access buffer. */
export function memoryBuffer(bytes: Uint8Array): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (s, e) => Uint8Array.prototype.slice.call(bytes, s, e).buffer as ArrayBuffer };
}

function blobBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: async (s, e) => blob.slice(s, e).arrayBuffer() };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot fetch ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

const isFileList = (v: unknown): v is Iterable<File> | ArrayLike<File> =>
  !!v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof ArrayBuffer) && !(typeof Blob !== 'undefined' && v instanceof Blob) && !(v instanceof URL)
  && (typeof (v as Iterable<File>)[Symbol.iterator] === 'function' || typeof (v as ArrayLike<File>).length === 'number');

/** Opens any accepted input; see readFeatures. */
export async function openVector(input: VectorInput | string): Promise<VectorSource> {
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    if (!/^(https?|blob|data):/i.test(url)) throw new Error(`${url} is not a URL (in Node, read a path with rasterburn/node's readFeatures)`);
    const ext = extOf(url);
    if (ext === 'fgb') return (await import('./flatgeobuf.js')).openFlatGeobufUrl(url, () => fetchBytes(url));
    if (ext === 'parquet' || ext === 'geoparquet') {
      let file: AsyncBuffer;
      try {
        file = await (await import('hyparquet')).asyncBufferFromUrl({ url });
      } catch (e) {
        throw new Error(`cannot read ${url}: ${(e as Error).message}`);
      }
      return openGeoParquet(file, url);
    }
    return openVectorBytes(await fetchBytes(url), url);
  }
  if (input instanceof Uint8Array) return openVectorBytes(input, 'input');
  if (input instanceof ArrayBuffer) return openVectorBytes(new Uint8Array(input), 'input');
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as File).name ?? 'blob';
    // a big GeoParquet file is read by slices, only the row groups wanted
    const head = new Uint8Array(await input.slice(0, 4).arrayBuffer());
    if (isParquet(head)) return openGeoParquet(blobBuffer(input), name);
    return openVectorBytes(new Uint8Array(await input.arrayBuffer()), name);
  }
  if (isFileList(input)) {
    const files = Array.from(input as ArrayLike<File>);
    if (files.length === 1) return openVector(files[0]);
    const named: [string, Uint8Array][] = await Promise.all(files.map(async (f) => [f.name, new Uint8Array(await f.arrayBuffer())] as [string, Uint8Array]));
    const shapefiles = groupShapefiles(named);
    if (!shapefiles.size) throw new Error(`${files.length} files given together but none is a .shp: give one file at a time, or a Shapefile's .shp, .dbf, .prj and .cpg`);
    return openShapefiles(shapefiles, files.find((f) => /\.shp$/i.test(f.name))?.name ?? 'files');
  }
  throw new Error('readFeatures takes an ArrayBuffer, Uint8Array, Blob/File, several Files or a URL');
}

/** Reads the layer options.layer names (or the only layer) of an opened source. */
export async function readLayer(source: VectorSource, options: ReadOptions = {}): Promise<FeatureLayer> {
  const names = source.layerNames();
  let layer = options.layer;
  if (layer === undefined) {
    if (names.length !== 1) throw new Error(`${source.name} has ${names.length} layers (${names.map((n) => `"${n}"`).join(', ')}): name one with the layer option`);
    layer = names[0];
  }
  return source.read(layer, { bbox: options.bbox, where: options.where, fields: options.fields });
}

/**
 * Reads one layer of a vector file: GeoJSON, GeoJSON sequences (.geojsonl/.geojsons), Shapefile (its
 * files together, or a .zip), GeoPackage, FlatGeobuf or GeoParquet, chosen by magic bytes then extension.
 * The result is a FeatureCollection (coordinates packed) with the layer's SRS as its `crs` member, its
 * name and fields: pass it to rasterize() as it is. Options: `layer` (multi-layer GeoPackages), `bbox`
 * (in the layer's SRS, or a function of it; FlatGeobuf and GeoParquet then read only what the bbox needs, also over HTTP
 * range requests from a URL), `where` (a predicate on each feature's attribute values).
 *
 * @example
 * const layer = await readFeatures(fileInput.files[0], { layer: 'parcels' });
 * const r = await rasterize(layer, gridFromBounds(bounds, { size: [1024, 1024] }, { crs: 'EPSG:3857' }));
 * @example
 * const near = await readFeatures('https://example.com/buildings.fgb', { bbox: [13.3, 52.5, 13.4, 52.6] });
 * @example
 * // only the attribute that burns is decoded
 * const heights = await readFeatures(gpkgFile, { fields: ['height'] });
 */
export async function readFeatures(input: VectorInput | string, options: ReadOptions = {}): Promise<FeatureLayer> {
  const source = await openVector(input);
  try {
    return await readLayer(source, options);
  } finally {
    source.close?.();
  }
}

/** The layer names of a vector file (one for every format but GeoPackage and a zip of several shapefiles). */
export async function listLayers(input: VectorInput | string): Promise<string[]> {
  const source = await openVector(input);
  try {
    return source.layerNames();
  } finally {
    source.close?.();
  }
}
