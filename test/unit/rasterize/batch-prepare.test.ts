// prepare(): prepared features burn to exactly the pixels of rasterize(features, ...) on the GDAL rule
// fixtures, fuzz cases (reprojected ones included) and random scenes; one preparation serves many grids;
// it survives a structured clone with its buffers transferred; mismatched CRS and options are refused.
import { describe, expect, it } from 'vitest';
import { isPrepared, prepare, preparedTransferables, type PrepareOptions } from '../../../src/prepare.js';
import { rasterize } from '../../../src/rasterize.js';
import type { Grid, RasterizeOptions } from '../../../src/types.js';
import { corpusScenes, firstDiff, fuzzScenes, modeOptions, randomScene, type Scene } from '../../shared/batch-scenes.js';

const PREP_KEYS = ['burn', 'attribute', 'burnZ', 'merge', 'invert', 'featureCrs'] as const;

// rasterize()'s options split into prepare()'s and the burn's own
function split(options: RasterizeOptions, grid: Grid): [PrepareOptions, RasterizeOptions] {
  const prep: PrepareOptions = { crs: grid.crs };
  const burn: RasterizeOptions = {};
  for (const [k, v] of Object.entries(options)) {
    if ((PREP_KEYS as readonly string[]).includes(k)) (prep as Record<string, unknown>)[k] = v;
    else (burn as Record<string, unknown>)[k] = v;
  }
  return [prep, burn];
}

async function samePixels(s: Scene): Promise<'same' | 'both failed' | string> {
  let whole;
  try {
    whole = await rasterize(s.features, s.grid, s.options);
  } catch (e) {
    const [prep] = split(s.options, s.grid);
    expect(() => prepare(s.features, prep), s.name).toThrow((e as Error).message);
    return 'both failed';
  }
  const [prep, burn] = split(s.options, s.grid);
  const p = prepare(s.features, prep);
  const got = await rasterize(p, s.grid, burn);
  // the counts and the backend, not the timings (stats.stages differ from run to run)
  expect({ ...got.stats, stages: undefined }).toEqual({ ...whole.stats, stages: undefined });
  const k = firstDiff(got.data, whole.data);
  return k < 0 ? 'same' : `${s.name}: pixel ${k} prepared ${got.data[k]}, direct ${whole.data[k]}`;
}

describe('prepare() gives rasterize()\'s pixels', () => {
  it('GDAL rule fixtures (differential corpus)', async () => {
    const scenes = corpusScenes();
    expect(scenes.length).toBeGreaterThan(80);
    let same = 0;
    for (const s of scenes) {
      const r = await samePixels(s);
      if (r !== 'both failed') expect(r).toBe('same');
      if (r === 'same') same++;
    }
    expect(same).toBeGreaterThan(80);
  });

  it('fuzz cases, reprojected ones included', async () => {
    const scenes = fuzzScenes(777, 120);
    expect(scenes.some((s) => s.grid.crs !== undefined)).toBe(true);
    for (const s of scenes) {
      const r = await samePixels(s);
      if (r !== 'both failed') expect(r).toBe('same');
    }
  });

  it('random scenes in every mode, on grids of several orientations', async () => {
    const transforms = (w: number, h: number): Grid['transform'][] => [
      [0, 1, 0, h, 0, -1], [0, 1, 0, 0, 0, 1], [w, -1, 0, h, 0, -1], [-3.25, 0.5, 0, h * 0.5 - 3.25, 0, -0.5], [2, 1, 0.25, h, 0.1, -1],
    ];
    for (let seed = 1; seed <= 18; seed++) {
      const { features, grid } = randomScene(seed, 60, 45);
      for (const transform of transforms(60, 45)) {
        const r = await samePixels({ name: `seed ${seed} ${transform}`, features, grid: { ...grid, transform }, options: modeOptions(seed) });
        expect(r).toBe('same');
      }
    }
  });
});

describe('one preparation, many grids', () => {
  it('tiles, resolutions and a reprojected CRS from one prepare()', async () => {
    const lonlat = (x: number, y: number) => [15 + x * 1e-4, 52 + y * 1e-4];
    const features = {
      type: 'FeatureCollection' as const,
      features: [
        { type: 'Feature' as const, properties: { id: 3 }, geometry: { type: 'Polygon' as const, coordinates: [[lonlat(0, 0), lonlat(40, 5), lonlat(30, 35), lonlat(2, 30), lonlat(0, 0)]] } },
        { type: 'Feature' as const, properties: { id: 9 }, geometry: { type: 'LineString' as const, coordinates: [lonlat(-5, 10), lonlat(50, 20)] } },
      ],
    };
    const crs = 'EPSG:32633';
    const p = prepare(features, { attribute: 'id', crs });
    // the features' UTM footprint is about 499965-500345 E, 5761038-5761430 N
    const grids: Grid[] = [];
    for (const res of [1, 2.5, 7]) for (const ox of [499990, 500100]) grids.push({ width: 120, height: 90, transform: [ox, res, 0, 5761300, 0, -res], crs });
    for (const g of grids) {
      const direct = await rasterize(features, g, { attribute: 'id', dtype: 'uint8', allTouched: true });
      const got = await rasterize(p, g, { dtype: 'uint8', allTouched: true });
      expect(firstDiff(got.data, direct.data), JSON.stringify(g.transform)).toBe(-1);
    }
    const nonzero = (await rasterize(p, grids[0], { dtype: 'uint8' })).data.some((v) => v === 3);
    expect(nonzero).toBe(true);
  });

  it('survives structuredClone with its buffers transferred (what postMessage to a worker does)', async () => {
    const { features, grid } = randomScene(5, 70, 50);
    const p = prepare(features, { attribute: 'v', burnZ: true, merge: 'add' });
    const expected = await rasterize(p, grid, { dtype: 'float32' });
    const transfer = preparedTransferables(p);
    expect(transfer.length).toBeGreaterThanOrEqual(7);
    const moved = structuredClone(p, { transfer });
    expect(p.shapes.x.length).toBe(0); // detached: it really moved
    expect(isPrepared(moved)).toBe(true);
    const got = await rasterize(moved, grid, { dtype: 'float32' });
    expect(firstDiff(got.data, expected.data)).toBe(-1);
    const direct = await rasterize(features, grid, { attribute: 'v', burnZ: true, merge: 'add', dtype: 'float32' });
    expect(firstDiff(got.data, direct.data)).toBe(-1);
  });

  it('refuses a grid in another CRS and options that contradict the preparation', async () => {
    const { features, grid } = randomScene(2, 20, 20);
    const p = prepare(features, { burn: 5 });
    await expect(rasterize(p, { ...grid, crs: 'EPSG:3857' }, {})).rejects.toThrow(/grid CRS "EPSG:3857" differs from the prepared features' CRS \(none\)/);
    await expect(rasterize(p, grid, { burn: 6 })).rejects.toThrow(/option burn is 6 but the features were prepared with 5/);
    await expect(rasterize(p, grid, { merge: 'add' })).rejects.toThrow(/option merge is "add"/);
    await expect(rasterize(p, grid, { featureCrs: 'EPSG:4326' })).rejects.toThrow(/featureCrs does not apply/);
    expect(() => prepare(features, { dtype: 'uint8' } as PrepareOptions)).toThrow(/unknown prepare option "dtype"/);
    // the same values as prepared are fine
    await expect(rasterize(p, grid, { burn: 5, merge: 'replace' })).resolves.toBeTruthy();
  });
});
