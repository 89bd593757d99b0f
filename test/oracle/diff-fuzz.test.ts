// Seeded differential fuzz against the real gdal_rasterize: fresh random geometry every run.
//   RASTERBURN_SEED=n            replay a run (the seed is printed on every run and on failure)
//   RASTERBURN_FUZZ_CASE=i       replay only case i of that seed
//   RASTERBURN_FUZZ_SECONDS=s    time budget (default 45)
//   RASTERBURN_DIFF_OURS=gdal    gdal_rasterize on both sides (checks the generator and harness, must pass)
//   RASTERBURN_DIFF_BACKEND=webgpu  our CLI burns on WebGPU; the GPU's crossings and exact-path counts are printed
// Every other batch runs our CLI with --threads 3 (the threaded row-band burn, forced even on small grids).
// Failing cases (source, destination template, both outputs, README with both command lines) are
// written to test/out/fuzz-<seed>/, and each failing case's features are retried one by one.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import proj4 from 'proj4';
import { fuzzCase, type FuzzCase } from './gdal/fuzz.js';
import { gdalAsOurs, describeGpuTotals, gpuTotals, oursCli, OUT_DIR, report, runCases, type CaseResult } from './gdal/harness.js';

const seed = process.env.RASTERBURN_SEED !== undefined ? Number(process.env.RASTERBURN_SEED) >>> 0 : Date.now() % 2147483647;
const budgetS = Number(process.env.RASTERBURN_FUZZ_SECONDS ?? 45);
const only = process.env.RASTERBURN_FUZZ_CASE !== undefined ? Number(process.env.RASTERBURN_FUZZ_CASE) : null;
const BATCH = 12;
const utmToLonLat = proj4('+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', 'WGS84');
const toLonLat = (xy: number[]) => utmToLonLat.forward(xy);
const ours = process.env.RASTERBURN_DIFF_OURS === 'gdal' ? gdalAsOurs() : oursCli();
const oursThreaded = process.env.RASTERBURN_DIFF_OURS === 'gdal' ? ours : { ...ours, extraArgs: [...(ours.extraArgs ?? []), '--threads', '3'] };
const MAX_FAILURES = 6;

it(`gdal_rasterize differential fuzz (seed ${seed})`, async () => {
  const outDir = join(OUT_DIR, `fuzz-${seed}`);
  const t0 = performance.now();
  const failed: CaseResult[] = [];
  const all: CaseResult[] = [];
  let index = only ?? 0;
  let ran = 0;
  let threaded = 0;
  for (let b = 0; failed.length < MAX_FAILURES; b++) {
    const batch = only !== null ? [fuzzCase(seed, only, toLonLat)] : Array.from({ length: BATCH }, () => fuzzCase(seed, index++, toLonLat));
    // odd batches: the threaded burn (a replayed case runs both ways)
    const runs = only !== null ? [ours, oursThreaded] : [b % 2 ? oursThreaded : ours];
    const res: CaseResult[] = [];
    for (const o of runs) res.push(...await runCases(batch, { ours: o, saveFailuresTo: outDir, gdalErrorMeansError: true }));
    if (runs.includes(oursThreaded) && oursThreaded !== ours) threaded += batch.length;
    ran += res.length;
    all.push(...res);
    failed.push(...res.filter((r) => r.problems.length));
    if (only !== null || performance.now() - t0 > budgetS * 1000) break;
  }

  // narrow each failure down to the features that fail on their own
  const singles: string[] = [];
  for (const r of failed.slice(0, 3)) {
    const c = r.c as FuzzCase;
    if (c.features.length < 2) continue;
    const parts = c.features.map((f, k) => ({ ...c, name: `${c.name}-feature${k}`, source: [f] }));
    const pr = await runCases(parts, { ours, saveFailuresTo: outDir, gdalErrorMeansError: true });
    const bad = pr.filter((x) => x.problems.length).map((x) => x.c.name);
    singles.push(`${c.name}: ${bad.length ? `fails alone: ${bad.join(', ')}` : 'no single feature fails alone (interaction between features)'}`);
  }

  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`fuzz seed ${seed}: ${ran} cases (${threaded} with --threads 3), ${failed.length} differing, ${secs} s`);
  if (process.env.RASTERBURN_DIFF_BACKEND === 'webgpu') {
    const g = gpuTotals(all);
    console.log(describeGpuTotals(g));
  }
  const msg = [
    `fuzz seed ${seed}: ${failed.length} of ${ran} cases differ from gdal_rasterize`,
    `replay: RASTERBURN_SEED=${seed} RASTERBURN_FUZZ_CASE=<index> npx vitest run test/oracle/diff-fuzz.test.ts; cases saved in ${outDir}`,
    report(failed),
    ...singles,
  ].join('\n');
  expect(failed.length, msg).toBe(0);
}, (budgetS + 240) * 1000);
