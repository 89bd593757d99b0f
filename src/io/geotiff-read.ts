// GeoTIFF -> Grid (and band data), georeferenced exactly as GDAL 3.6's GTiff driver reads it. Browser-safe.
import { fromArrayBuffer, fromBlob, fromUrl, globals, type GeoTIFFImage } from 'geotiff';
import { epsgDefinition, parseCrs } from '../crs.js';
import type { DType, GeoTransform, Grid, TypedArray } from '../types.js';

export type GeoTIFFSource = ArrayBuffer | Uint8Array | Blob | URL | string;

export interface GeoTIFFRaster {
  grid: Grid;
  /** The band's pixels, row-major, row 0 at the top. */
  data: TypedArray;
  dtype: DType;
  /** GDAL_NODATA as GDAL reads it (Float32 bands: rounded to float), or null. */
  nodata: number | null;
  bandCount: number;
}

const USER_DEFINED = 32767;
const KEY = {
  GTModelType: 1024, GTRasterType: 1025, GTCitation: 1026, GeographicType: 2048, ProjectedCSType: 3072, PCSCitation: 3073,
} as const;
const TAG = {
  ModelPixelScale: 33550, ModelTiepoint: 33922, ModelTransformation: 34264,
  GeoKeyDirectory: 34735, GeoDoubleParams: 34736, GeoAsciiParams: 34737, GDAL_NODATA: 42113,
  BitsPerSample: 258, SampleFormat: 339,
} as const;

/**
 * The grid of a GeoTIFF's first image: size, geotransform and CRS ('EPSG:xxxx' when the keys name a code,
 * else a proj4 string built from the keys). Georeferencing follows GDAL: PixelScale+Tiepoint (negative
 * ScaleY taken as north-up), else a 4x4 ModelTransformation (rotation kept in the 6-term transform);
 * RasterPixelIsPoint moves the origin back half a pixel; no georeferencing gives GDAL's [0, 1, 0, 0, 0, 1].
 */
export async function gridFromGeoTIFF(src: GeoTIFFSource): Promise<Grid> {
  const image = await openImage(src);
  return gridOfImage(image, label(src));
}

/** A GeoTIFF's grid plus one band's pixels, for burning into an existing raster. */
export async function readGeoTIFFRaster(src: GeoTIFFSource, band = 1): Promise<GeoTIFFRaster> {
  const name = label(src);
  const image = await openImage(src);
  const bandCount = image.getSamplesPerPixel();
  if (!Number.isInteger(band) || band < 1 || band > bandCount) {
    throw new Error(`${name}: band ${band} does not exist (the file has ${bandCount} band${bandCount === 1 ? '' : 's'})`);
  }
  const dtype = await bandDType(image, band, name);
  const grid = await gridOfImage(image, name);
  let data: TypedArray;
  try {
    const rasters = await image.readRasters({ samples: [band - 1], interleave: false });
    data = (rasters as unknown as TypedArray[])[0];
  } catch (e) {
    throw new Error(`${name}: cannot decode band ${band}: ${errorText(e)}`);
  }
  if (data.length !== grid.width * grid.height) {
    throw new Error(`${name}: band ${band} decoded to ${data.length} pixels, expected ${grid.width}x${grid.height}`);
  }
  const text = await image.getFileDirectory().loadValue(TAG.GDAL_NODATA);
  let nodata = typeof text === 'string' && text.replace(/\0+$/, '').trim() !== '' ? parseGdalDouble(text) : null;
  // GDAL keeps a Float32 band's nodata as a float: 0.1 reads back as 0.10000000149011612, 1e39 as inf
  if (nodata !== null && dtype === 'float32') nodata = Math.fround(adjustNearFloatMax(nodata));
  return { grid, data, dtype, nodata, bandCount };
}

async function openImage(src: GeoTIFFSource): Promise<GeoTIFFImage> {
  const name = label(src);
  try {
    let tiff;
    if (src instanceof ArrayBuffer) tiff = await fromArrayBuffer(src);
    else if (src instanceof Uint8Array) tiff = await fromArrayBuffer(src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength) as ArrayBuffer);
    else if (typeof Blob !== 'undefined' && src instanceof Blob) tiff = await fromBlob(src);
    else if (src instanceof URL || typeof src === 'string') {
      const url = String(src);
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) throw new Error('not a URL; read local files into an ArrayBuffer first');
      tiff = await fromUrl(url);
    } else {
      throw new Error(`unsupported source type ${Object.prototype.toString.call(src)}`);
    }
    return await tiff.getImage(0);
  } catch (e) {
    throw new Error(`cannot read GeoTIFF ${name}: ${errorText(e)}`);
  }
}

