// Burns bands back into an existing GeoTIFF the way GDAL's in-place update leaves the file: only the burned
// bands' pixel chunks change; the header, every IFD and tag (georeferencing or its absence, CRS keys,
// GDAL_METADATA, nodata, band descriptions), the other bands' samples and masks keep their bytes; the burned
// bands of each overview level are rebuilt as gdaladdo -r nearest would. Compressed chunks are decoded, patched
// and re-encoded with the file's own compression and predictor; like libtiff, a re-encoded chunk is written back
// in place when it fits and appended to the file otherwise. Browser-safe: DEFLATE and ZSTD are passed in
// (src/io/node-geotiff-update.ts binds node:zlib and a WebAssembly zstd).
import { fillPixels, setPixels, toPixel, type Pixel } from '../../dtype.js';
import type { DType, TypedArray } from '../../types.js';
import { codecFor, type Codec, type Deflate, type Zstd } from './codec.js';
import { cogGhost } from './cog-ghost.js';
import { parseGdalDouble } from './gdal-nodata.js';
import type { GeoTIFFLayout } from './layout.js';
import { overviewBands, overviewsUnrebuildable } from './overview.js';
import { ArrayWriter, assemble, uint32le, type Patch } from './patch.js';

/** New values for one band: its 1-based number and width*height values of the file's sample type, row-major. */
export interface BandUpdate { band: number; data: TypedArray }

/**
 * The file with band 1 replaced by `band1`: updateGeoTIFFBands with that one band.
 */
export function updateGeoTIFFBand1(file: ArrayBuffer | Uint8Array, band1: TypedArray, layout: GeoTIFFLayout, deflate: Deflate | null, zstd: Zstd | null = null, rebuildOverviews = true): Uint8Array[] {
  return updateGeoTIFFBands(file, [{ band: 1, data: band1 }], layout, deflate, zstd, rebuildOverviews);
}

/**
 * The file with each listed band replaced by its new values, as parts to write in order (unchanged stretches are
 * views on `file`, which is not modified). A band listed twice takes its last values. Only chunks whose samples of
 * those bands change are rewritten: in a pixel-interleaved file a chunk holding several of them is decoded and
 * re-encoded once; in a band-planar file each band has its own chunks. Unless `rebuildOverviews` is false, the
 * same bands of each overview level are rebuilt from the new values (src/io/tiff/overview.ts) where
 * overviewsUnrebuildable allows, and left as they were otherwise. Throws when a band does not exist (GDAL's
 * message), when the layout is unsupported (see GeoTIFFLayout.unsupported), when a classic TIFF would grow past
 * 4 GiB, or when a chunk does not decode.
 */
