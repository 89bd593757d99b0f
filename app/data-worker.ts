// The data worker: reads and parses the page's input, and keeps the parsed features for the whole
// session, so a 168 MB GeoJSON is parsed once, off the main thread, and never copied between
// threads. For each burn it hands out prepare()d features (typed arrays, transferred), and it makes
// the thinned lon/lat outlines the map draws.
import { prepare, preparedTransferables, type FeatureInput, type PreparedFeatures } from '../src/index.js';
import { loadCrs, makeTransformer } from '../src/crs.js';
import { describeGeoJSON, parseGeoJSON } from './inputs.js';
import { cornersLngLat } from './corners.js';
import { outlineGeoJSON, outlineLonLatGeoJSON } from './outline.js';
import type { ClampInfo, DataReply, DataRequest, DataSource, LoadedInfo } from './protocol.js';
import type { Grid } from '../src/index.js';
import { covers, isVectorUrl, numericFields, readVector, type VectorRead } from './vector-read.js';

const scope = self as unknown as {
  postMessage(message: DataReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<DataRequest>) => void): void;
};

/** the loaded features; replaced by each load */
let current: { features: FeatureInput; outlineUrl: string | null; vector?: VectorRead } | null = null;

// the values each integer type holds: burn values outside are clamped by GDAL (and by rasterize())
const RANGE: Record<string, [number, number]> = {
  uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
};

type Read = { name: string; text?: string; features?: FeatureInput; vector?: VectorRead };

async function readSource(id: number, source: DataSource, grid: Grid | undefined): Promise<Read> {
  const stage = (s: string): void => scope.postMessage({ type: 'stage', id, stage: s });
  switch (source.kind) {
    case 'vector': {
      const size = source.files.reduce((n, f) => n + f.size, 0);
      const name = source.files.find((f) => /\.shp$/i.test(f.name))?.name ?? source.files[0]?.name ?? 'files';
      stage(`reading ${name} (${(size / 2 ** 20).toFixed(1)} MiB)`);
      return { name, vector: await readVector(source.files, source.layer, grid, stage) };
    }
    case 'file':
      stage(`reading ${source.file.name} (${(source.file.size / 2 ** 20).toFixed(1)} MiB)`);
      return { name: source.file.name, text: await source.file.text() };
    case 'url': {
      stage(`downloading ${source.url}`);
      if (isVectorUrl(source.url)) {
        const name = decodeURIComponent(new URL(source.url, self.location.href).pathname.split('/').pop() || source.url);
        return { name, vector: await readVector(new URL(source.url, self.location.href).href, source.layer, grid, stage) };
      }
      let res: Response;
      try {
        res = await fetch(source.url);
      } catch (e) {
        throw new Error(`could not fetch ${source.url}: ${(e as Error).message}`);
      }
      if (!res.ok) throw new Error(`could not fetch ${source.url}: HTTP ${res.status}`);
      const name = decodeURIComponent(new URL(source.url, self.location.href).pathname.split('/').pop() || 'download.geojson');
      return { name, text: await res.text() };
    }
    case 'text':
      return { name: source.name, text: source.text };
    case 'features':
      return { name: source.name, features: source.features };
  }
}

function describe(read: Read): { features: FeatureInput; count: number; numericProperties: string[] } {
  if (read.vector) {
    const layer = read.vector.layer;
    return { features: layer as unknown as FeatureInput, count: layer.features.length, numericProperties: numericFields(layer) };
  }
  return read.text !== undefined ? parseGeoJSON(read.name, read.text) : describeGeoJSON(read.name, read.features);
}

