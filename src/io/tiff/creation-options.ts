// gdal_rasterize's -co NAME=VALUE list for the GTiff driver, read as GDAL 3.6 reads it: names and choice
// values case-insensitively, a bad value warned about in GDAL's words and then ignored (or, where GDAL
// fails to create the file, an error), an option GDAL knows but rasterburn does not write warned about,
// never passed over in silence. Browser-safe.
import type { DType } from '../../types.js';
import type { Compression, GeoTIFFWriteOptions } from './write.js';

export interface CreationOptions {
  options: GeoTIFFWriteOptions;
  /** one line each, GDAL's warning where GDAL gives one */
  warnings: string[];
  /** TFW=YES: an ESRI world file beside the GeoTIFF (src/io/tiff/world-file.ts) */
  worldFile?: boolean;
}

const COMPRESS_GDAL = ['NONE', 'LZW', 'PACKBITS', 'JPEG', 'CCITTRLE', 'CCITTFAX3', 'CCITTFAX4', 'DEFLATE', 'LZMA', 'ZSTD', 'LERC', 'LERC_DEFLATE', 'LERC_ZSTD', 'WEBP', 'JXL'];
const COMPRESS_OURS = new Set(['NONE', 'LZW', 'PACKBITS', 'DEFLATE', 'ZSTD']);
// GTiff creation options GDAL 3.6 has that change nothing in a single-band file as rasterburn writes it
const NO_EFFECT: Record<string, (v: string) => boolean> = {
  INTERLEAVE: (v) => /^(band|pixel)$/i.test(v),
  ENDIANNESS: (v) => /^(native|little)$/i.test(v),
  PROFILE: (v) => /^gdalgeotiff$/i.test(v),
  GEOTIFF_VERSION: (v) => /^(auto|1\.0)$/i.test(v),
  COPY_SRC_OVERVIEWS: (v) => !truthy(v),
  PHOTOMETRIC: (v) => /^minisblack$/i.test(v),
  STREAMABLE_OUTPUT: (v) => !truthy(v),
  // RPC side files: a rasterized band has no RPCs to write
  RPB: () => true, RPCTXT: () => true,
  // only read by the codecs rasterburn does not write
  JPEG_QUALITY: () => true, JPEGTABLESMODE: () => true, LZMA_PRESET: () => true, WEBP_LEVEL: () => true,
  WEBP_LOSSLESS: () => true, MAX_Z_ERROR: () => true, MAX_Z_ERROR_OVERVIEW: () => true, JXL_LOSSLESS: () => true,
  JXL_EFFORT: () => true, JXL_DISTANCE: () => true,
};
// GTiff creation options GDAL 3.6 has that rasterburn does not implement
const NOT_OURS = new Set([
  'NBITS', 'DISCARD_LSB', 'ALPHA', 'PIXELTYPE', 'SOURCE_ICC_PROFILE', 'SOURCE_PRIMARIES_RED', 'SOURCE_PRIMARIES_GREEN',
  'SOURCE_PRIMARIES_BLUE', 'SOURCE_WHITEPOINT', 'TIFFTAG_TRANSFERFUNCTION_RED', 'TIFFTAG_TRANSFERFUNCTION_GREEN',
  'TIFFTAG_TRANSFERFUNCTION_BLUE', 'TIFFTAG_TRANSFERRANGE_BLACK', 'TIFFTAG_TRANSFERRANGE_WHITE', 'GEOTIFF_KEYS_FLAVOR',
  'WRITE_COLORMAP',
]);
const KNOWN = new Set(['NUM_THREADS', 'TFW', 'COMPRESS', 'PREDICTOR', 'ZLEVEL', 'ZSTD_LEVEL', 'TILED', 'BLOCKXSIZE', 'BLOCKYSIZE', 'BIGTIFF', 'SPARSE_OK', ...Object.keys(NO_EFFECT), ...NOT_OURS]);

// CPLTestBool: everything but NO, FALSE, OFF and 0 is true
function truthy(v: string): boolean {
  return !/^(no|false|off|0)$/i.test(v);
}

const isInt = (v: string): boolean => /^\s*[+-]?\d+/.test(v);

