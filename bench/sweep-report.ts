// The size sweep's results (bench/sweep.ts): their JSON shape, the markdown table and the SVG chart of
// the ratio against GDAL by job size.
import { median } from './measure.js';
import { profileMarkdown, type JobProfile } from './sweep-profile.js';

export interface SweepRunner {
  runner: string;
  /** whole-process seconds, one per timed run */
  wall: number[];
  /** user + system CPU seconds of the process, one per timed run (steadier than wall time on a busy machine) */
  cpu: number[];
  /** in-process seconds (GDAL's MEM route: create + rasterize + read; ours: rasterize()) */
  inner: number[];
  rssMiB: number[];
  /** pixels that differ from gdal_rasterize's output (null: the shapes differ, or not checked) */
  mismatches: number | null;
  /** GDAL's runs were stopped after this many seconds: wall, CPU, peak RSS and inner times are lower bounds */
  cappedS?: number;
  /** the samples come from an earlier run (SWEEP_GDAL_CACHED), not from this one */
  cached?: { date: string; machine: string; from: string };
  /** why the output was not compared with gdal_rasterize's */
  unchecked?: string;
}

export interface SweepJobResult {
  id: string;
  title: string;
  features: number;
  vertices: number;
  bytes: number;
  pixels: number;
  /** the whole-process ratio the job must reach */
  goal: number;
  /** gdal_rasterize's arguments (the CLI's too), without source and destination */
  args: string[];
  runners: SweepRunner[];
  /** timed rounds of this job (fewer than the sweep's on the biggest jobs) */
  rounds?: number;
  /** where a CLI run's time goes, for a job that misses its whole-process goal */
  profile?: JobProfile;
  /** what the outputs were checked against: gdal_rasterize's output of this run, of an earlier complete run kept in the cache, or nothing */
  reference?: 'this run' | 'kept' | 'none';
}

export interface StartupResult {
  /** spawn to the first line of `node -e`, median, ms */
  nodeMs: number;
  /** spawn to the CLI's source read whole (its parse starts next), median, ms */
  cliMs: number;
  /** the same two marks in CPU time of the process (user + system), steadier than wall time on a busy machine */
  nodeCpuMs: number;
  cliCpuMs: number;
  runs: number;
}

export interface SweepResults {
  date: string;
  quick: boolean;
  runs: number;
  node: string;
  loadavgStart: number[];
  loadavgEnd: number[];
  seconds?: number;
  /** the caps and round rules of the run (bench/sweep.ts's SweepLimits) */
  limits?: { gdalCapS: number; memCapS: number; slowS: number; bigRoundS: number; bigRounds: number };
  jobs: SweepJobResult[];
  startup: StartupResult | null;
}

/** Goal of the library against GDAL's MEM route, at every size. */
export const LIB_GOAL = 3;

export interface Row {
  job: SweepJobResult;
  gdal: number; cli: number; cliRatio: number;
  gdalCpu: number; cliCpu: number; cpuRatio: number;
  mem: number; lib: number; libRatio: number;
  /** GDAL's time (whole process / MEM route) is a lower bound, stopped at the cap: so is the ratio */
  gdalLow: boolean; memLow: boolean;
  rss: Record<string, number>;
  identical: boolean;
}

/** Each job's medians and ratios, as the table and the chart show them. */
export function rows(r: SweepResults): Row[] {
  return r.jobs.map((job) => {
    const by = (id: string): SweepRunner => job.runners.find((x) => x.runner === id)!;
    const med = (xs: number[]): number => (xs.length ? median(xs) : NaN);
    const gdal = med(by('gdal_rasterize').wall), cli = med(by('rasterburn-cli-tif').wall);
    const mem = med(by('gdal-mem-python').inner), lib = med(by('rasterburn-lib').inner);
    const gdalCpu = med(by('gdal_rasterize').cpu ?? []), cliCpu = med(by('rasterburn-cli-tif').cpu ?? []);
    return {
      job, gdal, cli, cliRatio: gdal / cli, gdalCpu, cliCpu, cpuRatio: gdalCpu / cliCpu, mem, lib, libRatio: mem / lib,
      gdalLow: !!by('gdal_rasterize').cappedS, memLow: !!by('gdal-mem-python').cappedS,
      rss: Object.fromEntries(job.runners.map((x) => [x.runner, x.rssMiB.length ? Math.max(...x.rssMiB) : NaN])),
      identical: job.runners.every((x) => x.mismatches === 0),
    };
  });
}

