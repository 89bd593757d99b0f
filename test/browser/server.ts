// A tiny static file server for browser tests and benchmarks: 127.0.0.1, an ephemeral port, GET
// and HEAD only, a fixed set of mount points, correct MIME types (module scripts are refused by
// browsers unless served as JavaScript), no caching so a rebuilt bundle is always what loads.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// the repository root, found by walking up: this file also runs compiled, from dist/test/browser/
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'rasterburn') return dir;
    if (dirname(dir) === dir) throw new Error(`no rasterburn package.json above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.npy': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves each mount's directory under its URL prefix, e.g.
 * `{ '/dist/': 'dist/browser', '/': 'test/browser/pages' }` (directories absolute or relative to
 * the repository root). The longest matching prefix wins; '/' serves index.html of a directory.
 */
export async function startStaticServer(mounts: Record<string, string>): Promise<StaticServer> {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`mount prefix must start and end with '/', got "${prefix}"`);
      return { prefix, dir: resolve(ROOT, dir) };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, `method ${req.method} not allowed`);
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(400, `bad URL ${req.url}`);
    }
    const mount = table.find((m) => path.startsWith(m.prefix));
    if (!mount) return send(404, `${path}: not found`);
    let file = resolve(mount.dir, '.' + sep + path.slice(mount.prefix.length));
    // no escaping the mounted directory with ../ or an encoded separator
    if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return send(403, `${path}: outside the served directory`);
    let size: number;
    try {
      let st = statSync(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = statSync(file);
      }
      if (!st.isFile()) return send(404, `${path}: not a file`);
      size = st.size;
    } catch {
      return send(404, `${path}: not found`);
    }
    res.writeHead(200, { 'content-type': mimeType(file), 'content-length': size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(file);
    stream.on('error', (e) => res.destroy(e));
    stream.pipe(res);
  };

  const server = createServer(handle);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((ok, fail) => {
      // keep-alive sockets from the browser would hold close() open otherwise
      server.closeAllConnections();
      server.close((e) => (e ? fail(e) : ok()));
    }),
  };
}
