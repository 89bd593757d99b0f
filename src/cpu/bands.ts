import type { ShapeSet } from '../features/shapes.js';
import type { DType, TypedArray } from '../types.js';
import { DTYPES, fillPixels, samePixel, type Pixel } from '../dtype.js';
import { burnShapesCpu } from './engine.js';

/*
 * The CPU burn split over threads by row bands. A band is burned by one thread only, with every
 * shape that can reach it, in shape order, through the engine's row window (which decides every
 * pixel in whole-grid coordinates). So each pixel receives exactly the writes of the one-thread
 * burn, in the same order: last-wins REPLACE, ADD's per-visit rounding and every tie come out
 * identical for any thread count. Threads take bands from a shared counter, so an uneven grid (land
 * in one corner) still keeps every thread busy. Browser-safe: SharedArrayBuffer and Atomics only.
 */

/** Everything a thread needs to burn bands; every array lives on a SharedArrayBuffer. */
export interface BandJob {
  shapes: ShapeSet;
  /** per shape: the rows it may write, a little wider than its vertices' rows (see shapeRows) */
  rowMin: Int32Array;
  rowMax: Int32Array;
  /** the whole grid, width * height pixels */
  data: TypedArray;
  width: number;
  height: number;
  dtype: DType;
  allTouched: boolean;
  merge: 'replace' | 'add';
  burnZ: boolean;
  /** a fresh grid's start value, already converted to dtype (each band fills its own rows); null keeps data as it is */
  init: Pixel | null;
  bandRows: number;
  bands: number;
  /** [next band to take, bands finished] */
  ctl: Int32Array;
}

// rows a shape may burn beyond floor(min y)..floor(max y) of its vertices: the ALL_TOUCHED walker's
// nudges and the half-pixel rules stay within one row; two is a safe margin (the window filter makes
// the result exact anyway, the range only decides which shapes a band looks at)
const MARGIN = 2;
// pixel coordinates this far out make GDAL's int conversions wrap: such a shape may reach any row
const FAR = 2 ** 30;

/** Per shape, the rows it can write: [rowMin, rowMax], the whole grid when a coordinate is NaN or huge. */
export function shapeRows(shapes: ShapeSet, height: number, alloc: (n: number) => Int32Array): { rowMin: Int32Array; rowMax: Int32Array } {
  const { count, partStart, vertexStart, y } = shapes;
  const rowMin = alloc(count);
  const rowMax = alloc(count);
  for (let s = 0; s < count; s++) {
    const v0 = vertexStart[partStart[s]];
    const v1 = vertexStart[partStart[s + 1]];
    let lo = Infinity;
    let hi = -Infinity;
    let wild = false;
    for (let v = v0; v < v1; v++) {
      const yy = y[v];
      if (!(yy > -FAR && yy < FAR)) { wild = true; break; }
      if (yy < lo) lo = yy;
      if (yy > hi) hi = yy;
    }
    if (wild) {
      rowMin[s] = 0;
      rowMax[s] = height - 1;
    } else if (v1 === v0) {
      // nothing to burn: a range no band meets
      rowMin[s] = 1;
      rowMax[s] = 0;
    } else {
      rowMin[s] = Math.floor(lo) - MARGIN;
      rowMax[s] = Math.floor(hi) + MARGIN;
    }
  }
  return { rowMin, rowMax };
}

/** A copy of `a` on a SharedArrayBuffer (threads then see the same memory, nothing is copied per thread). */
export function shared<T extends TypedArray>(a: T): T {
  const c = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  c.set(a as never);
  return c;
}

/** The ShapeSet with every array moved to shared memory. */
export function sharedShapes(s: ShapeSet): ShapeSet {
  return {
    count: s.count, kind: shared(s.kind), value: shared(s.value), partStart: shared(s.partStart),
    vertexStart: shared(s.vertexStart), x: shared(s.x), y: shared(s.y), z: s.z ? shared(s.z) : null,
    feature: shared(s.feature), ...(s.value64 ? { value64: shared(s.value64) } : {}),
  };
}

