// The package as a user gets it: `npm pack`, installed from the tarball into a fresh project outside
// the repository (with the newest TypeScript from the registry), then a strict TypeScript program over
// the whole public API (test/built/package/) type-checked without skipLibCheck (the newest TypeScript
// with DOM types; the repository's TypeScript with @webgpu/types), run in Node, bundled by esbuild
// for browsers and run in headless Chromium; the README's examples run there as written; and a
// bundle of rasterize + gridFromBounds stays small, with proj4 and the EPSG table in chunks of their own.
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../browser/chromium.js';
import { ROOT, startStaticServer } from '../browser/server.js';
import { copySample, readmeExamples, runBrowserExample, runNodeExample, sha256 } from './readme-examples.js';

const work = mkdtempSync(join(tmpdir(), 'rasterburn-package-'));
const proj = join(work, 'project');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let tarball = '';
// long commands run without blocking the test worker (its reports to vitest must get through)
const execFile = promisify(execFileCb);
let packed: { size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string; size: number }> };

beforeAll(async () => {
  // dist/ is built before test/built runs; --ignore-scripts keeps pack from rebuilding it under other tests
  const { stdout: out } = await execFile(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  packed = JSON.parse(out.slice(out.indexOf('[')))[0];
  tarball = join(work, (packed as unknown as { filename: string }).filename);
  mkdirSync(proj);
  writeFileSync(join(proj, 'package.json'), `${JSON.stringify({ name: 'rasterburn-user', private: true, type: 'module' })}\n`);
  await execFile(NPM, ['install', '--no-audit', '--no-fund', '--offline-first', '--loglevel=error', tarball, 'typescript@latest', '@types/node@20', '@webgpu/types'], {
    cwd: proj, encoding: 'utf8', timeout: 400_000,
  });
  for (const f of ['api-common.ts', 'api-node.ts', 'api-browser.ts']) copyFileSync(join(ROOT, 'test', 'built', 'package', f), join(proj, f));
  copySample(proj);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tsconfig = (name: string, types: string[], emit: boolean): string => {
  const path = join(proj, name);
  writeFileSync(path, JSON.stringify({
    compilerOptions: {
      strict: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      lib: ['es2022', 'dom', 'dom.iterable'], types, ...(emit ? { outDir: 'out' } : { noEmit: true }),
    },
    include: ['api-common.ts', 'api-node.ts', 'api-browser.ts'],
  }));
  return path;
};
const tsc = async (bin: string, config: string): Promise<string> => {
  try {
    return (await execFile(process.execPath, [bin, '-p', config], { cwd: proj, encoding: 'utf8', timeout: 300_000 })).stdout;
  } catch (e) {
    return `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}` || String(e);
  }
};

describe('the packed package', () => {
  it('holds what a user needs and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/src/index.d.ts');
    expect(paths).toContain('dist/src/node.js');
    expect(paths).toContain('dist/src/burn/node-worker.js');
    expect(paths).toContain('dist/cli/rasterburn.mjs');
    expect(paths.filter((p) => /\.map$|^dist\/(bench|test|scripts|browser)\/|^(src|test|bench|scripts)\//.test(p))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(proj, 'node_modules', 'rasterburn', 'package.json'), 'utf8'));
    for (const k of ['repository', 'homepage', 'keywords', 'license', 'types', 'exports']) expect(pkg[k], k).toBeDefined();
    console.log(`package: ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.entryCount} files`);
  });

  it('type-checks a strict program over the whole API without skipLibCheck: newest TypeScript, and ours with @webgpu/types', async () => {
    const newest = JSON.parse(readFileSync(join(proj, 'node_modules', 'typescript', 'package.json'), 'utf8')).version as string;
    const newestBin = join(proj, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(await tsc(newestBin, tsconfig('tsconfig.json', ['node'], true)), `TypeScript ${newest}`).toBe('');
    const oursBin = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(await tsc(oursBin, tsconfig('tsconfig.webgpu.json', ['node', '@webgpu/types'], false)), 'repository TypeScript + @webgpu/types').toBe('');
    console.log(`type-checked with TypeScript ${newest} and ${JSON.parse(readFileSync(join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version}`);
  });

  it('runs the program in Node', () => {
    const out = execFileSync(process.execPath, [join(proj, 'out', 'api-node.js')], { cwd: proj, encoding: 'utf8', timeout: 120_000 });
    expect(out.trim()).toBe('ok rasterize into pairs geometryMask rasterio crs prepare tiles geotiff rasterizer node');
    // in Node, 'rasterburn' itself loads the EPSG table and proj4 synchronously on first need
    const sync = "import { prepare } from 'rasterburn'; console.log(prepare({ type: 'Point', coordinates: [10, 52] }, { crs: 'EPSG:3035' }).shapes.count);";
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', sync], { cwd: proj, encoding: 'utf8', timeout: 60_000 }).trim()).toBe('1');
  });

  it.skipIf(chromiumMissing() !== null)('bundles the program with esbuild for browsers and runs it in Chromium', async () => {
    const outdir = join(work, 'api-bundle');
    await esbuild.build({ absWorkingDir: proj, entryPoints: { entry: join(proj, 'api-browser.ts') }, bundle: true, splitting: true, format: 'esm', platform: 'browser', target: 'es2022', outdir, logLevel: 'error' });
    writeFileSync(join(outdir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>\n');
    const server = await startStaticServer({ '/': outdir });
    const chromium = await launchChromium();
    const errors: string[] = [];
    try {
      const page = await chromium.open(`${server.origin}/`, (l) => errors.push(l));
      await page.waitForFunction(() => document.title.startsWith('ok') || document.title.startsWith('failed'), { timeout: 120_000 });
      expect(await page.title()).toBe('ok rasterize into pairs geometryMask rasterio crs prepare tiles geotiff rasterizer');
      expect(errors).toEqual([]);
    } finally {
      await chromium.close();
      await server.close();
    }
  });

  it('runs the README examples as written', async () => {
    const examples = readmeExamples();
    const printed = runNodeExample(examples.node, join(proj, 'readme-node.mjs'), proj).trim();
    expect(printed).toBe(/console\.log\([^\n]*\/\/ (.+)$/m.exec(examples.node)?.[1]);
    if (chromiumMissing() !== null) return;
    const run = await runBrowserExample(examples.browser, join(proj, 'readme-browser.js'), proj);
    expect(run.errors).toEqual([]);
    expect(run.sha256).toBe(sha256(join(proj, 'buildings.tif')));
  });

  // bundles `code` for browsers from the installed package: gzipped bytes loaded up front (the entry and
  // the chunks it imports statically), the modules in them, and the modules left to dynamic imports
  const bundle = async (name: string, code: string): Promise<{ gz: number; upFront: string[]; lazy: string[] }> => {
    const entry = join(proj, `${name}.js`);
    writeFileSync(entry, code);
    const r = await esbuild.build({ absWorkingDir: proj, entryPoints: { [name]: entry }, bundle: true, splitting: true, format: 'esm', platform: 'browser', minify: true, write: false, outdir: join(work, name), metafile: true, logLevel: 'error' });
    const files = new Map(r.outputFiles.map((f) => [f.path, f.contents]));
    const seen = new Set<string>();
    const visit = (out: string): void => {
      if (seen.has(out)) return;
      seen.add(out);
      for (const im of r.metafile.outputs[out].imports) if (im.kind === 'import-statement') visit(im.path);
    };
    visit(Object.keys(r.metafile.outputs).find((o) => o.endsWith(`/${name}.js`))!);
    const gz = [...seen].reduce((s, o) => s + gzipSync(files.get(resolve(proj, o))!, { level: 9 }).length, 0);
    return {
      gz,
      upFront: [...seen].flatMap((o) => Object.keys(r.metafile.outputs[o].inputs)),
      lazy: Object.values(r.metafile.outputs).map((o) => o.entryPoint ?? '').filter((e) => e !== ''),
    };
  };
  const LAZY = /node_modules\/(proj4|proj4js-definitions|geotiff-geokeys-to-proj4)\/|geotiff\/dist-module\/compression\/(?!basedecoder|index)/;

  it('bundles rasterize + gridFromBounds to at most 40 KB gzipped, proj4 and the EPSG table on demand', async () => {
    const b = await bundle('small', "import { rasterize, gridFromBounds } from 'rasterburn';\nwindow.burn = (f, box) => rasterize(f, gridFromBounds(box, { size: [256, 256] }));\n");
    console.log(`rasterize + gridFromBounds: ${(b.gz / 1024).toFixed(1)} KiB gzipped up front`);
    expect(b.gz).toBeLessThanOrEqual(40 * 1024);
    expect(b.upFront.filter((i) => LAZY.test(i))).toEqual([]);
    expect(b.lazy.filter((e) => /proj4js-definitions|node_modules\/proj4\//.test(e)).length).toBe(2);
  });

  it('reads GeoTIFFs without loading the codecs, proj4 or the EPSG table up front', async () => {
    const b = await bundle('tiff', "import { rasterize, gridFromGeoTIFF, toGeoTIFF } from 'rasterburn';\nwindow.burn = async (f, tif) => toGeoTIFF(await rasterize(f, await gridFromGeoTIFF(tif)));\n");
    console.log(`rasterize + gridFromGeoTIFF + toGeoTIFF: ${(b.gz / 1024).toFixed(1)} KiB gzipped up front`);
    expect(b.upFront.filter((i) => LAZY.test(i))).toEqual([]);
    for (const codec of ['deflate', 'lzw', 'jpeg', 'zstd', 'lerc']) expect(b.lazy.some((e) => e.endsWith(`compression/${codec}.js`)), codec).toBe(true);
  });
});
