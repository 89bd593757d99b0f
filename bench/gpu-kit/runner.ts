// The GPU kit's runner, bundled into the kit as app/runner.js and started by run.sh with the kit's
// own Node, Dawn and Vulkan loader. It burns each workload with the CPU engine on every core
// (rasterizeThreaded) and with the WebGPU engine (rasterize with backend 'webgpu'; W5 through
// createRasterizer().rasterizeBatch), the same inputs for both, checks every output pixel for pixel
// against the first CPU output, and writes report.json and report.md.
//
// usage: node runner.js --out DIR [--quick] [--only W1,W2] [--runs N] [--threads N]
//                       [--allow-software] [--work DIR] [--kit DIR]
// exit status: 0 all identical, 1 a mismatch or a failed workload, 2 no usable adapter or bad usage
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { gridFromBounds } from '../../src/grid-from-bounds.js';
import { rasterize, type RasterResult } from '../../src/rasterize.js';
import { createRasterizer, type BatchJob } from '../../src/rasterizer.js';
import { rasterizeThreaded } from '../../src/node.js';
import { defaultThreads } from '../../src/burn/node-pool.js';
import type { RasterizeOptions, TypedArray } from '../../src/types.js';
import { openAdapter } from './adapter.js';
import { diffPixels, hashPixels } from './check.js';
import { runChild, type ChildAnswer, type ChildSpec } from './child.js';
import { toMarkdown, type EngineResult, type KitMachine, type KitReport, type WorkloadResult } from './report.js';
import { FULL, KIT_CRS, QUICK, type KitInput, type KitWorkload } from './workloads.js';

interface Args {
  out: string;
  quick: boolean;
  only: string[] | null;
  runs: number;
  threads: number;
  allowSoftware: boolean;
  work: string | null;
  kit: string | null;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  // the CPU engine's threads: rasterizeThreaded's own default (every core, at most 64) unless --threads
  const a: Args = { out: 'results', quick: false, only: null, runs: 3, threads: defaultThreads(), allowSoftware: false, work: null, kit: null };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  const count = (v: string, name: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of at least 1, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--out': a.out = value(i++, arg); break;
      case '--quick': a.quick = true; break;
      case '--only': a.only = value(i++, arg).split(',').map((s) => s.trim()).filter((s) => s); break;
      case '--runs': a.runs = count(value(i++, arg), arg); break;
      case '--threads': a.threads = count(value(i++, arg), arg); break;
      case '--allow-software': a.allowSoftware = true; break;
      case '--work': a.work = value(i++, arg); break;
      case '--kit': a.kit = value(i++, arg); break;
      default: throw new UsageError(`unknown option "${arg}"`);
    }
  }
  const known = FULL.map((w) => w.id);
  for (const id of a.only ?? []) if (!known.includes(id)) throw new UsageError(`unknown workload "${id}" in --only: the kit has ${known.join(', ')}`);
  return a;
}

const say = (line: string): void => { process.stdout.write(`${line}\n`); };

