// Messages between the page and its two workers. Everything here survives structured cloning; large
// things (prepared features, a raster's pixels, a zip of chips) are transferred, never copied:
//
//   data worker (app/data-worker.ts): reads and parses the input, keeps the features, and hands out
//     prepared features (prepare()) for each burn, so the parsed GeoJSON never crosses a thread.
//   burn worker (app/worker.ts): burns prepared features on the CPU or with WebGPU (navigator.gpu is there
//     in a dedicated worker too), summarizes the result, cuts chips; the page terminates it to cancel (the
//     CPU engine and the GPU fill's planning are synchronous and cannot see a message).
import type { FeatureInput, Grid, PreparedFeatures, RasterizeOptions, RasterResult } from '../src/index.js';
import type { RasterSummary } from './summary.js';

/** The options a worker burn takes: what rasterize() takes, minus what cannot cross a thread boundary. */
export type WorkerBurnOptions = Omit<RasterizeOptions, 'signal' | 'onProgress' | 'into' | 'backend'>;

/** Where the data worker reads an input from. */
export type DataSource =
  | { kind: 'file'; file: File }
  /** a vector file of any format the library reads, or a Shapefile's parts together; `layer` picks a GeoPackage table */
  | { kind: 'vector'; files: File[]; layer?: string }
  | { kind: 'url'; url: string; layer?: string }
  | { kind: 'text'; name: string; text: string }
  /** already parsed GeoJSON (readers of other formats hand their features over like this) */
  | { kind: 'features'; name: string; features: FeatureInput };

/** What the page needs to know about loaded features (the features themselves stay in the data worker). */
export interface LoadedInfo {
  name: string;
  count: number;
  /** properties holding a number in at least one feature, in first-seen order: the attribute choices */
  numericProperties: string[];
  /** the features' CRS: the GeoJSON's crs member, else CRS84 */
  crs: string;
  /** lon/lat extent of the features, null when there are none or they cannot be placed on the globe */
  bounds84: [number, number, number, number] | null;
  /** a blob: URL of the features' outlines in lon/lat (GeoJSON, thinned for display), or null */
  outlineUrl: string | null;
  /** why there are no outlines, when there are none */
  outlineNote?: string;
  /** the file's layers (several only for a GeoPackage or a zip of shapefiles) and the one loaded */
  layers?: string[];
  layer?: string;
  /** true when only the features meeting the grid were read (a FlatGeobuf or GeoParquet URL) */
  partial?: boolean;
}

/** Settings of a burn that shape the prepared features (prepare() refuses to burn others). */
export interface ShapeSettings {
  attribute?: string;
  burn?: number;
  merge: 'replace' | 'add';
}

/** Burn values the output type cannot hold: GDAL clamps them to the type's range. */
export interface ClampInfo {
  features: number;
  min: number;
  max: number;
}

export type DataRequest =
  /** `grid`, when known, lets a FlatGeobuf or GeoParquet URL be read only where the grid lies */
  | { type: 'load'; id: number; source: DataSource; grid?: Grid }
  /** prepared features for a burn onto `grid`, with the grid's corners in lon/lat for the map */
  | { type: 'prepare'; id: number; shape: ShapeSettings; grid: Grid; dtype: RasterizeOptions['dtype'] }
  | { type: 'extent'; id: number; crs: string | undefined }
  /** whether burning onto a grid in `crs` reprojects the loaded features */
  | { type: 'reprojects'; id: number; crs: string };

export type DataReply =
  | { type: 'stage'; id: number; stage: string }
  | { type: 'loaded'; id: number; info: LoadedInfo }
  | { type: 'prepared'; id: number; prepared: PreparedFeatures; extent: [number, number, number, number] | null; clamped: ClampInfo | null; corners84: [number, number][] | null }
  | { type: 'extent'; id: number; extent: [number, number, number, number] | null }
  | { type: 'reprojects'; id: number; crs: string; reprojects: boolean }
  | { type: 'error'; id: number; name: string; message: string };

/** Cutting a grid into chips for a training set. */
export interface ChipSettings {
  /** chip width and height in pixels */
  size: number;
  /** leave out chips where nothing burned */
  onlyWithFeatures: boolean;
  format: 'tif' | 'npy';
  backend: 'cpu' | 'webgpu';
  /** file names inside the zip start with this */
  baseName: string;
}

export type BurnRequest =
  | { type: 'burn'; id: number; features: PreparedFeatures; grid: Grid; options: WorkerBurnOptions; backend: 'cpu' | 'webgpu' }
  | { type: 'chips'; id: number; features: PreparedFeatures; grid: Grid; options: WorkerBurnOptions; chips: ChipSettings };

export type BurnReply =
  /** `stage` is the engine's own word for the step it is on (the GPU fill's tiles and read-back), when it gives one */
  | { type: 'progress'; id: number; fraction: number; done: number; total: number; stage?: string }
  | { type: 'done'; id: number; raster: RasterResult; ms: number; summary: RasterSummary }
  | { type: 'chips'; id: number; zip: ArrayBuffer; written: number; skipped: number; ms: number; backend: 'cpu' | 'webgpu'; fallbackReason?: string }
  | { type: 'error'; id: number; name: string; message: string };
