// GeoKeys -> CRS, the CRS GDAL 3.6 reports for a GeoTIFF: 'EPSG:xxxx' when the keys name a code, else a proj4
// string built from the user-defined keys (libgeotiff's fallbacks between key families). Browser-safe.
import { globals } from 'geotiff';
import { epsgDefinition, loadCrs, parseCrs } from '../../crs.js';
import { GK, USER_DEFINED, type GeoKeys } from './geokeys.js';

/** The CRS GDAL would report: the EPSG code of the model's CRS key, else a proj4 string from the user-defined keys; `name` names the file in errors. */
export async function crsFromKeys(keys: GeoKeys, name: string): Promise<string | undefined> {
  const model = keys.get(GK.GTModelType);
  const pcs = keys.get(GK.ProjectedCSType);
  const gcs = keys.get(GK.GeographicType);
  const isCode = (v: unknown): v is number => typeof v === 'number' && v > 0 && v !== USER_DEFINED;
  // the EPSG table and proj4 load here, before the synchronous steps below need them
  await loadCrs(...[pcs, gcs].filter(isCode).map((c) => `EPSG:${c}`));
  if (isCode(pcs) && (model === 1 || model === undefined)) return epsgId(pcs, name);
  if (isCode(gcs) && (model === 2 || model === undefined)) return epsgId(gcs, name);
  if (model === undefined && pcs === undefined && gcs === undefined) return undefined;
  if (model !== 1 && model !== 2) {
    // GDAL writes CRSs that GeoTIFF keys cannot express (e.g. a proj4 Web Mercator) as an ESRI WKT citation
    const esri = [keys.get(GK.PCSCitation), keys.get(GK.GTCitation)].find((c) => typeof c === 'string' && c.startsWith('ESRI PE String = '));
    if (typeof esri === 'string') {
      const wkt = esri.slice('ESRI PE String = '.length);
      if (/Mercator_Auxiliary_Sphere/i.test(wkt)) return 'EPSG:3857';
      await loadCrs(wkt);
      return parseCrs(wkt).id;
    }
    throw new Error(`${name}: GeoTIFF model type ${String(model)} (geocentric or user-defined) is not supported`);
  }
  return userDefinedProj4(keys, name);
}

function epsgId(code: number, name: string): string {
  if (!epsgDefinition(code)) throw new Error(`${name}: unknown CRS code EPSG:${code} in the GeoTIFF keys`);
  return `EPSG:${code}`;
}

