#!/usr/bin/env node
// `npm run app`: builds the web page (app/) and serves it on 127.0.0.1.
//
//   node scripts/serve-app.mjs                      build into dist/app/, serve, print the URL
//   PORT=9000 node scripts/serve-app.mjs            a fixed port (default 8080, or any free one if taken)
//   node scripts/serve-app.mjs --build-only [--outdir DIR]   build only (tests build into a temp dir)
//   node scripts/serve-app.mjs --no-build           serve what was built last
//
// Three bundles, each through build-browser.mjs (so its guard against Node-only modules applies):
// bundle/main/ (app/main.ts, the page), bundle/worker/ (app/worker.ts, CPU burns, summaries, chips)
// and bundle/data/ (app/data-worker.ts, parsing); MapLibre's worker and stylesheet are copied to
// bundle/maplibre/ as the package ships them.
// What is served, and where (the test mounts the same table on test/browser/server.ts):
//   /            app/        index.html, style.css
//   /bundle/     dist/app/   main/, worker/, data/rasterburn.js (+ chunks, source maps), maplibre/
//   /examples/   examples/   the sample: buildings.geojson, template.tif
import { copyFileSync, createReadStream, mkdirSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBrowser } from './build-browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_BUNDLE_DIR = join(root, 'dist', 'app');

/** Builds the page's bundles into `outdir`/main, /worker and /data, and copies MapLibre's worker and CSS to /maplibre. */
export async function buildApp(outdir = APP_BUNDLE_DIR, { quiet = false } = {}) {
  for (const [name, entry] of [['main', 'app/main.ts'], ['worker', 'app/worker.ts'], ['data', 'app/data-worker.ts']]) {
    await buildBrowser({ entry: join(root, entry), outdir: join(outdir, name), quiet });
  }
  const maplibre = join(root, 'node_modules', 'maplibre-gl', 'dist');
  mkdirSync(join(outdir, 'maplibre'), { recursive: true });
  for (const f of ['maplibre-gl-worker.mjs', 'maplibre-gl.css']) copyFileSync(join(maplibre, f), join(outdir, 'maplibre', f));
}

/** URL prefix -> directory, for a page built into `bundleDir`. */
export function appMounts(bundleDir = APP_BUNDLE_DIR) {
  return { '/': join(root, 'app'), '/bundle/': bundleDir, '/examples/': join(root, 'examples') };
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.json': 'application/json; charset=utf-8', '.geojson': 'application/geo+json; charset=utf-8',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.ts': 'text/plain; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
};

// a page on another site can make a browser send requests here under a name it controls (DNS rebinding):
// only requests naming this machine are answered
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function localHost(host) {
  if (typeof host !== 'string') return false;
  const m = /^(\[[^\]]*\]|[^:]+)(?::\d+)?$/.exec(host.toLowerCase());
  return m !== null && LOCAL_HOSTS.has(m[1]);
}

// GET/HEAD of files under the mounts; nothing outside them (symlinks included), no directory listings, no caching
function handler(mounts) {
  const real = (dir) => { try { return realpathSync(dir); } catch { return resolve(dir); } };
  const table = Object.entries(mounts).map(([prefix, dir]) => ({ prefix, dir: real(dir) })).sort((a, b) => b.prefix.length - a.prefix.length);
  return (req, res) => {
    const fail = (status, text) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (!localHost(req.headers.host)) return fail(421, `host ${JSON.stringify(req.headers.host ?? '')} is not served here: use http://127.0.0.1`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, `method ${req.method} not allowed`);
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return fail(400, `bad URL ${req.url}`);
    }
    const mount = table.find((m) => path.startsWith(m.prefix));
    if (!mount) return fail(404, `${path}: not found`);
    let file = resolve(mount.dir, `.${sep}${path.slice(mount.prefix.length)}`);
    if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return fail(403, `${path}: outside the served directory`);
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) st = statSync((file = join(file, 'index.html')));
      // the file a symlink leads to must lie under the mount too
      const target = realpathSync(file);
      if (target !== mount.dir && !target.startsWith(mount.dir + sep)) return fail(403, `${path}: outside the served directory`);
    } catch {
      return fail(404, `${path}: not found`);
    }
    if (!st.isFile()) return fail(404, `${path}: not a file`);
    res.writeHead(200, { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', (e) => res.destroy(e)).pipe(res);
  };
}

/** Serves the page on 127.0.0.1:`port` (0: any free port); resolves with the server and its URL. */
export function serveApp(port, bundleDir = APP_BUNDLE_DIR) {
  const server = createServer(handler(appMounts(bundleDir)));
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const outdir = resolve(argValue('--outdir') ?? APP_BUNDLE_DIR);
    if (!process.argv.includes('--no-build')) await buildApp(outdir, { quiet: true });
    if (process.argv.includes('--build-only')) process.exit(0);
    const fixed = process.env.PORT !== undefined && process.env.PORT !== '';
    const port = fixed ? Number(process.env.PORT) : 8080;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
    let served;
    try {
      served = await serveApp(port, outdir);
    } catch (e) {
      // the default port is only a preference; a port the user asked for is not silently replaced
      if (fixed || e.code !== 'EADDRINUSE') throw e;
      served = await serveApp(0, outdir);
    }
    console.log(`rasterburn app: ${served.url}  (Ctrl+C to stop)`);
  } catch (e) {
    console.error(`serve-app: ${e.message}`);
    process.exit(1);
  }
}
