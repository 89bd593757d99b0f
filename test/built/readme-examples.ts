// The README's Usage examples, taken from README.md as written, and the two ways to run them: the
// Node one as an .mjs file (importing 'rasterburn/node'), the browser one bundled by esbuild and
// loaded in headless Chromium. Shared by the README test (the built repository) and the packaging
// test (the packed tarball installed into a fresh project).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium } from '../browser/chromium.js';
import { ROOT, startStaticServer } from '../browser/server.js';

export interface ReadmeExamples {
  /** the js block that imports 'rasterburn/node' */
  node: string;
  /** the js block that imports 'rasterburn' */
  browser: string;
}

/** The README's js code blocks, one importing 'rasterburn/node' and one 'rasterburn'; throws unless both are there once. */
export function readmeExamples(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): ReadmeExamples {
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const node = blocks.filter((b) => /from 'rasterburn\/node'/.test(b));
  const browser = blocks.filter((b) => /from 'rasterburn'/.test(b));
  if (node.length !== 1 || browser.length !== 1) throw new Error(`README.md has ${node.length} Node and ${browser.length} browser js examples, expected one of each`);
  return { node: node[0], browser: browser[0] };
}

/** Copies the sample the examples read (examples/) into `dir`. */
export function copySample(dir: string): void {
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
}

/** Runs the Node example saved as `file` (where 'rasterburn/node' resolves) with `cwd` as working directory; its stdout. */
export function runNodeExample(code: string, file: string, cwd: string): string {
  writeFileSync(file, code);
  return execFileSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 120_000 });
}

export interface BrowserRun {
  /** the link the example appends: its text, and the sha256 of the file it offers */
  text: string;
  sha256: string;
  /** console errors and page errors seen */
  errors: string[];
}

/**
 * Bundles the browser example (saved as `file`, 'rasterburn' resolved from there or through `alias`) with
 * esbuild for browsers, serves it with the sample and runs it in headless Chromium until its link appears.
 */
export async function runBrowserExample(code: string, file: string, workDir: string, alias?: Record<string, string>): Promise<BrowserRun> {
  writeFileSync(file, code);
  const out = join(workDir, 'bundle');
  await esbuild.build({
    absWorkingDir: workDir, entryPoints: { entry: file }, bundle: true, splitting: true, format: 'esm', platform: 'browser',
    target: 'es2022', outdir: out, minify: true, logLevel: 'error', alias,
  });
  const page = join(workDir, 'page');
  mkdirSync(page, { recursive: true });
  writeFileSync(join(page, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script type="module" src="/bundle/entry.js"></script></body>\n');
  const server = await startStaticServer({ '/bundle/': out, '/examples/': join(workDir, 'examples'), '/': page });
  const chromium = await launchChromium();
  const errors: string[] = [];
  try {
    const p = await chromium.open(`${server.origin}/`, (l) => errors.push(l));
    await p.waitForSelector('a', { timeout: 120_000 });
    const got = await p.evaluate(async () => {
      const a = document.querySelector('a')!;
      const bytes = await (await fetch(a.href)).arrayBuffer();
      return { text: a.textContent ?? '', bytes: Array.from(new Uint8Array(bytes)) };
    });
    return { text: got.text, sha256: createHash('sha256').update(Uint8Array.from(got.bytes)).digest('hex'), errors };
  } finally {
    await chromium.close();
    await server.close();
  }
}

/** sha256 of a file. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
