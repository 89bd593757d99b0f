// `-of COG` for a tile job: the tiles the workers wrote, read back one row of tiles at a time and
// re-cut into the COG's blocks (BLOCKSIZE, independent of --tile-size), each row of blocks encoded
// as the single-machine writer encodes it (same codec, predictor, edge padding, sparse rule), then
// header + IFD + blocks written to OUT through a temp file and a rename. Memory: one row of job
// tiles and one row of COG blocks uncompressed, plus the encoded blocks until the head (whose
// offsets need every block's size) can be written.
import { DTYPES } from '../dtype.js';
import { readFileAsArrayBuffer, writeFileAtomic } from '../io/node-files.js';
import { readGeoTIFFRaster } from '../io/tiff/read.js';
import { encodeHead, type GeoTIFFWriteOptions } from '../io/tiff/write.js';
import { encodeChunks, encodeChunksAsync } from '../io/tiff/write-chunks.js';
import type { TypedArray } from '../types.js';
import type { JobStore } from './node-store.js';
import { tileRect, tilesAcross, tilesDown, type TileJobSpec } from './tile-grid.js';

/** Writes OUT as one COG from the job's tiles (`written`: the tiles in the store; the others hold spec.start). */
export async function assembleCog(spec: TileJobSpec, store: JobStore, written: readonly number[], dst: string, options: GeoTIFFWriteOptions): Promise<void> {
  const { width, height } = spec.grid;
  const make = DTYPES[spec.dtype].make;
  const have = new Set(written);
  const across = tilesAcross(spec), down = tilesDown(spec);
  const block = options.tileSize ?? 512;

  // one row of job tiles, full width
  let cached: { row: number; y0: number; data: TypedArray } | undefined;
  const tileRow = async (row: number): Promise<{ y0: number; data: TypedArray }> => {
    if (cached?.row === row) return cached;
    const first = tileRect(spec, row * across);
    const h = first.y1 - first.y0;
    const data = make(width * h);
    data.fill(spec.start);
    for (let c = 0; c < across; c++) {
      const index = row * across + c;
      if (!have.has(index)) continue;
      const r = tileRect(spec, index);
      const path = store.tilePath(r);
      const tile = await readGeoTIFFRaster(await readFileAsArrayBuffer(path));
      const w = r.x1 - r.x0;
      if (tile.grid.width !== w || tile.grid.height !== h || tile.dtype !== spec.dtype) {
        throw new Error(`${path} is ${tile.grid.width} x ${tile.grid.height} ${tile.dtype}, expected ${w} x ${h} ${spec.dtype}: the store does not hold this job's tile`);
      }
      for (let y = 0; y < h; y++) data.set(tile.data.subarray(y * w, (y + 1) * w), y * width + r.x0);
    }
    cached = { row, y0: first.y0, data };
    return cached;
  };

  const chunks: Uint8Array[] = [];
  for (let y0 = 0; y0 < height; y0 += block) {
    const h = Math.min(block, height - y0);
    const strip = make(width * h);
    for (let y = y0; y < y0 + h;) {
      const row = Math.min(down - 1, Math.floor(y / spec.tileSize));
      const t = await tileRow(row);
      const rows = Math.min(y0 + h, t.y0 + t.data.length / width) - y;
      strip.set(t.data.subarray((y - t.y0) * width, (y - t.y0 + rows) * width), (y - y0) * width);
      y += rows;
    }
    const raster = { data: strip, width, height: h, dtype: spec.dtype, transform: spec.grid.transform, crs: spec.grid.crs, nodata: spec.nodata };
    // DEFLATE through node:zlib, as the single-machine CLI compresses it
    const encoded = options.compress === 'deflate'
      ? await encodeChunksAsync(raster, options, (await import('../io/node-zlib.js')).nodeDeflateAsync)
      : encodeChunks(raster, options);
    for (const c of encoded) chunks.push(c);
  }
  const meta = { width, height, dtype: spec.dtype, transform: spec.grid.transform, crs: spec.grid.crs, nodata: spec.nodata };
  const enc = encodeHead(meta, options, chunks.map((c) => c.length));
  await writeFileAtomic(dst, [enc.head, ...chunks.filter((c) => c.length > 0)]);
}
