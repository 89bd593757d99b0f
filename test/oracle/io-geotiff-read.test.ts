// gridFromGeoTIFF / readGeoTIFFRaster against files GDAL 3.6.2 writes (gdal_create, gdal_translate, gdal_rasterize,
// osgeo.gdal): the geotransform must equal GDAL's GetGeoTransform() bit for bit, the CRS must be the one GDAL
// reads, and band data and nodata must equal ReadAsArray()/GetNoDataValue().
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGdalDouble } from '../../src/io/tiff/gdal-nodata.js';
import { gridFromGeoTIFF, readGeoTIFFRaster } from '../../src/io/tiff/read.js';
import { toGeoTIFF } from '../../src/io/tiff/write.js';
import type { TypedArray } from '../../src/types.js';
import { gdalRasterize, python } from './gdal/oracle.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rb-io-read-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const py = python;
function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
function file(name: string): ArrayBuffer {
  const b = readFileSync(join(dir, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
function hex64(v: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b.toString('hex');
}
function sha(a: TypedArray): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

// GDAL's view of each file: geotransform bytes (null when GDAL has none), SRS code, data hash, nodata bytes
const INFO = String.raw`
import sys, json, struct, hashlib
from osgeo import gdal
gdal.UseExceptions()
out = []
for job in json.load(sys.stdin):
    ds = gdal.Open(job['path'])
    gt = ds.GetGeoTransform(can_return_null=True)
    srs = ds.GetSpatialRef()
    r = {'gt': None if gt is None else [struct.pack('<d', v).hex() for v in gt],
         'epsg': srs.GetAuthorityCode(None) if srs is not None else None,
         'wkt': srs.ExportToWkt() if srs is not None else None}
    band = job.get('band')
    if band:
        b = ds.GetRasterBand(band)
        nd = b.GetNoDataValue()
        r['sha'] = hashlib.sha256(b.ReadAsArray().tobytes()).hexdigest()
        r['nodata'] = None if nd is None else struct.pack('<d', nd).hex()
        r['bands'] = ds.RasterCount
    out.append(r)
print(json.dumps(out))
`;
interface Info { gt: string[] | null; epsg: string | null; wkt: string | null; sha?: string; nodata?: string | null; bands?: number }
function gdalInfo(jobs: Array<{ name: string; band?: number }>): Info[] {
  return JSON.parse(py(INFO, jobs.map((j) => ({ path: join(dir, j.name), band: j.band }))));
}

// rewrites one DOUBLE value of a tag in a little-endian classic TIFF (to make files GDAL never writes)
function patchDouble(buf: ArrayBuffer, tag: number, index: number, value: number): void {
  const dv = new DataView(buf);
  const ifd = dv.getUint32(4, true);
  for (let i = 0; i < dv.getUint16(ifd, true); i++) {
    const e = ifd + 2 + i * 12;
    if (dv.getUint16(e, true) === tag) {
      dv.setFloat64(dv.getUint32(e + 8, true) + index * 8, value, true);
      return;
    }
  }
  throw new Error(`tag ${tag} not found`);
}

describe('gridFromGeoTIFF georeferencing equals GDAL', () => {
  it('scale+tiepoint, PixelIsPoint, ModelTransformation, south-up, negative ScaleY, offset tiepoint, none', async () => {
    py(String.raw`
import sys
from osgeo import gdal
d = sys.argv[1]
def make(name, gt, point=False, srs=None):
    ds = gdal.GetDriverByName('GTiff').Create(d + '/' + name, 7, 5, 1, gdal.GDT_Byte)
    if gt is not None: ds.SetGeoTransform(gt)
    if srs: ds.SetProjection(srs)
    if point: ds.SetMetadataItem('AREA_OR_POINT', 'Point')
    ds = None
make('area.tif', (500000.123456789, 0.1, 0, 5500000.987654321, 0, -0.30000000000000004), srs='EPSG:32633')
make('point.tif', (100.1, 0.3, 0, 200.7, 0, -0.3), point=True)
make('point2.tif', (-179.99583333333334, 0.008333333333333333, 0, 83.99583333333334, 0, -0.008333333333333333), point=True, srs='EPSG:4326')
make('rot.tif', (100.5, 2, 0.5, 200.25, 0.25, -2))
make('rotpoint.tif', (100.1, 0.3, 0.1, 200.7, 0.1, -0.3), point=True)
make('southup.tif', (10, 0.1, 0, 50, 0, 0.1))
make('nogeo.tif', None)
`.replace('sys.argv[1]', JSON.stringify(dir)));
    run('gdal_translate', ['-q', '-mo', 'AREA_OR_POINT=Point', join(dir, 'area.tif'), join(dir, 'translated-point.tif')]);
    run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '11', '3', '-a_srs', 'EPSG:3035', '-a_ullr', '4321000.3', '3210000.7', '4321011.3', '3209997.7', join(dir, 'created.tif')]);
    // files GDAL does not write but reads: negative ScaleY, and a tiepoint at raster position (2.5, 1.5)
    const neg = toGeoTIFF({ width: 4, height: 3, transform: [10, 0.25, 0, 50, 0, -0.125], crs: 'EPSG:4326', nodata: null, dtype: 'uint8', data: new Uint8Array(12) });
    patchDouble(neg, 33550, 1, -0.125);
    writeFileSync(join(dir, 'negscale.tif'), new Uint8Array(neg));
    const off = toGeoTIFF({ width: 4, height: 3, transform: [10.1, 0.3, 0, 50.7, 0, -0.7], crs: 'EPSG:4326', nodata: null, dtype: 'uint8', data: new Uint8Array(12) });
    patchDouble(off, 33922, 0, 2.5);
    patchDouble(off, 33922, 1, 1.5);
    writeFileSync(join(dir, 'offtie.tif'), new Uint8Array(off));

    const names = ['area.tif', 'point.tif', 'point2.tif', 'rot.tif', 'rotpoint.tif', 'southup.tif', 'translated-point.tif', 'created.tif', 'negscale.tif', 'offtie.tif'];
    const gdal = gdalInfo(names.map((name) => ({ name })));
    for (let i = 0; i < names.length; i++) {
      const grid = await gridFromGeoTIFF(file(names[i]));
      expect(grid.transform.map(hex64), names[i]).toEqual(gdal[i].gt);
      expect(grid.crs ?? null, names[i]).toBe(gdal[i].epsg === null ? null : `EPSG:${gdal[i].epsg}`);
    }
    // GDAL reports no geotransform; gdal_rasterize then burns in pixel coordinates, i.e. GDAL's default identity
    const nogeo = await gridFromGeoTIFF(file('nogeo.tif'));
    expect(nogeo).toEqual({ width: 7, height: 5, transform: [0, 1, 0, 0, 0, 1] });
    expect(gdalInfo([{ name: 'nogeo.tif' }])[0].gt).toBe(null);
  });

  it('GCP-only files are refused with a one-line error', async () => {
    run('gdal_translate', ['-q', '-of', 'GTiff', '-gcp', '0', '0', '10', '50', '-gcp', '7', '0', '11', '50', '-gcp', '0', '5', '10', '49', join(dir, 'nogeo.tif'), join(dir, 'gcps.tif')]);
    await expect(gridFromGeoTIFF(file('gcps.tif'))).rejects.toThrow(/^buffer: georeferenced by 3 tiepoint\(s\) \(GCPs\) without a pixel scale/);
  });
});

describe('gridFromGeoTIFF CRS from the keys', () => {
  it('EPSG codes as GDAL reads them', async () => {
    const codes = [4326, 4258, 32633, 32733, 3857, 3035, 27700, 2263, 2154, 25832, 3413, 28992];
    for (const c of codes) run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '2', '2', '-a_srs', `EPSG:${c}`, '-a_ullr', '0', '2', '2', '0', join(dir, `e${c}.tif`)]);
    const gdal = gdalInfo(codes.map((c) => ({ name: `e${c}.tif` })));
    for (let i = 0; i < codes.length; i++) {
      expect((await gridFromGeoTIFF(file(`e${codes[i]}.tif`))).crs).toBe(`EPSG:${gdal[i].epsg}`);
    }
  });

  it('user-defined keys give a proj4 string that transforms like GDAL\'s SRS of the file', async () => {
    const srs = [
      '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs',
      '+proj=lcc +lat_1=41.03333333333333 +lat_2=40.66666666666666 +lat_0=40.16666666666666 +lon_0=-74 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
      '+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +datum=NAD83 +units=m +no_defs',
      '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
      '+proj=stere +lat_0=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 +datum=WGS84 +units=m',
      '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs',
      '+proj=eqc +lat_ts=30 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m',
      '+proj=merc +lat_ts=41 +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m',
      '+proj=merc +lon_0=10 +k=0.99 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
      '+proj=lcc +lat_1=18 +lat_0=18 +lon_0=-77 +k_0=1 +x_0=250000 +y_0=150000 +ellps=clrk66 +units=m',
      '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
      '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
      '+proj=longlat +a=6371000 +b=6371000 +no_defs',
      '+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs',
    ];
    const gj = join(dir, 'sq.geojson');
    writeFileSync(gj, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[10, 50], [11, 50], [11, 51], [10, 50]]] } }] }));
    const ours: string[] = [];
    for (let i = 0; i < srs.length; i++) {
      gdalRasterize(['-q', '-a_srs', srs[i], '-ts', '2', '2', '-burn', '1', gj, join(dir, `u${i}.tif`)]);
      const crs = (await gridFromGeoTIFF(file(`u${i}.tif`))).crs!;
      expect(crs, srs[i]).toMatch(/^\+proj=/);
      ours.push(crs);
    }
    // GDAL transforms sample lon/lat points into each file's SRS and into ours: they must agree to a micrometre
    const worst = JSON.parse(py(String.raw`
import sys, json
from osgeo import gdal, osr
jobs = json.load(sys.stdin)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
res = []
for path, p4 in jobs:
    a = gdal.Open(path).GetSpatialRef(); a.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    b = osr.SpatialReference(); b.ImportFromProj4(p4); b.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ta = osr.CoordinateTransformation(wgs, a); tb = osr.CoordinateTransformation(wgs, b)
    w = 0
    for lon, lat in [(-74, 40.7), (-2, 52), (3, 46), (10, 52), (-96, 40), (-45, 75), (15, 60)]:
        pa = ta.TransformPoint(lon, lat); pb = tb.TransformPoint(lon, lat)
        w = max(w, abs(pa[0] - pb[0]), abs(pa[1] - pb[1]))
    res.append(w)
print(json.dumps(res))
`, srs.map((_, i) => [join(dir, `u${i}.tif`), ours[i]])));
    const bad = worst.map((w: number, i: number) => (w < 1e-6 ? '' : `${w}: ${srs[i]} -> ${ours[i]}`)).filter(Boolean);
    expect(bad).toEqual([]);
  });

  it('GDAL\'s ESRI PE citation for a proj4 Web Mercator reads as EPSG:3857', async () => {
    const gj = join(dir, 'sq.geojson');
    gdalRasterize(['-q', '-a_srs', '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs', '-ts', '2', '2', '-burn', '1', gj, join(dir, 'webm.tif')]);
    expect((await gridFromGeoTIFF(file('webm.tif'))).crs).toBe('EPSG:3857');
    const same = py(String.raw`
from osgeo import gdal, osr
ref = osr.SpatialReference(); ref.ImportFromEPSG(3857)
print(bool(gdal.Open(${JSON.stringify(join(dir, 'webm.tif'))}).GetSpatialRef().IsSame(ref)))
`).trim();
    expect(same).toBe('True');
  });
});

