// The one TIFF tag and field-type table (src/io/tiff/tags.ts): every tag the GeoTIFF writer emits reads back
// through the IFD reader with the table's code and type, the encoder's chunk-array positions are where the reader
// finds the arrays, and the names, codes and type sizes agree with geotiff.js's own tables.
import { globals } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { GK } from '../../../src/io/tiff/geokeys.js';
import { IfdReader } from '../../../src/io/tiff/ifd-read.js';
import { TAGS, TYPE, TYPE_SIZE, type TagName } from '../../../src/io/tiff/tags.js';
import { encodeHead, toGeoTIFF, type GeoTIFFWriteOptions } from '../../../src/io/tiff/write.js';
import type { GeoTransform, Raster } from '../../../src/types.js';

const NAME_OF = new Map<number, TagName>(Object.entries(TAGS).map(([name, t]) => [t.code, name as TagName]));

function raster(transform: GeoTransform, crs: string | undefined, nodata: number | null): Raster {
  return { width: 40, height: 30, dtype: 'float32', data: new Float32Array(40 * 30), transform, crs, nodata };
}

function tagsOf(file: ArrayBuffer): { name: string; type: number }[] {
  const r = new IfdReader(new Uint8Array(file));
  return r.firstIfd().map((e) => ({ name: NAME_OF.get(e.tag) ?? `unknown tag ${e.tag}`, type: e.type }));
}

const NORTH_UP: GeoTransform = [500000, 10, 0, 5500000, 0, -10];
const ROTATED: GeoTransform = [500000, 10, 1, 5500000, 1, -10];
// user-defined keys: GeoDoubleParams and GeoAsciiParams are written too
const LAEA = '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m';

describe('the TIFF tag table', () => {
  // the tag/type pairs the writer emits, spelled out here rather than taken from the table, so that the table is pinned
  const { SHORT, LONG, LONG8, DOUBLE, ASCII } = { SHORT: 3, LONG: 4, LONG8: 16, DOUBLE: 12, ASCII: 2 };
  const head = (o: number, c: number): [TagName, number][] => [
    ['ImageWidth', LONG], ['ImageLength', LONG], ['BitsPerSample', SHORT], ['Compression', SHORT], ['PhotometricInterpretation', SHORT],
    ['StripOffsets', o], ['SamplesPerPixel', SHORT], ['RowsPerStrip', LONG], ['StripByteCounts', c], ['PlanarConfiguration', SHORT],
  ];
  const cases: { what: string; r: Raster; opts: GeoTIFFWriteOptions; tags: [TagName, number][] }[] = [
    {
      what: 'strips, north-up, user-defined CRS, nodata', r: raster(NORTH_UP, LAEA, -9999), opts: {},
      tags: [...head(LONG, LONG), ['SampleFormat', SHORT], ['ModelPixelScale', DOUBLE], ['ModelTiepoint', DOUBLE], ['GeoKeyDirectory', SHORT],
        ['GeoDoubleParams', DOUBLE], ['GeoAsciiParams', ASCII], ['GDAL_NODATA', ASCII]],
    },
    {
      what: 'tiles, BigTIFF, rotated, EPSG code, no nodata', r: raster(ROTATED, 'EPSG:32633', null), opts: { layout: 'tiles', tileSize: 16, bigTiff: true },
      tags: [['ImageWidth', LONG], ['ImageLength', LONG], ['BitsPerSample', SHORT], ['Compression', SHORT], ['PhotometricInterpretation', SHORT],
        ['SamplesPerPixel', SHORT], ['PlanarConfiguration', SHORT], ['TileWidth', LONG], ['TileLength', LONG], ['TileOffsets', LONG8],
        ['TileByteCounts', LONG8], ['SampleFormat', SHORT], ['ModelTransformation', DOUBLE], ['GeoKeyDirectory', SHORT]],
    },
    {
      what: 'strips, BigTIFF, no CRS', r: raster(NORTH_UP, undefined, 0), opts: { bigTiff: true },
      tags: [...head(LONG8, LONG8), ['SampleFormat', SHORT], ['ModelPixelScale', DOUBLE], ['ModelTiepoint', DOUBLE], ['GDAL_NODATA', ASCII]],
    },
  ];
  for (const c of cases) {
    it(`the writer emits these tags with these types, sorted, and the table agrees: ${c.what}`, () => {
      expect(tagsOf(toGeoTIFF(c.r, c.opts))).toEqual(c.tags.map(([name, type]) => ({ name, type })));
      for (const [name, type] of c.tags) if (type !== LONG8) expect(TAGS[name].type, name).toBe(type);
    });
  }

  it('the encoder reports the chunk arrays where the IFD reader finds them', () => {
    for (const opts of [{ layout: 'tiles', tileSize: 16 }, { layout: 'tiles', tileSize: 16, bigTiff: true }, {}, { bigTiff: true }] as GeoTIFFWriteOptions[]) {
      const enc = encodeHead(raster(NORTH_UP, 'EPSG:4326', null), opts);
      const r = new IfdReader(enc.head);
      const byTag = new Map(r.firstIfd().map((e) => [e.tag, e]));
      const tiled = opts.layout === 'tiles';
      const offsets = byTag.get(tiled ? TAGS.TileOffsets.code : TAGS.StripOffsets.code)!;
      const counts = byTag.get(tiled ? TAGS.TileByteCounts.code : TAGS.StripByteCounts.code)!;
      expect([enc.offsetsAt, enc.countsAt, enc.bigTiff], JSON.stringify(opts)).toEqual([offsets.valueAt, counts.valueAt, r.big]);
      expect(r.uints(offsets)).toEqual(enc.offsets);
    }
  });

  it("names, codes and type sizes agree with geotiff.js's tables", () => {
    for (const [name, t] of Object.entries(TAGS)) expect(globals.tags[name as keyof typeof globals.tags], name).toBe(t.code);
    expect(TYPE).toEqual(globals.fieldTypes);
    expect(TYPE_SIZE).toEqual(Object.fromEntries(Object.entries(globals.fieldTypeSizes).map(([k, v]) => [k, v])));
    const geoKeys = globals.geoKeys as Record<string, number>;
    for (const [name, id] of Object.entries(GK)) expect(geoKeys[`${name}GeoKey`], name).toBe(id);
  });
});