function median(v: number[]): number {
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// the engine's optional reports: stats.stages (ms by stage) and, from WebGPU, stats.gpu
type Extra = { stages?: Record<string, number>; gpu?: Record<string, unknown> };
const extra = (r: RasterResult): Extra => r.stats as unknown as Extra;

/** Numbers summed, anything else taken from the first: one record for a batch's jobs. */
function mergeGpu(list: Record<string, unknown>[]): Record<string, unknown> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const g of list) {
    for (const [k, v] of Object.entries(g)) {
      if (typeof v === 'number' && typeof out[k] === 'number') out[k] = (out[k] as number) + v;
      else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

function medianStages(runs: Record<string, number>[]): Record<string, number> | undefined {
  if (runs.length === 0) return undefined;
  const keys = [...new Set(runs.flatMap((s) => Object.keys(s)))];
  return Object.fromEntries(keys.map((k) => [k, median(runs.filter((s) => typeof s[k] === 'number').map((s) => s[k]))]));
}

/** One timed pass of an engine: its outputs (one per job) and what the engine reported. */
interface Pass {
  outputs: TypedArray[];
  stages: Record<string, number> | null;
  gpu: Record<string, unknown>[];
  fallbackReason?: string;
}

/**
 * Runs `pass` once to warm up and `runs` times timed (outputs `width` pixels wide); the first output of all (`reference.data`,
 * filled by the first call made with it empty) is what every output, this engine's and the
 * other's, is compared with.
 */
async function timeEngine(engine: 'cpu' | 'webgpu', how: string, runs: number, width: number, reference: { data: TypedArray[] | null }, pass: () => Promise<Pass>): Promise<EngineResult> {
  const result: EngineResult = { engine, how, warmupMs: 0, runsMs: [], medianMs: 0, mismatches: [] };
  const stages: Record<string, number>[] = [];
  for (let run = 0; run <= runs; run++) {
    const t0 = performance.now();
    const p = await pass();
    const t = performance.now() - t0;
    if (run === 0) result.warmupMs = t;
    else result.runsMs.push(t);
    if (run > 0 && p.stages) stages.push(p.stages);
    if (p.gpu.length) result.gpu = mergeGpu(p.gpu);
    if (p.fallbackReason) result.fallbackReason = p.fallbackReason;
    const label = run === 0 ? 'the warm-up' : `run ${run}`;
    if (!reference.data) {
      reference.data = p.outputs;
    } else {
      if (p.outputs.length !== reference.data.length) throw new Error(`${engine} returned ${p.outputs.length} outputs, the reference has ${reference.data.length}`);
      let pixels = 0;
      const first: EngineResult['mismatches'][number]['first'] = [];
      p.outputs.forEach((out, job) => {
        const d = diffPixels(reference.data![job], out, width);
        pixels += d.count;
        for (const f of d.first) if (first.length < 5) first.push(p.outputs.length > 1 ? { job, ...f } : f);
      });
      if (pixels > 0) {
        result.mismatches.push({ run: label, pixels, first });
        say(`  !!! ${engine} ${label}: ${pixels.toLocaleString('en-US')} PIXELS DIFFER from the reference (first: ${JSON.stringify(first[0])})`);
      }
    }
    say(`  ${engine.padEnd(6)} ${label.padEnd(11)} ${t.toFixed(1).padStart(9)} ms`);
  }
  result.medianMs = median(result.runsMs);
  result.stages = medianStages(stages);
  return result;
}

function burnOptions(w: KitWorkload): RasterizeOptions {
  const o: RasterizeOptions = { dtype: w.dtype };
  if (w.attribute !== undefined) o.attribute = w.attribute;
  else o.burn = w.burn ?? 1;
  return o;
}

/** A whole-process run of runner.js --child: spawn to exit, with its own stage times and output hash. */
function spawnChild(spec: ChildSpec): Promise<{ wallMs: number; answer: ChildAnswer }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [process.argv[1], '--child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const text = Buffer.concat(out).toString('utf8').trim();
      if (code !== 0) return fail(new Error(`exit ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' | ')}`));
      try {
        done({ wallMs, answer: JSON.parse(text.split('\n').pop() ?? '') as ChildAnswer });
      } catch {
        fail(new Error(`no answer on stdout: ${text.slice(0, 200)}`));
      }
    });
  });
}

