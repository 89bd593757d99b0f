// In-page side of the Chromium benchmark (bench/browser/suite.ts). Plain JavaScript, served as is:
// imports the rasterburn bundle as a web app would, and loads gdal3.js (GDAL in WebAssembly) from
// the copy in node_modules, with no network. Every call times one run in the page and hands back
// only small summaries (times, hashes, counts): rasters never cross the DevTools protocol.
import * as rb from '/dist/rasterburn.js';

const state = { url: null, text: null, jobs: null, last: null, lastJobs: null, gdal: null, gdalInfo: null };

const now = () => performance.now();

/** FNV-1a over the raw bytes: the same function as fnv1a() in bench/npy.ts */
function hashBytes(data) {
  const b = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function nonzero(a) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
  return n;
}

async function describeAdapter() {
  if (!navigator.gpu) return { navigatorGpu: false, adapter: null, userAgent: navigator.userAgent };
  const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return { navigatorGpu: true, adapter: null, userAgent: navigator.userAgent };
  const i = a.info ?? {};
  return {
    navigatorGpu: true,
    adapter: { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '', isFallbackAdapter: i.isFallbackAdapter ?? a.isFallbackAdapter ?? null },
    userAgent: navigator.userAgent,
  };
}

/** Fetches the workload's text once (not timed); a jobs file is also parsed once, as W5's loop starts from parsed jobs. */
async function load(url, kind) {
  if (state.url === url) return { bytes: state.text.length };
  state.url = null;
  state.text = null;
  state.jobs = null;
  state.last = null;
  state.lastJobs = null;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  state.text = await res.text();
  if (kind === 'jobs') {
    const doc = JSON.parse(state.text);
    state.jobs = doc.jobs.map((j) => ({ features: j.features, grid: rb.gridFromBounds(j.te, { size: [doc.width, doc.height] }, { crs: doc.crs }), te: j.te }));
  }
  state.url = url;
  return { bytes: state.text.length };
}

/**
 * One timed run of rasterize(): JSON.parse of the text plus the burn, as a page that fetched a
 * GeoJSON file does. With `check` the result is kept and its hash returned.
 */
async function runSingle(te, size, tr, crs, options, check) {
  state.last = null;
  const t0 = now();
  const features = JSON.parse(state.text);
  const t1 = now();
  const grid = rb.gridFromBounds(te, tr ? { resolution: tr } : { size }, { crs });
  const r = await rb.rasterize(features, grid, options);
  const t2 = now();
  const out = { ms: t2 - t0, parseMs: t1 - t0, rasterizeMs: t2 - t1, stats: r.stats, width: r.width, height: r.height };
  if (check) {
    state.last = r.data;
    out.hash = hashBytes(r.data);
    out.nonzero = nonzero(r.data);
  }
  return out;
}

/**
 * W5 in the page, from the parsed jobs: 'loop' awaits rasterize() per job, 'batch' runs them
 * through one createRasterizer().rasterizeBatch() (its setup timed too). With `check` every
 * job's hash comes back.
 */
async function runJobs(mode, backend, options, check) {
  const hashes = check ? [] : null;
  const t0 = now();
  let adapter;
  if (mode === 'batch') {
    const r = await rb.createRasterizer({ backend });
    const jobs = state.jobs.map((j) => ({ features: j.features, grid: j.grid, options }));
    for await (const res of r.rasterizeBatch(jobs)) {
      if (hashes) hashes.push(hashBytes(res.data));
      adapter ??= res.stats.adapter;
    }
    r.destroy();
  } else {
    for (const j of state.jobs) {
      const res = await rb.rasterize(j.features, j.grid, { ...options, backend });
      if (hashes) hashes.push(hashBytes(res.data));
      adapter ??= res.stats.adapter;
    }
  }
  return { ms: now() - t0, jobs: state.jobs.length, hashes, adapter };
}

// element type of a dtype, for comparing with a reference .npy
const ARRAYS = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array };

