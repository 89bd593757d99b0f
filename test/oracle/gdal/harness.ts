// Differential harness: runs the real gdal_rasterize and rasterburn's CLI on identical inputs and
// compares the two output rasters (size, geotransform, SRS, type, nodata, every pixel).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareRasters, makeRasters, num, run, type Comparison, type Proc, type RasterMeta, type RasterSpec } from './oracle.js';

export type { BandMeta, Comparison, GdalType, GT, PixelDiff, RasterMeta, RasterSpec, Structure } from './oracle.js';
export { num } from './oracle.js';
/** One tool run: exit code, output, time. */
export type ProcResult = Proc;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// the bundled bin that `npx rasterburn` runs (cli-e2e.test.ts covers the unbundled modules)
export const CLI = join(ROOT, 'dist/cli/rasterburn.mjs');
export const OUT_DIR = join(ROOT, 'test/out');

export interface Feature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: unknown;
}

export interface DiffCase {
  /** Named after the rule or bug it pins. */
  name: string;
  /** Feature list (written as a FeatureCollection), a whole GeoJSON object, or raw text (malformed input). */
  source: Feature[] | { json: unknown } | { raw: string } | { missing: true };
  /** gdal_rasterize options, without source and destination. */
  args: string[];
  /** options written after the source and destination (GDAL accepts them anywhere) */
  tail?: string[];
  /** Existing destination: a raster made from the spec, or raw bytes (an unreadable "raster"). */
  dst?: RasterSpec | { rawBytes: string };
  /** 'error': bad input, ours must exit 1 with one stderr line and leave the destination as it was. */
  expect?: 'same' | 'error';
  /** For 'error' cases: true when GDAL rejects the input too (checked), false when GDAL accepts it. */
  gdalFails?: boolean;
  /** Do not run gdal at all (e.g. it would try to allocate terabytes). */
  skipGdal?: boolean;
  /** GDAL 3.6.2's band 1 as observed when the case was written, 'row/row/...' digits, checked so a wrong case construction shows. */
  gdalRows?: string;
  /**
   * Update mode: also compare what GDAL keeps of the destination file (dataset metadata incl. AREA_OR_POINT,
   * compression, block layout, band description), beyond the size/gt/SRS/type/nodata/pixels every case compares.
   */
  checkStructure?: boolean;
  /** Observed count of non-zero band-1 pixels, or GDAL band-1 checksum (as GDAL 3.6.2 gave them). */
  gdalNonZero?: number;
  gdalChecksum?: number;
  /**
   * A known, explained divergence: up to `max` differing pixels are accepted (more still fail), e.g. proj4js and
   * PROJ disagreeing by ~1e-9 m on a vertex built exactly on a pixel centre. Everything else must still match.
   */
  tiePixels?: { max: number; why: string };
}


export interface CaseResult {
  c: DiffCase;
  dir: string;
  gdal?: ProcResult;
  ours: ProcResult;
  /** destination state for error cases */
  dstBefore?: string | null;
  dstAfterOurs?: string | null;
  cmp?: Comparison;
  /** problems found; empty = identical */
  problems: string[];
}

/** How "ours" is run; the harness self-test substitutes gdal_rasterize here. */
export interface OursCommand { cmd: string; prefix: string[]; extraArgs?: string[] }

/**
 * The bundled bin; RASTERBURN_DIFF_BACKEND / RASTERBURN_DIFF_THREADS add --backend / --threads.
 * With --backend webgpu it also asks for --json, whose GPU figures gpuTotals() adds up.
 */
export function oursCli(backend = process.env.RASTERBURN_DIFF_BACKEND, threads = process.env.RASTERBURN_DIFF_THREADS): OursCommand {
  return {
    cmd: process.execPath, prefix: [CLI],
    extraArgs: [...(backend ? ['--backend', backend] : []), ...(threads ? ['--threads', threads] : []), ...(backend === 'webgpu' ? ['--json'] : [])],
  };
}

