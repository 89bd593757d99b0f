// rasterburn's web page: pick vector data and a grid, burn it with WebGPU (or the CPU in a worker),
// look at the result on a map or pixel by pixel, download it or cut it into chips. Written as the
// example of using the library in a web app:
//
//   import { rasterize, gridFromGeoTIFF, toGeoTIFF } from 'rasterburn';
//   const grid = await gridFromGeoTIFF(templateFile);                  // a File from <input type=file>
//   const r = await rasterize(geojson, grid, { attribute: 'BuildingID', backend: 'webgpu' });
//   const tif = new Blob([toGeoTIFF(r)], { type: 'image/tiff' });    // georeferenced like the template
//
// Here the library is imported from ../src (the page is built from this repository); an app
// installing the package imports the same names from 'rasterburn'. The page's main thread only
// routes: parsing and preparing happen in the data worker, CPU burns and counting in the burn worker.
import { toCOG, toGeoTIFF, toNpy, type DType, type Grid, type RasterResult } from '../src/index.js';
import { chooseColors, type ColorMode } from './colormap.js';
import { burnInWorker, burnWithWebGPU, chipsInWorker, DataWorker, probeWebGPU, type BurnOutcome, type EngineProbe, type Job } from './engine.js';
import { fieldsFromGrid, fileKind, gridFromFields, readTemplate, roundResolution } from './inputs.js';
import { renderLegend } from './legend.js';
import { MapView, rasterImage } from './map.js';

/** The longest side of a quick-look PNG (browsers refuse larger canvases). */
const PNG_MAX = 8192;
import type { ClampInfo, DataSource, LoadedInfo, WorkerBurnOptions } from './protocol.js';
import { commandLine, downloadBase, fromHash, toHash, type PageSettings } from './settings.js';
import type { RasterSummary } from './summary.js';
import { RasterView, type PixelInfo } from './view.js';
import { isUngeoreferenced, pageWarnings, ungeoreferencedWarning } from './warnings.js';

/**
 * The largest raster this page burns: 1 GiB of pixels. The library goes to 4 GiB, but the page
 * also needs a copy for each download and the tab shares the machine's memory with everything else.
 */
const PAGE_MAX_BYTES = 2 ** 30;

const BYTES: Record<DType, number> = { uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8, int64: 8, uint64: 8 };
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
  dataUrl: $<HTMLInputElement>('data-url'),
  templateUrl: $<HTMLInputElement>('template-url'),
  loadUrls: $<HTMLButtonElement>('load-urls'),
  paste: $<HTMLTextAreaElement>('paste'),
  loadPaste: $<HTMLButtonElement>('load-paste'),
  loading: $<HTMLParagraphElement>('loading'),
  loadingText: $<HTMLSpanElement>('loading-text'),
  geojsonStatus: $<HTMLParagraphElement>('geojson-status'),
  layerRow: $<HTMLLabelElement>('layer-row'),
  layer: $<HTMLSelectElement>('layer'),
  templateStatus: $<HTMLParagraphElement>('template-status'),
  gridTemplate: $<HTMLInputElement>('grid-template'),
  gridBounds: $<HTMLInputElement>('grid-bounds'),
  bounds: $<HTMLInputElement>('bounds'),
  resolution: $<HTMLInputElement>('resolution'),
  size: $<HTMLInputElement>('size'),
  crs: $<HTMLInputElement>('crs'),
  tap: $<HTMLInputElement>('tap'),
  fit: $<HTMLButtonElement>('fit'),
  attribute: $<HTMLSelectElement>('attribute'),
  burn: $<HTMLInputElement>('burn'),
  dtype: $<HTMLSelectElement>('dtype'),
  nodata: $<HTMLInputElement>('nodata'),
  allTouched: $<HTMLInputElement>('all-touched'),
  add: $<HTMLInputElement>('add'),
  engine: $<HTMLSelectElement>('engine'),
  engineStatus: $<HTMLParagraphElement>('engine-status'),
  colors: $<HTMLSelectElement>('colors'),
  styleUrl: $<HTMLInputElement>('style-url'),
  chipSize: $<HTMLInputElement>('chip-size'),
  chipOnly: $<HTMLInputElement>('chip-only'),
  chipFormat: $<HTMLSelectElement>('chip-format'),
  makeChips: $<HTMLButtonElement>('make-chips'),
  rasterize: $<HTMLButtonElement>('rasterize'),
  cancel: $<HTMLButtonElement>('cancel'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $<HTMLSpanElement>('progress-text'),
  message: $<HTMLDivElement>('message'),
  warnings: $<HTMLUListElement>('warnings'),
  tabPixels: $<HTMLButtonElement>('tab-pixels'),
  tabMap: $<HTMLButtonElement>('tab-map'),
  pixelsPanel: $<HTMLDivElement>('pixels-panel'),
  mapPanel: $<HTMLDivElement>('map-panel'),
  canvas: $<HTMLCanvasElement>('view'),
  legend: $<HTMLDivElement>('legend'),
  readout: $<HTMLParagraphElement>('readout'),
  summary: $<HTMLDListElement>('summary'),
  commandRasterburn: $<HTMLElement>('command-rasterburn'),
  commandGdal: $<HTMLElement>('command-gdal'),
  downloadTif: $<HTMLButtonElement>('download-tif'),
  downloadNpy: $<HTMLButtonElement>('download-npy'),
  downloadCog: $<HTMLButtonElement>('download-cog'),
  downloadPng: $<HTMLButtonElement>('download-png'),
};

