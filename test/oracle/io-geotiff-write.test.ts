// toGeoTIFF round trips through the real GDAL 3.6.2: size, geotransform (bit for bit), data type, nodata, every
// pixel, and an SRS that osr's IsSame() equates with the one gdal_rasterize writes for the same source.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DTYPES } from '../../src/dtype.js';
import { formatG, formatGdalNoData } from '../../src/io/tiff/gdal-nodata.js';
import { toGeoTIFF } from '../../src/io/tiff/write.js';
import type { DType, GeoTransform, Raster, TypedArray } from '../../src/types.js';
import { gdalRasterize, python, pythonJson } from './gdal/oracle.js';

let dir: string;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rb-io-write-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

// reads each file with GDAL; for `ref`, compares SRSs with osr (IsSame and exact WKT)
const CHECK = String.raw`
import sys, json, struct, hashlib
from osgeo import gdal, osr
gdal.UseExceptions()
out = []
for job in json.load(sys.stdin):
    ds = gdal.Open(job['path'])
    b = ds.GetRasterBand(1)
    nd = b.GetNoDataValue()
    arr = b.ReadAsArray()
    srs = ds.GetSpatialRef()
    r = {
      'size': [ds.RasterXSize, ds.RasterYSize, ds.RasterCount],
      'gt': [struct.pack('<d', v).hex() for v in ds.GetGeoTransform()],
      'type': gdal.GetDataTypeName(b.DataType),
      'nodata': None if nd is None else struct.pack('<d', nd).hex(),
      'sha': hashlib.sha256(arr.tobytes()).hexdigest(),
      'hasSrs': srs is not None,
      'epsg': srs.GetAuthorityCode(None) if srs is not None else None,
      'area': ds.GetMetadataItem('AREA_OR_POINT'),
    }
    if job.get('ref'):
        ref = gdal.Open(job['ref']).GetSpatialRef()
        r['isSame'] = bool(srs is not None and srs.IsSame(ref))
        r['sameWkt'] = srs is not None and srs.ExportToWkt() == ref.ExportToWkt()
        r['wkt'] = srs.ExportToWkt() if srs is not None else None
        r['refWkt'] = ref.ExportToWkt()
    out.append(r)
print(json.dumps(out))
`;

interface GdalView {
  size: [number, number, number]; gt: string[]; type: string; nodata: string | null; sha: string;
  hasSrs: boolean; epsg: string | null; area: string | null; isSame?: boolean; sameWkt?: boolean; wkt?: string; refWkt?: string;
}

function gdalRead(jobs: Array<{ path: string; ref?: string }>): GdalView[] {
  return pythonJson(CHECK, jobs);
}

function hex64(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  return Buffer.from(dv.buffer).toString('hex');
}

function sha(a: TypedArray): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

// mulberry32: small seeded generator so failures reproduce
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGES: Record<DType, Array<number | bigint>> = {
  uint8: [0, 255, 1, 254, 128],
  int16: [-32768, 32767, 0, -1, 1],
  uint16: [0, 65535, 1, 32768],
  int32: [-2147483648, 2147483647, 0, -1],
  uint32: [0, 4294967295, 1, 2147483648],
  float32: [NaN, Infinity, -Infinity, -0, 1.401298464324817e-45, 3.4028234663852886e38, -3.4028234663852886e38, 0.1],
  float64: [NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3],
  int64: [-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n, -1n],
  uint64: [0n, 2n ** 64n - 1n, 9007199254740993n, 2n ** 63n],
};

function fill(dtype: DType, n: number, seed: number): TypedArray {
  const t = DTYPES[dtype];
  const a = t.make(n);
  const r = rng(seed);
  const big = a instanceof BigInt64Array || a instanceof BigUint64Array;
  const put = (i: number, v: number | bigint) => { (a as unknown as Array<number | bigint>)[i] = big ? BigInt(v) : Number(v); };
  for (let i = 0; i < n; i++) {
    // 64-bit: every byte random, so a value beyond 2^53 shows any rounding through a double
    if (big) put(i, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)));
    else put(i, t.integer ? Math.floor(t.min + r() * (t.max - t.min + 1)) : (r() - 0.5) * 1e6);
  }
  EDGES[dtype].forEach((v, i) => { if (i < n) put(i, v); });
  return a;
}

