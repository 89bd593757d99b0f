// What every vector reader gives: one layer as a GeoJSON FeatureCollection whose coordinates are packed
// (the form parseGeoJSON makes and the engine flattens without a per-position array), with the layer's
// name, SRS and field list, so that rasterize(), the CLI's plan and attribute filters see one shape.
import type { AnyGeometry, GeoJSONFeature } from '../features/geojson.js';

/** The formats readFeatures knows. */
export type VectorFormat = 'geojson' | 'geojsonseq' | 'shapefile' | 'geopackage' | 'flatgeobuf' | 'geoparquet';

/** A field's type as GDAL's OGR reports it (what decides, e.g., that -a on an Integer64 field makes an Int64 raster). */
export type FieldType = 'Integer' | 'Integer64' | 'Real' | 'String' | 'Date' | 'DateTime' | 'Time' | 'Boolean' | 'Binary';

export interface FieldInfo {
  name: string;
  type: FieldType;
}

/** A feature's attribute values: numbers, strings, booleans, null; dates as ISO text; 64-bit integers as bigint when not exact as numbers. */
export type Properties = Record<string, unknown>;

/** One layer read from a vector file: a FeatureCollection that rasterize() takes as it is. */
export interface FeatureLayer {
  type: 'FeatureCollection';
  /** the layer's name as GDAL reports it (GeoPackage table, Shapefile basename, ...) */
  name: string;
  /** which reader read it */
  format: VectorFormat;
  /** the layer's SRS as the legacy GeoJSON `crs` member, which rasterize() honours; absent when the layer has none */
  crs?: { type: 'name'; properties: { name: string } };
  /**
   * the extent the file itself records for the layer (GeoPackage's gpkg_contents, the .shp header,
   * FlatGeobuf's header, GeoParquet's bbox): what GDAL reports as the layer's extent, and so what
   * gdal_rasterize sizes a new raster by; absent when the file records none
   */
  extent?: BBox;
  /** attribute fields in the layer's order */
  fields: FieldInfo[];
  /** GeoPackage: the table's geometry column (what a -sql SELECT must return for anything to be burned) */
  geometryColumn?: string;
  features: GeoJSONFeature<AnyGeometry>[];
  /** features read from the file before the bbox and where filters (all of them when nothing was skipped by an index) */
  featuresRead: number;
}

/** [xmin, ymin, xmax, ymax] in the layer's own SRS. */
export type BBox = [number, number, number, number];

export interface ReadOptions {
  /** layer name (GeoPackage tables; other formats have one layer, which this must then name if given) */
  layer?: string;
  /**
   * keep only features whose bounding box meets this box (in the layer's SRS); FlatGeobuf reads only those
   * through its spatial index, GeoParquet skips row groups by its bbox covering column, GeoPackage walks
   * its R-tree, Shapefile skips a record by the box in its header before reading its coordinates. A
   * function is given the layer's SRS (undefined when it has none) and returns the box, or undefined to
   * read everything: for a box known in another CRS, which only the reader learns the layer's SRS for.
   */
  bbox?: BBox | ((layerSrs: string | undefined) => BBox | undefined);
  /**
   * decode only these attribute fields (names as the layer has them, compared case-insensitively); the
   * others are left out of every feature's properties, though `fields` still lists them all (GeoJSON and
   * GeoJSONSeq, parsed whole anyway, keep every one). Default: all
   */
  fields?: readonly string[];
  /** keep only features for which this returns true (given the feature's attribute values) */
  where?: (properties: Properties) => boolean;
  /**
   * GeoPackage only: a WHERE clause handed to SQLite with the table's query, as GDAL's GeoPackage driver hands
   * -where and -sql's clause to SQLite (its semantics: LIKE without case, three-valued NULL, ==, ...)
   */
  sqlWhere?: string;
  /** GeoPackage only: -sql's ORDER BY / LIMIT / OFFSET text, run by SQLite after the WHERE clause as GDAL's driver runs it */
  sqlTail?: string;
}

/** Random access to the bytes of a file, local or over HTTP range requests. */
export interface ByteSource {
  /** total size in bytes */
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
  /** a short name for messages (the file or URL) */
  readonly name: string;
}

/** An opened vector file: its layers by name, each read on demand. */
export interface VectorSource {
  format: VectorFormat;
  name: string;
  layerNames(): string[];
  read(layer: string, options?: Omit<ReadOptions, 'layer'>): Promise<FeatureLayer>;
  close?(): void;
}

/** the crs member for an SRS string, or nothing */
export function crsMember(srs: string | undefined): FeatureLayer['crs'] {
  return srs ? { type: 'name', properties: { name: srs } } : undefined;
}

/** the box ReadOptions.bbox names for a layer in `srs` */
export function resolveBBox(bbox: ReadOptions['bbox'], srs: string | undefined): BBox | undefined {
  return typeof bbox === 'function' ? bbox(srs) : bbox;
}

/** which of `fields` ReadOptions.fields asks for (all when it is undefined), as a test on a field's index */
export function wantedFields(fields: readonly FieldInfo[], wanted: readonly string[] | undefined): boolean[] {
  if (wanted === undefined) return fields.map(() => true);
  const w = new Set(wanted.map((n) => n.toLowerCase()));
  return fields.map((f) => w.has(f.name.toLowerCase()));
}

/**
 * The box a reader filters by: none when it holds the layer's whole recorded extent (reading everything
 * is always right; it only costs more, and a filter on every feature costs too)
 */
export function filterBox(bbox: BBox | undefined, extent: ArrayLike<number> | null | undefined): BBox | undefined {
  if (!bbox || !extent || extent.length < 4) return bbox;
  return bbox[0] <= extent[0] && bbox[1] <= extent[1] && bbox[2] >= extent[2] && bbox[3] >= extent[3] ? undefined : bbox;
}

/** whether a feature's geometry box meets bbox (both [xmin, ymin, xmax, ymax]) */
export function boxesMeet(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/** the name a one-layer file must be asked by (case-insensitive, as OGR compares layer names) */
export function checkSingleLayer(name: string, asked: string | undefined, file: string): void {
  if (asked !== undefined && asked.toLowerCase() !== name.toLowerCase()) throw new Error(`Unable to find layer "${asked}": ${file} has one layer, "${name}"`);
}

/** the layer name from a file name: its basename without extension */
export function baseName(file: string): string {
  const base = file.replace(/[?#].*$/, '').replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