// --- state
const data = new DataWorker();
let features: LoadedInfo | null = null;
/** true while the data worker reads a file (a Rasterize pressed meanwhile would burn the previous one) */
let loadingData = false;
let template: { name: string; grid: Grid } | null = null;
let probe: EngineProbe | null = null;
/** settles once the browser has been asked for an adapter (never rejects); a burn started before then waits */
const probing: Promise<EngineProbe> = probeWebGPU();
/** true from a Rasterize (or chips) press until its result or error is shown */
let busy = false;
/** the work that Cancel stops */
let job: Job<unknown> | null = null;
/** the last result, with what it was burned from */
let shown: { raster: RasterResult; summary: RasterSummary; settings: PageSettings; baseName: string; warnings: string[]; corners84: [number, number][] | null } | null = null;

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

// --- the form's settings, and the URL hash that keeps them
function readSettings(): PageSettings {
  return {
    attribute: ui.attribute.value, burn: ui.burn.value, dtype: ui.dtype.value as DType, nodata: ui.nodata.value,
    allTouched: ui.allTouched.checked, add: ui.add.checked, engine: ui.engine.value as PageSettings['engine'],
    grid: ui.gridBounds.checked ? 'bounds' : 'template', bounds: ui.bounds.value, resolution: ui.resolution.value,
    size: ui.size.value, crs: ui.crs.value, tap: ui.tap.checked, colors: ui.colors.value as ColorMode,
    data: ui.dataUrl.value.trim(), template: ui.templateUrl.value.trim(), style: ui.styleUrl.value.trim(),
  };
}

function applySettings(s: Partial<PageSettings>): void {
  if (s.attribute !== undefined) {
    // the attribute list is filled when data loads; keep the wish until then
    if (![...ui.attribute.options].some((o) => o.value === s.attribute)) ui.attribute.append(new Option(s.attribute, s.attribute));
    ui.attribute.value = s.attribute;
    wantedAttribute = s.attribute;
  }
  const text: [keyof PageSettings, HTMLInputElement | HTMLSelectElement][] = [
    ['burn', ui.burn], ['dtype', ui.dtype], ['nodata', ui.nodata], ['engine', ui.engine], ['bounds', ui.bounds], ['resolution', ui.resolution],
    ['size', ui.size], ['crs', ui.crs], ['colors', ui.colors], ['data', ui.dataUrl], ['template', ui.templateUrl], ['style', ui.styleUrl],
  ];
  for (const [k, el] of text) if (s[k] !== undefined) el.value = String(s[k]);
  if (s.allTouched !== undefined) ui.allTouched.checked = s.allTouched;
  if (s.add !== undefined) ui.add.checked = s.add;
  if (s.tap !== undefined) ui.tap.checked = s.tap;
  if (s.grid !== undefined) (s.grid === 'bounds' ? ui.gridBounds : ui.gridTemplate).checked = true;
  syncBurnField();
}
/** an attribute named by the URL hash, chosen once data with it loads */
let wantedAttribute: string | null = null;