/** Counts pixels of the last single result that differ from a reference .npy served at `url`. */
async function diffLast(url, dtype) {
  if (!state.last) throw new Error('diffLast: no kept result (run with check first)');
  const buf = await (await fetch(url)).arrayBuffer();
  const head = new Uint8Array(buf, 0, 12);
  const major = head[6];
  const len = major === 1 ? head[8] | (head[9] << 8) : new DataView(buf).getUint32(8, true);
  const offset = (major === 1 ? 10 : 12) + len;
  const T = ARRAYS[dtype];
  const last = state.last instanceof T ? state.last : new T(state.last.buffer, state.last.byteOffset, state.last.byteLength / T.BYTES_PER_ELEMENT);
  const ref = new T(buf, offset, last.length);
  let count = 0;
  const first = [];
  for (let i = 0; i < last.length; i++) {
    if (!Object.is(ref[i], last[i])) {
      if (first.length < 5) first.push([i, ref[i], last[i]]);
      count++;
    }
  }
  return { count, first };
}

function loadScript(src) {
  return new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => ok();
    s.onerror = () => fail(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
}

/** Loads gdal3.js from /gdal/ (node_modules/gdal3.js/dist/package), in the page's own thread. */
async function initGdal() {
  if (state.gdal) return state.gdalInfo;
  const t0 = now();
  await loadScript('/gdal/gdal3.js');
  // useWorker: false keeps GDAL in this thread, as rasterburn runs here; paths point at the local copy
  state.gdal = await globalThis.initGdalJs({ path: '/gdal', useWorker: false });
  let version = null;
  try {
    version = state.gdal.Module.ccall('GDALVersionInfo', 'string', ['string'], ['--version']);
  } catch { /* the build may not export it */ }
  state.gdalInfo = { initMs: now() - t0, version };
  return state.gdalInfo;
}

function unlinkAll(paths) {
  const FS = state.gdal.Module?.FS;
  if (!FS) return;
  for (const p of paths) {
    try { FS.unlink(p); } catch { /* already gone */ }
  }
}

// runs gdal_rasterize on an opened dataset to ENVI (raw pixels + .hdr) and reads the pixels back
async function gdalBurn(file, args) {
  const Gdal = state.gdal;
  const opened = await Gdal.open(file);
  if (!opened.datasets.length) throw new Error(`gdal3.js could not open ${file.name}: ${JSON.stringify(opened.errors).slice(0, 200)}`);
  const ds = opened.datasets[0];
  const out = await Gdal.gdal_rasterize(ds, [...args, '-of', 'ENVI']);
  const bytes = await Gdal.getFileBytes(out.local);
  await Gdal.close(ds);
  unlinkAll([...out.all.map((f) => f.local), `/input/${file.name}`]);
  return bytes;
}

/** One timed gdal3.js run: open the text as a File, gdal_rasterize, read the pixels back. */
async function runGdal3(args, name, check) {
  state.last = null;
  const t0 = now();
  const file = new File([state.text], name);
  const bytes = await gdalBurn(file, args);
  const ms = now() - t0;
  const out = { ms, bytes: bytes.length };
  if (check) {
    state.last = bytes;
    out.hash = hashBytes(bytes);
    out.nonzero = null;
  }
  return out;
}

/** W5 with gdal3.js: per job, a File of the job's GeoJSON, open, gdal_rasterize, read back. */
async function runGdal3Jobs(argsFor, check) {
  const hashes = check ? [] : null;
  const texts = state.jobs.map((j) => JSON.stringify(j.features));
  const t0 = now();
  for (let k = 0; k < state.jobs.length; k++) {
    const file = new File([texts[k]], `job${k}.geojson`);
    const te = state.jobs[k].te;
    const bytes = await gdalBurn(file, [...argsFor, '-te', ...te.map(String)]);
    if (hashes) hashes.push(hashBytes(bytes));
  }
  return { ms: now() - t0, jobs: state.jobs.length, hashes };
}

window.bench = { rb, describeAdapter, load, runSingle, runJobs, diffLast, initGdal, runGdal3, runGdal3Jobs };
document.getElementById('status').textContent = 'ready';
