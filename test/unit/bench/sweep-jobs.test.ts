import { describe, expect, it } from 'vitest';
import { pickJobs, SWEEP } from '../../../bench/sweep.js';
import { sweepMarkdown, type SweepResults } from '../../../bench/sweep-report.js';

const ids = (argv: string[], env?: string): string[] => pickJobs(argv, env).map((j) => j.make().id);

describe('the size sweep', () => {
  it('covers every goal of the sweep: W1, W3 and W4 at 2x, W2, R1 and H300k at 20x', () => {
    const goal = Object.fromEntries(SWEEP.map((j) => [j.make().id, j.goal]));
    expect(goal).toMatchObject({ B1k: 2, US: 2, B20k: 2, W1: 2, W3: 2, W4: 2, H300k: 20, R1: 20, W2: 20 });
  });

  it('picks jobs by --jobs, --jobs=, or SWEEP_JOBS, in sweep order, and refuses unknown ids', () => {
    expect(ids(['--sweep', '--jobs', 'US,B1k'])).toEqual(['B1k', 'US']);
    expect(ids(['--sweep', '--jobs=W2'])).toEqual(['W2']);
    expect(ids(['--sweep'], 'R1, W3')).toEqual(['W3', 'R1']);
    expect(ids(['--sweep'])).toEqual(SWEEP.map((j) => j.make().id));
    expect(ids(['--sweep', '--quick'])).toEqual(SWEEP.filter((j) => j.quick).map((j) => j.make().id));
    expect(() => ids(['--sweep', '--jobs', 'B1k,W9'])).toThrow(/unknown sweep job W9: choose from B1k, /);
    expect(() => ids(['--sweep', '--jobs'])).toThrow(/--jobs needs a list/);
  });

  it('reports fewer rounds where a job took them, and the profile of a job that misses its goal', () => {
    const runner = (id: string, wall: number) => ({ runner: id, wall: [wall], cpu: [wall], inner: [wall], rssMiB: [50], mismatches: 0 });
    const job = (id: string, gdal: number, cli: number, goal: number) => ({
      id, title: id, features: 1, vertices: 1, bytes: 1, pixels: 1e6, goal, args: [], rounds: id === 'W2' ? 3 : 5,
      runners: [runner('gdal_rasterize', gdal), runner('rasterburn-cli-tif', cli), runner('gdal-mem-python', gdal), runner('rasterburn-lib', cli)],
      profile: { wall: cli, cpu: cli, sampledMs: 100, stages: [{ name: 'scanline burn', ms: 60 }, { name: 'garbage collection', ms: 40 }], functions: [{ name: 'fillPolygon', where: 'src/cpu/fill.js:1', ms: 55 }] },
    });
    const r: SweepResults = { date: '2026-12-06T00:00:00Z', quick: false, runs: 5, node: 'v20', loadavgStart: [0, 0, 0], loadavgEnd: [0, 0, 0], jobs: [job('B1k', 0.1, 0.2, 2), job('W2', 10, 1, 20), job('W1', 4, 1, 2)], startup: null };
    const md = sweepMarkdown(r);
    expect(md).toContain('W2: 3');
    expect(md).toContain('### B1k: 0.50x against a goal of 2x');
    expect(md).toContain('### W2: 10.00x against a goal of 20x');
    expect(md).not.toContain('### W1');
    expect(md).toContain('| 55 | 55% | fillPolygon | src/cpu/fill.js:1 |');
  });
});
