// Differential corpus: every case of test/oracle/gdal/corpus.ts through the real gdal_rasterize (3.6.2) and
// rasterburn's CLI, compared on size, geotransform, SRS, type, nodata and every pixel.
// RASTERBURN_CASES=regex runs a subset, RASTERBURN_SHARD=k/n the k-th (1-based) of n interleaved
// shards (whole runs that do not finish under load, split into runs one after another); failing
// cases are copied to test/out/corpus/ for reproduction.
// RASTERBURN_DIFF_OURS=gdal runs gdal_rasterize on both sides: only the checks of GDAL against
// the GDAL 3.6.2 outputs recorded in the corpus remain, which validates the corpus itself.
// With RASTERBURN_DIFF_BACKEND=webgpu, RASTERBURN_DIFF_GPU_LOG=file appends each case's GPU figures
// (one JSON line a case: name, differing or not, the --json `gpu` record) for per-case tallies.
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './gdal/corpus.js';
import { corpusLimitMs, feature as F, gdalAsOurs, gpuRecord, describeGpuTotals, gpuTotals, oursCli, OUT_DIR, report, runCases, type CaseResult, type DiffCase } from './gdal/harness.js';

const filter = process.env.RASTERBURN_CASES ? new RegExp(process.env.RASTERBURN_CASES) : null;
const shard = /^(\d+)\/(\d+)$/.exec(process.env.RASTERBURN_SHARD ?? '');
if (process.env.RASTERBURN_SHARD && (!shard || +shard[1] < 1 || +shard[1] > +shard[2])) {
  throw new Error(`RASTERBURN_SHARD must be k/n with 1 <= k <= n, got ${process.env.RASTERBURN_SHARD}`);
}
const selected = CORPUS.filter((c, i) => (!filter || filter.test(c.name)) && (!shard || i % +shard[2] === +shard[1] - 1));
const partial = filter !== null || shard !== null;

describe('harness can tell identical from different', () => {
  // gdal_rasterize stands in for ours: the harness must pass identical runs and catch a one-option change
  const probe: DiffCase[] = [
    { name: 'probe-polygon', source: [F('POLYGON((1.5 1.5,5.5 1.5,5.5 4.5,1.5 4.5,1.5 1.5))')], args: ['-burn', '1'], dst: { width: 7, height: 6, gt: [0, 1, 0, 0, 0, 1] } },
    { name: 'probe-creation', source: [F('POLYGON((0.3 0.2,10.1 0.2,10.1 5.05,0.3 5.05,0.3 0.2))')], args: ['-burn', '1', '-tr', '1', '1'] },
  ];
  it('gdal against itself is identical', async () => {
    const res = await runCases(probe, { ours: gdalAsOurs() });
    expect(report(res)).toBe('');
  }, 60_000);
  it('gdal against gdal -at differs, with pixel positions reported', async () => {
    const res = await runCases(probe.slice(0, 1), { ours: gdalAsOurs(['-at']) });
    expect(res[0].problems.join('\n')).toMatch(/band 1: \d+ of 42 pixels differ: \(row \d+, col \d+\) gdal 0 ours 1/);
  }, 60_000);
  it('gdal against gdal with another type, nodata and grid differs', async () => {
    const res = await runCases(probe.slice(1), { ours: gdalAsOurs(['-ot', 'Byte', '-a_nodata', '0', '-te', '0', '0', '11', '6']) });
    const text = res[0].problems.join('\n');
    expect(text).toMatch(/data type: gdal Float64, ours Byte/);
    expect(text).toMatch(/nodata: gdal none, ours 0/);
    expect(text).toMatch(/geotransform: gdal \(-0\.2, 1, 0, 5\.55, 0, -1\), ours \(0, 1, 0, 6, 0, -1\)/);
  }, 60_000);
  it('an error case fails when ours succeeds, creates a file or changes the destination', async () => {
    const res = await runCases(
      [
        { name: 'probe-error', expect: 'error', source: probe[1].source, args: ['-burn', '1', '-tr', '1', '1'] },
        { name: 'probe-error-dst', expect: 'error', source: probe[0].source, args: ['-burn', '1'], dst: probe[0].dst },
      ],
      { ours: gdalAsOurs() },
    );
    expect(res[0].problems.join('\n')).toMatch(/ours exited 0, want 1/);
    expect(res[0].problems.join('\n')).toMatch(/ours created .*ours\.tif although it failed/);
    expect(res[1].problems.join('\n')).toMatch(/ours changed the existing destination/);
  }, 60_000);
});

describe('gdal_rasterize differential corpus', () => {
  let results = new Map<string, CaseResult>();
  beforeAll(async () => {
    const t0 = performance.now();
    const ours = process.env.RASTERBURN_DIFF_OURS === 'gdal' ? gdalAsOurs() : oursCli();
    if (!partial) rmSync(join(OUT_DIR, 'corpus'), { recursive: true, force: true });
    const res = await runCases(selected, { ours, saveFailuresTo: join(OUT_DIR, 'corpus') });
    results = new Map(res.map((r) => [r.c.name, r]));
    const failed = res.filter((r) => r.problems.length).length;
    const sum = (f: (r: CaseResult) => number) => (res.reduce((s, r) => s + f(r), 0) / 1000).toFixed(1);
    console.log(
      `corpus: ${res.length} cases, ${failed} differing, ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(process time: gdal_rasterize ${sum((r) => r.gdal?.ms ?? 0)} s, ours ${sum((r) => r.ours.ms)} s)`,
    );
    const slow = [...res].sort((a, b) => b.ours.ms - a.ours.ms).slice(0, 3);
    console.log(`slowest for ours: ${slow.map((r) => `${r.c.name} ${(r.ours.ms / 1000).toFixed(2)} s (gdal ${((r.gdal?.ms ?? 0) / 1000).toFixed(2)} s)`).join('; ')}`);
    if (process.env.RASTERBURN_DIFF_BACKEND === 'webgpu') {
      const g = gpuTotals(res);
      const log = process.env.RASTERBURN_DIFF_GPU_LOG;
      // a successful run without a --json line keeps its stdout's tail, to see what came instead
      const entry = (r: CaseResult) => {
        const gpu = gpuRecord(r);
        return { name: r.c.name, rc: r.ours.rc, differs: r.problems.length > 0, gpu: gpu ?? null, ...(gpu === undefined && r.ours.rc === 0 ? { stdoutTail: r.ours.stdout.slice(-400) } : {}) };
      };
      if (log) appendFileSync(log, res.map((r) => JSON.stringify(entry(r)) + '\n').join(''));
      console.log(describeGpuTotals(g));
    }
  }, corpusLimitMs(selected.length));

  for (const c of selected) {
    it(c.name, () => {
      const r = results.get(c.name);
      expect(r, 'case did not run').toBeDefined();
      expect(report([r!]), `${c.name}: args ${c.args.join(' ')}`).toBe('');
    });
  }
});
