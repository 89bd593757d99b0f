// Reading the page's non-GeoJSON inputs with the library's format readers (Shapefile parts or a .zip,
// GeoPackage, FlatGeobuf, GeoParquet, GeoJSON sequences), in the data worker. A FlatGeobuf or
// GeoParquet URL is read only where the grid lies when the grid is known (HTTP range requests), and
// read again when a later grid reaches beyond what was read.
import { loadCrs, makeTransformer } from '../src/crs.js';
import { openVector, type VectorInput } from '../src/formats/open.js';
import type { BBox, FeatureLayer } from '../src/formats/layer.js';
import type { Grid } from '../src/index.js';

/** Names a URL or file as a vector format that the GeoJSON path cannot read. */
export const VECTOR_NAME = /\.(shp|dbf|shx|prj|cpg|zip|gpkg|fgb|parquet|geoparquet|geojsonl|geojsons|geojsonseq)$/i;
/** The formats read by ranges from a URL. */
const RANGED_URL = /\.(fgb|parquet|geoparquet)$/i;

/** What was read, and how to read it again for another grid. */
export interface VectorRead {
  layer: FeatureLayer;
  layers: string[];
  /** the box read (in the layer's CRS), absent when the whole layer was read */
  box?: BBox;
  input: VectorInput | string;
}

/** whether a URL's path names a vector format other than GeoJSON */
export function isVectorUrl(url: string): boolean {
  return VECTOR_NAME.test(new URL(url, self.location.href).pathname);
}

/** The grid's footprint [xmin, ymin, xmax, ymax] in its own CRS (any rotation included). */
export function gridBox(grid: Grid): BBox {
  const [x0, dx, rx, y0, ry, dy] = grid.transform;
  const xs = [0, grid.width].flatMap((c) => [0, grid.height].map((r) => x0 + c * dx + r * rx));
  const ys = [0, grid.width].flatMap((c) => [0, grid.height].map((r) => y0 + c * ry + r * dy));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The CRS rasterize() takes a layer to be in: its crs member, else CRS84. */
export function layerCrs(layer: { crs?: { properties?: { name?: unknown } } }): string {
  const n = layer.crs?.properties?.name;
  return typeof n === 'string' ? n : 'OGC:CRS84';
}

// whether features in `crs` burn onto `grid` without reprojection, so the grid's box is a box in the layer's CRS
async function sameCrs(crs: string, grid: Grid): Promise<boolean> {
  if (!grid.crs) return true;
  await loadCrs(crs, grid.crs);
  return makeTransformer(crs, grid.crs) === null;
}

/**
 * Reads `layer` (else the first layer) of a vector input; a ranged URL with a known grid reads only the
 * features meeting the grid. Features outside the grid burn no pixel, so the burn is the same.
 */
export async function readVector(input: VectorInput | string, layer: string | undefined, grid: Grid | undefined, stage: (s: string) => void): Promise<VectorRead> {
  const source = await openVector(input);
  try {
    const layers = source.layerNames();
    if (!layers.length) throw new Error(`${source.name} has no layers`);
    const name = layer !== undefined && layers.includes(layer) ? layer : layers[0];
    const ranged = typeof input === 'string' && RANGED_URL.test(new URL(input).pathname);
    if (ranged && grid) {
      const box = gridBox(grid);
      stage(`reading the features of ${name} in the grid`);
      const part = await source.read(name, { bbox: box });
      // the box was in the grid's CRS: right only when the layer is in it too
      if (await sameCrs(layerCrs(part), grid)) return { layer: part, layers, box, input };
    }
    stage(`reading ${name}`);
    return { layer: await source.read(name), layers, input };
  } finally {
    source.close?.();
  }
}

/** Whether a partial read holds every feature that meets `grid`. */
export async function covers(read: VectorRead, grid: Grid): Promise<boolean> {
  if (!read.box) return true;
  const [a, b, c, d] = gridBox(grid), box = read.box;
  return a >= box[0] && b >= box[1] && c <= box[2] && d <= box[3] && await sameCrs(layerCrs(read.layer), grid);
}

/** The numeric fields of a layer (its attribute choices), in the layer's order. */
export function numericFields(layer: FeatureLayer): string[] {
  const typed = layer.fields.filter((f) => f.type === 'Integer' || f.type === 'Integer64' || f.type === 'Real').map((f) => f.name);
  if (typed.length || layer.fields.length) return typed;
  const seen = new Set<string>();
  for (const f of layer.features) for (const [k, v] of Object.entries(f.properties ?? {})) if (typeof v === 'number') seen.add(k);
  return [...seen];
}
