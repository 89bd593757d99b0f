// Coordinate reference systems: parse the spellings GIS users write, compare them as GDAL does
// for gdal_rasterize, and build proj4 transformers. Browser-safe.
//
// proj4 (~70 KB gzipped) and the EPSG table (~280 KB gzipped) load only when a CRS needs them:
// EPSG:4326, CRS84, EPSG:3857 and the WGS 84 UTM zones are built in, so a burn on those grids
// without reprojection evaluates neither. loadCrs() loads them through dynamic imports (a browser
// bundle splits them into chunks); the synchronous calls here use what is loaded, or a synchronous
// loader the Node entry installs (src/io/node-crs.ts), and otherwise say what to await.
import type proj4Type from 'proj4';

type Proj4 = typeof proj4Type;

/** A parsed CRS. Axis order is always the GIS-traditional one: x = easting/longitude, y = northing/latitude. */
export interface Crs {
  /** Canonical name to store on a Grid/Raster: 'EPSG:32633', 'OGC:CRS84', or the proj4/WKT text (trimmed). */
  id: string;
  /**
   * EPSG code when known. OGC:CRS84 reports 4326: with lon/lat order for both, GDAL treats GeoJSON's CRS84
   * and an EPSG:4326 raster as the same SRS, and writes 4326 to GeoTIFF for it.
   */
  epsg: number | null;
  /** Definition handed to proj4: a proj4 string or WKT. */
  definition: string;
  /** True for longitude/latitude CRSs (degrees). */
  geographic: boolean;
}

/** A proj4 projection object, as much of it as the comparisons read (kept off proj4's own types, which need DOM's). */
export type ProjObject = { projName?: string; forward(p: number[]): number[] } & Record<string, unknown>;

const CRS84: Crs = { id: 'OGC:CRS84', epsg: 4326, definition: '+proj=longlat +datum=WGS84 +no_defs', geographic: true };
// OGC's other two lon/lat CRSs, equal to these EPSG codes once axis order is GIS-traditional
const OGC_CODES: Record<string, number> = { CRS84: 4326, CRS83: 4269, CRS27: 4267 };

/** Synchronous loaders for proj4 and the EPSG table (Node: require); without them loadCrs() must run first. */
export interface CrsLoader {
  /** the proj4 function (typed loosely: proj4's declarations need DOM's and geotiff's types) */
  proj4(): unknown;
  table(): Array<[string, string]>;
}

let proj4Lib: Proj4 | null = null;
let epsgIndex: Map<number, string> | null = null;
let syncLoader: CrsLoader | null = null;

/** Lets the synchronous calls load proj4 and the EPSG table on first need (the Node entry's require). */
export function setCrsLoader(loader: CrsLoader | null): void {
  syncLoader = loader;
}

/** Whether proj4 / the EPSG table have been evaluated (for tests and start-up checks). */
export function crsModulesLoaded(): { proj4: boolean; table: boolean } {
  return { proj4: proj4Lib !== null, table: epsgIndex !== null };
}

/** Thrown by a synchronous call that needs proj4 or the EPSG table before either was loaded. */
export class CrsNotLoadedError extends Error {
  constructor(what: string, crs: string) {
    super(`${what} for CRS '${short(crs)}' is not loaded: await loadCrs(${JSON.stringify(short(crs))}) first (the browser build loads it on demand)`);
    this.name = 'CrsNotLoadedError';
  }
}

function indexTable(table: Array<[string, string]>): Map<number, string> {
  const m = new Map<number, string>();
  for (const [name, def] of table) m.set(Number(name.slice(5)), def);
  return m;
}

function tableSync(forCrs: string): Map<number, string> {
  if (!epsgIndex && syncLoader) epsgIndex = indexTable(syncLoader.table());
  if (!epsgIndex) throw new CrsNotLoadedError('the EPSG table', forCrs);
  return epsgIndex;
}

function proj4Sync(forCrs: string): Proj4 {
  if (!proj4Lib && syncLoader) proj4Lib = syncLoader.proj4() as Proj4;
  if (!proj4Lib) throw new CrsNotLoadedError('proj4', forCrs);
  return proj4Lib;
}

async function loadTable(): Promise<void> {
  if (epsgIndex) return;
  const mod = await import('proj4js-definitions');
  epsgIndex ??= indexTable((mod.default ?? mod) as Array<[string, string]>);
}

async function loadProj4(): Promise<void> {
  if (proj4Lib) return;
  const mod = await import('proj4');
  proj4Lib ??= ((mod as { default?: Proj4 }).default ?? mod) as Proj4;
}