const NODATA: Record<DType, Array<number | null>> = {
  uint8: [null, 255, 0], int16: [null, -32768, -9999], uint16: [null, 65535], int32: [null, -2147483648, 7],
  uint32: [null, 4294967295], float32: [null, 0.1, NaN, -3.4028234663852886e38], float64: [null, NaN, -9999, 1e-300, Infinity],
  int64: [null, -9999, 9007199254740992], uint64: [null, 7],
};

// gdal_rasterize reference per CRS: the GeoJSON it reads and any -a_srs
interface Ref { crs: string | undefined; transform: GeoTransform; ring: number[][]; legacyCrs?: string; aSrs?: string }
const REFS: Ref[] = [
  { crs: 'EPSG:4326', transform: [10.1, 1 / 3, 0, 50.7, 0, -1 / 7], ring: [[10, 50], [11, 50], [11, 51], [10, 50]] },
  { crs: 'EPSG:32633', transform: [500000.123456789, 0.1, 0, 5500000.987654321, 0, -0.30000000000000004], ring: [[500000, 5500000], [501000, 5500000], [501000, 5501000], [500000, 5500000]], legacyCrs: 'urn:ogc:def:crs:EPSG::32633' },
  { crs: 'EPSG:3857', transform: [1113194.9079327357, 0.5971642834779395, 0, 6446275.841017158, 0, -0.5971642834779395], ring: [[1e6, 6e6], [1.1e6, 6e6], [1.1e6, 6.1e6], [1e6, 6e6]], legacyCrs: 'urn:ogc:def:crs:EPSG::3857' },
  { crs: 'EPSG:3035', transform: [4321000.25, 25, 0, 3210000.75, 0, -25], ring: [[4321000, 3210000], [4322000, 3210000], [4322000, 3211000], [4321000, 3210000]], legacyCrs: 'urn:ogc:def:crs:EPSG::3035' },
  { crs: 'EPSG:27700', transform: [400000.5, 0.25, 0, 100000.75, 0, -0.25], ring: [[400000, 100000], [401000, 100000], [401000, 101000], [400000, 100000]], legacyCrs: 'urn:ogc:def:crs:EPSG::27700' },
  { crs: 'EPSG:2263', transform: [980000.1, 2.5, 0, 190000.9, 0, -2.5], ring: [[980000, 190000], [981000, 190000], [981000, 191000], [980000, 190000]], legacyCrs: 'urn:ogc:def:crs:EPSG::2263' },
  { crs: undefined, transform: [-0.5, 1.25, 0, 7.5, 0, -1.25], ring: [] },
];

function gdalReference(name: string, ring: number[][], opts: { legacyCrs?: string; aSrs?: string }): string {
  const gj = join(dir, `${name}.geojson`);
  const fc: Record<string, unknown> = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }],
  };
  if (opts.legacyCrs) fc.crs = { type: 'name', properties: { name: opts.legacyCrs } };
  writeFileSync(gj, JSON.stringify(fc));
  const out = join(dir, `${name}.ref.tif`);
  const args = ['-q', '-ts', '10', '10', '-burn', '1'];
  if (opts.aSrs) args.push('-a_srs', opts.aSrs);
  gdalRasterize([...args, gj, out]);
  return out;
}