async function runWorkload(w: KitWorkload, args: Args, work: string): Promise<WorkloadResult> {
  say(`${w.id}: ${w.title}`);
  const t0 = performance.now();
  const input: KitInput = w.make();
  const generateMs = performance.now() - t0;
  say(`  generated ${input.featureCount.toLocaleString('en-US')} features, ${input.vertices.toLocaleString('en-US')} vertices in ${generateMs.toFixed(0)} ms`);
  const res: WorkloadResult = {
    id: w.id, title: w.title, kind: w.kind, width: w.width, height: w.height, dtype: w.dtype,
    features: input.featureCount, vertices: input.vertices, generateMs, identical: false,
  };
  const options = burnOptions(w);
  const reference: { data: TypedArray[] | null } = { data: null };
  const grid = (te: [number, number, number, number]) => gridFromBounds(te, { size: [w.width, w.height] }, { crs: KIT_CRS });
  try {
    if (input.kind === 'single') {
      const g = grid(w.te!);
      const one = (r: RasterResult): Pass => ({ outputs: [r.data], stages: extra(r).stages ?? null, gpu: extra(r).gpu ? [extra(r).gpu!] : [], fallbackReason: r.stats.fallbackReason });
      res.cpu = await timeEngine('cpu', `rasterizeThreaded (${args.threads} threads)`, args.runs, w.width, reference,
        async () => one(await rasterizeThreaded(input.features, g, options, { threads: args.threads })));
      res.webgpu = await timeEngine('webgpu', "rasterize({ backend: 'webgpu' })", args.runs, w.width, reference,
        async () => one(await rasterize(input.features, g, { ...options, backend: 'webgpu' })));
      await wholeProcess(w, input.features, args, work, hashPixels(reference.data![0]), res);
    } else {
      res.jobs = input.jobs.length;
      const jobs: BatchJob[] = input.jobs.map((j) => ({ features: j.features, grid: grid(j.te), options }));
      const batch = async (backend: 'cpu' | 'webgpu'): Promise<Pass> => {
        // the rasterizer's set-up (device, pipelines) is part of what a batch costs, as in bench/lib-runner.ts
        const r = await createRasterizer({ backend });
        try {
          const list = await r.rasterizeBatch(jobs).toArray();
          const stages = list.map((x) => extra(x).stages).filter((s): s is Record<string, number> => !!s);
          const summed = stages.length ? mergeGpu(stages) as Record<string, number> : null;
          return {
            outputs: list.map((x) => x.data), stages: summed,
            gpu: list.map((x) => extra(x).gpu).filter((x): x is Record<string, unknown> => !!x),
            fallbackReason: list.find((x) => x.stats.fallbackReason)?.stats.fallbackReason,
          };
        } finally {
          r.destroy();
        }
      };
      // the CPU batch burns its jobs one after another on one thread: there is no threaded batch
      res.cpu = await timeEngine('cpu', "createRasterizer({ backend: 'cpu' }).rasterizeBatch (one thread)", args.runs, w.width, reference, () => batch('cpu'));
      res.webgpu = await timeEngine('webgpu', "createRasterizer({ backend: 'webgpu' }).rasterizeBatch", args.runs, w.width, reference, () => batch('webgpu'));
    }
  } catch (e) {
    res.error = e instanceof Error ? e.message : String(e);
    say(`  !!! ${w.id} failed: ${res.error}`);
  }
  const checked = [res.cpu, res.webgpu].filter((e): e is EngineResult => !!e);
  res.identical = !res.error && checked.length === 2 && checked.every((e) => e.mismatches.length === 0 && e.process?.identical !== false);
  if (res.cpu && res.webgpu) res.ratio = res.cpu.medianMs / res.webgpu.medianMs;
  if (res.cpu?.process && res.webgpu?.process && !res.cpu.process.error && !res.webgpu.process.error) res.processRatio = res.cpu.process.wallMs / res.webgpu.process.wallMs;
  say(`  ${res.identical ? 'identical' : '!!! NOT IDENTICAL'}; CPU ${res.cpu?.medianMs.toFixed(1) ?? '-'} ms, WebGPU ${res.webgpu?.medianMs.toFixed(1) ?? '-'} ms (median)`);
  return res;
}

