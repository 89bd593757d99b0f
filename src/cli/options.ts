// The command line's one option table. The parser (args.ts) and --help (help.ts) both read it, so an
// option cannot be parsed without being listed in --help, nor listed without being parsed.
import type { CliArgs } from './args.js';
import type { DType } from '../types.js';
import { parseCount, parseFinite, parseNumber, UsageError } from './values.js';

/** Where --help lists an option. */
export type Section = 'burn' | 'grid' | 'raster' | 'run' | 'compat' | 'refused' | 'info';

export interface OptionSpec {
  /** spellings, matched case-insensitively as GDAL's EQUAL() does; --help shows them all, the first first */
  names: readonly string[];
  /** how many arguments follow; 'numbers': every following numeric argument, or one quoted space-separated list */
  arity: number | 'numbers';
  /** the values as --help shows them */
  metavar?: string;
  /** what a missing value is called in "<option> needs ..." */
  needs?: string;
  help: string;
  /** what applies when the option is not given */
  default?: string;
  section: Section;
  /** one of -burn/-a/-3d, the burn value's source */
  source?: boolean;
  /** gdal_rasterize creates the output when this option is given (GDALRasterizeOptionsNew) */
  creates?: boolean;
  /** stores the values; 'help' or 'version' ends the parse with that answer */
  apply(a: CliArgs, values: string[], name: string, raw: string): void | 'help' | 'version';
}

/** GDAL's -ot names (GDALGetDataTypeName) that rasterburn writes, in --help's order. */
export const OUTPUT_TYPES: Readonly<Record<string, DType>> = {
  Byte: 'uint8', Int16: 'int16', UInt16: 'uint16', Int32: 'int32', UInt32: 'uint32', Float32: 'float32', Float64: 'float64',
  Int64: 'int64', UInt64: 'uint64',
};
const OT = new Map(Object.entries(OUTPUT_TYPES).map(([k, v]) => [k.toLowerCase(), v]));
// names GDAL 3.6 knows but rasterburn cannot write
const OT_UNSUPPORTED = new Set(['cint16', 'cint32', 'cfloat32', 'cfloat64']);
const OT_NAMES = Object.keys(OUTPUT_TYPES);

// the input filters and transformers rasterburn does not implement: refused rather than ignored
const refused = (name: string, help: string): OptionSpec => ({
  names: [name], arity: 0, section: 'refused', help,
  apply: (_a, _v, _n, raw) => { throw new UsageError(`${raw} is not supported by rasterburn`); },
});

