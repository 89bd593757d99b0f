// Burns band 1 back into an existing GeoTIFF the way GDAL's in-place update leaves the file: only band 1's pixel
// chunks change; the header, every IFD and tag (georeferencing or its absence, CRS keys, GDAL_METADATA, nodata,
// band descriptions), the other bands' samples, overviews and masks keep their bytes. Compressed chunks are
// decoded, patched and re-encoded with the file's own compression and predictor; like libtiff, a re-encoded
// chunk is written back in place when it fits and appended to the file otherwise. Browser-safe: DEFLATE is passed
// in (src/io/node-geotiff-update.ts binds node:zlib).
import { converter } from '../../dtype.js';
import type { DType, TypedArray } from '../../types.js';
import { codecFor, compressionName, REENCODED, type Codec, type Deflate } from './codec.js';
import { parseGdalDouble } from './gdal-nodata.js';

// TIFF field types and their sizes
const SHORT = 3, LONG = 4, LONG8 = 16;
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

const TAG = {
  ImageWidth: 256, ImageLength: 257, BitsPerSample: 258, Compression: 259, StripOffsets: 273, SamplesPerPixel: 277,
  RowsPerStrip: 278, StripByteCounts: 279, PlanarConfiguration: 284, Predictor: 317, TileWidth: 322, TileLength: 323,
  TileOffsets: 324, TileByteCounts: 325, SampleFormat: 339, GDAL_NODATA: 42113,
} as const;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** file offset of the IFD entry */
  entryAt: number;
  /** file offset of the value: inside the entry when it fits there, else where the entry points */
  valueAt: number;
}

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
  offsetsEntry: Entry;
  countsEntry: Entry;
}

