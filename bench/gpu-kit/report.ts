// The GPU kit's results: report.json (everything measured) and report.md (the same for people).
// Engine stats the library may or may not report (stats.stages, stats.gpu) are kept as found.

export interface KitMachine {
  adapter: string;
  software: boolean;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** nvidia-smi's name and driver version when it exists, else null */
  driver: string | null;
  /** the Vulkan driver manifest run.sh chose (VK_ICD_FILENAMES), or null for the loader's own search */
  icd: string | null;
  /** the Vulkan loader the kit put on LD_LIBRARY_PATH, or null */
  loader: string | null;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

/** One engine on one workload. */
export interface EngineResult {
  engine: 'cpu' | 'webgpu';
  /** the call that was timed */
  how: string;
  warmupMs: number;
  /** the timed runs, in order */
  runsMs: number[];
  medianMs: number;
  /** the median of each stage the engine reported (stats.stages), when it reports them; a batch's summed over its jobs */
  stages?: Record<string, number>;
  /** the GPU engine's own counters (stats.gpu) of the last run, numbers summed over a batch's jobs */
  gpu?: Record<string, unknown>;
  /** the GPU engine answered on the CPU (stats.fallbackReason): its times are not the GPU's */
  fallbackReason?: string;
  /** a separate process that reads the GeoJSON file, parses it, burns and exits: spawn to exit */
  process?: { wallMs: number; stages: Record<string, number>; identical: boolean | null; error?: string };
  /** pixel checks against the reference that differed: which run, how many pixels, the first few */
  mismatches: { run: string; pixels: number; first: { job?: number; index: number; x?: number; y?: number; expected: number; got: number }[] }[];
}

export interface WorkloadResult {
  id: string;
  title: string;
  kind: 'single' | 'jobs';
  width: number;
  height: number;
  dtype: string;
  jobs?: number;
  features: number;
  vertices: number;
  generateMs: number;
  cpu?: EngineResult;
  webgpu?: EngineResult;
  /** every run of both engines equal to the reference, pixel for pixel */
  identical: boolean;
  /** cpu median / webgpu median: above 1, WebGPU is faster */
  ratio?: number;
  /** the same for the whole-process runs */
  processRatio?: number;
  error?: string;
}

export interface KitReport {
  kit: Record<string, unknown>;
  date: string;
  quick: boolean;
  runs: number;
  threads: number;
  machine: KitMachine;
  workloads: WorkloadResult[];
  /** every workload ran and every output was identical */
  ok: boolean;
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 2 : 0)} ms`);
const ratio = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
const fmt = (n: number): string => n.toLocaleString('en-US');
const count = (n: number, one: string, many: string): string => `${fmt(n)} ${n === 1 ? one : many}`;

/** report.md: the machine, one table of medians, then per workload what the engines reported. */
export function toMarkdown(r: KitReport): string {
  const m = r.machine;
  const L: string[] = [];
  L.push(`# rasterburn GPU kit: CPU engine vs WebGPU engine${r.quick ? ' (--quick)' : ''}`, '');
  L.push(`- date: ${r.date}`);
  L.push(`- adapter: ${m.adapter}${m.software ? ' **(software: not a GPU)**' : ''}`);
  L.push(`- driver: ${m.driver ?? m.description ?? 'unknown'}`);
  L.push(`- Vulkan: loader ${m.loader ?? 'of the system'}, ICD ${m.icd ?? "the loader's own search"}`);
  L.push(`- CPU: ${m.cpuModel}, ${m.cores} cores (CPU engine: ${r.threads} threads), ${m.memoryGiB.toFixed(0)} GiB; ${m.os}; Node ${m.node}`);
  L.push(`- kit: ${Object.entries(r.kit).map(([k, v]) => `${k} ${String(v)}`).join(', ') || 'unknown'}`);
  L.push(`- medians of ${r.runs} timed run${r.runs === 1 ? '' : 's'} after one warm-up; whole process: one run`);
  L.push(`- pixels: ${r.ok ? 'every output identical' : '**MISMATCH or failure: see below**'}`, '');
  L.push('| workload | input | CPU | WebGPU | CPU / WebGPU | process CPU | process WebGPU | process ratio | pixels |');
  L.push('|---|---|--:|--:|--:|--:|--:|--:|---|');
  for (const w of r.workloads) {
    const input = `${count(w.features, 'feature', 'features')}, ${count(w.vertices, 'vertex', 'vertices')}${w.jobs ? `, ${count(w.jobs, 'job', 'jobs')}` : ''}`;
    const pixels = w.error ? `**error**` : w.identical ? 'identical' : '**MISMATCH**';
    const gpuNote = w.webgpu?.fallbackReason ? ' (on the CPU!)' : '';
    L.push(`| ${w.id} | ${input} | ${ms(w.cpu?.medianMs)} | ${ms(w.webgpu?.medianMs)}${gpuNote} | ${ratio(w.ratio)} | ${ms(w.cpu?.process?.wallMs)} | ${ms(w.webgpu?.process?.wallMs)} | ${ratio(w.processRatio)} | ${pixels} |`);
  }
  L.push('');
  for (const w of r.workloads) {
    L.push(`## ${w.id}: ${w.title}`, '');
    L.push(`- grid ${fmt(w.width)} x ${fmt(w.height)} ${w.dtype}; generated in ${ms(w.generateMs)}`);
    if (w.error) L.push(`- **error**: ${w.error}`);
    for (const e of [w.cpu, w.webgpu]) {
      if (!e) continue;
      L.push(`- ${e.engine}: ${e.how}; warm-up ${ms(e.warmupMs)}, runs ${e.runsMs.map((v) => ms(v)).join(', ')}`);
      if (e.stages) L.push(`  - stages (median): ${Object.entries(e.stages).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
      if (e.gpu) L.push(`  - gpu: ${Object.entries(e.gpu).map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(Math.round(v * 100) / 100) : String(v)}`).join(', ')}`);
      if (e.fallbackReason) L.push(`  - **answered on the CPU**: ${e.fallbackReason}`);
      if (e.process) {
        const st = Object.entries(e.process.stages).map(([k, v]) => `${k} ${ms(v)}`).join(', ');
        const same = e.process.identical === null ? 'not checked' : e.process.identical ? 'identical' : '**MISMATCH**';
        L.push(`  - whole process: ${ms(e.process.wallMs)} (${st}); output ${same}${e.process.error ? `; **error**: ${e.process.error}` : ''}`);
      }
      for (const x of e.mismatches) {
        const first = x.first.map((p) => `${p.job !== undefined ? `job ${p.job} ` : ''}pixel ${p.x !== undefined ? `(${p.x}, ${p.y})` : p.index}: ${p.expected} expected, ${p.got}`).join('; ');
        L.push(`  - **MISMATCH** in ${x.run}: ${fmt(x.pixels)} pixels differ${first ? ` (${first})` : ''}`);
      }
    }
    L.push('');
  }
  return L.join('\n');
}