/** What the WebGPU runs of a set of cases reported in their --json lines (oursCli with --backend webgpu). */
export interface GpuTotals {
  runs: number;
  crossings: number;
  exactFallbacks: number;
  /** lines walked on the GPU and burned as CPU spans, ALL_TOUCHED segments walked on the GPU */
  linesOnGpu: number;
  linesOnCpu: number;
  touchSegments: number;
  /** polygons outside the GPU fill's coordinate domain, burned as CPU spans */
  polygonsOnCpu: number;
  /** runs that answered on the CPU (no `gpu` figures in their report) */
  onCpu: number;
}

type GpuFigures = Partial<Record<Exclude<keyof GpuTotals, 'runs' | 'onCpu'>, number>>;

/** The `gpu` record of one successful run's --json line: null when it answered on the CPU, undefined when it printed none. */
export function gpuRecord(r: CaseResult): GpuFigures | null | undefined {
  if (r.ours.rc !== 0) return undefined;
  const line = r.ours.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) return undefined;
  return (JSON.parse(line) as { gpu?: GpuFigures }).gpu ?? null;
}

export function gpuTotals(results: CaseResult[]): GpuTotals {
  const t: GpuTotals = { runs: 0, crossings: 0, exactFallbacks: 0, linesOnGpu: 0, linesOnCpu: 0, touchSegments: 0, polygonsOnCpu: 0, onCpu: 0 };
  for (const r of results) {
    const gpu = gpuRecord(r);
    if (gpu === undefined) continue;
    t.runs++;
    if (!gpu) {
      t.onCpu++;
      continue;
    }
    t.crossings += gpu.crossings ?? 0;
    t.exactFallbacks += gpu.exactFallbacks ?? 0;
    t.linesOnGpu += gpu.linesOnGpu ?? 0;
    t.linesOnCpu += gpu.linesOnCpu ?? 0;
    t.touchSegments += gpu.touchSegments ?? 0;
    t.polygonsOnCpu += gpu.polygonsOnCpu ?? 0;
  }
  return t;
}

/** gpuTotals as one line for a run's log. */
export function describeGpuTotals(g: GpuTotals): string {
  return `webgpu: ${g.runs} successful runs (${g.onCpu} answered on the CPU), ${g.crossings} crossings on the GPU, ${g.exactFallbacks} by the exact path; ` +
    `lines ${g.linesOnGpu} on the GPU, ${g.linesOnCpu} as CPU spans; ${g.touchSegments} all-touched segments on the GPU; ${g.polygonsOnCpu} polygons as CPU spans`;
}

/**
 * The setup limit of a whole corpus run: per case, a start of the CLI and of gdal_rasterize; a
 * WebGPU start (Dawn, a software adapter, shader compilation) costs several times a CPU one, and
 * the shared machine stretches both. Generous, never a way to pass: a case that did not run fails.
 */
export function corpusLimitMs(cases: number, backend = process.env.RASTERBURN_DIFF_BACKEND): number {
  const perCase = backend === 'webgpu' || backend === 'auto' ? 12_000 : 3_000;
  return Math.max(600_000, cases * perCase);
}

export function gdalAsOurs(extraArgs: string[] = []): OursCommand {
  return { cmd: 'gdal_rasterize', prefix: [], extraArgs };
}