async function gridOfImage(image: GeoTIFFImage, name: string): Promise<Grid> {
  const fd = image.getFileDirectory();
  const width = image.getWidth(), height = image.getHeight();
  const keys = await readGeoKeys(image, name);
  const pixelIsPoint = keys.get(KEY.GTRasterType) === 2;
  const scale = await numbers(fd.loadValue(TAG.ModelPixelScale));
  const tie = await numbers(fd.loadValue(TAG.ModelTiepoint));
  const matrix = await numbers(fd.loadValue(TAG.ModelTransformation));
  // GDAL's identity when a file has no georeferencing: burning then works in pixel coordinates
  let gt: GeoTransform = [0, 1, 0, 0, 0, 1];
  if (scale && scale.length >= 2 && scale[0] !== 0 && scale[1] !== 0) {
    // GDAL (without GTIFF_HONOUR_NEGATIVE_SCALEY) takes a negative ScaleY to mean north-up, like a positive one
    const sy = scale[1] < 0 ? scale[1] : -scale[1];
    if (tie && tie.length >= 6) {
      gt = [tie[3] - tie[0] * scale[0], scale[0], 0, tie[4] - tie[1] * sy, 0, sy];
      if (pixelIsPoint) halfPixelBack(gt);
    } else if (tie === null) {
      throw new Error(`${name}: ModelPixelScale without a ModelTiepoint: the file is not georeferenced`);
    }
  } else if (matrix && matrix.length === 16) {
    gt = [matrix[3], matrix[0], matrix[1], matrix[7], matrix[4], matrix[5]];
    if (pixelIsPoint) halfPixelBack(gt);
  } else if (tie && tie.length >= 6) {
    throw new Error(`${name}: georeferenced by ${tie.length / 6} tiepoint(s) (GCPs) without a pixel scale; GCP georeferencing is not supported`);
  }
  if (!gt.every(Number.isFinite)) throw new Error(`${name}: geotransform is not finite: [${gt.join(', ')}]`);
  const grid: Grid = { width, height, transform: gt };
  const crs = keys.size > 0 ? await crsFromKeys(keys, name) : undefined;
  if (crs !== undefined) grid.crs = crs;
  return grid;
}

// GDAL (GTIFF_POINT_GEO_IGNORE=NO) moves a PixelIsPoint origin from the first pixel's centre to its corner
function halfPixelBack(gt: GeoTransform): void {
  gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
  gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
}

async function numbers(p: Promise<unknown>): Promise<number[] | null> {
  const v = await p;
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<number>, Number);
  return null;
}

type GeoKeys = Map<number, number | string | number[]>;

// the GeoKeyDirectory as id -> value, loading the (possibly deferred) double and ASCII parameter tags
async function readGeoKeys(image: GeoTIFFImage, name: string): Promise<GeoKeys> {
  const fd = image.getFileDirectory();
  const keys: GeoKeys = new Map();
  const dir = await numbers(fd.loadValue(TAG.GeoKeyDirectory));
  if (!dir || dir.length < 4) return keys;
  const doubles = await numbers(fd.loadValue(TAG.GeoDoubleParams));
  const asciiRaw = await fd.loadValue(TAG.GeoAsciiParams);
  const ascii = typeof asciiRaw === 'string' ? asciiRaw : '';
  const count = dir[3];
  for (let i = 0; i < count; i++) {
    const o = 4 + i * 4;
    if (o + 3 >= dir.length) throw new Error(`${name}: GeoKeyDirectory is truncated (${count} keys declared)`);
    const [id, location, n, offset] = [dir[o], dir[o + 1], dir[o + 2], dir[o + 3]];
    if (location === 0) keys.set(id, offset);
    else if (location === TAG.GeoDoubleParams && doubles) {
      const v = doubles.slice(offset, offset + n);
      keys.set(id, n === 1 ? v[0] : v);
    } else if (location === TAG.GeoAsciiParams) {
      // strings end with '|' in GeoAsciiParams
      keys.set(id, ascii.substring(offset, offset + n).replace(/[|\0]+$/, ''));
    } else if (location === TAG.GeoKeyDirectory) {
      const v = dir.slice(offset, offset + n);
      keys.set(id, n === 1 ? v[0] : v);
    }
  }
  return keys;
}

// the CRS GDAL would report: the EPSG code of the model's CRS key, else a proj4 string from the user-defined keys
async function crsFromKeys(keys: GeoKeys, name: string): Promise<string | undefined> {
  const model = keys.get(KEY.GTModelType);
  const pcs = keys.get(KEY.ProjectedCSType);
  const gcs = keys.get(KEY.GeographicType);
  const isCode = (v: unknown): v is number => typeof v === 'number' && v > 0 && v !== USER_DEFINED;
  if (isCode(pcs) && (model === 1 || model === undefined)) return epsgId(pcs, name);
  if (isCode(gcs) && (model === 2 || model === undefined)) return epsgId(gcs, name);
  if (model === undefined && pcs === undefined && gcs === undefined) return undefined;
  if (model !== 1 && model !== 2) {
    // GDAL writes CRSs that GeoTIFF keys cannot express (e.g. a proj4 Web Mercator) as an ESRI WKT citation
    const esri = [keys.get(KEY.PCSCitation), keys.get(KEY.GTCitation)].find((c) => typeof c === 'string' && c.startsWith('ESRI PE String = '));
    if (typeof esri === 'string') {
      const wkt = esri.slice('ESRI PE String = '.length);
      if (/Mercator_Auxiliary_Sphere/i.test(wkt)) return 'EPSG:3857';
      return parseCrs(wkt).id;
    }
    throw new Error(`${name}: GeoTIFF model type ${String(model)} (geocentric or user-defined) is not supported`);
  }
  return userDefinedProj4(keys, name);
}

