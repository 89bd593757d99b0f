// How much of a WebGPU burn the host (main thread) still does, against the CPU engine's whole burn,
// on the same shapes: the exact GPU fill should leave the host work proportional to the vertices
// (packing edges, encoding, unpacking the readback). Also prints the crossings the GPU evaluated and
// how many took the exact float64 path. Any adapter will do, a software one included: hostMs
// excludes the waits for the device, so SwiftShader's slowness does not count.
// --pool keeps the GPU buffers between runs (as createRasterizer does), so the medians show a
// steady state without the buffer creation a one-off burn pays (SwiftShader zero-fills on the host).
// The burn may hand its result back as a view of the mapped readback (viewResult), as rasterize() does;
// the view is released after each run (its readback back to the pool) unless --keep-view is given.
// The first run in the process (cold: shader compiles, first buffers) is reported apart from the
// median of the later ones (warm). The garbage collector's time (PerformanceObserver 'gc' entries,
// wall clock) is summed per run and per phase: most of it falls while the WebGPU burn waits for the
// device, when Dawn's Node binding polls the device through setImmediate (a new function each poll).
//   npx tsc -p tsconfig.json && node dist/bench/gpu-host.js [W2 R2 ...] [--runs N] [--pool] [--cpu-clock] [--window x,y,w,h]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { burnShapesCpu } from '../src/cpu/engine.js';
import { DTYPES } from '../src/dtype.js';
import { flattenFeatures } from '../src/features/flatten.js';
import { parseGeoJSON } from '../src/features/scan.js';
import { burnShapesWebGPU, getWebGPUDevice, GpuResourcePool } from '../src/gpu/engine.js';
import { gridFromBounds } from '../src/grid-from-bounds.js';
import type { Grid, NumberArray } from '../src/types.js';
import { WORKLOADS } from './workloads.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const poolAt = args.indexOf('--pool');
if (poolAt >= 0) args.splice(poolAt, 1);
// --copy: the result copied into the target array (as a tiled burn or an `into` array has it)
const copyAt = args.indexOf('--copy');
if (copyAt >= 0) args.splice(copyAt, 1);
// --keep-view: never release a viewed result, so every pooled burn makes a new readback (as before release())
const keepAt = args.indexOf('--keep-view');
if (keepAt >= 0) args.splice(keepAt, 1);
// --cpu-clock: hostMs and its steps in the main thread's CPU time (Linux /proc/thread-self/schedstat,
// nanoseconds) instead of wall time: on a loaded machine the wall clock mostly measures the wait for
// a core. The kernel updates that figure at scheduler ticks and switches, so one reading may lag by
// up to a tick (4 ms here): a step's figure is only good as a median over many runs. A reading costs
// about 10-40 us (about 20 a burn).
const cpuClockAt = args.indexOf('--cpu-clock');
if (cpuClockAt >= 0) args.splice(cpuClockAt, 1);
const SCHEDSTAT = '/proc/thread-self/schedstat';
const threadCpuMs = existsSync(SCHEDSTAT) ? () => Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6 : () => NaN;
if (cpuClockAt >= 0 && !existsSync(SCHEDSTAT)) throw new Error(`--cpu-clock needs ${SCHEDSTAT} (Linux)`);
const hostClock = cpuClockAt >= 0 ? threadCpuMs : undefined;
// --window x,y,w,h: the WebGPU burn writes only this window of the grid (planning is still the
// whole grid's, every edge; the GPU runs the window's tiles), compared with the same pixels of the
// CPU engine's whole-grid burn: for W2, whose whole grid takes SwiftShader many minutes
const windowAt = args.indexOf('--window');
const win = windowAt >= 0 ? args.splice(windowAt, 2)[1].split(',').map(Number) : null;
if (win && (win.length !== 4 || win.some((v) => !Number.isInteger(v) || v < 0))) throw new Error('--window takes x,y,width,height (whole pixels)');
const pool = poolAt >= 0 ? new GpuResourcePool(await getWebGPUDevice(), 2 ** 31) : undefined;
const ids = args.length > 0 ? args : ['R2', 'W2'];
const cache = join('bench', 'results', 'tmp');
mkdirSync(cache, { recursive: true });

