// The form's settings as one record: saved in the URL hash (so a link reproduces a burn), named in
// download file names, and spelled as the equivalent rasterburn / gdal_rasterize command line.
import type { DType, Grid } from '../src/index.js';
import type { ColorMode } from './colormap.js';

export interface PageSettings {
  attribute: string;
  burn: string;
  dtype: DType;
  nodata: string;
  allTouched: boolean;
  add: boolean;
  engine: 'auto' | 'webgpu' | 'cpu';
  grid: 'template' | 'bounds';
  bounds: string;
  resolution: string;
  size: string;
  crs: string;
  tap: boolean;
  colors: ColorMode;
  /** where the data and the template came from, when they came from a URL */
  data: string;
  template: string;
  style: string;
}

export const DEFAULTS: PageSettings = {
  attribute: '', burn: '1', dtype: 'uint16', nodata: '', allTouched: false, add: false, engine: 'auto',
  grid: 'template', bounds: '', resolution: '', size: '', crs: '', tap: false, colors: 'auto', data: '', template: '', style: '',
};

const BOOLEANS = new Set(['allTouched', 'add', 'tap']);
const GRID_FIELDS = new Set<keyof PageSettings>(['bounds', 'resolution', 'size', 'crs', 'tap']);

/** "#a=1&b=x" with only the settings that differ from the defaults. */
export function toHash(s: PageSettings): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(s) as [keyof PageSettings, string | boolean][]) {
    if (v === DEFAULTS[k]) continue;
    // typed bounds matter only when they are the grid (a template fills them in as a starting point)
    if (s.grid === 'template' && GRID_FIELDS.has(k)) continue;
    q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : v);
  }
  const text = q.toString();
  return text ? `#${text}` : '';
}

/** The settings a hash names, over the defaults; unknown keys are ignored (links from newer pages). */
export function fromHash(hash: string): Partial<PageSettings> {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of q) {
    if (!(k in DEFAULTS)) continue;
    out[k] = BOOLEANS.has(k) ? v === '1' || v === 'true' : v;
  }
  return out as Partial<PageSettings>;
}

/** A file-name-safe word: letters, digits, '.', '-' and '_' (others become '-'). */
function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/**
 * Download names say what the file holds: input, burn value, type, size and the options that change
 * pixels, e.g. buildings_BuildingID_uint16_1000x1000_at.tif.
 */
export function downloadBase(inputName: string, s: PageSettings, grid: { width: number; height: number }): string {
  const parts = [safe(inputName.replace(/\.[^.]+$/, '')), s.attribute ? safe(s.attribute) : `burn${safe(s.burn)}`, s.dtype, `${grid.width}x${grid.height}`];
  if (s.allTouched) parts.push('at');
  if (s.add) parts.push('add');
  if (s.nodata.trim()) parts.push(`nodata${safe(s.nodata.trim())}`);
  return parts.join('_');
}

const GDAL_TYPES: Record<DType, string> = {
  uint8: 'Byte', int16: 'Int16', uint16: 'UInt16', int32: 'Int32', uint32: 'UInt32', float32: 'Float32', float64: 'Float64', int64: 'Int64', uint64: 'UInt64',
};

// a shell word: quoted when it holds anything the shell would read specially
function word(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The commands that burn the same pixels, `rasterburn` (which takes gdal_rasterize's options, and a
 * --template) or `gdal_rasterize`. gdal_rasterize reprojects features only when it burns into an
 * existing raster (-a_srs on a new one labels the coordinates without transforming them), so a grid
 * whose CRS differs from the features' (`reproject`) is created first with gdal_create and burned into.
 */
export function commandLine(tool: 'rasterburn' | 'gdal_rasterize', s: PageSettings, grid: Grid, inputName: string, templateName: string | null, output: string, reproject: boolean): string {
  const burn: string[] = s.attribute ? ['-a', s.attribute] : ['-burn', s.burn.trim() || '1'];
  if (s.allTouched) burn.push('-at');
  if (s.add) burn.push('-add');
  const type = GDAL_TYPES[s.dtype];
  const nodata = s.nodata.trim();
  const line = (args: string[]): string => args.map(word).join(' ');
  // a new single-band raster, initialised as rasterize() initialises it (nodata if given, else 0)
  const create = (gridArgs: string[]): string => line(['gdal_create', ...gridArgs, '-bands', '1', '-ot', type, ...(nodata ? ['-a_nodata', nodata] : []), '-burn', nodata || '0', output]);
  const into = (): string => line([tool, '-b', '1', ...burn, inputName, output]);
  if (s.grid === 'template' && templateName) {
    if (tool === 'rasterburn') return line([tool, ...burn, '-ot', type, ...(nodata ? ['-a_nodata', nodata] : []), '--template', templateName, inputName, output]);
    return `${create(['-if', templateName])} && ${into()}`;
  }
  const [x0, dx, , y0, , dy] = grid.transform;
  if (reproject && grid.crs) {
    const ullr = [x0, y0, x0 + grid.width * dx, y0 + grid.height * dy].map(String);
    return `${create(['-of', 'GTiff', '-outsize', String(grid.width), String(grid.height), '-a_srs', grid.crs, '-a_ullr', ...ullr])} && ${into()}`;
  }
  const args: string[] = [tool, ...burn, '-ot', type];
  if (nodata) args.push('-a_nodata', nodata);
  if (s.grid === 'bounds') {
    args.push('-te', ...s.bounds.trim().split(/[\s,;]+/));
    if (s.size.trim()) args.push('-ts', ...s.size.trim().split(/[\s,;]+/));
    else {
      const r = s.resolution.trim().split(/[\s,;]+/);
      args.push('-tr', r[0], r[1] ?? r[0]);
      if (s.tap) args.push('-tap');
    }
  } else {
    args.push('-te', String(x0), String(y0 + grid.height * dy), String(x0 + grid.width * dx), String(y0), '-ts', String(grid.width), String(grid.height));
  }
  if (grid.crs) args.push('-a_srs', grid.crs);
  args.push(inputName, output);
  return line(args);
}