function saveHash(): void {
  const hash = toHash(readSettings());
  if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || `${location.pathname}${location.search}`);
  updateCommands();
}

// --- inputs
function setFeatures(loaded: LoadedInfo): void {
  features = loaded;
  reprojects.clear();
  const props = loaded.numericProperties;
  ui.geojsonStatus.textContent = `${loaded.name}${loaded.layers && loaded.layers.length > 1 ? ` (layer ${loaded.layer})` : ''}: `
    + `${loaded.count.toLocaleString('en')} feature${loaded.count === 1 ? '' : 's'}${loaded.partial ? ' meeting the grid' : ''}; `
    + (props.length ? `numeric properties: ${props.join(', ')}` : 'no numeric properties (burn a constant)');
  // the attribute choices are the numeric properties, then a constant
  ui.attribute.replaceChildren(...props.map((p) => new Option(p, p)), new Option('constant value', ''));
  ui.attribute.value = wantedAttribute !== null && (wantedAttribute === '' || props.includes(wantedAttribute)) ? wantedAttribute : props[0] ?? '';
  wantedAttribute = null;
  syncBurnField();
  // a GeoPackage (or a zip of shapefiles) with several layers: pick which one to burn
  const layers = loaded.layers ?? [];
  ui.layerRow.hidden = layers.length < 2;
  ui.layer.replaceChildren(...layers.map((l) => new Option(l, l)));
  if (loaded.layer) ui.layer.value = loaded.layer;
  map.setOutlines(loaded.outlineUrl, loaded.bounds84);
  updateReady();
  saveHash();
}

function setTemplate(name: string, grid: Grid): void {
  template = { name, grid };
  const [, dx, , , , dy] = grid.transform;
  ui.templateStatus.textContent = `${name}: ${grid.width} × ${grid.height} pixels of ${dx} × ${Math.abs(dy)}, ${grid.crs ?? 'no CRS'}`;
  ui.templateStatus.classList.toggle('warning', isUngeoreferenced(grid));
  if (isUngeoreferenced(grid)) ui.templateStatus.textContent += ` — ${ungeoreferencedWarning(name)}`;
  ui.gridTemplate.checked = true;
  // the template's grid as typed bounds, a starting point for editing (each new template replaces them)
  const fields = fieldsFromGrid(grid);
  if (fields) {
    ui.bounds.value = fields.bounds;
    ui.resolution.value = fields.resolution;
    ui.size.value = '';
    ui.crs.value = grid.crs ?? '';
  }
  updateReady();
  saveHash();
}

/** Loads vector data in the data worker, with the loading indicator up meanwhile. */
async function loadData(source: DataSource): Promise<void> {
  loadingData = true;
  updateReady();
  ui.loading.hidden = false;
  ui.loadingText.textContent = 'loading…';
  try {
    // with the grid known, a FlatGeobuf or GeoParquet URL is read only where the grid lies
    let grid: Grid | undefined;
    try {
      grid = chosenGrid();
    } catch {
      grid = undefined;
    }
    const { info } = await data.request({ type: 'load', source, grid }, 'loaded', (stage) => { ui.loadingText.textContent = `${stage}…`; });
    lastSource = source;
    setFeatures(info);
  } finally {
    loadingData = false;
    ui.loading.hidden = true;
    updateReady();
  }
}

/** the last vector input loaded, read again for another layer */
let lastSource: DataSource | null = null;

const SHAPEFILE_PART = /\.(shp|dbf|shx|prj|cpg)$/i;

