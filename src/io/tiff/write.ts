// Raster -> single-band GeoTIFF, written by a small baseline TIFF encoder (little-endian, striped or tiled,
// uncompressed or DEFLATE/LZW/PackBits/ZSTD with GDAL's predictors, BigTIFF past 4 GiB). geotiff.js's writer is big-endian-only, drops Int16/Int32 pixels and cannot
// write GDAL_NODATA, so it is not used. Browser-safe.
import { DTYPES } from '../../dtype.js';
import type { DType, Raster } from '../../types.js';
import { LITTLE_ENDIAN_HOST, setLE } from '../endian.js';
import { formatGdalNoData } from './gdal-nodata.js';
import { encodeGeoKeys } from './geokeys.js';
import { geoKeysFor } from './geokeys-from-crs.js';
import { planIfd, writeHeaderAndIfd, type Field } from './ifd-write.js';
import { TAGS, type TagInfo } from './tags.js';
import { encodeChunks, encodeChunksAsync, encodeChunksParallel, type DeflateAsync, type ParallelEncoding } from './write-chunks.js';

export interface GeoTIFFWriteOptions {
  /** 'strips' (default, as GDAL writes uncompressed files) or 'tiles'. */
  layout?: 'strips' | 'tiles';
  /** Tile width and height for layout 'tiles'; a multiple of 16, default 256. */
  tileSize?: number;
  /**
   * Force BigTIFF on or off, or 'if-safer' (GDAL's BIGTIFF=IF_SAFER: BigTIFF when the uncompressed pixels pass
   * 2 GB, whatever the compression); default: BigTIFF only when a classic TIFF's 32-bit offsets cannot hold the file.
   */
  bigTiff?: boolean | 'if-safer';
  /** Tile width and height for layout 'tiles' (multiples of 16); default tileSize. */
  tileWidth?: number;
  tileHeight?: number;
  /** Rows per strip for layout 'strips'; default GDAL's, strips of about 8 KiB. */
  rowsPerStrip?: number;
  /** Chunk compression (GDAL's COMPRESS); default 'none'. 'zstd' needs `await loadZstd()` first. */
  compress?: Compression;
  /** TIFF predictor for deflate, lzw and zstd (GDAL's PREDICTOR): 1 none (default), 2 horizontal, 3 floating point (float types only). */
  predictor?: 1 | 2 | 3;
  /**
   * DEFLATE level 1-12 (GDAL's ZLEVEL, default 6); fflate stops at 9, so 10-12 give level 9's bytes. At 1-6 a chunk
   * of runs (rasterized data) is coded by rasterburn's run coder instead (src/io/tiff/deflate-runs.ts), about as
   * small as zlib's level 6 there for a fifth of its CPU or less; 7-12 always use zlib's searches.
   */
  zlevel?: number;
  /**
   * ZSTD level 1-22 (GDAL's ZSTD_LEVEL, default 9). At 1-9 a chunk of runs is coded by rasterburn's run coder
   * instead (src/io/tiff/zstd-runs.ts), smaller than zstd's level 9 there for a fifth of its CPU or less; 10-22
   * always use zstd's searches.
   */
  zstdLevel?: number;
  /** Leave out chunks whose every pixel is the nodata value (0 without nodata), which read back the same (GDAL's SPARSE_OK). */
  sparse?: boolean;
  /** Bands in `data`, pixel-interleaved (band values of a pixel side by side, GDAL's INTERLEAVE=PIXEL); default 1. */
  samples?: number;
  /**
   * Threads that compress the chunks, the calling one included (GDAL's NUM_THREADS; 'all': every core). Read by
   * toGeoTIFFAsync and the CLI; the synchronous toGeoTIFF compresses on the calling thread. The file's bytes are
   * the same for any count.
   */
  threads?: number | 'all';
}

/** The compressions rasterburn writes, by GDAL's COMPRESS names in lower case. */
export type Compression = 'none' | 'deflate' | 'lzw' | 'packbits' | 'zstd';

/** TIFF Compression tag values. */
export const COMPRESSION_CODES: Readonly<Record<Compression, number>> = { none: 1, lzw: 5, deflate: 8, packbits: 32773, zstd: 50000 };

