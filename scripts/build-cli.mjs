// Bundles the CLI (dist/cli/rasterburn.mjs, the `rasterburn` bin) with esbuild: a bundle starts far
// faster than ~50 ESM modules plus proj4 and geotiff resolved one by one, which is a third of a small
// job's run time. Dawn (`webgpu`, a native addon) stays external and loads only for --backend webgpu/auto.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hoistImports } from './cli-hoist.mjs';

// a big JSON file as one string handed to JSON.parse, not as an object literal: V8 scans a string and parses
// JSON several times faster than it compiles the same data as code
const jsonParsePlugin = {
  name: 'json-parse',
  setup(b) {
    b.onLoad({ filter: /proj4js-definitions\.json$/ }, (a) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(a.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

// The bin, with code splitting: what a run does not use (GeoTIFF reading, WebGPU, the vector formats'
// libraries, the tile queue) stays in chunks that are only read when imported (a 3 MB file is ~30 ms of
// compiling on every start), and cli-hoist.mjs gathers what every run takes into few files.
const outdir = 'dist/cli';
const BANNER = "import { createRequire as __rbCreateRequire } from 'node:module';\nconst require = __rbCreateRequire(import.meta.url);";
rmSync(outdir, { recursive: true, force: true });
const common = {
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // zstd-wasm reads its .wasm beside its own file: it stays in node_modules, loaded only for COMPRESS=ZSTD;
  // bullmq and its driver ioredis (optional) load only for the tile queue. geotiff-geokeys-to-proj4 (1.5 MB,
  // a GeoTIFF without an EPSG code) and sql.js (1 MB with its wasm inline, GeoPackage) are imported only when
  // such a file is read, and are dependencies installed beside the package anyway: a chunk of their code
  // here would ship them twice (the tarball 1,516 -> ~900 KiB) and start no faster
  external: ['webgpu', '@bokuweb/zstd-wasm', 'bullmq', 'ioredis', 'geotiff-geokeys-to-proj4', 'sql.js'],
  // the EPSG table as its JSON twin (the same 4,758 pairs), handed to JSON.parse: the .js builds each string
  // by concatenation, and esbuild's CommonJS wrapper then copies the array's every index as a getter.
  // Importing the chunk that holds proj4 and the table, on a loaded 2-core VM (median of 9): 244 ms with
  // the .js, 128 ms with the JSON as a literal, 82 ms through JSON.parse
  alias: { 'proj4js-definitions': 'proj4js-definitions/proj4js-definitions.json' },
  sourcemap: true,
  logLevel: 'warning',
  // proj4 and geotiff's dependencies are CommonJS that call require(); give every ESM output file one
  // (esbuild keeps main.ts's own shebang line first)
  banner: { js: BANNER },
};
await build({
  ...common,
  entryPoints: { rasterburn: 'src/cli/main.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  plugins: [jsonParsePlugin, hoistImports(process.cwd())],
});
// The threaded burn's worker: one file of its own (a burn thread starts in tens of ms). Built apart, so
// that the modules it shares with the bin do not split the bin's always-loaded code into more chunks; a
// worker has its own module instances anyway.
await build({ ...common, entryPoints: { 'burn-worker': 'src/burn/node-worker.ts' }, splitting: false, plugins: [jsonParsePlugin] });
// The banner's require() only in the files that call it: most chunks are ESM through and through, and a
// createRequire() is a module resolution of its own on every start (the lines stay, blank, for the maps)
for (const dir of [outdir, `${outdir}/chunks`]) {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.mjs'))) {
    const path = `${dir}/${f}`;
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(BANNER);
    if (at < 0) throw new Error(`${path}: no require() banner where esbuild puts it`);
    const rest = text.slice(at + BANNER.length);
    if (!/\brequire\b/.test(rest)) writeFileSync(path, text.slice(0, at) + BANNER.replace(/[^\n]/g, '') + rest);
  }
}
chmodSync(`${outdir}/rasterburn.mjs`, 0o755);
