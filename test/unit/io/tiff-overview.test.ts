// GDAL's nearest overview rule, with expectations read off GDAL 3.6.2's gdaladdo -r nearest on a 37x23 raster
// whose pixels hold their own column (the oracle test test/oracle/io-geotiff-overviews.test.ts compares whole files).
import { describe, expect, it } from 'vitest';
import type { GeoTIFFLayout } from '../../../src/io/tiff/layout.js';
import type { Pixel } from '../../../src/dtype.js';
import type { TypedArray } from '../../../src/types.js';
import { cogOverviews, cogOverviewSizes, modeDown, nearestDown, overviewBands, overviewsUnrebuildable } from '../../../src/io/tiff/overview.js';
import { pixelList } from '../../shared/pixels.js';

const W = 37, H = 23;
const columns = Uint16Array.from({ length: W * H }, (_, i) => i % W);
const firstRow = (a: TypedArray, w: number): Pixel[] => pixelList(a).slice(0, w);

function layout(levels: [number, number][], more: Partial<GeoTIFFLayout> = {}): GeoTIFFLayout {
  const one = { width: W, height: H, samplesPerPixel: 1, sampleBytes: 2, sampleFormat: 1, planar: 1, unsupported: null, overviews: 0, overviewLayouts: [] } as unknown as GeoTIFFLayout;
  return { ...one, ...more, overviews: levels.length, overviewLayouts: levels.map(([width, height]) => ({ ...one, ...more, width, height })) };
}

describe('overviews sampled as gdaladdo -r nearest', () => {
  it('takes the pixel at floor(0.5 + i * ratio)', () => {
    expect(firstRow(nearestDown({ data: columns, width: W, height: H }, 19, 12).data, 19)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 19, 21, 23, 25, 27, 29, 31, 33, 35]);
    expect(firstRow(nearestDown({ data: columns, width: W, height: H }, 13, 8).data, 13)).toEqual([0, 3, 6, 9, 11, 14, 17, 20, 23, 26, 28, 31, 34]);
  });

  it('samples each level from the one before it when that is larger, else from the full-resolution band', () => {
    // levels 2 4 8 3, in that order in the file
    const [l2, l4, l8, l3] = overviewBands(layout([[19, 12], [10, 6], [5, 3], [13, 8]]), columns);
    expect(firstRow(l2, 19)).toHaveLength(19);
    expect(firstRow(l4, 10)).toEqual([0, 4, 8, 12, 16, 19, 21, 25, 29, 33]);
    expect(firstRow(l8, 5)).toEqual([0, 8, 16, 21, 29]);
    expect(firstRow(l3, 13)).toEqual([0, 3, 6, 9, 11, 14, 17, 20, 23, 26, 28, 31, 34]);
  });

  it('says why it leaves overviews as they were', () => {
    expect(overviewsUnrebuildable(layout([[19, 12]]))).toBeNull();
    expect(overviewsUnrebuildable(layout([[19, 12]], { sampleBytes: 4, sampleFormat: 1 }))).toBe('integer 32-bit samples');
    expect(overviewsUnrebuildable(layout([[19, 12]], { sampleBytes: 4, sampleFormat: 3 }))).toBeNull();
    expect(overviewsUnrebuildable(layout([[19, 12]], { sampleBytes: 8, sampleFormat: 3 }))).toBe('float 64-bit samples');
    expect(overviewsUnrebuildable(layout([[19, 12]], { planar: 2, samplesPerPixel: 3 }))).toBe('one plane per band');
  });
});

// GDAL 3.6's COG driver (gdal_translate -of COG -co RESAMPLING=MODE); whole files in test/oracle/diff-cog-overviews.test.ts
describe('COG overviews', () => {
  const row = (values: number[]) => ({ data: Int16Array.from(values), width: values.length, height: 1 });

  it('MODE: the most frequent value of each window, windows from floor(i * r) to ceil((i + 1) * r)', () => {
    // r = 2.5: windows [0, 3) and [2, 5) overlap
    expect(pixelList(modeDown(row([1, 2, 2, 1, 1]), 2, 1, null).data)).toEqual([2, 1]);
  });

  it('MODE: a tie goes to the value that reached the highest count first, not the one seen first', () => {
    expect(pixelList(modeDown(row([3, 4, 4, 3]), 1, 1, null).data)).toEqual([4]);
    expect(pixelList(modeDown(row([3, 4, 3, 4]), 1, 1, null).data)).toEqual([3]);
  });

  it('MODE: nodata is left out, and a window of nothing else gives nodata', () => {
    expect(pixelList(modeDown(row([0, 0, 7, 0, 0, 0]), 2, 1, 0).data)).toEqual([7, 0]);
  });

  it('level sizes halve, rounding down and never below 1, until one block holds the level (or OVERVIEW_COUNT levels)', () => {
    expect(cogOverviewSizes(1201, 803, 512)).toEqual([[600, 401], [300, 200]]);
    expect(cogOverviewSizes(2000, 3, 128)).toEqual([[1000, 1], [500, 1], [250, 1], [125, 1]]);
    expect(cogOverviewSizes(1201, 803, 512, 5)).toEqual([[600, 401], [300, 200], [150, 100], [75, 50], [37, 25]]);
    expect(cogOverviewSizes(512, 512, 512)).toEqual([]);
  });

  it('each band of a pixel-interleaved raster is reduced on its own, each level from the one before', () => {
    // two bands, 4 x 1: band 1 = 1 2 3 4, band 2 = 5 6 7 8
    const [half, quarter] = cogOverviews(Int16Array.from([1, 5, 2, 6, 3, 7, 4, 8]), 4, 1, 2, [[2, 1], [1, 1]], 'nearest', null, 'int16');
    expect(pixelList(half.data)).toEqual([1, 5, 3, 7]);
    expect(pixelList(quarter.data)).toEqual([1, 5]);
  });
});
