// GeoTIFF -> Grid (and band data), georeferenced exactly as GDAL 3.6's GTiff driver reads it. Browser-safe.
import { fromArrayBuffer, fromBlob, fromUrl, type GeoTIFFImage } from 'geotiff';
import { DTYPES } from '../../dtype.js';
import type { DType, GeoTransform, Grid, TypedArray } from '../../types.js';
import { LITTLE_ENDIAN_HOST } from '../endian.js';
import { crsFromKeys } from './crs-from-geokeys.js';
import { adjustNearFloatMax, parseGdalDouble } from './gdal-nodata.js';
import { decodeGeoKeys, GK, type GeoKeys } from './geokeys.js';
import { TAGS } from './tags.js';

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

/**
 * The grid of a GeoTIFF's first image: size, geotransform and CRS ('EPSG:xxxx' when the keys name a code,
 * else a proj4 string built from the keys). Georeferencing follows GDAL: PixelScale+Tiepoint (negative
 * ScaleY taken as north-up), else a 4x4 ModelTransformation (rotation kept in the 6-term transform);
 * RasterPixelIsPoint moves the origin back half a pixel; no georeferencing gives GDAL's [0, 1, 0, 0, 0, 1].
 */
export async function gridFromGeoTIFF(src: GeoTIFFSource): Promise<Grid> {
  const { image } = await openImage(src);
  return gridOfImage(image, label(src));
}

/**
 * A GeoTIFF's grid plus one band's pixels, for burning into an existing raster. For an uncompressed file whose
 * band lies in one aligned run (as toGeoTIFF writes it), `data` is a view on the source buffer, not a copy.
 */
export async function readGeoTIFFRaster(src: GeoTIFFSource, band = 1): Promise<GeoTIFFRaster> {
  return readBand(src, band, true) as Promise<GeoTIFFRaster>;
}

/** readGeoTIFFRaster without decoding the pixels (data is null): for callers that decode the band themselves. */
export async function readGeoTIFFInfo(src: GeoTIFFSource, band = 1): Promise<Omit<GeoTIFFRaster, 'data'> & { data: null }> {
  return readBand(src, band, false) as Promise<Omit<GeoTIFFRaster, 'data'> & { data: null }>;
}

async function readBand(src: GeoTIFFSource, band: number, pixels: boolean): Promise<Omit<GeoTIFFRaster, 'data'> & { data: TypedArray | null }> {
  const name = label(src);
  const { image, bytes } = await openImage(src);
  const bandCount = image.getSamplesPerPixel();
  if (!Number.isInteger(band) || band < 1 || band > bandCount) {
    throw new Error(`${name}: band ${band} does not exist (the file has ${bandCount} band${bandCount === 1 ? '' : 's'})`);
  }
  const dtype = await bandDType(image, band, name);
  const grid = await gridOfImage(image, name);
  let data: TypedArray | null = pixels && bytes ? await readUncompressed(image, bytes, band, dtype) : null;
  // geotiff.js decodes no 64-bit integers: band 1 of a compressed or tiled file goes through our own chunk codecs
  if (pixels && !data && bytes && band === 1 && (dtype === 'int64' || dtype === 'uint64')) {
    const { readGeoTIFFBand1 } = await import('./update.js');
    const [{ inspectGeoTIFF }, { FFLATE }, { zstdIfLoaded }] = await Promise.all([import('./layout.js'), import('./fflate.js'), import('./zstd.js')]);
    data = readGeoTIFFBand1(bytes, DTYPES[dtype].make(0), inspectGeoTIFF(bytes), undefined, FFLATE, zstdIfLoaded());
  }
  try {
    if (pixels && !data) data = ((await image.readRasters({ samples: [band - 1], interleave: false })) as unknown as TypedArray[])[0];
  } catch (e) {
    throw new Error(`${name}: cannot decode band ${band}: ${errorText(e)}`);
  }
  if (data && data.length !== grid.width * grid.height) {
    throw new Error(`${name}: band ${band} decoded to ${data.length} pixels, expected ${grid.width}x${grid.height}`);
  }
  const text = await image.getFileDirectory().loadValue(TAGS.GDAL_NODATA.code);
  let nodata = typeof text === 'string' && text.replace(/\0+$/, '').trim() !== '' ? parseGdalDouble(text) : null;
  // GDAL keeps a Float32 band's nodata as a float: 0.1 reads back as 0.10000000149011612, 1e39 as inf
  if (nodata !== null && dtype === 'float32') nodata = Math.fround(adjustNearFloatMax(nodata));
  return { grid, data, dtype, nodata, bandCount };
}

