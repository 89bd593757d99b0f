// Micro benchmark of the CPU burn engine (not a test). Seeded inputs built directly in pixel space:
//   A: 100,000 random small polygons (4-8 vertices, ~10 px wide) onto 10,000 x 10,000 uint16
//   B: one 1,000,000-vertex star polygon onto 20,000 x 20,000 uint8
// Prints the input distribution and the median of several runs per mode.
// Run: npx tsc -p tsconfig.json && node dist/bench/cpu-engine.js [runs] [spike depths, default 50,500]
// Wall times on a shared machine vary; the CPU column (process.cpuUsage) is steadier.
import type { ShapeSet } from '../src/features/shapes.js';
import { KIND_POLYGON } from '../src/features/shapes.js';
import { burnShapesCpu, type CpuBurnOptions } from '../src/cpu/engine.js';
import type { DType } from '../src/types.js';
import { DTYPES, fillPixels } from '../src/dtype.js';
import { mulberry32 } from './random.js';


// one-ring polygons from per-shape vertex lists
function polygons(rings: Float64Array[]): ShapeSet {
  const n = rings.length;
  const nv = rings.reduce((s, r) => s + r.length / 2, 0);
  const set: ShapeSet = {
    count: n,
    kind: new Uint8Array(n).fill(KIND_POLYGON),
    value: new Float64Array(n),
    partStart: new Uint32Array(n + 1),
    vertexStart: new Uint32Array(n + 1),
    x: new Float64Array(nv),
    y: new Float64Array(nv),
    z: null,
    feature: new Uint32Array(n),
  };
  let v = 0;
  rings.forEach((r, i) => {
    set.partStart[i] = i;
    set.vertexStart[i] = v;
    set.value[i] = 1 + (i % 60000);
    set.feature[i] = i;
    for (let k = 0; k < r.length; k += 2) {
      set.x[v] = r[k];
      set.y[v] = r[k + 1];
      v++;
    }
  });
  set.partStart[n] = n;
  set.vertexStart[n] = v;
  return set;
}

function smallQuads(count: number, size: number, seed: number): { shapes: ShapeSet; describe: string } {
  const rnd = mulberry32(seed);
  const rings: Float64Array[] = [];
  const hist = new Array(9).fill(0);
  for (let i = 0; i < count; i++) {
    const n = 4 + Math.floor(rnd() * 5);
    hist[n]++;
    const cx = rnd() * size;
    const cy = rnd() * size;
    const r = 3 + rnd() * 4; // about 10 px across
    const ring = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const a = (k / n) * 2 * Math.PI + rnd() * 0.5;
      ring[2 * k] = cx + r * Math.cos(a);
      ring[2 * k + 1] = cy + r * Math.sin(a);
    }
    rings.push(ring);
  }
  const verts = hist.map((c, n) => (c ? `${n}v:${c}` : '')).filter(Boolean).join(' ');
  return { shapes: polygons(rings), describe: `${count} polygons, radius 3-7 px, vertices ${verts}` };
}

function star(vertices: number, size: number, depth: number): { shapes: ShapeSet; describe: string; crossings: number } {
  const cx = size / 2;
  const cy = size / 2;
  const rOut = size * 0.45;
  const ring = new Float64Array(2 * vertices);
  let crossings = 0;
  for (let k = 0; k < vertices; k++) {
    const a = (k / vertices) * 2 * Math.PI;
    const r = k % 2 === 0 ? rOut : rOut - depth;
    ring[2 * k] = cx + r * Math.cos(a);
    ring[2 * k + 1] = cy + r * Math.sin(a);
  }
  for (let k = 0; k < vertices; k++) {
    const y0 = ring[2 * k + 1];
    const y1 = ring[(2 * ((k + 1) % vertices)) + 1];
    crossings += Math.abs(Math.ceil(y1 - 0.5) - Math.ceil(y0 - 0.5));
  }
  return {
    shapes: polygons([ring]),
    describe: `star, ${vertices} vertices, outer radius ${rOut} px, spikes ${depth} px deep, ~${(crossings / 1e6).toFixed(0)}M row crossings`,
    crossings,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function run(name: string, shapes: ShapeSet, size: number, dtype: DType, runs: number, opts: CpuBurnOptions): void {
  const data = DTYPES[dtype].make(size * size);
  const times: number[] = [];
  const cpu: number[] = [];
  let visits = 0;
  for (let r = 0; r < runs; r++) {
    fillPixels(data, data instanceof BigInt64Array || data instanceof BigUint64Array ? 0n : 0);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    visits = burnShapesCpu(shapes, { data, width: size, height: size, dtype }, opts).pixelsVisited;
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const mode = [opts.allTouched ? 'all-touched' : 'plain', opts.merge ?? 'replace'].join(' ');
  console.log(`${name.padEnd(4)} ${mode.padEnd(20)} median ${median(times).toFixed(0).padStart(6)} ms wall, ` +
    `${median(cpu).toFixed(0).padStart(6)} ms cpu  (wall runs: ${times.map((t) => t.toFixed(0)).join(', ')}; ` +
    `${(visits / 1e6).toFixed(1)}M pixel visits)`);
}

const runs = Number(process.argv[2] ?? 5);
const depths = (process.argv[3] ?? '50,500').split(',').map(Number);
console.log(`node ${process.version}, ${runs} runs per mode (B: at most 3)`);

const a = smallQuads(100_000, 10_000, 1);
console.log(`A: ${a.describe} onto 10000 x 10000 uint16`);
for (const opts of [{}, { allTouched: true }, { merge: 'add' as const }, { allTouched: true, merge: 'add' as const }]) {
  run('A', a.shapes, 10_000, 'uint16', runs, opts);
}

for (const depth of depths) {
  const b = star(1_000_000, 20_000, depth);
  console.log(`B: ${b.describe} onto 20000 x 20000 uint8`);
  for (const opts of [{}, { allTouched: true }]) run('B', b.shapes, 20_000, 'uint8', Math.max(1, Math.min(runs, 3)), opts);
}