async function loadFiles(files: Iterable<File>): Promise<void> {
  clearMessage();
  try {
    const list = [...files];
    const bad = list.find((f) => fileKind(f.name) === null);
    if (bad) throw new Error(`${bad.name}: expected vector data (GeoJSON, Shapefile or its .zip, GeoPackage, FlatGeobuf, GeoParquet, GeoJSONSeq) or a .tif/.tiff template`);
    // the template first, so that the grid is known when the data is read
    for (const file of list) if (fileKind(file.name) === 'template') setTemplate(file.name, await readTemplate(file));
    // a Shapefile's parts dropped together are one input
    const parts = list.filter((f) => SHAPEFILE_PART.test(f.name));
    if (parts.length) await loadData({ kind: 'vector', files: parts });
    for (const file of list) {
      const kind = fileKind(file.name);
      if (kind === 'geojson') await loadData({ kind: 'file', file });
      else if (kind === 'vector' && !SHAPEFILE_PART.test(file.name)) await loadData({ kind: 'vector', files: [file] });
    }
  } catch (e) {
    showError(e);
  }
}

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  return res;
}

async function loadTemplateUrl(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url, document.baseURI).pathname.split('/').pop() || 'template.tif');
  setTemplate(name, await readTemplate(Object.assign(await (await fetchOk(url)).blob(), { name })));
}

async function loadUrls(): Promise<void> {
  clearMessage();
  try {
    const [d, t] = [ui.dataUrl.value.trim(), ui.templateUrl.value.trim()];
    if (!d && !t) throw new Error('no URL given: type a data URL, a template URL or both');
    // the template first: with the grid known, a FlatGeobuf or GeoParquet URL is read only where it lies
    if (t) await loadTemplateUrl(t);
    if (d) await loadData({ kind: 'url', url: new URL(d, document.baseURI).href });
  } catch (e) {
    showError(e);
  }
}

