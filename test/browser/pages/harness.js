// In-page side of the browser tests and benchmarks. Plain JavaScript (served as is, no build):
// imports the bundle like any web app would, runs rasterize() in the page, and hands back only
// small summaries (hashes, differing pixel indices), so multi-megapixel rasters never cross the
// DevTools protocol.
import * as rb from '/dist/rasterburn.js';

// ?nogpu: the page behaves as a browser without WebGPU (navigator.gpu undefined), for fallback tests
if (new URLSearchParams(location.search).has('nogpu')) {
  Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
}

// every GPUDevice the engine creates, newest last: the device-loss test destroys one mid-burn
const devices = [];
if (globalThis.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const d = await requestDevice.apply(this, args);
    devices.push(d);
    return d;
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** FNV-1a over the raw bytes: the same function as hashTyped() in test/browser/webgpu.test.ts */
function hashBytes(data) {
  const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function now() {
  return performance.now();
}

async function describeAdapter() {
  if (!navigator.gpu) return { navigatorGpu: false, adapter: null };
  const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return { navigatorGpu: true, adapter: null };
  const i = a.info ?? {};
  const limits = {};
  for (const k of ['maxTextureDimension2D', 'maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupsPerDimension']) limits[k] = a.limits[k];
  return {
    navigatorGpu: true,
    adapter: {
      vendor: i.vendor ?? '',
      architecture: i.architecture ?? '',
      device: i.device ?? '',
      description: i.description ?? '',
      isFallbackAdapter: i.isFallbackAdapter ?? a.isFallbackAdapter ?? null,
    },
    limits,
    features: [...a.features].sort(),
    userAgent: navigator.userAgent,
  };
}

async function burn(features, grid, options, timeoutMs = 60_000) {
  const t0 = now();
  const r = await withTimeout(rb.rasterize(features, grid, options), timeoutMs, `rasterize(${options.backend ?? 'cpu'})`);
  return { r, ms: now() - t0 };
}

function nonzero(data) {
  let n = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) n++;
  return n;
}

// differing pixel indices (Object.is: NaN equals NaN, -0 differs from 0), at most `cap` listed
function diffIndices(a, b, cap) {
  const out = [];
  let count = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Object.is(a[k], b[k])) {
      if (out.length < cap) out.push(k);
      count++;
    }
  }
  return { count, indices: out };
}

/**
 * Burns on the CPU, then on WebGPU once per fill path, all in this page; returns the CPU result's
 * hash and, per fill, the pixels that differ from the CPU (index, cpu value, gpu value).
 */
async function compare(features, grid, options, fills = ['spans', 'triangles'], cap = 100_000) {
  const cpu = await burn(features, grid, { ...options, backend: 'cpu' });
  const out = { cpu: { hash: hashBytes(cpu.r.data), ms: cpu.ms, stats: cpu.r.stats, nonzero: nonzero(cpu.r.data), length: cpu.r.data.length }, gpu: [] };
  for (const gpuFill of fills) {
    const g = await burn(features, grid, { ...options, backend: 'webgpu', gpuFill });
    const d = diffIndices(g.r.data, cpu.r.data, cap);
    out.gpu.push({
      fill: gpuFill, ms: g.ms, stats: g.r.stats, hash: hashBytes(g.r.data),
      diffCount: d.count, diff: d.indices,
      sample: d.indices.slice(0, 8).map((k) => ({ k, cpu: cpu.r.data[k], gpu: g.r.data[k] })),
    });
  }
  return out;
}

/** The whole raster as a plain array (small grids only), with the stats. */
async function values(features, grid, options) {
  const { r } = await burn(features, grid, options);
  return { data: Array.from(r.data), dtype: r.dtype, type: r.data.constructor.name, stats: r.stats };
}

/** Runs rasterize() expecting it to fail: says how (or that it did not) and how fast. */
async function rejection(features, grid, options, timeoutMs = 20_000) {
  const t0 = now();
  try {
    const r = await withTimeout(rb.rasterize(features, grid, options), timeoutMs, 'rasterize');
    return { rejected: false, ms: now() - t0, backend: r.stats.backend };
  } catch (e) {
    return { rejected: true, ms: now() - t0, name: e?.name, message: String(e?.message ?? e) };
  }
}

/**
 * Destroys the engine's device once the first tile is on the GPU (progress past 0.5, before 1):
 * the burn must reject with a message naming the loss, not hang or resolve.
 */
async function loseDeviceMidBurn(features, grid, options, timeoutMs = 30_000) {
  let destroyed = null;
  const onProgress = (p) => {
    if (!destroyed && p.fraction > 0.5 && p.fraction < 1 && devices.length > 0) {
      destroyed = devices[devices.length - 1];
      destroyed.destroy();
    }
  };
  const t0 = now();
  try {
    const r = await withTimeout(rb.rasterize(features, grid, { ...options, backend: 'webgpu', onProgress }), timeoutMs, 'rasterize with a lost device');
    return { rejected: false, destroyed: !!destroyed, ms: now() - t0, backend: r.stats.backend };
  } catch (e) {
    const lost = destroyed ? await withTimeout(destroyed.lost, 5000, 'device.lost').then((i) => i.reason, (x) => `not lost: ${x.message}`) : null;
    return { rejected: true, destroyed: !!destroyed, ms: now() - t0, message: String(e?.message ?? e), lostReason: lost, devices: devices.length };
  }
}

// the benchmark's parsed GeoJSON and reference raster, kept between calls (one backend per call)
const benchState = { url: null, features: null, reference: null };

/**
 * Times rasterize() with `options` on GeoJSON fetched from `url` (fetched and parsed once, not
 * timed): one warm-up, then `runs` timed burns. With `reference` the last result becomes the
 * raster later calls are compared with; otherwise every timed result is compared with it, and up
 * to `cap` differing pixel indices come back.
 */
async function bench(url, grid, options, runs = 3, reference = false, cap = 1_000_000) {
  let parseMs = 0;
  if (benchState.url !== url) {
    benchState.url = null;
    benchState.features = null;
    benchState.reference = null;
    const t0 = now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    benchState.features = await res.json();
    benchState.url = url;
    parseMs = now() - t0;
  }
  if (!reference && !benchState.reference) throw new Error('bench: no reference raster yet (run the CPU first with reference = true)');
  const times = [];
  const diffCounts = [];
  let diff = [];
  let last = null;
  for (let k = 0; k <= runs; k++) {
    // drop the previous raster first so that at most the reference and one result are alive
    last = null;
    const { r, ms } = await burn(benchState.features, grid, options, 3_600_000);
    if (k > 0) {
      times.push(ms);
      if (!reference) {
        const d = diffIndices(r.data, benchState.reference, cap);
        diffCounts.push(d.count);
        if (d.count > diff.length) diff = d.indices;
      }
    }
    last = r;
  }
  if (reference) benchState.reference = last.data;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    parseMs, features: benchState.features.features?.length ?? null,
    stats: last.stats, times, median: sorted[Math.floor(sorted.length / 2)],
    hash: hashBytes(last.data), nonzero: nonzero(last.data), diffCounts, diff,
  };
}

// a failed bundle import never gets here: the page's module error reaches the test's log instead
window.harness = { rb, describeAdapter, compare, values, rejection, loseDeviceMidBurn, bench, hashBytes, devices };
document.getElementById('status').textContent = 'ready';
