// rasterizeTiles / rasterizeBands: tiles stitched back together equal the whole-grid rasterize(), pixel for
// pixel, in every burn mode, on random scenes whose shapes cross many bands and on the GDAL rule fixtures;
// tiles come in row-major order with their own transforms, and "untouched" tiles really hold the initial value.
import { describe, expect, it } from 'vitest';
import { converter, DTYPES, setPixels } from '../../../src/dtype.js';
import { prepare } from '../../../src/prepare.js';
import { rasterize } from '../../../src/rasterize.js';
import { BandIndex } from '../../../src/burn/banded.js';
import { rasterizeBands, rasterizeTiles, type RasterTile } from '../../../src/tiles.js';
import { flattenFeatures } from '../../../src/features/flatten.js';
import type { DType, Grid, RasterizeOptions, TypedArray } from '../../../src/types.js';
import { corpusScenes, firstDiff, fuzzScenes, modeOptions, randomScene } from '../../shared/batch-scenes.js';
import { pixelList } from '../../shared/pixels.js';

async function stitch(tiles: AsyncIterable<RasterTile>, grid: Grid, dtype: DType): Promise<{ data: TypedArray; tiles: RasterTile[] }> {
  const data = DTYPES[dtype].make(grid.width * grid.height);
  const seen: RasterTile[] = [];
  for await (const t of tiles) {
    for (let r = 0; r < t.height; r++) setPixels(data, t.data.subarray(r * t.width, (r + 1) * t.width), (t.y + r) * grid.width + t.x);
    seen.push({ ...t, data: t.data });
  }
  return { data, tiles: seen };
}

function describeDiff(a: TypedArray, b: TypedArray, width: number): string {
  const k = firstDiff(a, b);
  return k < 0 ? 'same' : `pixel (${k % width}, ${Math.floor(k / width)}): tiles ${a[k]}, whole grid ${b[k]}`;
}

