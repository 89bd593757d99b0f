// A tiled GeoTIFF written tile by tile, in row-major order, through any positional byte sink (a file
// handle in Node, a FileSystemWritableFileStream in a browser): memory holds one output chunk, never
// the raster. The head (header, IFD, GeoKeys) is write.ts's own, so the georeferencing is
// exactly what toGeoTIFF writes. Uncompressed tiles all have the same size, so every tile's offset is
// known before the first pixel: the head goes out first and the file is complete as the last tile
// lands. In sparse mode, tiles the caller reports as untouched are not written at all (offset and
// byte count 0, which GDAL reads as nodata, or 0 without nodata) and the offset arrays are
// rewritten at the end. Browser-safe.
import { DTYPES } from '../../dtype.js';
import type { DType, GeoTransform, TypedArray } from '../../types.js';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../endian.js';
import { encodeValues } from './ifd-write.js';
import { TYPE } from './tags.js';
import { encodeHead } from './write.js';

/** Where the file's bytes go: `write` is called with strictly increasing positions, except the final rewrite of the offset arrays in sparse mode. */
export interface PositionalSink {
  write(bytes: Uint8Array, position: number): void | Promise<void>;
}

export interface TiledGeoTIFFMeta {
  width: number;
  height: number;
  dtype: DType;
  transform: GeoTransform;
  crs: string | undefined;
  nodata: number | null;
}

export interface TiledGeoTIFFOptions {
  /** tile width and height, a multiple of 16; default 256 */
  tileSize?: number;
  /** force BigTIFF on or off; default: BigTIFF when 32-bit offsets cannot address the full file */
  bigTiff?: boolean;
  /**
   * Leave out tiles whose pixels all equal what a reader assumes for a missing tile (nodata, else
   * 0): the caller says which by passing `null` or a `touched` flag of 0. Default false.
   */
  sparse?: boolean;
  /** bytes buffered before each sink write; default 8 MiB */
  chunkBytes?: number;
}

export interface TiledGeoTIFFSummary {
  /** bytes in the file (its length) */
  bytes: number;
  tiles: number;
  /** tiles left out (sparse mode) */
  sparseTiles: number;
  bigTiff: boolean;
}

/**
 * Writes one single-band tiled GeoTIFF. Call writeBand() for each row of tiles from top to
 * bottom (or writeTile() for each tile in row-major order), then finish().
 *
 * @example
 * const w = await TiledGeoTIFFWriter.open(meta, { write: (b, at) => fh.write(b, 0, b.length, at) }, { sparse: true });
 * for await (const band of rasterizeBands(features, grid, { bandHeight: w.tileSize, tileWidth: w.tileSize })) {
 *   await w.writeBand(band.data, band.y1 - band.y0, band.touched);
 * }
 * await w.finish();
 */
export class TiledGeoTIFFWriter {
  readonly tileSize: number;
  readonly tilesAcross: number;
  readonly tilesDown: number;
  readonly bigTiff: boolean;
  private readonly bpp: number;
  private readonly tileBytes: number;
  private readonly offsets: Float64Array | null;
  private readonly dataStart: number;
  private readonly head: Uint8Array;
  /** file offsets of the TileOffsets and TileByteCounts values, rewritten at the end in sparse mode */
  private readonly offsetsAt: number;
  private readonly countsAt: number;
  private readonly chunk: Uint8Array;
  private chunkUsed = 0;
  private chunkAt: number;
  /** next file position for tile data */
  private at: number;
  private next = 0;
  private sparseTiles = 0;
  private done = false;

  private constructor(private readonly meta: TiledGeoTIFFMeta, private readonly sink: PositionalSink, options: TiledGeoTIFFOptions) {
    const tile = options.tileSize ?? 256;
    const enc = encodeHead({ ...meta }, { layout: 'tiles', tileSize: tile, bigTiff: options.bigTiff });
    this.head = enc.head;
    this.tileSize = tile;
    this.tilesAcross = Math.ceil(meta.width / tile);
    this.tilesDown = Math.ceil(meta.height / tile);
    this.bpp = DTYPES[meta.dtype].bytes;
    this.tileBytes = tile * tile * this.bpp;
    this.dataStart = enc.offsets[0];
    this.bigTiff = enc.bigTiff;
    this.offsetsAt = enc.offsetsAt;
    this.countsAt = enc.countsAt;
    this.offsets = options.sparse ? new Float64Array(this.tilesAcross * this.tilesDown) : null;
    const chunkBytes = Math.max(this.tileBytes, options.chunkBytes ?? 8 * 1024 * 1024);
    this.chunk = new Uint8Array(Math.floor(chunkBytes / this.tileBytes) * this.tileBytes);
    this.at = this.dataStart;
    this.chunkAt = this.dataStart;
  }

  /** Checks the metadata, writes the head, and returns the writer. */
  static async open(meta: TiledGeoTIFFMeta, sink: PositionalSink, options: TiledGeoTIFFOptions = {}): Promise<TiledGeoTIFFWriter> {
    const w = new TiledGeoTIFFWriter(meta, sink, options);
    await sink.write(w.head, 0);
    return w;
  }

  /** tiles in the file */
  get tileCount(): number {
    return this.tilesAcross * this.tilesDown;
  }

