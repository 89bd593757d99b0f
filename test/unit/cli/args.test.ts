// Command-line parsing in gdal_rasterize's spelling: values, repetition, case, creation triggers, errors.
import { describe, expect, it } from 'vitest';
import { parseArgs, parseNumber, UsageError, type CliArgs } from '../../../src/cli/args.js';
import { helpText } from '../../../src/cli/help.js';
import { OPTIONS } from '../../../src/cli/options.js';

function args(...argv: string[]): CliArgs {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
  return r.args;
}

function fails(argv: string[], message: RegExp): void {
  let err: unknown;
  try {
    parseArgs(argv);
  } catch (e) {
    err = e;
  }
  expect(err, argv.join(' ')).toBeInstanceOf(UsageError);
  const msg = (err as Error).message;
  expect(msg).toMatch(message);
  expect(msg).not.toContain('\n');
}

describe('parseNumber (CPLAtof on a whole argument, junk refused)', () => {
  it.each([
    ['1', 1], ['-1', -1], ['+3', 3], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['-2.5E-1', -0.25], ['0x10', 16], ['-0x1F', -31],
    ['inf', Infinity], ['-Infinity', -Infinity], ['INF', Infinity], ['0.1', 0.1], ['4294967294.5', 4294967294.5],
  ])('%s -> %s', (s, v) => expect(parseNumber(s, 'x')).toBe(v));

  it('reads nan in any case', () => {
    expect(parseNumber('nan', 'x')).toBeNaN();
    expect(parseNumber('NaN', 'x')).toBeNaN();
  });

  it.each(['', 'abc', '1,5', '3abc', '1e', '0x', '--1', '1 2', 'e5'])('refuses %j', (s) => {
    expect(() => parseNumber(s, '-burn')).toThrow(UsageError);
  });
});