/** Runs fn over items with at most `limit` in flight (the machine has 2 cores shared with others). */
export async function pool<T, R>(items: T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function hashFile(p: string): string | null {
  return existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : null;
}

function sourceText(c: DiffCase): string | null {
  const s = c.source;
  if ('missing' in s) return null;
  if ('raw' in s) return s.raw;
  if ('json' in s) return JSON.stringify(s.json);
  return JSON.stringify({ type: 'FeatureCollection', features: s });
}

function isSpec(d: DiffCase['dst']): d is RasterSpec {
  return d !== undefined && !('rawBytes' in d);
}

export interface RunOptions {
  ours?: OursCommand;
  concurrency?: number;
  /** max differing pixels listed per band */
  maxDiffs?: number;
  /** keep the temporary work directory (failing cases are copied out by saveFailuresTo either way) */
  keep?: boolean;
  /** where failing cases are copied for reproduction; none when undefined */
  saveFailuresTo?: string;
  /**
   * Generated cases: when gdal_rasterize rejects a 'same' case, ours must reject it too (exit 1, one stderr
   * line, no file, destination untouched). Off for the corpus, where a GDAL failure means a broken case.
   */
  gdalErrorMeansError?: boolean;
  /**
   * Another source format: called with the case's directory once src.geojson is written there, returns
   * the path (relative to it) that both tools then read instead, e.g. an ogr2ogr conversion, or one
   * path for each (a format gdal_rasterize cannot read, against a copy it can).
   */
  sourceAs?: (dir: string, c: DiffCase) => Promise<string | { gdal: string; ours: string }>;
}

/** Runs every case through both tools and compares; returns one result per case, in order. */
export async function runCases(cases: DiffCase[], opts: RunOptions = {}): Promise<CaseResult[]> {
  const ours = opts.ours ?? oursCli();
  if (ours.prefix[0] === CLI && !existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build it with npx tsc -p tsconfig.json`);
  }
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
  }
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-diff-'));
  try {
    const dirs = cases.map((_, i) => join(work, String(i)));
    dirs.forEach((d) => mkdirSync(d));

    // all existing destinations in one python start
    const specs = cases.flatMap((c, i) => (isSpec(c.dst) ? [{ path: join(dirs[i], 'template.tif'), ...c.dst }] : []));
    if (specs.length) makeRasters(specs);

    const results = await pool(cases, opts.concurrency ?? 2, async (c, i) => {
      const dir = dirs[i];
      const text = sourceText(c);
      if (text !== null) writeFileSync(join(dir, 'src.geojson'), text);
      const given = opts.sourceAs ? await opts.sourceAs(dir, c) : 'src.geojson';
      const src = typeof given === 'string' ? { gdal: given, ours: given } : given;
      if (c.dst && 'rawBytes' in c.dst) writeFileSync(join(dir, 'template.tif'), c.dst.rawBytes);
      const hasDst = c.dst !== undefined;
      if (hasDst) {
        copyFileSync(join(dir, 'template.tif'), join(dir, 'gdal.tif'));
        copyFileSync(join(dir, 'template.tif'), join(dir, 'ours.tif'));
      }
      const r: CaseResult = { c, dir, ours: undefined as unknown as ProcResult, problems: [] };
      const tail = c.tail ?? [];
      if (!c.skipGdal) r.gdal = await run('gdal_rasterize', [...c.args, src.gdal, 'gdal.tif', ...tail], { cwd: dir });
      r.dstBefore = hasDst ? hashFile(join(dir, 'template.tif')) : null;
      r.ours = await run(ours.cmd, [...ours.prefix, ...(ours.extraArgs ?? []), ...c.args, src.ours, 'ours.tif', ...tail], { cwd: dir });
      r.dstAfterOurs = hashFile(join(dir, 'ours.tif'));
      return r;
    });

    // all comparisons in one python start
    const pairs: { a: string; b?: string; maxDiffs: number; wantArray: number }[] = [];
    const pairOf: number[] = [];
    results.forEach((r, i) => {
      if ((r.c.expect ?? 'same') !== 'same') return;
      pairOf[i] = pairs.length;
      pairs.push({ a: join(r.dir, 'gdal.tif'), b: join(r.dir, 'ours.tif'), maxDiffs: opts.maxDiffs ?? 5, wantArray: 4096 });
    });
    const cmps = pairs.length ? compareRasters(pairs) : [];
    results.forEach((r, i) => {
      if (pairOf[i] !== undefined) r.cmp = cmps[pairOf[i]];
      r.problems = judge(r, opts.gdalErrorMeansError ?? false);
    });

    if (opts.saveFailuresTo) {
      for (const r of results) if (r.problems.length) saveCase(r, opts.saveFailuresTo);
    }
    return results;
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n').filter((l) => l.trim())[0] ?? '';
}

function lastLines(s: string, n = 3): string {
  return s.trim().split('\n').filter((l) => l.trim()).slice(-n).join(' | ');
}

/** Lists everything that differs between GDAL and ours for one case. */
function judge(r: CaseResult, gdalErrorMeansError: boolean): string[] {
  const p: string[] = [];
  const c = r.c;
  const gdalRejected = gdalErrorMeansError && r.gdal !== undefined && r.gdal.rc !== 0;
  if ((c.expect ?? 'same') === 'error' || gdalRejected) {
    if (c.gdalFails === true && r.gdal && r.gdal.rc === 0) p.push(`gdal_rasterize accepted this input (rc 0), the case is not bad input for GDAL`);
    if (c.gdalFails === false && r.gdal && r.gdal.rc !== 0) p.push(`gdal_rasterize rejected this input: ${firstLine(r.gdal.stderr)}`);
    if (r.ours.rc !== 1) p.push(`ours exited ${r.ours.rc}, want 1 (stderr: ${lastLines(r.ours.stderr) || 'empty'})`);
    const lines = r.ours.stderr.split('\n').filter((l) => l.length > 0);
    if (lines.length !== 1) p.push(`ours wrote ${lines.length} stderr lines, want exactly 1: ${JSON.stringify(r.ours.stderr.slice(0, 400))}`);
    if (r.dstBefore === null && r.dstAfterOurs !== null) p.push(`ours created ${join(r.dir, 'ours.tif')} although it failed`);
    if (r.dstBefore !== null && r.dstAfterOurs !== r.dstBefore) p.push(`ours changed the existing destination (sha256 ${r.dstBefore?.slice(0, 12)} -> ${r.dstAfterOurs?.slice(0, 12) ?? 'deleted'})`);
    if (gdalRejected && p.length) p.unshift(`gdal_rasterize rejected this case: ${lastLines(r.gdal!.stderr, 2)}`);
    return p;
  }
  const g = r.gdal;
  if (!g) return ['case expects identical output but gdal was skipped'];
  if (g.rc !== 0) p.push(`gdal_rasterize failed (rc ${g.rc}): ${lastLines(g.stderr)}`);
  if (r.ours.rc !== 0) p.push(`ours failed (rc ${r.ours.rc}): ${lastLines(r.ours.stderr) || 'no stderr'}`);
  const cmp = r.cmp;
  if (!cmp) return p;
  const a = cmp.a;
  const b = cmp.b;
  if (!a || 'error' in a) {
    if (g.rc === 0) p.push(`cannot read GDAL's output: ${a && 'error' in a ? a.error : '?'}`);
    return p;
  }
  // GDAL's own output against the documented 3.6.2 observation: guards the case construction
  if (c.gdalRows !== undefined && cmp.aArray) {
    const got = rowsString(cmp.aArray);
    if (got !== c.gdalRows) p.push(`GDAL gave ${got}, the case records ${c.gdalRows} (case built wrong?)`);
  }
  if (c.gdalNonZero !== undefined) {
    if (!cmp.aArray) p.push('raster too large to count non-zero pixels');
    else {
      const nz = cmp.aArray.flat().filter((v) => num(v) !== 0).length;
      if (nz !== c.gdalNonZero) p.push(`GDAL burned ${nz} non-zero pixels, the case records ${c.gdalNonZero} (case built wrong?)`);
    }
  }
  if (c.gdalChecksum !== undefined && a.bands[0].checksum !== c.gdalChecksum) {
    p.push(`GDAL band-1 checksum ${a.bands[0].checksum}, the case records ${c.gdalChecksum} (case built wrong?)`);
  }
  if (!b || 'error' in b) {
    if (r.ours.rc === 0) p.push(`cannot read our output: ${b && 'error' in b ? b.error : 'missing'}`);
    return p;
  }
  if (!cmp.sizeSame) p.push(`size: gdal ${a.width}x${a.height}x${a.bands.length}, ours ${b.width}x${b.height}x${b.bands.length}`);
  if (!cmp.gtSame) p.push(`geotransform: gdal ${fmtGt(a.gt)}, ours ${fmtGt(b.gt)}`);
  if (!cmp.srsSame) p.push(`srs: gdal ${a.srs ?? 'none'}, ours ${b.srs ?? 'none'} (osr IsSame false)`);
  if (!cmp.typeSame) p.push(`data type: gdal ${a.bands.map((x) => x.type).join(',')}, ours ${b.bands.map((x) => x.type).join(',')}`);
  const nd = (m: RasterMeta) => m.bands.map((x) => x.nodata ?? 'none').join(',');
  if (!cmp.nodataSame) p.push(`nodata: gdal ${nd(a)}, ours ${nd(b)}`);
  if (c.checkStructure) {
    const sa = a.structure;
    const sb = b.structure;
    const j = (v: unknown) => JSON.stringify(v);
    if (j(sa.metadata) !== j(sb.metadata)) p.push(`dataset metadata: gdal ${j(sa.metadata)}, ours ${j(sb.metadata)}`);
    if (sa.compression !== sb.compression) p.push(`compression: gdal ${sa.compression ?? 'none'}, ours ${sb.compression ?? 'none'}`);
    if ((sa.predictor ?? null) !== (sb.predictor ?? null)) p.push(`predictor: gdal ${sa.predictor ?? 'none'}, ours ${sb.predictor ?? 'none'}`);
    if (j(sa.block) !== j(sb.block)) p.push(`block size: gdal ${j(sa.block)}, ours ${j(sb.block)}`);
    if (sa.description !== sb.description) p.push(`band description: gdal ${j(sa.description)}, ours ${j(sb.description)}`);
  }
  const diffs = cmp.pixelDiffs ?? [];
  const differing = diffs.reduce((n, d) => n + d.count, 0);
  if (c.tiePixels && differing <= c.tiePixels.max) return p;
  for (const d of diffs) {
    const first = d.first.map(([row, col, gv, ov]) => `(row ${row}, col ${col}) gdal ${gv} ours ${ov}`).join('; ');
    p.push(`band ${d.band}: ${d.count} of ${a.width * a.height} pixels differ: ${first}${d.count > d.first.length ? '; ...' : ''}`);
  }
  return p;
}

function fmtGt(gt: (number | string)[] | null): string {
  return gt ? `(${gt.join(', ')})` : 'none';
}

/** Band 1 as 'row/row/...' (digits when every value is a single digit, else space-separated). */
export function rowsString(rows: (number | string)[][]): string {
  const digits = rows.every((r) => r.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9));
  return rows.map((r) => r.join(digits ? '' : ' ')).join('/');
}

