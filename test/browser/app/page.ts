// Helpers for test/browser/app-page.test.ts: open the web page with a script run before its own, collect
// what went wrong in it, catch its downloads, and read a .npy file back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import type { TypedArray } from '../../../src/types.js';

/** What the page exposes as window.rasterburnApp (app/main.ts), as the tests read it. */
declare global {
  interface Window {
    rasterburnApp: {
      view: { placement: { scale: number; offsetX: number; offsetY: number }; draw(): void };
      result: { data: TypedArray; width: number; height: number; transform: number[]; crs: string | undefined } | null;
      map: { describe(): { layers: string[]; corners: [number, number][] | null; loaded: boolean } };
    };
  }
}

export interface AppPage {
  page: Page;
  /** uncaught exceptions, console errors and failed requests seen so far */
  problems: string[];
}

/**
 * Opens `url` in a new tab. `before` runs in the page before any of its scripts (e.g. to take
 * WebGPU away); downloads are saved into `downloadDir` under the names the page gives them.
 */
export async function openApp(browser: Browser, url: string, opts: { downloadDir: string; before?: () => void }): Promise<AppPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e: unknown) => problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  if (opts.before) await page.evaluateOnNewDocument(opts.before);
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: opts.downloadDir });
  await page.setViewport({ width: 1280, height: 1150 });
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res?.ok()) throw new Error(`loading ${url} gave HTTP ${res?.status() ?? 'no response'}`);
  // start-up is done once the page has asked for a WebGPU adapter and said which engine will run
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, problems };
}

/** Waits until `name` is fully written to `dir` (Chromium writes NAME.crdownload first) and returns its bytes. */
export async function waitForDownload(dir: string, name: string, timeoutMs = 15_000): Promise<Buffer> {
  const path = join(dir, name);
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (existsSync(path) && !readdirSync(dir).some((f) => f.endsWith('.crdownload'))) return readFileSync(path);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no download ${name} in ${dir} after ${timeoutMs} ms (there: ${readdirSync(dir).join(', ') || 'nothing'})`);
}

/** A .npy file's dtype descriptor, shape and data bytes (format 1.0/2.0, C order only). */
export function readNpy(buf: Buffer): { descr: string; shape: number[]; data: Buffer } {
  if (buf.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error('not a .npy file: bad magic');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + headerLen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const order = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || order !== 'False' || shape === undefined) throw new Error(`unexpected .npy header ${header}`);
  return { descr, shape: shape.split(',').map((s) => s.trim()).filter((s) => s).map(Number), data: buf.subarray(start + headerLen) };
}

/** Replaces a form field's text as typing would (the page listens for input events). */
export async function setField(page: Page, sel: string, value: string): Promise<void> {
  await page.$eval(sel, (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

export const textOf = (page: Page, sel: string): Promise<string> => page.$eval(sel, (el) => el.textContent ?? '');
export const summaryOf = (page: Page, key: string): Promise<string> => textOf(page, `#summary dd[data-key="${key}"]`);
export const warningsOf = (page: Page): Promise<string[]> => page.$$eval('#warnings li', (ls) => ls.map((l) => l.textContent ?? ''));

/** Presses Rasterize and waits for a new summary or a message; returns the message (empty on success). */
export async function rasterizeAndWait(page: Page, timeout = 60_000): Promise<{ message: string; kind: string }> {
  await page.evaluate(() => { document.getElementById('summary')!.replaceChildren(); });
  await page.click('#rasterize');
  await page.waitForFunction(() => {
    const busy = (document.getElementById('rasterize') as HTMLButtonElement).disabled;
    return !busy && (document.querySelector('#summary dd') !== null || document.getElementById('message')!.textContent !== '');
  }, { timeout, polling: 50 });
  return page.$eval('#message', (el) => ({ message: el.textContent ?? '', kind: el.className }));
}

/** Waits until the data worker has loaded a file whose status line matches `re`. */
export async function waitForData(page: Page, re: RegExp, timeout = 30_000): Promise<void> {
  await page.waitForFunction((src: string) => new RegExp(src).test(document.getElementById('geojson-status')!.textContent ?? '')
    && (document.getElementById('loading') as HTMLElement).hidden, { timeout, polling: 50 }, re.source);
}

/** The page's last result: its size, georeferencing, array type, how many pixels are not 0 and an FNV-1a
 * hash of its bytes (the pixels themselves stay in the page). */
export function resultInPage(page: Page): Promise<{ width: number; height: number; transform: number[]; crs: string | undefined; type: string; hash: string; burned: number } | null> {
  return page.evaluate(() => {
    const r = window.rasterburnApp.result;
    if (!r) return null;
    const b = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    let h = 0x811c9dc5;
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
    let burned = 0;
    for (let i = 0; i < r.data.length; i++) if (Number(r.data[i]) !== 0) burned++;
    return { width: r.width, height: r.height, transform: [...r.transform], crs: r.crs, type: r.data.constructor.name, hash: (h >>> 0).toString(16).padStart(8, '0'), burned };
  });
}