// low: a lower bound (a GDAL run stopped at the cap), written "> 120 s" and ">= 30x"
const s2 = (x: number, low = false): string => (Number.isFinite(x) ? `${low ? '> ' : ''}${x.toFixed(x < 0.1 ? 3 : 2)}` : '–');
const ratio = (x: number, low = false): string => (Number.isFinite(x) ? `${low ? '>= ' : ''}${x >= 10 ? (low ? Math.floor(x) : x).toFixed(0) : (low ? Math.floor(x * 100) / 100 : x).toFixed(2)}x` : '–');
const mark = (ok: boolean): string => (ok ? '' : ' ✗');
const mib = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '–');
const n = (x: number): string => x.toLocaleString('en-US');

export function sweepMarkdown(r: SweepResults): string {
  const lines: string[] = [];
  lines.push(`# Size sweep${r.quick ? ' (--quick)' : ''}, ${r.date.slice(0, 16).replace('T', ' ')} UTC`, '');
  lines.push(`Node ${r.node}; load average ${r.loadavgStart.map((x) => x.toFixed(1)).join(' ')} at the start, ${r.loadavgEnd.map((x) => x.toFixed(1)).join(' ')} at the end${r.seconds ? `; ${r.seconds} s in all` : ''}.`);
  const fewer = r.jobs.filter((j) => j.rounds !== undefined && j.rounds < r.runs);
  lines.push(`Median of ${r.runs} timed runs per runner${fewer.length ? ` (${fewer.map((j) => `${j.id}: ${j.rounds}`).join(', ')}: the biggest jobs, whose GDAL runs take tens of seconds)` : ''} after one checked warm-up, the runners' order rotated every round. Whole process: spawn to exit.`);
  lines.push(`In process: GDAL's MEM route (python3 osgeo, layer already open: Create + RasterizeLayer + ReadAsArray) against rasterize() on the parsed GeoJSON.`);
  lines.push(`CPU s: user + system time of the whole process (GNU time), steadier than wall time when other work shares the cores.`);
  const lim = r.limits;
  if (lim) lines.push(`GDAL's runs only are stopped at a cap (gdal_rasterize ${lim.gdalCapS ? `${lim.gdalCapS} s` : 'none'}, the MEM route ${lim.memCapS ? `${lim.memCapS} s` : 'none'}): a stopped run's time is a lower bound, written "> 120 s", and so is the ratio, written ">= 30x"; a goal counts as met only if the lower bound meets it. A stopped or slow (over ${lim.slowS} s) GDAL run is not repeated: it is that runner's one timed sample. Jobs whose runners still to run took over ${lim.bigRoundS} s a round get ${lim.bigRounds} timed rounds.`);
  const cachedRunners = r.jobs.flatMap((j) => j.runners.filter((x) => x.cached).map((x) => `${j.id} ${x.runner} (${x.cached!.from}: ${x.cached!.date}, ${x.cached!.machine})`));
  if (cachedRunners.length) lines.push(`Reused GDAL timings from an earlier run, not measured in this one: ${cachedRunners.join('; ')}.`);
  const kept = r.jobs.filter((j) => j.reference === 'kept').map((j) => j.id);
  if (kept.length) lines.push(`Pixels of ${kept.join(', ')} checked against gdal_rasterize's output of an earlier complete run of the same job, kept in the bench cache (in this one GDAL was stopped at its cap or its timing reused).`);
  lines.push(`Ratio: GDAL's time over ours (above 1 is faster than GDAL); ✗ marks a goal not met (whole process ${'>='} 2x, ${'>='} 20x on ${r.jobs.filter((j) => j.goal >= 20).map((j) => j.id).join(', ') || 'the 20x jobs'}; in process ${'>='} ${LIB_GOAL}x; peak RSS no higher than GDAL's).`, '');
  lines.push('| job | features | vertices | grid | gdal_rasterize | rasterburn CLI | ratio | CPU s gdal / CLI (ratio) | RSS MiB gdal / CLI | MEM route | rasterize() | ratio | RSS MiB MEM / lib | pixels |');
  lines.push('|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const x of rows(r)) {
    const j = x.job;
    const side = Math.round(Math.sqrt(j.pixels));
    const grid = side * side === j.pixels ? `${n(side)}²` : `${(j.pixels / 1e6).toFixed(1)} Mpx`;
    const rg = x.rss.gdal_rasterize, rc = x.rss['rasterburn-cli-tif'], rm = x.rss['gdal-mem-python'], rl = x.rss['rasterburn-lib'];
    lines.push(`| ${j.id} | ${n(j.features)} | ${n(j.vertices)} | ${grid} | ${s2(x.gdal, x.gdalLow)} s | ${s2(x.cli)} s | ${ratio(x.cliRatio, x.gdalLow)}${mark(x.cliRatio >= j.goal)} | ${s2(x.gdalCpu, x.gdalLow)} / ${s2(x.cliCpu)} (${ratio(x.cpuRatio, x.gdalLow)}) | ${mib(rg)} / ${mib(rc)}${mark(rc <= rg)} | ${s2(x.mem, x.memLow)} s | ${s2(x.lib)} s | ${ratio(x.libRatio, x.memLow)}${mark(x.libRatio >= LIB_GOAL)} | ${mib(rm)} / ${mib(rl)}${mark(rl <= rm)} | ${x.identical ? 'identical' : differ(j)} |`);
  }
  lines.push('', 'Jobs (each is one gdal_rasterize command line; the CLI gets the same arguments):', '');
  for (const j of r.jobs) lines.push(`- ${j.id}: ${j.title}; ${(j.bytes / 2 ** 20).toFixed(1)} MiB of GeoJSON; \`${j.args.join(' ')}\``);
  if (r.startup) {
    const s = r.startup;
    lines.push('', `Start-up (median of ${s.runs}, alternating): spawn to the counties file read whole (its parse starts next) ${s.cliMs.toFixed(0)} ms, spawn to \`node -e\`'s first line ${s.nodeMs.toFixed(0)} ms: +${(s.cliMs - s.nodeMs).toFixed(0)} ms (goal +20 ms)${mark(s.cliMs - s.nodeMs <= 20)}. In CPU time of the process at those marks: ${s.cliCpuMs.toFixed(0)} ms against ${s.nodeCpuMs.toFixed(0)} ms, +${(s.cliCpuMs - s.nodeCpuMs).toFixed(0)} ms.`);
  }
  const unmet = rows(r).filter((x) => x.job.profile && !(x.cliRatio >= x.job.goal));
  if (unmet.length) {
    lines.push('', '## Where the time goes on the jobs that miss their goal', '');
    for (const x of unmet) lines.push(...profileMarkdown(x.job.id, x.cliRatio, x.job.goal, x.job.profile!));
  }
  return `${lines.join('\n')}\n`;
}

