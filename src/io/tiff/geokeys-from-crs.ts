// CRS -> GeoKeys, as GDAL 3.6's GTiff driver writes them (GTIFSetFromOGISDefnEx): EPSG codes where GDAL
// finds one, else user-defined keys with the citations GDAL reads the names back from. Browser-safe.
import { parseCrs, projOf, type Crs } from '../../crs.js';
import { GK, USER_DEFINED, type GeoKey } from './geokeys.js';

/**
 * The GeoKeys GDAL writes for a CRS: an EPSG code as the code (GDAL's AutoIdentifyEPSG cases too, e.g. a
 * WGS84 UTM proj4 string), other CRSs as user-defined keys for longlat, tmerc/utm, merc, lcc, laea, aea, polar
 * and oblique stere and eqc; any other CRS throws rather than write keys GDAL cannot read. No keys without a CRS.
 */
export function geoKeysFor(crsText: string | undefined): GeoKey[] {
  const keys: GeoKey[] = [];
  // like GDAL, no GeoKeyDirectory at all without a CRS: a lone GTRasterType key reads back as an engineering CRS
  if (crsText === undefined || crsText === null || crsText === '') return keys;
  const crs = parseCrs(crsText);
  const code = crs.epsg ?? identifyEpsg(crs);
  if (code !== null) {
    if (code === 4979) {
      // as GDAL writes WGS 84 3D: the 2D geographic code plus the 3D code as the vertical CRS
      keys.push({ id: GK.GTModelType, value: 2 }, { id: GK.GTRasterType, value: 1 },
        { id: GK.GeographicType, value: 4326 }, { id: GK.VerticalCSType, value: 4979 });
    } else if (crs.geographic) {
      keys.push({ id: GK.GTModelType, value: 2 }, { id: GK.GTRasterType, value: 1 },
        { id: GK.GeographicType, value: code }, { id: GK.GeogAngularUnits, value: 9102 });
    } else {
      keys.push({ id: GK.GTModelType, value: 1 }, { id: GK.GTRasterType, value: 1 }, { id: GK.ProjectedCSType, value: code });
    }
    return keys;
  }
  return userDefinedKeys(crs);
}

type P = Record<string, unknown> & { projName: string; names?: string[] };

function projObject(crs: Crs): P {
  return projOf(crs) as unknown as P;
}