describe('parseArgs', () => {
  it('parses the common creation command', () => {
    const a = args('-burn', '255', '-ot', 'Byte', '-tr', '0.5', '0.5', '-te', '0', '1', '2', '3', '-tap', '-a_nodata', '0', '-init', '7',
      '-a_srs', 'EPSG:32633', '-at', '-add', '-q', 'in.geojson', 'out.tif');
    expect(a).toMatchObject({
      src: 'in.geojson', dst: 'out.tif', burn: [255], dtype: 'uint8', tr: [0.5, 0.5], te: [0, 1, 2, 3], tap: true,
      nodata: 0, init: [7], srs: 'EPSG:32633', allTouched: true, add: true, quiet: true, createOutput: true,
      invert: false, burnZ: false, backend: 'cpu', json: false,
    });
    expect(a.attribute).toBeUndefined();
  });

  it('an update command has no creation option', () => {
    const a = args('-burn', '1', 'src.geojson', 'dst.tif');
    expect(a.createOutput).toBe(false);
    expect(a.burn).toEqual([1]);
  });

  it.each([
    [['-of', 'GTiff']], [['-a_srs', 'EPSG:4326']], [['-co', 'COMPRESS=LZW']], [['-ot', 'Float32']], [['-te', '0', '0', '1', '1']],
    [['-tr', '1', '1']], [['-ts', '2', '2']], [['-tap']], [['-init', '0']], [['-a_nodata', '0']], [['--template', 't.tif']],
  ])('%j makes it a creation run (with -tr/-ts where GDAL needs them)', (opt) => {
    const extra = opt[0] === '-tr' || opt[0] === '-ts' || opt[0] === '--template' ? [] : opt[0] === '-tap' ? ['-tr', '1', '1'] : ['-ts', '1', '1'];
    expect(args('-burn', '1', ...opt, ...extra, 's', 'd').createOutput).toBe(true);
  });

  it('matches option names case-insensitively, as GDAL EQUAL() does', () => {
    const a = args('-BURN', '2', '-TR', '1', '1', '-OT', 'uint16', '-A_NODATA', '3', 's', 'd');
    expect(a).toMatchObject({ burn: [2], tr: [1, 1], dtype: 'uint16', nodata: 3 });
  });

  it('maps every supported -ot name', () => {
    const map = { Byte: 'uint8', Int16: 'int16', UInt16: 'uint16', Int32: 'int32', UInt32: 'uint32', Float32: 'float32', Float64: 'float64', Int64: 'int64', UInt64: 'uint64', int64: 'int64' };
    for (const [gdal, ours] of Object.entries(map)) expect(args('-burn', '1', '-ot', gdal, '-ts', '1', '1', 's', 'd').dtype).toBe(ours);
  });

  it('collects -burn values like GDAL: following numbers, repeated options, or one quoted list', () => {
    expect(args('-burn', '1', '2', 's', 'd').burn).toEqual([1, 2]);
    expect(args('-burn', '1', '-burn', '-2', 's', 'd').burn).toEqual([1, -2]);
    expect(args('-burn', '1 2 3', 's', 'd').burn).toEqual([1, 2, 3]);
    expect(args('-burn', 'nan', 's', 'd').burn[0]).toBeNaN();
    expect(args('-burn', '-inf', 's', 'd').burn).toEqual([-Infinity]);
  });

  it('lets the last of a repeated single-value option win', () => {
    const a = args('-a', 'x', '-a', 'y', '-tr', '1', '1', '-tr', '2', '3', '-ot', 'Byte', '-ot', 'Int16', 's', 'd');
    expect(a).toMatchObject({ attribute: 'y', tr: [2, 3], dtype: 'int16' });
  });

  it('makes -tr y positive (GDAL takes its absolute value) but keeps a negative x', () => {
    expect(args('-burn', '1', '-tr', '2', '-3', 's', 'd').tr).toEqual([2, 3]);
    expect(args('-burn', '1', '-tr', '-2', '3', 's', 'd').tr).toEqual([-2, 3]);
  });

  it('reads -ts like atoi for decimals (7.9 -> 7), refuses exponents and junk', () => {
    expect(args('-burn', '1', '-ts', '7.9', '3', 's', 'd').ts).toEqual([7, 3]);
    fails(['-burn', '1', '-ts', '1e3', '3', 's', 'd'], /-ts: '1e3' is not an integer/);
    fails(['-burn', '1', '-ts', 'abc', '3', 's', 'd'], /-ts: 'abc' is not an integer/);
    fails(['-burn', '1', '-ts', '0', '3', 's', 'd'], /Wrong value for -ts parameter: '0'/);
    fails(['-burn', '1', '-ts', '-4', '3', 's', 'd'], /Wrong value for -ts parameter: '-4'/);
  });

  it('accepts and ignores --config KEY VALUE, -co, -optim and --debug', () => {
    const a = args('--config', 'GDAL_CACHEMAX', '1', '-burn', '1', '-optim', 'raster', '--debug', 'on', '-ts', '1', '1', '-co', 'TILED=YES', 's', 'd');
    expect(a.config).toEqual([['GDAL_CACHEMAX', '1']]);
    expect(a.creationOptions).toEqual(['TILED=YES']);
  });

  it('parses the rasterburn options, including --name=value', () => {
    const a = args('-burn', '1', '--template', 't.tif', '--backend', 'auto', '--json', 's', 'd.npy');
    expect(a).toMatchObject({ template: 't.tif', backend: 'auto', json: true, createOutput: true, dst: 'd.npy' });
    expect(args('-burn', '1', '--template=t.tif', '--backend=webgpu', 's', 'd')).toMatchObject({ template: 't.tif', backend: 'webgpu' });
    expect(args('-burn', '1', '--threads', '3', 's', 'd').threads).toBe(3);
    expect(args('-burn', '1', '--threads=1', 's', 'd').threads).toBe(1);
    // ALL_CPUS (GDAL's NUM_THREADS spelling) is the default: every core
    expect(args('-burn', '1', '--threads', '2', '--threads', 'all_cpus', 's', 'd').threads).toBeUndefined();
  });

  it('accepts -l (once or repeated with the same name), -3d, -a, -i, -b (any bands, several) when updating', () => {
    expect(args('-3d', '-l', 'roads', '-l', 'ROADS', 's', 'd')).toMatchObject({ burnZ: true, layers: ['roads', 'ROADS'] });
    // several layers (a GeoPackage's) are checked against the source, not here; '-' is standard input
    expect(args('-l', 'a', '-l', 'b', '-burn', '1', '-', 'd')).toMatchObject({ layers: ['a', 'b'], src: '-' });
    expect(args('-a', 'height', '-i', '-b', '1', 's', 'd')).toMatchObject({ attribute: 'height', invert: true, bands: [1] });
    expect(args('-burn', '1', '-burn', '2', '-b', '3', '-b', '1', 's', 'd')).toMatchObject({ burn: [1, 2], bands: [3, 1] });
  });

  it('--verbose is off unless given', () => {
    expect(args('-burn', '1', 's', 'd').verbose).toBe(false);
    expect(args('-burn', '1', '--verbose', 's', 'd').verbose).toBe(true);
    expect(args('-burn', '1', '--VERBOSE', 's', 'd').verbose).toBe(true);
  });

  it('takes --name=value for every long option with one value, and only those', () => {
    expect(args('-burn', '1', '--debug=on', 's', 'd').burn).toEqual([1]);
    fails(['-burn', '1', '--verbose=1', 's', 'd'], /^Unknown option name '--verbose=1'$/);
    fails(['-burn', '1', '--config=A', 'B', 's', 'd'], /^Unknown option name '--config=A'$/);
    fails(['-burn', '1', '--backend=', 's', 'd'], /^--backend needs cpu, webgpu or auto$/);
  });

  it('answers --help and --version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-burn', '1', '--version'])).toEqual({ kind: 'version' });
  });

  describe('errors (one line each, GDAL wording where GDAL has one)', () => {
    it.each<[string[], RegExp]>([
      [['s', 'd'], /^One and only one of -3d, -burn or -a is required\.$/],
      [['-burn', '1', '-a', 'x', 's', 'd'], /One and only one of -3d, -burn or -a is required/],
      [['-burn', '1', '-3d', 's', 'd'], /One and only one of -3d, -burn or -a is required/],
      [['-burn', '1', '-foo', 's', 'd'], /^Unknown option name '-foo'$/],
      [['-burn', '1', 's'], /Missing source or destination/],
      [['-burn', '1', 's', 'd', 'e'], /^Too many command options 'e'$/],
      [['-burn', 'abc', 's', 'd'], /-burn needs a burn value, got 'abc'/],
      [['-burn', '1', '-init', '0', 's', 'd'], /^'-tr xres yres' or '-ts xsize ysize' is required\.$/],
      [['-burn', '1', '-ot', 'Int16', 's', 'd'], /'-tr xres yres' or '-ts xsize ysize' is required/],
      [['-burn', '1', '-te', '0', '0', '1', '1', 's', 'd'], /'-tr xres yres' or '-ts xsize ysize' is required/],
      [['-burn', '1', '-ts', '2', '2', '-tap', 's', 'd'], /^-tap option cannot be used without using -tr\.$/],
      [['-burn', '1', '-tr', '1', '1', '-b', '1', 's', 'd'], /^-b option cannot be used when creating a GDAL dataset\.$/],
      [['-burn', '1', '-tr', '0', '1', 's', 'd'], /Wrong value for -tr parameter/],
      [['-burn', '1', '-tr', 'abc', '1', 's', 'd'], /-tr: 'abc' is not a number/],
      [['-burn', '1', '-tr', 'inf', '1', 's', 'd'], /-tr: 'inf' is not a finite number/],
      [['-burn', '1', '-te', '0', '0', '10', '-tr', '1', '1', 's', 'd'], /-te: '-tr' is not a number/],
      [['-burn', '1', '-te', '0', '0', 'nan', '1', '-ts', '1', '1', 's', 'd'], /-te: 'nan' is not a finite number/],
      [['-burn', '1', '-a_nodata', 'abc', '-ts', '1', '1', 's', 'd'], /-a_nodata: 'abc' is not a number/],
      [['-burn', '1', '-init', 'x', '-ts', '1', '1', 's', 'd'], /-init needs an initial value, got 'x'/],
      [['-burn', '1', '-ot', 'Foo', '-ts', '1', '1', 's', 'd'], /^Unknown output pixel type: Foo$/],
      [['-burn', '1', '-ot', 'Int8', '-ts', '1', '1', 's', 'd'], /^Unknown output pixel type: Int8$/],
      [['-burn', '1', '-ot', 'CInt16', '-ts', '1', '1', 's', 'd'], /-ot CInt16 is not supported/],
      [['-burn', '1', '-ot', 'CFloat32', '-ts', '1', '1', 's', 'd'], /-ot CFloat32 is not supported/],
      [['-burn', '1', '-of', 'PNG', '-ts', '1', '1', 's', 'd'], /-of PNG is not supported/],
      [['-burn', '1', '-where', 's', 'd'], /Missing source or destination/],
      [['-burn', '1', '-oo', 'X=Y', 's', 'd'], /Unknown option name '-oo'/],
      [['-burn', '1', '-optim', 'FOO', 's', 'd'], /Unrecognized value 'FOO' for OPTIM/],
      [['-burn', '1', '--backend', 'gpu', 's', 'd'], /--backend must be cpu, webgpu or auto, got 'gpu'/],
      [['-burn', '1', '--threads', '0', 's', 'd'], /--threads must be a whole number from 1 to 256 or ALL_CPUS, got '0'/],
      [['-burn', '1', '--threads', '1.5', 's', 'd'], /--threads must be a whole number from 1 to 256 or ALL_CPUS, got '1.5'/],
      [['-burn', '1', '--threads', 's', 'd'], /--threads must be a whole number/],
      [['-burn', '1', '--template', 't.tif', '-tr', '1', '1', 's', 'd'], /--template gives the grid; it cannot be combined with -tr/],
      [['-burn', '1', 's', '-tr'], /-tr needs 2 numbers/],
      [['-burn', '1', 's', 'd', '-a'], /-a needs an attribute name/],
      [['-burn', '1', '--json=yes', 's', 'd'], /Unknown option name '--json=yes'/],
      [['-burn', '1', 's', '-'], /Unknown option name '-'/],
    ])('%j', (argv, message) => fails(argv, message));
  });
});

