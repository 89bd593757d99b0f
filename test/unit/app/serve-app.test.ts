// The page's server (scripts/serve-app.mjs): nothing outside its mounts, symlinks included, and only requests
// that name this machine (a page elsewhere cannot reach it through DNS rebinding).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { serveApp } from '../../../scripts/serve-app.mjs';

let dir: string;
let url: string;
let server: { close(): void };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-serve-'));
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  // the bundle mount is the one a test can point anywhere; a link inside it leads out
  writeFileSync(join(dir, 'ok.js'), 'export {}');
  const bundle = mkdtempSync(join(dir, 'bundle-'));
  symlinkSync(join(dir, 'secret.txt'), join(bundle, 'leak.js'));
  writeFileSync(join(bundle, 'main.js'), 'export {}');
  ({ server, url } = await serveApp(0, bundle));
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, host?: string): Promise<[number, string]> {
  return new Promise((ok, fail) => {
    const req = request(new URL(path, url), { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => ok([res.statusCode ?? 0, body]));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serve-app', () => {
  it('serves files under a mount, and nothing a symlink there leads to outside it', async () => {
    expect((await get('/bundle/main.js'))[0]).toBe(200);
    const [status, body] = await get('/bundle/leak.js');
    expect(status).toBe(403);
    expect(body).not.toContain('not for the page');
  });

  it('answers only requests naming this machine', async () => {
    expect((await get('/bundle/main.js', 'localhost:9'))[0]).toBe(200);
    expect((await get('/bundle/main.js', '[::1]:9'))[0]).toBe(200);
    const [status, body] = await get('/bundle/main.js', 'attacker.example');
    expect(status).toBe(421);
    expect(body).toMatch(/^host "attacker.example" is not served here/);
  });
});