const DEG = 180 / Math.PI;
// angles as GDAL stores them: 15 significant digits, which also undoes proj4's degree->radian rounding
function deg(rad: unknown): number {
  return Number(((typeof rad === 'number' ? rad : 0) * DEG).toPrecision(15));
}
function n(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function datumCodeOf(p: P): string {
  return String(p.datumCode ?? '').toLowerCase();
}

// GDAL's AutoIdentifyEPSG cases: named-datum lon/lat, WGS84/NAD83/NAD27 UTM, and the proj4 Web Mercator
function identifyEpsg(crs: Crs): number | null {
  const p = projObject(crs);
  const datum = datumCodeOf(p);
  const pm = n(p.from_greenwich, 0);
  if (pm !== 0 || (p.axis !== undefined && p.axis !== 'enu')) return null;
  const toMeter = n(p.to_meter, 1);
  if (crs.geographic) {
    return ({ wgs84: 4326, nad83: 4269, nad27: 4267 } as Record<string, number>)[datum] ?? null;
  }
  if (toMeter !== 1) return null;
  if (shortName(p) === 'tmerc') {
    const lon = deg(p.long0);
    const zone = (lon + 183) / 6;
    const y0 = n(p.y0, 0);
    if (n(p.lat0, 0) === 0 && n(p.k0, 1) === 0.9996 && n(p.x0, 0) === 500000 && Number.isInteger(zone) && zone >= 1 && zone <= 60 && (y0 === 0 || y0 === 10000000)) {
      const south = y0 === 10000000;
      if (datum === 'wgs84') return (south ? 32700 : 32600) + zone;
      if (datum === 'nad83' && !south && zone <= 23) return 26900 + zone;
      if (datum === 'nad27' && !south && zone <= 22) return 26700 + zone;
    }
    return null;
  }
  if (shortName(p) === 'merc' && n(p.a, 0) === 6378137 && n(p.b, 0) === 6378137 && deg(p.long0) === 0 && n(p.x0, 0) === 0 && n(p.y0, 0) === 0
    && n(p.k0, 1) === 1 && deg(p.lat_ts) === 0 && (p.datum as { datum_type?: number } | undefined)?.datum_type === 5) {
    return 3857;
  }
  return null;
}

const SHORT_NAMES = new Set(['longlat', 'merc', 'lcc', 'laea', 'aea', 'stere', 'sterea', 'eqc']);

// proj4's short name for the implementation a definition (proj4 string or WKT) resolved to; utm/etmerc -> tmerc
function shortName(p: P): string {
  const names = p.names ?? [];
  if (names.some((x) => x === 'utm' || x === 'etmerc' || x === 'tmerc')) return 'tmerc';
  return names.find((x) => SHORT_NAMES.has(x)) ?? names[names.length - 1] ?? String(p.projName);
}

const UNIT_CODES: Array<[number, number]> = [[1, 9001], [0.3048, 9002], [1200 / 3937, 9003]];

function userDefinedKeys(crs: Crs): GeoKey[] {
  const p = projObject(crs);
  const what = `CRS '${crs.id.length > 80 ? `${crs.id.slice(0, 77)}...` : crs.id}'`;
  if (p.axis !== undefined && p.axis !== 'enu') throw new Error(`cannot write ${what} to GeoTIFF: axis order '${String(p.axis)}' has no GeoTIFF key`);
  const keys: GeoKey[] = [];
  const geographic = crs.geographic;
  keys.push({ id: GK.GTModelType, value: geographic ? 2 : 1 }, { id: GK.GTRasterType, value: 1 });
  keys.push(...geographicKeys(p, crs, what));
  if (geographic) return keys;
  keys.push({ id: GK.GTCitation, value: crsNames(crs).crs });

  const toMeter = n(p.to_meter, 1);
  const unit = UNIT_CODES.find(([m]) => Math.abs(m - toMeter) < 1e-12 * m);
  const lin = (metres: unknown): number => Number((n(metres, 0) / toMeter).toPrecision(15));
  const family = shortName(p);
  const d = (id: number, v: number): GeoKey => ({ id, value: v, double: true });
  const lat0 = deg(p.lat0), lon0 = deg(p.long0), fe = lin(p.x0), fn = lin(p.y0), k0 = n(p.k0, 1);
  let ct: number;
  const params: GeoKey[] = [];
  switch (family) {
    case 'tmerc':
      ct = 1;
      params.push(d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, lat0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn), d(GK.ProjScaleAtNatOrigin, k0));
      break;
    case 'merc':
      ct = 7;
      if (p.lat_ts !== undefined && deg(p.lat_ts) !== 0) {
        params.push(d(GK.ProjStdParallel1, deg(p.lat_ts)), d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, 0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn));
      } else {
        params.push(d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, 0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn), d(GK.ProjScaleAtNatOrigin, k0));
      }
      break;
    case 'lcc': {
      const lat1 = deg(p.lat1 ?? p.lat0), lat2 = deg(p.lat2 ?? p.lat1 ?? p.lat0);
      if (lat1 === lat2 && lat1 === lat0) {
        ct = 9;
        params.push(d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, lat0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn), d(GK.ProjScaleAtNatOrigin, k0));
      } else {
        ct = 8;
        params.push(d(GK.ProjStdParallel1, lat1), d(GK.ProjStdParallel2, lat2), d(GK.ProjFalseOriginLong, lon0), d(GK.ProjFalseOriginLat, lat0),
          d(GK.ProjFalseOriginEasting, fe), d(GK.ProjFalseOriginNorthing, fn));
      }
      break;
    }
    case 'laea':
      ct = 10;
      params.push(d(GK.ProjCenterLong, lon0), d(GK.ProjCenterLat, lat0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn));
      break;
    case 'aea':
      ct = 11;
      params.push(d(GK.ProjStdParallel1, deg(p.lat1)), d(GK.ProjStdParallel2, deg(p.lat2 ?? p.lat1)), d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, lat0),
        d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn));
      break;
    case 'stere':
      if (Math.abs(lat0) !== 90) throw new Error(`cannot write ${what} to GeoTIFF: only polar stere (lat_0=+/-90) is supported`);
      ct = 15;
      // polar stereographic variant B (lat_ts) or variant A (scale at the pole)
      // with lat_ts proj4 replaces k0 by the scale it implies; GDAL writes the variant B parameter and k=1
      params.push(d(GK.ProjNatOriginLat, p.lat_ts !== undefined ? deg(p.lat_ts) : lat0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn),
        d(GK.ProjScaleAtNatOrigin, p.lat_ts !== undefined ? 1 : k0), d(GK.ProjStraightVertPoleLong, lon0));
      break;
    case 'sterea':
      ct = 16;
      params.push(d(GK.ProjNatOriginLong, lon0), d(GK.ProjNatOriginLat, lat0), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn), d(GK.ProjScaleAtNatOrigin, k0));
      break;
    case 'eqc':
      ct = 17;
      params.push(d(GK.ProjStdParallel1, deg(p.lat_ts)), d(GK.ProjFalseEasting, fe), d(GK.ProjFalseNorthing, fn), d(GK.ProjCenterLong, lon0), d(GK.ProjCenterLat, lat0));
      break;
    default:
      throw new Error(`cannot write ${what} to GeoTIFF: projection '${family}' is not supported for non-EPSG CRSs (use an EPSG code)`);
  }
  keys.push({ id: GK.ProjectedCSType, value: USER_DEFINED }, { id: GK.Projection, value: USER_DEFINED }, { id: GK.ProjCoordTrans, value: ct });
  if (unit) keys.push({ id: GK.ProjLinearUnits, value: unit[1] });
  else keys.push({ id: GK.ProjLinearUnits, value: USER_DEFINED }, d(GK.ProjLinearUnitSize, toMeter));
  keys.push(...params);
  return keys;
}