interface Opened { image: GeoTIFFImage; bytes: Uint8Array | null }

async function openImage(src: GeoTIFFSource): Promise<Opened> {
  const name = label(src);
  try {
    let tiff;
    let bytes: Uint8Array | null = null;
    if (src instanceof ArrayBuffer) {
      bytes = new Uint8Array(src);
      tiff = await fromArrayBuffer(src);
    } else if (src instanceof Uint8Array) {
      const whole = src.byteOffset === 0 && src.byteLength === src.buffer.byteLength && src.buffer instanceof ArrayBuffer;
      const ab = whole ? (src.buffer as ArrayBuffer) : (src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength) as ArrayBuffer);
      bytes = new Uint8Array(ab);
      tiff = await fromArrayBuffer(ab);
    } else if (typeof Blob !== 'undefined' && src instanceof Blob) {
      // geotiff.js reads Blobs through FileReader, which Node lacks
      if (typeof FileReader !== 'undefined') tiff = await fromBlob(src);
      else {
        const ab = await src.arrayBuffer();
        bytes = new Uint8Array(ab);
        tiff = await fromArrayBuffer(ab);
      }
    }
    else if (src instanceof URL || typeof src === 'string') {
      const url = String(src);
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) throw new Error('not a URL; read local files into an ArrayBuffer first');
      tiff = await fromUrl(url);
    } else {
      throw new Error(`unsupported source type ${Object.prototype.toString.call(src)}`);
    }
    return { image: await tiff.getImage(0), bytes };
  } catch (e) {
    throw new Error(`cannot read GeoTIFF ${name}: ${errorText(e)}`);
  }
}

// uncompressed little-endian band data copied straight from the file, strip by strip or tile row by tile row;
// geotiff.js converts pixel by pixel (seconds for 10k x 10k). null when the layout needs geotiff.js.
async function readUncompressed(image: GeoTIFFImage, bytes: Uint8Array, band: number, dtype: DType): Promise<TypedArray | null> {
  const fd = image.getFileDirectory();
  const compression = await fd.loadValue('Compression');
  const planar = (await fd.loadValue('PlanarConfiguration')) ?? 1;
  const spp = image.getSamplesPerPixel();
  if ((compression ?? 1) !== 1 || !image.littleEndian || !LITTLE_ENDIAN_HOST || (spp !== 1 && planar !== 2)) return null;
  const width = image.getWidth(), height = image.getHeight();
  const t = DTYPES[dtype];
  const bpp = t.bytes;
  const tiled = image.isTiled;
  const offsets = await numbers(fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets'));
  const counts = await numbers(fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts'));
  if (!offsets || !counts) return null;
  if (!tiled) {
    // strips laid end to end at an aligned offset (as toGeoTIFF writes them): a view on the file, no copy
    const rps = Math.min(height, ((await fd.loadValue('RowsPerStrip')) as number | undefined) ?? height);
    const strips = Math.ceil(height / rps), first = (band - 1) * strips, total = width * height * bpp;
    let contiguous = offsets[first] % bpp === 0 && offsets[first] + total <= bytes.length && first + strips <= offsets.length;
    for (let s = 0; contiguous && s < strips; s++) {
      contiguous = offsets[first + s] === offsets[first] + s * rps * width * bpp && counts[first + s] >= Math.min(rps, height - s * rps) * width * bpp;
    }
    if (contiguous) return viewOf(dtype, bytes, offsets[first], width * height);
  }
  const out = t.make(width * height);
  const dst = new Uint8Array(out.buffer);
  const copy = (idx: number, srcAt: number, n: number, dstAt: number): boolean => {
    const start = offsets[idx] + srcAt;
    if (!(idx < offsets.length) || srcAt + n > counts[idx] || start + n > bytes.length) return false;
    dst.set(bytes.subarray(start, start + n), dstAt);
    return true;
  };
  if (!tiled) {
    const rps = Math.min(height, ((await fd.loadValue('RowsPerStrip')) as number | undefined) ?? height);
    const strips = Math.ceil(height / rps);
    for (let s = 0; s < strips; s++) {
      const rows = Math.min(rps, height - s * rps);
      if (!copy((band - 1) * strips + s, 0, rows * width * bpp, s * rps * width * bpp)) return null;
    }
  } else {
    const tw = image.getTileWidth(), th = image.getTileHeight();
    const across = Math.ceil(width / tw), down = Math.ceil(height / th);
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++) {
        const idx = (band - 1) * across * down + ty * across + tx;
        const w = Math.min(tw, width - tx * tw), h = Math.min(th, height - ty * th);
        for (let r = 0; r < h; r++) {
          if (!copy(idx, r * tw * bpp, w * bpp, ((ty * th + r) * width + tx * tw) * bpp)) return null;
        }
      }
    }
  }
  return out;
}

