#!/usr/bin/env node
// Bundles the core (src/index.ts) for browsers into dist/browser/: ESM, minified, with source maps.
// Lazily imported modules (the WebGPU engine, the GeoTIFF key tables) become chunks loaded on
// first use, so a page that only burns on the CPU never downloads them. Dawn (`webgpu`) and
// Node built-ins are Node-only: the build fails if either reaches the bundle, since a browser
// cannot load them and a silent stub would fail only at run time.
//
//   node scripts/build-browser.mjs                  build into dist/browser/, print sizes
//   node scripts/build-browser.mjs --outdir DIR --json   build elsewhere, print the file list as JSON
//   flags: --no-minify (readable output for debugging), --entry FILE (another entry: tests the guard)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BROWSER_DIR = join(root, 'dist', 'browser');
export const BUNDLE = join(BROWSER_DIR, 'rasterburn.js');

// Node-only specifiers: refused wherever they appear in the module graph
const FORBIDDEN = /^(node:|webgpu$|webgpu\/)/;
// module paths that are Node-only by the project's rules (src/gpu/dawn.ts, src/io/node-*.ts, ...)
const FORBIDDEN_PATHS = [/^src\/gpu\/dawn\.ts$/, /^src\/node\.ts$/, /^src\/cli\//, /^src\/io\/node-/, /^node_modules\/webgpu\//];
// static or literal dynamic imports of a forbidden specifier left in the output text
const FORBIDDEN_TEXT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["'](node:[^"']*|webgpu(?:\/[^"']*)?)["']/;

// the built-in names geotiff (and others) map to `false` in their package.json "browser" field:
// esbuild replaces those with empty modules, which is the packages' own choice for browsers
const NODE_BUILTINS = new Set(['fs', 'path', 'http', 'https', 'url', 'zlib', 'stream', 'crypto', 'os', 'child_process', 'worker_threads', 'module', 'util', 'buffer', 'events', 'net', 'tls']);

// refuses Node-only imports at resolve time, naming the importer
const guard = {
  name: 'rasterburn-browser-guard',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (FORBIDDEN.test(args.path)) {
        const who = args.importer ? relative(root, args.importer) : '(entry)';
        return { errors: [{ text: `Node-only module "${args.path}" imported by ${who} cannot be bundled for browsers` }] };
      }
      return undefined;
    });
  },
};