async function useSample(): Promise<void> {
  clearMessage();
  ui.useSample.disabled = true;
  try {
    // both at once, so a Rasterize pressed meanwhile never sees the sample's features on another grid
    const tif = await (await fetchOk('examples/template.tif')).blob();
    const grid = await readTemplate(Object.assign(tif, { name: 'template.tif' }));
    await loadData({ kind: 'url', url: new URL('examples/buildings.geojson', document.baseURI).href });
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
  ui.rasterize.disabled = busy || loadingData || features === null;
  ui.makeChips.disabled = busy || loadingData || features === null;
  ui.fit.disabled = busy || loadingData || features === null;
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
ui.loadUrls.addEventListener('click', () => void loadUrls());
ui.loadPaste.addEventListener('click', () => {
  clearMessage();
  loadData({ kind: 'text', name: 'pasted.geojson', text: ui.paste.value }).catch(showError);
});
ui.attribute.addEventListener('change', syncBurnField);
ui.layer.addEventListener('change', () => {
  if (!lastSource || (lastSource.kind !== 'vector' && lastSource.kind !== 'url')) return;
  clearMessage();
  loadData({ ...lastSource, layer: ui.layer.value }).catch(showError);
});
for (const field of [ui.bounds, ui.resolution, ui.size, ui.crs]) field.addEventListener('input', () => { ui.gridBounds.checked = true; });
ui.size.addEventListener('input', () => { if (ui.size.value.trim()) ui.tap.checked = false; });
ui.form.addEventListener('input', saveHash);
ui.form.addEventListener('change', saveHash);

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

// --- fit the grid to the features: their extent in the grid's CRS (as typed), a round resolution unless one is given
ui.fit.addEventListener('click', async () => {
  clearMessage();
  try {
    const crs = ui.crs.value.trim() || undefined;
    const { extent } = await data.request({ type: 'extent', crs }, 'extent');
    if (!extent) throw new Error('the features have no coordinates to fit the grid to');
    ui.bounds.value = extent.map((v) => String(v)).join(' ');
    if (!ui.resolution.value.trim() && !ui.size.value.trim()) ui.resolution.value = String(roundResolution(extent));
    ui.gridBounds.checked = true;
    saveHash();
  } catch (e) {
    showError(e);
  }
});

// --- what to burn: the grid and rasterize()'s options, from the form
function chosenGrid(): Grid {
  if (ui.gridBounds.checked) return gridFromFields(ui.bounds.value, ui.resolution.value, ui.crs.value, ui.size.value, ui.tap.checked);
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

/** Which engine burns: WebGPU when asked for and there, or on 'auto' a hardware adapter; else the CPU worker, saying why. */
function chooseEngine(engine: EngineProbe, notes: string[]): 'webgpu' | 'worker' {
  const mode = ui.engine.value;
  if (mode === 'cpu') return 'worker';
  if (engine.kind === 'worker') {
    notes.push(`No WebGPU (${engine.why}): burned on the CPU in a Web Worker.`);
    return 'worker';
  }
  if (mode === 'auto' && engine.software) {
    const name = [engine.vendor, engine.architecture].filter((s) => s).join(' ') || 'unknown';
    notes.push(`The only WebGPU adapter is a software one (${name}): burned on the CPU in a Web Worker, which is faster here. Choose "WebGPU" to use the adapter anyway.`);
    return 'worker';
  }
  return 'webgpu';
}

// --- running a burn
// a GPU stage can take a minute on a software adapter (one tile is one long dispatch chain): the
// seconds since the last report say the burn is alive without inventing progress
let lastReport: { text: string; at: number } | null = null;
let ticker: ReturnType<typeof setInterval> | null = null;

function setRunning(running: boolean): void {
  ui.cancel.disabled = !running;
  ui.progress.hidden = !running;
  ui.progress.value = 0;
  ui.progressText.textContent = '';
  lastReport = null;
  if (ticker) clearInterval(ticker);
  ticker = running ? setInterval(showProgressText, 1000) : null;
  updateReady();
}

function showProgressText(): void {
  if (!lastReport) return;
  const s = Math.floor((performance.now() - lastReport.at) / 1000);
  ui.progressText.textContent = s >= 2 ? `${lastReport.text} (${s} s)` : lastReport.text;
}

function onProgress(p: { fraction: number; done: number; total: number; stage?: string }): void {
  ui.progress.value = p.fraction;
  lastReport = { text: `${Math.round(p.fraction * 100)}% of ${p.total.toLocaleString('en')} shapes${p.stage ? `: ${p.stage}` : ''}`, at: performance.now() };
  showProgressText();
}

function failed(e: unknown): void {
  if (e instanceof Error && e.name === 'AbortError') {
    showInfo('Cancelled.');
  } else if (e instanceof Error && /device (was |is )?lost/i.test(e.message)) {
    showError(`${e.message}\nThe GPU dropped the burn; press Rasterize to try again on a new device.`);
  } else {
    showError(e);
    // an old result under a new error would read as the new one's
    clearResult();
  }
}

interface Prepared {
  settings: PageSettings;
  grid: Grid;
  options: WorkerBurnOptions;
  reply: { prepared: import('../src/index.js').PreparedFeatures; extent: [number, number, number, number] | null; clamped: ClampInfo | null; corners84: [number, number][] | null };
}

/** Reads and checks the form, then has the data worker prepare the features for the grid. */
async function prepareBurn(): Promise<Prepared> {
  if (!features) throw new Error('no GeoJSON loaded: pick or drop one, or press "Use sample"');
  const settings = readSettings();
  const grid = chosenGrid();
  const options = chosenOptions();
  checkSize(grid, options.dtype ?? 'uint16');
  ui.progressText.textContent = 'preparing features…';
  const shape = { attribute: options.attribute, burn: options.burn, merge: options.merge ?? 'replace' } as const;
  const reply = await data.request({ type: 'prepare', shape, grid, dtype: options.dtype }, 'prepared');
  return { settings, grid, options, reply };
}

async function run(): Promise<void> {
  if (busy) return;
  busy = true;
  updateReady();
  clearMessage();
  const notes: string[] = [];
  try {
    const { settings, grid, options, reply } = await prepareBurn();
    const engine = chooseEngine(await probing, notes);
    const prepared = reply.prepared;
    let outcome: BurnOutcome;
    if (engine === 'webgpu') {
      try {
        outcome = await track(burnWithWebGPU(prepared, grid, options, onProgress));
      } catch (e) {
        // the adapter seen at start-up is gone (or cannot give a device): burn in the worker instead
        if (!(e instanceof Error) || e.name !== 'WebGPUUnavailableError') throw e;
        notes.push(`WebGPU unavailable (${e.message}): burned on the CPU in a Web Worker instead.`);
        outcome = await track(burnInWorker(prepared, grid, options, onProgress));
      }
    } else {
      outcome = await track(burnInWorker(prepared, grid, options, onProgress));
    }
    const { stats } = outcome.raster;
    // rasterize() answers requests the GPU cannot do exactly (e.g. float64 values float32 cannot hold) on the CPU
    if (outcome.engine === 'webgpu' && stats.backend === 'cpu' && stats.fallbackReason) notes.push(`Burned on the CPU: ${stats.fallbackReason}.`);
    showResult(outcome, settings, grid, reply);
    if (notes.length) showInfo(notes.join('\n'));
  } catch (e) {
    failed(e);
  } finally {
    busy = false;
    updateReady();
  }
}

// runs one job with the Cancel button wired to it
async function track<T>(j: Job<T>): Promise<T> {
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

// --- chips for training sets: the grid cut into N x N chips, burned with rasterizeBatch in the burn worker
async function makeChips(): Promise<void> {
  if (busy) return;
  busy = true;
  updateReady();
  clearMessage();
  const notes: string[] = [];
  try {
    const size = Number(ui.chipSize.value);
    if (!Number.isInteger(size) || size < 1) throw new Error(`chip size "${ui.chipSize.value}" is not a whole number of pixels`);
    const { settings, grid, options, reply } = await prepareBurn();
    const backend = chooseEngine(await probing, notes) === 'webgpu' ? 'webgpu' : 'cpu';
    const baseName = downloadBase(features?.name ?? 'raster', settings, { width: size, height: size });
    const format = ui.chipFormat.value === 'npy' ? 'npy' : 'tif';
    const out = await track(chipsInWorker(reply.prepared, grid, options, { size, onlyWithFeatures: ui.chipOnly.checked, format, backend, baseName }, (p) => {
      ui.progress.value = p.fraction;
      ui.progressText.textContent = `${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} chips`;
    }));
    download(out.zip, `${baseName}_chips.zip`, 'application/zip');
    if (out.fallbackReason) notes.push(`WebGPU unavailable in the worker (${out.fallbackReason}): chips burned on the CPU.`);
    notes.unshift(`Chips: ${out.written.toLocaleString('en')} written${out.skipped ? `, ${out.skipped.toLocaleString('en')} without features left out` : ''}, in ${out.ms.toFixed(0)} ms (${out.backend === 'webgpu' ? 'WebGPU' : 'CPU'}, rasterizeBatch).`);
    showInfo(notes.join('\n'));
  } catch (e) {
    failed(e);
  } finally {
    busy = false;
    updateReady();
  }
}
ui.makeChips.addEventListener('click', () => void makeChips());

// --- the result
const view = new RasterView(ui.canvas, showPixel);
const map = new MapView($('map'), (note) => { ui.mapPanel.dataset.note = note; });

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(8).replace(/\.?0+$/, '');
}

function showPixel(p: PixelInfo | null): void {
  ui.readout.textContent = p
    ? `row ${p.row}, col ${p.col} · x ${p.x.toFixed(3)}, y ${p.y.toFixed(3)} · value ${formatNumber(p.value)}`
    : '\u00a0';
}

function showWarnings(lines: string[]): void {
  ui.warnings.replaceChildren(...lines.map((l) => {
    const li = document.createElement('li');
    li.textContent = l;
    return li;
  }));
}

function clearResult(): void {
  shown = null;
  view.clear();
  map.setResult(null, null);
  ui.summary.replaceChildren();
  ui.legend.replaceChildren();
  showWarnings([]);
  $('placeholder').hidden = false;
  ui.downloadTif.disabled = true;
  ui.downloadNpy.disabled = true;
  ui.downloadCog.disabled = true;
  ui.downloadPng.disabled = true;
}

function paint(): void {
  if (!shown) return;
  const { kind, colors } = chooseColors(ui.colors.value as ColorMode, shown.summary);
  view.recolor(colors);
  map.setResult(shown.raster, colors, shown.corners84);
  renderLegend(ui.legend, kind, shown.summary, shown.raster.nodata);
}
ui.colors.addEventListener('change', paint);

function showResult({ raster, summary, ms, engine }: BurnOutcome, settings: PageSettings, grid: Grid, { extent, clamped, corners84 }: Prepared['reply']): void {
  const { stats } = raster;
  const warnings = pageWarnings({
    count: features?.count ?? 0, summary, dataExtent: extent, grid, dtype: raster.dtype, invert: false, clamped,
    ungeoreferencedTemplate: settings.grid === 'template' && template && isUngeoreferenced(template.grid) ? template.name : null,
    library: (stats as { warnings?: string[] }).warnings ?? [],
  });
  const where = engine === 'worker' ? 'CPU (Web Worker)' : stats.backend === 'webgpu' ? 'WebGPU' : 'CPU (main thread)';
  const adapter = stats.backend === 'webgpu' && stats.adapter ? describeAdapter(stats.adapter) : '—';
  const d = raster.data;
  const rows: [string, string][] = [
    ['size', `${raster.width} × ${raster.height} ${raster.dtype}`],
    ['pixels burned', `${summary.burned.toLocaleString('en')} of ${d.length.toLocaleString('en')} (${((100 * summary.burned) / d.length).toFixed(2)}%)`],
    ['distinct values', `${summary.distinctCapped ? 'more than ' : ''}${summary.distinct.toLocaleString('en')}`],
    ['values', summary.burned ? `${formatNumber(summary.min)} to ${formatNumber(summary.max)}` : '—'],
    ['features', `${stats.features.toLocaleString('en')} (${stats.shapes.toLocaleString('en')} shapes${stats.skipped ? `, ${stats.skipped} skipped` : ''})`],
    ['time', `${ms.toFixed(1)} ms in rasterize()`],
    ['engine', where],
    ['adapter', adapter],
    ['warnings', warnings.length ? String(warnings.length) : 'none'],
  ];
  ui.summary.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.key = k;
    return [dt, dd];
  }));
  shown = { raster, summary, settings, baseName: downloadBase(features?.name ?? 'raster', settings, raster), warnings, corners84 };
  showWarnings(warnings);
  const { kind, colors } = chooseColors(settings.colors, summary);
  view.show(raster, colors);
  map.setResult(raster, colors, corners84);
  renderLegend(ui.legend, kind, summary, raster.nodata);
  $('placeholder').hidden = true;
  ui.downloadTif.disabled = false;
  ui.downloadNpy.disabled = false;
  ui.downloadCog.disabled = false;
  ui.downloadPng.disabled = false;
  updateCommands();
}

