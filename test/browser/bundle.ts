// A fresh browser bundle of the current source for one test file or benchmark run, in its own
// temporary directory: parallel test files never rebuild the directory another one is serving.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.js';

export interface BundleFile {
  path: string;
  bytes: number;
  gzip: number;
  entry: boolean;
  /** the module a dynamic import() loads from this chunk, or null */
  lazy: string | null;
}

export interface Bundle {
  /** directory holding rasterburn.js and chunks/ (serve it as /dist/) */
  dir: string;
  files: BundleFile[];
  cleanup(): void;
}

/** Runs scripts/build-browser.mjs into a new temporary directory; throws with the build's message. */
export function freshBundle(): Bundle {
  const dir = mkdtempSync(join(tmpdir(), 'rasterburn-bundle-'));
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-browser.mjs'), '--outdir', dir, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`browser build failed: ${(err.stderr || err.message).trim()}`);
  }
  const { files } = JSON.parse(out) as { files: BundleFile[] };
  return { dir, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
