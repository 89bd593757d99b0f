// -of COG's creation options, read as GDAL 3.6's COG driver reads them, to the tiled GeoTIFF rasterburn writes:
// tiles of BLOCKSIZE (default 512), the IFDs first and the tiles after them in file order, which is the layout
// GDAL's COG validator checks. GDAL 3.6's gdal_rasterize cannot write COG itself (the driver has no direct
// creation); the reference is its GTiff output through gdal_translate -of COG. Overviews (pixel rules G10, G11)
// are computed with every method GDAL 3.6 offers for them but AVERAGE_MP and NONE: with those the file is
// written without overviews and a warning says so. Browser-safe.
import type { DType } from '../../types.js';
import type { Compression, GeoTIFFWriteOptions } from './write.js';
import { numThreads, type CreationOptions } from './creation-options.js';
import { cogOverviewSizes, type OverviewResampling } from './overview.js';

/** The overview levels a COG gets: their sizes, largest first, and how they are resampled. */
export interface CogOverviews { sizes: [number, number][]; resampling: OverviewResampling }

/** -co for -of COG: the GeoTIFF options, GDAL's warnings, and the overviews to compute (null: none). */
export interface CogCreationOptions extends CreationOptions { overviews: CogOverviews | null }

// GDAL 3.6's overview resampling names (GDALGetResampleFunction): any name starting with NEAR is nearest, any
// starting with AVER is AVERAGE on a real band (AVERAGE_MAGPHASE and AVERAGE_BIT2GRAYSCALE included) except
// AVERAGE_MP, which is its own method; NONE leaves the levels unfilled. MIN, MAX, MED, Q1, Q3 and SUM are warp
// methods that GDAL refuses here. Those computed here follow pixel rules G10, G11.
const EXACT = ['RMS', 'BILINEAR', 'CUBIC', 'CUBICSPLINE', 'LANCZOS', 'GAUSS', 'MODE', 'AVERAGE_MP', 'NONE'];
const COMPUTED = new Set(['NEAREST', 'MODE', 'AVERAGE', 'RMS', 'GAUSS', 'BILINEAR', 'CUBIC', 'CUBICSPLINE', 'LANCZOS']);

// the method GDAL runs for a RESAMPLING value (upper case), or null when GDAL refuses it
function resamplingMethod(name: string): string | null {
  if (name.startsWith('NEAR')) return 'NEAREST';
  if (name === 'AVERAGE_MP') return name;
  if (name.startsWith('AVER')) return 'AVERAGE';
  return EXACT.includes(name) ? name : null;
}

const COMPRESS_COG = ['NONE', 'LZW', 'JPEG', 'DEFLATE', 'ZSTD', 'WEBP', 'LERC', 'LERC_DEFLATE', 'LERC_ZSTD', 'LZMA', 'JXL', 'PACKBITS'];
const OURS = new Set(['NONE', 'LZW', 'DEFLATE', 'ZSTD', 'PACKBITS']);
const KNOWN = new Set(['BLOCKSIZE', 'COMPRESS', 'LEVEL', 'PREDICTOR', 'BIGTIFF', 'NUM_THREADS', 'OVERVIEWS', 'RESAMPLING',
  'OVERVIEW_RESAMPLING', 'WARP_RESAMPLING', 'SPARSE_OK', 'QUALITY', 'MAX_Z_ERROR', 'OVERVIEW_COMPRESS', 'OVERVIEW_QUALITY',
  'OVERVIEW_PREDICTOR', 'OVERVIEW_COUNT', 'GEOTIFF_VERSION', 'TILING_SCHEME', 'ZOOM_LEVEL', 'ZOOM_LEVEL_STRATEGY',
  'TARGET_SRS', 'RES', 'EXTENT', 'ALIGNED_LEVELS', 'ADD_ALPHA', 'STATISTICS', 'JXL_LOSSLESS', 'JXL_EFFORT', 'JXL_DISTANCE']);
// options that only matter for reprojection, overviews or codecs rasterburn does not write
// (overviews are compressed as the full-resolution image, GDAL's default: OVERVIEW_COMPRESS and OVERVIEW_PREDICTOR
// are not applied and warned about)
const NO_EFFECT = new Set(['NUM_THREADS', 'WARP_RESAMPLING', 'QUALITY', 'MAX_Z_ERROR', 'OVERVIEW_QUALITY',
  'JXL_LOSSLESS', 'JXL_EFFORT', 'JXL_DISTANCE', 'STATISTICS']);
// read below
const READ = ['BLOCKSIZE', 'COMPRESS', 'LEVEL', 'PREDICTOR', 'BIGTIFF', 'OVERVIEWS', 'SPARSE_OK', 'GEOTIFF_VERSION', 'RESAMPLING', 'OVERVIEW_RESAMPLING', 'OVERVIEW_COUNT'];