/** Parses the first IFD (classic or BigTIFF, either byte order). Throws a one-line error for a malformed file. */
export function inspectGeoTIFF(file: ArrayBuffer | Uint8Array): GeoTIFFLayout {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const r = new Reader(bytes);
  const ifd = r.firstIfd();
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
  const width = one(TAG.ImageWidth), height = one(TAG.ImageLength);
  const spp = one(TAG.SamplesPerPixel, 1);
  if (!(width > 0 && height > 0 && spp > 0)) throw new Error(`malformed TIFF: image ${width}x${height} with ${spp} samples per pixel`);
  const bitsEntry = tags.get(TAG.BitsPerSample);
  const bits = bitsEntry ? r.uints(bitsEntry) : [1];
  const formatEntry = tags.get(TAG.SampleFormat);
  const formats = formatEntry ? r.uints(formatEntry) : [1];
  const compression = one(TAG.Compression, 1);
  const predictor = one(TAG.Predictor, 1);
  const planar = spp === 1 ? 1 : one(TAG.PlanarConfiguration, 1);
  if (planar !== 1 && planar !== 2) throw new Error(`malformed TIFF: PlanarConfiguration ${planar}`);

  let unsupported: string | null = null;
  if (bits.some((b) => b !== bits[0])) unsupported = `samples of different sizes (${bits.join(', ')} bits)`;
  else if (bits[0] % 8 !== 0 || bits[0] === 0 || bits[0] > 64) unsupported = `${bits[0]}-bit samples`;
  else if (!REENCODED.has(compression)) unsupported = `${compressionName(compression)} compression`;
  else if ((compression === 5 || compression === 8 || compression === 32946) && predictor !== 1 && predictor !== 2 && predictor !== 3) {
    unsupported = `predictor ${predictor}`;
  } else if ((compression === 5 || compression === 8 || compression === 32946) && predictor === 3 && ![2, 4, 8].includes(bits[0] / 8)) {
    unsupported = `floating-point predictor on ${bits[0]}-bit samples`;
  }

  const tiled = tags.has(TAG.TileWidth) || tags.has(TAG.TileOffsets);
  const chunkWidth = tiled ? one(TAG.TileWidth) : width;
  // RowsPerStrip defaults to 2**32-1: one strip
  const chunkHeight = tiled ? one(TAG.TileLength) : Math.min(height, one(TAG.RowsPerStrip, height));
  if (!(chunkWidth > 0 && chunkHeight > 0)) throw new Error(`malformed TIFF: chunk size ${chunkWidth}x${chunkHeight}`);
  const chunksAcross = Math.ceil(width / chunkWidth), chunksDown = Math.ceil(height / chunkHeight);
  const offsetsEntry = tags.get(tiled ? TAG.TileOffsets : TAG.StripOffsets);
  const countsEntry = tags.get(tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
  if (!offsetsEntry || !countsEntry) throw new Error(`malformed TIFF: no ${tiled ? 'TileOffsets/TileByteCounts' : 'StripOffsets/StripByteCounts'}`);
  const offsets = r.uints(offsetsEntry), byteCounts = r.uints(countsEntry);
  const chunks = chunksAcross * chunksDown * (planar === 2 ? spp : 1);
  if (offsets.length < chunks || byteCounts.length < chunks) {
    throw new Error(`malformed TIFF: ${offsets.length} chunk offsets and ${byteCounts.length} byte counts for ${chunks} chunks`);
  }
  const nodataEntry = tags.get(TAG.GDAL_NODATA);
  const nodataText = nodataEntry && nodataEntry.type === 2 ? r.ascii(nodataEntry) : null;
  return {
    littleEndian: r.le, bigTiff: r.big, width, height, samplesPerPixel: spp, sampleBytes: bits[0] / 8, sampleFormat: formats[0],
    compression, predictor, planar, tiled, chunkWidth, chunkHeight, chunksAcross, chunksDown, offsets, byteCounts, nodataText,
    unsupported, offsetsEntry, countsEntry,
  };
}

/**
 * The file with band 1 replaced by `band1` (row-major, width*height values of band 1's type), as parts to write
 * in order (unchanged stretches are views on `file`, which is not modified). Only chunks whose band-1 samples
 * change are rewritten. Throws when the layout is unsupported (see GeoTIFFLayout.unsupported), when a classic
 * TIFF would grow past 4 GiB, or when a chunk does not decode.
 */
export function updateGeoTIFFBand1(file: ArrayBuffer | Uint8Array, band1: TypedArray, layout: GeoTIFFLayout, deflate: Deflate | null): Uint8Array[] {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  if (L.unsupported) throw new Error(`cannot rewrite band 1 of a TIFF with ${L.unsupported}`);
  const bps = L.sampleBytes;
  if (band1.length !== L.width * L.height) throw new Error(`band 1 has ${band1.length} values, expected ${L.width}x${L.height} = ${L.width * L.height}`);
  const expected = arrayKind(L.sampleFormat, bps);
  if (band1.constructor.name !== expected) throw new Error(`band 1 is a ${band1.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${bps * 8}-bit` : expected} samples`);

  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * bps;
  const codec = codecFor(L.compression, L.predictor, L.littleEndian, bps, sppChunk, rowBytes, deflate);
  const cog = cogGhost(bytes, L.bigTiff);
  const fill = absentChunkFill(L, band1);
  const fillValue = absentValue(L, band1);

  const patches: Patch[] = [];
  const appended: { index: number; data: Uint8Array }[] = [];
  const newOffsets = L.offsets.slice(), newCounts = L.byteCounts.slice();
  // some writers point identical chunks at one copy of their bytes: such a chunk must not be rewritten in place
  const uses = new Map<number, number>();
  for (let i = 0; i < L.offsets.length; i++) if (L.byteCounts[i] > 0) uses.set(L.offsets[i], (uses.get(L.offsets[i]) ?? 0) + 1);
  forEachBand1Chunk(L, bytes, codec, fill, (j, host, x0, y0, w, h, absent) => {
    const changed = writeBand1(host, band1, L.width, x0, y0, w, h, L.chunkWidth, sppChunk);
    // GDAL writes every block of band 1 back, but leaves out a missing block that holds nothing but nodata
    if (absent ? onlyValue(host, band1, fillValue) : !changed) return;
    const data = codec.encode(host);
    const off = L.offsets[j], count = L.byteCounts[j];
    if (!absent && data.length <= count && uses.get(off) === 1) {
      // as libtiff does: a chunk that still fits is rewritten where it was
      patches.push({ at: off, bytes: data });
      if (cog.leader && off >= 4) patches.push({ at: off - 4, bytes: uint32le(data.length) });
      if (cog.trailer && data.length >= 4 && off + data.length + 4 <= bytes.length) patches.push({ at: off + data.length, bytes: data.slice(data.length - 4) });
      // an uncompressed chunk keeps its byte count, slack included
      if (L.compression !== 1) newCounts[j] = data.length;
    } else {
      appended.push({ index: j, data });
      newCounts[j] = data.length;
    }
  });

  // appended chunks (then any relocated offset arrays) go after the old end, on even offsets
  let end = bytes.length;
  const tail: Uint8Array[] = [];
  const place = (data: Uint8Array, align: number): number => {
    const pad = (align - (end % align)) % align;
    if (pad) { tail.push(new Uint8Array(pad)); end += pad; }
    const at = end;
    tail.push(data);
    end += data.length;
    return at;
  };
  for (const a of appended) newOffsets[a.index] = place(a.data, 2);
  if (appended.length && cog.incompatibleAt >= 0) {
    // GDAL marks a COG whose blocks no longer follow its declared layout the same way
    patches.push({ at: cog.incompatibleAt, bytes: new TextEncoder().encode('YES\n') });
  }
  const w = new ArrayWriter(L, place, patches);
  if (appended.length) w.write(L.offsetsEntry, newOffsets);
  if (newCounts.some((c, i) => c !== L.byteCounts[i])) w.write(L.countsEntry, newCounts);
  if (!L.bigTiff && end > 0xffffffff) {
    throw new Error(`the updated file would be ${end} bytes, past classic TIFF's 4 GiB limit; convert it to BigTIFF first (gdal_translate -co BIGTIFF=YES)`);
  }
  return assemble(bytes, patches, tail);
}