const SAMPLE: Record<DType, { format: number; bits: number }> = {
  uint8: { format: 1, bits: 8 }, uint16: { format: 1, bits: 16 }, uint32: { format: 1, bits: 32 },
  int16: { format: 2, bits: 16 }, int32: { format: 2, bits: 32 },
  float32: { format: 3, bits: 32 }, float64: { format: 3, bits: 64 },
  int64: { format: 2, bits: 64 }, uint64: { format: 1, bits: 64 },
};

/** A GeoTIFF's bytes before its pixels, and where the pixels and the chunk arrays go. */
export interface EncodedHead {
  /** header, IFD and tag values */
  head: Uint8Array;
  /** the file's length */
  total: number;
  /** the tile size, 0 for strips */
  tile: number;
  /** each chunk's file offset */
  offsets: number[];
  bigTiff: boolean;
  /** file offsets of the chunk offsets and byte counts arrays (rewritten when tiles are left out) */
  offsetsAt: number;
  countsAt: number;
}

/**
 * The TIFF header, IFD and tag values of a raster's GeoTIFF (everything before the pixels), and where the
 * pixel chunks go. GDAL reads the file with the identical size, geotransform, data type,
 * nodata and pixels. Georeferencing is written as GDAL writes it: PixelScale+Tiepoint for north-up grids,
 * a ModelTransformation otherwise (rotated or south-up), PixelIsArea. EPSG CRSs are written as their code;
 * other CRSs as user-defined keys for longlat, tmerc/utm, merc, lcc, laea, aea, polar and oblique stere and
 * eqc (GDAL's AutoIdentifyEPSG cases, e.g. a WGS84 UTM proj4 string, become codes as GDAL makes them);
 * any other CRS throws rather than write a file whose CRS GDAL cannot read. Nodata goes into the GDAL_NODATA
 * tag as GDAL formats it ("%.18g", "nan").
 */