function viewOf(dtype: DType, bytes: Uint8Array, at: number, n: number): TypedArray {
  const buf = bytes.buffer, off = bytes.byteOffset + at;
  switch (dtype) {
    case 'uint8': return new Uint8Array(buf, off, n);
    case 'int16': return new Int16Array(buf, off, n);
    case 'uint16': return new Uint16Array(buf, off, n);
    case 'int32': return new Int32Array(buf, off, n);
    case 'uint32': return new Uint32Array(buf, off, n);
    case 'float32': return new Float32Array(buf, off, n);
    case 'float64': return new Float64Array(buf, off, n);
    case 'int64': return new BigInt64Array(buf, off, n);
    case 'uint64': return new BigUint64Array(buf, off, n);
  }
}

async function gridOfImage(image: GeoTIFFImage, name: string): Promise<Grid> {
  const fd = image.getFileDirectory();
  const width = image.getWidth(), height = image.getHeight();
  const keys = await readGeoKeys(image, name);
  const pixelIsPoint = keys.get(GK.GTRasterType) === 2;
  const scale = await numbers(fd.loadValue(TAGS.ModelPixelScale.code));
  const tie = await numbers(fd.loadValue(TAGS.ModelTiepoint.code));
  const matrix = await numbers(fd.loadValue(TAGS.ModelTransformation.code));
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

// the GeoKeyDirectory as id -> value, loading the (possibly deferred) double and ASCII parameter tags
async function readGeoKeys(image: GeoTIFFImage, name: string): Promise<GeoKeys> {
  const fd = image.getFileDirectory();
  const dir = await numbers(fd.loadValue(TAGS.GeoKeyDirectory.code));
  if (!dir || dir.length < 4) return new Map();
  const doubles = await numbers(fd.loadValue(TAGS.GeoDoubleParams.code));
  const asciiRaw = await fd.loadValue(TAGS.GeoAsciiParams.code);
  return decodeGeoKeys(dir, doubles, typeof asciiRaw === 'string' ? asciiRaw : '', name);
}

async function bandDType(image: GeoTIFFImage, band: number, name: string): Promise<DType> {
  const fd = image.getFileDirectory();
  const bitsAll = await numbers(fd.loadValue(TAGS.BitsPerSample.code));
  const fmtAll = await numbers(fd.loadValue(TAGS.SampleFormat.code));
  const bits = bitsAll ? (bitsAll[band - 1] ?? bitsAll[0]) : 1;
  const fmt = fmtAll ? (fmtAll[band - 1] ?? fmtAll[0]) : 1;
  // SampleFormat 4 (void) is read as unsigned, as GDAL does
  const kind = fmt === 1 || fmt === 4 ? 'uint' : fmt === 2 ? 'int' : fmt === 3 ? 'float' : fmt === 5 ? 'complex int' : fmt === 6 ? 'complex float' : `format ${fmt}`;
  const dtype: DType | undefined =
    kind === 'uint' ? ({ 8: 'uint8', 16: 'uint16', 32: 'uint32', 64: 'uint64' } as Record<number, DType>)[bits]
    : kind === 'int' ? ({ 16: 'int16', 32: 'int32', 64: 'int64' } as Record<number, DType>)[bits]
    : kind === 'float' ? ({ 32: 'float32', 64: 'float64' } as Record<number, DType>)[bits]
    : undefined;
  if (!dtype) {
    // a complex sample holds two numbers: CInt16 is 32 bits
    const what = kind === 'complex int' ? `complex int${bits / 2}` : kind === 'complex float' ? `complex float${bits / 2}` : `${kind}${bits}`;
    throw new Error(`${name}: band ${band} has sample type ${what} (SampleFormat ${fmt}, ${bits} bits); supported: uint8, int16, uint16, int32, uint32, float32, float64, int64, uint64`);
  }
  return dtype;
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
