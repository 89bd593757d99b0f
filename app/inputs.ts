// Reading what the user gives the page: a GeoJSON file, a template GeoTIFF, or typed bounds.
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

export async function readGeoJSONFile(file: Blob & { name: string }): Promise<LoadedFeatures> {
  return parseGeoJSON(file.name, await file.text());
}

/** The grid of a template GeoTIFF: its size, geotransform and CRS (its pixels are not needed). */
export async function readTemplate(file: Blob & { name: string }): Promise<Grid> {
  return gridFromGeoTIFF(file);
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
 * A grid from typed bounds "minx miny maxx maxy", a resolution "res" or "xres yres" and an optional
 * CRS, made exactly as gdal_rasterize -te/-tr would make it.
 */
export function gridFromFields(boundsText: string, resolutionText: string, crsText: string): Grid {
  const [minx, miny, maxx, maxy] = numbers('bounds', boundsText, [4]);
  const res = numbers('resolution', resolutionText, [1, 2]);
  const crs = crsText.trim();
  return gridFromBounds([minx, miny, maxx, maxy], { resolution: [res[0], res[1] ?? res[0]] }, crs ? { crs } : {});
}

/** The bounds and resolution fields that describe a north-up grid (to pre-fill them from a template). */
export function fieldsFromGrid(grid: Grid): { bounds: string; resolution: string } | null {
  const [x0, dx, rx, y0, ry, dy] = grid.transform;
  if (rx !== 0 || ry !== 0 || dy >= 0) return null;
  const bounds = [x0, y0 + grid.height * dy, x0 + grid.width * dx, y0].map((v) => String(v)).join(' ');
  return { bounds, resolution: dx === -dy ? String(dx) : `${dx} ${-dy}` };
}
