// A cloud-optimized GeoTIFF with overviews, laid out as GDAL's COG validator wants it: the header, then the
// full-resolution IFD followed by the overview IFDs (largest first), then the tiles, smallest overview first
// and the full-resolution image last. Each image's tags are the ones toGeoTIFF writes (encodeHead, so a
// COG's full-resolution image is tagged exactly like any other output); an overview keeps the sample and
// compression tags, drops the georeferencing and is marked reduced-resolution (NewSubfileType 1).
// Browser-safe.
import { DTYPES } from '../../dtype.js';
import type { Raster, TypedArray } from '../../types.js';
import { IfdReader } from './ifd-read.js';
import { encodeValues } from './ifd-write.js';
import type { Plane } from './overview.js';
import { TAGS, TYPE, TYPE_SIZE } from './tags.js';
import { encodeHead, resolveBigTiff, type GeoTIFFWriteOptions } from './write.js';
import { encodeChunks, encodeChunksAsync, type DeflateAsync } from './write-chunks.js';

const NEW_SUBFILE_TYPE = 254;
// tags that belong to the full-resolution image only
const GEO_TAGS: ReadonlySet<number> = new Set([TAGS.ModelPixelScale.code, TAGS.ModelTiepoint.code, TAGS.ModelTransformation.code,
  TAGS.GeoKeyDirectory.code, TAGS.GeoDoubleParams.code, TAGS.GeoAsciiParams.code]);

/** One IFD entry as bytes already in little-endian order. */
interface RawEntry { tag: number; type: number; count: number; bytes: Uint8Array }

/**
 * The COG of `raster` (pixel-interleaved, `options.samples` bands) with the given overview levels (the same
 * band count, interleaving and type), as parts to write in order. Chunks are encoded as toGeoTIFF encodes
 * them, DEFLATE through `deflate` when given.
 */
export async function toCogParts(raster: Raster, options: GeoTIFFWriteOptions, overviews: readonly Plane[], deflate?: DeflateAsync): Promise<Uint8Array[]> {
  const images = [{ width: raster.width, height: raster.height, data: raster.data }, ...overviews];
  const chunks: Uint8Array[][] = [];
  for (const im of images) {
    const r: Raster = { ...raster, width: im.width, height: im.height, data: im.data as TypedArray };
    chunks.push(deflate && options.compress === 'deflate' ? await encodeChunksAsync(r, options, deflate) : encodeChunks(r, options));
  }
  const dataBytes = chunks.flat().reduce((n, c) => n + c.length, 0);
  const plan = (big: boolean) => planCog(raster, options, images, chunks, big);
  // a classic TIFF while its 32-bit offsets reach the end of the file
  const asked = resolveBigTiff(options.bigTiff, raster.width * raster.height * DTYPES[raster.dtype].bytes * (options.samples ?? 1));
  let big = asked ?? false;
  let laid = plan(big);
  if (asked === undefined && laid.dataStart + dataBytes > 0xffffffff) laid = plan((big = true));
  if (!big && laid.dataStart + dataBytes > 0xffffffff) throw new Error(`the COG of ${laid.dataStart + dataBytes} bytes needs BigTIFF, but BIGTIFF=NO was asked`);

  const head = new Uint8Array(laid.dataStart);
  const view = new DataView(head.buffer);
  head[0] = 0x49; head[1] = 0x49;
  if (big) {
    view.setUint16(2, 43, true); view.setUint16(4, 8, true);
    view.setBigUint64(8, BigInt(laid.ifdAt[0]), true);
  } else {
    view.setUint16(2, 42, true);
    view.setUint32(4, laid.ifdAt[0], true);
  }
  // the tiles: smallest overview first, the full-resolution image last; a chunk left out (sparse) has offset 0
  let at = laid.dataStart;
  const offsets = chunks.map(() => [] as number[]);
  for (let i = images.length - 1; i >= 0; i--) for (const c of chunks[i]) { offsets[i].push(c.length === 0 ? 0 : at); at += c.length; }
  const offType = big ? TYPE.LONG8 : TYPE.LONG;
  laid.entries.forEach((entries, i) => {
    const list = entries.map((e) => e.tag === TAGS.TileOffsets.code ? raw(e.tag, offType, offsets[i])
      : e.tag === TAGS.TileByteCounts.code ? raw(e.tag, offType, chunks[i].map((c) => c.length)) : e);
    writeIfd(head, view, laid.ifdAt[i], list, laid.valueAt[i], i + 1 < images.length ? laid.ifdAt[i + 1] : 0, big);
  });
  const parts: Uint8Array[] = [head];
  for (let i = images.length - 1; i >= 0; i--) for (const c of chunks[i]) if (c.length) parts.push(c);
  return parts;
}