// WGS 84 / UTM zone n north (326nn) and south (327nn), as the EPSG table spells them (a test holds them equal)
function builtinDefinition(code: number): string | undefined {
  if (code === 4326) return CRS84.definition;
  if (code === 3857) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0.0 +lon_0=0.0 +x_0=0.0 +y_0=0 +k=1.0 +units=m +nadgrids=@null +wktext  +no_defs';
  if (code === 4979) return CRS84.definition;
  const zone = code % 100;
  if ((code - zone === 32600 || code - zone === 32700) && zone >= 1 && zone <= 60) {
    return `+proj=utm +zone=${zone}${code >= 32700 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
  }
  return undefined;
}

/**
 * proj4 definition for an EPSG code, or undefined when the bundled table does not know it. Codes beyond the
 * built-in ones need the table: loaded by loadCrs(), or synchronously in Node.
 */
export function epsgDefinition(code: number): string | undefined {
  return builtinDefinition(code) ?? tableSync(`EPSG:${code}`).get(code);
}

// what parsing one CRS spelling needs beyond the built-ins
function needsOf(input: string): { table: boolean; proj4: boolean } {
  const s = input.trim();
  const code = epsgCodeOfSpelling(s);
  if (code !== null) return { table: builtinDefinition(code) === undefined, proj4: false };
  if (/^(?:urn:ogc:def:crs:OGC:[^:]*:|OGC:|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]+\/)?(CRS84|CRS83|CRS27)$/i.test(s)) return { table: !/CRS84$/i.test(s), proj4: false };
  if (/^WGS\s?84$/i.test(s)) return { table: false, proj4: false };
  if (/^[A-Z_0-9]+\s*[[(]/i.test(s)) {
    const auth = wktRootAuthority(s);
    return { table: !!auth && auth.name.toUpperCase() === 'EPSG', proj4: true };
  }
  return { table: false, proj4: true };
}

function epsgCodeOfSpelling(s: string): number | null {
  const m = /^EPSG:{1,2}(\d+)$/i.exec(s)
    ?? /^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$/i.exec(s)
    ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[^/]+\/(\d+)$/i.exec(s);
  return m ? Number(m[1]) : null;
}

/** Loads what parsing these CRSs needs (the EPSG table, proj4 for proj4 strings and WKT), not what reprojecting between them would. */
export async function loadCrsDefinitions(...crs: Array<string | Crs | null | undefined>): Promise<void> {
  let table = false, proj = false;
  for (const c of crs) {
    if (typeof c !== 'string') continue;
    const need = needsOf(c);
    table ||= need.table;
    proj ||= need.proj4;
  }
  await Promise.all([table ? loadTable() : null, proj ? loadProj4() : null]);
}

/**
 * Loads what these CRSs need: the EPSG table for codes other than EPSG:4326, EPSG:3857 and the WGS 84 UTM
 * zones, proj4 for proj4 strings and WKT, and proj4 again when two of them differ (reprojection). Needed
 * before the synchronous calls (flattenFeatures, prepare, toGeoTIFF) in a browser; rasterize() and
 * gridFromGeoTIFF() call it themselves.
 *
 * @example
 * await loadCrs('EPSG:2154', 'OGC:CRS84');
 * const prepared = prepare(parcels, { crs: 'EPSG:2154' });
 */
export async function loadCrs(...crs: Array<string | Crs | null | undefined>): Promise<void> {
  const given = crs.filter((c): c is string | Crs => c !== undefined && c !== null);
  await loadCrsDefinitions(...given);
  if (!proj4Lib && given.length > 1) {
    for (let i = 1; i < given.length; i++) {
      if (!sameCrs(given[0], given[i])) { await loadProj4(); break; }
    }
  }
}

const cache = new Map<string, Crs>();
const projs = new WeakMap<Crs, ProjObject>();

/**
 * Parses 'EPSG:4326', 'urn:ogc:def:crs:EPSG::32633', 'http://www.opengis.net/def/crs/EPSG/0/3857',
 * 'OGC:CRS84' / 'CRS84' / 'urn:ogc:def:crs:OGC:1.3:CRS84', a proj4 string, or WKT (WKT whose root carries an
 * EPSG authority is taken as that EPSG code). Throws a one-line error naming the input otherwise.
 */
export function parseCrs(input: string | Crs): Crs {
  if (typeof input !== 'string') return input;
  let crs = cache.get(input);
  if (!crs) {
    crs = parseUncached(input);
    if (cache.size > 256) cache.clear();
    cache.set(input, crs);
  }
  return crs;
}

function parseUncached(input: string): Crs {
  const s = input.trim();
  if (s === '') throw new Error('empty CRS string');
  const code = epsgCodeOfSpelling(s);
  if (code !== null) return fromEpsg(code, s);
  const m = /^(?:urn:ogc:def:crs:OGC:[^:]*:|OGC:|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]+\/)?(CRS84|CRS83|CRS27)$/i.exec(s);
  if (m) {
    const name = m[1].toUpperCase();
    return name === 'CRS84' ? CRS84 : fromEpsg(OGC_CODES[name], s);
  }
  if (/^WGS\s?84$/i.test(s)) return fromEpsg(4326, s);
  if (s.startsWith('+') || /(^|\s)\+?proj=/.test(s)) return fromDefinition(s, s, null);
  if (/^[A-Z_0-9]+\s*[[(]/i.test(s)) {
    const auth = wktRootAuthority(s);
    if (auth && auth.name.toUpperCase() === 'EPSG' && /^\d+$/.test(auth.code) && epsgDefinition(Number(auth.code))) {
      return fromEpsg(Number(auth.code), s);
    }
    return fromDefinition(s, s, null);
  }
  throw new Error(`unrecognized CRS '${short(s)}': expected EPSG:code, an OGC URN, CRS84, a proj4 string or WKT`);
}

// (4979, WGS 84 3D, is what GDAL gives GeoJSON with Z coordinates: the 2D table lacks it, and
// horizontally it is 4326; it is built in with it)
function fromEpsg(code: number, input: string): Crs {
  const def = epsgDefinition(code);
  if (!def) throw new Error(`unknown CRS code EPSG:${code} (from '${short(input)}')`);
  // the table's definitions are proj4 strings, so the kind shows without evaluating proj4
  return { id: `EPSG:${code}`, epsg: code, definition: def, geographic: /(^|\s)\+proj=(longlat|latlong|lonlat|latlon)(\s|$)/.test(def) };
}

function fromDefinition(definition: string, id: string, epsg: number | null): Crs {
  const proj4 = proj4Sync(id);
  let p: ProjObject;
  try {
    p = proj4.Proj(definition) as unknown as ProjObject;
  } catch (e) {
    throw new Error(`invalid CRS '${short(id)}': ${(e as Error).message ?? e}`);
  }
  if (!p || typeof p.forward !== 'function' || !p.projName) throw new Error(`invalid CRS '${short(id)}': proj4 could not read it`);
  const crs: Crs = { id, epsg, definition, geographic: p.projName === 'longlat' };
  projs.set(crs, p);
  return crs;
}

/** The proj4 projection object of a parsed CRS (needs proj4: loaded, or a synchronous loader). */
export function projOf(crs: Crs): ProjObject {
  let p = projs.get(crs);
  if (!p) {
    p = proj4Sync(crs.id).Proj(crs.definition) as unknown as ProjObject;
    projs.set(crs, p);
  }
  return p;
}

/** EPSG code of a CRS when known (CRS84 gives 4326), else null. */
export function epsgCode(crs: string | Crs | undefined | null): number | null {
  if (crs === undefined || crs === null) return null;
  return parseCrs(crs).epsg;
}

/**
 * Whether two CRSs are the same for reprojection purposes. Two EPSG codes compare by code (CRS84 = 4326);
 * otherwise the parsed projection, ellipsoid, datum shift and parameters are compared, so
 * '+proj=utm +zone=33 +datum=WGS84' equals EPSG:32633.
 */
export function sameCrs(a: string | Crs | undefined | null, b: string | Crs | undefined | null): boolean {
  if (a == null || b == null) return a == null && b == null;
  // the same spelling needs no definition: a code missing from the bundled table still matches itself
  if (typeof a === 'string' && typeof b === 'string' && a.trim().toUpperCase() === b.trim().toUpperCase()) return true;
  const ca = parseCrs(a), cb = parseCrs(b);
  if (ca === cb) return true;
  if (ca.epsg !== null && cb.epsg !== null) return ca.epsg === cb.epsg;
  return sameParameters(projOf(ca), projOf(cb));
}

export type Transformer = (x: number, y: number) => [number, number];

/**
 * A point transformer from one CRS to another, or null when no reprojection is needed: the same CRS, or one
 * side without a CRS (GDAL then warns and burns the coordinates as given). A point proj4 cannot transform
 * comes back as [NaN, NaN] so the caller can drop the feature as GDAL does.
 */
export function makeTransformer(from: string | Crs | undefined | null, to: string | Crs | undefined | null): Transformer | null {
  if (from == null || to == null || sameCrs(from, to)) return null;
  const a = parseCrs(from), b = parseCrs(to);
  type Projection = Parameters<Proj4>[0];
  const conv = proj4Sync(a.id)(projOf(a) as unknown as Projection, projOf(b) as unknown as Projection);
  return (x, y) => {
    try {
      const r = conv.forward([x, y]);
      return [r[0], r[1]];
    } catch {
      return [NaN, NaN];
    }
  };
}

// the numbers that define a parsed proj4 CRS, in proj4's internal units (radians, metres)
const PARAMS: Array<[string, number]> = [
  ['lat0', 0], ['long0', 0], ['lat_ts', 0], ['k0', 1], ['x0', 0], ['y0', 0], ['from_greenwich', 0],
];
// set only where they are parameters (lcc, aea, omerc, ...), or mirror others after init (WKT laea sets longc)
const OPTIONAL_PARAMS = ['lat1', 'lat2', 'alpha', 'longc', 'gamma'];

function family(p: ProjObject): string {
  const names = (p.names as string[] | undefined) ?? [String(p.projName)];
  // proj4 implements UTM and tmerc with one algorithm (etmerc); GDAL sees UTM zone n as TM with its parameters
  if (names.some((n) => n === 'utm' || n === 'etmerc' || n === 'tmerc')) return 'tmerc';
  return names[names.length - 1].toLowerCase();
}

function close(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-10 * Math.max(1, Math.abs(x), Math.abs(y));
}

function num(p: ProjObject, key: string, dflt: number): number {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function sameParameters(p: ProjObject, q: ProjObject): boolean {
  if (family(p) !== family(q)) return false;
  if ((p.axis ?? 'enu') !== (q.axis ?? 'enu')) return false;
  for (const [key, dflt] of PARAMS) if (!close(num(p, key, dflt), num(q, key, dflt))) return false;
  // proj4's own ellipsoid table rounds some axes to the millimetre (airy's b), where EPSG/PROJ give 1/f
  for (const key of ['a', 'b']) if (Math.abs(num(p, key, 0) - num(q, key, 0)) > 1e-9 * Math.abs(num(p, key, 1))) return false;
  for (const key of OPTIONAL_PARAMS) {
    if (typeof p[key] === 'number' && typeof q[key] === 'number' && !close(p[key] as number, q[key] as number)) return false;
  }
  // a geographic CRS parsed from WKT carries the degree's length in to_meter; only projected units matter
  if (p.projName !== 'longlat' && !close(num(p, 'to_meter', 1), num(q, 'to_meter', 1))) return false;
  const dp = p.datum as { datum_type: number; datum_params?: number[]; nadgrids?: unknown } | undefined;
  const dq = q.datum as { datum_type: number; datum_params?: number[]; nadgrids?: unknown } | undefined;
  if (!dp || !dq) return dp === dq;
  if (dp.datum_type !== dq.datum_type) return false;
  if (dp.datum_type === 1 || dp.datum_type === 2) {
    const ap = dp.datum_params ?? [], aq = dq.datum_params ?? [];
    if (ap.length !== aq.length || ap.some((v, i) => !close(v, aq[i]))) return false;
  }
  if (dp.datum_type === 3 && String(p.nadgrids) !== String(q.nadgrids)) return false;
  return true;
}

/** The AUTHORITY[...] or ID[...] that is a direct child of a WKT's root node, if any. */
export function wktRootAuthority(wkt: string): { name: string; code: string } | null {
  let depth = 0, inStr = false, found: { name: string; code: string } | null = null;
  let nodeStart = -1, nodeName = '';
  for (let i = 0; i < wkt.length; i++) {
    const c = wkt[i];
    if (inStr) {
      if (c === '"') {
        if (wkt[i + 1] === '"') i++;
        else inStr = false;
      }
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '[' || c === '(') {
      if (depth === 1) {
        const m = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(wkt.slice(Math.max(0, i - 40), i));
        nodeName = m ? m[1].toUpperCase() : '';
        nodeStart = i + 1;
      }
      depth++;
    } else if (c === ']' || c === ')') {
      depth--;
      if (depth === 1 && (nodeName === 'AUTHORITY' || nodeName === 'ID')) {
        const parts = wkt.slice(nodeStart, i).split(',').map((t) => t.trim().replace(/^"|"$/g, ''));
        if (parts.length >= 2) found = { name: parts[0], code: parts[1] };
      }
    }
  }
  return found;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}
