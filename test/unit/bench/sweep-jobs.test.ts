import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCachedTimings, pickJobs, SWEEP } from '../../../bench/sweep.js';
import { readmeTable } from '../../../bench/readme-table.js';
import { sweepMarkdown, sweepSvg, type SweepResults } from '../../../bench/sweep-report.js';

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

  it('marks a GDAL run stopped at the cap as a lower bound, and judges the goal by that bound', () => {
    const runner = (id: string, wall: number, cappedS?: number) => ({ runner: id, wall: [wall], cpu: [wall], inner: [wall], rssMiB: [50], mismatches: 0, ...(cappedS ? { cappedS } : {}) });
    const job = (id: string, gdal: number, cli: number) => ({
      id, title: `${id} things, 7,000 x 3,800 Byte`, features: 1, vertices: 1, bytes: 1, pixels: 7000 * 3800, goal: 20, args: [], rounds: 3,
      runners: [runner('gdal_rasterize', gdal, 120), runner('rasterburn-cli-tif', cli), runner('gdal-mem-python', 55, 60), runner('rasterburn-lib', 5)],
    });
    const r: SweepResults = {
      date: '2026-12-06T00:00:00Z', quick: false, runs: 5, node: 'v20', loadavgStart: [0, 0, 0], loadavgEnd: [0, 0, 0], startup: null,
      limits: { gdalCapS: 120, memCapS: 60, slowS: 20, bigRoundS: 8, bigRounds: 3 },
      jobs: [job('R1', 120.4, 4), job('R9', 120.4, 8)],
    };
    const md = sweepMarkdown(r);
    // 120.4 / 4 = 30.1: at least 30x, which meets 20x; 120.4 / 8 = 15.05: at least 15x, which does not
    expect(md).toMatch(/\| R1 \|[^\n]*\| > 120\.40 s \| 4\.00 s \| >= 30x \|/);
    expect(md).toMatch(/\| R9 \|[^\n]*\| > 120\.40 s \| 8\.00 s \| >= 15x ✗ \|/);
    expect(md).toMatch(/\| > 55\.00 s \| 5\.00 s \| >= 11x \|/);
    expect(md).toContain('gdal_rasterize 120 s, the MEM route 60 s');
    expect(sweepSvg(r)).toContain('triangle: at least');
    const table = readmeTable(r, 'bench/results/x.json');
    expect(table).toContain('| > 120.40 s | 4.00 s | ≥ 30× | ≥ 30× | ≥ 11× | identical |');
  });

  it('reads cached GDAL timings only for GDAL runners, with a date and machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-cached-'));
    const file = (name: string, body: unknown): string => { const f = join(dir, name); writeFileSync(f, JSON.stringify(body)); return f; };
    const good = loadCachedTimings(file('good.json', { date: '2026-12-06', machine: 'quiet box', jobs: { R1: { gdal_rasterize: { wall: [640.2] } } } }));
    expect(good).toMatchObject({ from: 'good.json', machine: 'quiet box', jobs: { R1: { gdal_rasterize: { wall: [640.2] } } } });
    expect(loadCachedTimings(undefined)).toBeNull();
    expect(() => loadCachedTimings(file('ours.json', { date: 'd', machine: 'm', jobs: { R1: { 'rasterburn-cli-tif': { wall: [1] } } } }))).toThrow(/only GDAL's runners/);
    expect(() => loadCachedTimings(file('empty.json', { date: 'd', machine: 'm', jobs: { R1: { gdal_rasterize: { wall: [] } } } }))).toThrow(/"wall" must be a non-empty list/);
    expect(() => loadCachedTimings(file('nodate.json', { jobs: {} }))).toThrow(/need "date", "machine"/);
  });
});