/**
 * Band 1 decoded as libtiff decodes it (the same code that re-encodes it, so unchanged chunks compare equal),
 * into `out` (width*height values of band 1's type) or a new array of the type `like` has.
 */
export function readGeoTIFFBand1(file: ArrayBuffer | Uint8Array, like: TypedArray, layout: GeoTIFFLayout, out: TypedArray | undefined, deflate: Deflate | null): TypedArray {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  if (L.unsupported) throw new Error(`cannot read band 1 of a TIFF with ${L.unsupported}`);
  const expected = arrayKind(L.sampleFormat, L.sampleBytes);
  if (like.constructor.name !== expected) throw new Error(`band 1 is a ${like.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${L.sampleBytes * 8}-bit` : expected} samples`);
  const band = out ?? new (like.constructor as new (n: number) => TypedArray)(L.width * L.height);
  if (band.length !== L.width * L.height || band.constructor !== like.constructor) throw new Error(`band 1 needs ${L.width * L.height} values of ${expected}`);
  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * L.sampleBytes;
  const codec = codecFor(L.compression, L.predictor, L.littleEndian, L.sampleBytes, sppChunk, rowBytes, deflate);
  const fill = absentChunkFill(L, like);
  const Ctor = like.constructor as ArrayCtor;
  forEachBand1Chunk(L, bytes, codec, fill, (j, host, x0, y0, w, h) => {
    const v = new Ctor(host.buffer, host.byteOffset, Math.floor(host.length / L.sampleBytes));
    for (let r = 0; r < h; r++) {
      let k = r * L.chunkWidth * sppChunk, i = (y0 + r) * L.width + x0;
      if (sppChunk === 1) { band.set(v.subarray(k, k + w), i); continue; }
      for (let c = 0; c < w; c++, k += sppChunk) band[i++] = v[k];
    }
  });
  return band;
}

// decodes each chunk holding band-1 samples (host byte order, predictor undone) and hands it to `visit`
function forEachBand1Chunk(
  L: GeoTIFFLayout, bytes: Uint8Array, codec: Codec, fill: (n: number) => Uint8Array,
  visit: (j: number, host: Uint8Array, x0: number, y0: number, w: number, h: number, absent: boolean) => void,
): void {
  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * L.sampleBytes;
  const perPlane = L.chunksAcross * L.chunksDown;
  // band 1 is sample 0 of every chunk when pixel-interleaved, and the first plane's chunks when planar
  for (let j = 0; j < perPlane; j++) {
    const cy = Math.floor(j / L.chunksAcross), cx = j % L.chunksAcross;
    const x0 = cx * L.chunkWidth, y0 = cy * L.chunkHeight;
    const w = Math.min(L.chunkWidth, L.width - x0), h = Math.min(L.chunkHeight, L.height - y0);
    // libtiff and GDAL write a partial last strip; tiles are always whole
    const want = (L.tiled ? L.chunkHeight : h) * rowBytes;
    const off = L.offsets[j], count = L.byteCounts[j];
    const absent = count === 0;
    if (!absent && off + count > bytes.length) throw new Error(`chunk ${j} (${count} bytes at ${off}) lies past the end of the ${bytes.length}-byte file`);
    let host: Uint8Array;
    if (absent) host = fill(want);
    else {
      try {
        host = codec.decode(bytes.subarray(off, off + count), want);
      } catch (e) {
        throw new Error(`chunk ${j}: ${(e as Error).message}`);
      }
    }
    if (host.length < h * rowBytes) throw new Error(`chunk ${j} decodes to ${host.length} bytes, expected ${want}`);
    visit(j, host, x0, y0, w, h, absent);
  }
}

// --------------------------------------------------------------------------------------------- band 1 samples

// the typed array rasterburn uses for a sample format and size ('none' when there is none)
function arrayKind(format: number, bytes: number): string {
  const f = format === 4 ? 1 : format;
  const k = `${f}:${bytes}`;
  return ({ '1:1': 'Uint8Array', '1:2': 'Uint16Array', '1:4': 'Uint32Array', '2:1': 'Int8Array', '2:2': 'Int16Array', '2:4': 'Int32Array', '3:4': 'Float32Array', '3:8': 'Float64Array' } as Record<string, string>)[k] ?? 'none';
}

type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

// writes band 1's values into a decoded chunk (host byte order); true when a sample changed. A sample keeps its
// bytes when the value is the same (NaN payloads and the sign of zero included)
function writeBand1(host: Uint8Array, band1: TypedArray, width: number, x0: number, y0: number, w: number, h: number, chunkWidth: number, spp: number): boolean {
  const Ctor = band1.constructor as ArrayCtor;
  const v = new Ctor(host.buffer, host.byteOffset, Math.floor(host.length / band1.BYTES_PER_ELEMENT));
  const float = band1 instanceof Float32Array || band1 instanceof Float64Array;
  let changed = false;
  for (let r = 0; r < h; r++) {
    let k = r * chunkWidth * spp;
    let i = (y0 + r) * width + x0;
    for (let c = 0; c < w; c++, k += spp, i++) {
      const a = v[k], b = band1[i];
      if (a === b && (!float || a !== 0 || 1 / a === 1 / b)) continue;
      if (float && a !== a && b !== b) continue;
      v[k] = b;
      changed = true;
    }
  }
  return changed;
}

// a missing chunk (SPARSE_OK files): band 1 reads as the nodata value, else 0 (GDAL's NullBlock); when GDAL
// writes such a chunk of a pixel-interleaved file, the other bands' samples in it are 0 (its LoadBlockBuf)
function absentChunkFill(L: GeoTIFFLayout, band1: TypedArray): (n: number) => Uint8Array {
  const value = absentValue(L, band1);
  const one = new (band1.constructor as new (n: number) => TypedArray)(1);
  one[0] = value;
  const pattern = new Uint8Array(one.buffer);
  const step = pattern.length * (L.planar === 2 ? 1 : L.samplesPerPixel);
  return (n) => {
    const out = new Uint8Array(n);
    if (pattern.some((b) => b !== 0)) for (let i = 0; i + pattern.length <= n; i += step) out.set(pattern, i);
    return out;
  };
}

function absentValue(L: GeoTIFFLayout, band1: TypedArray): number {
  const dtype = DTYPE_OF[band1.constructor.name];
  return L.nodataText === null || !dtype ? 0 : converter(dtype)(parseGdalDouble(L.nodataText));
}

// whether every sample of a decoded chunk (all bands) is `value` (NaN matching NaN), as GDAL's HasOnlyNoData
function onlyValue(host: Uint8Array, like: TypedArray, value: number): boolean {
  const v = new (like.constructor as ArrayCtor)(host.buffer, host.byteOffset, Math.floor(host.length / like.BYTES_PER_ELEMENT));
  if (value !== value) {
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) return false;
    return true;
  }
  for (let i = 0; i < v.length; i++) if (v[i] !== value) return false;
  return true;
}

const DTYPE_OF: Record<string, DType> = {
  Uint8Array: 'uint8', Int16Array: 'int16', Uint16Array: 'uint16', Int32Array: 'int32', Uint32Array: 'uint32', Float32Array: 'float32', Float64Array: 'float64',
};

// --------------------------------------------------------------------------------------------- file layout

interface Patch { at: number; bytes: Uint8Array }

function uint32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

// GDAL's COG ghost header (right after the TIFF header): whether blocks carry a size leader and a repeated
// 4-byte trailer, and where 'NO' of KNOWN_INCOMPATIBLE_EDITION=NO sits (-1 when absent)
function cogGhost(bytes: Uint8Array, bigTiff: boolean): { leader: boolean; trailer: boolean; incompatibleAt: number } {
  const start = bigTiff ? 16 : 8;
  const head = 'GDAL_STRUCTURAL_METADATA_SIZE=';
  const none = { leader: false, trailer: false, incompatibleAt: -1 };
  if (bytes.length < start + head.length + 6) return none;
  let text = '';
  for (let i = 0; i < head.length; i++) text += String.fromCharCode(bytes[start + i]);
  if (text !== head) return none;
  let sizeText = '';
  for (let i = 0; i < 6; i++) sizeText += String.fromCharCode(bytes[start + head.length + i]);
  const size = Number(sizeText);
  if (!Number.isInteger(size)) return none;
  const body = new TextDecoder('latin1').decode(bytes.subarray(start, Math.min(bytes.length, start + head.length + 6 + 7 + size)));
  if (!/KNOWN_INCOMPATIBLE_EDITION=NO\n/.test(body)) return { leader: false, trailer: false, incompatibleAt: -1 };
  const at = body.indexOf('KNOWN_INCOMPATIBLE_EDITION=NO\n');
  return {
    leader: /BLOCK_LEADER=SIZE_AS_UINT4\n/.test(body),
    trailer: /BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n/.test(body),
    // GDAL leaves a space after 'NO\n' so that 'YES\n' can take its place
    incompatibleAt: body[at + 30] === ' ' ? start + at + 27 : -1,
  };
}

// rewrites an offsets or byte-counts array: in place when the values fit its type, else as LONG/LONG8 values
// (inside the entry when they fit there, else appended to the file)
class ArrayWriter {
  constructor(
    private readonly L: GeoTIFFLayout,
    private readonly place: (data: Uint8Array, align: number) => number,
    private readonly patches: Patch[],
  ) {}

  write(e: Entry, values: number[]): void {
    const max = Math.max(...values.slice(0, e.count));
    const fits = e.type === LONG8 || (e.type === LONG && max <= 0xffffffff) || (e.type === SHORT && max <= 0xffff);
    const type = fits ? e.type : this.L.bigTiff ? LONG8 : LONG;
    const data = this.encode(type, values.slice(0, e.count));
    const inline = this.L.bigTiff ? 8 : 4;
    const le = this.L.littleEndian;
    if (fits) {
      this.patches.push({ at: e.valueAt, bytes: data });
      return;
    }
    if (this.L.bigTiff ? type === LONG8 && e.count > 1 : e.count * 4 > 4) {
      // out of line: the entry's type and value offset change
      const at = this.place(data, 8);
      const entry = new Uint8Array(2 + (this.L.bigTiff ? 18 : 10));
      const dv = new DataView(entry.buffer);
      dv.setUint16(0, type, le);
      if (this.L.bigTiff) { dv.setBigUint64(2, BigInt(e.count), le); dv.setBigUint64(10, BigInt(at), le); } else { dv.setUint32(2, e.count, le); dv.setUint32(6, at, le); }
      this.patches.push({ at: e.entryAt + 2, bytes: entry });
    } else {
      const entry = new Uint8Array(2 + (this.L.bigTiff ? 8 : 4) + inline);
      const dv = new DataView(entry.buffer);
      dv.setUint16(0, type, le);
      if (this.L.bigTiff) dv.setBigUint64(2, BigInt(e.count), le); else dv.setUint32(2, e.count, le);
      entry.set(data, entry.length - inline);
      this.patches.push({ at: e.entryAt + 2, bytes: entry });
    }
  }

  private encode(type: number, values: number[]): Uint8Array {
    const size = TYPE_SIZE[type];
    const out = new Uint8Array(values.length * size);
    const dv = new DataView(out.buffer);
    const le = this.L.littleEndian;
    for (let i = 0; i < values.length; i++) {
      if (type === SHORT) dv.setUint16(i * size, values[i], le);
      else if (type === LONG) dv.setUint32(i * size, values[i], le);
      else dv.setBigUint64(i * size, BigInt(values[i]), le);
    }
    return out;
  }
}

// the output as slices of the old file with patches laid over them, then the appended tail; small pieces are
// merged so that writing does not cost a system call per chunk
function assemble(bytes: Uint8Array, patches: Patch[], tail: Uint8Array[]): Uint8Array[] {
  patches.sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const p of patches) {
    if (p.at < at) throw new Error(`overlapping regions in the TIFF at byte ${p.at}; the file's chunks or arrays share bytes`);
    if (p.at + p.bytes.length > bytes.length) throw new Error(`TIFF region at byte ${p.at} runs past the end of the file`);
    if (p.at > at) parts.push(bytes.subarray(at, p.at));
    parts.push(p.bytes);
    at = p.at + p.bytes.length;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  parts.push(...tail);
  const merged: Uint8Array[] = [];
  let run: Uint8Array[] = [], runBytes = 0;
  const flush = (): void => {
    if (run.length === 1) merged.push(run[0]);
    else if (run.length > 1) {
      const m = new Uint8Array(runBytes);
      let o = 0;
      for (const r of run) { m.set(r, o); o += r.length; }
      merged.push(m);
    }
    run = []; runBytes = 0;
  };
  for (const p of parts) {
    if (p.length >= 1 << 16) { flush(); merged.push(p); continue; }
    run.push(p); runBytes += p.length;
    if (runBytes >= 1 << 20) flush();
  }
  flush();
  return merged;
}