interface CogPlan { entries: RawEntry[][]; ifdAt: number[]; valueAt: number[][]; dataStart: number }

// every image's entries, where its IFD and its out-of-line values go, and where the tiles start
function planCog(raster: Raster, options: GeoTIFFWriteOptions, images: readonly { width: number; height: number }[], chunks: Uint8Array[][], big: boolean): CogPlan {
  if (options.layout !== 'tiles') throw new Error('internal: a COG is tiled');
  const entries = images.map((im, i) => {
    // the tags toGeoTIFF writes for this image, read back from its encoded head
    const { head } = encodeHead({ ...raster, width: im.width, height: im.height, data: undefined }, { ...options, bigTiff: big }, chunks[i].map((c) => c.length));
    let list = readEntries(head);
    if (i > 0) {
      list = list.filter((e) => !GEO_TAGS.has(e.tag));
      list.push(raw(NEW_SUBFILE_TYPE, TYPE.LONG, [1]));
    }
    return list.sort((a, b) => a.tag - b.tag);
  });
  const inline = big ? 8 : 4;
  let at = big ? 16 : 8;
  const ifdAt: number[] = [], valueAt: number[][] = [];
  for (const list of entries) {
    at = align(at, 8);
    ifdAt.push(at);
    at += big ? 8 + list.length * 20 + 8 : 2 + list.length * 12 + 4;
    valueAt.push(list.map((e) => {
      if (e.bytes.length <= inline) return -1;
      at = align(at, 8);
      const v = at;
      at += e.bytes.length;
      return v;
    }));
  }
  return { entries, ifdAt, valueAt, dataStart: align(at, 16) };
}

function readEntries(head: Uint8Array): RawEntry[] {
  const r = new IfdReader(head);
  return r.firstIfd().map((e) => ({ tag: e.tag, type: e.type, count: e.count, bytes: head.slice(e.valueAt, e.valueAt + e.count * TYPE_SIZE[e.type]) }));
}

function raw(tag: number, type: number, values: number[]): RawEntry {
  return { tag, type, count: values.length, bytes: encodeValues(type, values, true) };
}

function writeIfd(head: Uint8Array, view: DataView, at: number, list: RawEntry[], valueAt: number[], next: number, big: boolean): void {
  let p = at;
  if (big) { view.setBigUint64(p, BigInt(list.length), true); p += 8; } else { view.setUint16(p, list.length, true); p += 2; }
  list.forEach((e, k) => {
    view.setUint16(p, e.tag, true);
    view.setUint16(p + 2, e.type, true);
    if (big) view.setBigUint64(p + 4, BigInt(e.count), true); else view.setUint32(p + 4, e.count, true);
    const field = p + (big ? 12 : 8);
    if (valueAt[k] >= 0) {
      if (big) view.setBigUint64(field, BigInt(valueAt[k]), true); else view.setUint32(field, valueAt[k], true);
      head.set(e.bytes, valueAt[k]);
    } else {
      head.set(e.bytes, field);
    }
    p += big ? 20 : 12;
  });
  if (big) view.setBigUint64(p, BigInt(next), true); else view.setUint32(p, next, true);
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
