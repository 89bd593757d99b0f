// `-of COG` for a tile job: the tiles the workers wrote, read back one row of tiles at a time and
// re-cut into the COG's blocks (BLOCKSIZE, independent of --tile-size), each row of blocks encoded
// as the single-machine writer encodes it (same codec, predictor, edge padding, sparse rule), then
// header + IFD + blocks written to OUT through a temp file and a rename (or one PUT to S3). Memory: one row of job
// tiles and one row of COG blocks uncompressed, plus the encoded blocks until the head (whose
// offsets need every block's size) can be written. With overview levels (pixel rules G10, G11) the band is
// gathered whole instead, as the single-machine writer holds it, and written by that writer: the same bytes.
import { DTYPES, fillPixels, setPixels } from '../dtype.js';
import { inspectGeoTIFF } from '../io/tiff/layout.js';
import { readGeoTIFFBand1 } from '../io/tiff/update.js';
import { encodeHead, type GeoTIFFWriteOptions } from '../io/tiff/write.js';
import { encodeChunks, encodeChunksAsync } from '../io/tiff/write-chunks.js';
import type { CogOverviews } from '../io/tiff/cog-options.js';
import type { TypedArray } from '../types.js';
import type { JobStore } from './job-store.js';
import { openLocation } from './node-open-store.js';
import { tileRect, tilesAcross, tilesDown, type TileJobSpec, type TileRect } from './tile-grid.js';

/**
 * Writes OUT as one COG from the job's tiles (`written`: the tiles in the store; the others hold spec.start), with
 * `overviews` computed from the whole band when given.
 */
export async function assembleCog(spec: TileJobSpec, store: JobStore, written: readonly number[], dst: string, options: GeoTIFFWriteOptions, overviews: CogOverviews | null = null): Promise<void> {
  const { width, height } = spec.grid;
  const make = DTYPES[spec.dtype].make;
  const have = new Set(written);
  const across = tilesAcross(spec), down = tilesDown(spec);
  const block = options.tileSize ?? 512;

  // the tiles are rasterburn's own uncompressed GeoTIFFs: read by the updater's decoder (the
  // same bytes libtiff reads) into one scratch band
  let scratch: TypedArray | undefined;
  const like = make(0);
  const readTile = async (rect: TileRect, w: number, h: number): Promise<TypedArray> => {
    const bytes = await store.readTile(rect);
    const path = store.store.displayName(store.tileKey(rect));
    let layout: ReturnType<typeof inspectGeoTIFF>;
    try {
      layout = inspectGeoTIFF(bytes);
      if (layout.width !== w || layout.height !== h) throw new Error(`it is ${layout.width} x ${layout.height}, expected ${w} x ${h}`);
      if (scratch === undefined || scratch.length < w * h) scratch = make(w * h);
      return readGeoTIFFBand1(bytes, like, layout, scratch.subarray(0, w * h), null);
    } catch (e) {
      throw new Error(`${path} is not this job's tile: ${(e as Error).message}`);
    }
  };

  // one row of job tiles, full width
  // both buffers are reused: fresh ones per row were garbage the collector let pile up (the
  // submitter of a 24,000-wide Byte job peaked at 405 MB, against 80 MB for the VRT)
  let rowBuffer: TypedArray | undefined;
  let cached: { row: number; y0: number; data: TypedArray } | undefined;
  const tileRow = async (row: number): Promise<{ y0: number; data: TypedArray }> => {
    if (cached?.row === row) return cached;
    const first = tileRect(spec, row * across);
    const h = first.y1 - first.y0;
    rowBuffer ??= make(width * Math.min(spec.tileSize, height));
    const data = rowBuffer.subarray(0, width * h);
    fillPixels(data, spec.start);
    for (let c = 0; c < across; c++) {
      const index = row * across + c;
      if (!have.has(index)) continue;
      const r = tileRect(spec, index);
      const w = r.x1 - r.x0;
      const tile = await readTile(r, w, h);
      for (let y = 0; y < h; y++) setPixels(data, tile.subarray(y * w, (y + 1) * w), y * width + r.x0);
    }
    cached = { row, y0: first.y0, data };
    return cached;
  };

  if (overviews) {
    const band = make(width * height);
    for (let row = 0; row < down; row++) {
      const t = await tileRow(row);
      setPixels(band, t.data, t.y0 * width);
    }
    const [{ cogOverviews }, { toCogParts }, { nodeDeflateAsync }] = await Promise.all([import('../io/tiff/overview.js'), import('../io/tiff/cog-write.js'), import('../io/node-zlib.js')]);
    const raster = { data: band, width, height, dtype: spec.dtype, transform: spec.grid.transform, crs: spec.grid.crs, nodata: spec.nodata };
    const levels = cogOverviews(band, width, height, 1, overviews.sizes, overviews.resampling, spec.nodata, spec.dtype);
    const parts = await toCogParts(raster, { ...options, samples: 1 }, levels, nodeDeflateAsync);
    const out = openLocation(dst);
    await out.store.put(out.key, parts);
    return;
  }

  const chunks: Uint8Array[] = [];
  const stripBuffer = make(width * Math.min(block, height));
  for (let y0 = 0; y0 < height; y0 += block) {
    const h = Math.min(block, height - y0);
    const strip = stripBuffer.subarray(0, width * h);
    for (let y = y0; y < y0 + h;) {
      const row = Math.min(down - 1, Math.floor(y / spec.tileSize));
      const t = await tileRow(row);
      const rows = Math.min(y0 + h, t.y0 + t.data.length / width) - y;
      setPixels(strip, t.data.subarray((y - t.y0) * width, (y - t.y0 + rows) * width), (y - y0) * width);
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
  const out = openLocation(dst);
  await out.store.put(out.key, [enc.head, ...chunks.filter((c) => c.length > 0)]);
}