// PROJ's ellipsoid names, which GDAL puts into the datum name of a CRS read from a proj4 string
// ("Unknown based on <name> ellipsoid"); read from GDAL 3.6.2 / PROJ 9.1 (test/io-geotiff-write checks them)
// [name, semi-major axis, inverse flattening (0: sphere)]
const PROJ_ELLPS: Record<string, [string, number, number]> = {
  MERIT: ['MERIT 1983', 6378137, 298.257],
  SGS85: ['Soviet Geodetic System 85', 6378136, 298.257],
  GRS80: ['GRS80', 6378137, 298.257222101],
  IAU76: ['IAU 1976', 6378140, 298.257],
  airy: ['Airy 1830', 6377563.396, 299.3249646],
  'APL4.9': ['Appl. Physics. 1965', 6378137, 298.25],
  NWL9D: ['Naval Weapons Lab., 1965', 6378145, 298.25],
  mod_airy: ['Modified Airy', 6377340.189, 299.3249373654824],
  andrae: ['Andrae 1876 (Den., Iclnd.)', 6377104.43, 300],
  aust_SA: ['Australian Natl & S. Amer. 1969', 6378160, 298.25],
  GRS67: ['GRS 67(IUGG 1967)', 6378160, 298.247167427],
  bessel: ['Bessel 1841', 6377397.155, 299.1528128],
  bess_nam: ['Bessel 1841 (Namibia)', 6377483.865, 299.1528128],
  clrk66: ['Clarke 1866', 6378206.4, 294.9786982138982],
  clrk80: ['Clarke 1880 mod.', 6378249.145, 293.4663],
  clrk80ign: ['Clarke 1880 (IGN).', 6378249.2, 293.4660212936269],
  CPM: ['Comm. des Poids et Mesures 1799', 6375738.7, 334.29],
  delmbr: ['Delambre 1810 (Belgium)', 6376428, 311.5],
  engelis: ['Engelis 1985', 6378136.05, 298.2566],
  evrst30: ['Everest 1830', 6377276.345, 300.8017],
  evrst48: ['Everest 1948', 6377304.063, 300.8017],
  evrst56: ['Everest 1956', 6377301.243, 300.8017],
  evrst69: ['Everest 1969', 6377295.664, 300.8017],
  evrstSS: ['Everest (Sabah & Sarawak)', 6377298.556, 300.8017],
  fschr60: ['Fischer (Mercury Datum) 1960', 6378166, 298.3],
  fschr60m: ['Modified Fischer 1960', 6378155, 298.3],
  fschr68: ['Fischer 1968', 6378150, 298.3],
  helmert: ['Helmert 1906', 6378200, 298.3],
  hough: ['Hough', 6378270, 297],
  intl: ['International 1924 (Hayford 1909, 1910)', 6378388, 297],
  kaula: ['Kaula 1961', 6378163, 298.24],
  lerch: ['Lerch 1979', 6378139, 298.257],
  mprts: ['Maupertius 1738', 6397300, 191],
  new_intl: ['New International 1967', 6378157.5, 298.2496153900135],
  plessis: ['Plessis 1817 (France)', 6376523, 308.64099709583735],
  krass: ['Krassovsky, 1942', 6378245, 298.3],
  SEasia: ['Southeast Asia', 6378155, 298.3000002408657],
  walbeck: ['Walbeck', 6376896, 302.78000018165636],
  WGS60: ['WGS 60', 6378165, 298.3],
  WGS66: ['WGS 66', 6378145, 298.25],
  WGS72: ['WGS 72', 6378135, 298.26],
  WGS84: ['WGS84', 6378137, 298.257223563],
  sphere: ['Normal Sphere (r=6370997)', 6370997, 0],

};

