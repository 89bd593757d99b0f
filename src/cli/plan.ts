// Decides what gdal_rasterize 3.6 would create or update for a command line: the grid (extent, half-pixel
// growth, -tap, size rounding), type, nodata, init value, SRS and whether features are reprojected
// (pixel rules G1-G8, V5). Pure: main.ts does the file reading and hands the results in.
import { parseCrs, sameCrs } from '../crs.js';
import { DTYPES } from '../dtype.js';
import { layerExtent } from '../features/extent.js';
import { isInteger64Field } from '../features/flatten.js';
import { featureCrsOf, impliedCrs, type FeatureInput } from '../features/geojson.js';
import { assumedLonLatError } from '../features/lonlat.js';
import { gridFromBounds } from '../grid-from-bounds.js';
import type { DType, Grid, RasterizeOptions } from '../types.js';
import type { CliArgs } from './args.js';
import { parseSelect } from '../where/sql.js';
import { isSelected, selectedFields } from '../where/select.js';

export type OutputFormat = 'gtiff' | 'npy';

/** The type gdal_rasterize creates without -ot (pixel rule G6; the library's default is DEFAULT_DTYPE). */
export const CLI_DEFAULT_DTYPE: DType = 'float64';

/** The destination raster being updated (its band 1). */
export interface ExistingRaster {
  grid: Grid;
  dtype: DType;
  nodata: number | null;
  bandCount: number;
  /** true when the file is updated in place, so that bands other than band 1 survive the burn */
  keepsOtherBands?: boolean;
}

export interface PlanInput {
  args: CliArgs;
  /** the parsed source GeoJSON */
  source: FeatureInput;
  /** source path, for the layer name and messages */
  srcPath: string;
  /** 'create' or 'update', from decideMode */
  mode: 'create' | 'update';
  /** the destination's raster when updating */
  existing?: ExistingRaster;
  /** the --template raster's grid */
  template?: Grid;
  /** sources other than GeoJSON: -l was resolved by the reader, and the source is burned this many times */
  passes?: number;
}

export interface OutputPlan {
  mode: 'create' | 'update';
  grid: Grid;
  dtype: DType;
  nodata: number | null;
  /** options for rasterize(), less into/signal/onProgress */
  options: RasterizeOptions;
  /** how many times the layer is burned: gdal_rasterize burns a layer once per -l naming it */
  passes: number;
  /** the source's layer name */
  layerName: string;
  /**
   * A new raster's bands after the first (GDAL makes one per -burn or -init value, whichever are more): the
   * options that differ from band 1's. Empty for one band and when updating.
   */
  moreBands: Array<Pick<RasterizeOptions, 'burn' | 'init'>>;
}

/** Output format from -of and the destination's extension (GDAL guesses the driver the same way). */
export function outputFormat(dst: string, format: string | undefined): OutputFormat {
  if (format !== undefined) return 'gtiff';
  const base = dst.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (ext === 'npy') return 'npy';
  if (ext === '' || ext === 'tif' || ext === 'tiff') return 'gtiff';
  throw new Error(`cannot tell the output format of '${dst}' from its extension: use .tif, .tiff or .npy (or -of GTiff)`);
}

/**
 * gdal_rasterize updates the destination when no creation option is given and it opens as a raster;
 * otherwise it creates (overwriting). We refuse instead of overwriting a file we cannot read.
 */
export function decideMode(args: CliArgs, dstExists: boolean): 'create' | 'update' {
  if (args.createOutput) return 'create';
  if (!dstExists) {
    // GDAL's message when the destination does not exist and neither -tr nor -ts is given
    throw new Error(`Size and resolutions are missing: '${args.dst}' does not exist, so it is created and needs -tr xres yres, -ts xsize ysize or --template raster`);
  }
  return 'update';
}

