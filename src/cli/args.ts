// Command-line parsing in gdal_rasterize 3.6's spelling: option names match case-insensitively as GDAL's
// EQUAL() does, the last of a repeated single-value option wins, -burn/-init/-b swallow every following
// numeric argument (or one quoted, space-separated list), and the create-vs-update rule follows
// GDALRasterizeOptionsNew. Each option's spelling, values and checks live in the table in options.ts;
// this file walks argv through it and checks how the options combine.
import type { Backend, DType } from '../types.js';
import { findOption, takesInline } from './options.js';
import { NUMBER, UsageError } from './values.js';

export { parseNumber, UsageError } from './values.js';

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
  /** -b bands (updating only): each burns the -burn value of its position, the last standing in for missing ones */
  bands: number[];
  /** -co NAME=VALUE for the GeoTIFF writer (io/tiff/creation-options.ts) */
  creationOptions: string[];
  /** -to NAME=VALUE transformer options (accepted with a warning, without effect) */
  transformerOptions: string[];
  /** --config KEY VALUE pairs (accepted and ignored) */
  config: Array<[string, string]>;
  /** -q */
  quiet: boolean;
  /** --src-crs: the source's CRS when its GeoJSON has no crs member */
  srcCrs?: string;
  /** --template <raster>: take the grid from this raster */
  template?: string;
  /** --backend */
  backend: Backend;
  /** --json */
  json: boolean;
  /** --strict: a geometry GDAL's reader cannot read whole is an error, not a warning */
  strict: boolean;
  /** -where: OGR SQL WHERE clause */
  where?: string;
  /** -sql: SELECT ... FROM layer [WHERE ...] */
  sql?: string;
  /** -dialect: the -sql dialect (OGRSQL; SQLITE with a GeoPackage, refused otherwise; without -sql it changes nothing) */
  dialect?: string;
  /** --threads: CPU threads for the burn; undefined = every core (os.availableParallelism) */
  threads?: number;
  /** --rewrite: an update that cannot re-encode the file's compression rewrites it instead of refusing */
  rewrite?: boolean;
  /** --keep-overviews: an update leaves the overview levels as they were instead of rebuilding them */
  keepOverviews?: boolean;
  /** --verbose: the GPU driver stack's own diagnostics reach stderr */
  verbose: boolean;
  /** --redis: submit the job as tiles to the BullMQ queue on this Redis */
  redis?: string;
  /** --tile-size: side of a tile task (with --redis) */
  tileSize?: number;
  /** --store: the folder shared with the workers (with --redis) */
  store?: string;
  /** --job-id: the queued job's name (with --redis) */
  jobId?: string;
  /** an option that makes gdal_rasterize create the output (or --template) was given */
  createOutput: boolean;
}

export type ParseResult = { kind: 'run'; args: CliArgs } | { kind: 'help' } | { kind: 'version' };

/**
 * Parses argv (without node and the script) into CliArgs, or a help/version request.
 * Throws UsageError with a one-line message for every bad command line.
 */
export function parseArgs(argv: readonly string[]): ParseResult {
  const a: CliArgs = {
    src: '', dst: '', burn: [], burnZ: false, allTouched: false, add: false, invert: false, init: [], tap: false,
    layers: [], bands: [], creationOptions: [], transformerOptions: [], config: [], quiet: false, backend: 'cpu', json: false, strict: false, verbose: false,
    createOutput: false,
  };
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    // our long options also take --name=value
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = (eq > 0 ? raw.slice(0, eq) : raw).toLowerCase();
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const opt = findOption(name);

    if (!opt) {
      if (raw.startsWith('-') && raw.length > 1) throw new UsageError(`Unknown option name '${raw}'`);
      // '-' is standard input as the source (GDAL only knows /vsistdin/), nothing else
      if (raw === '-' && positionals.length !== 0) throw new UsageError(`Unknown option name '-'`);
      positionals.push(raw);
      continue;
    }
    if (inline !== undefined && !takesInline(opt)) throw new UsageError(`Unknown option name '${raw}'`);

    const label = opt.needs ?? 'a value';
    let values: string[];
    if (inline !== undefined) {
      if (inline === '') throw new UsageError(`${name} needs ${label}`);
      values = [inline];
    } else if (opt.arity === 'numbers') {
      // one quoted list with spaces, else every following argument that reads as a number
      if (i + 1 >= argv.length) throw new UsageError(`${raw} needs ${label}`);
      const next = argv[i + 1];
      if (next.includes(' ')) {
        i++;
        values = next.trim().split(/\s+/).filter((s) => s !== '');
        if (values.length === 0) throw new UsageError(`${raw} needs ${label}, got '${next}'`);
      } else {
        if (!NUMBER.test(next)) throw new UsageError(`${raw} needs ${label}, got '${next}'`);
        values = [];
        while (i + 1 < argv.length && NUMBER.test(argv[i + 1])) values.push(argv[++i]);
      }
    } else {
      if (i + opt.arity >= argv.length) throw new UsageError(`${raw} needs ${label}`);
      values = argv.slice(i + 1, i + 1 + opt.arity);
      i += opt.arity;
    }

    const answer = opt.apply(a, values, name, raw);
    if (answer) return { kind: answer };
    if (opt.creates) a.createOutput = true;
  }

  if (positionals.length > 2) throw new UsageError(`Too many command options '${positionals[2]}'`);
  if (positionals.length < 2) throw new UsageError('Missing source or destination: rasterburn [options] <src.geojson> <dst>');
  [a.src, a.dst] = positionals;
  if (a.src === '' || a.dst === '') throw new UsageError('source and destination must not be empty');

  const attributeGiven = a.attribute !== undefined;
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

  if (a.format !== undefined && a.format.toLowerCase() !== 'gtiff' && a.format.toLowerCase() !== 'cog') {
    throw new UsageError(`-of ${a.format} is not supported: rasterburn writes GTiff or COG (or NumPy .npy by the destination's extension)`);
  }
  if (a.redis === undefined) {
    const only = [a.tileSize !== undefined && '--tile-size', a.store !== undefined && '--store', a.jobId !== undefined && '--job-id'].filter(Boolean);
    if (only.length) throw new UsageError(`${only.join(', ')} only ${only.length > 1 ? 'apply' : 'applies'} with --redis`);
  } else {
    if (!a.createOutput) throw new UsageError('--redis creates the output anew: give -tr, -ts or --template');
    const cog = a.format?.toLowerCase() === 'cog';
    if (!cog && !/\.vrt$/i.test(a.dst)) throw new UsageError(`--redis writes a VRT over the tiles (or one COG with -of COG): name the destination .vrt, got '${a.dst}'`);
    if (cog && /\.vrt$/i.test(a.dst)) throw new UsageError(`--redis -of COG writes one GeoTIFF: name the destination .tif, got '${a.dst}'`);
  }
  return { kind: 'run', args: a };
}
