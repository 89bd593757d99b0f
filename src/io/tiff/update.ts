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
import { IfdReader, type IfdEntry } from './ifd-read.js';
import { encodeValues } from './ifd-write.js';
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
}

/** Parses the first IFD (classic or BigTIFF, either byte order). Throws a one-line error for a malformed file. */
export function inspectGeoTIFF(file: ArrayBuffer | Uint8Array): GeoTIFFLayout {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const r = new IfdReader(bytes);
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
  else if ((compression === 5 || compression === 8 || compression === 32946) && predictor !== 1 && predictor !== 2 && predictor !== 3) {
    unsupported = `predictor ${predictor}`;
  } else if ((compression === 5 || compression === 8 || compression === 32946) && predictor === 3 && ![2, 4, 8].includes(bits[0] / 8)) {
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
  const nodataText = nodataEntry && nodataEntry.type === TYPE.ASCII ? r.ascii(nodataEntry) : null;
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

  write(e: IfdEntry, values: number[]): void {
    const max = Math.max(...values.slice(0, e.count));
    const fits = e.type === TYPE.LONG8 || (e.type === TYPE.LONG && max <= 0xffffffff) || (e.type === TYPE.SHORT && max <= 0xffff);
    const type = fits ? e.type : this.L.bigTiff ? TYPE.LONG8 : TYPE.LONG;
    const data = encodeValues(type, values.slice(0, e.count), this.L.littleEndian);
    const inline = this.L.bigTiff ? 8 : 4;
    const le = this.L.littleEndian;
    if (fits) {
      this.patches.push({ at: e.valueAt, bytes: data });
      return;
    }
    if (this.L.bigTiff ? type === TYPE.LONG8 && e.count > 1 : e.count * 4 > 4) {
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