function differ(j: SweepJobResult): string {
  return j.runners.filter((x) => x.mismatches !== 0).map((x) => (x.unchecked ? `${x.runner}: not checked (${x.unchecked})` : `${x.runner}: ${x.mismatches ?? 'shape'} differ`)).join(', ');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Ratio against GDAL (log scale) by grid size (log scale): one line for each way of running. */
export function sweepSvg(r: SweepResults): string {
  const rs = rows(r);
  const W = 900, H = 420, L = 60, R = 250, T = 40, B = 60;
  const pw = W - L - R, ph = H - T - B;
  const px = rs.map((x) => x.job.pixels);
  const xlo = Math.floor(Math.log10(Math.min(...px, 1e6))), xhi = Math.ceil(Math.log10(Math.max(...px, 1e8)));
  const ylo = -1, yhi = 2;
  const X = (v: number): number => L + ((Math.log10(v) - xlo) / (xhi - xlo)) * pw;
  const Y = (v: number): number => T + ph - ((Math.log10(Math.min(Math.max(v, 10 ** ylo), 10 ** yhi)) - ylo) / (yhi - ylo)) * ph;
  const out: string[] = [];
  for (let e = xlo; e <= xhi; e++) out.push(`<line x1="${X(10 ** e)}" y1="${T}" x2="${X(10 ** e)}" y2="${T + ph}" stroke="#eee"/><text x="${X(10 ** e)}" y="${T + ph + 16}" text-anchor="middle">10${sup(e)}</text>`);
  for (const v of [0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 20, 50, 100]) {
    const goal = v === 2 || v === LIB_GOAL || v === 20;
    out.push(`<line x1="${L}" y1="${Y(v)}" x2="${L + pw}" y2="${Y(v)}" stroke="${v === 1 ? '#000' : goal ? '#999' : '#eee'}"${goal ? ' stroke-dasharray="4 3"' : ''}/><text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v}x</text>`);
  }
  const series: [string, string, (x: Row) => number, (x: Row) => boolean][] = [
    ['CLI vs gdal_rasterize (whole process)', '#1f77b4', (x) => x.cliRatio, (x) => x.gdalLow],
    ['rasterize() vs MEM route (in process)', '#ff7f0e', (x) => x.libRatio, (x) => x.memLow],
  ];
  series.forEach(([name, color, f, low], si) => {
    const pts = rs.filter((x) => Number.isFinite(f(x))).sort((a, b) => a.job.pixels - b.job.pixels);
    out.push(`<polyline fill="none" stroke="${color}" stroke-opacity="0.4" points="${pts.map((x) => `${X(x.job.pixels).toFixed(1)},${Y(f(x)).toFixed(1)}`).join(' ')}"/>`);
    for (const x of pts) {
      const cx = X(x.job.pixels), cy = Y(f(x));
      const fill = x.identical ? color : '#fff';
      // a lower bound (GDAL stopped at its cap): a triangle pointing up, the true ratio is above it
      if (low(x)) out.push(`<path d="M${cx.toFixed(1)},${(cy - 6).toFixed(1)} l5,9 h-10 z" fill="${fill}" stroke="${color}"/>`);
      else out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${fill}" stroke="${color}"/>`);
      if (si === 0) out.push(`<text x="${(cx + 6).toFixed(1)}" y="${(cy - 6).toFixed(1)}" font-size="10" fill="#444">${esc(x.job.id)}</text>`);
    }
    out.push(`<rect x="${L + pw + 12}" y="${T + 10 + si * 20}" width="10" height="10" fill="${color}"/><text x="${L + pw + 26}" y="${T + 19 + si * 20}" font-size="10">${esc(name)}</text>`);
  });
  out.push(`<text x="${L + pw + 12}" y="${T + 64}" font-size="10" fill="#555">dashed: goals 2x, 3x, 20x</text>`);
  out.push(`<text x="${L + pw + 12}" y="${T + 78}" font-size="10" fill="#555">hollow: output differs or unchecked</text>`);
  if (rs.some((x) => x.gdalLow || x.memLow)) out.push(`<text x="${L + pw + 12}" y="${T + 92}" font-size="10" fill="#555">triangle: at least (GDAL stopped at its cap)</text>`);
  const title = `rasterburn / GDAL speed ratio by grid size${r.quick ? ' (--quick)' : ''}, ${r.date.slice(0, 10)}, median of ${r.runs}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${L}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>
${out.join('\n')}
<text x="${L + pw / 2}" y="${H - 20}" text-anchor="middle">grid pixels (log scale)</text>
<text x="14" y="${T + ph / 2}" transform="rotate(-90 14 ${T + ph / 2})" text-anchor="middle">speed ratio (log scale)</text>
</svg>
`;
}

function sup(e: number): string {
  const d = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return String(e).split('').map((c) => d[Number(c)]).join('');
}
