// rasterburn's web page: pick a GeoJSON and a grid, burn it with WebGPU (or the CPU in a worker),
// look at the result, download it. Written as the example of using the library in a web app:
//
//   import { rasterize, gridFromGeoTIFF, toGeoTIFF } from 'rasterburn';
//   const grid = await gridFromGeoTIFF(templateFile);                  // a File from <input type=file>
//   const r = await rasterize(geojson, grid, { attribute: 'BuildingID', backend: 'webgpu' });
//   const tif = new Blob([toGeoTIFF(r)], { type: 'image/tiff' });    // georeferenced like the template
//
// Here the library is imported from ../src (the page is built from this repository); an app
// installing the package imports the same names from 'rasterburn'.
import { toGeoTIFF, toNpy, type DType, type Grid, type RasterResult } from '../src/index.js';
import { burnInWorker, burnWithWebGPU, probeWebGPU, type BurnJob, type BurnOutcome, type EngineProbe } from './engine.js';
import { fieldsFromGrid, gridFromFields, readGeoJSONFile, readTemplate, parseGeoJSON, type LoadedFeatures } from './inputs.js';
import type { WorkerBurnOptions } from './protocol.js';
import { RasterView, type PixelInfo } from './view.js';

/**
 * The largest raster this page burns: 1 GiB of pixels. The library goes to 4 GiB, but the page
 * also needs a copy for each download and the tab shares the machine's memory with everything else.
 */
const PAGE_MAX_BYTES = 2 ** 30;

const BYTES: Record<DType, number> = { uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };
// the values each integer type holds (nodata must be one of them to be recorded as given)
const RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
};

