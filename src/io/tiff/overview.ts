// Overview levels recomputed from a new full-resolution band the way GDAL 3.6's `gdaladdo -r nearest` does,
// checked against the binary: overview pixel i takes source pixel floor(0.5 + i * srcSize / ovrSize) on each
// axis, and each level is sampled from the level before it in the file when that one is larger on both axes,
// else from the full-resolution band. Browser-safe.
import type { TypedArray } from '../../types.js';
import type { GeoTIFFLayout } from './layout.js';

/** One image: its samples (row-major) and size. */
export interface Plane { data: TypedArray; width: number; height: number }

/** `src` sampled down to w x h by GDAL's nearest rule. */
export function nearestDown(src: Plane, w: number, h: number): Plane {
  const data = new (src.data.constructor as new (n: number) => TypedArray)(w * h);
  const rx = src.width / w, ry = src.height / h;
  const xs = new Int32Array(w);
  for (let i = 0; i < w; i++) xs[i] = Math.min(src.width - 1, Math.floor(0.5 + i * rx));
  for (let j = 0; j < h; j++) {
    const row = Math.min(src.height - 1, Math.floor(0.5 + j * ry)) * src.width;
    for (let i = 0; i < w; i++) data[j * w + i] = src.data[row + xs[i]];
  }
  return { data, width: w, height: h };
}

/** Band 1 of every overview level of `L`, in the file's order, from the new full-resolution band 1. */
export function overviewBands(L: GeoTIFFLayout, band1: TypedArray): TypedArray[] {
  const base: Plane = { data: band1, width: L.width, height: L.height };
  let prev = base;
  return L.overviewLayouts.map((o) => {
    const src = prev.width > o.width && prev.height > o.height ? prev : base;
    prev = nearestDown(src, o.width, o.height);
    return prev.data;
  });
}

/**
 * Why rasterburn cannot rebuild `L`'s overviews as gdaladdo would, or null when it can. GDAL 3.6 samples 32-bit
 * integer and 64-bit float overviews through a lossy path, and orders the levels of a band-planar file with
 * several bands otherwise; those and overviews in an encoding rasterburn cannot write are left as they were.
 */
export function overviewsUnrebuildable(L: GeoTIFFLayout): string | null {
  if (L.overviews === 0) return null;
  if (L.sampleBytes > 2 && !(L.sampleFormat === 3 && L.sampleBytes === 4)) return `${L.sampleFormat === 3 ? 'float' : 'integer'} ${L.sampleBytes * 8}-bit samples`;
  if (L.planar === 2 && L.samplesPerPixel > 1) return 'one plane per band';
  const bad = L.overviewLayouts.find((o) => o.unsupported);
  if (bad) return `overviews with ${bad.unsupported}`;
  const odd = L.overviewLayouts.find((o) => o.samplesPerPixel !== L.samplesPerPixel || o.sampleBytes !== L.sampleBytes || o.sampleFormat !== L.sampleFormat || o.planar !== L.planar);
  if (odd) return 'overviews whose samples differ from the full-resolution image';
  return null;
}