// whether a grid CRS reprojects the loaded features, asked of the data worker once per CRS and file
const reprojects = new Map<string, boolean>();
function askReprojects(name: string, crs: string): void {
  const key = `${name}\n${crs}`;
  reprojects.set(key, false);
  data.request({ type: 'reprojects', crs }, 'reprojects').then((m) => {
    reprojects.set(key, m.reprojects);
    if (m.reprojects) updateCommands();
  }, () => { /* a CRS that cannot be read: the burn itself names it */ });
}

// the same burn as command lines, for the current settings (the last result's grid when the form's cannot be read)
function updateCommands(): void {
  let grid: Grid | null = null;
  try {
    grid = chosenGrid();
  } catch {
    grid = shown?.raster ?? null;
  }
  const s = readSettings();
  if (!features || !grid) {
    ui.commandRasterburn.textContent = ui.commandGdal.textContent = 'load data and a grid first';
    return;
  }
  const out = `${downloadBase(features.name, s, grid)}.tif`;
  let reproject = false;
  if (grid.crs) {
    const known = reprojects.get(`${features.name}\n${grid.crs}`);
    if (known === undefined) askReprojects(features.name, grid.crs);
    reproject = known ?? false;
  }
  ui.commandRasterburn.textContent = commandLine('rasterburn', s, grid, features.name, template?.name ?? null, out, reproject);
  ui.commandGdal.textContent = commandLine('gdal_rasterize', s, grid, features.name, template?.name ?? null, out, reproject);
}

