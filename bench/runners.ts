// Benchmark runners: each is one whole process, "GeoJSON file in, array out", built from a
// workload's gdal_rasterize command line. A runner either writes a file (checked after its warm-up
// run) or keeps the array in memory and dumps it as .npy only on its untimed warm-up run.
// The runners inside headless Chromium are not processes of their own: bench/browser/suite.ts
// drives them in one page per workload; BROWSER_RUNNERS below only names and describes them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { rasterizeArgs, type PreparedWorkload, type Workload } from './workloads.js';

export interface RunSpec {
  cmd: string;
  args: string[];
  /** extra environment for the process */
  env?: Record<string, string>;
  /** the file the pixel check reads after this run, if any */
  output?: string;
}

export interface Runner {
  id: string;
  /** what it is, for the report */
  description: string;
  /** the reference every output is compared with; always run, even when not listed in RUNNERS */
  reference?: 'single' | 'jobs';
  /** which workload kinds it runs */
  kinds: ('single' | 'jobs')[];
  /**
   * what its output is checked against: 'reference' (gdal_rasterize, or GDAL's MEM loop for W5) or
   * 'cpu' (the CPU engine's output, itself checked against the reference): the GPU runners
   */
  checkAgainst?: 'reference' | 'cpu';
  /** a software or GPU adapter: its adapter description is recorded from the phase output */
  gpu?: boolean;
  /** builds the command; `check` asks for the output the pixel check reads */
  command(w: Workload, p: PreparedWorkload, outDir: string, check: boolean): RunSpec;
  /** names of the inner phase times the process prints as a JSON line on stdout */
  phases?: string[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
// dist/bench/ at run time; the Python helpers are not compiled and stay in bench/
const repoRoot = join(here, '..', '..');
// the `rasterburn` bin users run (scripts/build-cli.mjs bundles it into one file); the tsc output of
// src/cli/main.ts when that bundle has not been built
const CLI_BUNDLE = join(repoRoot, 'dist', 'cli', 'rasterburn.mjs');
export const CLI = existsSync(CLI_BUNDLE) ? CLI_BUNDLE : join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const LIB_RUNNER = join(here, 'lib-runner.js');
const GDAL_MEM = join(repoRoot, 'bench', 'gdal_mem.py');
const RASTERIO = join(repoRoot, 'bench', 'rasterio_run.py');
export const COMPARE = join(repoRoot, 'bench', 'compare.py');
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
/** Debian's chromium ships SwiftShader's Vulkan driver: Dawn's adapter on a machine without a GPU */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// Dawn finds real Vulkan drivers by itself and falls back to SwiftShader (src/gpu/dawn.ts);
// BENCH_VK_ICD picks an ICD explicitly (empty: leave the loader's own choice)
const dawnEnv = (): Record<string, string> => {
  const icd = process.env.BENCH_VK_ICD;
  return icd ? { VK_ICD_FILENAMES: icd } : {};
};

const cli = (ext: 'npy' | 'tif', id: string): Runner => ({
  id,
  kinds: ['single'],
  description: `rasterburn CLI (${relative(repoRoot, CLI)}, CPU backend, the default), same arguments as gdal_rasterize, writes .${ext}`,
  command: (w, p, outDir) => {
    const output = join(outDir, `${w.id}-${id}.${ext}`);
    return { cmd: process.execPath, args: [CLI, ...rasterizeArgs(w), p.path, output], output };
  },
});

const lib = (id: string, backend: 'cpu' | 'webgpu', mode: 'loop' | 'batch' | 'threads', kinds: ('single' | 'jobs')[], description: string): Runner => ({
  id, kinds, description,
  checkAgainst: backend === 'webgpu' ? 'cpu' : 'reference',
  gpu: backend === 'webgpu',
  phases: ['startup', 'read', 'parse', 'rasterize', 'loop'],
  command: (w, p, outDir, check) => {
    const output = check ? join(outDir, `${w.id}-${id}.npy`) : undefined;
    return {
      cmd: process.execPath, args: [LIB_RUNNER, JSON.stringify(libSpec(w, p, { dump: output, backend, mode }))], output,
      env: backend === 'webgpu' ? dawnEnv() : undefined,
    };
  },
});

export const RUNNERS: Runner[] = [
  {
    id: 'gdal_rasterize',
    kinds: ['single'],
    description: 'gdal_rasterize, writes an uncompressed GTiff',
    reference: 'single',
    command: (w, p, outDir) => {
      const output = join(outDir, `${w.id}-gdal_rasterize.tif`);
      return { cmd: 'gdal_rasterize', args: [...rasterizeArgs(w), p.referencePath ?? p.path, output], output };
    },
  },
  {
    id: 'gdal-mem-python',
    kinds: ['single', 'jobs'],
    reference: 'jobs',
    description: 'python3: ogr.Open, MEM dataset, gdal.RasterizeLayer, ReadAsArray (one process; W5: all jobs opened, then one loop of create + rasterize + read)',
    phases: ['import', 'open', 'create', 'rasterize', 'read', 'loop'],
    command: (w, p, outDir, check) => {
      const output = check ? join(outDir, `${w.id}-gdal-mem-python.npy`) : undefined;
      const spec = {
        src: p.path, width: w.width, height: w.height, te: w.te, tr: w.tr, type: w.gdalType, config: w.config, kind: w.kind,
        allTouched: !!w.allTouched, ...(w.attribute !== undefined ? { attribute: w.attribute } : { burn: w.burn ?? 1 }),
        ...(output ? { dump: output } : {}),
      };
      return { cmd: PYTHON, args: [GDAL_MEM, JSON.stringify(spec)], output };
    },
  },
  cli('npy', 'rasterburn-cli-npy'),
  cli('tif', 'rasterburn-cli-tif'),
  lib('rasterburn-lib', 'cpu', 'loop', ['single', 'jobs'], 'node: readFileSync, JSON.parse, rasterize() (CPU), array in memory; W5: a loop of rasterize() calls'),
  lib('rasterburn-lib-threads', 'cpu', 'threads', ['single'], 'node: readFileSync, JSON.parse, rasterizeThreaded() from rasterburn/node (CPU, every core), array in memory'),
  lib('rasterburn-batch', 'cpu', 'batch', ['jobs'], 'node: createRasterizer({ backend: "cpu" }).rasterizeBatch(all jobs)'),
  lib('rasterburn-lib-webgpu', 'webgpu', 'loop', ['single', 'jobs'], 'node: rasterize({ backend: "webgpu" }) through Dawn (the `webgpu` package); W5: a loop of rasterize() calls'),
  lib('rasterburn-batch-webgpu', 'webgpu', 'batch', ['jobs'], 'node: createRasterizer({ backend: "webgpu" }).rasterizeBatch(all jobs) through Dawn'),
  {
    id: 'rasterio',
    kinds: ['single', 'jobs'],
    description: 'python3: json.load, rasterio.features.rasterize((geometry, value) pairs) (one process; W5: one call per job)',
    phases: ['import', 'parse', 'rasterize', 'loop'],
    command: (w, p, outDir, check) => {
      const output = check ? join(outDir, `${w.id}-rasterio.npy`) : undefined;
      const spec = {
        src: p.path, width: w.width, height: w.height, te: w.te, tr: w.tr, dtype: w.dtype, kind: w.kind,
        allTouched: !!w.allTouched, ...(w.attribute !== undefined ? { attribute: w.attribute } : { burn: w.burn ?? 1 }),
        ...(output ? { dump: output } : {}),
      };
      return { cmd: PYTHON, args: [RASTERIO, JSON.stringify(spec)], output };
    },
  },
];

export interface BrowserRunner {
  id: string;
  kinds: ('single' | 'jobs')[];
  description: string;
  gpu?: boolean;
}

/** Runners inside one headless Chromium page (bench/browser/suite.ts), timed in the page. */
export const BROWSER_RUNNERS: BrowserRunner[] = [
  { id: 'chromium-cpu', kinds: ['single'], description: 'headless Chromium: JSON.parse of the fetched text + rasterize() on the CPU, timed in the page' },
  { id: 'chromium-webgpu', kinds: ['single'], gpu: true, description: 'headless Chromium: JSON.parse + rasterize({ backend: "webgpu" }) (navigator.gpu), timed in the page' },
  { id: 'chromium-gdal3js', kinds: ['single'], description: 'headless Chromium: gdal3.js (GDAL in WebAssembly): Gdal.open(File) + gdal_rasterize -of ENVI + getFileBytes, timed in the page' },
  { id: 'chromium-cpu-loop', kinds: ['jobs'], description: 'headless Chromium: a loop of rasterize() calls (CPU) over the parsed jobs' },
  { id: 'chromium-cpu-batch', kinds: ['jobs'], description: 'headless Chromium: createRasterizer({ backend: "cpu" }).rasterizeBatch(jobs)' },
  { id: 'chromium-webgpu-loop', kinds: ['jobs'], gpu: true, description: 'headless Chromium: a loop of rasterize({ backend: "webgpu" }) calls' },
  { id: 'chromium-webgpu-batch', kinds: ['jobs'], gpu: true, description: 'headless Chromium: createRasterizer({ backend: "webgpu" }).rasterizeBatch(jobs)' },
  { id: 'chromium-gdal3js-loop', kinds: ['jobs'], description: 'headless Chromium: gdal3.js per job: Gdal.open(File of the job) + gdal_rasterize -of ENVI + getFileBytes' },
];

export function libSpec(w: Workload, p: PreparedWorkload, extra: { dump?: string; split?: boolean; backend?: 'cpu' | 'webgpu'; mode?: 'loop' | 'batch' | 'threads' }): Record<string, unknown> {
  return {
    src: p.path, width: w.width, height: w.height, te: w.te, tr: w.tr, dtype: w.dtype, crs: w.crs, kind: w.kind,
    allTouched: !!w.allTouched, ...(w.attribute !== undefined ? { attribute: w.attribute } : { burn: w.burn ?? 1 }),
    ...(extra.dump ? { dump: extra.dump } : {}), ...(extra.split ? { split: true } : {}),
    ...(extra.backend ? { backend: extra.backend } : {}), ...(extra.mode ? { mode: extra.mode } : {}),
  };
}

export { LIB_RUNNER };