/** Reads -of COG's -co list for a raster of `width` x `height` and type `dtype`. */
export function parseCogOptions(list: readonly string[], dtype: DType, width: number, height: number): CogCreationOptions {
  const warnings: string[] = [];
  const values = new Map<string, string>();
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) { warnings.push(`creation option '${item}' is not formatted with the key=value format`); continue; }
    const name = item.slice(0, eq).toUpperCase();
    if (!KNOWN.has(name)) { warnings.push(`driver COG does not support creation option ${item.slice(0, eq)}`); continue; }
    if (!values.has(name)) values.set(name, item.slice(eq + 1));
  }
  for (const [name, v] of values) {
    if (!NO_EFFECT.has(name) && !READ.includes(name)) {
      warnings.push(`creation option ${name}=${v} is not supported by rasterburn for COG: ignored`);
    }
  }
  const o: GeoTIFFWriteOptions = { layout: 'tiles', compress: 'lzw' };
  const block = values.get('BLOCKSIZE');
  const size = block === undefined ? 512 : Number.parseInt(block, 10);
  if (!(Number.isInteger(size) && size > 0 && size % 16 === 0)) throw new Error(`BLOCKSIZE=${block}: must be a positive multiple of 16`);
  o.tileSize = size;

  const c = values.get('COMPRESS');
  if (c !== undefined) {
    const u = c.toUpperCase();
    if (!COMPRESS_COG.includes(u)) {
      warnings.push(`'${c}' is an unexpected value for COMPRESS creation option of type string-select.`);
    } else if (!OURS.has(u)) {
      warnings.push(`COMPRESS=${c} is not supported by rasterburn (it writes NONE, DEFLATE, LZW, PACKBITS or ZSTD): the file is written uncompressed`);
      o.compress = 'none';
    } else {
      o.compress = u.toLowerCase() as Compression;
    }
  }
  const level = values.get('LEVEL');
  if (level !== undefined) {
    const n = Number.parseInt(level, 10);
    if (o.compress === 'deflate' && n >= 1 && n <= 12) o.zlevel = n;
    else if (o.compress === 'zstd' && n >= 1 && n <= 22) o.zstdLevel = n;
    else warnings.push(`LEVEL=${level} value not recognised, ignoring.`);
  }
  const pred = values.get('PREDICTOR');
  if (pred !== undefined && o.compress !== 'none' && o.compress !== 'packbits') {
    const p = pred.toUpperCase();
    const float = dtype === 'float32' || dtype === 'float64';
    if (p === 'YES' || p === 'ON' || p === 'TRUE') o.predictor = float ? 3 : 2;
    else if (p === 'STANDARD' || p === '2') o.predictor = 2;
    else if (p === 'FLOATING_POINT' || p === '3') {
      if (!float) throw new Error('PREDICTOR=3 is only supported with Float32 or Float64.');
      o.predictor = 3;
    } else if (!(p === 'NO' || p === 'OFF' || p === 'FALSE' || p === '1')) {
      warnings.push(`'${pred}' is an unexpected value for PREDICTOR creation option of type string-select.`);
    }
  }
  const big = values.get('BIGTIFF')?.toUpperCase();
  if (big === 'YES') o.bigTiff = true;
  else if (big === 'NO') o.bigTiff = false;
  const sparse = values.get('SPARSE_OK');
  if (sparse !== undefined && !/^(no|false|off|0)$/i.test(sparse)) o.sparse = true;
  const threads = numThreads(values.get('NUM_THREADS'));
  if (threads !== undefined) o.threads = threads;

  return { options: o, warnings, overviews: cogOverviews(values, warnings, width, height, size) };
}

// the overview levels GDAL's COG driver makes from a new raster (which has none of its own), or null
function cogOverviews(values: Map<string, string>, warnings: string[], width: number, height: number, block: number): CogOverviews | null {
  const given = values.get('OVERVIEWS');
  const mode = (given ?? 'AUTO').toUpperCase();
  if (!['AUTO', 'IGNORE_EXISTING', 'FORCE_USE_EXISTING', 'NONE'].includes(mode)) {
    warnings.push(`'${given}' is an unexpected value for OVERVIEWS creation option of type string-select.`);
  }
  // FORCE_USE_EXISTING copies the source's overviews, and a rasterized band has none
  if (mode === 'NONE' || mode === 'FORCE_USE_EXISTING') return null;
  let count: number | undefined;
  const countText = values.get('OVERVIEW_COUNT');
  if (countText !== undefined) {
    const n = /^\s*[-+]?\d+/.exec(countText) ? Number.parseInt(countText, 10) : Number.NaN;
    if (Number.isNaN(n)) throw new Error(`OVERVIEW_COUNT=${countText}: '${countText}' is an unexpected value for OVERVIEW_COUNT creation option of type int.`);
    if (n < 0) {
      // GDAL warns, then makes none
      warnings.push(`'${countText}' is an unexpected value for OVERVIEW_COUNT creation option that should be >= 0.`);
      return null;
    }
    if (n === 0) throw new Error('OVERVIEW_COUNT=0: GDAL 3.6 writes no file for it; use OVERVIEWS=NONE for a COG without overviews');
    count = n;
  }
  const sizes = cogOverviewSizes(width, height, block, count);
  if (sizes.length === 0) return null;
  const asked = values.get('OVERVIEW_RESAMPLING') ?? values.get('RESAMPLING');
  const resampling = resamplingMethod((asked ?? 'CUBIC').toUpperCase());
  if (resampling === null) throw new Error(`GDALGetResampleFunction: Unsupported resampling method "${asked}".`);
  if (COMPUTED.has(resampling)) return { sizes, resampling: resampling.toLowerCase() as OverviewResampling };
  const levels = sizes.map(([w, h]) => `${w} x ${h}`).join(', ');
  warnings.push(`COG written without overviews: GDAL would add ${sizes.length} level${sizes.length > 1 ? 's' : ''} (${levels}) resampled with ${resampling}${asked === undefined ? ' (its default)' : ''}, which rasterburn does not compute; pass -co RESAMPLING=AVERAGE, NEAREST or MODE for GDAL's overviews, or -co OVERVIEWS=NONE`);
  return null;
}
