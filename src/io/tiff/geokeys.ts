// GeoTIFF 1.0 GeoKeys: their ids, and the GeoKeyDirectory with its GeoDoubleParams and GeoAsciiParams
// encoded and decoded. What the keys mean (CRS <-> keys) lives in geokeys-from-crs.ts and
// crs-from-geokeys.ts. Browser-safe.
import { TAGS } from './tags.js';

/** GeoKey ids, by their GeoTIFF 1.0 names. */
export const GK = {
  GTModelType: 1024, GTRasterType: 1025, GTCitation: 1026,
  GeographicType: 2048, GeogCitation: 2049, GeogGeodeticDatum: 2050, GeogAngularUnits: 2054,
  GeogEllipsoid: 2056, GeogSemiMajorAxis: 2057, GeogSemiMinorAxis: 2058, GeogInvFlattening: 2059,
  GeogPrimeMeridianLong: 2061, GeogTOWGS84: 2062,
  ProjectedCSType: 3072, PCSCitation: 3073, Projection: 3074, ProjCoordTrans: 3075, ProjLinearUnits: 3076, ProjLinearUnitSize: 3077,
  ProjStdParallel1: 3078, ProjStdParallel2: 3079, ProjNatOriginLong: 3080, ProjNatOriginLat: 3081,
  ProjFalseEasting: 3082, ProjFalseNorthing: 3083, ProjFalseOriginLong: 3084, ProjFalseOriginLat: 3085,
  ProjFalseOriginEasting: 3086, ProjFalseOriginNorthing: 3087, ProjCenterLong: 3088, ProjCenterLat: 3089,
  ProjCenterEasting: 3090, ProjCenterNorthing: 3091, ProjScaleAtNatOrigin: 3092, ProjScaleAtCenter: 3093,
  ProjStraightVertPoleLong: 3095, VerticalCSType: 4096,
} as const;

/** The key value that says the CRS (or its part) is described by further keys. */
export const USER_DEFINED = 32767;

export type GeoKeyValue = number | number[] | string;
/** One key to write; `double` stores a single number in GeoDoubleParams (else a SHORT in the directory). */
export interface GeoKey { id: number; value: GeoKeyValue; double?: boolean }

/** Keys read from a file: id -> value. */
export type GeoKeys = Map<number, number | string | number[]>;

/** The GeoKeyDirectory (version 1.1.0, keys sorted by id) and its double and ASCII parameters. */
export function encodeGeoKeys(keys: GeoKey[]): { directory: number[]; doubles: number[]; ascii: string } {
  const sorted = [...keys].sort((a, b) => a.id - b.id);
  const directory = [1, 1, 0, sorted.length];
  const doubles: number[] = [];
  let ascii = '';
  for (const k of sorted) {
    if (typeof k.value === 'string') {
      const s = `${k.value}|`;
      directory.push(k.id, TAGS.GeoAsciiParams.code, s.length, ascii.length);
      ascii += s;
    } else if (k.double || Array.isArray(k.value)) {
      const vs = Array.isArray(k.value) ? k.value : [k.value];
      directory.push(k.id, TAGS.GeoDoubleParams.code, vs.length, doubles.length);
      doubles.push(...vs);
    } else {
      directory.push(k.id, 0, 1, k.value);
    }
  }
  return { directory, doubles, ascii };
}

/** The keys of a GeoKeyDirectory; `name` names the file in errors. */
export function decodeGeoKeys(dir: number[] | null, doubles: number[] | null, ascii: string, name: string): GeoKeys {
  const keys: GeoKeys = new Map();
  if (!dir || dir.length < 4) return keys;
  const count = dir[3];
  for (let i = 0; i < count; i++) {
    const o = 4 + i * 4;
    if (o + 3 >= dir.length) throw new Error(`${name}: GeoKeyDirectory is truncated (${count} keys declared)`);
    const [id, location, n, offset] = [dir[o], dir[o + 1], dir[o + 2], dir[o + 3]];
    if (location === 0) keys.set(id, offset);
    else if (location === TAGS.GeoDoubleParams.code && doubles) {
      const v = doubles.slice(offset, offset + n);
      keys.set(id, n === 1 ? v[0] : v);
    } else if (location === TAGS.GeoAsciiParams.code) {
      // strings end with '|' in GeoAsciiParams
      keys.set(id, ascii.substring(offset, offset + n).replace(/[|\0]+$/, ''));
    } else if (location === TAGS.GeoKeyDirectory.code) {
      const v = dir.slice(offset, offset + n);
      keys.set(id, n === 1 ? v[0] : v);
    }
  }
  return keys;
}