// every collection the process makes, to count the garbage collector's time per run and per phase:
// during the CPU engine's burn, during the WebGPU burn's planning (its ms.prepare) and during the
// whole WebGPU burn (waits for the device included)
const gcs: PerformanceEntry[] = [];
const gcObserver = new PerformanceObserver((list) => { gcs.push(...list.getEntries()); });
gcObserver.observe({ entryTypes: ['gc'] });
// GC milliseconds overlapping [from, to) (performance.now() times)
const gcWithin = (from: number, to: number) => {
  let ms = 0;
  for (const e of gcs) ms += Math.max(0, Math.min(to, e.startTime + e.duration) - Math.max(from, e.startTime));
  return ms;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const id of ids) {
  const make = WORKLOADS[id];
  if (!make) throw new Error(`unknown workload ${id}; known: ${Object.keys(WORKLOADS).join(', ')}`);
  const w = make();
  if (w.kind !== 'single') throw new Error(`${id} is a batch workload; this benchmark burns one grid`);
  const prepared = await w.prepare(cache);
  const grid: Grid = w.tr
    ? gridFromBounds(w.te, { resolution: w.tr }, { crs: w.crs })
    : gridFromBounds(w.te, { size: [w.width, w.height] }, { crs: w.crs });
  const shapes = flattenFeatures(parseGeoJSON(readFileSync(prepared.path)), grid, {
    attribute: w.attribute, burn: w.burn, featureCrs: w.crs,
  });
  const target = () => ({ data: DTYPES[w.dtype].make(grid.width * grid.height) as NumberArray, width: grid.width, height: grid.height, dtype: w.dtype });
  const cpu: number[] = [], cpuTime: number[] = [], cpuThread: number[] = [], host: number[] = [], wall: number[] = [];
  let crossings = 0, fallbacks = 0, adapter = '', viewed = false;
  const steps: Record<string, number[]> = {};
  // per run: [CPU burn, WebGPU planning, whole WebGPU burn, run] start and end times
  const phases: number[][] = [];
  for (let r = 0; r < runs; r++) {
    const t = target();
    const c0 = process.cpuUsage();
    const t0 = performance.now(), k0 = threadCpuMs();
    const run0 = t0;
    burnShapesCpu(shapes, t, { allTouched: w.allTouched });
    cpu.push(performance.now() - t0);
    cpuThread.push(threadCpuMs() - k0);
    // the process's CPU time over the same one-thread burn: far below the wall time on a loaded machine
    const c = process.cpuUsage(c0);
    cpuTime.push((c.user + c.system) / 1000);
    const g = win ? { ...target(), data: DTYPES[w.dtype].make(win[2] * win[3]) as NumberArray } : target();
    const window = win ? { x: win[0], y: win[1], width: win[2], height: win[3] } : undefined;
    const t1 = performance.now();
    const res = await burnShapesWebGPU(shapes, g, { allTouched: w.allTouched, init: 0, pool, viewResult: copyAt < 0 && !win, hostClock, window });
    wall.push(performance.now() - t1);
    phases.push([t0, t0 + cpu[cpu.length - 1], t1, t1 + res.ms.prepare, t1, performance.now(), run0]);
    host.push(res.hostMs);
    for (const [k, v] of Object.entries(res.hostSteps ?? {})) (steps[k] ??= []).push(v);
    crossings = res.crossings;
    fallbacks = res.exactFallbacks;
    adapter = res.adapter;
    viewed = res.data !== undefined;
    let differ = 0;
    const out = res.data ?? g.data;
    if (window) {
      for (let r = 0; r < window.height; r++) {
        for (let c = 0, o = (window.y + r) * grid.width + window.x; c < window.width; c++) if (t.data[o + c] !== out[r * window.width + c]) differ++;
      }
    } else {
      for (let k = 0; k < t.data.length; k++) if (t.data[k] !== out[k]) differ++;
    }
    if (differ > 0) throw new Error(`${id}: the WebGPU burn differs from the CPU engine in ${differ} pixels`);
    if (keepAt < 0) res.release?.();
    phases[phases.length - 1].push(performance.now());
  }
  // the observer's entries arrive on a later turn of the event loop
  await new Promise((resolve) => setTimeout(resolve, 50));
  const gcCpu = phases.map((p) => gcWithin(p[0], p[1]));
  const gcPlan = phases.map((p) => gcWithin(p[2], p[3]));
  const gcBurn = phases.map((p) => gcWithin(p[4], p[5]));
  const gcRun = phases.map((p) => gcWithin(p[6], p[7]));
  // run 0 is the cold one; the warm medians are over the others
  const warm = (xs: number[]) => (xs.length > 1 ? xs.slice(1) : xs);
  // hostMs against the CPU burn on the same clock: wall against wall, or thread CPU time against the
  // CPU burn's own thread CPU time
  const ratio = median(warm(host)) / median(warm(hostClock ? cpuThread : cpu));
  console.log(`${id} (${w.title}; ${prepared.vertices.toLocaleString('en-US')} vertices) on ${adapter}${pool ? ', buffers pooled' : ''}${viewed ? ', result a view of the readback' : ''}${win ? `, WebGPU burns the window ${win.join(',')} only` : ''}:`);
  console.log(`  cold (run 1): CPU engine burn ${cpu[0].toFixed(1)} ms (CPU time ${cpuTime[0].toFixed(1)} ms), WebGPU hostMs ${host[0].toFixed(1)} ms; steps ${Object.entries(steps).map(([k, v]) => `${k} ${v[0].toFixed(1)}`).join(', ')}`);
  console.log(`  warm (median of ${warm(host).length}): CPU engine burn ${median(warm(cpu)).toFixed(1)} ms (its CPU time ${median(warm(cpuTime)).toFixed(1)} ms, its thread's ${median(warm(cpuThread)).toFixed(1)} ms: the rest is the machine's load); WebGPU hostMs ${median(warm(host)).toFixed(1)} ms${hostClock ? ' of main-thread CPU time' : ''} (${(100 * ratio).toFixed(1)}% of the CPU burn${hostClock ? "'s thread CPU time" : ''}), wall ${median(warm(wall)).toFixed(0)} ms`);
  console.log(`  warm host steps (median ms): ${Object.entries(steps).map(([k, v]) => `${k} ${median(warm(v)).toFixed(1)}`).join(', ')}`);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`  GC (wall ms, warm median a run / sum over all ${runs} runs): CPU engine burn ${median(warm(gcCpu)).toFixed(1)} / ${sum(gcCpu).toFixed(0)}, WebGPU planning ${median(warm(gcPlan)).toFixed(1)} / ${sum(gcPlan).toFixed(0)}, whole WebGPU burn ${median(warm(gcBurn)).toFixed(1)} / ${sum(gcBurn).toFixed(0)}, whole run (both burns, the comparison) ${median(warm(gcRun)).toFixed(1)} / ${sum(gcRun).toFixed(0)}`);
  console.log(`  ${crossings.toLocaleString('en-US')} crossings on the GPU, ${fallbacks.toLocaleString('en-US')} (${((100 * fallbacks) / Math.max(1, crossings)).toFixed(3)}%) by the exact float64 path; outputs identical`);
}
pool?.destroy();
gcObserver.disconnect();
