// CRS parsing, GDAL-style sameness, and proj4 transforms checked against GDAL 3.6.2 / PROJ (osr).
import { describe, expect, it } from 'vitest';
import { epsgCode, makeTransformer, parseCrs, sameCrs, wktRootAuthority } from '../../src/crs.js';
import { gridFromGeoTIFF } from '../../src/io/tiff/read.js';
import { toGeoTIFF } from '../../src/io/tiff/write.js';
import { python } from './gdal/oracle.js';

const py = python;

describe('parseCrs', () => {
  it('reads the spellings GIS users write', () => {
    const cases: Array<[string, string, number | null, boolean]> = [
      ['EPSG:4326', 'EPSG:4326', 4326, true],
      ['epsg:32633', 'EPSG:32633', 32633, false],
      ['EPSG::3857', 'EPSG:3857', 3857, false],
      ['urn:ogc:def:crs:EPSG::32633', 'EPSG:32633', 32633, false],
      ['urn:ogc:def:crs:EPSG:6.6:4326', 'EPSG:4326', 4326, true],
      ['http://www.opengis.net/def/crs/EPSG/0/3035', 'EPSG:3035', 3035, false],
      ['urn:ogc:def:crs:OGC:1.3:CRS84', 'OGC:CRS84', 4326, true],
      ['urn:ogc:def:crs:OGC::CRS84', 'OGC:CRS84', 4326, true],
      ['OGC:CRS84', 'OGC:CRS84', 4326, true],
      ['CRS84', 'OGC:CRS84', 4326, true],
      ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'OGC:CRS84', 4326, true],
      ['urn:ogc:def:crs:OGC:1.3:CRS83', 'EPSG:4269', 4269, true],
      ['WGS84', 'EPSG:4326', 4326, true],
      [' +proj=utm +zone=33 +datum=WGS84 +units=m +no_defs ', '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', null, false],
      ['+proj=longlat +ellps=GRS80 +no_defs', '+proj=longlat +ellps=GRS80 +no_defs', null, true],
    ];
    for (const [input, id, epsg, geographic] of cases) {
      const c = parseCrs(input);
      expect([c.id, c.epsg, c.geographic], input).toEqual([id, epsg, geographic]);
    }
  });

  it('takes WKT with a root EPSG authority as that code, other WKT as given', () => {
    const [w32633, w4326v2, wLaea] = JSON.parse(py(String.raw`
import json
from osgeo import osr
a = osr.SpatialReference(); a.ImportFromEPSG(32633)
b = osr.SpatialReference(); b.ImportFromEPSG(4326)
c = osr.SpatialReference(); c.ImportFromProj4('+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m')
print(json.dumps([a.ExportToWkt(), b.ExportToWkt(['FORMAT=WKT2_2018']), c.ExportToWkt()]))
`)) as string[];
    expect(parseCrs(w32633).id).toBe('EPSG:32633');
    expect(parseCrs(w4326v2).id).toBe('EPSG:4326');
    expect(wktRootAuthority(w32633)).toEqual({ name: 'EPSG', code: '32633' });
    const laea = parseCrs(wLaea);
    expect([laea.id, laea.epsg, laea.geographic]).toEqual([wLaea, null, false]);
    expect(sameCrs(laea, '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m')).toBe(true);
  });

  it('fails with one line naming the input', () => {
    expect(() => parseCrs('EPSG:99999')).toThrow(/^unknown CRS code EPSG:99999 \(from 'EPSG:99999'\)$/);
    expect(() => parseCrs('urn:ogc:def:crs:EPSG::123456')).toThrow('unknown CRS code EPSG:123456');
    expect(() => parseCrs('ESRI:102100')).toThrow(/^unrecognized CRS 'ESRI:102100'/);
    expect(() => parseCrs('+proj=nope +ellps=WGS84')).toThrow(/^invalid CRS '\+proj=nope \+ellps=WGS84': /);
    expect(() => parseCrs('')).toThrow('empty CRS string');
    expect(() => parseCrs('nonsense')).toThrow(/^unrecognized CRS 'nonsense'/);
  });
});

describe('sameCrs and epsgCode', () => {
  it('compares as GDAL does for gdal_rasterize (CRS84 = 4326, parameters otherwise)', () => {
    expect(sameCrs('OGC:CRS84', 'EPSG:4326')).toBe(true);
    expect(sameCrs('urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326')).toBe(true);
    expect(sameCrs('EPSG:32633', 'urn:ogc:def:crs:EPSG::32633')).toBe(true);
    expect(sameCrs('EPSG:32633', '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs')).toBe(true);
    expect(sameCrs('EPSG:32633', '+proj=tmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m')).toBe(true);
    expect(sameCrs('EPSG:32733', '+proj=utm +zone=33 +south +datum=WGS84')).toBe(true);
    expect(sameCrs('EPSG:32633', 'EPSG:32634')).toBe(false);
    expect(sameCrs('EPSG:32633', '+proj=utm +zone=33 +south +datum=WGS84')).toBe(false);
    expect(sameCrs('EPSG:4326', 'EPSG:4258')).toBe(false);
    expect(sameCrs('EPSG:2263', '+proj=lcc +lat_1=41.03333333333333 +lat_2=40.66666666666666 +lat_0=40.16666666666666 +lon_0=-74 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m')).toBe(false);
    expect(sameCrs(undefined, undefined)).toBe(true);
    expect(sameCrs('EPSG:4326', undefined)).toBe(false);
  });

  it('epsgCode', () => {
    expect(epsgCode('CRS84')).toBe(4326);
    expect(epsgCode('urn:ogc:def:crs:EPSG::3035')).toBe(3035);
    expect(epsgCode('+proj=utm +zone=33 +datum=WGS84')).toBe(null);
    expect(epsgCode(undefined)).toBe(null);
  });
});