describe('readGeoTIFFRaster equals ReadAsArray and GetNoDataValue', () => {
  it('every dtype, nodata spellings, compression and layouts, multi-band', async () => {
    const made: Array<{ name: string; band: number; dtype: string }> = JSON.parse(py(String.raw`
import sys, json
import numpy as np
from osgeo import gdal
d = sys.argv[1]
rng = np.random.default_rng(5)
types = {'uint8': (gdal.GDT_Byte, np.uint8), 'int16': (gdal.GDT_Int16, np.int16), 'uint16': (gdal.GDT_UInt16, np.uint16),
         'int32': (gdal.GDT_Int32, np.int32), 'uint32': (gdal.GDT_UInt32, np.uint32), 'float32': (gdal.GDT_Float32, np.float32),
         'float64': (gdal.GDT_Float64, np.float64)}
nodatas = {'uint8': 255, 'int16': -32768, 'uint16': 0, 'int32': 2147483647, 'uint32': 4294967295, 'float32': 0.1, 'float64': float('nan')}
opts = [[], ['COMPRESS=DEFLATE', 'PREDICTOR=2'], ['COMPRESS=LZW', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'], ['COMPRESS=PACKBITS'], ['INTERLEAVE=BAND'],
        ['INTERLEAVE=BAND', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=32'], ['INTERLEAVE=BAND', 'BLOCKYSIZE=4']]
out = []
for t, (gt, npt) in types.items():
    info = np.iinfo(npt) if np.issubdtype(npt, np.integer) else np.finfo(npt)
    for k, co in enumerate(opts):
        if t.startswith('float') and 'PREDICTOR=2' in co: co = ['COMPRESS=DEFLATE', 'PREDICTOR=3']
        name = '%s-%d.tif' % (t, k)
        ds = gdal.GetDriverByName('GTiff').Create(d + '/' + name, 37, 21, 2, gt, co)
        ds.SetGeoTransform((1, 0.5, 0, 2, 0, -0.5))
        for b in (1, 2):
            if np.issubdtype(npt, np.integer):
                a = rng.integers(info.min, info.max, size=(21, 37), dtype=npt, endpoint=True)
                a.flat[:2] = [info.min, info.max]
            else:
                a = (rng.standard_normal((21, 37)) * 1e5).astype(npt)
                a.flat[:5] = [np.nan, np.inf, -np.inf, -0.0, info.max]
            ds.GetRasterBand(b).WriteArray(a)
            if k != 3: ds.GetRasterBand(b).SetNoDataValue(nodatas[t])
        ds = None
        out.append({'name': name, 'band': 1 + (k % 2), 'dtype': t})
print(json.dumps(out))
`.replace('sys.argv[1]', JSON.stringify(dir))));
    const gdal = gdalInfo(made.map((m) => ({ name: m.name, band: m.band })));
    for (let i = 0; i < made.length; i++) {
      const r = await readGeoTIFFRaster(file(made[i].name), made[i].band);
      const what = `${made[i].name} band ${made[i].band}`;
      expect(r.dtype, what).toBe(made[i].dtype);
      expect(r.bandCount, what).toBe(2);
      expect(sha(r.data), what).toBe(gdal[i].sha);
      if (gdal[i].nodata === null) expect(r.nodata, what).toBe(null);
      else if (Number.isNaN(Buffer.from(gdal[i].nodata!, 'hex').readDoubleLE(0))) expect(Number.isNaN(r.nodata), what).toBe(true);
      else expect(hex64(r.nodata!), what).toBe(gdal[i].nodata);
      expect(r.grid.transform, what).toEqual([1, 0.5, 0, 2, 0, -0.5]);
    }
  });

  it('nodata text parsed as GDAL does, Float32 rounded to float', async () => {
    const cases = ['0.1', '-9999', '1e39', '-1e39', 'nan', '-inf', 'inf', '3.40282347e+38', '1.5 garbage', 'garbage'];
    // GDAL's API cannot set arbitrary nodata text: append the text to one of our files and point the tag at it
    for (let i = 0; i < cases.length; i++) {
      const bytes = new Uint8Array(toGeoTIFF({ width: 1, height: 1, transform: [0, 1, 0, 1, 0, -1], crs: undefined, nodata: 0, dtype: 'float32', data: new Float32Array(1) }));
      const out = new Uint8Array(bytes.length + cases[i].length + 1);
      out.set(bytes);
      out.set(Buffer.from(`${cases[i]}\0`, 'latin1'), bytes.length);
      const dv = new DataView(out.buffer);
      const ifd = dv.getUint32(4, true);
      let found = false;
      for (let e = 0; e < dv.getUint16(ifd, true); e++) {
        const p = ifd + 2 + e * 12;
        if (dv.getUint16(p, true) !== 42113) continue;
        const count = cases[i].length + 1;
        dv.setUint32(p + 4, count, true);
        // up to 4 bytes live inside the entry itself
        if (count <= 4) out.set(Buffer.from(`${cases[i]}\0`.padEnd(4, '\0'), 'latin1'), p + 8);
        else dv.setUint32(p + 8, bytes.length, true);
        found = true;
      }
      expect(found).toBe(true);
      writeFileSync(join(dir, `nd${i}.tif`), out);
    }
    const gdal = gdalInfo(cases.map((_, i) => ({ name: `nd${i}.tif`, band: 1 })));
    for (let i = 0; i < cases.length; i++) {
      const r = await readGeoTIFFRaster(file(`nd${i}.tif`));
      const g = Buffer.from(gdal[i].nodata!, 'hex').readDoubleLE(0);
      if (Number.isNaN(g)) expect(Number.isNaN(r.nodata), cases[i]).toBe(true);
      else expect(r.nodata, cases[i]).toBe(g);
    }
    expect(parseGdalDouble('12abc')).toBe(12);
    expect(parseGdalDouble('-1.#INF')).toBe(-Infinity);
  });

  it('unsupported sample types and bad bands fail with one line naming the type', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['int8.tif', ['-ot', 'Byte', '-co', 'PIXELTYPE=SIGNEDBYTE'], /band 1 has sample type int8 \(SampleFormat 2, 8 bits\)/],
      ['cint16.tif', ['-ot', 'CInt16'], /sample type complex int16 \(SampleFormat 5, 32 bits\)/],
      ['cfloat32.tif', ['-ot', 'CFloat32'], /sample type complex float32/],
      ['bit1.tif', ['-ot', 'Byte', '-co', 'NBITS=1'], /sample type uint1 /],
      ['half.tif', ['-ot', 'Float32', '-co', 'NBITS=16'], /sample type float16 /],
    ];
    for (const [name, opts] of cases) run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '3', '2', ...opts, join(dir, name)]);
    for (const [name, , re] of cases) {
      const err = await readGeoTIFFRaster(file(name)).then(() => null, (e: Error) => e);
      expect(err?.message, name).toMatch(re);
      expect(err?.message, name).not.toContain('\n');
    }
    // 64-bit integers are read (as BigInt arrays), compressed too
    for (const [t, Ctor] of [['Int64', BigInt64Array], ['UInt64', BigUint64Array]] as const) {
      run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '3', '2', '-ot', t, '-burn', '9007199254740993', '-co', 'COMPRESS=DEFLATE', join(dir, `${t}.tif`)]);
      const r = await readGeoTIFFRaster(file(`${t}.tif`));
      expect(r.data).toBeInstanceOf(Ctor);
      expect(r.data.length).toBe(6);
    }
    run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '3', '2', '-bands', '3', join(dir, 'three.tif')]);
    await expect(readGeoTIFFRaster(file('three.tif'), 4)).rejects.toThrow('buffer: band 4 does not exist (the file has 3 bands)');
    await expect(readGeoTIFFRaster(file('three.tif'), 0)).rejects.toThrow('band 0 does not exist');
    expect((await readGeoTIFFRaster(file('three.tif'), 3)).bandCount).toBe(3);
    await expect(gridFromGeoTIFF(new Uint8Array([1, 2, 3]).buffer)).rejects.toThrow(/^cannot read GeoTIFF buffer: /);
    await expect(gridFromGeoTIFF('some/local/file.tif')).rejects.toThrow("cannot read GeoTIFF 'some/local/file.tif': not a URL; read local files into an ArrayBuffer first");
  });
});

