// Command-line parsing in gdal_rasterize 3.6's spelling: option names match case-insensitively as GDAL's
// EQUAL() does, the last of a repeated single-value option wins, -burn/-init/-b swallow every following
// numeric argument (or one quoted, space-separated list), and the create-vs-update rule follows
// GDALRasterizeOptionsNew. Where GDAL silently reads garbage as 0 (CPLAtof/atoi) we refuse instead.
import type { Backend, DType } from '../types.js';

/** A bad command line; main prints its message after "rasterburn: " and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliArgs {
  src: string;
  dst: string;
  /** -burn values in order (several only make sense when updating: band 1 takes the first) */
  burn: number[];
  /** -a */
  attribute?: string;
  /** -3d */
  burnZ: boolean;
  /** -at */
  allTouched: boolean;
  /** -add */
  add: boolean;
  /** -i */
  invert: boolean;
  /** -init values */
  init: number[];
  /** -a_nodata */
  nodata?: number;
  /** -ot, mapped to our type names */
  dtype?: DType;
  /** -te xmin ymin xmax ymax */
  te?: [number, number, number, number];
  /** -tr xres yres, yres made positive as GDAL does */
  tr?: [number, number];
  /** -ts width height */
  ts?: [number, number];
  /** -tap */
  tap: boolean;
  /** -a_srs */
  srs?: string;
  /** -of / -f as given */
  format?: string;
  /** -l names */
  layers: string[];
  /** -b bands (updating only) */
  bands: number[];
  /** -co NAME=VALUE (accepted; our GeoTIFF writer has one layout) */
  creationOptions: string[];
  /** --config KEY VALUE pairs (accepted and ignored) */
  config: Array<[string, string]>;
  /** -q */
  quiet: boolean;
  /** --template <raster>: take the grid from this raster */
  template?: string;
  /** --backend */
  backend: Backend;
  /** --json */
  json: boolean;
  /** --threads: CPU threads for the burn; undefined = every core (os.availableParallelism) */
  threads?: number;
  /** an option that makes gdal_rasterize create the output (or --template) was given */
  createOutput: boolean;
}

export type ParseResult = { kind: 'run'; args: CliArgs } | { kind: 'help' } | { kind: 'version' };

export const USAGE = `Usage: rasterburn [-i] [-at] {-burn value | -a attribute_name | -3d} [-add]
       [-l layername] [-of GTiff] [-a_srs srs_def] [-a_nodata value] [-init value]
       [-te xmin ymin xmax ymax] [-tr xres yres] [-tap] [-ts width height]
       [-ot {Byte/Int16/UInt16/UInt32/Int32/Float32/Float64}] [-q] [--config KEY VALUE]
       [--template raster.tif] [--backend cpu|webgpu|auto] [--threads N|ALL_CPUS] [--json]
       <src.geojson> <dst.tif|dst.npy>

Burns GeoJSON features into a raster with gdal_rasterize's rules and pixels. Without -te/-tr/-ts and
other creation options an existing <dst> is updated in place (band 1, other pixels kept).
A .npy destination is written as a NumPy array. The CPU burn uses every core (--threads 1: one);
the pixels are the same for any thread count.`;

// GDAL's -ot names (GDALGetDataTypeName) that we can write
const OT: Record<string, DType> = {
  byte: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float32: 'float32', float64: 'float64',
};
// names GDAL 3.6 knows but rasterburn cannot write
const OT_UNSUPPORTED = new Set(['uint64', 'int64', 'cint16', 'cint32', 'cfloat32', 'cfloat64']);

// C strtod syntax as CPLAtof reads a whole argument: decimal, hex integer, inf/infinity, nan. GDAL's
// ArgIsNumeric takes the same set when -burn/-init/-b gather their following values (checked: -burn nan,
// -burn inf, -burn 0x10 burn NaN, inf, 16; -burn 1,5 and -burn abc are not values)
const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|inf(?:inity)?|nan)$/i;
const CONTINUES = NUMBER;

/** Parses a whole argument as C's strtod would, refusing trailing junk and empty strings. */
export function parseNumber(text: string, what: string): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new UsageError(`${what}: '${text}' is not a number`);
  const body = t.replace(/^[+-]/, '');
  const neg = t.startsWith('-');
  let v: number;
  if (/^0x/i.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^nan$/i.test(body)) v = NaN;
  else if (/^inf/i.test(body)) v = Infinity;
  else v = Number(body);
  return neg ? -v : v;
}

function parseFinite(text: string, what: string): number {
  const v = parseNumber(text, what);
  if (!Number.isFinite(v)) throw new UsageError(`${what}: '${text}' is not a finite number`);
  return v;
}

