// The CLI's threads decision before the source is read: the rough grid size that spares a small job the
// plan (and the CRS layer it loads) must never fall below half the plan's exact size, or a job big enough
// for threads would miss them.
import { describe, expect, it } from 'vitest';
import { parseArgs, type CliArgs } from '../../../src/cli/args.js';
import { creationGrid } from '../../../src/cli/plan.js';
import { bytesPerVertex, roughPixels, worthThreads } from '../../../src/cli/threads.js';
import { mulberry32 } from '../../../bench/random.js';

function args(...argv: string[]): CliArgs {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error('not a run');
  return r.args;
}

describe('roughPixels', () => {
  it('is exact with -ts and 0 when the grid is not on the command line', () => {
    expect(roughPixels(args('-burn', '1', '-te', '0', '0', '10', '10', '-ts', '300', '200', 's', 'd'))).toBe(60_000);
    expect(roughPixels(args('-burn', '1', '-tr', '1', '1', 's', 'd'))).toBe(0);
    expect(roughPixels(args('-burn', '1', 's', 'd'))).toBe(0);
  });

  const seed = 20261206;
  it(`is between the plan's exact pixels and twice them with -te and -tr, -tap or not (seed ${seed})`, () => {
    const rnd = mulberry32(seed);
    for (let i = 0; i < 2000; i++) {
      const x0 = (rnd() - 0.5) * 1e6, y0 = (rnd() - 0.5) * 1e6;
      const w = 10 ** (rnd() * 4), h = 10 ** (rnd() * 4);
      const rx = (w / (1 + rnd() * 5000)) * (rnd() < 0.5 ? 1 : 1.37), ry = h / (1 + rnd() * 5000);
      const argv = ['-burn', '1', '-te', String(x0), String(y0), String(x0 + w), String(y0 + h), '-tr', String(rx), String(ry)];
      if (rnd() < 0.3) argv.push('-tap');
      const a = args(...argv, 's', 'd');
      const g = creationGrid(null, a, undefined);
      const exact = g.width * g.height;
      const rough = roughPixels(a);
      expect(rough, argv.join(' ')).toBeGreaterThanOrEqual(exact);
      expect(rough, argv.join(' ')).toBeLessThanOrEqual(2 * exact + 8 * (g.width + g.height) + 16);
    }
  });
});

describe('worthThreads (the CLI bar)', () => {
  it('starts threads from 2^27 pixels or 800k vertices', () => {
    expect(worthThreads(2 ** 27 - 1, 799_999)).toBe(false);
    expect(worthThreads(2 ** 27, 0)).toBe(true);
    expect(worthThreads(0, 800_000)).toBe(true);
  });
});

describe('bytesPerVertex (the early vertex estimate)', () => {
  it('weighs binary formats lighter than GeoJSON, by extension in any case', () => {
    expect(bytesPerVertex('/d/w1.shp')).toBe(26);
    expect(bytesPerVertex('W1.FGB')).toBe(34);
    expect(bytesPerVertex('a.b/w1.gpkg')).toBe(39);
    expect(bytesPerVertex('w1.parquet')).toBe(19);
    expect(bytesPerVertex('w1.geojson')).toBe(48);
    expect(bytesPerVertex('w1.zip')).toBe(48);
    expect(bytesPerVertex('-')).toBe(48);
    expect(bytesPerVertex('/vsistdin/')).toBe(48);
  });
  it("keeps W1's files (590k vertices, below the bar) off threads and a file twice as big on them", () => {
    for (const [path, bytes] of [['w1.shp', 15_087_668], ['w1.fgb', 20_196_992], ['w1.gpkg', 23_035_904], ['w1.parquet', 11_160_454]] as const) {
      expect(worthThreads(0, bytes / bytesPerVertex(path)), path).toBe(false);
      expect(worthThreads(0, (2 * bytes) / bytesPerVertex(path)), path).toBe(true);
    }
  });
});
