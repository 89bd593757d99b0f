// rasterio's geometry_mask: which pixels the geometries leave out, burned by GDAL's rules.
import { rasterizeWith } from './burn/run.js';
import { unknownOption } from './burn/request.js';
import type { FeatureInput } from './features/geojson.js';
import type { Grid, Raster } from './types.js';

export interface GeometryMaskOptions {
  /** 1 inside the geometries instead of outside (rasterio's invert). */
  invert?: boolean;
  /** Count every pixel a geometry touches as inside (rasterio's all_touched, GDAL's -at). */
  allTouched?: boolean;
  /** CRS of the geometries when the input names none; default CRS84, as rasterize() (pass grid.crs for rasterio's same-CRS geometries). */
  featureCrs?: string;
  signal?: AbortSignal;
}

const KEYS = new Set(['invert', 'allTouched', 'featureCrs', 'signal']);

/**
 * rasterio.features.geometry_mask: a uint8 raster on `grid` whose pixels are 1 where no geometry burns
 * (rasterio's True, "masked") and 0 where one does; with `invert`, 1 inside. Inside is exactly what
 * rasterize() burns with the same `allTouched`. `features` is anything rasterize() takes, including
 * an array of bare geometries.
 *
 * @example
 * const mask = await geometryMask([lake, island], grid, { invert: true });
 * mask.data; // Uint8Array: 1 on the lake and the island, 0 elsewhere
 */
export async function geometryMask(features: FeatureInput, grid: Grid, options: GeometryMaskOptions = {}): Promise<Raster<'uint8'>> {
  if (options === null || typeof options !== 'object') throw new Error(`geometryMask options must be an object, got ${options}`);
  for (const k of Object.keys(options)) if (!KEYS.has(k)) throw new Error(unknownOption(k, 'geometryMask option'));
  const r = await rasterizeWith(geometriesOf(features), grid, {
    dtype: 'uint8', burn: 1, init: 0, allTouched: !!options.allTouched, featureCrs: options.featureCrs, signal: options.signal,
  });
  const data = r.data as Uint8Array;
  if (options.invert) for (let i = 0; i < data.length; i++) data[i] = data[i] === 0 ? 0 : 1;
  else for (let i = 0; i < data.length; i++) data[i] = data[i] === 0 ? 1 : 0;
  return { data, width: r.width, height: r.height, transform: r.transform, crs: r.crs, nodata: null, dtype: 'uint8' };
}

// a mask has no values: [geometry, value] pairs count as their geometry (a value of 0 must not read as outside)
function geometriesOf(features: FeatureInput): FeatureInput {
  if (!features || typeof features !== 'object' || 'type' in features || typeof (features as Iterable<unknown>)[Symbol.iterator] !== 'function') return features;
  const items = features as Iterable<unknown>;
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield (Array.isArray(item) && item.length === 2 && typeof item[1] === 'number' ? item[0] : item) as never;
    },
  };
}