// bounds-checked reads of TIFF structures in the file's byte order
class Reader {
  readonly le: boolean;
  readonly big: boolean;
  private readonly dv: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 8) throw new Error(`not a TIFF: ${bytes.length} bytes`);
    const order = String.fromCharCode(bytes[0], bytes[1]);
    if (order !== 'II' && order !== 'MM') throw new Error('not a TIFF: no II/MM byte-order mark');
    this.le = order === 'II';
    const version = this.dv.getUint16(2, this.le);
    if (version !== 42 && version !== 43) throw new Error(`not a TIFF: version ${version}`);
    this.big = version === 43;
    if (this.big && (bytes.length < 16 || this.dv.getUint16(4, this.le) !== 8)) throw new Error('malformed BigTIFF header');
  }

  private u64(at: number): number {
    this.need(at, 8);
    const v = this.dv.getBigUint64(at, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`malformed TIFF: 64-bit value ${v} at byte ${at}`);
    return Number(v);
  }

  private need(at: number, n: number): void {
    if (!(at >= 0 && at + n <= this.bytes.length)) throw new Error(`malformed TIFF: ${n} bytes at ${at} lie past the end of the ${this.bytes.length}-byte file`);
  }

  firstIfd(): Entry[] {
    const at = this.big ? this.u64(8) : this.dv.getUint32(4, this.le);
    const n = this.big ? this.u64(at) : (this.need(at, 2), this.dv.getUint16(at, this.le));
    const entrySize = this.big ? 20 : 12, first = at + (this.big ? 8 : 2);
    this.need(first, n * entrySize);
    const entries: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const e = first + i * entrySize;
      const tag = this.dv.getUint16(e, this.le), type = this.dv.getUint16(e + 2, this.le);
      const count = this.big ? this.u64(e + 4) : this.dv.getUint32(e + 4, this.le);
      const size = (TYPE_SIZE[type] ?? 1) * count;
      const field = e + (this.big ? 12 : 8);
      const valueAt = size <= (this.big ? 8 : 4) ? field : this.big ? this.u64(field) : this.dv.getUint32(field, this.le);
      entries.push({ tag, type, count, entryAt: e, valueAt });
    }
    return entries;
  }

  uints(e: Entry): number[] {
    const size = TYPE_SIZE[e.type];
    if (![1, 3, 4, 13, 16, 18].includes(e.type)) throw new Error(`malformed TIFF: tag ${e.tag} has type ${e.type}, not an unsigned integer`);
    this.need(e.valueAt, e.count * size);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) {
      const at = e.valueAt + i * size;
      out[i] = size === 1 ? this.bytes[at] : size === 2 ? this.dv.getUint16(at, this.le) : size === 4 ? this.dv.getUint32(at, this.le) : this.u64(at);
    }
    return out;
  }

  ascii(e: Entry): string {
    this.need(e.valueAt, e.count);
    return new TextDecoder('latin1').decode(this.bytes.subarray(e.valueAt, e.valueAt + e.count)).replace(/\0+$/, '');
  }
}