describe('makeTransformer', () => {
  it('is null for the same CRS or a missing side (GDAL then burns coordinates as given)', () => {
    expect(makeTransformer('OGC:CRS84', 'EPSG:4326')).toBe(null);
    expect(makeTransformer('EPSG:32633', '+proj=utm +zone=33 +datum=WGS84')).toBe(null);
    expect(makeTransformer(undefined, 'EPSG:4326')).toBe(null);
    expect(makeTransformer('EPSG:4326', undefined)).toBe(null);
  });

  it('agrees with GDAL/PROJ (traditional GIS order) where both use the same operation', () => {
    // [from, to, sample points, tolerance in target units]; datum shifts are where proj4 (towgs84 from the EPSG
    // table) and PROJ (its own choice of operation) can part: 27700/28992 by under a millimetre, DHDN by ~0.4 m
    const pairs: Array<[string, string, Array<[number, number]>, number]> = [
      ['OGC:CRS84', 'EPSG:32633', [[15, 50], [12.3, 47.1], [17.9, 54.2]], 1e-7],
      ['EPSG:4326', 'EPSG:3857', [[15, 50], [-74, 40.7], [179.9, -85]], 1e-7],
      ['EPSG:4326', 'EPSG:3035', [[10, 52], [-9, 38], [25, 65]], 1e-7],
      ['EPSG:32633', 'EPSG:3035', [[500000, 5500000], [400123.4, 5600000.5]], 1e-7],
      ['EPSG:4326', 'EPSG:32733', [[15, -30], [13, -1]], 1e-7],
      ['EPSG:4326', 'EPSG:2154', [[3, 46], [-4, 48.4]], 1e-7],
      ['EPSG:4326', 'EPSG:3413', [[-45, 75], [0, 89]], 1e-7],
      ['EPSG:4326', 'EPSG:5070', [[-96, 38], [-120, 45]], 1e-7],
      ['EPSG:4326', 'EPSG:2263', [[-74, 40.7], [-73.9, 40.8]], 1e-6],
      ['EPSG:4258', 'EPSG:25832', [[9, 52]], 1e-7],
      ['EPSG:3857', 'OGC:CRS84', [[1e6, 6e6], [-8e6, 4.9e6]], 1e-12],
      ['EPSG:4326', 'EPSG:27700', [[-2, 52], [0, 51.5], [-3, 55]], 2e-3],
      ['EPSG:4326', 'EPSG:28992', [[5, 52], [6, 53]], 1e-3],
      ['EPSG:4326', 'EPSG:31467', [[9, 49], [10, 52]], 1],
    ];
    const gdal = JSON.parse(py(String.raw`
import sys, json
from osgeo import osr
def srs(c):
    r = osr.SpatialReference(); r.SetFromUserInput(c); r.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER); return r
out = []
for a, b, pts, tol in json.load(sys.stdin):
    t = osr.CoordinateTransformation(srs(a), srs(b))
    out.append([list(t.TransformPoint(x, y)[:2]) for x, y in pts])
print(json.dumps(out))
`, pairs)) as number[][][];
    pairs.forEach(([a, b, pts, tol], i) => {
      const t = makeTransformer(a, b)!;
      pts.forEach((p, k) => {
        const [x, y] = t(p[0], p[1]);
        expect(Math.abs(x - gdal[i][k][0]), `${a} -> ${b} x of ${p}`).toBeLessThan(tol);
        expect(Math.abs(y - gdal[i][k][1]), `${a} -> ${b} y of ${p}`).toBeLessThan(tol);
      });
    });
  });

  it('reports points proj4 cannot transform as NaN so the feature can be dropped', () => {
    const t = makeTransformer('OGC:CRS84', 'EPSG:3857')!;
    const [x, y] = t(0, 90);
    expect(Number.isFinite(x) && Number.isFinite(y)).toBe(false);
  });
});

describe('CRS through GeoTIFF keys and back', () => {
  it('non-EPSG CRSs written by toGeoTIFF read back as the same CRS', async () => {
    const defs = [
      '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=lcc +lat_1=18 +lat_0=18 +lon_0=-77 +k_0=1 +x_0=250000 +y_0=150000 +ellps=clrk66 +units=m',
      '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs',
      '+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs',
      '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
      '+proj=stere +lat_0=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 +datum=WGS84 +units=m',
      '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs',
      '+proj=eqc +lat_ts=30 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m',
      '+proj=merc +lat_ts=41 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m',
      '+proj=lcc +lat_1=41.03333333333333 +lat_2=40.66666666666666 +lat_0=40.16666666666666 +lon_0=-74 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
      '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
    ];
    for (const def of defs) {
      const buf = toGeoTIFF({ width: 1, height: 1, transform: [0, 1, 0, 1, 0, -1], crs: def, nodata: null, dtype: 'uint8', data: new Uint8Array(1) });
      const back = (await gridFromGeoTIFF(buf)).crs!;
      expect(sameCrs(def, back), `${def}\n -> ${back}`).toBe(true);
    }
  });
});