export function encodeHead(raster: Omit<Raster, 'data'> & { data?: Raster['data'] }, options: GeoTIFFWriteOptions, encodedSizes?: number[]): EncodedHead {
  const { width, height, dtype, data } = raster;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new Error(`raster size must be positive integers, got ${width}x${height}`);
  }
  const sample = SAMPLE[dtype];
  if (!sample) throw new Error(`unsupported raster dtype '${dtype}'`);
  const spp = options.samples ?? 1;
  if (!(Number.isInteger(spp) && spp >= 1)) throw new Error(`samples must be a positive integer, got ${spp}`);
  // a pixel's bytes: every band's sample
  const bpp = DTYPES[dtype].bytes * spp;
  // no data: the head of a file whose pixels are written elsewhere (io/tiff/stream.ts)
  if (data && data.length !== width * height * spp) throw new Error(`raster data has ${data.length} values, expected ${width}x${height}${spp > 1 ? `x${spp}` : ''} = ${width * height * spp}`);
  if (data && data.BYTES_PER_ELEMENT !== DTYPES[dtype].bytes) throw new Error(`raster data is a ${data.constructor.name}, not a ${dtype} array`);
  const gt = raster.transform;
  if (!Array.isArray(gt) || gt.length !== 6 || !gt.every(Number.isFinite)) throw new Error(`raster transform must be 6 finite numbers, got ${JSON.stringify(gt)}`);

  const { tiled, tileW, tileH, rowsPerStrip } = chunkLayout(width, height, bpp, options);
  const tile = tileW;
  const compression = COMPRESSION_CODES[options.compress ?? 'none'];
  if (compression === undefined) throw new Error(`unknown compression '${String(options.compress)}': use none, deflate, lzw, packbits or zstd`);
  const predictor = checkPredictor(options, dtype, compression);

  const rowBytes = width * bpp;
  const tilesAcross = Math.ceil(width / tileW), tilesDown = Math.ceil(height / tileH);
  const chunkCount = tiled ? tilesAcross * tilesDown : Math.ceil(height / rowsPerStrip);
  const chunkBytes: number[] = [];
  if (encodedSizes) {
    if (encodedSizes.length !== chunkCount) throw new Error(`internal: ${encodedSizes.length} encoded chunks for ${chunkCount}`);
    chunkBytes.push(...encodedSizes);
  } else {
    if (compression !== 1) throw new Error('internal: compressed chunks need their encoded sizes');
    for (let i = 0; i < chunkCount; i++) {
      chunkBytes.push(tiled ? tileW * tileH * bpp : Math.min(rowsPerStrip, height - i * rowsPerStrip) * rowBytes);
    }
  }
  const dataBytes = chunkBytes.reduce((a, b) => a + b, 0);

  const field = (t: TagInfo, values: number[]): Field => ({ tag: t.code, type: t.type, values });
  const text = (t: TagInfo, value: string): Field => ({ tag: t.code, type: t.type, text: value });
  const entries: Field[] = [
    field(TAGS.ImageWidth, [width]),
    field(TAGS.ImageLength, [height]),
    field(TAGS.BitsPerSample, new Array<number>(spp).fill(sample.bits)),
    field(TAGS.Compression, [compression]),
    // GDAL makes 3 or 4 Byte bands RGB (the 4th an alpha), any other set grey plus unspecified extra samples
    field(TAGS.PhotometricInterpretation, [rgb(dtype, spp) ? 2 : 1]),
    field(TAGS.SamplesPerPixel, [spp]),
    field(TAGS.PlanarConfiguration, [1]),
    field(TAGS.SampleFormat, new Array<number>(spp).fill(sample.format)),
  ];
  const extra = spp - (rgb(dtype, spp) ? 3 : 1);
  if (extra > 0) entries.push(field(TAGS.ExtraSamples, rgb(dtype, spp) ? [2] : new Array<number>(extra).fill(0)));
  if (predictor !== 1) entries.push(field(TAGS.Predictor, [predictor]));
  if (tiled) {
    entries.push(field(TAGS.TileWidth, [tileW]), field(TAGS.TileLength, [tileH]));
  } else {
    entries.push(field(TAGS.RowsPerStrip, [rowsPerStrip]));
  }
  // GDAL's rule (GTiffDataset::WriteGeoTIFFInfo): scale+tiepoint only for north-up grids, else the matrix
  if (gt[2] === 0 && gt[4] === 0 && gt[5] < 0) {
    entries.push(field(TAGS.ModelPixelScale, [gt[1], -gt[5], 0]));
    entries.push(field(TAGS.ModelTiepoint, [0, 0, 0, gt[0], gt[3], 0]));
  } else {
    entries.push(field(TAGS.ModelTransformation, [gt[1], gt[2], 0, gt[0], gt[4], gt[5], 0, gt[3], 0, 0, 0, 0, 0, 0, 0, 1]));
  }
  const keys = geoKeysFor(raster.crs);
  const dir = encodeGeoKeys(keys);
  if (keys.length > 0) entries.push(field(TAGS.GeoKeyDirectory, dir.directory));
  if (dir.doubles.length > 0) entries.push(field(TAGS.GeoDoubleParams, dir.doubles));
  if (dir.ascii.length > 0) entries.push(text(TAGS.GeoAsciiParams, dir.ascii));
  if (raster.nodata !== null && raster.nodata !== undefined) {
    entries.push(text(TAGS.GDAL_NODATA, formatGdalNoData(raster.nodata)));
  }

  // offsets are sized once we know whether the file needs BigTIFF; try classic first
  const classic = planIfd(entries, chunkCount, dataBytes, false, tiled);
  const big = resolveBigTiff(options.bigTiff, width * height * bpp) ?? classic.total > 0xffffffff;
  const plan = big ? planIfd(entries, chunkCount, dataBytes, true, tiled) : classic;
  if (!big && plan.total > 0xffffffff) throw new Error(`GeoTIFF of ${plan.total} bytes needs BigTIFF, but bigTiff: false was asked`);

  const offsets: number[] = [];
  let at = plan.dataStart;
  // a chunk left out (sparse) has offset and byte count 0: readers give it the nodata value, else 0
  for (const n of chunkBytes) { offsets.push(n === 0 && encodedSizes ? 0 : at); at += n; }
  const [offsetsField, countsField] = plan.chunkFields;
  offsetsField.values = offsets;
  countsField.values = chunkBytes;
  const head = new Uint8Array(plan.dataStart);
  const valueAt = writeHeaderAndIfd(head, plan, big);
  return { head, total: plan.total, tile: tiled ? tile : 0, offsets, bigTiff: big, offsetsAt: valueAt.get(offsetsField)!, countsAt: valueAt.get(countsField)! };
}