describe('rasterizeTiles equals the whole-grid burn', () => {
  it('random scenes, every mode and type, odd tile sizes', async () => {
    const sizes: [number, number, number][] = [[97, 83, 16], [64, 64, 7], [130, 41, 32], [50, 200, 13], [33, 33, 33], [20, 9, 256]];
    let k = 0;
    for (let seed = 1; seed <= 27; seed++) {
      const [w, h, tile] = sizes[seed % sizes.length];
      const { features, grid } = randomScene(seed, w, h);
      for (let m = 0; m < 3; m++, k++) {
        const options = modeOptions(k);
        const whole = await rasterize(features, grid, options);
        const tileWidth = seed % 3 === 0 ? tile + 5 : tile;
        const { data, tiles } = await stitch(rasterizeTiles(features, grid, { ...options, tileWidth, tileHeight: tile }), grid, whole.dtype);
        expect(describeDiff(data, whole.data, w), `seed ${seed} ${JSON.stringify(options)} tile ${tileWidth}x${tile}`).toBe('same');
        // row-major order, georeferenced, untouched ones at the initial value
        const init = converter(whole.dtype)(options.init ?? options.nodata ?? 0);
        const across = Math.ceil(w / tileWidth);
        tiles.forEach((t, i) => {
          expect(t.index).toBe(i);
          expect([t.col, t.row]).toEqual([i % across, Math.floor(i / across)]);
          expect([t.x, t.y]).toEqual([t.col * tileWidth, t.row * tile]);
          expect(t.transform).toEqual([t.x, 1, 0, h - t.y, 0, -1]);
          if (t.untouched) expect(pixelList(t.data).every((v) => v === init), `tile ${i} flagged untouched`).toBe(true);
        });
        expect(tiles.length).toBe(across * Math.ceil(h / tile));
      }
    }
  });

  it('the GDAL rule fixtures and fuzz cases, one-row and two-row tiles', async () => {
    const scenes = [...corpusScenes(), ...fuzzScenes(20250601, 60)];
    expect(scenes.length).toBeGreaterThan(100);
    let compared = 0;
    for (const s of scenes) {
      let whole;
      try {
        whole = await rasterize(s.features, s.grid, s.options);
      } catch (e) {
        // the same error, before any tile is made
        expect(() => rasterizeTiles(s.features, s.grid, s.options), s.name).toThrow((e as Error).message);
        continue;
      }
      const big = s.grid.width * s.grid.height > 100_000;
      const tileWidth = big ? Math.ceil(s.grid.width / 5) : 3;
      for (const tileHeight of big ? [7, 64] : [1, 2, 5]) {
        const { data } = await stitch(rasterizeTiles(s.features, s.grid, { ...s.options, tileWidth, tileHeight }), s.grid, whole.dtype);
        expect(describeDiff(data, whole.data, s.grid.width), `${s.name} tileHeight ${tileHeight}`).toBe('same');
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('prepared features tile the same', async () => {
    const { features, grid } = randomScene(99, 120, 70);
    const options: RasterizeOptions = { attribute: 'id', allTouched: true, dtype: 'int32' };
    const whole = await rasterize(features, grid, options);
    const p = prepare(features, { attribute: 'id' });
    const { data } = await stitch(rasterizeTiles(p, grid, { allTouched: true, dtype: 'int32', tileSize: 16 }), grid, 'int32');
    expect(describeDiff(data, whole.data, 120)).toBe('same');
  });
});

describe('rasterizeBands', () => {
  it('bands are full-width row ranges of the whole grid, visited shapes only', async () => {
    const { features, grid } = randomScene(7, 90, 77);
    const whole = await rasterize(features, grid, { attribute: 'id', dtype: 'uint16' });
    const run = rasterizeBands(features, grid, { attribute: 'id', dtype: 'uint16', bandHeight: 10, tileWidth: 30 });
    const rows: number[] = [];
    for await (const b of run) {
      expect(b.data.length).toBe(90 * (b.y1 - b.y0));
      expect(describeDiff(b.data, whole.data.subarray(b.y0 * 90, b.y1 * 90), 90), `band ${b.index}`).toBe('same');
      expect(b.touched.length).toBe(3);
      rows.push(b.y0, b.y1);
    }
    expect(rows).toEqual([0, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50, 60, 60, 70, 70, 77]);
    expect(run.stats.bands).toBe(8);
    expect(run.stats.shapes).toBe(whole.stats.shapes);
  });

  it('shapes far from a band are not visited', async () => {
    // 100 small squares stacked down a 10 x 1000 grid: each band's burn sees only its own squares
    const features = {
      type: 'FeatureCollection' as const,
      features: Array.from({ length: 100 }, (_, i) => ({
        type: 'Feature' as const, properties: { id: i + 1 },
        geometry: { type: 'Polygon' as const, coordinates: [[[1, 1000 - i * 10 - 2], [5, 1000 - i * 10 - 2], [5, 1000 - i * 10 - 6], [1, 1000 - i * 10 - 6], [1, 1000 - i * 10 - 2]]] },
      })),
    };
    const grid: Grid = { width: 10, height: 1000, transform: [0, 1, 0, 1000, 0, -1] };
    const visited: number[] = [];
    const run = rasterizeBands(features, grid, { attribute: 'id', bandHeight: 100, onProgress: (p) => visited.push(p.done) });
    const whole = await rasterize(features, grid, { attribute: 'id' });
    let bands = 0;
    for await (const b of run) {
      expect(describeDiff(b.data, whole.data.subarray(b.y0 * 10, b.y1 * 10), 10)).toBe('same');
      bands++;
    }
    expect(bands).toBe(10);
    expect(visited).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // each band's list holds its own squares (and a neighbour's within the 2-row margin), in order
    const index = new BandIndex(flattenFeatures(features, grid, { attribute: 'id' }), 1000, 100);
    for (let b = 0; b < 10; b++) {
      const list = Array.from(index.band(b));
      expect(list.length, `band ${b}`).toBeLessThanOrEqual(12);
      expect(list.slice().sort((x, y) => x - y)).toEqual(list);
      // square i covers rows 10 i + 2 .. 10 i + 6
      for (let i = 0; i < 100; i++) {
        const meets = 10 * i + 6 >= b * 100 && 10 * i + 2 < (b + 1) * 100;
        if (meets) expect(list, `band ${b} square ${i}`).toContain(i);
      }
    }
    expect(() => index.band(3)).toThrow(/bands must be visited in order/);
    // progress in shapes: a square is done once the band holding its last rows (plus margin) is
    expect([0, 4, 9].map((b) => index.doneAfter(b))).toEqual([10, 50, 100]);
  });

  it('refuses what it cannot stream, naming the option', () => {
    const grid: Grid = { width: 10, height: 10, transform: [0, 1, 0, 10, 0, -1] };
    const fc = { type: 'FeatureCollection' as const, features: [] };
    expect(() => rasterizeTiles(fc, grid, { into: new Uint16Array(100) } as RasterizeOptions)).toThrow(/into/);
    expect(() => rasterizeTiles(fc, grid, { backend: 'webgpu' })).toThrow(/webgpu/);
    expect(() => rasterizeTiles(fc, grid, { tileSize: 0 })).toThrow(/tileSize must be a positive integer, got 0/);
    expect(() => rasterizeTiles(fc, grid, { bogus: 1 } as RasterizeOptions)).toThrow(/unknown option "bogus"/);
  });

  it('aborts between bands', async () => {
    const { features, grid } = randomScene(3, 50, 50);
    const ac = new AbortController();
    const got: number[] = [];
    await expect((async () => {
      for await (const t of rasterizeTiles(features, grid, { tileSize: 10, signal: ac.signal })) {
        got.push(t.index);
        if (t.index === 7) ac.abort();
      }
    })()).rejects.toThrow(/abort/i);
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