// the engine's adapter label is "GPU: vendor architecture ..." or "software adapter: ..." (SwiftShader and other
// software rasterizers are never called a GPU)
function describeAdapter(label: string): string {
  const m = /^(GPU|software adapter): (.*)$/.exec(label);
  if (!m) return label;
  return m[1] === 'GPU' ? m[2] : `software (${m[2]})`;
}

// --- the two views: the map (context) and the pixels (exact, with the readout)
async function showTab(which: 'map' | 'pixels'): Promise<void> {
  ui.tabMap.setAttribute('aria-selected', String(which === 'map'));
  ui.tabPixels.setAttribute('aria-selected', String(which === 'pixels'));
  ui.mapPanel.hidden = which !== 'map';
  ui.pixelsPanel.hidden = which !== 'pixels';
  if (which === 'map') {
    try {
      await map.show();
      map.setStyle(ui.styleUrl.value);
      if (features) map.setOutlines(features.outlineUrl, features.bounds84);
    } catch (e) {
      showError(`the map cannot be shown: ${(e as Error).message}`);
    }
  }
}
ui.tabMap.addEventListener('click', () => void showTab('map'));
ui.tabPixels.addEventListener('click', () => void showTab('pixels'));
ui.styleUrl.addEventListener('change', () => map.setStyle(ui.styleUrl.value));