function epsgId(code: number, name: string): string {
  if (!epsgDefinition(code)) throw new Error(`${name}: unknown CRS code EPSG:${code} in the GeoTIFF keys`);
  return `EPSG:${code}`;
}

async function userDefinedProj4(keys: GeoKeys, name: string): Promise<string> {
  // loaded on demand: the key tables are large and most files name an EPSG code
  const mod = await import('geotiff-geokeys-to-proj4');
  const toProj4 = mod.toProj4 ?? (mod.default as { toProj4: typeof mod.toProj4 }).toProj4;
  const named: Record<string, unknown> = {};
  const names = globals.geoKeyNames as Record<number, string>;
  for (const [id, v] of keys) if (names[id]) named[names[id]] = v;
  const res = toProj4(named as unknown as Parameters<typeof toProj4>[0]);
  const errs = Object.entries(res.errors ?? {}).filter(([k]) => k !== 'bothGCSAndPCSAreSet');
  if (errs.length > 0) {
    throw new Error(`${name}: cannot build a CRS from the GeoTIFF keys (${errs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
  }
  // the library strips the PCS unit into a multiplier; fold it back so the string stands alone, and drop the
  // axis order it copies from EPSG (rasterburn always uses the GIS-traditional x=east order)
  let def = res.proj4.replace(/\s*\+axis=\w+/g, '').trim();
  const unit = res.coordinatesConversionParameters;
  if (!res.isGCS && unit && unit.x !== 1) {
    if (unit.x !== unit.y) throw new Error(`${name}: GeoTIFF keys give different x and y units`);
    def = def.replace(/\s*\+no_defs/, '') + ` +to_meter=${unit.x} +no_defs`;
  } else if (res.isGCS && unit && unit.x !== 1) {
    throw new Error(`${name}: geographic GeoTIFF keys with an angular unit other than degrees are not supported`);
  }
  parseCrs(def);
  return def;
}

async function bandDType(image: GeoTIFFImage, band: number, name: string): Promise<DType> {
  const fd = image.getFileDirectory();
  const bitsAll = await numbers(fd.loadValue(TAG.BitsPerSample));
  const fmtAll = await numbers(fd.loadValue(TAG.SampleFormat));
  const bits = bitsAll ? (bitsAll[band - 1] ?? bitsAll[0]) : 1;
  const fmt = fmtAll ? (fmtAll[band - 1] ?? fmtAll[0]) : 1;
  // SampleFormat 4 (void) is read as unsigned, as GDAL does
  const kind = fmt === 1 || fmt === 4 ? 'uint' : fmt === 2 ? 'int' : fmt === 3 ? 'float' : fmt === 5 ? 'complex int' : fmt === 6 ? 'complex float' : `format ${fmt}`;
  const dtype: DType | undefined =
    kind === 'uint' ? ({ 8: 'uint8', 16: 'uint16', 32: 'uint32' } as Record<number, DType>)[bits]
    : kind === 'int' ? ({ 16: 'int16', 32: 'int32' } as Record<number, DType>)[bits]
    : kind === 'float' ? ({ 32: 'float32', 64: 'float64' } as Record<number, DType>)[bits]
    : undefined;
  if (!dtype) {
    const what = kind === 'int' && bits === 8 ? 'int8' : kind === 'complex int' || kind === 'complex float' ? `${kind}${bits}` : `${kind}${bits}`;
    throw new Error(`${name}: band ${band} has sample type ${what} (SampleFormat ${fmt}, ${bits} bits); supported: uint8, int16, uint16, int32, uint32, float32, float64`);
  }
  return dtype;
}

/** Parses a number as GDAL's CPLAtofM does: leading number, 'nan'/'inf' spellings, trailing text ignored, garbage = 0. */
export function parseGdalDouble(text: string): number {
  const t = text.replace(/\0+$/, '').trim();
  const low = t.toLowerCase();
  if (/^[+-]?(nan|1\.#[qs]?nan|1\.#ind)/.test(low)) return NaN;
  if (/^[+-]?(inf|1\.#inf)/.test(low)) return low.startsWith('-') ? -Infinity : Infinity;
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(t);
  return m ? Number(m[0]) : 0;
}

// GDALAdjustNoDataCloseToFloatMax: a value within 1e-10 of +/-FLT_MAX is taken as FLT_MAX
function adjustNearFloatMax(v: number): number {
  const max = 3.4028234663852886e38;
  if (Math.abs(v + max) < 1e-10 * max) return -max;
  if (Math.abs(v - max) < 1e-10 * max) return max;
  return v;
}

function label(src: GeoTIFFSource): string {
  if (typeof src === 'string') return `'${src}'`;
  if (src instanceof URL) return `'${src.href}'`;
  if (typeof Blob !== 'undefined' && src instanceof Blob) return (src as File).name ? `'${(src as File).name}'` : 'Blob';
  return 'buffer';
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}
