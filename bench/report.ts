// Benchmark results: the JSON shape written to bench/results/<date>.json, its markdown table, the
// SVG chart of ratios against the reference, and the performance goals evaluated on one run.

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  freeGiB: number;
  os: string;
  node: string;
  gdal: string;
  pythonGdal: string;
  rasterio?: string;
  chromium?: string;
  /** 1/5/15-minute load averages when the run started and ended: other work on the machine skews wall times */
  loadavgStart: number[];
  loadavgEnd: number[];
  gnuTime: boolean;
}

export interface CheckResult {
  reference?: boolean;
  /** what the output was compared with */
  against?: string;
  mismatches?: number | null;
  /** 'jobs' when mismatches counts W5 jobs whose raster differs, else pixels */
  unit?: 'pixels' | 'jobs';
  shape?: number[];
  refShape?: number[];
  dtype?: string;
  refDtype?: string;
  burned?: number;
  first?: [number, number, number, number][];
  sameTransform?: boolean;
  sameSrs?: boolean;
  sameNodata?: boolean;
}

export interface RunnerResult {
  runner: string;
  description: string;
  /**
   * the timed samples in seconds: whole process (spawn to exit) for the process runners on one
   * GeoJSON file; the in-process loop over all jobs (phase "loop") on W5; the in-page time for the
   * Chromium runners
   */
  samples: number[];
  /** whole-process seconds, one per timed run (process runners only) */
  wall: number[];
  cpu: number[];
  rssMiB: number[];
  /** inner phase seconds the process reported, one per timed run */
  phases: Record<string, number[]>;
  check: CheckResult | null;
  error: string | null;
  /** the run was abandoned after this many seconds: the time is a lower bound */
  timedOutS?: number;
  /** the first (checked) run took longer than BENCH_SLOW_S and is one of the samples */
  warmupCounted?: boolean;
  /** the adapter a WebGPU runner burned on */
  adapter?: string;
  /** timed inside a Chromium page, not as a process */
  inPage?: boolean;
  /** merged in from a follow-up partial run at this time (HH:MM UTC) by bench/render.ts */
  followUp?: string;
  median?: number;
  best?: number;
  medianWall?: number | null;
  medianCpu?: number | null;
  peakRssMiB?: number | null;
  /** the reference's median / this median: above 1 is faster than the reference */
  speedup?: number | null;
  mpixPerS?: number;
  featuresPerS?: number;
  jobsPerS?: number;
  medianPhases?: Record<string, number>;
}

export interface ChromiumInfo {
  userAgent: string | null;
  adapter: Record<string, unknown> | null;
  adapterLabel: string | null;
  software: boolean | null;
  gdal3js: { initMs: number; version: string | null } | null;
}

export interface WorkloadResult {
  id: string;
  kind: 'single' | 'jobs';
  title: string;
  width: number;
  height: number;
  gdalType: string;
  features: number;
  vertices: number;
  bytes: number;
  file: string;
  /** the runner the ratios are taken against: gdal_rasterize, or for W5 GDAL's MEM loop */
  reference: string;
  /** jobs in a W5-style workload */
  jobs?: number;
  runners: RunnerResult[];
  /** one extra library run: read, parse, then rasterize()'s halves (flatten, allocate, burn) */
  libBreakdown: Record<string, number> | null;
  chromium: ChromiumInfo | null;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  config: { runs: number; warmup: number; slowS: number; budgetS: number; timeoutS: number; refTimeoutS?: number; skip?: string[]; workloads: string[]; runners: string[] };
  /** fingerprints of the compiled code at the start and end of the run (another change mid-run shows here) */
  build?: { commit: string | null; dirty: string[]; distStart: string; distEnd?: string; bundle?: string };
  workloads: WorkloadResult[];
  goals?: Goal[];
  seconds?: number;
}

const s2 = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const big = (x: number | undefined): string => (x === undefined ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 1 ? x.toFixed(1) : x.toPrecision(2));
const ratio = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

/** true when the runner's checked output matched its reference exactly */
export function identical(x: RunnerResult): boolean {
  const c = x.check;
  if (!c || x.error) return false;
  if (c.reference) return true;
  return c.mismatches === 0 && c.sameTransform !== false && c.sameSrs !== false && c.sameNodata !== false && (c.dtype === undefined || c.dtype === c.refDtype);
}