describe('readGeoTIFFRaster of toGeoTIFF output', () => {
  it('round-trips every dtype; a single-strip-run band comes back as a view on the file', async () => {
    for (const [dtype, make] of [['uint8', Uint8Array], ['int16', Int16Array], ['uint16', Uint16Array], ['int32', Int32Array],
      ['uint32', Uint32Array], ['float32', Float32Array], ['float64', Float64Array]] as const) {
      const data = new make(300 * 70);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 200;
      for (const layout of ['strips', 'tiles'] as const) {
        const buf = toGeoTIFF({ width: 300, height: 70, transform: [0, 1, 0, 70, 0, -1], crs: 'EPSG:3035', nodata: 5, dtype, data }, { layout, tileSize: 64 });
        const r = await readGeoTIFFRaster(buf);
        expect([r.dtype, r.nodata, r.grid.width, r.grid.height], `${dtype} ${layout}`).toEqual([dtype, 5, 300, 70]);
        expect(sha(r.data), `${dtype} ${layout}`).toBe(sha(data));
        expect(r.data.buffer === buf, `${dtype} ${layout}`).toBe(layout === 'strips');
      }
    }
  });
});

describe('gridFromGeoTIFF sources', () => {
  it('reads ArrayBuffer, Uint8Array, Blob and an http URL alike', async () => {
    run('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '5', '4', '-a_srs', 'EPSG:32633', '-a_ullr', '500000', '5500004', '500005', '5500000', join(dir, 'src.tif')]);
    const bytes = readFileSync(join(dir, 'src.tif'));
    const want = { width: 5, height: 4, transform: [500000, 1, 0, 5500004, 0, -1], crs: 'EPSG:32633' };
    expect(await gridFromGeoTIFF(file('src.tif'))).toEqual(want);
    expect(await gridFromGeoTIFF(new Uint8Array(bytes))).toEqual(want);
    expect(await gridFromGeoTIFF(new Blob([bytes]))).toEqual(want);
    const server = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (m) {
        const start = Number(m[1]), end = Math.min(Number(m[2]), bytes.length - 1);
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': end - start + 1 });
        res.end(bytes.subarray(start, end + 1));
      } else {
        res.writeHead(200, { 'Content-Length': bytes.length });
        res.end(bytes);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      expect(await gridFromGeoTIFF(new URL(`http://127.0.0.1:${port}/src.tif`))).toEqual(want);
      expect(await gridFromGeoTIFF(`http://127.0.0.1:${port}/src.tif`)).toEqual(want);
    } finally {
      server.close();
    }
  });
});
