// An experiment, not the bin: the CLI as one classic script run through vm.Script with a V8 code cache,
// to measure what a code cache would save on Node 20 (which caches no ES module: module.enableCompileCache
// is Node 22). `node bench/cli-code-cache.mjs` writes dist/cli-code-cache/{script.cjs,launch.mjs};
// run `node dist/cli-code-cache/launch.mjs <gdal_rasterize arguments>` with RB_PROTO_CACHE=1 to read and
// write the cache (in the OS's temp folder, per user) and without it for the same script uncached.
// What it leaves out, and the bin would need (see bench/results/2026-12-06-small-jobs.md, 2026-12-07):
// - V8 refuses the cache when its flags differ from the writer's: a GeoPackage run sets --liftoff-only
//   (src/cli/wasm-tiering.ts), so its cache must be made before that flag is set;
// - a script compiled from cachedData loses Node 20's dynamic import() callback ("A dynamic import
//   callback was not specified"), and vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER prints an
//   ExperimentalWarning: the external packages' import() go through a function the launcher passes in;
// - import.meta.url is the ESM bin's own, so that package.json and burn-worker.mjs resolve as there.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/cli-code-cache');
const binUrl = new URL('../dist/cli/rasterburn.mjs', import.meta.url).href;
const EXTERNAL = ['webgpu', '@bokuweb/zstd-wasm', 'bullmq', 'ioredis', 'geotiff-geokeys-to-proj4', 'sql.js'];
const plugin = {
  name: 'script-bundle',
  setup(b) {
    b.onLoad({ filter: /proj4js-definitions\.json$/ }, (a) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(a.path, 'utf8'))))});`, loader: 'js',
    }));
    // main.ts without its shebang and its top-level "am I the bin" block (a script has no top-level await)
    b.onLoad({ filter: /src[\\/]cli[\\/]main\.ts$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8');
      return { contents: text.slice(0, text.indexOf('// run when executed as the bin')).replace(/^#!.*\n/, ''), loader: 'ts' };
    });
  },
};
const r = await build({
  absWorkingDir: root,
  stdin: { contents: "export { run } from './src/cli/main.ts';", resolveDir: root, loader: 'ts' },
  outfile: join(out, 'script.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false,
  external: EXTERNAL,
  alias: { 'proj4js-definitions': 'proj4js-definitions/proj4js-definitions.json' },
  define: { 'import.meta.url': '__rbUrl' },
  banner: { js: `const __rbUrl = ${JSON.stringify(binUrl)};` },
  logLevel: 'error', plugins: [plugin],
});
mkdirSync(out, { recursive: true });
const calls = new RegExp(`\\bimport\\((?=["'](node:|http|${EXTERNAL.map((e) => e.replace(/[.]/g, '\\.')).join('|')}))`, 'g');
for (const f of r.outputFiles) writeFileSync(f.path, f.text.replace(calls, '__rbImport('));
writeFileSync(join(out, 'launch.mjs'), `import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import vm from 'node:vm';
const file = new URL('./script.cjs', import.meta.url).pathname;
const dir = tmpdir() + '/rasterburn-code-cache-proto-' + userInfo().uid;
const cacheFile = dir + '/script-' + process.version + '.cache';
const useCache = process.env.RB_PROTO_CACHE === '1';
let cachedData;
if (useCache) { try { cachedData = readFileSync(cacheFile); } catch {} }
const script = new vm.Script('(function (exports, require, module, __filename, __dirname, __rbImport) {' + readFileSync(file, 'utf8') + '\\n})', { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, new URL('.', import.meta.url).pathname, (s) => import(s));
const code = await module.exports.run(process.argv.slice(2));
if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
  try { mkdirSync(dir, { recursive: true, mode: 0o700 }); writeFileSync(cacheFile + '.' + process.pid, script.createCachedData()); renameSync(cacheFile + '.' + process.pid, cacheFile); } catch {}
}
if (process.env.RB_PROTO_DEBUG) console.error('code cache', cachedData?.length, 'rejected', script.cachedDataRejected);
process.exit(code);
`);