/** The GeoJSON layer's name as OGR reports it: the FeatureCollection's "name" member, else the file's basename. */
export function layerNameOf(source: FeatureInput, srcPath: string): string {
  const name = (source as { name?: unknown }).name;
  if (typeof name === 'string') return name;
  const base = srcPath.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The output grid for creation mode from -te or the layer extent (gdal_rasterize's CreateOutputDataset). */
export function creationGrid(
  layerBounds: [number, number, number, number] | null,
  args: Pick<CliArgs, 'te' | 'tr' | 'ts' | 'tap'>,
  crs: string | undefined,
): Grid {
  let bounds: [number, number, number, number];
  if (args.te) {
    bounds = [...args.te];
  } else {
    if (!layerBounds) throw new Error('Cannot get layer extent: the source has no feature with coordinates; give -te xmin ymin xmax ymax');
    bounds = [...layerBounds];
    // GDAL grows the layer-derived extent by half a pixel so that border points are not lost (pixel rule G2);
    // not with -te, not with -tap, not with -ts alone
    if (args.tr && !args.tap) {
      const [xres, yres] = args.tr;
      bounds[0] -= xres / 2;
      bounds[2] += xres / 2;
      bounds[1] -= yres / 2;
      bounds[3] += yres / 2;
    }
  }
  const size = args.tr ? { resolution: args.tr, size: args.ts } : { size: args.ts as [number, number] };
  return gridFromBounds(bounds, size, { targetAlignedPixels: args.tap, crs });
}


function* propertyObjects(source: FeatureInput): Generator<Record<string, unknown>> {
  const t = (source as { type?: unknown }).type;
  const feats: unknown[] = t === 'FeatureCollection'
    ? ((source as { features?: unknown }).features as unknown[] ?? [])
    : t === 'Feature' ? [source] : [];
  if (!Array.isArray(feats)) return;
  for (const f of feats) {
    const p = f && typeof f === 'object' ? (f as { properties?: unknown }).properties : undefined;
    if (p && typeof p === 'object' && !Array.isArray(p)) yield p as Record<string, unknown>;
  }
}

// the field list of a layer read by src/formats (not of a GeoJSON document)
function readerFields(source: FeatureInput): { name: string; type: string }[] | undefined {
  const s = source as { format?: unknown; fields?: unknown };
  return typeof s.format === 'string' && Array.isArray(s.fields) ? s.fields as { name: string; type: string }[] : undefined;
}

/**
 * The property key -a names. OGR looks fields up case-insensitively, so `-a ID` finds "id"; an exact
 * match wins. Throws GDAL's "Failed to find field" when no feature has it.
 */
export function resolveAttribute(source: FeatureInput, name: string, layerName: string): string {
  const lower = name.toLowerCase();
  // a reader's layer has a schema: the field exists even when no feature holds a value
  const fields = readerFields(source) ?? selectedFields(source)?.map((n) => ({ name: n }));
  const hit = fields && (fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === lower));
  if (hit) return hit.name;
  let loose: string | undefined;
  for (const props of propertyObjects(source)) {
    if (Object.prototype.hasOwnProperty.call(props, name)) return name;
    if (loose === undefined) for (const k of Object.keys(props)) if (k.toLowerCase() === lower) { loose = k; break; }
  }
  if (loose !== undefined) return loose;
  throw new Error(`Failed to find field ${name} on layer ${layerName}`);
}

/** The CRS of a GeoJSON source: its legacy `crs` member, else CRS84 (EPSG:4979 for uniform 3D data, as GDAL reads it). */
export function sourceCrs(source: FeatureInput): string {
  const named = featureCrsOf(source);
  if (named === undefined) return impliedCrs(source);
  try {
    return parseCrs(named).id;
  } catch (e) {
    throw new Error(`the source's crs member: ${(e as Error).message}`);
  }
}

function namedCrs(text: string, option: string): string {
  try {
    return parseCrs(text).id;
  } catch (e) {
    throw new Error(`${option} ${text}: ${(e as Error).message}`);
  }
}

// the CRS written for a layer's CRS: GDAL writes GeoJSON's implicit CRS84 as EPSG:4326
function outputCrsOf(crs: string): string {
  return parseCrs(crs).id === 'OGC:CRS84' ? 'EPSG:4326' : crs;
}

/** Everything main needs to burn: grid, type, nodata and rasterize() options. */
export function planOutput(input: PlanInput): OutputPlan {
  const { args, source, mode } = input;
  const layerName = layerNameOf(source, input.srcPath);
  for (const l of input.passes === undefined ? args.layers : []) {
    if (l.toLowerCase() !== layerName.toLowerCase()) throw new Error(`Unable to find layer "${l}": ${input.srcPath} has one layer, "${layerName}"`);
  }
  // a GeoPackage's reader has filtered already, in SQLite (cli/source.ts), as GDAL's driver filters
  const filtered = (source as { format?: string }).format === 'geopackage';
  // (-where is ignored with -sql, as in GDAL)
  let where = filtered || args.sql !== undefined ? undefined : args.where;
  let selected: string[] | null = null;
  if (args.sql !== undefined && !isSelected(source)) {
    // SQLite's dialect (comparisons and LIKE unlike OGR SQL's) is what a GeoPackage's SQL runs in anyway;
    // elsewhere it is refused rather than evaluated otherwise (any other name is OGR SQL in GDAL too)
    if (!filtered && args.dialect !== undefined && /^(indirect_)?sqlite$/i.test(args.dialect)) {
      throw new Error(`-dialect ${args.dialect} is not supported with -sql on ${input.srcPath}: rasterburn evaluates OGRSQL (SQLite's only for a GeoPackage)`);
    }
    const sel = parseSelect(args.sql);
    if (sel.layer.toLowerCase() !== layerName.toLowerCase()) throw new Error(`SELECT from table ${sel.layer} failed, no such table/featureclass: ${input.srcPath} has one layer, "${layerName}"`);
    selected = sel.fields;
    // gdal_rasterize applies -where only to the layers it opens itself, never to -sql's result
    where = filtered ? undefined : sel.where;
  }
  // -sql burns its result set once, whatever -l says
  const passes = args.sql !== undefined ? 1 : input.passes ?? Math.max(1, args.layers.length);
  // --src-crs overrides; a reader's layer without an SRS is not reprojected (GeoJSON is CRS84 when it names none)
  const layerCrs = args.srcCrs !== undefined ? namedCrs(args.srcCrs, '--src-crs')
    : readerFields(source) && !featureCrsOf(source) ? undefined : sourceCrs(source);
  if (selected && args.attribute !== undefined && !selected.some((f) => f.toLowerCase() === args.attribute!.toLowerCase())) {
    throw new Error(`Failed to find field ${args.attribute} on layer ${layerName}`);
  }
  const attribute = args.attribute !== undefined ? resolveAttribute(source, args.attribute, layerName) : undefined;

  let grid: Grid;
  let dtype: DType;
  let nodata: number | null;
  let featureCrs: string | undefined;
  let init: number | undefined;

  if (mode === 'update') {
    const ex = input.existing;
    if (!ex) throw new Error('internal: update mode without the existing raster');
    if (ex.bandCount !== 1 && !ex.keepsOtherBands) throw new Error(`${args.dst} has ${ex.bandCount} bands; rasterburn can only burn into a single-band raster`);
    grid = ex.grid;
    dtype = ex.dtype;
    nodata = ex.nodata;
    // features are reprojected to the raster's SRS when they differ (none when the raster has no SRS)
    featureCrs = layerCrs ?? grid.crs;
  } else {
    let srs: string | undefined;
    if (args.srs !== undefined) {
      try {
        srs = parseCrs(args.srs).id;
      } catch (e) {
        throw new Error(`Failed to process SRS definition: ${args.srs} (${(e as Error).message})`);
      }
    }
    if (input.template) {
      grid = { ...input.template, transform: [...input.template.transform] };
      if (srs !== undefined) grid.crs = srs;
    } else {
      // a reader's layer brings the extent its file records (GDAL's OGR_L_GetExtent), else it is computed
      // (-sql's result brings the extent GDAL gives it, null for none: src/where/select.ts)
      const recorded = (source as { extent?: [number, number, number, number] | null }).extent;
      const bounds = args.te ? null : recorded !== undefined ? recorded : layerExtent(source);
      grid = creationGrid(bounds, args, srs ?? (layerCrs === undefined ? undefined : outputCrsOf(layerCrs)));
    }
    // -a_srs assigns the SRS without reprojecting; a grid made from the layer has the layer's SRS
    featureCrs = srs !== undefined ? srs : input.template ? layerCrs ?? grid.crs : grid.crs;
    // GDAL creates an Int64 raster for -a on an Integer64 field (pixel rule G6)
    const int64 = attribute !== undefined && args.dtype === undefined && isInteger64Field(source, attribute);
    dtype = args.dtype ?? (int64 ? 'int64' : CLI_DEFAULT_DTYPE);
    nodata = args.nodata ?? null;
    init = args.init.length ? args.init[0] : undefined;
  }

  const options: RasterizeOptions = {
    dtype,
    allTouched: args.allTouched,
    merge: args.add ? 'add' : 'replace',
    invert: args.invert,
    nodata,
    backend: args.backend,
  };
  if (featureCrs !== undefined) options.featureCrs = featureCrs;
  // coordinates read as lon/lat only because the GeoJSON names no CRS, that cannot be lon/lat: GDAL's PROJ
  // fails on them and burns nothing; proj4 would burn nonsense
  if (args.srcCrs === undefined && featureCrsOf(source) === undefined && featureCrs !== undefined && grid.crs !== undefined && !sameCrs(featureCrs, grid.crs)) {
    const e = assumedLonLatError(source, grid.crs, 'pass --src-crs');
    if (e) throw e;
  }
  if (init !== undefined) options.init = init;
  if (args.burn.length) options.burn = args.burn[0];
  if (attribute !== undefined) options.attribute = attribute;
  if (args.burnZ) options.burnZ = true;
  if (args.strict) options.strict = true;
  if (where !== undefined) options.where = where;

  // band b burns -burn's b-th value and starts from -init's b-th, the last value standing in for missing ones
  const moreBands: OutputPlan['moreBands'] = [];
  const bandCount = mode === 'create' ? Math.max(args.burn.length, args.init.length, 1) : 1;
  for (let b = 1; b < bandCount; b++) {
    const band: OutputPlan['moreBands'][number] = {};
    if (args.burn.length) band.burn = args.burn[Math.min(b, args.burn.length - 1)];
    if (args.init.length) band.init = args.init[Math.min(b, args.init.length - 1)];
    moreBands.push(band);
  }
  return { mode, grid, dtype, nodata, options, passes, layerName, moreBands };
}

/** Bytes of the output band; main refuses grids over its memory budget before allocating. */
export function rasterBytes(grid: Grid, dtype: DType): number {
  return grid.width * grid.height * DTYPES[dtype].bytes;
}
