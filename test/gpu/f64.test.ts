// shaders/f64.wgsl against JavaScript's own binary64 arithmetic, bit for bit: each operation over
// seeded random bit patterns of its domain, and GDAL's crossing (crossing() of the CPU engine)
// over edges built to sit on, and one ulp or 1e-9 beside, the ties that decide a pixel.
// F64_SEED=<n> reruns a printed seed.
import { describe, expect, test } from 'vitest';
import { crossing } from '../../src/rules/polygon.js';
import { F64_COORD_LIMIT, F64_ROW_LIMIT, F64_TINY, f64Coordinate, f64Words } from '../../src/gpu/f64.js';
import { BUF_COPY_DST, BUF_COPY_SRC, BUF_MAP_READ, BUF_STORAGE, BUF_UNIFORM, MAP_READ } from '../../src/gpu/flags.js';
import { f64Wgsl } from '../../src/gpu/shaders.gen.js';
import { rng, testDevice } from './helpers.js';

const SEED = process.env.F64_SEED ? Number(process.env.F64_SEED) >>> 0 : Math.floor(Math.random() * 2 ** 32);
console.log(`gpu-f64 seed: ${SEED} (rerun with F64_SEED=${SEED})`);

// one entry point per operation; a case is `inWords` u32 in, `outWords` u32 out
const KERNEL = /* wgsl */ `
@group(0) @binding(0) var<uniform> count: vec4<u32>;
@group(0) @binding(1) var<storage, read> inp: array<u32>;
@group(0) @binding(2) var<storage, read_write> outp: array<u32>;

fn in2(i: u32) -> vec2<u32> { return vec2<u32>(inp[i], inp[i + 1u]); }
fn out2(i: u32, v: vec2<u32>) { outp[i] = v.x; outp[i + 1u] = v.y; }

@compute @workgroup_size(64) fn op_add(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { out2(2u * g.x, f64_add(in2(4u * g.x), in2(4u * g.x + 2u))); }
}
@compute @workgroup_size(64) fn op_sub(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { out2(2u * g.x, f64_sub(in2(4u * g.x), in2(4u * g.x + 2u))); }
}
@compute @workgroup_size(64) fn op_mul(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { out2(2u * g.x, f64_mul(in2(4u * g.x), in2(4u * g.x + 2u))); }
}
@compute @workgroup_size(64) fn op_div(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { out2(2u * g.x, f64_div(in2(4u * g.x), in2(4u * g.x + 2u))); }
}
@compute @workgroup_size(64) fn op_from_i32(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { out2(2u * g.x, f64_from_i32(bitcast<i32>(inp[g.x]))); }
}
@compute @workgroup_size(64) fn op_floor(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) { outp[g.x] = bitcast<u32>(f64_floor_i32(in2(2u * g.x))); }
}
@compute @workgroup_size(64) fn op_crossing(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < count.x) {
    let b = 9u * g.x;
    outp[g.x] = bitcast<u32>(f64_gdal_crossing(bitcast<i32>(inp[b]), in2(b + 1u), in2(b + 3u), in2(b + 5u), in2(b + 7u)));
  }
}
`;

