// Benchmark results: the JSON shape written to bench/results/<date>.json and its markdown form.

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  freeGiB: number;
  os: string;
  node: string;
  gdal: string;
  pythonGdal: string;
  /** 1/5/15-minute load averages when the run started and ended: other work on the machine skews wall times */
  loadavgStart: number[];
  loadavgEnd: number[];
  gnuTime: boolean;
}

export interface CheckResult {
  reference?: boolean;
  mismatches?: number | null;
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
  /** seconds, one per timed run */
  wall: number[];
  cpu: number[];
  rssMiB: number[];
  /** inner phase seconds the process reported, one per timed run */
  phases: Record<string, number[]>;
  check: CheckResult | null;
  error: string | null;
  /** the first (checked) run took longer than BENCH_SLOW_S and is one of the samples */
  warmupCounted?: boolean;
  median?: number;
  medianCpu?: number | null;
  peakRssMiB?: number | null;
  /** gdal_rasterize's median / this median: above 1 is faster than gdal_rasterize */
  speedup?: number | null;
  mpixPerS?: number;
  featuresPerS?: number;
  medianPhases?: Record<string, number>;
}

export interface WorkloadResult {
  id: string;
  title: string;
  width: number;
  height: number;
  gdalType: string;
  features: number;
  vertices: number;
  bytes: number;
  file: string;
  runners: RunnerResult[];
  /** one extra library run: read, parse, then rasterize()'s halves (flatten, allocate, burn) */
  libBreakdown: Record<string, number> | null;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  config: { runs: number; warmup: number; slowS: number; budgetS: number; workloads: string[]; runners: string[] };
  workloads: WorkloadResult[];
  seconds?: number;
}

const s2 = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const big = (x: number | undefined): string => (x === undefined ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 1 ? x.toFixed(1) : x.toPrecision(2));

function checkText(c: CheckResult | null, error: string | null): string {
  if (error) return `failed: ${error.slice(0, 80)}`;
  if (!c) return 'not checked';
  if (c.reference) return 'reference';
  if (c.mismatches === null || c.mismatches === undefined) return `**no**: shape ${c.shape?.join('x')} vs ${c.refShape?.join('x')}`;
  const meta = [c.dtype !== c.refDtype ? `dtype ${c.dtype} vs ${c.refDtype}` : '', c.sameTransform === false ? 'geotransform differs' : '', c.sameSrs === false ? 'SRS differs' : '', c.sameNodata === false ? 'nodata differs' : ''].filter(Boolean);
  if (c.mismatches === 0 && meta.length === 0) return 'yes';
  return `**no**: ${c.mismatches.toLocaleString('en-US')} px differ${meta.length ? `; ${meta.join(', ')}` : ''}`;
}

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`### rasterburn benchmark, ${r.date.slice(0, 16).replace('T', ' ')} UTC`);
  lines.push('');
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.gdal}; Python osgeo ${m.pythonGdal}. ` +
    `Load average ${m.loadavgStart.join(' / ')} at the start, ${m.loadavgEnd.join(' / ')} at the end (1/5/15 min). ` +
    `Each runner: ${r.config.warmup} warm-up, then median of ${r.config.runs} runs (fewer for runs over ${r.config.slowS} s, see †), whole process (GeoJSON file in, array out), runners interleaved. CPU s is the median user + system time of the process (GNU time), less sensitive than wall time to other load on the machine.`);
  lines.push('');
  lines.push('| workload | runner | median s | best s | runs | CPU s | × vs gdal_rasterize | Mpixel/s | features/s | peak RSS MiB | pixels identical? |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const w of r.workloads) {
    for (const x of w.runners) {
      lines.push(`| ${w.id} | ${x.runner} | ${s2(x.median)} | ${s2(x.wall.length ? Math.min(...x.wall) : null)} | ${x.wall.length}${x.warmupCounted ? '†' : ''} | ${s2(x.medianCpu)} | ${x.speedup ? `${x.speedup.toFixed(2)}×` : '–'} | ${big(x.mpixPerS)} | ${big(x.featuresPerS)} | ${x.peakRssMiB ? Math.round(x.peakRssMiB) : '–'} | ${checkText(x.check, x.error)} |`);
    }
  }
  if (r.workloads.some((w) => w.runners.some((x) => x.warmupCounted))) {
    lines.push('');
    lines.push(`† first run took over ${r.config.slowS} s: it counts as a sample (no separate warm-up) and the runner repeats only within a ${r.config.budgetS} s budget.`);
  }
  lines.push('');
  lines.push('Workloads:');
  for (const w of r.workloads) {
    lines.push(`- **${w.id}**: ${w.title}; ${w.features.toLocaleString('en-US')} features, ${w.vertices.toLocaleString('en-US')} vertices, ${(w.bytes / 2 ** 20).toFixed(0)} MiB of GeoJSON.`);
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
  return lines.join('\n');
}
