// Burns band 1 back into an existing GeoTIFF the way GDAL's in-place update leaves the file: only band 1's pixel
// chunks change; the header, every IFD and tag (georeferencing or its absence, CRS keys, GDAL_METADATA, nodata,
// band descriptions), the other bands' samples and masks keep their bytes; band 1 of each overview level is rebuilt as gdaladdo -r nearest
// would. Compressed chunks are
// decoded, patched and re-encoded with the file's own compression and predictor; like libtiff, a re-encoded
// chunk is written back in place when it fits and appended to the file otherwise. Browser-safe: DEFLATE and ZSTD
// are passed in (src/io/node-geotiff-update.ts binds node:zlib and a WebAssembly zstd).
import { fillPixels, setPixels, toPixel, type Pixel } from '../../dtype.js';
import type { DType, TypedArray } from '../../types.js';
import { codecFor, type Codec, type Deflate, type Zstd } from './codec.js';
import { cogGhost } from './cog-ghost.js';
import { parseGdalDouble } from './gdal-nodata.js';
import type { GeoTIFFLayout } from './layout.js';
import { overviewBands, overviewsUnrebuildable } from './overview.js';
import { ArrayWriter, assemble, uint32le, type Patch } from './patch.js';

/**
 * The file with band 1 replaced by `band1` (row-major, width*height values of band 1's type), as parts to write
 * in order (unchanged stretches are views on `file`, which is not modified). Only chunks whose band-1 samples
 * change are rewritten. Unless `rebuildOverviews` is false, band 1 of each overview level is rebuilt from `band1`
 * (src/io/tiff/overview.ts) where overviewsUnrebuildable allows, and left as it was otherwise. Throws when the layout is unsupported (see GeoTIFFLayout.unsupported), when a classic
 * TIFF would grow past 4 GiB, or when a chunk does not decode.
 */
export function updateGeoTIFFBand1(file: ArrayBuffer | Uint8Array, band1: TypedArray, layout: GeoTIFFLayout, deflate: Deflate | null, zstd: Zstd | null = null, rebuildOverviews = true): Uint8Array[] {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  if (L.unsupported) throw new Error(`cannot rewrite band 1 of a TIFF with ${L.unsupported}`);
  const bps = L.sampleBytes;
  if (band1.length !== L.width * L.height) throw new Error(`band 1 has ${band1.length} values, expected ${L.width}x${L.height} = ${L.width * L.height}`);
  const expected = arrayKind(L.sampleFormat, bps);
  if (band1.constructor.name !== expected) throw new Error(`band 1 is a ${band1.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${bps * 8}-bit` : expected} samples`);

  const cog = cogGhost(bytes, L.bigTiff);
  // the overview levels are sampled from the new band as gdaladdo -r nearest does, and re-encoded like band 1
  const images = [{ I: L, band: band1 }];
  if (rebuildOverviews && overviewsUnrebuildable(L) === null) overviewBands(L, band1).forEach((band, k) => images.push({ I: L.overviewLayouts[k], band }));

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
  for (const { I, band } of images) {
    const sppChunk = I.planar === 2 ? 1 : I.samplesPerPixel;
    const rowBytes = I.chunkWidth * sppChunk * bps;
    const codec = codecFor(I.compression, I.predictor, I.littleEndian, bps, sppChunk, rowBytes, deflate, zstd);
    const fill = absentChunkFill(I, band);
    const fillValue = absentValue(I, band);
    const appended: { index: number; data: Uint8Array }[] = [];
    const newOffsets = I.offsets.slice(), newCounts = I.byteCounts.slice();
    forEachBand1Chunk(I, bytes, codec, fill, (j, host, x0, y0, w, h, absent) => {
      const changed = writeBand1(host, band, I.width, x0, y0, w, h, I.chunkWidth, sppChunk);
      // GDAL writes every block of band 1 back, but leaves out a missing block that holds nothing but nodata
      if (absent ? onlyValue(host, band, fillValue) : !changed) return;
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

/**
 * Band 1 decoded as libtiff decodes it (the same code that re-encodes it, so unchanged chunks compare equal),
 * into `out` (width*height values of band 1's type) or a new array of the type `like` has.
 */
export function readGeoTIFFBand1(file: ArrayBuffer | Uint8Array, like: TypedArray, layout: GeoTIFFLayout, out: TypedArray | undefined, deflate: Deflate | null, zstd: Zstd | null = null): TypedArray {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const L = layout;
  if (L.unsupported) throw new Error(`cannot read band 1 of a TIFF with ${L.unsupported}`);
  const expected = arrayKind(L.sampleFormat, L.sampleBytes);
  if (like.constructor.name !== expected) throw new Error(`band 1 is a ${like.constructor.name}, but the file stores ${expected === 'none' ? `SampleFormat ${L.sampleFormat} ${L.sampleBytes * 8}-bit` : expected} samples`);
  const band = out ?? new (like.constructor as new (n: number) => TypedArray)(L.width * L.height);
  if (band.length !== L.width * L.height || band.constructor !== like.constructor) throw new Error(`band 1 needs ${L.width * L.height} values of ${expected}`);
  const sppChunk = L.planar === 2 ? 1 : L.samplesPerPixel;
  const rowBytes = L.chunkWidth * sppChunk * L.sampleBytes;
  const codec = codecFor(L.compression, L.predictor, L.littleEndian, L.sampleBytes, sppChunk, rowBytes, deflate, zstd);
  const fill = absentChunkFill(L, like);
  const Ctor = like.constructor as ArrayCtor;
  forEachBand1Chunk(L, bytes, codec, fill, (j, host, x0, y0, w, h) => {
    const v = new Ctor(host.buffer, host.byteOffset, Math.floor(host.length / L.sampleBytes));
    for (let r = 0; r < h; r++) {
      let k = r * L.chunkWidth * sppChunk, i = (y0 + r) * L.width + x0;
      if (sppChunk === 1) { setPixels(band, v.subarray(k, k + w), i); continue; }
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
  return ({ '1:1': 'Uint8Array', '1:2': 'Uint16Array', '1:4': 'Uint32Array', '2:1': 'Int8Array', '2:2': 'Int16Array', '2:4': 'Int32Array', '3:4': 'Float32Array', '3:8': 'Float64Array', '1:8': 'BigUint64Array', '2:8': 'BigInt64Array' } as Record<string, string>)[k] ?? 'none';
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
      if (a === b && (!float || a !== 0 || 1 / (a as number) === 1 / (b as number))) continue;
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
  fillPixels(one, value);
  const pattern = new Uint8Array(one.buffer);
  const step = pattern.length * (L.planar === 2 ? 1 : L.samplesPerPixel);
  return (n) => {
    const out = new Uint8Array(n);
    if (pattern.some((b) => b !== 0)) for (let i = 0; i + pattern.length <= n; i += step) out.set(pattern, i);
    return out;
  };
}

function absentValue(L: GeoTIFFLayout, band1: TypedArray): Pixel {
  const dtype = DTYPE_OF[band1.constructor.name];
  const zero = band1 instanceof BigInt64Array || band1 instanceof BigUint64Array ? 0n : 0;
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