  /**
   * Writes the next row of tiles from `rows` full-width rows (tileSize, fewer only for the last
   * row of tiles) of `band`, row-major with the raster's width. In sparse mode a tile column whose
   * `touched` flag is 0 is left out.
   */
  async writeBand(band: TypedArray, rows: number, touched?: ArrayLike<number>): Promise<void> {
    const { width } = this.meta;
    const tile = this.tileSize;
    const row = Math.floor(this.next / this.tilesAcross);
    if (this.next % this.tilesAcross !== 0) throw new Error(`writeBand must start a row of tiles: ${this.next % this.tilesAcross} tiles of row ${row} were written one by one`);
    const want = Math.min(tile, this.meta.height - row * tile);
    if (rows !== want) throw new Error(`row of tiles ${row} needs ${want} rows, got ${rows}`);
    if (band.length < rows * width) throw new Error(`band has ${band.length} pixels, ${rows} rows of ${width} need ${rows * width}`);
    this.checkType(band);
    for (let col = 0; col < this.tilesAcross; col++) {
      if (this.offsets && touched && !touched[col]) {
        this.skip();
        continue;
      }
      const x = col * tile;
      const w = Math.min(tile, width - x);
      const dst = await this.reserve(w < tile || rows < tile);
      for (let r = 0; r < rows; r++) this.copyRow(band, r * width + x, w, dst + r * tile * this.bpp);
    }
  }

  /**
   * Writes the next tile in row-major order: `data` holds its w x h pixels (w, h: the tile's size
   * inside the raster), or is null for a tile left out (sparse mode only).
   */
  async writeTile(data: TypedArray | null, w: number, h: number): Promise<void> {
    const tile = this.tileSize;
    const col = this.next % this.tilesAcross, row = Math.floor(this.next / this.tilesAcross);
    if (row >= this.tilesDown) throw new Error(`all ${this.tileCount} tiles are already written`);
    const ww = Math.min(tile, this.meta.width - col * tile), hh = Math.min(tile, this.meta.height - row * tile);
    if (w !== ww || h !== hh) throw new Error(`tile ${this.next} (column ${col}, row ${row}) is ${ww} x ${hh}, got ${w} x ${h}`);
    if (data === null) {
      if (!this.offsets) throw new Error('a tile can only be left out (null) in sparse mode');
      this.skip();
      return;
    }
    if (data.length !== w * h) throw new Error(`tile ${this.next} has ${data.length} pixels, expected ${w} x ${h}`);
    this.checkType(data);
    const dst = await this.reserve(w < tile || h < tile);
    for (let r = 0; r < h; r++) this.copyRow(data, r * w, w, dst + r * tile * this.bpp);
  }

  /** Writes what is buffered and, in sparse mode, the final offset arrays. Every tile must have been written. */
  async finish(): Promise<TiledGeoTIFFSummary> {
    if (this.done) throw new Error('finish() was already called');
    if (this.next !== this.tileCount) throw new Error(`${this.tileCount - this.next} of ${this.tileCount} tiles were not written`);
    await this.flush();
    this.done = true;
    if (this.offsets) {
      // a tile left out has offset 0 and byte count 0
      const offsets = Array.from(this.offsets);
      const counts = offsets.map((o) => (o === 0 ? 0 : this.tileBytes));
      const type = this.bigTiff ? TYPE.LONG8 : TYPE.LONG;
      await this.sink.write(encodeValues(type, offsets, true), this.offsetsAt);
      await this.sink.write(encodeValues(type, counts, true), this.countsAt);
    }
    return { bytes: Math.max(this.at, this.head.length), tiles: this.tileCount, sparseTiles: this.sparseTiles, bigTiff: this.bigTiff };
  }

  private checkType(a: TypedArray): void {
    if (a.BYTES_PER_ELEMENT !== this.bpp || a.constructor !== DTYPES[this.meta.dtype].make(0).constructor) {
      throw new Error(`pixels are a ${a.constructor.name}, the file holds ${this.meta.dtype}`);
    }
  }

  private skip(): void {
    if (this.offsets) this.offsets[this.next] = 0;
    this.sparseTiles++;
    this.next++;
  }

  // room for the next tile in the chunk, its offset recorded; an edge tile's padding is zeroed
  private async reserve(partial: boolean): Promise<number> {
    if (this.chunkUsed + this.tileBytes > this.chunk.length) await this.flush();
    const dst = this.chunkUsed;
    if (partial) this.chunk.fill(0, dst, dst + this.tileBytes);
    this.chunkUsed += this.tileBytes;
    if (this.offsets) this.offsets[this.next] = this.at;
    this.at += this.tileBytes;
    this.next++;
    return dst;
  }

  private copyRow(src: TypedArray, from: number, n: number, dst: number): void {
    const bytes = new Uint8Array(src.buffer, src.byteOffset + from * this.bpp, n * this.bpp);
    this.chunk.set(bytes, dst);
    if (!LITTLE_ENDIAN_HOST && this.bpp > 1) {
      // TIFF is written little-endian ('II'): swap each sample in place
      swapBytes(this.chunk.subarray(dst, dst + n * this.bpp), this.bpp);
    }
  }

  private async flush(): Promise<void> {
    if (this.chunkUsed === 0) return;
    await this.sink.write(this.chunk.subarray(0, this.chunkUsed), this.chunkAt);
    this.chunkAt += this.chunkUsed;
    this.chunkUsed = 0;
  }
}