export const OPTIONS: readonly OptionSpec[] = [
  // what is burned
  {
    names: ['-burn'], arity: 'numbers', metavar: 'value', needs: 'a burn value', section: 'burn', source: true,
    help: 'burn this value (when updating, several values are allowed: band 1 takes the first)',
    apply: (a, v, name) => { for (const s of v) a.burn.push(parseNumber(s, name)); },
  },
  {
    names: ['-a'], arity: 1, metavar: 'attribute_name', needs: 'an attribute name', section: 'burn', source: true,
    help: "burn each feature's value of this attribute (field names match case-insensitively)",
    apply: (a, [v]) => { a.attribute = v; },
  },
  {
    names: ['-3d'], arity: 0, section: 'burn', source: true,
    help: "burn the geometries' Z values",
    apply: (a) => { a.burnZ = true; },
  },
  {
    names: ['-at'], arity: 0, section: 'burn',
    help: 'all touched: burn every pixel a geometry touches, not only those whose centre it covers',
    apply: (a) => { a.allTouched = true; },
  },
  {
    names: ['-add'], arity: 0, section: 'burn',
    help: 'add the burn value to the pixel instead of replacing it',
    apply: (a) => { a.add = true; },
  },
  {
    names: ['-i'], arity: 0, section: 'burn',
    help: 'invert: burn the pixels outside every polygon',
    apply: (a) => { a.invert = true; },
  },
  {
    names: ['-l'], arity: 1, metavar: 'layername', needs: 'a layer name', section: 'burn',
    help: "the source layer (a GeoJSON file has one: its name or the file's base name); repeated, it is burned again",
    apply: (a, [v]) => { a.layers.push(v); },
  },
  {
    names: ['-b'], arity: 'numbers', metavar: 'band', needs: 'a band number', section: 'burn',
    help: 'band to burn when updating (band 1 only)',
    apply: (a, v, name) => {
      for (const s of v) {
        const b = parseNumber(s, name);
        if (!Number.isInteger(b) || b < 1) throw new UsageError(`-b: '${s}' is not a band number`);
        a.bands.push(b);
      }
    },
  },
  // the output grid
  {
    names: ['-te'], arity: 4, metavar: 'xmin ymin xmax ymax', needs: '4 numbers: xmin ymin xmax ymax', section: 'grid', creates: true,
    help: 'output extent in georeferenced units',
    default: "the source layer's extent",
    apply: (a, v, name) => { a.te = v.map((s) => parseFinite(s, name)) as [number, number, number, number]; },
  },
  {
    names: ['-tr'], arity: 2, metavar: 'xres yres', needs: '2 numbers: xres yres', section: 'grid', creates: true,
    help: 'output pixel size in georeferenced units (yres is made positive)',
    apply: (a, v, name) => {
      const xres = parseFinite(v[0], name), yres = Math.abs(parseFinite(v[1], name));
      if (xres === 0 || yres === 0) throw new UsageError(`Wrong value for -tr parameter: '${v[0]}' '${v[1]}' (resolution cannot be 0)`);
      a.tr = [xres, yres];
    },
  },
  {
    names: ['-ts', '-outsize'], arity: 2, metavar: 'width height', needs: '2 integers: width height', section: 'grid', creates: true,
    help: 'output size in pixels',
    apply: (a, v, name) => { a.ts = [parseCount(v[0], name), parseCount(v[1], name)]; },
  },
  {
    names: ['-tap'], arity: 0, section: 'grid', creates: true,
    help: 'target aligned pixels: snap the extent to multiples of -tr',
    apply: (a) => { a.tap = true; },
  },
  {
    names: ['--template'], arity: 1, metavar: 'raster.tif', needs: 'a raster path', section: 'grid', creates: true,
    help: "take the grid (size, geotransform, SRS) from this GeoTIFF; not with -te/-tr/-ts/-tap",
    apply: (a, [v]) => { a.template = v; },
  },
  {
    names: ['--src-crs'], arity: 1, metavar: 'CRS', needs: 'a CRS (EPSG:n, WKT or PROJ string)', section: 'grid',
    help: "the CRS of the source's coordinates, for a GeoJSON without a \"crs\" member (as such a member would name it; default CRS84)",
    apply: (a, [v]) => { a.srcCrs = v; },
  },
  // the output raster
  {
    names: ['-ot'], arity: 1, metavar: 'type', needs: 'a type name', section: 'raster', creates: true,
    help: `output pixel type: ${OT_NAMES.join(', ')}`,
    default: 'Float64',
    apply: (a, [t]) => {
      const key = t.toLowerCase();
      if (OT_UNSUPPORTED.has(key)) throw new UsageError(`-ot ${t} is not supported: use one of ${OT_NAMES.join(', ')}`);
      const d = OT.get(key);
      if (!d) throw new UsageError(`Unknown output pixel type: ${t}`);
      a.dtype = d;
    },
  },
  {
    names: ['-init'], arity: 'numbers', metavar: 'value', needs: 'an initial value', section: 'raster', creates: true,
    help: 'fill the new raster with this value before burning',
    default: 'the -a_nodata value, else 0',
    apply: (a, v, name) => { for (const s of v) a.init.push(parseNumber(s, name)); },
  },
  {
    names: ['-a_nodata'], arity: 1, metavar: 'value', needs: 'a nodata value', section: 'raster', creates: true,
    help: "the new raster's nodata value",
    apply: (a, [v], name) => { a.nodata = parseNumber(v, name); },
  },
  {
    names: ['-a_srs'], arity: 1, metavar: 'srs_def', needs: 'an SRS definition', section: 'raster', creates: true,
    help: 'assign this SRS to the new raster (the features are not reprojected)',
    default: "the source's SRS",
    apply: (a, [v]) => { a.srs = v; },
  },
  {
    names: ['-of', '-f'], arity: 1, metavar: 'GTiff|COG', needs: 'a format name', section: 'raster', creates: true,
    help: 'output format: GTiff, or COG (tiled, LZW by default, no overviews; GDAL 3.6 itself cannot rasterize to COG); a .npy destination is written as a NumPy array',
    default: "by the destination's extension",
    apply: (a, [v]) => { a.format = v; },
  },
  {
    names: ['-co'], arity: 1, metavar: 'NAME=VALUE', needs: 'NAME=VALUE', section: 'raster', creates: true,
    help: 'GeoTIFF creation option: COMPRESS=NONE|DEFLATE|LZW|PACKBITS|ZSTD, PREDICTOR, ZLEVEL, ZSTD_LEVEL, TILED, BLOCKXSIZE, BLOCKYSIZE, BIGTIFF, SPARSE_OK, NUM_THREADS, TFW (a .tfw world file beside it); others are warned about and ignored',
    apply: (a, [v]) => { a.creationOptions.push(v); },
  },
  // how rasterburn runs
  {
    names: ['--backend'], arity: 1, metavar: 'cpu|webgpu|auto', needs: 'cpu, webgpu or auto', section: 'run',
    help: 'burn on the CPU, on the GPU through WebGPU, or on the GPU when one answers (the pixels are the same)',
    default: 'cpu',
    apply: (a, [v]) => {
      if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto') throw new UsageError(`--backend must be cpu, webgpu or auto, got '${v}'`);
      a.backend = v;
    },
  },
  {
    // GDAL's NUM_THREADS spelling is accepted too
    names: ['--threads'], arity: 1, metavar: 'N|ALL_CPUS', needs: 'a thread count or ALL_CPUS', section: 'run',
    help: 'CPU threads for the burn, 1 to 256 (the pixels are the same for any count)',
    default: 'ALL_CPUS',
    apply: (a, [v]) => {
      if (/^all_cpus$/i.test(v)) {
        delete a.threads;
        return;
      }
      if (!/^\d+$/.test(v) || !(Number(v) >= 1 && Number(v) <= 256)) throw new UsageError(`--threads must be a whole number from 1 to 256 or ALL_CPUS, got '${v}'`);
      a.threads = Number(v);
    },
  },
  {
    names: ['--json'], arity: 0, section: 'run',
    help: "print a one-line JSON summary of the run on stdout",
    apply: (a) => { a.json = true; },
  },
  {
    names: ['--strict'], arity: 0, section: 'run',
    help: "fail on a feature whose geometry GDAL's reader cannot read whole, instead of skipping it (or its bad part) with a warning as GDAL does",
    apply: (a) => { a.strict = true; },
  },
  {
    names: ['--rewrite'], arity: 0, section: 'run',
    help: 'when updating a single-band GeoTIFF whose compression rasterburn cannot re-encode (JPEG, WebP, LERC, LZMA...), rewrite it as a new uncompressed GeoTIFF (its other tags, metadata and overviews are dropped) instead of refusing',
    apply: (a) => { a.rewrite = true; },
  },
  {
    names: ['--keep-overviews'], arity: 0, section: 'run',
    help: "when updating a GeoTIFF, leave its overview levels as they were instead of rebuilding band 1's from the new pixels with nearest resampling (as gdaladdo does); needed to update a file whose overviews rasterburn cannot rebuild (32-bit integers, Float64, one plane per band)",
    apply: (a) => { a.keepOverviews = true; },
  },
  {
    names: ['-q', '-quiet'], arity: 0, section: 'run',
    help: 'no progress bar and no notices (warnings still print)',
    apply: (a) => { a.quiet = true; },
  },
  {
    names: ['--verbose'], arity: 0, section: 'run',
    help: "let the GPU driver stack's own diagnostics (Dawn, the Vulkan loader) through to stderr, and say how the adapter was found",
    apply: (a) => { a.verbose = true; },
  },
  // the tile queue (docs/scaling.md)
  {
    names: ['--redis'], arity: 1, metavar: 'redis://HOST:PORT', needs: 'a redis:// URL', section: 'run',
    help: "submit the job as tiles to workers ('rasterburn worker') through BullMQ on this Redis; <dst> is then a .vrt over the tiles",
    apply: (a, [v]) => { a.redis = v; },
  },
  {
    names: ['--tile-size'], arity: 1, metavar: 'N', needs: 'a tile size', section: 'run',
    help: 'with --redis: side of a tile task in pixels, a multiple of 256',
    default: '4096',
    apply: (a, [v]) => {
      if (!/^\d+$/.test(v) || Number(v) < 256 || Number(v) % 256 !== 0) throw new UsageError(`--tile-size must be a multiple of 256, got '${v}'`);
      a.tileSize = Number(v);
    },
  },
  {
    names: ['--store'], arity: 1, metavar: 'DIR|s3://BUCKET/PREFIX', needs: 'a folder or an s3:// URL', section: 'run',
    help: 'with --redis: the folder shared with every worker, at the same path, or an S3 URL (AWS_* settings as for /vsis3/), for the features and the tiles',
    default: '<dst without .vrt>.tiles',
    apply: (a, [v]) => { a.store = v; },
  },
  {
    names: ['--job-id'], arity: 1, metavar: 'ID', needs: 'a job id', section: 'run',
    help: 'with --redis: name the job; a job of that name already queued is followed instead of submitted again',
    default: 'a new random id',
    apply: (a, [v]) => { a.jobId = v; },
  },
  // gdal_rasterize options accepted for compatibility
  {
    names: ['--config'], arity: 2, metavar: 'KEY VALUE', needs: 'KEY VALUE', section: 'compat',
    help: 'GDAL configuration option: accepted, without effect',
    apply: (a, [k, v]) => { a.config.push([k, v]); },
  },
  {
    // GDAL's strategies burn the same pixels but for pixel rule K4; only the spelling is checked
    names: ['-optim'], arity: 1, metavar: 'AUTO|VECTOR|RASTER', needs: 'AUTO, VECTOR or RASTER', section: 'compat',
    help: "GDAL's rasterization strategy: checked, then ignored (rasterburn burns as RASTER does)",
    apply: (_a, [v]) => { if (!/^(auto|vector|raster)$/i.test(v)) throw new UsageError(`Unrecognized value '${v}' for OPTIM.`); },
  },
  {
    names: ['--debug'], arity: 1, metavar: 'ON|OFF', needs: 'ON or OFF', section: 'compat',
    help: "GDAL's debug output: accepted, without effect",
    apply: () => {},
  },
  {
    names: ['-where'], arity: 1, metavar: 'expression', needs: 'a WHERE clause', section: 'burn',
    help: "burn only the features this OGR SQL WHERE clause accepts, e.g. \"class IN ('A', 'B') AND height > 10\"",
    apply: (a, [v]) => { a.where = v; },
  },
  {
    names: ['-sql'], arity: 1, metavar: 'select_statement', needs: 'an SQL statement', section: 'burn',
    help: 'burn the result of SELECT [DISTINCT] * | field [AS alias], ... FROM layer [WHERE ...] [ORDER BY field [ASC|DESC], ...] [LIMIT n] [OFFSET n] (OGR SQL), in its order',
    apply: (a, [v]) => { a.sql = v; },
  },
  {
    names: ['-dialect'], arity: 1, metavar: 'OGRSQL', needs: 'a dialect name', section: 'burn',
    help: 'SQL dialect of -sql: OGRSQL (SQLITE is refused with -sql)',
    apply: (a, [v]) => { a.dialect = v; },
  },
  {
    // the transformer only maps the raster's geotransform, which rasterburn inverts itself (pixel rule F1)
    names: ['-to'], arity: 1, metavar: 'NAME=VALUE', needs: 'NAME=VALUE', section: 'compat',
    help: 'GDAL transformer option: accepted, without effect, with a warning naming it',
    apply: (a, [v]) => { a.transformerOptions.push(v); },
  },
  {
    names: ['--help', '-h', '-help', '--help-general'], arity: 0, section: 'info',
    help: 'print this help',
    apply: () => 'help',
  },
  {
    names: ['--version'], arity: 0, section: 'info',
    help: "print rasterburn's version",
    apply: () => 'version',
  },
];

const BY_NAME = new Map<string, OptionSpec>();
for (const o of OPTIONS) {
  for (const n of o.names) {
    if (n !== n.toLowerCase() || BY_NAME.has(n)) throw new Error(`option table: '${n}' must be lower case and listed once`);
    BY_NAME.set(n, o);
  }
}

/** The table entry for an option name (already lower-cased), if any. */
export function findOption(name: string): OptionSpec | undefined {
  return BY_NAME.get(name);
}

/** Our long options that take one value also take it as --name=value. */
export function takesInline(o: OptionSpec): boolean {
  return o.arity === 1 && o.names[0].startsWith('--');
}