// the option names --help shows: the spellings at the start of each option line
function listedOptions(help: string): string[] {
  const out: string[] = [];
  for (const line of help.split('\n')) {
    const m = /^ {2}[* ] ((?:-{1,2}[a-z0-9_-]+)(?:, -{1,2}[a-z0-9_-]+)*)/.exec(line);
    if (m) out.push(...m[1].split(', '));
  }
  return out;
}

describe('the option table and --help', () => {
  const help = helpText();

  it('lists every spelling of every table entry, once', () => {
    const listed = listedOptions(help);
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed.sort()).toEqual(OPTIONS.flatMap((o) => o.names).sort());
  });

  it('lists only options the parser knows', () => {
    const listed = listedOptions(help);
    expect(listed.length).toBeGreaterThan(30);
    for (const name of listed) {
      let err: unknown;
      try {
        parseArgs([name, 's', 'd']);
      } catch (e) {
        err = e;
      }
      // a known option may still be refused for its values or combination, never as unknown
      if (err) expect((err as Error).message, name).not.toMatch(/Unknown option name/);
    }
  });

  it('names every option that its prose mentions', () => {
    const known = new Set(OPTIONS.flatMap((o) => o.names));
    const mentioned = help.match(/(?<![\w-])-{1,2}[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*/g) ?? [];
    expect(mentioned.filter((m) => !known.has(m))).toEqual([]);
  });

  it("covers gdal_rasterize's spellings and rasterburn's own", () => {
    const listed = new Set(listedOptions(help));
    for (const name of ['-burn', '-a', '-3d', '-at', '-add', '-i', '-init', '-a_nodata', '-ot', '-te', '-tr', '-ts', '-tap', '-a_srs',
      '-l', '-q', '-of', '-co', '-b', '--config', '--template', '--backend', '--threads', '--json', '--verbose', '--help', '--version']) {
      expect(listed.has(name), name).toBe(true);
    }
  });

  it('marks with * exactly the options that make a creation run', () => {
    for (const line of help.split('\n')) {
      const m = /^ {2}([* ]) (-{1,2}[a-z0-9_-]+)/.exec(line);
      if (!m) continue;
      const opt = OPTIONS.find((o) => o.names.includes(m[2]))!;
      expect(m[1] === '*', m[2]).toBe(opt.creates === true);
    }
  });

  it('starts with the usage line and fits 100 columns', () => {
    expect(help).toMatch(/^Usage: rasterburn \{-burn value \| -a attribute_name \| -3d\} \[options\] <src\.geojson> <dst\.tif\|dst\.npy>\n/);
    for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});

describe('the tile queue options', () => {
  it('submit with --redis to a .vrt, creating the output', () => {
    const a = args('--redis', 'redis://h:1', '--tile-size', '1024', '--store', '/s', '--job-id', 'j1', '-burn', '1', '-tr', '1', '1', 'in.geojson', 'out.VRT');
    expect(a).toMatchObject({ redis: 'redis://h:1', tileSize: 1024, store: '/s', jobId: 'j1' });
  });
  it('are refused where they cannot apply', () => {
    fails(['--tile-size', '512', '-burn', '1', '-tr', '1', '1', 'a', 'b.tif'], /^--tile-size only applies with --redis$/);
    fails(['--redis', 'redis://h', '-burn', '1', '-tr', '1', '1', 'a', 'b.tif'], /^--redis writes a VRT over the tiles \(or one COG with -of COG\): name the destination \.vrt/);
    fails(['--redis', 'redis://h', '-burn', '1', '-tr', '1', '1', '-of', 'COG', 'a', 'b.vrt'], /^--redis -of COG writes one GeoTIFF: name the destination \.tif/);
    fails(['--redis', 'redis://h', '-burn', '1', 'a', 'b.vrt'], /^--redis creates the output anew/);
    fails(['--redis', 'redis://h', '--tile-size', '300', '-burn', '1', '-ts', '9', '9', 'a', 'b.vrt'], /^--tile-size must be a multiple of 256, got '300'$/);
  });
});