// --- the page's elements
function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id} element`);
  return el as T;
}
const ui = {
  form: $<HTMLFormElement>('form'),
  drop: $<HTMLDivElement>('drop'),
  geojsonFile: $<HTMLInputElement>('geojson-file'),
  templateFile: $<HTMLInputElement>('template-file'),
  useSample: $<HTMLButtonElement>('use-sample'),
  geojsonStatus: $<HTMLParagraphElement>('geojson-status'),
  templateStatus: $<HTMLParagraphElement>('template-status'),
  gridTemplate: $<HTMLInputElement>('grid-template'),
  gridBounds: $<HTMLInputElement>('grid-bounds'),
  bounds: $<HTMLInputElement>('bounds'),
  resolution: $<HTMLInputElement>('resolution'),
  crs: $<HTMLInputElement>('crs'),
  attribute: $<HTMLSelectElement>('attribute'),
  burn: $<HTMLInputElement>('burn'),
  dtype: $<HTMLSelectElement>('dtype'),
  nodata: $<HTMLInputElement>('nodata'),
  allTouched: $<HTMLInputElement>('all-touched'),
  add: $<HTMLInputElement>('add'),
  engine: $<HTMLSelectElement>('engine'),
  engineStatus: $<HTMLParagraphElement>('engine-status'),
  rasterize: $<HTMLButtonElement>('rasterize'),
  cancel: $<HTMLButtonElement>('cancel'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $<HTMLSpanElement>('progress-text'),
  message: $<HTMLDivElement>('message'),
  canvas: $<HTMLCanvasElement>('view'),
  readout: $<HTMLParagraphElement>('readout'),
  summary: $<HTMLDListElement>('summary'),
  downloadTif: $<HTMLButtonElement>('download-tif'),
  downloadNpy: $<HTMLButtonElement>('download-npy'),
};

// --- state
let features: LoadedFeatures | null = null;
let template: { name: string; grid: Grid } | null = null;
let probe: EngineProbe | null = null;
/** settles once the browser has been asked for an adapter (never rejects); a burn started before then waits */
const probing: Promise<EngineProbe> = probeWebGPU();
/** true from a Rasterize press until its result or error is shown (so a double click starts one burn) */
let busy = false;
/** the burn that Cancel stops */
let job: BurnJob | null = null;
/** the last result, with what its downloads are named after */
let shown: { raster: RasterResult; baseName: string } | null = null;

// --- messages: every failure ends up here, on the page
function showError(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  ui.message.className = 'error';
  ui.message.textContent = text;
}
function showInfo(text: string): void {
  ui.message.className = 'info';
  ui.message.textContent = text;
}
function clearMessage(): void {
  ui.message.className = '';
  ui.message.textContent = '';
}
// anything that escapes a handler is still shown, not left in the console
window.addEventListener('error', (e) => showError(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

// --- inputs
function setFeatures(loaded: LoadedFeatures): void {
  features = loaded;
  const props = loaded.numericProperties;
  ui.geojsonStatus.textContent = `${loaded.name}: ${loaded.count.toLocaleString('en')} feature${loaded.count === 1 ? '' : 's'}; `
    + (props.length ? `numeric properties: ${props.join(', ')}` : 'no numeric properties (burn a constant)');
  // the attribute choices are the numeric properties, then a constant
  ui.attribute.replaceChildren(...props.map((p) => new Option(p, p)), new Option('constant value', ''));
  ui.attribute.value = props[0] ?? '';
  syncBurnField();
  updateReady();
}

function setTemplate(name: string, grid: Grid): void {
  template = { name, grid };
  const [, dx, , , , dy] = grid.transform;
  ui.templateStatus.textContent = `${name}: ${grid.width} × ${grid.height} pixels of ${dx} × ${Math.abs(dy)}, ${grid.crs ?? 'no CRS'}`;
  ui.gridTemplate.checked = true;
  // offer the template's grid as a starting point for typed bounds
  const fields = fieldsFromGrid(grid);
  if (fields && !ui.bounds.value && !ui.resolution.value) {
    ui.bounds.value = fields.bounds;
    ui.resolution.value = fields.resolution;
    ui.crs.value = grid.crs ?? '';
  }
  updateReady();
}

async function loadFiles(files: Iterable<File>): Promise<void> {
  clearMessage();
  try {
    for (const file of files) {
      if (/\.(geo)?json$/i.test(file.name)) setFeatures(await readGeoJSONFile(file));
      else if (/\.tiff?$/i.test(file.name)) setTemplate(file.name, await readTemplate(file));
      else throw new Error(`${file.name}: expected a .geojson/.json or a .tif/.tiff file`);
    }
  } catch (e) {
    showError(e);
  }
}

async function useSample(): Promise<void> {
  clearMessage();
  ui.useSample.disabled = true;
  try {
    const fetchOk = async (url: string): Promise<Response> => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`could not fetch the sample ${url}: HTTP ${res.status}`);
      return res;
    };
    const [gj, tif] = await Promise.all([fetchOk('examples/buildings.geojson'), fetchOk('examples/template.tif')]);
    const loaded = parseGeoJSON('buildings.geojson', await gj.text());
    const grid = await readTemplate(Object.assign(await tif.blob(), { name: 'template.tif' }));
    // both at once, so a Rasterize pressed meanwhile never sees the sample's features on another grid
    setFeatures(loaded);
    setTemplate('template.tif', grid);
  } catch (e) {
    showError(e);
  } finally {
    ui.useSample.disabled = false;
  }
}

function syncBurnField(): void {
  ui.burn.disabled = ui.attribute.value !== '';
}

function updateReady(): void {
  ui.rasterize.disabled = busy || features === null;
}

// the inputs are emptied once read, so picking the same file again (after editing it) loads it again;
// the status lines say what is loaded
for (const input of [ui.geojsonFile, ui.templateFile]) {
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    await loadFiles(files);
  });
}
ui.useSample.addEventListener('click', () => void useSample());
ui.attribute.addEventListener('change', syncBurnField);
for (const field of [ui.bounds, ui.resolution, ui.crs]) field.addEventListener('input', () => { ui.gridBounds.checked = true; });

// drag and drop: one or both files at once
ui.drop.addEventListener('dragover', (e) => { e.preventDefault(); ui.drop.classList.add('over'); });
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  if (e.dataTransfer?.files.length) void loadFiles(e.dataTransfer.files);
});
// a file dropped beside the zone must not make the browser navigate away from the page
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

// --- what to burn: the grid and rasterize()'s options, from the form
function chosenGrid(): Grid {
  if (ui.gridBounds.checked) return gridFromFields(ui.bounds.value, ui.resolution.value, ui.crs.value);
  if (!template) throw new Error('no template GeoTIFF loaded: pick one, or choose "bounds and resolution"');
  return template.grid;
}

function chosenOptions(): WorkerBurnOptions {
  const dtype = ui.dtype.value as DType;
  const options: WorkerBurnOptions = { dtype, allTouched: ui.allTouched.checked, merge: ui.add.checked ? 'add' : 'replace' };
  if (ui.attribute.value) {
    options.attribute = ui.attribute.value;
  } else {
    const burn = Number(ui.burn.value);
    if (ui.burn.value.trim() === '' || !Number.isFinite(burn)) throw new Error(`constant burn value "${ui.burn.value}" is not a number`);
    options.burn = burn;
  }
  const nodataText = ui.nodata.value.trim();
  if (nodataText) {
    const nodata = /^nan$/i.test(nodataText) ? NaN : Number(nodataText);
    if (Number.isNaN(nodata) && !/^nan$/i.test(nodataText)) throw new Error(`nodata "${nodataText}" is not a number`);
    const range = RANGE[dtype];
    if (range && !(Number.isInteger(nodata) && nodata >= range[0] && nodata <= range[1])) {
      throw new Error(`nodata ${nodataText} is not a ${dtype} value (${range[0]} to ${range[1]})`);
    }
    options.nodata = nodata;
  }
  return options;
}

function checkSize(grid: Grid, dtype: DType): void {
  const bytes = grid.width * grid.height * BYTES[dtype];
  if (bytes > PAGE_MAX_BYTES) {
    const size = bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    throw new Error(`grid too large: ${grid.width.toLocaleString('en')} × ${grid.height.toLocaleString('en')} ${dtype} needs ${size}; this page burns at most ${PAGE_MAX_BYTES / 2 ** 30} GiB (use a coarser resolution or smaller bounds)`);
  }
}

// --- running a burn
function setRunning(running: boolean): void {
  ui.cancel.disabled = !running;
  ui.progress.hidden = !running;
  ui.progress.value = 0;
  ui.progressText.textContent = '';
  updateReady();
}

function onProgress(p: { fraction: number; done: number; total: number }): void {
  ui.progress.value = p.fraction;
  ui.progressText.textContent = `${Math.round(p.fraction * 100)}% of ${p.total.toLocaleString('en')} shapes`;
}

async function run(): Promise<void> {
  if (busy) return;
  busy = true;
  updateReady();
  clearMessage();
  const notes: string[] = [];
  try {
    if (!features) throw new Error('no GeoJSON loaded: pick or drop one, or press "Use sample"');
    const grid = chosenGrid();
    const options = chosenOptions();
    checkSize(grid, options.dtype ?? 'uint16');

    const engine = await probing;
    const wantGpu = ui.engine.value === 'auto' && engine.kind === 'webgpu';
    if (ui.engine.value === 'auto' && engine.kind === 'worker') notes.push(`No WebGPU (${engine.why}): burned on the CPU in a Web Worker.`);
    let outcome: BurnOutcome;
    if (wantGpu) {
      try {
        outcome = await track(burnWithWebGPU(features.features, grid, options, onProgress));
      } catch (e) {
        // the adapter seen at start-up is gone (or cannot give a device): burn in the worker instead
        if (!(e instanceof Error) || e.name !== 'WebGPUUnavailableError') throw e;
        notes.push(`WebGPU unavailable (${e.message}): burned on the CPU in a Web Worker instead.`);
        outcome = await track(burnInWorker(features.features, grid, options, onProgress));
      }
    } else {
      outcome = await track(burnInWorker(features.features, grid, options, onProgress));
    }
    const { stats } = outcome.raster;
    // rasterize() answers requests the GPU cannot do exactly (e.g. float64 values float32 cannot hold) on the CPU
    if (outcome.engine === 'webgpu' && stats.backend === 'cpu' && stats.fallbackReason) notes.push(`Burned on the CPU: ${stats.fallbackReason}.`);
    showResult(outcome);
    if (notes.length) showInfo(notes.join('\n'));
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') {
      showInfo('Cancelled.');
    } else if (e instanceof Error && /device (was |is )?lost/i.test(e.message)) {
      showError(`${e.message}\nThe GPU dropped the burn; press Rasterize to try again on a new device.`);
    } else {
      showError(e);
    }
  } finally {
    busy = false;
    updateReady();
  }
}

// runs one job with the Cancel button wired to it
async function track(j: BurnJob): Promise<BurnOutcome> {
  job = j;
  setRunning(true);
  try {
    return await j.result;
  } finally {
    job = null;
    setRunning(false);
  }
}

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});
ui.cancel.addEventListener('click', () => job?.cancel());

// --- the result
const view = new RasterView(ui.canvas, showPixel);

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(8).replace(/\.?0+$/, '');
}

function showPixel(p: PixelInfo | null): void {
  ui.readout.textContent = p
    ? `row ${p.row}, col ${p.col} · x ${p.x.toFixed(3)}, y ${p.y.toFixed(3)} · value ${formatNumber(p.value)}`
    : '\u00a0';
}

/** What unburned pixels hold: nodata if set, else the init value 0 (rasterize()'s default). */
function backgroundOf(r: RasterResult): number {
  return r.nodata ?? 0;
}

function showResult({ raster, ms, engine }: BurnOutcome): void {
  const background = backgroundOf(raster);
  // one pass for the summary: pixels that differ from the background, and their distinct values
  const values = new Set<number>();
  let burned = 0;
  const d = raster.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v !== background && v === v) {
      burned++;
      values.add(v);
    }
  }
  const { stats } = raster;
  const where = engine === 'worker' ? 'CPU (Web Worker)' : stats.backend === 'webgpu' ? 'WebGPU' : 'CPU (main thread)';
  const adapter = stats.backend === 'webgpu' && stats.adapter ? describeAdapter(stats.adapter) : '—';
  const rows: [string, string][] = [
    ['size', `${raster.width} × ${raster.height} ${raster.dtype}`],
    ['pixels burned', `${burned.toLocaleString('en')} of ${d.length.toLocaleString('en')} (${((100 * burned) / d.length).toFixed(2)}%)`],
    ['distinct values', values.size.toLocaleString('en')],
    ['features', `${stats.features.toLocaleString('en')} (${stats.shapes.toLocaleString('en')} shapes${stats.skipped ? `, ${stats.skipped} skipped` : ''})`],
    ['time', `${ms.toFixed(1)} ms in rasterize()`],
    ['engine', where],
    ['adapter', adapter],
  ];
  ui.summary.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.key = k;
    return [dt, dd];
  }));
  const base = (features?.name ?? 'raster').replace(/\.[^.]+$/, '');
  const what = ui.attribute.value || `burn${ui.burn.value}`;
  shown = { raster, baseName: `${base}_${what}_${raster.dtype}` };
  view.show(raster, background);
  $('placeholder').hidden = true;
  ui.downloadTif.disabled = false;
  ui.downloadNpy.disabled = false;
}

// the engine's adapter label is "GPU: vendor architecture ..." or "software adapter: ..." (SwiftShader and other
// software rasterizers are never called a GPU)
function describeAdapter(label: string): string {
  const m = /^(GPU|software adapter): (.*)$/.exec(label);
  if (!m) return label;
  return m[1] === 'GPU' ? m[2] : `software (${m[2]})`;
}

// --- downloads: encoded on demand, so a result costs a second copy only while it is being saved
function download(bytes: ArrayBuffer, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // the download has its own reference to the blob by now
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

ui.downloadTif.addEventListener('click', () => {
  if (!shown) return;
  try {
    download(toGeoTIFF(shown.raster), `${shown.baseName}.tif`, 'image/tiff');
  } catch (e) {
    showError(e);
  }
});
ui.downloadNpy.addEventListener('click', () => {
  if (!shown) return;
  try {
    download(toNpy(shown.raster), `${shown.baseName}.npy`, 'application/octet-stream');
  } catch (e) {
    showError(e);
  }
});

// --- start-up: find out which engine will run, and say so
async function start(): Promise<void> {
  probe = await probing;
  if (probe.kind === 'webgpu') {
    const name = [probe.vendor, probe.architecture].filter((s) => s).join(' ') || 'unknown adapter';
    ui.engineStatus.textContent = `WebGPU adapter: ${name}${probe.software ? ' (software: SwiftShader or similar, no GPU)' : ''}`;
    ui.engineStatus.classList.toggle('software', probe.software);
  } else {
    ui.engineStatus.textContent = `No WebGPU: ${probe.why}. Burns run on the CPU in a Web Worker.`;
  }
  updateReady();
  document.body.dataset.ready = 'true';
}

/** A handle for the browser console (and the page's tests): the viewer and the last result. */
declare global {
  interface Window {
    rasterburnApp: { view: RasterView; readonly result: RasterResult | null; readonly engine: EngineProbe | null };
  }
}
window.rasterburnApp = {
  view,
  get result() { return shown?.raster ?? null; },
  get engine() { return probe; },
};

start().catch(showError);