describe('toGeoTIFF read back by GDAL', () => {
  it('every dtype, with and without nodata, for EPSG:4326/32633/3857/3035/27700/2263 and no CRS', () => {
    const jobs: Array<{ path: string; ref?: string }> = [];
    const expected: Array<{ raster: Raster; name: string }> = [];
    REFS.forEach((ref, ri) => {
      const refPath = ref.crs ? gdalReference(`ref${ri}`, ref.ring, { legacyCrs: ref.legacyCrs }) : undefined;
      for (const dtype of Object.keys(DTYPES) as DType[]) {
        for (const nodata of NODATA[dtype]) {
          const width = 7 + ri, height = 5;
          const raster: Raster = { width, height, transform: ref.transform, crs: ref.crs, nodata, dtype, data: fill(dtype, width * height, ri * 100 + jobs.length) };
          const name = `w${jobs.length}-${dtype}.tif`;
          const path = join(dir, name);
          writeFileSync(path, new Uint8Array(toGeoTIFF(raster)));
          jobs.push({ path, ref: refPath });
          expected.push({ raster, name: `${name} (${ref.crs ?? 'no CRS'}, nodata ${nodata})` });
        }
      }
    });
    const got = gdalRead(jobs);
    const gdalType: Record<DType, string> = { uint8: 'Byte', int16: 'Int16', uint16: 'UInt16', int32: 'Int32', uint32: 'UInt32', float32: 'Float32', float64: 'Float64', int64: 'Int64', uint64: 'UInt64' };
    got.forEach((g, i) => {
      const { raster, name } = expected[i];
      expect(g.size, name).toEqual([raster.width, raster.height, 1]);
      expect(g.gt, name).toEqual(raster.transform.map(hex64));
      expect(g.type, name).toBe(gdalType[raster.dtype]);
      const nd = raster.nodata === null ? null : hex64(raster.dtype === 'float32' ? Math.fround(raster.nodata) : raster.nodata);
      // GDAL reports its own NaN bit pattern; compare NaN as NaN
      if (raster.nodata !== null && Number.isNaN(raster.nodata)) expect(Number.isNaN(Buffer.from(g.nodata!, 'hex').readDoubleLE(0)), name).toBe(true);
      else expect(g.nodata, name).toBe(nd);
      expect(g.sha, name).toBe(sha(raster.data));
      // GDAL writes no GeoKeyDirectory without a CRS, so AREA_OR_POINT is then unset, as in GDAL's own files
      expect(g.area, name).toBe(raster.crs ? 'Area' : null);
      if (raster.crs) {
        expect(g.epsg, name).toBe(raster.crs.slice(5));
        expect(g.isSame, name).toBe(true);
        expect(g.sameWkt, name).toBe(true);
      } else {
        expect(g.hasSrs, name).toBe(false);
      }
    });
  });

  it('rotated and south-up transforms go through ModelTransformation bit for bit', () => {
    const cases: GeoTransform[] = [
      [100.5, 2, 0.5, 200.25, 0.25, -2],
      [-1e-7, 1e-9, -3e-10, 1e-7, 2.5e-10, -1e-9],
      [500000, 0.5, 0, 5500000, 0, 0.5],
      [10, -0.1, 0, 50, 0, -0.1],
    ];
    const jobs = cases.map((transform, i) => {
      const path = join(dir, `rot${i}.tif`);
      writeFileSync(path, new Uint8Array(toGeoTIFF({ width: 3, height: 2, transform, crs: 'EPSG:32633', nodata: null, dtype: 'uint8', data: new Uint8Array([1, 2, 3, 4, 5, 6]) })));
      return { path };
    });
    gdalRead(jobs).forEach((g, i) => {
      expect(g.gt).toEqual(cases[i].map(hex64));
      expect(g.sha).toBe(sha(new Uint8Array([1, 2, 3, 4, 5, 6])));
    });
  });

  it('tiled, many-strip and BigTIFF layouts hold the same pixels', () => {
    const layouts: Array<{ w: number; h: number; dtype: DType; opts: Parameters<typeof toGeoTIFF>[1] }> = [
      { w: 300, h: 70, dtype: 'uint16', opts: { layout: 'tiles', tileSize: 256 } },
      { w: 33, h: 47, dtype: 'float64', opts: { layout: 'tiles', tileSize: 16 } },
      { w: 1000, h: 50, dtype: 'float64', opts: {} },
      { w: 257, h: 13, dtype: 'int32', opts: { bigTiff: true } },
      { w: 40, h: 40, dtype: 'float32', opts: { bigTiff: true, layout: 'tiles', tileSize: 32 } },
    ];
    const rasters = layouts.map((l, i): Raster => ({
      width: l.w, height: l.h, transform: [0, 1, 0, l.h, 0, -1], crs: 'EPSG:3035', nodata: 0, dtype: l.dtype, data: fill(l.dtype, l.w * l.h, 7 + i),
    }));
    const jobs = rasters.map((r, i) => {
      const path = join(dir, `layout${i}.tif`);
      const buf = toGeoTIFF(r, layouts[i].opts);
      const head = new DataView(buf);
      expect(head.getUint16(2, true)).toBe(layouts[i].opts?.bigTiff ? 43 : 42);
      writeFileSync(path, new Uint8Array(buf));
      return { path };
    });
    gdalRead(jobs).forEach((g, i) => {
      expect(g.size).toEqual([rasters[i].width, rasters[i].height, 1]);
      expect(g.sha).toBe(sha(rasters[i].data));
      expect(g.epsg).toBe('3035');
    });
  });

  it('non-EPSG CRSs: user-defined keys GDAL equates with gdal_rasterize -a_srs of the same string', () => {
    const srs = [
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
      '+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
      '+proj=lcc +lat_1=41.03333333333333 +lat_2=40.66666666666666 +lat_0=40.16666666666666 +lon_0=-74 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
      '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
      '+proj=longlat +a=6371000 +b=6371000 +no_defs',
      // GDAL's AutoIdentifyEPSG turns these into codes
      '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs',
      '+proj=tmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m',
      '+proj=utm +zone=18 +datum=NAD83 +units=m +no_defs',
      '+proj=longlat +datum=WGS84 +no_defs',
      '+proj=longlat +datum=NAD83 +no_defs',
      '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    ];
    const jobs = srs.map((s, i) => {
      const ref = gdalReference(`srs${i}`, [[10, 50], [11, 50], [11, 51], [10, 50]], { aSrs: s });
      const path = join(dir, `srs${i}.tif`);
      writeFileSync(path, new Uint8Array(toGeoTIFF({ width: 2, height: 2, transform: [10, 0.5, 0, 51, 0, -0.5], crs: s, nodata: null, dtype: 'uint8', data: new Uint8Array(4) })));
      return { path, ref };
    });
    gdalRead(jobs).forEach((g, i) => {
      expect(g.hasSrs, srs[i]).toBe(true);
      expect(g.isSame, `${srs[i]}\n ours: ${g.wkt}\n gdal: ${g.refWkt}`).toBe(true);
    });
  });

  it('every PROJ ellipsoid name: proj4 longlat and laea on it equal GDAL\'s GTiff of the same string', () => {
    const ellps = ['MERIT', 'SGS85', 'GRS80', 'IAU76', 'airy', 'APL4.9', 'NWL9D', 'mod_airy', 'andrae', 'aust_SA', 'GRS67', 'bessel',
      'bess_nam', 'clrk66', 'clrk80', 'clrk80ign', 'CPM', 'delmbr', 'engelis', 'evrst30', 'evrst48', 'evrst56', 'evrst69', 'evrstSS',
      'fschr60', 'fschr60m', 'fschr68', 'helmert', 'hough', 'intl', 'kaula', 'lerch', 'mprts', 'new_intl', 'plessis', 'krass',
      'SEasia', 'walbeck', 'WGS60', 'WGS66', 'WGS72', 'WGS84', 'sphere'];
    const defs = ellps.flatMap((e) => [`+proj=longlat +ellps=${e} +no_defs`, `+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=${e} +towgs84=1,2,3 +units=m +no_defs`]);
    const jobs = defs.map((d, i) => {
      const path = join(dir, `ell${i}.tif`);
      writeFileSync(path, new Uint8Array(toGeoTIFF({ width: 1, height: 1, transform: [0, 1, 0, 1, 0, -1], crs: d, nodata: null, dtype: 'uint8', data: new Uint8Array(1) })));
      return { path, ref: join(dir, `ell${i}.ref.tif`), def: d };
    });
    // references made the way gdal_rasterize creates its output: a GTiff given the SRS imported from the string
    python(String.raw`
import sys, json
from osgeo import gdal, osr
for j in json.load(sys.stdin):
    s = osr.SpatialReference(); s.ImportFromProj4(j['def'])
    ds = gdal.GetDriverByName('GTiff').Create(j['ref'], 1, 1, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((0, 1, 0, 1, 0, -1)); ds.SetSpatialRef(s); ds = None
`, JSON.stringify(jobs));
    const bad = gdalRead(jobs).map((g, i) => (g.isSame ? '' : `${defs[i]}\n ours: ${g.wkt}\n gdal: ${g.refWkt}`)).filter(Boolean);
    expect(bad).toEqual([]);
  });

  it('WKT input: a root EPSG authority is written as the code, other WKT as user-defined keys', () => {
    const wkts = pythonJson<string[]>(String.raw`
import json
from osgeo import osr
a = osr.SpatialReference(); a.ImportFromEPSG(32633)
b = osr.SpatialReference(); b.ImportFromProj4('+proj=laea +lat_0=45 +lon_0=-100 +x_0=0 +y_0=0 +ellps=WGS84 +units=m')
print(json.dumps([a.ExportToWkt(), b.ExportToWkt(), a.ExportToWkt(['FORMAT=WKT2_2018'])]))
`);
    const jobs = wkts.map((w, i) => {
      const path = join(dir, `wkt${i}.tif`);
      writeFileSync(path, new Uint8Array(toGeoTIFF({ width: 2, height: 2, transform: [0, 1, 0, 2, 0, -1], crs: w, nodata: null, dtype: 'uint8', data: new Uint8Array(4) })));
      return { path };
    });
    const got = gdalRead(jobs);
    expect(got[0].epsg).toBe('32633');
    expect(got[2].epsg).toBe('32633');
    const same = python(String.raw`
import sys
from osgeo import gdal, osr
ours = gdal.Open(sys.argv[1]).GetSpatialRef()
ref = osr.SpatialReference(); ref.ImportFromWkt(sys.argv[2])
print(bool(ours.IsSame(ref)))
`, undefined, [jobs[1].path, wkts[1]]).trim();
    expect(same).toBe('True');
  });

  it('refuses CRSs GeoTIFF keys cannot carry, with a one-line error naming the CRS', () => {
    const base = { width: 1, height: 1, transform: [0, 1, 0, 1, 0, -1] as GeoTransform, nodata: null, dtype: 'uint8' as const, data: new Uint8Array(1) };
    expect(() => toGeoTIFF({ ...base, crs: '+proj=robin +lon_0=0 +datum=WGS84' })).toThrow(/^cannot write CRS '\+proj=robin .*projection 'robin' is not supported/);
    expect(() => toGeoTIFF({ ...base, crs: 'EPSG:99999' })).toThrow('unknown CRS code EPSG:99999');
    expect(() => toGeoTIFF({ ...base, crs: undefined, data: new Uint8Array(2) })).toThrow('raster data has 2 values, expected 1x1 = 1');
    expect(() => toGeoTIFF({ ...base, crs: undefined, data: new Uint16Array(1) as unknown as Uint8Array })).toThrow(/not a uint8 array/);
    expect(() => toGeoTIFF({ ...base, crs: undefined, transform: [0, 1, 0, NaN, 0, -1] })).toThrow(/6 finite numbers/);
  });
});

describe('GDAL_NODATA text', () => {
  it('matches what GDAL itself writes for the same value', () => {
    const values = [0.1, 1e-5, 1e20, 123456789012345678, -9999, 255, 2.5, 3.4028234663852886e38, 1e-300, 5e-324, 1 / 3, -0,
      1e15, 1e17, 1e18, 123456.789, -1.5e-7, 0.0001, 0.00001, 4294967295, -2147483648, NaN, Infinity, -Infinity, 1.7976931348623157e308];
    const files = values.map((_, i) => join(dir, `nd${i}.tif`));
    python(String.raw`
import sys, json
from osgeo import gdal
vals, files = json.loads(sys.stdin.read())
for v, f in zip(vals, files):
    ds = gdal.GetDriverByName('GTiff').Create(f, 1, 1, 1, gdal.GDT_Float64)
    ds.GetRasterBand(1).SetNoDataValue(float(v))
    ds = None
`, JSON.stringify([values.map((v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '-0.0' : v.toString())), files]));
    values.forEach((v, i) => {
      expect(formatGdalNoData(v), String(v)).toBe(gdalNoDataTag(readFileSync(files[i])));
    });
  });

  it('formatG follows printf %g switching and trimming', () => {
    expect(formatG(100000, 6)).toBe('100000');
    expect(formatG(1000000, 6)).toBe('1e+06');
    expect(formatG(0.0001, 6)).toBe('0.0001');
    expect(formatG(0.00001234, 6)).toBe('1.234e-05');
    expect(formatG(-2.5, 18)).toBe('-2.5');
    expect(formatG(1e100, 18)).toBe("1.00000000000000002e+100");
  });
});

// the ASCII value of tag 42113 in a little-endian classic TIFF written by GDAL
function gdalNoDataTag(buf: Buffer): string {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (dv.getUint16(e, true) !== 42113) continue;
    const count = dv.getUint32(e + 4, true);
    const at = count <= 4 ? e + 8 : dv.getUint32(e + 8, true);
    return buf.subarray(at, at + count - 1).toString('latin1');
  }
  throw new Error('no GDAL_NODATA tag');
}
