// Coordinate reference systems: parse the spellings GIS users write, compare them as GDAL does
// for gdal_rasterize, and build proj4 transformers. Browser-safe.
import proj4 from 'proj4';
import epsgTable from 'proj4js-definitions';

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

type ProjObject = ReturnType<typeof proj4.Proj> & Record<string, unknown>;

const CRS84: Crs = { id: 'OGC:CRS84', epsg: 4326, definition: '+proj=longlat +datum=WGS84 +no_defs', geographic: true };
// OGC's other two lon/lat CRSs, equal to these EPSG codes once axis order is GIS-traditional
const OGC_CODES: Record<string, number> = { CRS84: 4326, CRS83: 4269, CRS27: 4267 };

let epsgIndex: Map<number, string> | null = null;

/** proj4 definition for an EPSG code, or undefined when the bundled table does not know it. */
export function epsgDefinition(code: number): string | undefined {
  if (!epsgIndex) {
    epsgIndex = new Map();
    for (const [name, def] of epsgTable) epsgIndex.set(Number(name.slice(5)), def);
  }
  return epsgIndex.get(code);
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
  let m = /^EPSG:{1,2}(\d+)$/i.exec(s)
    ?? /^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$/i.exec(s)
    ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[^/]+\/(\d+)$/i.exec(s);
  if (m) return fromEpsg(Number(m[1]), s);
  m = /^(?:urn:ogc:def:crs:OGC:[^:]*:|OGC:|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]+\/)?(CRS84|CRS83|CRS27)$/i.exec(s);
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

// 3D geographic CRSs the 2D table lacks; horizontally they are their 2D base (4979 is what GDAL
// gives GeoJSON with Z coordinates)
const GEOGRAPHIC_3D: Record<number, string> = { 4979: '+proj=longlat +datum=WGS84 +no_defs' };

function fromEpsg(code: number, input: string): Crs {
  const def = epsgDefinition(code) ?? GEOGRAPHIC_3D[code];
  if (!def) throw new Error(`unknown CRS code EPSG:${code} (from '${short(input)}')`);
  return fromDefinition(def, `EPSG:${code}`, code);
}

function fromDefinition(definition: string, id: string, epsg: number | null): Crs {
  let p: ProjObject;
  try {
    p = proj4.Proj(definition) as ProjObject;
  } catch (e) {
    throw new Error(`invalid CRS '${short(id)}': ${(e as Error).message ?? e}`);
  }
  if (!p || typeof p.forward !== 'function' || !p.projName) throw new Error(`invalid CRS '${short(id)}': proj4 could not read it`);
  const crs: Crs = { id, epsg, definition, geographic: p.projName === 'longlat' };
  projs.set(crs, p);
  return crs;
}

function projOf(crs: Crs): ProjObject {
  let p = projs.get(crs);
  if (!p) {
    p = proj4.Proj(crs.definition) as ProjObject;
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
  const conv = proj4(projOf(parseCrs(from)), projOf(parseCrs(to)));
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
