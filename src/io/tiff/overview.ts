// Overview levels computed the way GDAL 3.6 does, checked against the binary. NEAREST (gdaladdo -r nearest, and
// the COG driver's RESAMPLING=NEAREST): overview pixel i takes source pixel floor(0.5 + i * srcSize / ovrSize)
// on each axis, and each level is sampled from the level before it in the file when that one is larger on both
// axes, else from the full-resolution band. MODE and the COG driver's level sizes below; AVERAGE, RMS, GAUSS and the
// convolution kernels in resample.ts. Browser-safe.
import type { Pixel } from '../../dtype.js';
import type { DType, TypedArray } from '../../types.js';
import type { GeoTIFFLayout } from './layout.js';
import { reduceLevel, type ReduceMethod } from './resample.js';

/** Every overview resampling rasterburn computes as GDAL 3.6 does. */
export type OverviewResampling = 'nearest' | 'mode' | ReduceMethod;

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

/**
 * `src` reduced to w x h by GDAL 3.6's MODE resampling: each overview pixel takes the most frequent value of its
 * source window (columns from floor(i * r + 1e-8) to ceil((i + 1) * r - 1e-8), at least one, same for rows),
 * nodata values left out (all nodata gives nodata). Values are counted in the window's row order and the
 * first to reach a new highest count wins, so a tie goes to the value that got there first.
 */
export function modeDown(src: Plane, w: number, h: number, nodata: number | null): Plane {
  const data = new (src.data.constructor as new (n: number) => TypedArray)(w * h);
  const xs = modeWindows(src.width, w), ys = modeWindows(src.height, h);
  const big = src.data instanceof BigInt64Array || src.data instanceof BigUint64Array;
  const skip: Pixel | null = nodata === null ? null : big ? (Number.isInteger(nodata) ? BigInt(nodata) : null) : nodata;
  const out = data as unknown as Pixel[];
  // a window's distinct values and their counts; windows are a few pixels, so a linear search is cheapest
  const values: Pixel[] = [], counts: number[] = [];
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      values.length = 0; counts.length = 0;
      let best: Pixel = skip ?? (big ? 0n : 0), max = 0;
      for (let y = ys[2 * j]; y < ys[2 * j + 1]; y++) {
        const row = y * src.width;
        for (let x = xs[2 * i]; x < xs[2 * i + 1]; x++) {
          const v = src.data[row + x];
          if (skip !== null && (v === skip || (v !== v && skip !== skip))) continue;
          let k = 0;
          while (k < values.length && !(values[k] === v || (v !== v && values[k] !== values[k]))) k++;
          if (k === values.length) { values.push(v); counts.push(0); }
          if (++counts[k] > max) { max = counts[k]; best = v; }
        }
      }
      out[j * w + i] = best;
    }
  }
  return { data, width: w, height: h };
}

// each overview pixel's source window [start, end) along one axis, as GDAL's mode resampling cuts it
function modeWindows(srcSize: number, dstSize: number): Int32Array {
  const r = srcSize / dstSize;
  const out = new Int32Array(2 * dstSize);
  for (let i = 0; i < dstSize; i++) {
    const a = Math.trunc(i * r + 1e-8);
    let b = Math.ceil((i + 1) * r - 1e-8);
    if (b === a) b++;
    out[2 * i] = a;
    out[2 * i + 1] = Math.min(b, srcSize);
  }
  return out;
}

/**
 * The overview sizes GDAL 3.6's COG driver makes for a width x height raster: each level halves the one before
 * (rounding down, never below 1), `count` levels when given, else until both sides fit in one block.
 */
export function cogOverviewSizes(width: number, height: number, block: number, count?: number): [number, number][] {
  const out: [number, number][] = [];
  let w = width, h = height;
  while (count !== undefined ? out.length < count : w > block || h > block) {
    w = Math.max(1, Math.floor(w / 2));
    h = Math.max(1, Math.floor(h / 2));
    out.push([w, h]);
  }
  return out;
}

/**
 * The overview levels of a pixel-interleaved raster of `samples` bands of type `dtype`, each band reduced on
 * its own from the level before it (GDAL's COG driver builds every level from the previous one).
 */
export function cogOverviews(data: TypedArray, width: number, height: number, samples: number, sizes: readonly [number, number][], resampling: OverviewResampling, nodata: number | null, dtype: DType): Plane[] {
  const Ctor = data.constructor as new (n: number) => TypedArray;
  const levels: Plane[] = sizes.map(([w, h]) => ({ data: new Ctor(w * h * samples), width: w, height: h }));
  for (let s = 0; s < samples; s++) {
    let prev: Plane = { data: samples === 1 ? data : new Ctor(width * height), width, height };
    if (samples > 1) for (let i = 0, k = s; i < width * height; i++, k += samples) prev.data[i] = data[k];
    levels.forEach((level) => {
      const w = level.width, h = level.height;
      prev = resampling === 'nearest' ? nearestDown(prev, w, h)
        : resampling === 'mode' ? modeDown(prev, w, h, nodata)
          : { data: reduceLevel(prev, w, h, resampling, dtype, nodata), width: w, height: h };
      if (samples === 1) { level.data = prev.data; return; }
      for (let i = 0, k = s; i < prev.data.length; i++, k += samples) level.data[k] = prev.data[i];
    });
  }
  return levels;
}