// sql.js's build with the wasm inlined (the GeoPackage reader's SQLite) requires node:fs and node:crypto
// only inside its `if (ENVIRONMENT_IS_NODE)` branches, which never run in a browser: those two get
// empty modules there, and only for that file, so the guard above still refuses them everywhere else
const sqlJsNodeBranches = {
  name: 'rasterburn-sqljs-node-branches',
  setup(build) {
    build.onResolve({ filter: /^node:(fs|crypto)$/ }, (args) => (/sql\.js[\\/]dist[\\/]sql-wasm-inline\.js$/.test(args.importer) ? { path: args.path, namespace: 'sqljs-node-stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'sqljs-node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// removes the previous build, refusing to empty a directory that holds anything else
function clearOutdir(outdir) {
  if (!existsSync(outdir)) return;
  const foreign = readdirSync(outdir).filter((f) => !/^(rasterburn|encode-worker)\.js(\.map)?$/.test(f) && f !== 'chunks');
  if (foreign.length > 0) throw new Error(`${outdir} holds files that are not a browser build (${foreign.slice(0, 3).join(', ')}): refusing to clear it`);
  rmSync(outdir, { recursive: true, force: true });
}

const shown = (p) => (p.startsWith(root + sep) ? relative(root, p) : p);

/**
 * Builds dist/browser/rasterburn.js (+ chunks and source maps); returns the output files with
 * raw and gzipped sizes. Throws when a Node-only module would end up in the bundle. `entry` and
 * `outdir` exist so the guard itself can be tested on a deliberately bad entry.
 */
export async function buildBrowser({ minify = true, quiet = false, entry = 'src/browser.ts', outdir = BROWSER_DIR } = {}) {
  // src/gpu/shaders.gen.ts is generated from shaders/*.wgsl
  execFileSync(process.execPath, [join(root, 'scripts', 'gen-shaders.mjs')], { stdio: 'inherit' });
  clearOutdir(outdir);
  const result = await esbuild.build({
    absWorkingDir: root,
    // the Web Worker that compresses GeoTIFF chunks for toGeoTIFFAsync (src/io/tiff/web-encode.ts)
    entryPoints: { rasterburn: entry, 'encode-worker': 'src/io/tiff/encode-worker.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    minify,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    plugins: [sqlJsNodeBranches, guard],
  });

  // @bokuweb/zstd-wasm's browser build fetches zstd.wasm next to the module that loads it (new URL
  // relative to import.meta.url): that module is a chunk, so the wasm goes into chunks/ beside it
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const web = Object.keys(meta.inputs).find((i) => /@bokuweb[\\/]zstd-wasm[\\/]dist[\\/]web[\\/]index\.web\.js$/.test(i));
    if (web && !out.endsWith('.map')) copyFileSync(join(root, dirname(web), 'zstd.wasm'), join(root, dirname(out), 'zstd.wasm'));
  }

  const inputs = Object.keys(result.metafile.inputs);
  const badPaths = inputs.filter((p) => FORBIDDEN_PATHS.some((re) => re.test(p)));
  if (badPaths.length > 0) throw new Error(`Node-only modules in the browser bundle: ${badPaths.join(', ')}`);
  const disabled = inputs.filter((p) => p.startsWith('(disabled):')).map((p) => p.slice('(disabled):'.length));
  const unknownDisabled = disabled.filter((p) => !NODE_BUILTINS.has(p.replace(/^node:/, '')));
  if (unknownDisabled.length > 0) throw new Error(`modules stubbed out by a package "browser" field that are not Node built-ins: ${unknownDisabled.join(', ')}`);

  const files = [];
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const path = join(root, out);
    if (out.endsWith('.map')) continue;
    const text = readFileSync(path, 'utf8');
    const hit = FORBIDDEN_TEXT.exec(text);
    if (hit) throw new Error(`${shown(path)} imports the Node-only module "${hit[1]}"`);
    for (const imp of meta.imports) {
      if (imp.external && FORBIDDEN.test(imp.path)) throw new Error(`${shown(path)} imports the Node-only module "${imp.path}"`);
    }
    // entryPoint on a chunk is the module a dynamic import() pulls in: loaded on first use
    const entry = relative(outdir, path) === 'rasterburn.js';
    files.push({ path: shown(path), bytes: meta.bytes, gzip: gzipSync(text, { level: 9 }).length, entry, lazy: entry ? null : meta.entryPoint ?? null });
  }
  files.sort((a, b) => Number(b.entry) - Number(a.entry) || b.bytes - a.bytes);
  if (!quiet) {
    const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
    for (const f of files) console.log(`${f.path.padEnd(48)} ${kib(f.bytes).padStart(12)}  gzip ${kib(f.gzip).padStart(10)}${f.entry ? '  (entry)' : f.lazy ? `  (on demand: ${f.lazy})` : ''}`);
    const total = files.reduce((s, f) => s + f.bytes, 0), gz = files.reduce((s, f) => s + f.gzip, 0);
    console.log(`${'all files'.padEnd(48)} ${kib(total).padStart(12)}  gzip ${kib(gz).padStart(10)}${disabled.length ? `  (stubbed by package "browser" fields: ${disabled.join(', ')})` : ''}`);
  }
  return { files, disabled };
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const json = process.argv.includes('--json');
    const outdir = argValue('--outdir');
    const entry = argValue('--entry');
    const res = await buildBrowser({ minify: !process.argv.includes('--no-minify'), quiet: json, outdir: outdir ? resolve(outdir) : BROWSER_DIR, entry: entry ? resolve(entry) : undefined });
    if (json) process.stdout.write(`${JSON.stringify(res)}\n`);
  } catch (e) {
    console.error(`build-browser: ${e.message}`);
    process.exit(1);
  }
}