// --- downloads: encoded on demand, so a result costs a second copy only while it is being saved
function download(bytes: ArrayBuffer | Blob, name: string, type: string): void {
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
// the file `rasterburn -of COG` writes with no -co: tiled, LZW, GDAL's default CUBIC overviews (pixel rule G11),
// the tiles after the header as GDAL's validator wants
ui.downloadCog.addEventListener('click', () => {
  if (!shown) return;
  const { raster, baseName } = shown;
  toCOG(raster).then(({ file, warnings }) => {
    download(new Blob([file as Uint8Array<ArrayBuffer>], { type: 'image/tiff' }), `${baseName}.cog.tif`, 'image/tiff');
    if (warnings.length) showInfo(warnings.join('\n'));
  }, showError);
});
ui.downloadNpy.addEventListener('click', () => {
  if (!shown) return;
  try {
    download(toNpy(shown.raster), `${shown.baseName}.npy`, 'application/octet-stream');
  } catch (e) {
    showError(e);
  }
});

// the quick look: the result in the colours on screen, one image pixel per raster pixel (up to the
// browser's canvas limit, beyond which it is sampled), nodata transparent
ui.downloadPng.addEventListener('click', () => {
  if (!shown) return;
  const { colors } = chooseColors(ui.colors.value as ColorMode, shown.summary);
  const base = shown.baseName;
  rasterImage(shown.raster, colors, PNG_MAX).toBlob((blob) => {
    if (!blob) return showError('the PNG could not be encoded (the canvas is too large for this browser)');
    download(blob, `${base}.png`, 'image/png');
  }, 'image/png');
});

// --- start-up: settings from the URL hash, data from its URLs, and which engine will run
async function start(): Promise<void> {
  // the form's own defaults are DEFAULTS; the hash names only what differs
  const fromUrl = fromHash(location.hash);
  applySettings(fromUrl);
  if (fromUrl.data || fromUrl.template) void loadUrls();
  probe = await probing;
  if (probe.kind === 'webgpu') {
    const name = [probe.vendor, probe.architecture].filter((s) => s).join(' ') || 'unknown adapter';
    ui.engineStatus.textContent = `WebGPU adapter: ${name}${probe.software ? ' (software: SwiftShader or similar, no GPU; "auto" burns on the CPU worker, which is faster)' : ''}`;
    ui.engineStatus.classList.toggle('software', probe.software);
  } else {
    ui.engineStatus.textContent = `No WebGPU: ${probe.why}. Burns run on the CPU in a Web Worker.`;
  }
  updateReady();
  updateCommands();
  document.body.dataset.ready = 'true';
}

/** A handle for the browser console (and the page's tests): the viewers and the last result. */
declare global {
  interface Window {
    rasterburnApp: {
      view: RasterView;
      map: MapView;
      readonly result: RasterResult | null;
      readonly summary: RasterSummary | null;
      readonly engine: EngineProbe | null;
    };
  }
}
window.rasterburnApp = {
  view,
  map,
  get result() { return shown?.raster ?? null; },
  get summary() { return shown?.summary ?? null; },
  get engine() { return probe; },
};

start().catch(showError);