/** A zeroed grid of `pixels` values of `dtype` on a SharedArrayBuffer; a one-line error when memory is short. */
export function sharedGrid(dtype: DType, pixels: number): TypedArray {
  const Ctor = DTYPES[dtype].make(0).constructor as new (b: SharedArrayBuffer) => TypedArray;
  const bytes = pixels * DTYPES[dtype].bytes;
  let buffer: SharedArrayBuffer;
  try {
    buffer = new SharedArrayBuffer(bytes);
  } catch {
    throw new Error(`a ${dtype} grid of ${pixels} pixels (${(bytes / 2 ** 20).toFixed(0)} MiB) does not fit in memory`);
  }
  return new Ctor(buffer);
}

/** How many bands: a few per thread for balance, each at least a few rows tall. */
export function bandLayout(height: number, threads: number): { bandRows: number; bands: number } {
  const want = Math.max(1, Math.min(threads * 4, Math.ceil(height / 16)));
  const bandRows = Math.ceil(height / want);
  return { bandRows, bands: Math.ceil(height / bandRows) };
}

/**
 * Takes bands from job.ctl until none is left and burns each one; returns the pixel visits made.
 * `afterBand` runs after each band (progress, abort checks).
 */
export function burnBands(job: BandJob, afterBand?: () => void): number {
  const { shapes, rowMin, rowMax, data, width, height, dtype, ctl, bandRows, bands } = job;
  const only = new Int32Array(shapes.count);
  // shared memory starts zeroed: only another start value (or float -0) needs a fill
  const fill = job.init !== null && !samePixel(job.init, 0) && !samePixel(job.init, 0n) ? job.init : null;
  let visits = 0;
  for (;;) {
    const b = Atomics.add(ctl, 0, 1);
    if (b >= bands) break;
    const y0 = b * bandRows;
    const y1 = Math.min(height, y0 + bandRows);
    const band = data.subarray(y0 * width, y1 * width);
    if (fill !== null) fillPixels(band, fill);
    let n = 0;
    for (let s = 0; s < shapes.count; s++) if (rowMax[s] >= y0 && rowMin[s] < y1) only[n++] = s;
    if (n > 0) {
      const st = burnShapesCpu(shapes, { data: band, width, height, dtype, window: { y0, y1 } }, {
        allTouched: job.allTouched, merge: job.merge, burnZ: job.burnZ, only: only.subarray(0, n),
      });
      visits += st.pixelsVisited;
    }
    Atomics.add(ctl, 1, 1);
    afterBand?.();
  }
  return visits;
}

/**
 * Burns a small synthetic scene (quads and lines in every direction, a few bands) so that a fresh
 * thread's JIT has compiled the burn for this type and mode before the real bands arrive: on a
 * 10,000^2 grid a cold thread spends tens of ms interpreting the scanline code.
 */
export function warmUp(dtype: DType, allTouched: boolean, merge: 'replace' | 'add'): void {
  const n = 1500;
  const size = 256;
  const x = new Float64Array(n * 4);
  const y = new Float64Array(n * 4);
  const partStart = new Uint32Array(n + 1);
  const vertexStart = new Uint32Array(n + 1);
  const kind = new Uint8Array(n);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let s = 0; s < n; s++) {
    const cx = rnd() * size, cy = rnd() * size, r = 1 + rnd() * 12;
    for (let k = 0; k < 4; k++) {
      const a = (k / 4) * 2 * Math.PI + rnd();
      x[s * 4 + k] = cx + r * Math.cos(a);
      y[s * 4 + k] = cy + r * Math.sin(a);
    }
    partStart[s + 1] = s + 1;
    vertexStart[s + 1] = (s + 1) * 4;
    kind[s] = s % 10 === 0 ? 1 : 2;
  }
  const shapes: ShapeSet = {
    count: n, kind, value: new Float64Array(n).fill(1), partStart, vertexStart, x, y, z: null, feature: new Uint32Array(n),
  };
  const rows = shapeRows(shapes, size, (k) => new Int32Array(k));
  burnBands({
    shapes, ...rows, data: sharedGrid(dtype, size * size), width: size, height: size, dtype, allTouched, merge, burnZ: false,
    init: null, bandRows: 32, bands: size / 32, ctl: new Int32Array(new SharedArrayBuffer(8)),
  });
}