/** One whole-process run per engine on the workload written as a GeoJSON file. */
async function wholeProcess(w: KitWorkload, features: unknown, args: Args, work: string, refHash: string, res: WorkloadResult): Promise<void> {
  const src = join(work, `${w.id}.geojson`);
  writeFileSync(src, JSON.stringify(features));
  try {
    for (const e of [res.cpu!, res.webgpu!]) {
      const spec: ChildSpec = { src, te: w.te!, width: w.width, height: w.height, crs: KIT_CRS, dtype: w.dtype, attribute: w.attribute, burn: w.burn, backend: e.engine, threads: args.threads };
      try {
        const { wallMs, answer } = await spawnChild(spec);
        e.process = { wallMs, stages: answer.stages, identical: answer.hash === refHash };
        if (answer.fallbackReason) e.fallbackReason ??= answer.fallbackReason;
        say(`  ${e.engine.padEnd(6)} ${'process'.padEnd(11)} ${wallMs.toFixed(1).padStart(9)} ms${e.process.identical ? '' : '  !!! OUTPUT DIFFERS from the reference'}`);
      } catch (err) {
        e.process = { wallMs: NaN, stages: {}, identical: false, error: err instanceof Error ? err.message : String(err) };
        say(`  !!! ${e.engine} process failed: ${e.process.error}`);
      }
    }
  } finally {
    rmSync(src, { force: true });
  }
}

function machineInfo(a: Awaited<ReturnType<typeof openAdapter>>): KitMachine {
  let driver: string | null = null;
  try {
    driver = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0] || null;
  } catch { /* not an NVIDIA machine, or no nvidia-smi: the adapter's description names the driver */ }
  return {
    adapter: a.label, software: a.software, vendor: a.vendor, architecture: a.architecture, device: a.device, description: a.description,
    driver, icd: process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES || null, loader: process.env.RASTERBURN_KIT_LOADER || null,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), memoryGiB: totalmem() / 2 ** 30,
    os: `${process.platform} ${release()}`, node: process.versions.node,
  };
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--child') {
    const answer = await runChild(JSON.parse(argv[1]) as ChildSpec);
    say(JSON.stringify(answer));
    return 0;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`runner: ${e.message}\n`);
    return 2;
  }
  let adapter: Awaited<ReturnType<typeof openAdapter>>;
  try {
    adapter = await openAdapter();
  } catch (e) {
    process.stderr.write(`!!! no WebGPU adapter: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const machine = machineInfo(adapter);
  say(`adapter: ${machine.adapter}`);
  say(`driver:  ${machine.driver ?? (machine.description || 'unknown')}`);
  say(`CPU:     ${machine.cpuModel}, ${machine.cores} cores; CPU engine on ${args.threads} threads`);
  if (adapter.software && !args.allowSoftware) {
    process.stderr.write('!!! this is a software adapter, not a GPU: its times say nothing about WebGPU on hardware. Check the NVIDIA driver and its Vulkan ICD (VK_ICD_FILENAMES), or pass --allow-software to run anyway.\n');
    return 2;
  }
  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  const work = args.work ? resolve(args.work) : mkdtempSync(join(tmpdir(), 'rasterburn-kit-'));
  mkdirSync(work, { recursive: true });
  const kitFile = args.kit ? join(args.kit, 'kit.json') : null;
  const kit = kitFile && existsSync(kitFile) ? (JSON.parse(readFileSync(kitFile, 'utf8')) as Record<string, unknown>) : {};

  const list = (args.quick ? QUICK : FULL).filter((w) => !args.only || args.only.includes(w.id));
  const workloads: WorkloadResult[] = [];
  try {
    for (const w of list) workloads.push(await runWorkload(w, args, work));
  } finally {
    // run.sh's --work is inside its own temp dir, which it removes
    if (!args.work) rmSync(work, { recursive: true, force: true });
  }
  const report: KitReport = {
    kit: { commit: kit.commit, built: kit.built, node: kit.node, compression: kit.compression },
    date: new Date().toISOString(), quick: args.quick, runs: args.runs, threads: args.threads, machine, workloads,
    ok: workloads.every((w) => w.identical),
  };
  for (const [k, v] of Object.entries(report.kit)) if (v === undefined) delete report.kit[k];
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'report.md'), `${toMarkdown(report)}\n`);
  say(`wrote ${join(out, 'report.md')} and report.json`);
  if (!report.ok) {
    const bad = workloads.filter((w) => !w.identical).map((w) => w.id);
    process.stderr.write(`!!! PIXEL MISMATCH or failure in ${bad.join(', ')}: see report.md\n`);
    return 1;
  }
  return 0;
}

// Dawn's instance keeps the process alive: leave explicitly once the reports are written
main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`!!! ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(2);
});
