// A GeoTIFF with any of write.ts's layouts and codecs (strips or tiles, compressed or not) written band by
// band through a positional sink: each band's chunks are cut, encoded on the given threads while the caller
// produces the next band, and written in file order as they are done; the chunk offsets and byte counts,
// unknown until then, are written last. Memory holds a band's chunks in flight, never the raster.
// BigTIFF as GDAL chooses it without BIGTIFF: only for an uncompressed file that needs it; a classic file
// that outgrows 32-bit offsets stops with GDAL's error. Browser-safe.
import { DTYPES } from '../../dtype.js';
import type { TypedArray } from '../../types.js';
import { codecOfSpec } from './chunk-spec.js';
import { ChunkEncoder } from './encode-queue.js';
import { encodeValues } from './ifd-write.js';
import type { PositionalSink, TiledGeoTIFFMeta } from './stream.js';
import { TYPE } from './tags.js';
import { chunkLayout, encodeHead, resolveBigTiff, type GeoTIFFWriteOptions } from './write.js';
import { chunkSpecFor, type ParallelEncoding } from './write-chunks.js';

export interface ChunkedGeoTIFFSummary {
  /** bytes in the file */
  bytes: number;
  chunks: number;
  /** chunks left out (all the value a reader assumes for a missing chunk) */
  sparseChunks: number;
  bigTiff: boolean;
  tiled: boolean;
}

// GDAL's BIGTIFF=IF_NEEDED: an uncompressed image over this many bytes is written as BigTIFF
const GDAL_BIGTIFF_RAW = 4.2e9;
// bytes gathered before a sink write
const WRITE_BYTES = 8 << 20;

/**
 * Writes one GeoTIFF band by band: writeBand() for each `bandRows` rows from the top (fewer for the last),
 * then finish(). `options` are toGeoTIFF's (single band: `samples` is not taken).
 *
 * @example
 * const w = await ChunkedGeoTIFFWriter.open(meta, sink, { compress: 'deflate', predictor: 2 }, { workers: null, compressors: { deflate: FFLATE, zstd: null } });
 * for await (const band of bands(w.bandRows)) await w.writeBand(band.data, band.rows);
 * await w.finish();
 */
export class ChunkedGeoTIFFWriter {
  /** rows each writeBand() takes: whole strips (about 256 rows) or one row of tiles */
  readonly bandRows: number;
  readonly bigTiff: boolean;
  readonly tiled: boolean;
  private readonly chunkW: number;
  private readonly chunkH: number;
  private readonly across: number;
  private readonly bpp: number;
  private readonly offsets: number[];
  private readonly counts: number[];
  private readonly encoder: ChunkEncoder;
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pendingAt: number;
  /** the file position of the next chunk's bytes */
  private at: number;
  private y = 0;
  private sparseChunks = 0;
  private done = false;

  private constructor(private readonly meta: TiledGeoTIFFMeta, private readonly sink: PositionalSink, private readonly options: GeoTIFFWriteOptions,
    private readonly head: ReturnType<typeof encodeHead>, where: ParallelEncoding) {
    const { width, height, dtype } = meta;
    this.bpp = DTYPES[dtype].bytes;
    const L = chunkLayout(width, height, this.bpp, options);
    this.tiled = L.tiled;
    this.chunkW = L.tiled ? L.tileW : width;
    this.chunkH = L.tiled ? L.tileH : L.rowsPerStrip;
    this.across = Math.ceil(width / this.chunkW);
    this.bandRows = L.tiled ? L.tileH : L.rowsPerStrip * Math.max(1, Math.floor(256 / L.rowsPerStrip));
    const count = this.across * Math.ceil(height / this.chunkH);
    this.offsets = new Array<number>(count).fill(0);
    this.counts = new Array<number>(count).fill(0);
    this.bigTiff = head.bigTiff;
    this.at = head.head.length;
    this.pendingAt = this.at;
    const spec = chunkSpecFor(dtype, width, options);
    const plain = (options.compress ?? 'none') === 'none';
    const codec = codecOfSpec(spec, where.compressors);
    // uncompressed chunks are only copied: not worth a trip to another thread
    this.encoder = new ChunkEncoder(spec, plain ? null : where.workers, (h) => codec.encode(h), (i, b) => this.place(i, b));
  }