export function updateGeoTIFFBands(file: ArrayBuffer | Uint8Array, updates: readonly BandUpdate[], layout: GeoTIFFLayout, deflate: Deflate | null, zstd: Zstd | null = null, rebuildOverviews = true): Uint8Array[] {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  const what = updates.length === 1 && updates[0].band === 1 ? 'band 1' : 'bands';
  if (L.unsupported) throw new Error(`cannot rewrite ${what} of a TIFF with ${L.unsupported}`);
  const bands = new Map<number, TypedArray>();
  for (const u of updates) {
    checkBand(L, u.band);
    checkValues(L, u.band, u.data);
    bands.set(u.band, u.data);
  }
  if (bands.size === 0) return [bytes];

  const cog = cogGhost(bytes, L.bigTiff);
  // the overview levels are sampled from the new bands as gdaladdo -r nearest does, and re-encoded like them
  const images: { I: GeoTIFFLayout; bands: Map<number, TypedArray> }[] = [{ I: L, bands }];
  if (rebuildOverviews && overviewsUnrebuildable(L) === null) {
    L.overviewLayouts.forEach((I) => images.push({ I, bands: new Map() }));
    for (const [b, data] of bands) overviewBands(L, data).forEach((ovr, k) => images[k + 1].bands.set(b, ovr));
  }

  const patches: Patch[] = [];
  // some writers point identical chunks at one copy of their bytes: such a chunk must not be rewritten in place
  const uses = new Map<number, number>();
  for (const { I } of images) for (let i = 0; i < I.offsets.length; i++) if (I.byteCounts[i] > 0) uses.set(I.offsets[i], (uses.get(I.offsets[i]) ?? 0) + 1);
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
  let anyAppended = false;
  for (const { I, bands: news } of images) {
    const bps = I.sampleBytes;
    const sppChunk = I.planar === 2 ? 1 : I.samplesPerPixel;
    const rowBytes = I.chunkWidth * sppChunk * bps;
    // chunks rewritten in place: the smaller of the run coder's and the library codec's output (DEFLATE, ZSTD), so that one fits its old slot as often as GDAL's does
    const codec = codecFor(I.compression, I.predictor, I.littleEndian, bps, sppChunk, rowBytes, deflate, zstd, { smallest: true });
    const like = news.values().next().value as TypedArray;
    const fillValue = absentValue(I, like);
    const appended: { index: number; data: Uint8Array }[] = [];
    const newOffsets = I.offsets.slice(), newCounts = I.byteCounts.slice();
    // a band-planar file's bands each have their chunks; a pixel-interleaved chunk holds every band
    const groups = I.planar === 2 ? [...news].map(([b, data]) => [{ b, data }]) : [[...news].map(([b, data]) => ({ b, data }))];
    for (const group of groups) {
      const fill = absentChunkFill(I, like, group.map((g) => g.b));
      forEachChunk(I, group[0].b, bytes, codec, fill, (j, host, x0, y0, w, h, absent) => {
        let changed = false;
        for (const { b, data } of group) changed = writeBand(host, data, I.width, x0, y0, w, h, I.chunkWidth, sppChunk, sppChunk === 1 ? 0 : b - 1) || changed;
        // GDAL writes every block of the bands back, but leaves out a missing block that holds nothing but nodata
        if (absent ? onlyValue(host, like, fillValue) : !changed) return;
        const data = codec.encode(host);
        const off = I.offsets[j], count = I.byteCounts[j];
        if (!absent && data.length <= count && uses.get(off) === 1) {
          // as libtiff does: a chunk that still fits is rewritten where it was
          patches.push({ at: off, bytes: data });
          if (cog.leader && off >= 4) patches.push({ at: off - 4, bytes: uint32le(data.length) });
          if (cog.trailer && data.length >= 4 && off + data.length + 4 <= bytes.length) patches.push({ at: off + data.length, bytes: data.slice(data.length - 4) });
          // an uncompressed chunk keeps its byte count, slack included
          if (I.compression !== 1) newCounts[j] = data.length;
        } else {
          appended.push({ index: j, data });
          newCounts[j] = data.length;
        }
      });
    }
    for (const a of appended) newOffsets[a.index] = place(a.data, 2);
    const w = new ArrayWriter(I, place, patches);
    if (appended.length) w.write(I.offsetsEntry, newOffsets);
    if (newCounts.some((c, i) => c !== I.byteCounts[i])) w.write(I.countsEntry, newCounts);
    anyAppended ||= appended.length > 0;
  }
  if (anyAppended && cog.incompatibleAt >= 0) {
    // GDAL marks a COG whose blocks no longer follow its declared layout the same way
    patches.push({ at: cog.incompatibleAt, bytes: new TextEncoder().encode('YES\n') });
  }
  if (!L.bigTiff && end > 0xffffffff) {
    throw new Error(`the updated file would be ${end} bytes, past classic TIFF's 4 GiB limit; convert it to BigTIFF first (gdal_translate -co BIGTIFF=YES)`);
  }
  return assemble(bytes, patches, tail);
}

/** readGeoTIFFBand for band 1. */
export function readGeoTIFFBand1(file: ArrayBuffer | Uint8Array, like: TypedArray, layout: GeoTIFFLayout, out: TypedArray | undefined, deflate: Deflate | null, zstd: Zstd | null = null): TypedArray {
  return readGeoTIFFBand(file, 1, like, layout, out, deflate, zstd);
}

/**
 * Band `band` (1-based) decoded as libtiff decodes it (the same code that re-encodes it, so unchanged chunks
 * compare equal), into `out` (width*height values of the file's type) or a new array of the type `like` has.
 */
export function readGeoTIFFBand(file: ArrayBuffer | Uint8Array, band: number, like: TypedArray, layout: GeoTIFFLayout, out: TypedArray | undefined, deflate: Deflate | null, zstd: Zstd | null = null): TypedArray {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  if (L.unsupported) throw new Error(`cannot read band ${band} of a TIFF with ${L.unsupported}`);
  checkBand(L, band);
  const expected = arrayKind(L.sampleFormat, L.sampleBytes);
  if (like.constructor.name !== expected) throw new Error(`band ${band} is a ${like.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${L.sampleBytes * 8}-bit` : expected} samples`);
  const values = out ?? new (like.constructor as new (n: number) => TypedArray)(L.width * L.height);
  if (values.length !== L.width * L.height || values.constructor !== like.constructor) throw new Error(`band ${band} needs ${L.width * L.height} values of ${expected}`);
  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * L.sampleBytes;
  const codec = codecFor(L.compression, L.predictor, L.littleEndian, L.sampleBytes, sppChunk, rowBytes, deflate, zstd);
  const fill = absentChunkFill(L, like, [band]);
  const Ctor = like.constructor as ArrayCtor;
  const s = sppChunk === 1 ? 0 : band - 1;
  forEachChunk(L, band, bytes, codec, fill, (j, host, x0, y0, w, h) => {
    const v = new Ctor(host.buffer, host.byteOffset, Math.floor(host.length / L.sampleBytes));
    for (let r = 0; r < h; r++) {
      let k = r * L.chunkWidth * sppChunk + s, i = (y0 + r) * L.width + x0;
      if (sppChunk === 1) { setPixels(values, v.subarray(k, k + w), i); continue; }
      for (let c = 0; c < w; c++, k += sppChunk) values[i++] = v[k];
    }
  });
  return values;
}

// GDAL's words for a band the dataset does not have
function checkBand(L: GeoTIFFLayout, band: number): void {
  if (!(Number.isInteger(band) && band >= 1 && band <= L.samplesPerPixel)) throw new Error(`GDALDataset::GetRasterBand(${band}) - Illegal band #: the file has ${L.samplesPerPixel} band${L.samplesPerPixel > 1 ? 's' : ''}`);
}