// -ts: GDAL reads it with atoi, so a fraction is cut off; exponents and junk are refused rather than misread
function parseCount(text: string, what: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+(?:\.\d*)?$/.test(t)) throw new UsageError(`${what}: '${text}' is not an integer`);
  const v = Math.trunc(Number(t));
  if (!(v > 0)) throw new UsageError(`Wrong value for -ts parameter: '${text}' (width and height must be positive)`);
  if (v > 2147483647) throw new UsageError(`${what}: '${text}' is over GDAL's limit of 2147483647`);
  return v;
}

/**
 * Parses argv (without node and the script) into CliArgs, or a help/version request.
 * Throws UsageError with a one-line message for every bad command line.
 */
export function parseArgs(argv: readonly string[]): ParseResult {
  const a: CliArgs = {
    src: '', dst: '', burn: [], burnZ: false, allTouched: false, add: false, invert: false, init: [], tap: false,
    layers: [], bands: [], creationOptions: [], config: [], quiet: false, backend: 'cpu', json: false, createOutput: false,
  };
  const positionals: string[] = [];
  let attributeGiven = false;

  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    // our long options also take --name=value
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = (eq > 0 ? raw.slice(0, eq) : raw).toLowerCase();
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;

    // the next n arguments as the values of `opt`, or a usage error naming what is missing
    const take = (n: number, label: string): string[] => {
      if (i + n >= argv.length) throw new UsageError(`${raw} needs ${label}`);
      const v = argv.slice(i + 1, i + 1 + n);
      i += n;
      return v;
    };
    const takeLong = (label: string): string => {
      if (inline !== undefined) {
        if (inline === '') throw new UsageError(`${name} needs ${label}`);
        return inline;
      }
      return take(1, label)[0];
    };
    // -burn/-init/-b: one quoted list with spaces, else every following argument that reads as a number
    const takeList = (label: string): string[] => {
      if (i + 1 >= argv.length) throw new UsageError(`${raw} needs ${label}`);
      const next = argv[i + 1];
      if (next.includes(' ')) {
        i++;
        const parts = next.trim().split(/\s+/).filter((s) => s !== '');
        if (parts.length === 0) throw new UsageError(`${raw} needs ${label}, got '${next}'`);
        return parts;
      }
      if (!CONTINUES.test(next)) throw new UsageError(`${raw} needs ${label}, got '${next}'`);
      const out: string[] = [];
      while (i + 1 < argv.length && CONTINUES.test(argv[i + 1])) out.push(argv[++i]);
      return out;
    };

    if (inline !== undefined && !['--template', '--backend', '--threads'].includes(name)) {
      throw new UsageError(`Unknown option name '${raw}'`);
    }

    switch (name) {
      case '-burn':
        for (const s of takeList('a burn value')) a.burn.push(parseNumber(s, '-burn'));
        break;
      case '-a':
        a.attribute = take(1, 'an attribute name')[0];
        attributeGiven = true;
        break;
      case '-3d':
        a.burnZ = true;
        break;
      case '-at':
        a.allTouched = true;
        break;
      case '-add':
        a.add = true;
        break;
      case '-i':
        a.invert = true;
        break;
      case '-init':
        for (const s of takeList('an initial value')) a.init.push(parseNumber(s, '-init'));
        a.createOutput = true;
        break;
      case '-a_nodata':
        a.nodata = parseNumber(take(1, 'a nodata value')[0], '-a_nodata');
        a.createOutput = true;
        break;
      case '-ot': {
        const t = take(1, 'a type name')[0];
        const key = t.toLowerCase();
        if (OT_UNSUPPORTED.has(key)) {
          throw new UsageError(`-ot ${t} is not supported: use one of Byte, Int16, UInt16, Int32, UInt32, Float32, Float64`);
        }
        const d = OT[key];
        if (!d) throw new UsageError(`Unknown output pixel type: ${t}`);
        a.dtype = d;
        a.createOutput = true;
        break;
      }
      case '-te': {
        const v = take(4, '4 numbers: xmin ymin xmax ymax');
        a.te = v.map((s) => parseFinite(s, '-te')) as [number, number, number, number];
        a.createOutput = true;
        break;
      }
      case '-tr': {
        const v = take(2, '2 numbers: xres yres');
        const xres = parseFinite(v[0], '-tr'), yres = Math.abs(parseFinite(v[1], '-tr'));
        if (xres === 0 || yres === 0) throw new UsageError(`Wrong value for -tr parameter: '${v[0]}' '${v[1]}' (resolution cannot be 0)`);
        a.tr = [xres, yres];
        a.createOutput = true;
        break;
      }
      case '-ts':
      case '-outsize': {
        const v = take(2, '2 integers: width height');
        a.ts = [parseCount(v[0], name), parseCount(v[1], name)];
        a.createOutput = true;
        break;
      }
      case '-tap':
        a.tap = true;
        a.createOutput = true;
        break;
      case '-a_srs':
        a.srs = take(1, 'an SRS definition')[0];
        a.createOutput = true;
        break;
      case '-of':
      case '-f':
        a.format = take(1, 'a format name')[0];
        a.createOutput = true;
        break;
      case '-co':
        a.creationOptions.push(take(1, 'NAME=VALUE')[0]);
        a.createOutput = true;
        break;
      case '-l':
        a.layers.push(take(1, 'a layer name')[0]);
        break;
      case '-b':
        for (const s of takeList('a band number')) {
          const b = parseNumber(s, '-b');
          if (!Number.isInteger(b) || b < 1) throw new UsageError(`-b: '${s}' is not a band number`);
          a.bands.push(b);
        }
        break;
      case '-q':
      case '-quiet':
        a.quiet = true;
        break;
      case '-optim': {
        // GDAL's strategies burn the same pixels but for pixel rule K4; only the spelling is checked
        const v = take(1, 'AUTO, VECTOR or RASTER')[0];
        if (!/^(auto|vector|raster)$/i.test(v)) throw new UsageError(`Unrecognized value '${v}' for OPTIM.`);
        break;
      }
      case '-where':
      case '-sql':
      case '-dialect':
      case '-to':
      case '-oo':
        throw new UsageError(`${raw} is not supported by rasterburn`);
      case '--config': {
        const [k, v] = take(2, 'KEY VALUE');
        a.config.push([k, v]);
        break;
      }
      case '--debug':
        take(1, 'ON or OFF');
        break;
      case '--template':
        a.template = takeLong('a raster path');
        a.createOutput = true;
        break;
      case '--backend': {
        const v = takeLong('cpu, webgpu or auto');
        if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto') throw new UsageError(`--backend must be cpu, webgpu or auto, got '${v}'`);
        a.backend = v;
        break;
      }
      case '--threads': {
        // GDAL's NUM_THREADS spelling is accepted too
        const v = takeLong('a thread count or ALL_CPUS');
        if (/^all_cpus$/i.test(v)) {
          delete a.threads;
        } else {
          if (!/^\d+$/.test(v) || !(Number(v) >= 1 && Number(v) <= 256)) throw new UsageError(`--threads must be a whole number from 1 to 256 or ALL_CPUS, got '${v}'`);
          a.threads = Number(v);
        }
        break;
      }
      case '--json':
        a.json = true;
        break;
      case '--help':
      case '-h':
      case '-help':
      case '--help-general':
        return { kind: 'help' };
      case '--version':
        return { kind: 'version' };
      default:
        if (raw.startsWith('-') && raw.length > 1) throw new UsageError(`Unknown option name '${raw}'`);
        if (raw === '-') throw new UsageError(`Unknown option name '-'`);
        positionals.push(raw);
    }
  }

  if (positionals.length > 2) throw new UsageError(`Too many command options '${positionals[2]}'`);
  if (positionals.length < 2) throw new UsageError('Missing source or destination: rasterburn [options] <src.geojson> <dst>');
  [a.src, a.dst] = positionals;
  if (a.src === '' || a.dst === '') throw new UsageError('source and destination must not be empty');

  const sources = (a.burn.length > 0 ? 1 : 0) + (attributeGiven ? 1 : 0) + (a.burnZ ? 1 : 0);
  if (sources !== 1) throw new UsageError('One and only one of -3d, -burn or -a is required.');
  if (attributeGiven && a.attribute === '') throw new UsageError('-a needs a non-empty attribute name');

  if (a.template !== undefined) {
    const clash = [a.te && '-te', a.tr && '-tr', a.ts && '-ts', a.tap && '-tap'].filter(Boolean);
    if (clash.length) throw new UsageError(`--template gives the grid; it cannot be combined with ${clash.join(', ')}`);
  }
  if (a.createOutput) {
    if (a.template === undefined && !a.tr && !a.ts) throw new UsageError("'-tr xres yres' or '-ts xsize ysize' is required.");
    if (a.tap && !a.tr) throw new UsageError('-tap option cannot be used without using -tr.');
    if (a.bands.length) throw new UsageError('-b option cannot be used when creating a GDAL dataset.');
  }
  const bands = Math.max(a.burn.length, a.init.length, 1);
  if (a.createOutput && bands > 1) {
    throw new UsageError(`${a.burn.length > 1 ? `${a.burn.length} -burn values` : `${a.init.length} -init values`} would create a ${bands}-band raster; rasterburn writes one band`);
  }
  if (a.bands.some((b) => b !== 1)) throw new UsageError(`-b ${a.bands.join(' ')}: rasterburn burns band 1 only`);

  if (a.format !== undefined && a.format.toLowerCase() !== 'gtiff') {
    throw new UsageError(`-of ${a.format} is not supported: rasterburn writes GTiff (or NumPy .npy by the destination's extension)`);
  }
  if (a.layers.length) {
    // GeoJSON has one layer: several -l must all name it (checked against the file later)
    const first = a.layers[0].toLowerCase();
    if (a.layers.some((l) => l.toLowerCase() !== first)) throw new UsageError(`-l ${a.layers.join(' -l ')}: a GeoJSON source has a single layer`);
  }
  return { kind: 'run', args: a };
}