// names GDAL would give the CRS's parts: from the WKT itself, or as PROJ names a proj4 string's datum
function crsNames(crs: Crs): { crs: string; gcs: string; datum: string; ellipsoid: string } {
  const def = crs.definition;
  if (!/^\s*\+|(^|\s)\+?proj=/.test(def)) {
    const name = (kw: string): string | undefined => new RegExp(`${kw}\\s*\\[\\s*"([^"]*)"`, 'i').exec(def)?.[1];
    return {
      crs: /^\s*(PROJCS|PROJCRS)/i.test(def) ? name('(?:PROJCS|PROJCRS)') ?? 'unknown' : 'unknown',
      gcs: name('(?:GEOGCS|BASEGEOGCRS|BASEGEODCRS|GEOGCRS|GEODCRS)') ?? 'unknown',
      datum: name('(?:DATUM|TRF|GEODETICDATUM)') ?? 'unknown',
      ellipsoid: name('(?:SPHEROID|ELLIPSOID)') ?? 'unknown',
    };
  }
  const ellps = /\+ellps=(\S+)/.exec(def)?.[1];
  const towgs84 = /\+towgs84=(\S+)/.exec(def)?.[1];
  const ellName = ellps !== undefined ? PROJ_ELLPS[ellps]?.[0] : undefined;
  const datum = ellName === undefined ? 'unknown' : `Unknown based on ${ellName} ellipsoid${towgs84 ? ` using towgs84=${towgs84}` : ''}`;
  return { crs: 'unknown', gcs: 'unknown', datum, ellipsoid: ellName === undefined ? 'unknown' : ellName };
}

// the geographic part: an EPSG code for WGS84/NAD83/NAD27, else ellipsoid, prime meridian and TOWGS84
function geographicKeys(p: P, crs: Crs, what: string): GeoKey[] {
  const code = ({ wgs84: 4326, nad83: 4269, nad27: 4267 } as Record<string, number>)[datumCodeOf(p)];
  const pm = deg(p.from_greenwich);
  const d = (id: number, v: number | number[]): GeoKey => ({ id, value: v, double: true });
  if (code !== undefined && pm === 0) {
    return [{ id: GK.GeographicType, value: code }, { id: GK.GeogAngularUnits, value: 9102 }];
  }
  const datum = p.datum as { datum_type?: number } | undefined;
  if (datum?.datum_type === 3) throw new Error(`cannot write ${what} to GeoTIFF: grid-shift datums (+nadgrids) have no GeoTIFF key`);
  // a named ellipsoid is written with PROJ's numbers, as GDAL does; proj4js keeps some as a rounded b
  const named = /^\s*\+|(^|\s)\+?proj=/.test(crs.definition) && !/\+(a|b|rf|R)=/.test(crs.definition)
    ? PROJ_ELLPS[/\+ellps=(\S+)/.exec(crs.definition)?.[1] ?? ''] : undefined;
  const a = named ? named[1] : n(p.a, NaN);
  const b = named ? (named[2] === 0 ? named[1] : named[1] * (1 - 1 / named[2])) : n(p.b, NaN);
  if (!Number.isFinite(a)) throw new Error(`cannot write ${what} to GeoTIFF: no ellipsoid`);
  const names = crsNames(crs);
  // GDAL reads the names back from this citation; osr's IsSame compares datum names
  const citation = `GCS Name = ${names.gcs}|Datum = ${names.datum}|Ellipsoid = ${names.ellipsoid}|Primem = Greenwich|`;
  const keys: GeoKey[] = [
    { id: GK.GeographicType, value: USER_DEFINED }, { id: GK.GeogCitation, value: citation },
    { id: GK.GeogGeodeticDatum, value: USER_DEFINED }, { id: GK.GeogAngularUnits, value: 9102 },
    { id: GK.GeogEllipsoid, value: USER_DEFINED }, d(GK.GeogSemiMajorAxis, a),
  ];
  const rf = named ? named[2] : n(p.rf, a !== b ? a / (a - b) : 0);
  if (a === b || !(rf > 0)) keys.push(d(GK.GeogSemiMinorAxis, b));
  else keys.push(d(GK.GeogInvFlattening, rf));
  keys.push(d(GK.GeogPrimeMeridianLong, pm));
  const raw = Array.isArray(p.datum_params) ? (p.datum_params as unknown[]).map(Number) : [];
  if ((datum?.datum_type === 1 || datum?.datum_type === 2 || datum?.datum_type === 4) && raw.length >= 3 && raw.every(Number.isFinite)) {
    // GDAL writes a zero 7-parameter shift as 3 zeros
    const towgs84 = raw.length >= 7 && raw.slice(3).some((v) => v !== 0) ? raw.slice(0, 7) : raw.slice(0, 3);
    keys.push(d(GK.GeogTOWGS84, towgs84));
  }
  return keys;
}