function checkValues(L: GeoTIFFLayout, band: number, data: TypedArray): void {
  if (data.length !== L.width * L.height) throw new Error(`band ${band} has ${data.length} values, expected ${L.width}x${L.height} = ${L.width * L.height}`);
  const expected = arrayKind(L.sampleFormat, L.sampleBytes);
  if (data.constructor.name !== expected) throw new Error(`band ${band} is a ${data.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${L.sampleBytes * 8}-bit` : expected} samples`);
}

// decodes each chunk holding band `band`'s samples (host byte order, predictor undone) and hands it to `visit`
function forEachChunk(
  L: GeoTIFFLayout, band: number, bytes: Uint8Array, codec: Codec, fill: (n: number) => Uint8Array,
  visit: (j: number, host: Uint8Array, x0: number, y0: number, w: number, h: number, absent: boolean) => void,
): void {
  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * L.sampleBytes;
  const perPlane = L.chunksAcross * L.chunksDown;
  // a band's samples are one sample of every chunk when pixel-interleaved, and its plane's chunks when planar
  const first = L.planar === 2 ? (band - 1) * perPlane : 0;
  for (let p = 0; p < perPlane; p++) {
    const j = first + p;
    const cy = Math.floor(p / L.chunksAcross), cx = p % L.chunksAcross;
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

// --------------------------------------------------------------------------------------------- band samples

// the typed array rasterburn uses for a sample format and size ('none' when there is none)
function arrayKind(format: number, bytes: number): string {
  const f = format === 4 ? 1 : format;
  const k = `${f}:${bytes}`;
  return ({ '1:1': 'Uint8Array', '1:2': 'Uint16Array', '1:4': 'Uint32Array', '2:1': 'Int8Array', '2:2': 'Int16Array', '2:4': 'Int32Array', '3:4': 'Float32Array', '3:8': 'Float64Array', '1:8': 'BigUint64Array', '2:8': 'BigInt64Array' } as Record<string, string>)[k] ?? 'none';
}

type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

// writes a band's values into sample `s` of a decoded chunk (host byte order); true when a sample changed. A
// sample keeps its bytes when the value is the same (NaN payloads and the sign of zero included)
function writeBand(host: Uint8Array, values: TypedArray, width: number, x0: number, y0: number, w: number, h: number, chunkWidth: number, spp: number, s: number): boolean {
  const Ctor = values.constructor as ArrayCtor;
  const v = new Ctor(host.buffer, host.byteOffset, Math.floor(host.length / values.BYTES_PER_ELEMENT));
  const float = values instanceof Float32Array || values instanceof Float64Array;
  let changed = false;
  for (let r = 0; r < h; r++) {
    let k = r * chunkWidth * spp + s;
    let i = (y0 + r) * width + x0;
    for (let c = 0; c < w; c++, k += spp, i++) {
      const a = v[k], b = values[i];
      if (a === b && (!float || a !== 0 || 1 / (a as number) === 1 / (b as number))) continue;
      if (float && a !== a && b !== b) continue;
      v[k] = b;
      changed = true;
    }
  }
  return changed;
}

// a missing chunk (SPARSE_OK files): the bands read as the nodata value, else 0 (GDAL's NullBlock); when GDAL
// writes such a chunk of a pixel-interleaved file, the samples of the bands it did not burn are 0 (its LoadBlockBuf)
function absentChunkFill(L: GeoTIFFLayout, like: TypedArray, bands: readonly number[]): (n: number) => Uint8Array {
  const value = absentValue(L, like);
  const one = new (like.constructor as new (n: number) => TypedArray)(1);
  fillPixels(one, value);
  const pattern = new Uint8Array(one.buffer);
  const spp = L.planar === 2 ? 1 : L.samplesPerPixel;
  const step = pattern.length * spp;
  const at = spp === 1 ? [0] : bands.map((b) => (b - 1) * pattern.length);
  return (n) => {
    const out = new Uint8Array(n);
    if (pattern.some((b) => b !== 0)) for (let i = 0; i + step <= n; i += step) for (const o of at) out.set(pattern, i + o);
    return out;
  };
}

function absentValue(L: GeoTIFFLayout, like: TypedArray): Pixel {
  const dtype = DTYPE_OF[like.constructor.name];
  const zero = like instanceof BigInt64Array || like instanceof BigUint64Array ? 0n : 0;
  return L.nodataText === null || !dtype ? zero : toPixel(dtype, parseGdalDouble(L.nodataText));
}

// whether every sample of a decoded chunk (all bands) is `value` (NaN matching NaN), as GDAL's HasOnlyNoData
function onlyValue(host: Uint8Array, like: TypedArray, value: Pixel): boolean {
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
  BigInt64Array: 'int64', BigUint64Array: 'uint64',
};
