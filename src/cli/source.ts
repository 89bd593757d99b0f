// The CLI's source: GeoJSON documents go the GeoJSON way (main's reader); every other format, standard
// input ('-', /vsistdin/) and /vsizip/ through the reader layer, with the layers -l names read in order
// (gdal_rasterize burns each -l in command order; without -l the source must have one layer).
import type { FeatureLayer, FieldInfo, VectorSource } from '../formats/layer.js';
import type { CliArgs } from './args.js';
import type { ReadWindow } from './read-window.js';
import { liftoffForSqlite } from './wasm-tiering.js';

// the reader layer and its libraries (shapefile, fflate, sql.js) only for a source that is not a GeoJSON
// file by its name: a .geojson run, the common one, reads and parses its bytes without loading them
const readers = async () => {
  const [open, seq, node] = await Promise.all([import('../formats/open.js'), import('../formats/geojsonseq.js'), import('../io/node-vector.js')]);
  return { openVectorBytes: open.openVectorBytes, isSequence: seq.isSequence, openVectorPath: node.openVectorPath, readStdin: node.readStdin };
};

export type SourceRead =
  /** a GeoJSON document: main parses these bytes as before */
  | { kind: 'geojson'; bytes: Uint8Array | null }
  /** another format: the features to burn (the -l layers one after another) and how many times */
  | { kind: 'layers'; source: FeatureLayer; passes: number };

const GEOJSON_EXT = /\.(geo)?json$/i;

function startsLikeJsonDocument(b: Uint8Array, isSequence: (b: Uint8Array) => boolean): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0d || b[i] === 0x0a)) i++;
  return b[i] === 0x7b && !isSequence(b);
}

/** Opens the source named on the command line; GeoJSON documents are left to main (bytes already read, or null). */
export async function readSource(args: Pick<CliArgs, 'src' | 'layers' | 'invert' | 'srs' | 'te' | 'tr' | 'ts' | 'srcCrs' | 'attribute' | 'where' | 'sql'>, readFile: (path: string) => Uint8Array): Promise<SourceRead> {
  const src = args.src;
  if (GEOJSON_EXT.test(src) && !/^\/vsizip\//i.test(src)) return { kind: 'geojson', bytes: null };
  const { openVectorBytes, isSequence, openVectorPath, readStdin } = await readers();
  let opened: VectorSource;
  if (src === '-' || /^\/vsistdin\/?$/.test(src)) {
    const bytes = await readStdin();
    if (startsLikeJsonDocument(bytes, isSequence)) return { kind: 'geojson', bytes };
    liftoffForSqlite(bytes);
    opened = await openVectorBytes(bytes, 'stdin');
  } else if (/\.shp$/i.test(src) || /^\/vsizip\//i.test(src)) {
    opened = await openVectorPath(src);
  } else {
    const bytes = readFile(src);
    if (startsLikeJsonDocument(bytes, isSequence)) return { kind: 'geojson', bytes };
    liftoffForSqlite(bytes);
    opened = await openVectorBytes(bytes, src);
  }
  try {
    // the window (and the where-clause compiler it takes its field names from) only for a layered format:
    // a GeoJSON run, the most common, never loads them
    const { readWindow } = await import('./read-window.js');
    const window = readWindow(args);
    // GDAL's GeoPackage driver filters in SQLite: -where (or -sql's WHERE) goes with the table's query
    if (opened.format === 'geopackage') {
      const sel = args.sql !== undefined ? (await import('../where/sql.js')).parseSelect(args.sql) : undefined;
      const clause = sel ? sel.where : args.where;
      if (clause !== undefined) window.sqlWhere = clause;
      if (sel?.tail !== undefined) window.sqlTail = sel.tail;
    }
    return { kind: 'layers', ...await selectLayers(opened, args, window) };
  } finally {
    opened.close?.();
  }
}

async function selectLayers(opened: VectorSource, args: Pick<CliArgs, 'layers' | 'invert' | 'srs'>, window: ReadWindow): Promise<{ source: FeatureLayer; passes: number }> {
  const names = opened.layerNames();
  let wanted = args.layers;
  if (wanted.length === 0) {
    if (names.length !== 1) throw new Error(`Neither -sql nor -l are specified, but ${opened.name} has ${names.length} layers (${names.map((n) => `"${n}"`).join(', ')}): choose with -l`);
    wanted = [names[0]];
  }
  const cache = new Map<string, FeatureLayer>();
  const list: FeatureLayer[] = [];
  for (const w of wanted) {
    const key = w.toLowerCase();
    let layer = cache.get(key);
    if (!layer) {
      layer = await opened.read(w, window);
      cache.set(key, layer);
    }
    list.push(layer);
  }
  if (cache.size === 1) return { source: list[0], passes: list.length };
  // several layers: burned as one sequence of features, in -l order
  if (args.invert) throw new Error(`-i with several layers (${wanted.join(', ')}) is not supported: GDAL inverts each layer on its own; run once per layer`);
  const srs = (l: FeatureLayer): string | undefined => l.crs?.properties.name;
  if (args.srs === undefined && list.some((l) => srs(l) !== srs(list[0]))) {
    throw new Error(`layers ${wanted.join(', ')} have different SRSs (${[...new Set(list.map((l) => srs(l) ?? 'none'))].join(' / ')}): burning them together is not supported; run once per layer`);
  }
  const fields: FieldInfo[] = [];
  for (const l of list) for (const f of l.fields) if (!fields.some((g) => g.name === f.name)) fields.push(f);
  const source: FeatureLayer = {
    type: 'FeatureCollection', name: list[0].name, format: list[0].format, fields,
    features: list.flatMap((l) => l.features), featuresRead: list.reduce((n, l) => n + l.featuresRead, 0),
  };
  if (list[0].crs) source.crs = list[0].crs;
  // the union of the layers' extents, as gdal_rasterize takes it; computed from the features when one records none
  if (list.every((l) => l.extent)) {
    const e = list.map((l) => l.extent as [number, number, number, number]);
    source.extent = [Math.min(...e.map((b) => b[0])), Math.min(...e.map((b) => b[1])), Math.max(...e.map((b) => b[2])), Math.max(...e.map((b) => b[3]))];
  }
  return { source, passes: 1 };
}
