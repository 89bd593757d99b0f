// -of COG's creation options, read as GDAL's COG driver reads them, to the tiled GeoTIFF rasterburn writes:
// tiles of BLOCKSIZE (default 512) in file order after the header and the IFD, which is the layout GDAL's
// COG validator checks. GDAL 3.6's gdal_rasterize cannot write COG itself (the driver has no direct
// creation); the reference is its GTiff output through gdal_translate -of COG. Overviews are not computed:
// an output over one block without OVERVIEWS=NONE says so in a warning (the validator accepts such a file
// and recommends overviews). Browser-safe.
import type { DType } from '../../types.js';
import type { Compression, GeoTIFFWriteOptions } from './write.js';
import { numThreads, type CreationOptions } from './creation-options.js';

const COMPRESS_COG = ['NONE', 'LZW', 'JPEG', 'DEFLATE', 'ZSTD', 'WEBP', 'LERC', 'LERC_DEFLATE', 'LERC_ZSTD', 'LZMA', 'JXL', 'PACKBITS'];
const OURS = new Set(['NONE', 'LZW', 'DEFLATE', 'ZSTD', 'PACKBITS']);
const KNOWN = new Set(['BLOCKSIZE', 'COMPRESS', 'LEVEL', 'PREDICTOR', 'BIGTIFF', 'NUM_THREADS', 'OVERVIEWS', 'RESAMPLING',
  'OVERVIEW_RESAMPLING', 'WARP_RESAMPLING', 'SPARSE_OK', 'QUALITY', 'MAX_Z_ERROR', 'OVERVIEW_COMPRESS', 'OVERVIEW_QUALITY',
  'OVERVIEW_PREDICTOR', 'OVERVIEW_COUNT', 'GEOTIFF_VERSION', 'TILING_SCHEME', 'ZOOM_LEVEL', 'ZOOM_LEVEL_STRATEGY',
  'TARGET_SRS', 'RES', 'EXTENT', 'ALIGNED_LEVELS', 'ADD_ALPHA', 'STATISTICS', 'JXL_LOSSLESS', 'JXL_EFFORT', 'JXL_DISTANCE']);
// options that only matter for reprojection, overviews or codecs rasterburn does not write
const NO_EFFECT = new Set(['NUM_THREADS', 'RESAMPLING', 'OVERVIEW_RESAMPLING', 'WARP_RESAMPLING', 'QUALITY', 'MAX_Z_ERROR',
  'OVERVIEW_COMPRESS', 'OVERVIEW_QUALITY', 'OVERVIEW_PREDICTOR', 'OVERVIEW_COUNT', 'JXL_LOSSLESS', 'JXL_EFFORT', 'JXL_DISTANCE', 'STATISTICS']);

/** Reads -of COG's -co list for a raster of `width` x `height` and type `dtype`. */
export function parseCogOptions(list: readonly string[], dtype: DType, width: number, height: number): CreationOptions {
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
    if (!NO_EFFECT.has(name) && !['BLOCKSIZE', 'COMPRESS', 'LEVEL', 'PREDICTOR', 'BIGTIFF', 'OVERVIEWS', 'SPARSE_OK', 'GEOTIFF_VERSION'].includes(name)) {
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

  const overviews = (values.get('OVERVIEWS') ?? 'AUTO').toUpperCase();
  if (overviews !== 'NONE' && Math.max(width, height) > size) {
    warnings.push(`COG written without overviews (rasterburn does not compute them; OVERVIEWS=${overviews} asks for them on a ${width} x ${height} raster over one ${size} block): use OVERVIEWS=NONE, or gdaladdo to add them`);
  }
  return { options: o, warnings };
}