// GDAL's BIGTIFF=IF_SAFER: BigTIFF when the uncompressed pixels (every band) pass 2,000,000,000 bytes
const GDAL_IF_SAFER_RAW = 2e9;

/** BigTIFF or not as `bigTiff` decides it for `rawBytes` of uncompressed pixels (undefined: the caller's default). */
export function resolveBigTiff(bigTiff: GeoTIFFWriteOptions['bigTiff'], rawBytes: number): boolean | undefined {
  if (bigTiff === 'if-safer') return rawBytes > GDAL_IF_SAFER_RAW;
  if (bigTiff !== undefined && typeof bigTiff !== 'boolean') throw new Error(`bigTiff must be true, false or 'if-safer', got ${String(bigTiff)}`);
  return bigTiff;
}

function rgb(dtype: DType, spp: number): boolean {
  return dtype === 'uint8' && (spp === 3 || spp === 4);
}

/** The chunk geometry options ask for: tiles (square by default) or strips of GDAL's default ~8 KiB. */
export function chunkLayout(width: number, height: number, bpp: number, options: GeoTIFFWriteOptions): { tiled: boolean; tileW: number; tileH: number; rowsPerStrip: number } {
  const tiled = options.layout === 'tiles';
  if (options.layout !== undefined && options.layout !== 'strips' && !tiled) throw new Error(`unknown GeoTIFF layout '${String(options.layout)}'`);
  const size = options.tileSize ?? 256;
  const tileW = options.tileWidth ?? size, tileH = options.tileHeight ?? size;
  for (const [name, t] of [['tileSize', size], ['tileWidth', tileW], ['tileHeight', tileH]] as const) {
    if (tiled && (!Number.isInteger(t) || t <= 0 || t % 16 !== 0)) throw new Error(`${name} must be a positive multiple of 16, got ${t}`);
  }
  const asked = options.rowsPerStrip;
  if (asked !== undefined && !(Number.isInteger(asked) && asked > 0)) throw new Error(`rowsPerStrip must be a positive integer, got ${asked}`);
  const rowsPerStrip = Math.max(1, Math.min(height, asked ?? Math.floor(8192 / (width * bpp))));
  return { tiled, tileW, tileH, rowsPerStrip };
}

// the predictor written: none without a codec that applies one (GDAL writes no Predictor tag then)
function checkPredictor(options: GeoTIFFWriteOptions, dtype: DType, compression: number): number {
  const p = options.predictor ?? 1;
  if (p !== 1 && p !== 2 && p !== 3) throw new Error(`PREDICTOR=${String(p)} is not supported.`);
  if (compression !== 5 && compression !== 8 && compression !== 50000) return 1;
  if (p === 3 && dtype !== 'float32' && dtype !== 'float64') throw new Error('PREDICTOR=3 is only supported with Float32 or Float64.');
  return p;
}

/**
 * Encodes a raster as a single-band GeoTIFF that GDAL reads with the identical size, geotransform, data type,
 * nodata and pixels. See encodeHead for how georeferencing and nodata are written.
 *
 * @example
 * const tif = toGeoTIFF(await rasterize(parcels, grid), { compress: 'deflate', predictor: 2, layout: 'tiles' });
 * // or gdal_rasterize's -co list: toGeoTIFF(raster, parseCreationOptions(['COMPRESS=LZW', 'TILED=YES'], raster.dtype).options)
 */