function checkText(x: RunnerResult): string {
  const c = x.check;
  if (x.error && !c) return x.timedOutS ? `did not finish in ${x.timedOutS} s` : x.error.startsWith('skipped') ? x.error.replace(/^skipped \(SKIP: time budget\)$/, 'skipped (time budget)') : `failed: ${x.error.slice(0, 90)}`;
  if (!c) return 'not checked';
  if (c.reference) return 'reference';
  if (c.mismatches === null || c.mismatches === undefined) return c.shape ? `**no**: shape ${c.shape?.join('x')} vs ${c.refShape?.join('x')}` : `not checked (${c.against ?? '?'})`;
  const meta = [c.dtype !== c.refDtype ? `dtype ${c.dtype} vs ${c.refDtype}` : '', c.sameTransform === false ? 'geotransform differs' : '', c.sameSrs === false ? 'SRS differs' : '', c.sameNodata === false ? 'nodata differs' : ''].filter(Boolean);
  const err = x.error ? ` (then: ${x.error.slice(0, 60)})` : '';
  if (c.mismatches === 0 && meta.length === 0) return `yes${err}`;
  const unit = c.unit === 'jobs' ? 'jobs' : 'px';
  return `**no**: ${c.mismatches.toLocaleString('en-US')} ${unit} differ${meta.length ? `; ${meta.join(', ')}` : ''}${err}`;
}

export interface Goal {
  /** the goal as docs/performance.md states it */
  goal: string;
  workload: string;
  /** what is compared: "A vs B" */
  compare: string;
  target: number;
  value: number | null;
  met: boolean;
  note: string;
}

function find(r: BenchResults, w: string, runner: string): RunnerResult | undefined {
  return r.workloads.find((x) => x.id === w)?.runners.find((x) => x.runner === runner);
}

function goal(r: BenchResults, text: string, w: string, fast: string, slow: string, target: number): Goal | null {
  const a = find(r, w, fast), b = find(r, w, slow);
  // the candidate was not part of this run (a partial run): nothing to say
  if (!a) return null;
  const compare = `${fast} vs ${slow}`;
  if (!a || !b) return { goal: text, workload: w, compare, target, value: null, met: false, note: `${!a ? fast : slow} not run` };
  if (!a.median || !identical(a)) return { goal: text, workload: w, compare, target, value: null, met: false, note: `${fast}: ${a.median ? 'output not identical to its reference' : a.error ?? 'no result'}` };
  // a slower side that timed out still bounds the ratio from below
  const bTime = b.median ?? (b.timedOutS ?? null);
  if (bTime === null) return { goal: text, workload: w, compare, target, value: null, met: false, note: `${slow}: ${b.error ?? 'no result'}` };
  const v = bTime / a.median;
  const lower = b.median === undefined;
  const bad = b.check && !b.check.reference && !identical(b) ? `; ${slow}'s output differs from its reference` : '';
  return { goal: text, workload: w, compare, target, value: v, met: v >= target, note: `${lower ? '≥ ' : ''}${ratio(v)}× (${s2(a.median)} s vs ${lower ? '> ' : ''}${s2(bTime)} s)${bad}` };
}

/** Performance goals, each evaluated for every runner that can stand for it. */
export function evaluateGoals(r: BenchResults): Goal[] {
  const out: (Goal | null)[] = [];
  const cpuRunners = ['rasterburn-cli-npy', 'rasterburn-lib'];
  for (const [w, t] of [['W1', 2], ['W4', 2], ['W2', 20], ['R1', 20]] as const) {
    for (const c of cpuRunners) out.push(goal(r, `CPU engine ≥ ${t}× gdal_rasterize on ${w}`, w, c, 'gdal_rasterize', t));
  }
  for (const b of ['webgpu', 'cpu']) {
    out.push(goal(r, 'W5 batch in headless Chromium ≥ 5× a loop of single rasterize() calls', 'W5', `chromium-${b}-batch`, `chromium-${b}-loop`, 5));
  }
  for (const b of ['webgpu', 'cpu']) {
    out.push(goal(r, "W5 batch in headless Chromium ≥ 5× GDAL's own in-process loop", 'W5', `chromium-${b}-batch`, 'gdal-mem-python', 5));
  }
  for (const b of ['webgpu', 'cpu']) out.push(goal(r, 'In Chromium ≥ 3× gdal3.js on W1', 'W1', `chromium-${b}`, 'chromium-gdal3js', 3));
  return out.filter((g): g is Goal => g !== null);
}

