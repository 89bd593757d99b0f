// The library's -of COG: a raster and gdal_rasterize's -co list in, the file the CLI writes out, overview
// levels included (pixel rule G10). Browser-safe (DEFLATE through fflate; ZSTD needs loadZstd() first).
import type { Raster } from '../../types.js';
import { parseCogOptions } from './cog-options.js';
import { toCogParts } from './cog-write.js';
import { cogOverviews } from './overview.js';
import { toGeoTIFFParts } from './write.js';

/**
 * `raster` (one band) as -of COG writes it with the creation options `co` (GDAL's spelling), and GDAL's
 * warnings for options that are ignored or not computed (AVERAGE_MP or NONE overviews). Throws
 * GDAL's error for a value GDAL refuses.
 *
 * @example
 * const { file, warnings } = await toCOG(await rasterize(parcels, grid, { dtype: 'uint8' }), ['COMPRESS=DEFLATE', 'RESAMPLING=MODE']);
 */
export async function toCOG(raster: Raster, co: readonly string[] = []): Promise<{ file: Uint8Array; warnings: string[] }> {
  const { options, warnings, overviews } = parseCogOptions(co, raster.dtype, raster.width, raster.height);
  const parts = overviews
    ? await toCogParts(raster, options, cogOverviews(raster.data, raster.width, raster.height, 1, overviews.sizes, overviews.resampling, raster.nodata, raster.dtype))
    : toGeoTIFFParts(raster, options);
  const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { file.set(p, at); at += p.length; }
  return { file, warnings };
}
