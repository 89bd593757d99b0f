// Raster -> single-band GeoTIFF, written by a small baseline TIFF encoder (little-endian, uncompressed, striped
// or tiled, BigTIFF past 4 GiB). geotiff.js's writer is big-endian-only, drops Int16/Int32 pixels and cannot
// write GDAL_NODATA, so it is not used. Browser-safe.
import { DTYPES } from '../../dtype.js';
import type { DType, Raster } from '../../types.js';
import { LITTLE_ENDIAN_HOST, setLE } from '../endian.js';
import { formatGdalNoData } from './gdal-nodata.js';
import { encodeGeoKeys } from './geokeys.js';
import { geoKeysFor } from './geokeys-from-crs.js';
import { planIfd, writeHeaderAndIfd, type Field } from './ifd-write.js';
import { TAGS, type TagInfo } from './tags.js';

export interface GeoTIFFWriteOptions {
  /** 'strips' (default, as GDAL writes uncompressed files) or 'tiles'. */
  layout?: 'strips' | 'tiles';
  /** Tile width and height for layout 'tiles'; a multiple of 16, default 256. */
  tileSize?: number;
  /** Force BigTIFF on or off; default: BigTIFF only when a classic TIFF's 32-bit offsets cannot hold the file. */
  bigTiff?: boolean;
}

const SAMPLE: Record<DType, { format: number; bits: number }> = {
  uint8: { format: 1, bits: 8 }, uint16: { format: 1, bits: 16 }, uint32: { format: 1, bits: 32 },
  int16: { format: 2, bits: 16 }, int32: { format: 2, bits: 32 },
  float32: { format: 3, bits: 32 }, float64: { format: 3, bits: 64 },
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
export function encodeHead(raster: Omit<Raster, 'data'> & { data?: Raster['data'] }, options: GeoTIFFWriteOptions): EncodedHead {
  const { width, height, dtype, data } = raster;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new Error(`raster size must be positive integers, got ${width}x${height}`);
  }
  const sample = SAMPLE[dtype];
  if (!sample) throw new Error(`unsupported raster dtype '${dtype}'`);
  const bpp = DTYPES[dtype].bytes;
  // no data: the head of a file whose pixels are written elsewhere (io/tiff/stream.ts)
  if (data && data.length !== width * height) throw new Error(`raster data has ${data.length} values, expected ${width}x${height} = ${width * height}`);
  if (data && data.BYTES_PER_ELEMENT !== bpp) throw new Error(`raster data is a ${data.constructor.name}, not a ${dtype} array`);
  const gt = raster.transform;
  if (!Array.isArray(gt) || gt.length !== 6 || !gt.every(Number.isFinite)) throw new Error(`raster transform must be 6 finite numbers, got ${JSON.stringify(gt)}`);

  const tiled = options.layout === 'tiles';
  if (options.layout !== undefined && options.layout !== 'strips' && !tiled) throw new Error(`unknown GeoTIFF layout '${String(options.layout)}'`);
  const tile = options.tileSize ?? 256;
  if (tiled && (!Number.isInteger(tile) || tile <= 0 || tile % 16 !== 0)) throw new Error(`tileSize must be a positive multiple of 16, got ${tile}`);

  // chunk geometry: GDAL's default uncompressed strips hold about 8 KiB
  const rowBytes = width * bpp;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(8192 / rowBytes)));
  const tilesAcross = Math.ceil(width / tile), tilesDown = Math.ceil(height / tile);
  const chunkCount = tiled ? tilesAcross * tilesDown : Math.ceil(height / rowsPerStrip);
  const chunkBytes: number[] = [];
  for (let i = 0; i < chunkCount; i++) {
    chunkBytes.push(tiled ? tile * tile * bpp : Math.min(rowsPerStrip, height - i * rowsPerStrip) * rowBytes);
  }
  const dataBytes = chunkBytes.reduce((a, b) => a + b, 0);

  const field = (t: TagInfo, values: number[]): Field => ({ tag: t.code, type: t.type, values });
  const text = (t: TagInfo, value: string): Field => ({ tag: t.code, type: t.type, text: value });
  const entries: Field[] = [
    field(TAGS.ImageWidth, [width]),
    field(TAGS.ImageLength, [height]),
    field(TAGS.BitsPerSample, [sample.bits]),
    field(TAGS.Compression, [1]),
    field(TAGS.PhotometricInterpretation, [1]),
    field(TAGS.SamplesPerPixel, [1]),
    field(TAGS.PlanarConfiguration, [1]),
    field(TAGS.SampleFormat, [sample.format]),
  ];
  if (tiled) {
    entries.push(field(TAGS.TileWidth, [tile]), field(TAGS.TileLength, [tile]));
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
  const big = options.bigTiff ?? classic.total > 0xffffffff;
  const plan = big ? planIfd(entries, chunkCount, dataBytes, true, tiled) : classic;
  if (!big && plan.total > 0xffffffff) throw new Error(`GeoTIFF of ${plan.total} bytes needs BigTIFF, but bigTiff: false was asked`);

  const offsets: number[] = [];
  let at = plan.dataStart;
  for (const n of chunkBytes) { offsets.push(at); at += n; }
  const [offsetsField, countsField] = plan.chunkFields;
  offsetsField.values = offsets;
  countsField.values = chunkBytes;
  const head = new Uint8Array(plan.dataStart);
  const valueAt = writeHeaderAndIfd(head, plan, big);
  return { head, total: plan.total, tile: tiled ? tile : 0, offsets, bigTiff: big, offsetsAt: valueAt.get(offsetsField)!, countsAt: valueAt.get(countsField)! };
}