export function toGeoTIFF(raster: Raster, options: GeoTIFFWriteOptions = {}): ArrayBuffer {
  if ((options.compress ?? 'none') !== 'none' || options.sparse) return joinParts(toGeoTIFFParts(raster, options));
  const { head, total, tile, offsets } = encodeHead(raster, options);
  let buffer: ArrayBuffer;
  try {
    buffer = new ArrayBuffer(total);
  } catch {
    throw new Error(`cannot allocate ${total} bytes for the GeoTIFF of a ${raster.width}x${raster.height} ${raster.dtype} raster`);
  }
  const bytes = new Uint8Array(buffer);
  bytes.set(head);
  writePixels(bytes, new DataView(buffer), raster.data, raster.dtype, raster.width, raster.height, tile, offsets, options.samples ?? 1);
  return buffer;
}

/**
 * The same file as toGeoTIFF, as pieces to write one after another: for striped little-endian output the
 * pixels are a view of the raster's own array, so writing a 10,000 x 10,000 grid copies nothing.
 */
export function toGeoTIFFParts(raster: Raster, options: GeoTIFFWriteOptions = {}): Uint8Array[] {
  if ((options.compress ?? 'none') !== 'none' || options.sparse) {
    const chunks = encodeChunks(raster, options);
    const enc = encodeHead(raster, options, chunks.map((c) => c.length));
    return [enc.head, ...chunks.filter((c) => c.length > 0)];
  }
  const enc = encodeHead(raster, options);
  if (enc.tile === 0 && (LITTLE_ENDIAN_HOST || raster.data.BYTES_PER_ELEMENT === 1)) {
    const d = raster.data;
    return [enc.head, new Uint8Array(d.buffer, d.byteOffset, d.byteLength)];
  }
  return [new Uint8Array(toGeoTIFF(raster, options))];
}

function writePixels(bytes: Uint8Array, view: DataView, data: Raster['data'], dtype: DType, width: number, height: number,
  tile: number, offsets: number[], spp: number): void {
  const bpp = data.BYTES_PER_ELEMENT;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const copyRun = (dst: number, firstValue: number, n: number): void => {
    if (LITTLE_ENDIAN_HOST || bpp === 1) {
      bytes.set(src.subarray(firstValue * bpp, (firstValue + n) * bpp), dst);
    } else {
      for (let i = 0; i < n; i++) setLE(view, dst + i * bpp, dtype, data[firstValue + i]);
    }
  };
  if (tile === 0) {
    // strips are consecutive, so the whole image is one run
    copyRun(offsets[0], 0, width * height * spp);
    return;
  }
  const across = Math.ceil(width / tile);
  for (let t = 0; t < offsets.length; t++) {
    const tx = (t % across) * tile, ty = Math.floor(t / across) * tile;
    const w = Math.min(tile, width - tx), h = Math.min(tile, height - ty);
    for (let r = 0; r < h; r++) copyRun(offsets[t] + r * tile * bpp * spp, ((ty + r) * width + tx) * spp, w * spp);
  }
}

/**
 * toGeoTIFFParts with DEFLATE handed to `deflate` (in Node, node:zlib's asynchronous deflate, which
 * compresses on libuv's thread pool: several cores for a big output).
 */
export async function toGeoTIFFPartsAsync(raster: Raster, options: GeoTIFFWriteOptions, deflate: DeflateAsync): Promise<Uint8Array[]> {
  if (options.compress !== 'deflate') return toGeoTIFFParts(raster, options);
  const chunks = await encodeChunksAsync(raster, options, deflate);
  const enc = encodeHead(raster, options, chunks.map((c) => c.length));
  return [enc.head, ...chunks.filter((c) => c.length > 0)];
}

/**
 * toGeoTIFFParts with the chunks compressed on `where`'s threads as well as this one: the same bytes as one
 * thread with the same compressors.
 */
export async function toGeoTIFFPartsParallel(raster: Raster, options: GeoTIFFWriteOptions, where: ParallelEncoding): Promise<Uint8Array[]> {
  if ((options.compress ?? 'none') === 'none' && !options.sparse) return toGeoTIFFParts(raster, options);
  const chunks = await encodeChunksParallel(raster, options, where);
  const enc = encodeHead(raster, options, chunks.map((c) => c.length));
  return [enc.head, ...chunks.filter((c) => c.length > 0)];
}

/** The parts as one file. */
export function joinParts(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out.buffer;
}