/** Command line that reproduces one case by hand. */
export function reproLine(c: DiffCase, tool = 'gdal_rasterize'): string {
  return `${tool} ${c.args.map(shellQuote).join(' ')} src.geojson out.tif${c.tail ? ' ' + c.tail.map(shellQuote).join(' ') : ''}`;
}

function shellQuote(s: string): string {
  return /^[\w.,:+\-=/]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Copies a failing case (source, destination template, both outputs, a README) for reproduction. */
export function saveCase(r: CaseResult, root: string): string {
  const dir = join(root, r.c.name.replace(/[^\w.-]+/g, '_'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ['src.geojson', 'template.tif', 'gdal.tif', 'ours.tif']) {
    if (existsSync(join(r.dir, f))) copyFileSync(join(r.dir, f), join(dir, f));
  }
  const text = [
    `case: ${r.c.name}`,
    `gdal: ${reproLine(r.c)}${r.c.dst ? '   (out.tif = a copy of template.tif)' : ''}`,
    `ours: ${reproLine(r.c, 'node dist/cli/rasterburn.mjs')}`,
    `gdal rc ${r.gdal?.rc ?? 'not run'}, stderr: ${r.gdal?.stderr.trim() ?? ''}`,
    `ours rc ${r.ours.rc}, stderr: ${r.ours.stderr.trim()}`,
    'problems:',
    ...r.problems.map((x) => `  - ${x}`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'README.txt'), text);
  return dir;
}

/** One readable paragraph per failing case. */
export function report(results: CaseResult[]): string {
  return results
    .filter((r) => r.problems.length)
    .map((r) => [`${r.c.name}  [${r.c.args.join(' ')}]`, ...r.problems.map((x) => `  - ${x}`)].join('\n'))
    .join('\n');
}

/** GeoJSON geometry from WKT (2-D or Z), so cases can be written as GDAL's own tests state them. */
export function wkt(text: string): unknown {
  const toks = text.replace(/([(),])/g, ' $1 ').trim().split(/\s+/);
  let i = 0;
  const peek = () => toks[i];
  const take = (want?: string) => {
    const t = toks[i++];
    if (want !== undefined && t.toUpperCase() !== want) throw new Error(`WKT: expected ${want} at token ${i - 1} of ${JSON.stringify(text)}, got ${t}`);
    return t;
  };
  const point = (): number[] => {
    const p: number[] = [];
    while (peek() !== ',' && peek() !== ')') p.push(Number(take()));
    if (p.length < 2 || p.some((v) => Number.isNaN(v))) throw new Error(`WKT: bad coordinate in ${JSON.stringify(text)}`);
    return p;
  };
  const list = <T>(item: () => T): T[] => {
    if (peek()?.toUpperCase() === 'EMPTY') {
      take();
      return [];
    }
    take('(');
    const out = [item()];
    while (peek() === ',') {
      take();
      out.push(item());
    }
    take(')');
    return out;
  };
  // MULTIPOINT accepts both (0 0, 1 1) and ((0 0), (1 1))
  const mpoint = (): number[] => {
    if (peek() === '(') {
      take();
      const p = point();
      take(')');
      return p;
    }
    return point();
  };
  const geom = (): unknown => {
    let type = take().toUpperCase();
    if (peek()?.toUpperCase() === 'Z') take();
    for (const t of ['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION']) {
      if (type === t + 'Z') type = t;
    }
    switch (type) {
      case 'POINT': {
        const c = list(point);
        return { type: 'Point', coordinates: c[0] ?? [] };
      }
      case 'LINESTRING': return { type: 'LineString', coordinates: list(point) };
      case 'POLYGON': return { type: 'Polygon', coordinates: list(() => list(point)) };
      case 'MULTIPOINT': return { type: 'MultiPoint', coordinates: list(mpoint) };
      case 'MULTILINESTRING': return { type: 'MultiLineString', coordinates: list(() => list(point)) };
      case 'MULTIPOLYGON': return { type: 'MultiPolygon', coordinates: list(() => list(() => list(point))) };
      case 'GEOMETRYCOLLECTION': return { type: 'GeometryCollection', geometries: list(geom) };
      default: throw new Error(`WKT: unknown geometry type ${type} in ${JSON.stringify(text)}`);
    }
  };
  const g = geom();
  if (i !== toks.length) throw new Error(`WKT: trailing text in ${JSON.stringify(text)}`);
  return g;
}

/** A Feature from WKT (or a GeoJSON geometry object) with properties. */
export function feature(g: string | unknown, properties: Record<string, unknown> | null = {}): Feature {
  return { type: 'Feature', properties, geometry: typeof g === 'string' ? wkt(g) : g };
}