export function goalsText(goals: Goal[]): string {
  return goals.map((g) => `- ${g.met ? '**met**' : '**not met**'}: ${g.goal} — ${g.compare}: ${g.note}`).join('\n');
}

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`### rasterburn benchmark, ${r.date.slice(0, 16).replace('T', ' ')} UTC`);
  lines.push('');
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.gdal}; Python osgeo ${m.pythonGdal}${m.rasterio ? `; rasterio ${m.rasterio}` : ''}${m.chromium ? `; ${m.chromium}` : ''}. ` +
    `Load average ${m.loadavgStart.join(' / ')} at the start, ${m.loadavgEnd.join(' / ')} at the end (1/5/15 min). ` +
    `Each runner: ${r.config.warmup} warm-up (the checked run), then median of ${r.config.runs} (fewer for runs over ${r.config.slowS} s, see †). ` +
    `Process runners are timed whole (GeoJSON file in, array out) and interleaved, each round starting one runner later; on W5 the time is the in-process loop over all jobs; Chromium runners (‡) are timed in the page (fetched text in, typed array out). CPU s is the median user + system time of the process (GNU time).`);
  if (r.build) lines.push(`\nCode: commit ${r.build.commit ?? '?'}${r.build.dirty.length ? ` plus uncommitted changes in ${r.build.dirty.join(', ')}` : ''}; dist/ fingerprint ${r.build.distStart}${r.build.distEnd && r.build.distEnd !== r.build.distStart ? ` at the start, **${r.build.distEnd} at the end (the build changed during the run)**` : ' (unchanged during the run)'}${r.build.bundle ? `; browser bundle ${r.build.bundle}` : ''}.`);
  lines.push('');
  lines.push('| workload | runner | median s | best s | runs | process s | CPU s | × vs reference | Mpixel/s | features/s | peak RSS MiB | identical? |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const w of r.workloads) {
    for (const x of w.runners) {
      const name = `${x.runner}${x.inPage ? ' ‡' : ''}${x.followUp ? ` §${x.followUp}` : ''}`;
      const runs = `${x.samples.length}${x.warmupCounted ? '†' : ''}`;
      const med = x.median !== undefined ? s2(x.median) : x.timedOutS ? `> ${x.timedOutS}` : '–';
      const sp = x.speedup ? `${ratio(x.speedup)}×` : x.check?.reference ? '1.00×' : '–';
      lines.push(`| ${w.id} | ${name} | ${med} | ${s2(x.best)} | ${runs} | ${x.inPage ? '–' : s2(x.medianWall)} | ${s2(x.medianCpu)} | ${sp} | ${big(x.mpixPerS)} | ${big(x.featuresPerS)} | ${x.peakRssMiB ? Math.round(x.peakRssMiB).toLocaleString('en-US') : '–'} | ${checkText(x)} |`);
    }
  }
  lines.push('');
  lines.push(`† first run took over ${r.config.slowS} s: it counts as a sample (no separate warm-up) and the runner repeats only within a ${r.config.budgetS} s budget. ` +
    `‡ timed inside headless Chromium; peak RSS is the whole Chromium process tree's (browser, renderer, GPU process; shared pages counted in each). ` +
    (r.workloads.some((w) => w.runners.some((x) => x.followUp)) ? `§HH:MM measured in a follow-up run at that time (UTC), its ratio against that run's own ${'`gdal_rasterize`'}. ` : '') +
    `Ratios are against the workload's reference (gdal_rasterize; on W5 GDAL's own in-process loop, gdal-mem-python). ` +
    `"identical?" compares every pixel with the reference output for GDAL runners and the CPU engine, and with the CPU engine's output for GPU and Chromium runners (which is itself compared with gdal_rasterize's); on W5 every job's raster with GDAL's.`);
  lines.push('');
  lines.push('Workloads:');
  for (const w of r.workloads) {
    lines.push(`- **${w.id}**: ${w.title}; ${w.features.toLocaleString('en-US')} features, ${w.vertices.toLocaleString('en-US')} vertices, ${(w.bytes / 2 ** 20).toFixed(0)} MiB of ${w.kind === 'jobs' ? 'JSON' : 'GeoJSON'}.`);
  }
  const adapters = new Set<string>();
  for (const w of r.workloads) for (const x of w.runners) if (x.adapter) adapters.add(`${x.inPage ? 'Chromium' : 'Node (Dawn)'}: ${x.adapter}`);
  const chromium = r.workloads.map((w) => w.chromium).find((c) => c);
  if (adapters.size || chromium) {
    lines.push('');
    lines.push('WebGPU adapters (software renderers on this machine: these times show correctness and overheads, not GPU speed):');
    for (const a of adapters) lines.push(`- ${a}`);
    if (chromium?.adapter) lines.push(`- Chromium adapter.info: ${JSON.stringify(chromium.adapter)}${chromium.software ? ' (software)' : ''}`);
    if (chromium?.gdal3js) lines.push(`- gdal3.js: ${chromium.gdal3js.version ?? 'version unknown'}, initialised in ${(chromium.gdal3js.initMs / 1000).toFixed(2)} s (not timed)`);
  }
  lines.push('');
  lines.push('Inner phases (median seconds, as each process reports them):');
  lines.push('');
  for (const w of r.workloads) {
    for (const x of w.runners) {
      if (!x.medianPhases || Object.keys(x.medianPhases).length === 0) continue;
      lines.push(`- ${w.id} ${x.runner}: ${Object.entries(x.medianPhases).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    }
    if (w.libBreakdown) {
      const b = w.libBreakdown;
      const keys = ['startup', 'read', 'parse', 'flatten', 'allocate', 'burn'].filter((k) => typeof b[k] === 'number');
      lines.push(`- ${w.id} rasterburn-lib, rasterize() split (one run): ${keys.map((k) => `${k} ${b[k].toFixed(2)}`).join(', ')}`);
    }
  }
  if (r.goals?.length) {
    lines.push('');
    lines.push("Performance goals (ratios from this run; a runner whose output is not identical meets nothing):");
    lines.push('');
    lines.push(goalsText(r.goals));
  }
  return lines.join('\n');
}

const COLORS: [RegExp, string][] = [
  [/gdal3js/, '#8e44ad'],
  [/^chromium-.*webgpu/, '#e67e22'],
  [/^chromium-/, '#27ae60'],
  [/webgpu/, '#d35400'],
  [/^rasterburn/, '#2471a3'],
  [/./, '#7f8c8d'],
];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Horizontal bars of each runner's speed ratio against its workload's reference, on a log scale
 * (0.01× to 1000×), one group per workload. Runners whose output was not identical are drawn
 * hatched and labelled; runs that did not finish get an arrow at their lower bound.
 */
export function toSvg(r: BenchResults): string {
  const rowH = 18, gap = 16, left = 250, width = 900, plotW = width - left - 90;
  const lo = -2, hi = 3;
  const x = (v: number): number => left + ((Math.log10(Math.min(Math.max(v, 10 ** lo), 10 ** hi)) - lo) / (hi - lo)) * plotW;
  const body: string[] = [];
  let y = 50;
  for (const w of r.workloads) {
    body.push(`<text x="10" y="${y + 12}" font-weight="bold">${esc(w.id)}</text><text x="50" y="${y + 12}" fill="#555">${esc(w.title.slice(0, 120))}</text>`);
    y += 20;
    for (const rr of w.runners) {
      const color = COLORS.find(([re]) => re.test(rr.runner))![1];
      const ok = identical(rr);
      let v = rr.speedup ?? (rr.check?.reference ? 1 : null);
      let label: string;
      if (v === null && rr.timedOutS) {
        const ref = w.runners.find((q) => q.runner === w.reference);
        v = ref?.median ? ref.median / rr.timedOutS : null;
        label = v ? `< ${ratio(v)}× (did not finish)` : 'did not finish';
      } else label = v ? `${ratio(v)}×${ok || rr.check?.reference ? '' : ' (output differs)'}` : rr.error?.startsWith('skipped') ? (rr.error.includes('time budget') ? 'skipped (time budget)' : 'skipped (see table)') : rr.error ? 'failed' : '–';
      body.push(`<text x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(rr.runner)}${rr.inPage ? ' ‡' : ''}</text>`);
      if (v) {
        body.push(`<rect x="${left}" y="${y + 2}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="${rowH - 4}" fill="${ok || rr.check?.reference ? color : 'url(#hatch)'}" stroke="${color}"/>`);
      }
      body.push(`<text x="${(v ? x(v) : left) + 4}" y="${y + 13}" fill="#222">${esc(label)}</text>`);
      y += rowH;
    }
    y += gap;
  }
  const ticks: string[] = [];
  for (let e = lo; e <= hi; e++) {
    const tx = x(10 ** e);
    ticks.push(`<line x1="${tx}" y1="40" x2="${tx}" y2="${y}" stroke="${e === 0 ? '#000' : '#ddd'}" stroke-width="${e === 0 ? 1.5 : 1}"/><text x="${tx}" y="34" text-anchor="middle">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)}×</text>`);
  }
  const m = r.machine;
  const title = `rasterburn vs GDAL: speed ratio against the reference (gdal_rasterize; W5: GDAL's in-process loop), log scale, ${r.date.slice(0, 10)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 32}" font-family="sans-serif" font-size="12">
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c0392b" stroke-width="3"/></pattern></defs>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" font-size="14" font-weight="bold">${esc(title)}</text>
${ticks.join('\n')}
${body.join('\n')}
<text x="10" y="${y + 4}" fill="#555">${esc(`${m.cpu}, ${m.cores} cores; Node ${m.node}; ${m.gdal}. Right of the 1× line is faster than the reference.`)}</text>
<text x="10" y="${y + 20}" fill="#555">${esc('‡ timed inside headless Chromium (in-page, no process start). WebGPU here is a software renderer (SwiftShader), not a GPU. Hatched: output differs.')}</text>
</svg>
`;
}