async function load(id: number, source: DataSource, grid: Grid | undefined): Promise<LoadedInfo> {
  const read = await readSource(id, source, grid);
  if (read.text !== undefined) scope.postMessage({ type: 'stage', id, stage: `parsing ${read.name}` });
  const { features, count, numericProperties } = describe(read);
  scope.postMessage({ type: 'stage', id, stage: `outlining ${count.toLocaleString('en')} features` });
  if (current?.outlineUrl) URL.revokeObjectURL(current.outlineUrl);
  current = { features, outlineUrl: null, vector: read.vector };
  const info: LoadedInfo = { name: read.name, count, numericProperties, crs: featureCrs(features), bounds84: null, outlineUrl: null };
  if (read.vector) {
    info.layers = read.vector.layers;
    info.layer = read.vector.layer.name;
    if (read.vector.box) info.partial = true;
  }
  try {
    // plain lon/lat GeoJSON is thinned as it is; with a crs member, through the library's reprojection
    let outline = outlineLonLatGeoJSON(features);
    if (!outline) {
      await loadCrs(info.crs, 'OGC:CRS84');
      outline = outlineGeoJSON(prepare(features, { burn: 1, crs: 'OGC:CRS84' }).shapes);
    }
    info.bounds84 = outline.bounds;
    if (outline.json) info.outlineUrl = current.outlineUrl = URL.createObjectURL(new Blob([outline.json], { type: 'application/geo+json' }));
  } catch (e) {
    // a bad geometry is named by the burn itself; here it only costs the outlines
    info.outlineNote = `no outlines: ${(e as Error).message}`;
  }
  return info;
}

function extentOf(p: PreparedFeatures): [number, number, number, number] | null {
  const { x, y } = p.shapes;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  return x0 <= x1 ? [x0, y0, x1, y1] : null;
}

// features whose burn value the output type cannot hold (replace mode: with -add it is the sums that matter)
function clampedOf(p: PreparedFeatures, dtype: string | undefined): ClampInfo | null {
  const range = RANGE[dtype ?? 'uint16'];
  if (!range || p.options.merge === 'add') return null;
  const { value, feature } = p.shapes;
  const seen = new Set<number>();
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v >= range[0] && v <= range[1]) continue;
    if (v !== v) continue;
    seen.add(feature[i]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return seen.size ? { features: seen.size, min, max } : null;
}

/** The features' CRS: the GeoJSON's crs member, else CRS84 (as rasterize() reads them). */
function featureCrs(features: FeatureInput): string {
  const named = (features as { crs?: { properties?: { name?: unknown } } }).crs?.properties?.name;
  return typeof named === 'string' ? named : 'OGC:CRS84';
}

// a URL read only where an earlier grid lay is read again for a grid reaching beyond it
async function widen(id: number, grid: Grid): Promise<void> {
  const v = current?.vector;
  if (!current || !v || await covers(v, grid)) return;
  const stage = (s: string): void => scope.postMessage({ type: 'stage', id, stage: s });
  current.vector = await readVector(v.input, v.layer.name, grid, stage);
  current.features = current.vector.layer as unknown as FeatureInput;
}

function need(): FeatureInput {
  if (!current) throw new Error('no features loaded: pick or drop a file, or press "Use sample"');
  return current.features;
}

scope.addEventListener('message', async (e) => {
  const m = e.data;
  try {
    if (m.type === 'load') {
      scope.postMessage({ type: 'loaded', id: m.id, info: await load(m.id, m.source, m.grid) });
    } else if (m.type === 'prepare') {
      await widen(m.id, m.grid);
      // the CRS tables and proj4 load on demand; prepare() and the corners are synchronous
      await loadCrs(featureCrs(need()), m.grid.crs, 'OGC:CRS84');
      const prepared = prepare(need(), { ...m.shape, crs: m.grid.crs });
      const reply: DataReply = { type: 'prepared', id: m.id, prepared, extent: extentOf(prepared), clamped: clampedOf(prepared, m.dtype), corners84: cornersLngLat(m.grid) };
      scope.postMessage(reply, preparedTransferables(prepared));
    } else if (m.type === 'reprojects') {
      // (here rather than in the page: the first CRS lookup loads the EPSG table, which takes a while)
      const from = current ? featureCrs(current.features) : 'OGC:CRS84';
      await loadCrs(from, m.crs);
      scope.postMessage({ type: 'reprojects', id: m.id, crs: m.crs, reprojects: makeTransformer(from, m.crs) !== null });
    } else if (m.type === 'extent') {
      await loadCrs(featureCrs(need()), m.crs);
      scope.postMessage({ type: 'extent', id: m.id, extent: extentOf(prepare(need(), { burn: 1, crs: m.crs })) });
    }
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', id: m.id, name: error.name, message: error.message });
  }
});
