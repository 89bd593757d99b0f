// A distributed job's pieces without Redis: the partition each tile gets, its trip through the
// partition file, and the tile burn. Stitched, the tiles must equal the whole-grid rasterize() for
// every burn mode and type, odd tile sizes, shapes crossing tiles and vertices far outside the grid
// (seeded scenes; the seed is in each case's name).
import { describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/rasterize.js';
import { resolveRequest } from '../../../src/burn/request.js';
import { shapesOf } from '../../../src/burn/shapes.js';
import { partitionShapes, subsetShapes } from '../../../src/queue/partition.js';
import { decodeShapes, encodeShapes } from '../../../src/queue/shape-file.js';
import { burnTile } from '../../../src/queue/tile-burn.js';
import { checkTileSize, tileCount, tileRect, type TileJobSpec } from '../../../src/queue/tile-grid.js';
import { vrtXml } from '../../../src/queue/vrt.js';
import { parseRedisUrl } from '../../../src/queue/node-redis-url.js';
import { DTYPES, fillPixels, setPixels } from '../../../src/dtype.js';
import { firstDiff, modeOptions, randomScene } from '../../shared/batch-scenes.js';

const CASES = Array.from({ length: 27 }, (_, k) => ({ seed: 4100 + k, mode: k, tile: [7, 16, 23, 64][k % 4] }));

describe('tile burns stitched equal the whole-grid burn', () => {
  for (const c of CASES) {
    it(`seed ${c.seed}, mode ${c.mode}, tile ${c.tile}`, async () => {
      const { features, grid } = randomScene(c.seed, 61, 47);
      const options = modeOptions(c.mode);
      const whole = await rasterize(features, grid, { ...options, backend: 'cpu' });
      const request = resolveRequest(grid, options);
      const { shapes, modes } = shapesOf(features, request);
      // modeOptions has no int64/uint64, which the tile queue refuses
      if (typeof request.start !== 'number') throw new Error(`${request.dtype}: the tile queue burns number pixels only`);
      const spec: TileJobSpec = {
        version: 1, jobId: 'unit', grid: { width: grid.width, height: grid.height, transform: grid.transform, crs: undefined },
        dtype: request.dtype, nodata: request.nodata, start: request.start, ...modes, passes: 1, tileSize: c.tile, sparse: false,
      };
      const part = partitionShapes(shapes, spec);
      const out = DTYPES[request.dtype].make(grid.width * grid.height);
      for (let t = 0; t < tileCount(spec); t++) {
        const rect = tileRect(spec, t);
        const mine = subsetShapes(shapes, part.order.subarray(part.start[t], part.start[t + 1]));
        const burned = await burnTile(spec, rect, decodeShapes(encodeShapes(mine)));
        const w = rect.x1 - rect.x0;
        for (let y = rect.y0; y < rect.y1; y++) setPixels(out, burned.data.subarray((y - rect.y0) * w, (y - rect.y0 + 1) * w), y * grid.width + rect.x0);
        if (!burned.touched) {
          const blank = DTYPES[request.dtype].make(burned.data.length);
          fillPixels(blank, request.start);
          expect(firstDiff(burned.data, blank)).toBe(-1);
        }
      }
      const d = firstDiff(out, whole.data);
      expect(d, d < 0 ? '' : `pixel (${d % grid.width}, ${Math.floor(d / grid.width)}): ${out[d]} vs ${whole.data[d]}`).toBe(-1);
    });
  }
});

describe('partitions', () => {
  it('give a tile only the shapes that may reach it, in order, and round-trip through their file', () => {
    const { features, grid } = randomScene(77, 200, 120);
    const request = resolveRequest(grid, { burnZ: true });
    const { shapes } = shapesOf(features, request);
    const spec = { grid: { width: 200, height: 120, transform: grid.transform, crs: undefined }, tileSize: 50 };
    const part = partitionShapes(shapes, spec);
    for (let t = 0; t < tileCount(spec); t++) {
      const ids = Array.from(part.order.subarray(part.start[t], part.start[t + 1]));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    const all = Array.from({ length: shapes.count }, (_, i) => i);
    const back = decodeShapes(encodeShapes(subsetShapes(shapes, all)));
    expect(back.count).toBe(shapes.count);
    expect(Array.from(back.x)).toEqual(Array.from(shapes.x));
    expect(Array.from(back.z!)).toEqual(Array.from(shapes.z!));
    expect(Array.from(back.vertexStart)).toEqual(Array.from(shapes.vertexStart));
    expect(() => decodeShapes(encodeShapes(shapes).subarray(0, 40), 'p.bin')).toThrow(/^p\.bin is truncated or corrupt/);
  });
});

describe('job checks', () => {
  it('tile sizes are multiples of the written blocks', () => {
    expect(checkTileSize(4096)).toBe(4096);
    expect(() => checkTileSize(1000)).toThrow(/multiple of 256/);
  });
  it('redis URLs', () => {
    expect(parseRedisUrl('redis://h:7000/2')).toEqual({ host: 'h', port: 7000, db: 2 });
    expect(parseRedisUrl('redis://:secret@10.0.0.1')).toEqual({ host: '10.0.0.1', port: 6379, password: 'secret' });
    expect(() => parseRedisUrl('rediss://h')).toThrow(/TLS/);
    expect(() => parseRedisUrl('h:6379')).toThrow(/not a redis:\/\/ URL/);
  });
  it('the VRT places each written tile at its window and leaves the others to nodata', () => {
    const spec: TileJobSpec = {
      version: 1, jobId: 'j', grid: { width: 600, height: 300, transform: [10, 0.5, 0, 50, 0, -0.5], crs: 'EPSG:3035' },
      dtype: 'int16', nodata: -9, start: -9, allTouched: false, merge: 'replace', burnZ: false, passes: 1, tileSize: 256, sparse: true,
    };
    const xml = vrtXml(spec, [5, 0], (i) => ({ path: `tiles/${i}.tif`, relative: true }));
    expect(xml).toContain('<VRTDataset rasterXSize="600" rasterYSize="300">');
    expect(xml).toContain('<SRS>EPSG:3035</SRS>');
    expect(xml).toContain('<NoDataValue>-9</NoDataValue>');
    expect(xml.indexOf('tiles/0.tif')).toBeLessThan(xml.indexOf('tiles/5.tif'));
    expect(xml).toContain('<DstRect xOff="512" yOff="256" xSize="88" ySize="44" />');
    expect(xml.match(/<SimpleSource>/g)).toHaveLength(2);
  });
});