  /** Checks the options, writes the head, and returns the writer. */
  static async open(meta: TiledGeoTIFFMeta, sink: PositionalSink, options: GeoTIFFWriteOptions, where: ParallelEncoding): Promise<ChunkedGeoTIFFWriter> {
    if ((options.samples ?? 1) !== 1) throw new Error('a streamed GeoTIFF has one band');
    const { width, height, dtype } = meta;
    const bpp = DTYPES[dtype].bytes;
    const L = chunkLayout(width, height, bpp, options);
    const count = L.tiled ? Math.ceil(width / L.tileW) * Math.ceil(height / L.tileH) : Math.ceil(height / L.rowsPerStrip);
    const plain = (options.compress ?? 'none') === 'none';
    const bigTiff = resolveBigTiff(options.bigTiff, width * height * bpp) ?? (plain && width * height * bpp > GDAL_BIGTIFF_RAW);
    // the sizes are written at the end: the head only needs how many there are
    const head = encodeHead(meta, { ...options, bigTiff }, new Array<number>(count).fill(0));
    const w = new ChunkedGeoTIFFWriter(meta, sink, options, head, where);
    await sink.write(head.head, 0);
    return w;
  }

  /**
   * Writes the next `rows` full-width rows (`bandRows`, fewer only at the bottom) of `band`, row-major with the
   * raster's width. `band` may be reused once this resolves. With `empty`, a chunk whose columns
   * x0..x1-1 it calls empty (every pixel the value a reader assumes for a missing chunk) is left out.
   */
  async writeBand(band: TypedArray, rows: number, empty?: (x0: number, x1: number) => boolean): Promise<void> {
    const { width, height } = this.meta;
    const want = Math.min(this.bandRows, height - this.y);
    if (rows !== want) throw new Error(`the band at row ${this.y} needs ${want} rows, got ${rows}`);
    if (band.length < rows * width) throw new Error(`band has ${band.length} pixels, ${rows} rows of ${width} need ${rows * width}`);
    if (band.constructor !== DTYPES[this.meta.dtype].make(0).constructor) throw new Error(`pixels are a ${band.constructor.name}, the file holds ${this.meta.dtype}`);
    const src = new Uint8Array(band.buffer, band.byteOffset, rows * width * this.bpp);
    const { chunkW, chunkH, bpp } = this;
    for (let r0 = 0; r0 < rows; r0 += chunkH) {
      const h = Math.min(chunkH, rows - r0);
      for (let c = 0; c < this.across; c++) {
        const x0 = c * chunkW, w = Math.min(chunkW, width - x0);
        if (empty?.(x0, x0 + w)) {
          this.sparseChunks++;
          await this.encoder.push(null);
          continue;
        }
        let host: Uint8Array;
        if (!this.tiled) {
          // a strip is a run of the band: copied, since the band is refilled while the chunk is encoded
          host = src.slice(r0 * width * bpp, (r0 + h) * width * bpp);
        } else {
          // edge tiles are padded with zeros to the full tile, as libtiff writes them
          host = new Uint8Array(chunkW * chunkH * bpp);
          for (let r = 0; r < h; r++) host.set(src.subarray(((r0 + r) * width + x0) * bpp, ((r0 + r) * width + x0 + w) * bpp), r * chunkW * bpp);
        }
        await this.encoder.push(host, true);
      }
    }
    // the band's last chunks leave now, not with the next band's
    await this.encoder.flush();
    this.y += rows;
  }

  /** Waits for the last chunks, writes them and the chunk offsets and byte counts. Every row must have been written. */
  async finish(): Promise<ChunkedGeoTIFFSummary> {
    if (this.done) throw new Error('finish() was already called');
    if (this.y !== this.meta.height) throw new Error(`${this.meta.height - this.y} of ${this.meta.height} rows were not written`);
    this.done = true;
    await this.encoder.finish();
    await this.flush();
    const type = this.bigTiff ? TYPE.LONG8 : TYPE.LONG;
    await this.sink.write(encodeValues(type, this.offsets, true), this.head.offsetsAt);
    await this.sink.write(encodeValues(type, this.counts, true), this.head.countsAt);
    return { bytes: this.at, chunks: this.offsets.length, sparseChunks: this.sparseChunks, bigTiff: this.bigTiff, tiled: this.tiled };
  }

  // chunk i's bytes, in file order: a chunk left out has offset and byte count 0
  private async place(i: number, bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    if (!this.bigTiff && this.at + bytes.length > 0xffffffff) {
      throw new Error('Maximum TIFF file size exceeded. Use BIGTIFF=YES creation option.');
    }
    this.offsets[i] = this.at;
    this.counts[i] = bytes.length;
    this.at += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= WRITE_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const out = new Uint8Array(this.pendingBytes);
    let k = 0;
    for (const p of this.pending) { out.set(p, k); k += p.length; }
    this.pending.length = 0;
    this.pendingBytes = 0;
    const at = this.pendingAt;
    this.pendingAt += out.length;
    await this.sink.write(out, at);
  }
}