/** Reads -co's NAME=VALUE list for a GeoTIFF of type `dtype`. Throws where GDAL fails to create the file. */
export function parseCreationOptions(list: readonly string[], dtype: DType): CreationOptions {
  const warnings: string[] = [];
  const values = new Map<string, string>();
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      warnings.push(`creation option '${item}' is not formatted with the key=value format`);
      continue;
    }
    const name = item.slice(0, eq).toUpperCase();
    const value = item.slice(eq + 1);
    if (!KNOWN.has(name)) {
      warnings.push(`driver GTiff does not support creation option ${item.slice(0, eq)}`);
      continue;
    }
    // GDAL looks options up in the list front to back: the first of a repeated one wins
    if (!values.has(name)) values.set(name, value);
  }
  const o: GeoTIFFWriteOptions = {};
  const unexpected = (name: string, v: string, type: string) => warnings.push(`'${v}' is an unexpected value for ${name} creation option of type ${type}.`);
  const intOption = (name: string, lo: number, hi: number, set: (n: number) => void, twice = false): void => {
    const v = values.get(name);
    if (v === undefined) return;
    if (!isInt(v)) unexpected(name, v, 'int');
    const n = Number.parseInt(v, 10);
    if (Number.isInteger(n) && n >= lo && n <= hi) set(n);
    else for (let i = 0; i < (twice ? 2 : 1); i++) warnings.push(`${name}=${v} value not recognised, ignoring.`);
  };

  for (const [name, v] of values) {
    if (NOT_OURS.has(name)) warnings.push(`creation option ${name}=${v} is not supported by rasterburn: ignored`);
    else if (NO_EFFECT[name] && !NO_EFFECT[name](v)) warnings.push(`creation option ${name}=${v} is not supported by rasterburn: ignored`);
  }

  const compress = values.get('COMPRESS');
  if (compress !== undefined) {
    const c = compress.toUpperCase();
    if (!COMPRESS_GDAL.includes(c)) {
      unexpected('COMPRESS', compress, 'string-select');
      warnings.push(`COMPRESS=${compress} value not recognised, ignoring.`);
    } else if (!COMPRESS_OURS.has(c)) {
      warnings.push(`COMPRESS=${compress} is not supported by rasterburn (it writes NONE, DEFLATE, LZW, PACKBITS or ZSTD): the file is written uncompressed`);
    } else {
      o.compress = c.toLowerCase() as Compression;
    }
  }
  const predictor = values.get('PREDICTOR');
  if (predictor !== undefined) {
    if (!isInt(predictor)) unexpected('PREDICTOR', predictor, 'int');
    const p = Number.parseInt(predictor, 10);
    if (p !== 1 && p !== 2 && p !== 3) throw new Error(`PREDICTOR=${predictor} is not supported.`);
    const withCodec = o.compress === 'deflate' || o.compress === 'lzw' || o.compress === 'zstd';
    if (withCodec && p === 3 && dtype !== 'float32' && dtype !== 'float64') throw new Error('PREDICTOR=3 is only supported with Float32 or Float64.');
    if (withCodec) o.predictor = p;
  }
  // GDAL reads these twice (once to create, once to open), hence two warnings
  intOption('ZLEVEL', 1, 12, (n) => { o.zlevel = n; }, true);
  intOption('ZSTD_LEVEL', 1, 22, (n) => { o.zstdLevel = n; }, true);

  const tiled = values.get('TILED');
  if (tiled !== undefined) {
    if (!/^(yes|no|true|false|on|off|1|0)$/i.test(tiled)) unexpected('TILED', tiled, 'boolean');
    if (truthy(tiled)) o.layout = 'tiles';
  }
  const block = (name: string): number | undefined => {
    const v = values.get(name);
    if (v === undefined) return undefined;
    if (!isInt(v)) unexpected(name, v, 'int');
    const n = Number.parseInt(v, 10);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const bx = block('BLOCKXSIZE'), by = block('BLOCKYSIZE');
  if (o.layout === 'tiles') {
    const w = bx ?? 256, h = by ?? 256;
    // libtiff refuses tile sizes that are not multiples of 16, and GDAL cannot create the file
    if (w % 16 !== 0) throw new Error(`Bad value ${w} for "TileWidth" tag`);
    if (h % 16 !== 0) throw new Error(`Bad value ${h} for "TileLength" tag`);
    o.tileWidth = w;
    o.tileHeight = h;
  } else if (by !== undefined) {
    o.rowsPerStrip = by;
  }

  const big = values.get('BIGTIFF');
  if (big !== undefined) {
    const b = big.toUpperCase();
    if (b === 'YES') o.bigTiff = true;
    else if (b === 'NO') o.bigTiff = false;
    else if (b === 'IF_SAFER') o.bigTiff = 'if-safer';
    else if (b !== 'IF_NEEDED') unexpected('BIGTIFF', big, 'string-select');
  }
  const threads = numThreads(values.get('NUM_THREADS'));
  if (threads !== undefined) o.threads = threads;
  const sparse = values.get('SPARSE_OK');
  if (sparse !== undefined) {
    if (!/^(yes|no|true|false|on|off|1|0)$/i.test(sparse)) unexpected('SPARSE_OK', sparse, 'boolean');
    if (truthy(sparse)) o.sparse = true;
  }
  const tfw = values.get('TFW');
  if (tfw !== undefined && !/^(yes|no|true|false|on|off|1|0)$/i.test(tfw)) unexpected('TFW', tfw, 'boolean');
  return tfw !== undefined && truthy(tfw) ? { options: o, warnings, worldFile: true } : { options: o, warnings };
}

/**
 * NUM_THREADS as GDAL reads it: ALL_CPUS, else the number at the start of the value (atoi: none is 0), held
 * to 1..1024; a value without a number means one thread, silently, as in GDAL.
 */
export function numThreads(v: string | undefined): number | 'all' | undefined {
  if (v === undefined) return undefined;
  if (/^all_cpus$/i.test(v)) return 'all';
  const n = Number.parseInt(v, 10);
  return Number.isInteger(n) ? Math.max(1, Math.min(1024, n)) : 1;
}
