// Launches Debian's /usr/bin/chromium through puppeteer, headless, with WebGPU on SwiftShader
// (Vulkan) so it runs on machines without a GPU. Never downloads a browser (.puppeteerrc.cjs sets
// skipDownload too). Each launch gets a fresh profile directory, removed on close.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type Page } from 'puppeteer';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags that enable WebGPU on SwiftShader in headless Chromium. */
export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Chromium {
  browser: Browser;
  /** opens `url` in a new page whose console errors and uncaught exceptions reach `log` */
  open(url: string, log?: (line: string) => void): Promise<Page>;
  close(): Promise<void>;
}

/** Why Chromium cannot run here, or null when it can (tests skip with this reason). */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (install Debian's chromium package, or set CHROMIUM_PATH)`;
}

export async function launchChromium(opts: { extraArgs?: string[]; protocolTimeout?: number } = {}): Promise<Chromium> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const profile = mkdtempSync(join(tmpdir(), 'rasterburn-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...(opts.extraArgs ?? [])],
      // a wedged GPU call must fail the test, not wait for vitest's timeout
      protocolTimeout: opts.protocolTimeout ?? 120_000,
      // no downloads, no extensions, no remote debugging port on the network: talk over a pipe
      pipe: true,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }

  const open = async (url: string, log: (line: string) => void = (l) => console.error(l)): Promise<Page> => {
    const page = await browser.newPage();
    page.on('console', (m: ConsoleMessage) => {
      const type = m.type();
      if (type === 'error' || type === 'warn') {
        const loc = m.location();
        log(`[chromium console.${type}] ${m.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber ?? '?'})` : ''}`);
      }
    });
    page.on('pageerror', (e: unknown) => log(`[chromium page error] ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    page.on('requestfailed', (r) => log(`[chromium request failed] ${r.url()}: ${r.failure()?.errorText ?? 'unknown'}`));
    page.on('response', (r) => {
      if (r.status() >= 400) log(`[chromium HTTP ${r.status()}] ${r.url()}`);
    });
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res || !res.ok()) throw new Error(`loading ${url} gave HTTP ${res?.status() ?? 'no response'}`);
    return page;
  };

  return {
    browser,
    open,
    close: async () => {
      try {
        await browser.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
