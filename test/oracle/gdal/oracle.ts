// The tests' one way to GDAL 3.6.2: python3 with osgeo (inline programs for what only one test asks,
// readraster.py for making, reading and comparing rasters) and the gdal_rasterize binary.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const READRASTER = join(dirname(fileURLToPath(import.meta.url)), 'readraster.py');

/** GDAL without side files or debug chatter, and with C number formatting (readraster.py and run()). */
export const GDAL_ENV: NodeJS.ProcessEnv = { ...process.env, GDAL_PAM_ENABLED: 'NO', CPL_DEBUG: 'OFF', LC_ALL: 'C' };

export interface Proc { rc: number | null; stdout: string; stderr: string; ms: number }

/** NaN and infinities as the strings readraster.py (and enc() in the inline programs) use. */
export function jsonNumber(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return v;
}

/** The inverse of jsonNumber. */
export function num(v: number | string | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);
}

const stdinOf = (input: unknown): string => (input === undefined ? '' : typeof input === 'string' ? input : JSON.stringify(input, jsonNumber));

/**
 * Runs a python program (osgeo importable) with `input` on stdin (JSON unless a string) and `args` as
 * sys.argv[1:]; returns stdout. A failing program throws with its stderr.
 */
export function python(program: string, input?: unknown, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', program, ...args], { input: stdinOf(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed (rc ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** python(), with stdout parsed as JSON. */
export function pythonJson<T = any>(program: string, input?: unknown, args: string[] = []): T {
  return JSON.parse(python(program, input, args)) as T;
}

/** Runs a command without blocking the test worker; never rejects (a spawn error comes back as rc -1). */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Proc> {
  return new Promise((done) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? GDAL_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    p.on('error', (e) => {
      clearTimeout(timer);
      done({ rc: -1, stdout, stderr: stderr + String(e), ms: performance.now() - t0 });
    });
    p.on('close', (rc) => {
      clearTimeout(timer);
      done({ rc, stdout, stderr, ms: performance.now() - t0 });
    });
    // a command that fails at once may exit before reading its stdin: EPIPE there is no failure
    p.stdin.on('error', () => {});
    p.stdin.end(opts.input ?? '');
  });
}

/** python() without blocking the test worker. */
export async function pythonAsync<T = any>(program: string, input?: unknown, args: string[] = []): Promise<T> {
  const r = await run(PYTHON, ['-c', program, ...args], { input: stdinOf(input) });
  if (r.rc !== 0) throw new Error(`python failed (rc ${r.rc}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs the gdal_rasterize binary; throws with its stderr when it fails. */
export function gdalRasterize(args: string[], cwd?: string): void {
  execFileSync('gdal_rasterize', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs the gdal_rasterize binary without blocking; the caller judges rc and stderr. */
export function gdalRasterizeAsync(args: string[], cwd?: string): Promise<Proc> {
  return run('gdal_rasterize', args, { cwd });
}

function readraster<T>(cmd: 'make' | 'compare' | 'read', payload: unknown): T {
  const r = spawnSync(PYTHON, [READRASTER, cmd, '-'], { input: JSON.stringify(payload, jsonNumber), encoding: 'utf8', maxBuffer: 1 << 28, env: GDAL_ENV });
  if (r.status !== 0) throw new Error(`readraster.py ${cmd} failed (rc ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as T;
}

export type GdalType = 'Byte' | 'Int16' | 'UInt16' | 'Int32' | 'UInt32' | 'Float32' | 'Float64' | 'Int64' | 'UInt64';
export type GT = [number, number, number, number, number, number];

/** A GeoTIFF for GDAL to create (readraster.py make). */
export interface RasterSpec {
  width: number;
  height: number;
  /** null: no geotransform at all (GDAL then uses pixel = world, y down). */
  gt: GT | null;
  srs?: string;
  type?: GdalType;
  /** 'ramp': distinct values, so kept pixels are visibly kept. */
  fill?: number | 'ramp';
  nodata?: number;
  bands?: number;
  /** GTiff creation options, e.g. TILED=YES, COMPRESS=DEFLATE, ENDIANNESS=BIG */
  co?: string[];
  /** written with AREA_OR_POINT=Point (GeoTIFF PixelIsPoint); GDAL reads back the same geotransform */
  pixelIsPoint?: boolean;
  /** dataset metadata items and band-1 description written into the file */
  metadata?: Record<string, string>;
  description?: string;
}

/** Creates the rasters with GDAL, all in one python start. */
export function makeRasters(specs: Array<RasterSpec & { path: string }>): void {
  readraster('make', specs);
}

export interface BandMeta { type: string; nodata: number | string | null; checksum: number }
export interface Structure { metadata: Record<string, string>; compression: string | null; predictor?: string | null; block: [number, number] | null; description: string | null }
/** What GDAL reads from a raster; numbers GDAL may give as NaN/inf come as 'nan'/'inf'/'-inf' (see num). */
export interface RasterMeta { width: number; height: number; bands: BandMeta[]; gt: (number | string)[] | null; srs: string | null; structure: Structure }
export interface PixelDiff { band: number; count: number; first: [number, number, number | string, number | string][] }

/** GDAL's reading of each raster, all in one python start; with pixels: true, band 1 row by row too. */
export function readRasters(paths: string[], opts: { pixels?: boolean } = {}): Array<RasterMeta & { pixels?: (number | string)[][] }> {
  const out = readraster<Array<RasterMeta & { pixels?: (number | string)[][] } | { error: string }>>('read', paths.map((path) => ({ path, pixels: opts.pixels ?? false })));
  return out.map((r, i) => {
    if ('error' in r) throw new Error(`GDAL cannot read ${paths[i]}: ${r.error}`);
    return r;
  });
}

/** The comparison of raster a with b (readraster.py compare). */
export interface Comparison {
  a?: RasterMeta | { error: string };
  b?: RasterMeta | { error: string };
  /** band 1 of a, when it has at most wantArray pixels */
  aArray?: (number | string)[][];
  sizeSame?: boolean;
  gtSame?: boolean;
  srsSame?: boolean;
  typeSame?: boolean;
  nodataSame?: boolean;
  pixelDiffs?: PixelDiff[];
}

/** Compares raster pairs (size, geotransform, SRS, types, nodata, every pixel), all in one python start. */
export function compareRasters(pairs: Array<{ a: string; b?: string; maxDiffs?: number; wantArray?: number }>): Comparison[] {
  return readraster('compare', pairs);
}