async function userDefinedProj4(keys: GeoKeys, name: string): Promise<string> {
  // loaded on demand: the key tables are large and most files name an EPSG code
  const mod = await import('geotiff-geokeys-to-proj4');
  const toProj4 = mod.toProj4 ?? (mod.default as { toProj4: typeof mod.toProj4 }).toProj4;
  const named: Record<string, unknown> = {};
  const names = globals.geoKeyNames as Record<number, string>;
  for (const [id, v] of keys) if (names[id]) named[names[id]] = v;
  const res = toProj4(named as unknown as Parameters<typeof toProj4>[0]);
  const errs = Object.entries(res.errors ?? {}).filter(([k]) => k !== 'bothGCSAndPCSAreSet');
  if (errs.length > 0) {
    throw new Error(`${name}: cannot build a CRS from the GeoTIFF keys (${errs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
  }
  // keep the library's datum and ellipsoid tokens; the projection is rebuilt below where its mapping is known
  // to be off (it reads polar stereographic's NatOriginLat as lat_0, and drops lcc 1SP's lat_1)
  const tokens = res.proj4.split(/\s+/).filter((t) => t !== '' && !/^\+(axis|no_defs)\b/.test(t));
  const own = res.isGCS ? null : projectionTokens(keys);
  let kept = tokens;
  if (own) {
    // a projection on an EPSG geographic CRS: its datum (with the TOWGS84 the library leaves out) from the EPSG table
    const gcs = keys.get(GK.GeographicType);
    const gcsDef = typeof gcs === 'number' && gcs !== USER_DEFINED ? epsgDefinition(gcs) : undefined;
    kept = (gcsDef ? gcsDef.split(/\s+/) : tokens)
      .filter((t) => t !== '' && !/^\+(proj|lat_0|lon_0|lat_1|lat_2|lat_ts|k|k_0|x_0|y_0|alpha|gamma|lonc|zone|south|units|to_meter|approx|axis|no_defs)(=|$)/.test(t));
  }
  let def = [...(own ?? []), ...kept].join(' ');
  const unit = res.coordinatesConversionParameters;
  if (!res.isGCS && !own && unit && unit.x !== 1) {
    // the library returns the linear unit as a multiplier; fold it back so the string stands alone
    if (unit.x !== unit.y) throw new Error(`${name}: GeoTIFF keys give different x and y units`);
    def += ` +to_meter=${unit.x}`;
  } else if (res.isGCS && unit && unit.x !== 1) {
    throw new Error(`${name}: geographic GeoTIFF keys with an angular unit other than degrees are not supported`);
  }
  def += ' +no_defs';
  await loadCrs(def);
  parseCrs(def);
  return def;
}

const LINEAR_UNITS: Record<number, number> = { 9001: 1, 9002: 0.3048, 9003: 1200 / 3937, 9036: 1000, 9037: 0.3047997333333333 };

// proj4 projection tokens for the coordinate transformations rasterburn writes, read with libgeotiff's
// fallbacks between key families; null to leave the projection to geotiff-geokeys-to-proj4
function projectionTokens(keys: GeoKeys): string[] | null {
  const ct = keys.get(GK.ProjCoordTrans);
  const angular = keys.get(GK.GeogAngularUnits);
  if (typeof ct !== 'number' || (angular !== undefined && angular !== 9102 && angular !== 9122)) return null;
  const unitCode = keys.get(GK.ProjLinearUnits);
  const unit = unitCode === undefined ? 1 : unitCode === USER_DEFINED ? keys.get(GK.ProjLinearUnitSize) : LINEAR_UNITS[unitCode as number];
  if (typeof unit !== 'number' || !(unit > 0)) return null;
  const num = (...ids: number[]): number | undefined => {
    for (const id of ids) { const v = keys.get(id); if (typeof v === 'number') return v; }
    return undefined;
  };
  const fe = (num(GK.ProjFalseEasting, GK.ProjFalseOriginEasting, GK.ProjCenterEasting) ?? 0) * unit;
  const fn = (num(GK.ProjFalseNorthing, GK.ProjFalseOriginNorthing, GK.ProjCenterNorthing) ?? 0) * unit;
  const tail = [`+x_0=${fe}`, `+y_0=${fn}`];
  if (unit !== 1) tail.push(`+to_meter=${unit}`);
  const natLat = num(GK.ProjNatOriginLat, GK.ProjFalseOriginLat, GK.ProjCenterLat) ?? 0;
  const natLon = num(GK.ProjNatOriginLong, GK.ProjFalseOriginLong, GK.ProjCenterLong) ?? 0;
  const scale = num(GK.ProjScaleAtNatOrigin, GK.ProjScaleAtCenter) ?? 1;
  switch (ct) {
    case 1: return ['+proj=tmerc', `+lat_0=${natLat}`, `+lon_0=${natLon}`, `+k=${scale}`, ...tail];
    case 7: {
      const sp1 = num(GK.ProjStdParallel1);
      return sp1 !== undefined ? ['+proj=merc', `+lat_ts=${sp1}`, `+lon_0=${natLon}`, ...tail] : ['+proj=merc', `+lon_0=${natLon}`, `+k=${scale}`, ...tail];
    }
    case 8: {
      const lat0 = num(GK.ProjFalseOriginLat, GK.ProjNatOriginLat, GK.ProjCenterLat) ?? 0, lon0 = num(GK.ProjFalseOriginLong, GK.ProjNatOriginLong, GK.ProjCenterLong) ?? 0;
      const e = (num(GK.ProjFalseOriginEasting, GK.ProjFalseEasting, GK.ProjCenterEasting) ?? 0) * unit, n = (num(GK.ProjFalseOriginNorthing, GK.ProjFalseNorthing, GK.ProjCenterNorthing) ?? 0) * unit;
      return ['+proj=lcc', `+lat_1=${num(GK.ProjStdParallel1) ?? lat0}`, `+lat_2=${num(GK.ProjStdParallel2) ?? num(GK.ProjStdParallel1) ?? lat0}`, `+lat_0=${lat0}`, `+lon_0=${lon0}`,
        `+x_0=${e}`, `+y_0=${n}`, ...(unit !== 1 ? [`+to_meter=${unit}`] : [])];
    }
    case 9: return ['+proj=lcc', `+lat_1=${natLat}`, `+lat_0=${natLat}`, `+lon_0=${natLon}`, `+k_0=${scale}`, ...tail];
    case 10: {
      const lat0 = num(GK.ProjCenterLat, GK.ProjNatOriginLat, GK.ProjFalseOriginLat) ?? 0, lon0 = num(GK.ProjCenterLong, GK.ProjNatOriginLong, GK.ProjFalseOriginLong) ?? 0;
      return ['+proj=laea', `+lat_0=${lat0}`, `+lon_0=${lon0}`, ...tail];
    }
    case 11: return ['+proj=aea', `+lat_1=${num(GK.ProjStdParallel1) ?? 0}`, `+lat_2=${num(GK.ProjStdParallel2) ?? num(GK.ProjStdParallel1) ?? 0}`, `+lat_0=${natLat}`, `+lon_0=${natLon}`, ...tail];
    case 15: {
      // NatOriginLat is the latitude of true scale (variant B) unless it is a pole (variant A, with a scale)
      const lat = num(GK.ProjNatOriginLat) ?? 90, lon = num(GK.ProjStraightVertPoleLong, GK.ProjNatOriginLong) ?? 0;
      const pole = lat < 0 ? -90 : 90;
      return Math.abs(lat) === 90
        ? ['+proj=stere', `+lat_0=${pole}`, `+lon_0=${lon}`, `+k=${scale}`, ...tail]
        : ['+proj=stere', `+lat_0=${pole}`, `+lat_ts=${lat}`, `+lon_0=${lon}`, ...tail];
    }
    case 16: return ['+proj=sterea', `+lat_0=${natLat}`, `+lon_0=${natLon}`, `+k=${scale}`, ...tail];
    case 17: {
      const lat0 = num(GK.ProjCenterLat, GK.ProjNatOriginLat) ?? 0, lon0 = num(GK.ProjCenterLong, GK.ProjNatOriginLong) ?? 0;
      return ['+proj=eqc', `+lat_ts=${num(GK.ProjStdParallel1) ?? 0}`, `+lat_0=${lat0}`, `+lon_0=${lon0}`, ...tail];
    }
    default:
      return null;
  }
}
