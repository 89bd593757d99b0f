// Reading what the user gives the page: a GeoJSON file, a template GeoTIFF, or typed bounds.
// (GeoJSON is parsed in the data worker, app/data-worker.ts, with the functions here.)
// Each reader throws an Error whose one-line message names the file or field, for the page to show.
import { gridFromBounds, gridFromGeoTIFF, type FeatureInput, type Grid } from '../src/index.js';

/** A parsed GeoJSON file and what the burn form needs to know about it. */
export interface LoadedFeatures {
  name: string;
  features: FeatureInput;
  count: number;
  /** properties holding a number in at least one feature, in first-seen order: the attribute choices */
  numericProperties: string[];
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Parses GeoJSON text. Geometry is checked by rasterize() itself, which names the bad feature. */
export function parseGeoJSON(name: string, text: string): LoadedFeatures {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name} is not valid JSON: ${(e as Error).message}`);
  }
  return describeGeoJSON(name, json);
}

/** Checks parsed GeoJSON's type and lists its numeric properties. */
export function describeGeoJSON(name: string, json: unknown): LoadedFeatures {
  const type = json && typeof json === 'object' ? (json as { type?: unknown }).type : undefined;
  let features: { properties?: unknown }[];
  if (type === 'FeatureCollection') {
    const list = (json as { features?: unknown }).features;
    if (!Array.isArray(list)) throw new Error(`${name}: a FeatureCollection without a "features" array`);
    features = list as { properties?: unknown }[];
  } else if (type === 'Feature') {
    features = [json as { properties?: unknown }];
  } else if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) {
    features = [];
  } else {
    throw new Error(`${name} is not GeoJSON: its type is ${JSON.stringify(type)}, expected "FeatureCollection", "Feature" or a geometry`);
  }
  const numeric = new Set<string>();
  for (const f of features) {
    const props = f && typeof f === 'object' ? f.properties : null;
    if (!props || typeof props !== 'object') continue;
    for (const [k, v] of Object.entries(props)) if (typeof v === 'number') numeric.add(k);
  }
  return { name, features: json as FeatureInput, count: type === 'FeatureCollection' || type === 'Feature' ? features.length : 1, numericProperties: [...numeric] };
}

/** The grid of a template GeoTIFF: its size, geotransform and CRS (its pixels are not needed). */
export async function readTemplate(file: Blob & { name: string }): Promise<Grid> {
  // a clear message for a file that is not a TIFF at all (the TIFF reader only says "Invalid byte order value")
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const le = head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0;
  const be = head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43);
  if (!le && !be) throw new Error(`${file.name} is not a TIFF file (a TIFF starts with II*, MM* or their BigTIFF forms)`);
  return gridFromGeoTIFF(file);
}

/** What a picked or dropped file is, by its name. */
export function fileKind(name: string): 'geojson' | 'template' | 'vector' | null {
  if (/\.(geo)?json$/i.test(name)) return 'geojson';
  if (/\.tiff?$/i.test(name)) return 'template';
  // other vector formats: read in the data worker by the library's format readers
  if (/\.(shp|dbf|shx|prj|cpg|zip|gpkg|fgb|parquet|geoparquet|geojsonl|geojsons|geojsonseq)$/i.test(name)) return 'vector';
  return null;
}

// "1, 2 3" -> [1, 2, 3]; names the field and the text when something is not a number
function numbers(label: string, text: string, counts: number[]): number[] {
  const parts = text.trim().split(/[\s,;]+/).filter((s) => s !== '');
  const values = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isFinite(values[i]));
  if (bad !== undefined) throw new Error(`${label}: "${bad}" is not a number`);
  if (!counts.includes(values.length)) throw new Error(`${label} needs ${counts.join(' or ')} numbers, got ${values.length} ("${text.trim()}")`);
  return values;
}

/**
 * A grid from typed bounds "minx miny maxx maxy", a resolution "res" or "xres yres" or a size
 * "width height", an optional CRS and -tap, made exactly as gdal_rasterize -te/-tr/-ts/-tap would make it.
 */
export function gridFromFields(boundsText: string, resolutionText: string, crsText: string, sizeText = '', tap = false): Grid {
  const [minx, miny, maxx, maxy] = numbers('bounds', boundsText, [4]);
  const crs = crsText.trim();
  const opts = { ...(crs ? { crs } : {}), targetAlignedPixels: tap };
  if (sizeText.trim()) {
    if (tap) throw new Error('-tap needs a resolution, not a size (as in gdal_rasterize)');
    const size = numbers('size', sizeText, [2]);
    if (!size.every((v) => Number.isInteger(v) && v > 0)) throw new Error(`size: "${sizeText.trim()}" is not two positive whole numbers`);
    return gridFromBounds([minx, miny, maxx, maxy], { size: [size[0], size[1]] }, opts);
  }
  const res = numbers('resolution', resolutionText, [1, 2]);
  return gridFromBounds([minx, miny, maxx, maxy], { resolution: [res[0], res[1] ?? res[0]] }, opts);
}

/** A round resolution giving about `pixels` pixels along the extent's longer side. */
export function roundResolution(extent: [number, number, number, number], pixels = 1000): number {
  const span = Math.max(extent[2] - extent[0], extent[3] - extent[1]);
  if (!(span > 0)) return 1;
  const raw = span / pixels, p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((r) => r >= raw) ?? 10 * p;
}

/** The bounds and resolution fields that describe a north-up grid (to pre-fill them from a template). */
export function fieldsFromGrid(grid: Grid): { bounds: string; resolution: string } | null {
  const [x0, dx, rx, y0, ry, dy] = grid.transform;
  if (rx !== 0 || ry !== 0 || dy >= 0) return null;
  const bounds = [x0, y0 + grid.height * dy, x0 + grid.width * dx, y0].map((v) => String(v)).join(' ');
  return { bounds, resolution: dx === -dy ? String(dx) : `${dx} ${-dy}` };
}