type Op = 'add' | 'sub' | 'mul' | 'div' | 'from_i32' | 'floor' | 'crossing';
const WORDS: Record<Op, [number, number]> = {
  add: [4, 2], sub: [4, 2], mul: [4, 2], div: [4, 2], from_i32: [1, 2], floor: [2, 1], crossing: [9, 1],
};
// cases per dispatch: 4096 workgroups of 64, well inside every device's limits
const BATCH = 1 << 18;

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the GPU f64 tests: ${why}`);

const pipelines = new Map<Op, GPUComputePipeline>();
let module: GPUShaderModule | null = null;

// runs op over every case of `input` on the GPU, returning the output words
async function run(op: Op, input: Uint32Array<ArrayBuffer>): Promise<Uint32Array> {
  const dev = device!;
  const [inW, outW] = WORDS[op];
  const n = input.length / inW;
  module ??= dev.createShaderModule({ label: 'f64 test kernel', code: f64Wgsl + KERNEL });
  let pipe = pipelines.get(op);
  if (!pipe) {
    pipe = dev.createComputePipeline({ label: `op_${op}`, layout: 'auto', compute: { module, entryPoint: `op_${op}` } });
    pipelines.set(op, pipe);
  }
  const out = new Uint32Array(n * outW);
  for (let start = 0; start < n; start += BATCH) {
    const m = Math.min(BATCH, n - start);
    dev.pushErrorScope('validation');
    const uniform = dev.createBuffer({ size: 16, usage: BUF_UNIFORM | BUF_COPY_DST });
    const inBuf = dev.createBuffer({ size: m * inW * 4, usage: BUF_STORAGE | BUF_COPY_DST });
    const outBuf = dev.createBuffer({ size: m * outW * 4, usage: BUF_STORAGE | BUF_COPY_SRC });
    const staging = dev.createBuffer({ size: m * outW * 4, usage: BUF_MAP_READ | BUF_COPY_DST });
    try {
      dev.queue.writeBuffer(uniform, 0, new Uint32Array([m, 0, 0, 0]));
      dev.queue.writeBuffer(inBuf, 0, input, start * inW, m * inW);
      const bind = dev.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: uniform } }, { binding: 1, resource: { buffer: inBuf } }, { binding: 2, resource: { buffer: outBuf } }],
      });
      const enc = dev.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(m / 64));
      pass.end();
      enc.copyBufferToBuffer(outBuf, 0, staging, 0, m * outW * 4);
      dev.queue.submit([enc.finish()]);
      await staging.mapAsync(MAP_READ);
      out.set(new Uint32Array(staging.getMappedRange()), start * outW);
      staging.unmap();
    } finally {
      const err = await dev.popErrorScope();
      for (const b of [uniform, inBuf, outBuf, staging]) b.destroy();
      if (err) throw new Error(`op_${op}: ${err.message}`);
    }
  }
  return out;
}

// ---- binary64 bits

const F = new Float64Array(1);
const W = new Uint32Array(F.buffer);
const hex = (w: number) => (w >>> 0).toString(16).padStart(8, '0');
// a value as its hex words, high first, and the value itself
const show = (v: number) => { const [lo, hi] = f64Words(v); return `${hex(hi)}:${hex(lo)} (${Object.is(v, -0) ? '-0' : v})`; };
const fromWords = (lo: number, hi: number) => { W[0] = lo; W[1] = hi; return F[0]; };
// v moved k ulps towards +infinity (k = +-1; v nonzero and normal)
function ulps(v: number, k: number): number {
  F[0] = v;
  const step = v > 0 ? k : -k;
  const lo = W[0] + step;
  if (lo > 0xffffffff) { W[0] = 0; W[1]++; } else if (lo < 0) { W[0] = 0xffffffff; W[1]--; } else W[0] = lo;
  return F[0];
}
const isNormalOrZero = (v: number) => v === 0 || (Number.isFinite(v) && Math.abs(v) >= 2 ** -1022);

// ---- random bit patterns

function patterns(r: () => number) {
  const u32 = () => (r() * 2 ** 32) >>> 0;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  // a 52-bit fraction: random, all ones, all zeros, a few bits, or runs of ones (carries and ties)
  function fraction(): [number, number] {
    const p = r();
    if (p < 0.55) return [u32(), u32() & 0xfffff];
    if (p < 0.62) return [0xffffffff, 0xfffff];
    if (p < 0.69) return [0, 0];
    let lo = 0, hi = 0;
    const set = (bit: number) => { if (bit < 32) lo |= 1 << bit; else hi |= 1 << (bit - 32); };
    if (p < 0.85) {
      for (let k = int(1, 4); k > 0; k--) set(int(0, 51));
    } else {
      const a = int(0, 51), b = int(a, 51);
      for (let bit = a; bit <= b; bit++) set(bit);
    }
    return [lo >>> 0, hi >>> 0];
  }
  // a normal value with unbiased exponent e and a random sign
  const normal = (e: number) => {
    const [lo, hi] = fraction();
    return fromWords(lo, ((r() < 0.5 ? 0x80000000 : 0) | ((e + 1023) << 20) | hi) >>> 0);
  };
  const zero = () => (r() < 0.5 ? 0 : -0);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  return { u32, int, normal, zero, pick };
}

// ---- checks

// fails with the first mismatches, inputs as hex words, in the message
function report(bad: string[], total: number, what: string): void {
  expect(bad.length, `${bad.length} of ${total} ${what} differ (seed ${SEED}), first:\n${bad.slice(0, 8).join('\n')}\n`).toBe(0);
}

// a binary op over n generated pairs, compared with JavaScript
async function binary(op: 'add' | 'sub' | 'mul' | 'div', pairs: [number, number][]): Promise<void> {
  const js = { add: (a: number, b: number) => a + b, sub: (a: number, b: number) => a - b, mul: (a: number, b: number) => a * b, div: (a: number, b: number) => a / b }[op];
  const input = new Uint32Array(pairs.length * 4);
  pairs.forEach(([a, b], i) => {
    const wa = f64Words(a), wb = f64Words(b);
    input.set([wa[0], wa[1], wb[0], wb[1]], 4 * i);
  });
  const out = await run(op, input);
  const bad: string[] = [];
  pairs.forEach(([a, b], i) => {
    const want = f64Words(js(a, b));
    if (out[2 * i] !== want[0] || out[2 * i + 1] !== want[1]) {
      bad.push(`${op} ${show(a)}, ${show(b)}: want ${show(js(a, b))}, got ${show(fromWords(out[2 * i], out[2 * i + 1]))}`);
    }
  });
  report(bad, pairs.length, `${op} results`);
}

const N_OP = 250_000;

// add/sub pairs: mostly close exponents (cancellation, carries), some equal or opposite values
function addPairs(seed: number): [number, number][] {
  const r = rng(seed);
  const { int, normal, zero } = patterns(r);
  const out: [number, number][] = [];
  while (out.length < N_OP) {
    const ea = int(-1000, 1000);
    const a = r() < 0.02 ? zero() : normal(ea);
    let b: number;
    const p = r();
    if (p < 0.02) b = zero();
    else if (p < 0.08) b = r() < 0.5 ? a : -a;
    else if (p < 0.16 && a !== 0) b = -ulps(a, r() < 0.5 ? 1 : -1) * (r() < 0.2 ? -1 : 1);
    else if (p < 0.6) b = normal(Math.max(-1000, Math.min(1000, ea + int(-4, 4))));
    else if (p < 0.85) b = normal(Math.max(-1000, Math.min(1000, ea + int(-70, 70))));
    else b = normal(int(-1000, 1000));
    if (isNormalOrZero(a) && isNormalOrZero(b) && isNormalOrZero(a + b) && isNormalOrZero(a - b)) out.push([a, b]);
  }
  return out;
}

// mul/div pairs: exponents within +-500 keep every result normal
function mulPairs(seed: number, div: boolean): [number, number][] {
  const r = rng(seed);
  const { int, normal, zero } = patterns(r);
  const out: [number, number][] = [];
  while (out.length < N_OP) {
    let a = r() < 0.02 ? zero() : normal(int(-500, 500));
    let b = normal(int(-500, 500));
    const p = r();
    if (!div && p < 0.02) b = zero();
    else if (p < 0.06) b = 2 ** int(-20, 20) * (r() < 0.5 ? 1 : -1);
    else if (div && p < 0.16) a = b * int(1, 1 << 20) * 2 ** int(-30, 30); // quotients with few bits: often exact
    else if (div && p < 0.2) a = r() < 0.5 ? b : -b;
    if (isNormalOrZero(a) && isNormalOrZero(b) && isNormalOrZero(div ? a / b : a * b)) out.push([a, b]);
  }
  return out;
}

// ---- crossing cases

interface Crossings { row: number[]; xl: number[]; yl: number[]; dx: number[]; dy: number[]; kind: string[] }

// GDAL's crossing inputs from an edge (ends in either order); false when outside the domain
function pushEdge(c: Crossings, kind: string, row: number, x0: number, y0: number, x1: number, y1: number): boolean {
  const [xl, yl, xh, yh] = y0 <= y1 ? [x0, y0, x1, y1] : [x1, y1, x0, y0];
  const dy = yh - yl;
  if (!(dy > 0) || !Number.isInteger(row) || row < 0 || row >= F64_ROW_LIMIT) return false;
  if (![xl, yl, xh, yh].every(f64Coordinate)) return false;
  c.row.push(row); c.xl.push(xl); c.yl.push(yl); c.dx.push(xh - xl); c.dy.push(dy); c.kind.push(kind);
  return true;
}

function crossingCases(seed: number): Crossings {
  const r = rng(seed);
  const c: Crossings = { row: [], xl: [], yl: [], dx: [], dy: [], kind: [] };
  const { int, pick } = patterns(r);
  // a row whose centre the edge crosses (GDAL's half-open test), or any row now and then
  const rowOf = (y0: number, y1: number, spread = 20000) => {
    const lo = Math.min(y0, y1), hi = Math.max(y0, y1);
    const first = Math.max(0, Math.ceil(lo - 0.5)), last = Math.ceil(hi - 0.5) - 1;
    if (r() < 0.85 && first <= last && last < F64_ROW_LIMIT) return first + Math.floor(r() * (last - first + 1));
    return Math.max(0, Math.min(F64_ROW_LIMIT - 1, Math.floor(lo + (r() - 0.5) * spread)));
  };
  const fill = (kind: string, count: number, make: () => boolean) => {
    let made = 0;
    for (let tries = 0; made < count; tries++) {
      if (make()) made++;
      if (tries > count * 50) throw new Error(`the ${kind} generator stalls: ${made} of ${count}`);
    }
  };
  // an edge whose crossing x on row `row` is exactly X: the crossing's terms are then exact, so the
  // real value of GDAL's formula is X + 0.5; slope dyadic (j / 2^s), or integer dx / dy with
  // yc - yl a dyadic fraction of dy
  const tie = (X: number, row: number): [number, number, number, number, number] => {
    const yc = row + 0.5;
    if (r() < 0.5) {
      const a = int(-64, 64) / 2 ** int(0, 6);
      const t1 = int(0, 4000) / 8, below = int(1, 4000) / 8;
      const yl = yc - t1, xl = X - a * t1;
      return [row, xl, yl, xl + a * (t1 + below), yc + below];
    }
    const dy = int(1, 1000), dx = int(-2000, 2000);
    const f = int(0, 64) / 64; // t1 = f * dy, so t1 * dx / dy = f * dx exactly
    const yl = yc - f * dy, xl = X - f * dx;
    return [row, xl, yl, xl + dx, yl + dy];
  };
  const target = (lo: number, hi: number) => int(lo, hi) - (r() < 0.5 ? 0.5 : 0);
  const nudge = (v: number) => {
    if (v === 0) return v;
    const p = r();
    if (p < 0.5) return ulps(v, r() < 0.5 ? 1 : -1);
    return v + (r() < 0.5 ? 1e-9 : -1e-9);
  };

  // random edges in a 20,000 px grid, full-precision coordinates
  fill('random', 350_000, () => {
    const x0 = r() * 20000, y0 = r() * 20000, x1 = r() * 20000, y1 = r() * 20000;
    return pushEdge(c, 'random', rowOf(y0, y1), x0, y0, x1, y1);
  });
  // grid-aligned vertices: integers and halves
  fill('grid', 150_000, () => {
    const x0 = int(0, 40000) / 2, y0 = int(0, 40000) / 2, x1 = r() < 0.3 ? x0 + int(-8, 8) / 2 : int(0, 40000) / 2, y1 = r() < 0.3 ? y0 + int(1, 8) / 2 : int(0, 40000) / 2;
    return pushEdge(c, 'grid', rowOf(y0, y1), x0, y0, x1, y1);
  });
  // exact ties: the crossing x is a pixel centre (k - 0.5) or a pixel boundary (k)
  fill('tie', 200_000, () => {
    const [row, x0, y0, x1, y1] = tie(target(-100, 20100), int(0, 20000));
    return pushEdge(c, 'tie', row, x0, y0, x1, y1);
  });
  // one ulp or 1e-9 beside a tie, on one or two of the four coordinates
  fill('near tie', 200_000, () => {
    const e = tie(target(-100, 20100), int(0, 20000));
    const k = int(1, 4);
    e[k] = nudge(e[k]);
    if (r() < 0.3) { const k2 = int(1, 4); e[k2] = nudge(e[k2]); }
    return pushEdge(c, 'near tie', e[0], e[1], e[2], e[3], e[4]);
  });
  // coordinates near 2^24 and 2^29, where a pixel has few fraction bits left
  fill('large', 100_000, () => {
    const base = pick([2 ** 24, 2 ** 29]);
    const row0 = base + int(-2000, 2000);
    if (r() < 0.5) {
      const e = tie(base + target(-2000, 2000), row0);
      if (r() < 0.5) { const k = int(1, 4); e[k] = nudge(e[k]); }
      return pushEdge(c, 'large', e[0], e[1], e[2], e[3], e[4]);
    }
    const x0 = base + (r() - 0.5) * 4000, y0 = base + (r() - 0.5) * 4000, x1 = x0 + (r() - 0.5) * 200, y1 = y0 + (r() - 0.5) * 200;
    return pushEdge(c, 'large', rowOf(y0, y1, 200), x0, y0, x1, y1);
  });
  // tiny dx and tiny coordinates (2^-150 and around), signed zeros
  fill('tiny', 50_000, () => {
    const tiny = r() < 0.5 ? 2 ** -150 : 2 ** int(-199, -100) * (1 + r());
    const x0 = pick([0, -0, tiny, -tiny, 2 ** -150 * int(1, 9)]);
    const x1 = x0 + tiny * (r() < 0.5 ? 1 : -1);
    const y0 = r() < 0.3 ? pick([0, -0, tiny]) : int(0, 400) / 2;
    const y1 = y0 + pick([tiny, 1, int(1, 2000) / 4, r() * 100]);
    return pushEdge(c, 'tiny', rowOf(y0, y1, 4), x0, y0, x1, y1);
  });
  // negative coordinates: random, grid and ties left of and above the grid
  fill('negative', 100_000, () => {
    const p = r();
    if (p < 0.4) {
      const x0 = -r() * 20000, y0 = (r() - 0.7) * 20000, x1 = (r() - 0.5) * 20000, y1 = (r() - 0.3) * 20000;
      return pushEdge(c, 'negative', rowOf(y0, y1), x0, y0, x1, y1);
    }
    const e = tie(target(-20000, 0), int(0, 2000));
    if (p < 0.7) { const k = int(1, 4); e[k] = nudge(e[k]); }
    return pushEdge(c, 'negative', e[0], e[1], e[2], e[3], e[4]);
  });
  // vertical edges: dx = 0 (signed zero in the product when yc - yl or dx is negative)
  fill('vertical', 50_000, () => {
    const x = pick([r() * 20000, int(0, 40000) / 2, -int(0, 40000) / 2, 0, -0, -r() * 100]);
    const y0 = r() < 0.5 ? int(0, 40000) / 2 : r() * 20000;
    const y1 = y0 + pick([int(1, 400) / 2, r() * 500]);
    return pushEdge(c, 'vertical', rowOf(y0, y1), x, y0, x, y1);
  });
  // very steep (dx tiny next to dy) and very flat (dy tiny: huge quotients and the clamp)
  fill('steep/flat', 100_000, () => {
    const x0 = r() < 0.5 ? int(0, 40000) / 2 : r() * 20000, y0 = r() < 0.5 ? int(0, 40000) / 2 : r() * 20000;
    if (r() < 0.5) {
      const x1 = x0 + pick([1e-9, -1e-9, 1e-12, 2 ** -30, -(2 ** -40), 0.5, -0.5]) * (1 + r());
      return pushEdge(c, 'steep/flat', rowOf(y0, y0 + 1e4), x0, y0, x1, y0 + pick([1e4, 2e4, 5e3 + r()]));
    }
    const dy = pick([1e-9, 2 ** -40, 1e-6, ulps(y0 || 1, 1) - (y0 || 1)]) * (1 + r());
    const x1 = x0 + pick([2e4, -2e4, 1, -1, (r() - 0.5) * 1e5, (F64_COORD_LIMIT - 1) * (r() < 0.5 ? 1 : -1)]);
    const y1 = y0 + dy;
    // the row that contains the edge, or its neighbours, or the row whose centre is yl itself
    const row = r() < 0.2 && Number.isInteger(y0 - 0.5) ? y0 - 0.5 : Math.max(0, Math.floor(y0) + int(-1, 1));
    return pushEdge(c, 'steep/flat', row, x0, y0, x1, y1);
  });
  // the edges of the domain: coordinates one ulp inside +-2^30 or at +-2^-200, rows up to 2^30 - 1
  fill('domain edges', 20_000, () => {
    const big = () => (r() < 0.5 ? 1 : -1) * (2 ** 30 - 2 ** -23 * int(1, 1 << 12));
    const small = () => (r() < 0.5 ? 1 : -1) * 2 ** -200 * pick([1, 1.5, 2, 1 + 2 ** -52]);
    const coord = () => pick([big, small, () => r() * 2 ** 30, () => 0])();
    const row = pick([0, F64_ROW_LIMIT - 1, int(0, F64_ROW_LIMIT - 1)]);
    return pushEdge(c, 'domain edges', row, coord(), coord(), coord(), coord());
  });
  // results near the ends of the clamp, +-2^31: only rows beyond the edge reach them, where
  // (yc - yl) / dy = k > 1; with xl = -s u and dx = s ((2^31 + u) / k + d) the quotient plus xl
  // is s (2^31 + k d)
  fill('clamp', 30_000, () => {
    const s = r() < 0.5 ? 1 : -1, k = pick([2, 4]), u = int(4, 2 ** 20) / 2;
    const d = int(-8, 8) / 4 + (r() < 0.2 ? pick([1e-9, -1e-9]) : 0);
    const row = int(0, 1000), yl = row + 0.5 - k / 2;
    const xl = -s * u, dx = s * ((2 ** 31 + u) / k + d);
    return pushEdge(c, 'clamp', row, xl, yl, xl + dx, yl + 0.5);
  });
  return c;
}

describe.skipIf(!device)('f64.wgsl on the GPU, bit for bit against JavaScript', () => {
  test('hand-checked crossings', async () => {
    // [row, xl, yl, dx, dy, column]
    const cases: [number, number, number, number, number, number][] = [
      [0, 0, 0, 1, 1, 1], // 0.5 * 1 / 1 + 0 + 0.5 = 1
      [2, 10, 0, -4, 4, 8], // 2.5 * -4 / 4 + 10 + 0.5 = 8
      [0, 0.5, 0, 0, 1, 1], // a vertical edge on a boundary: 0.5 + 0.5 = 1
      [0, 0.49999999999999994, 0, 0, 1, 1], // 0.5 - 2^-54 + 0.5 ties to even: 1, not 0
      [0, -0, 0.5, -1, 1, 0], // (+0 * -1) / 1 = -0, + -0 + 0.5 = 0.5
      [3, -7.25, 1, 3, 6, -6], // 2.5 * 3 / 6 = 1.25; -7.25 + 1.25 + 0.5 = -5.5
      [0, 0, 0, 2 ** 29, 2 ** -20, -(2 ** 31)], // 2^48: clamped
      [0, 0, -0.5, 2 ** 30 - 0.25, 0.5, -(2 ** 31)], // (2^31 - 0.5) + 0.5 = 2^31: out of range
      [0, 0, -0.5, 2 ** 30 - 0.5, 0.5, 2 ** 31 - 1], // 2^31 - 1 + 0.5: the last column in range
      [0, -1, -0.5, -(2 ** 30) + 0.25, 0.5, -(2 ** 31)], // -2^31 + 0.5 - 1 + 0.5 = -2^31: in range
      [0, 0, -0.5, -(2 ** 30) + 0.5, 0.5, 1 - 2 ** 31], // -2^31 + 1 + 0.5
    ];
    const input = new Uint32Array(cases.length * 9);
    cases.forEach(([row, xl, yl, dx, dy], i) => input.set([row, ...f64Words(xl), ...f64Words(yl), ...f64Words(dx), ...f64Words(dy)], 9 * i));
    const gpu = Array.from(new Int32Array((await run('crossing', input)).buffer));
    expect(cases.map(([row, xl, yl, dx, dy]) => crossing(row + 0.5, yl, dx, dy, xl))).toEqual(cases.map((k) => k[5]));
    expect(gpu).toEqual(cases.map((k) => k[5]));
  });

  for (const op of ['add', 'sub'] as const) {
    test(`f64_${op}: ${N_OP} pairs`, async () => {
      await binary(op, addPairs(SEED + (op === 'add' ? 1 : 2)));
    });
  }
  test(`f64_mul: ${N_OP} pairs`, async () => {
    await binary('mul', mulPairs(SEED + 3, false));
  });
  test(`f64_div: ${N_OP} pairs`, async () => {
    await binary('div', mulPairs(SEED + 4, true));
  });

  test('f64_from_i32: every kind of i32, exactly', async () => {
    const r = rng(SEED + 5);
    const vs: number[] = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30)];
    for (let b = 0; b < 31; b++) vs.push(2 ** b, -(2 ** b), 2 ** b - 1, -(2 ** b) + 1, 2 ** b + 1, -(2 ** b) - 1);
    while (vs.length < N_OP) vs.push(r() < 0.5 ? ((r() * 2 ** 32) | 0) : Math.floor((r() - 0.5) * 2 ** Math.floor(r() * 31)));
    const out = await run('from_i32', new Uint32Array(Int32Array.from(vs).buffer));
    const bad: string[] = [];
    vs.forEach((v, i) => {
      const want = f64Words(v);
      if (out[2 * i] !== want[0] || out[2 * i + 1] !== want[1]) bad.push(`from_i32 ${v}: want ${show(v)}, got ${show(fromWords(out[2 * i], out[2 * i + 1]))}`);
    });
    report(bad, vs.length, 'conversions');
  });

  test('f64_floor_i32: integers, halves, ulps beside them, the clamp ends, signed zeros', async () => {
    const r = rng(SEED + 6);
    const { int, normal, pick } = patterns(r);
    const vs: number[] = [0, -0, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 31 - 0.5, -(2 ** 31) - 0.5, 2 ** -1022, -(2 ** -1022)];
    while (vs.length < N_OP) {
      const p = r();
      let v: number;
      if (p < 0.3) v = normal(int(-60, 40));
      else if (p < 0.4) v = normal(int(-1022, 1023));
      else if (p < 0.7) v = int(-(2 ** 31) - 4, 2 ** 31 + 4) + pick([0, 0.5, -0.5, 0.25]);
      else v = (r() < 0.5 ? 1 : -1) * (2 ** int(0, 32) + int(-3, 3));
      if (r() < 0.4 && v !== 0) v = ulps(v, r() < 0.5 ? 1 : -1);
      if (isNormalOrZero(v)) vs.push(v);
    }
    const input = new Uint32Array(vs.length * 2);
    vs.forEach((v, i) => input.set(f64Words(v), 2 * i));
    const out = new Int32Array((await run('floor', input)).buffer);
    const bad: string[] = [];
    vs.forEach((v, i) => {
      // crossing()'s clamp of src/rules/polygon.ts
      const f = Math.floor(v);
      const want = f >= -2147483648 && f < 2147483648 ? f : -2147483648;
      if (out[i] !== want) bad.push(`floor ${show(v)}: want ${want}, got ${out[i]}`);
    });
    report(bad, vs.length, 'floors');
  });

  test('f64_gdal_crossing: over 1M crossings, ties and their neighbours included', async () => {
    const c = crossingCases(SEED + 7);
    const n = c.row.length;
    expect(n).toBeGreaterThanOrEqual(1_000_000);
    const input = new Uint32Array(n * 9);
    for (let i = 0; i < n; i++) {
      input.set([c.row[i], ...f64Words(c.xl[i]), ...f64Words(c.yl[i]), ...f64Words(c.dx[i]), ...f64Words(c.dy[i])], 9 * i);
    }
    const out = new Int32Array((await run('crossing', input)).buffer);
    const bad: string[] = [];
    const kinds = new Map<string, number>();
    let exact = 0, clamped = 0;
    for (let i = 0; i < n; i++) {
      const want = crossing(c.row[i] + 0.5, c.yl[i], c.dx[i], c.dy[i], c.xl[i]);
      // an integer sum is where floor decides: the crossing is a pixel centre, to the bit
      const v = (c.row[i] + 0.5 - c.yl[i]) * c.dx[i] / c.dy[i] + c.xl[i] + 0.5;
      if (v === Math.floor(v)) exact++;
      if (want === -(2 ** 31)) clamped++;
      kinds.set(c.kind[i], (kinds.get(c.kind[i]) ?? 0) + 1);
      if (out[i] !== want) {
        bad.push(`${c.kind[i]}: row ${c.row[i]} xl ${show(c.xl[i])} yl ${show(c.yl[i])} dx ${show(c.dx[i])} dy ${show(c.dy[i])}: want ${want}, got ${out[i]}`);
      }
    }
    console.log(`crossings: ${[...kinds].map(([k, m]) => `${k} ${m}`).join(', ')}; integer sums ${exact}, clamped ${clamped}`);
    // the generators must really reach ties and the clamp, or the test proves less than it says
    expect(exact).toBeGreaterThan(150_000);
    expect(clamped).toBeGreaterThan(10_000);
    report(bad, n, 'crossings');
  });
});

// the domain constants are what the WGSL header states
test('domain constants', () => {
  expect([F64_COORD_LIMIT, F64_ROW_LIMIT, F64_TINY]).toEqual([2 ** 30, 2 ** 30, 2 ** -200]);
  expect([0, -0, 2 ** -200, -(2 ** 30) + 0.5].every(f64Coordinate)).toBe(true);
  expect([2 ** -201, 2 ** 30, NaN, Infinity].some(f64Coordinate)).toBe(false);
  expect(f64Words(1)).toEqual([0, 0x3ff00000]);
  expect(f64Words(-0)).toEqual([0, 0x80000000]);
});