/**
 * Encodes a raster as a single-band GeoTIFF that GDAL reads with the identical size, geotransform, data type,
 * nodata and pixels. See encodeHead for how georeferencing and nodata are written.
 */
export function toGeoTIFF(raster: Raster, options: GeoTIFFWriteOptions = {}): ArrayBuffer {
  const { head, total, tile, offsets } = encodeHead(raster, options);
  let buffer: ArrayBuffer;
  try {
    buffer = new ArrayBuffer(total);
  } catch {
    throw new Error(`cannot allocate ${total} bytes for the GeoTIFF of a ${raster.width}x${raster.height} ${raster.dtype} raster`);
  }
  const bytes = new Uint8Array(buffer);
  bytes.set(head);
  writePixels(bytes, new DataView(buffer), raster.data, raster.dtype, raster.width, raster.height, tile, offsets);
  return buffer;
}

/**
 * The same file as toGeoTIFF, as pieces to write one after another: for striped little-endian output the
 * pixels are a view of the raster's own array, so writing a 10,000 x 10,000 grid copies nothing.
 */
export function toGeoTIFFParts(raster: Raster, options: GeoTIFFWriteOptions = {}): Uint8Array[] {
  const enc = encodeHead(raster, options);
  if (enc.tile === 0 && (LITTLE_ENDIAN_HOST || raster.data.BYTES_PER_ELEMENT === 1)) {
    const d = raster.data;
    return [enc.head, new Uint8Array(d.buffer, d.byteOffset, d.byteLength)];
  }
  return [new Uint8Array(toGeoTIFF(raster, options))];
}

function writePixels(bytes: Uint8Array, view: DataView, data: Raster['data'], dtype: DType, width: number, height: number,
  tile: number, offsets: number[]): void {
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
    copyRun(offsets[0], 0, width * height);
    return;
  }
  const across = Math.ceil(width / tile);
  for (let t = 0; t < offsets.length; t++) {
    const tx = (t % across) * tile, ty = Math.floor(t / across) * tile;
    const w = Math.min(tile, width - tx), h = Math.min(tile, height - ty);
    for (let r = 0; r < h; r++) copyRun(offsets[t] + r * tile * bpp, (ty + r) * width + tx, w);
  }
}
