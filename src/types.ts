/** Output pixel types, named as numpy/rasterio spell them. */
export type DType = 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'int64' | 'uint64';

/** The 64-bit integer types, whose pixels are BigInts. */
export type BigDType = 'int64' | 'uint64';

/** Arrays of the number types. */
export type NumberArray =
  | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** Arrays of the 64-bit integer types. */
export type BigArray = BigInt64Array | BigUint64Array;

export type TypedArray = NumberArray | BigArray;

/** The array each dtype comes in: `rasterize(f, grid, { dtype: 'float32' })` gives a `Float32Array`. */
export interface DTypeArrays {
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
}

/** Affine geotransform in GDAL order: [originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight]. */
export type GeoTransform = [number, number, number, number, number, number];

/** The raster grid features are burned onto. */
export interface Grid {
  width: number;
  height: number;
  transform: GeoTransform;
  /** CRS of the grid: 'EPSG:xxxx', a proj4 string or WKT; undefined when unknown. */
  crs?: string;
}

/** A burned band in memory, row-major, row 0 at the top (the transform's origin); `data`'s type follows `dtype`. */
export interface Raster<D extends DType = DType> {
  data: DTypeArrays[D];
  width: number;
  height: number;
  transform: GeoTransform;
  crs: string | undefined;
  nodata: number | null;
  dtype: D;
}

export type Backend = 'cpu' | 'webgpu' | 'auto';

/**
 * A WebGPU `GPUDevice`. Spelled structurally so that the public types compile with or without
 * WebGPU's type declarations (`@webgpu/types`, or TypeScript's own DOM ones): any GPUDevice fits.
 */
export interface WebGPUDevice {
  readonly queue: object;
  readonly limits: object;
  createBuffer(descriptor: never): object;
  destroy(): void;
}

export interface ProgressInfo {
  /** 0..1 */
  fraction: number;
  /** features (shapes) burned so far */
  done: number;
  total: number;
  /** what the engine is doing, where it says (the GPU fill: "planning spans", "tile 3 of 8 on the GPU", "tile 3 of 8 read back") */
  stage?: string;
}

/** rasterize()'s options; `D`, the output type, is inferred from `dtype` (default 'uint16'). */
export interface RasterizeOptions<D extends DType = DType> {
  /** Constant burn value (default 1 when neither burn nor attribute nor burnZ is given). */
  burn?: number;
  /** Property whose numeric value is burned (GDAL's -a). Strings are parsed like C's atof; null/missing burn 0. */
  attribute?: string;
  /** Add each vertex's Z to the burn value (GDAL's -3d / BURN_VALUE_FROM=Z). */
  burnZ?: boolean;
  /** Output type; default 'uint16'. */
  dtype?: D;
  /** Burn every pixel a geometry touches (GDAL's -at / ALL_TOUCHED). */
  allTouched?: boolean;
  /** 'replace' (default, later features win) or 'add' (GDAL's -add / MERGE_ALG=ADD). */
  merge?: 'replace' | 'add';
  /** Initial value of every pixel (GDAL's -init); default nodata if set, else 0. */
  init?: number;
  /** Nodata value recorded on the result (GDAL's -a_nodata). */
  nodata?: number | null;
  /** Burn the inverse: everything outside the polygons (GDAL's -i). */
  invert?: boolean;
  /** CRS of the features when not given by the GeoJSON itself; default the GeoJSON's `crs` member, else CRS84. */
  featureCrs?: string;
  /** Burn into this existing array (same width*height and dtype) instead of a fresh one. */
  into?: DTypeArrays[D];
  /** 'cpu' (default), 'webgpu', or 'auto' (WebGPU on a hardware adapter; the CPU when there is none or it is software). */
  backend?: Backend;
  /** WebGPU fill strategy: 'spans' (exact, GDAL's crossings from the CPU) or 'triangles' (earcut). */
  gpuFill?: 'spans' | 'triangles';
  /**
   * On WebGPU, let the result's `data` be a view of the GPU's readback instead of a copy of it (when one
   * readback holds the whole raster: a single tile, no `into`). Saves the copy of the whole raster on
   * the host; the result then has `release()`, which ends the view (`data` empties) and gives the
   * readback back (to the rasterizer's pool for its next burn, or frees it). Until then the readback
   * stays held; the device's loss or destruction also empties the view, and a view cannot be
   * transferred to another thread. Ignored by rasterizeBatch (units are copied apart) and the CPU.
   * @example
   * const r = await rasterize(fc, grid, { backend: 'webgpu', gpuView: true });
   * const sum = r.data.reduce((a, b) => a + b, 0);
   * r.release?.(); // r.data is empty from here on
   */
  gpuView?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /**
   * A geometry GDAL's GeoJSON reader cannot read whole (a string coordinate, a position with one number, an
   * unknown type) is an error. By default the feature is skipped, or its bad part dropped, as GDAL does,
   * with one line in `stats.warnings`.
   */
  strict?: boolean;
  /**
   * OGR SQL WHERE clause over the features' properties (GDAL's -where): only the features it accepts burn.
   * @example rasterize(parcels, grid, { attribute: 'zone', where: "landuse IN ('forest', 'park') AND area > 500" })
   */
  where?: string;
}
