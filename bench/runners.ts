// Benchmark runners: each is one whole process, "GeoJSON file in, array out", built from a
// workload's gdal_rasterize command line. A runner either writes a file (checked after its warm-up
// run) or keeps the array in memory and dumps it as .npy only on its untimed warm-up run.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rasterizeArgs, type PreparedWorkload, type Workload } from './workloads.js';

export interface RunSpec {
  cmd: string;
  args: string[];
  /** the file the pixel check reads after this run, if any */
  output?: string;
}

export interface Runner {
  id: string;
  /** what it is, for the report */
  description: string;
  /** the reference every output is compared with; always run, even when not listed in RUNNERS */
  reference?: boolean;
  /** builds the command; `check` asks for the output the pixel check reads */
  command(w: Workload, p: PreparedWorkload, outDir: string, check: boolean): RunSpec;
  /** names of the inner phase times the process prints as a JSON line on stdout */
  phases?: string[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
// dist/bench/ at run time; the Python helpers are not compiled and stay in bench/
const repoRoot = join(here, '..', '..');
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const LIB_RUNNER = join(here, 'lib-runner.js');
const GDAL_MEM = join(repoRoot, 'bench', 'gdal_mem.py');
export const COMPARE = join(repoRoot, 'bench', 'compare.py');
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const cli = (ext: 'npy' | 'tif', id: string): Runner => ({
  id,
  description: `rasterburn CLI (CPU backend, the default), same arguments as gdal_rasterize, writes .${ext}`,
  command: (w, p, outDir) => {
    const output = join(outDir, `${w.id}-${id}.${ext}`);
    return { cmd: process.execPath, args: [CLI, ...rasterizeArgs(w), p.path, output], output };
  },
});

export const RUNNERS: Runner[] = [
  {
    id: 'gdal_rasterize',
    description: 'gdal_rasterize, writes an uncompressed GTiff',
    reference: true,
    command: (w, p, outDir) => {
      const output = join(outDir, `${w.id}-gdal_rasterize.tif`);
      return { cmd: 'gdal_rasterize', args: [...rasterizeArgs(w), p.path, output], output };
    },
  },
  cli('npy', 'rasterburn-cli-npy'),
  cli('tif', 'rasterburn-cli-tif'),
  {
    id: 'gdal-mem-python',
    description: 'python3: ogr.Open, MEM dataset, gdal.RasterizeLayer, ReadAsArray (one process)',
    phases: ['import', 'open', 'create', 'rasterize', 'read'],
    command: (w, p, outDir, check) => {
      const output = check ? join(outDir, `${w.id}-gdal-mem-python.npy`) : undefined;
      const spec = {
        src: p.path, width: w.width, height: w.height, te: w.te, type: w.gdalType, config: w.config,
        allTouched: !!w.allTouched, ...(w.attribute !== undefined ? { attribute: w.attribute } : { burn: w.burn ?? 1 }),
        ...(output ? { dump: output } : {}),
      };
      return { cmd: PYTHON, args: [GDAL_MEM, JSON.stringify(spec)], output };
    },
  },
  {
    id: 'rasterburn-lib',
    description: 'node: readFileSync, JSON.parse, rasterize() (CPU), array in memory',
    phases: ['startup', 'read', 'parse', 'rasterize'],
    command: (w, p, outDir, check) => {
      const output = check ? join(outDir, `${w.id}-rasterburn-lib.npy`) : undefined;
      return { cmd: process.execPath, args: [LIB_RUNNER, JSON.stringify(libSpec(w, p, { dump: output }))], output };
    },
  },
];

export function libSpec(w: Workload, p: PreparedWorkload, extra: { dump?: string; split?: boolean }): Record<string, unknown> {
  return {
    src: p.path, width: w.width, height: w.height, te: w.te, dtype: w.dtype, crs: w.crs,
    allTouched: !!w.allTouched, ...(w.attribute !== undefined ? { attribute: w.attribute } : { burn: w.burn ?? 1 }),
    ...(extra.dump ? { dump: extra.dump } : {}), ...(extra.split ? { split: true } : {}),
  };
}

export { LIB_RUNNER };
