// A TIFF's first image as the in-place updater needs it: size, samples, compression and predictor, chunk
// geometry and the chunk offsets and byte counts, and whether rasterburn can re-encode band 1. Browser-safe.
import { compressionName, PREDICTED, REENCODED } from './codec.js';
import { IfdReader, type IfdEntry } from './ifd-read.js';
import { TAGS, TYPE } from './tags.js';

/** The first IFD of a TIFF, as far as rewriting band 1 needs it. */
export interface GeoTIFFLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  width: number;
  height: number;
  samplesPerPixel: number;
  /** bytes per sample (every sample has the same size) */
  sampleBytes: number;
  /** band 1's SampleFormat: 1 unsigned, 2 signed, 3 float */
  sampleFormat: number;
  compression: number;
  predictor: number;
  /** 1 pixel-interleaved, 2 one plane per band */
  planar: number;
  tiled: boolean;
  /** chunk size in pixels: the tile size, or the image width and rows per strip */
  chunkWidth: number;
  chunkHeight: number;
  chunksAcross: number;
  chunksDown: number;
  offsets: number[];
  byteCounts: number[];
  /** GDAL_NODATA as written (absent chunks read as this, else 0) */
  nodataText: string | null;
  /**
   * Why band 1 cannot be rewritten in this file's own encoding ('JPEG compression', 'predictor 4'), or null when
   * it can. The caller falls back to writing a fresh file.
   */
  unsupported: string | null;
  offsetsEntry: IfdEntry;
  countsEntry: IfdEntry;
  /** reduced-resolution images (overview levels) after the first, which an update of band 1 leaves as they were */
  overviews: number;
  /** those overview levels' own layouts, in the file's order (their `overviews` is 0); masks are not among them */
  overviewLayouts: GeoTIFFLayout[];
}

/** Parses the first IFD (classic or BigTIFF, either byte order). Throws a one-line error for a malformed file. */
export function inspectGeoTIFF(file: ArrayBuffer | Uint8Array): GeoTIFFLayout {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const r = new IfdReader(bytes);
  const L = inspectIfd(r, r.firstIfd(), null);
  const overviewLayouts = overviewIfds(r).map((ifd) => {
    try {
      return inspectIfd(r, ifd, L.nodataText);
    } catch (e) {
      // the full-resolution image can still be updated; such an overview is left as it is
      return { ...L, unsupported: `an unreadable IFD (${(e as Error).message})` };
    }
  });
  return { ...L, overviews: overviewLayouts.length, overviewLayouts };
}

function inspectIfd(r: IfdReader, ifd: IfdEntry[], parentNodata: string | null): GeoTIFFLayout {
  const tags = new Map(ifd.map((e) => [e.tag, e]));
  const one = (tag: number, def?: number): number => {
    const e = tags.get(tag);
    if (!e) {
      if (def === undefined) throw new Error(`malformed TIFF: tag ${tag} is missing`);
      return def;
    }
    const v = r.uints(e);
    if (v.length < 1) throw new Error(`malformed TIFF: tag ${tag} has no value`);
    return v[0];
  };
  const width = one(TAGS.ImageWidth.code), height = one(TAGS.ImageLength.code);
  const spp = one(TAGS.SamplesPerPixel.code, 1);
  if (!(width > 0 && height > 0 && spp > 0)) throw new Error(`malformed TIFF: image ${width}x${height} with ${spp} samples per pixel`);
  const bitsEntry = tags.get(TAGS.BitsPerSample.code);
  const bits = bitsEntry ? r.uints(bitsEntry) : [1];
  const formatEntry = tags.get(TAGS.SampleFormat.code);
  const formats = formatEntry ? r.uints(formatEntry) : [1];
  const compression = one(TAGS.Compression.code, 1);
  const predictor = one(TAGS.Predictor.code, 1);
  const planar = spp === 1 ? 1 : one(TAGS.PlanarConfiguration.code, 1);
  if (planar !== 1 && planar !== 2) throw new Error(`malformed TIFF: PlanarConfiguration ${planar}`);

  let unsupported: string | null = null;
  if (bits.some((b) => b !== bits[0])) unsupported = `samples of different sizes (${bits.join(', ')} bits)`;
  else if (bits[0] % 8 !== 0 || bits[0] === 0 || bits[0] > 64) unsupported = `${bits[0]}-bit samples`;
  else if (!REENCODED.has(compression)) unsupported = `${compressionName(compression)} compression`;
  else if (PREDICTED.has(compression) && predictor !== 1 && predictor !== 2 && predictor !== 3) {
    unsupported = `predictor ${predictor}`;
  } else if (PREDICTED.has(compression) && predictor === 3 && ![2, 4, 8].includes(bits[0] / 8)) {
    unsupported = `floating-point predictor on ${bits[0]}-bit samples`;
  }

  const tiled = tags.has(TAGS.TileWidth.code) || tags.has(TAGS.TileOffsets.code);
  const chunkWidth = tiled ? one(TAGS.TileWidth.code) : width;
  // RowsPerStrip defaults to 2**32-1: one strip
  const chunkHeight = tiled ? one(TAGS.TileLength.code) : Math.min(height, one(TAGS.RowsPerStrip.code, height));
  if (!(chunkWidth > 0 && chunkHeight > 0)) throw new Error(`malformed TIFF: chunk size ${chunkWidth}x${chunkHeight}`);
  const chunksAcross = Math.ceil(width / chunkWidth), chunksDown = Math.ceil(height / chunkHeight);
  const offsetsEntry = tags.get(tiled ? TAGS.TileOffsets.code : TAGS.StripOffsets.code);
  const countsEntry = tags.get(tiled ? TAGS.TileByteCounts.code : TAGS.StripByteCounts.code);
  if (!offsetsEntry || !countsEntry) throw new Error(`malformed TIFF: no ${tiled ? 'TileOffsets/TileByteCounts' : 'StripOffsets/StripByteCounts'}`);
  const offsets = r.uints(offsetsEntry), byteCounts = r.uints(countsEntry);
  const chunks = chunksAcross * chunksDown * (planar === 2 ? spp : 1);
  if (offsets.length < chunks || byteCounts.length < chunks) {
    throw new Error(`malformed TIFF: ${offsets.length} chunk offsets and ${byteCounts.length} byte counts for ${chunks} chunks`);
  }
  const nodataEntry = tags.get(TAGS.GDAL_NODATA.code);
  const nodataText = nodataEntry && nodataEntry.type === TYPE.ASCII ? r.ascii(nodataEntry) : parentNodata;
  return {
    littleEndian: r.le, bigTiff: r.big, width, height, samplesPerPixel: spp, sampleBytes: bits[0] / 8, sampleFormat: formats[0],
    compression, predictor, planar, tiled, chunkWidth, chunkHeight, chunksAcross, chunksDown, offsets, byteCounts, nodataText,
    unsupported, offsetsEntry, countsEntry, overviews: 0, overviewLayouts: [],
  };
}

const NEW_SUBFILE_TYPE = 254;

// GDAL stores overviews as the IFDs after the first with NewSubfileType bit 0 set; a mask has bit 2 (its own
// overviews both), and stays as it is
function overviewIfds(r: IfdReader): IfdEntry[][] {
  const out: IfdEntry[][] = [];
  try {
    for (const ifd of r.laterIfds()) {
      const type = ifd.find((e) => e.tag === NEW_SUBFILE_TYPE);
      if (type && (r.uints(type)[0] & 5) === 1) out.push(ifd);
    }
  } catch { /* a broken chain after the first image is the reader's business, not the updater's */ }
  return out;
}
