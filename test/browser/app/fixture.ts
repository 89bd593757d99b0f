// One built page and server per test file: the same build `npm run app` does, into a temporary
// directory of the file's own, served as the app is served.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type Chromium } from '../chromium.js';
import { ROOT, startStaticServer, type StaticServer } from '../server.js';

export interface AppFixture {
  work: string;
  bundleDir: string;
  server: StaticServer;
  chromium: Chromium;
  close(): Promise<void>;
}

/** `protocolTimeout` bounds one DevTools call, a wait for a long burn included (default: launchChromium's). */
export async function startApp(extraMounts: Record<string, string> = {}, opts: { protocolTimeout?: number } = {}): Promise<AppFixture> {
  const work = mkdtempSync(join(tmpdir(), 'rasterburn-app-test-'));
  const bundleDir = join(work, 'bundle');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'serve-app.mjs'), '--build-only', '--outdir', bundleDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = await startStaticServer({ '/': 'app', '/bundle/': bundleDir, '/examples/': 'examples', ...extraMounts });
  const chromium = await launchChromium({ protocolTimeout: opts.protocolTimeout });
  return {
    work, bundleDir, server, chromium,
    close: async () => {
      await chromium.close();
      await server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
