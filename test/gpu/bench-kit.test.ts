// The GPU benchmark kit (bench/gpu-kit/): its pixel check on tiny exact arrays, and the whole kit built
// into a temp dir (with this Node, --node-from-path, and gzip, --fast, to stay quick) and run with
// --quick on this machine's SwiftShader adapter, with no Node on PATH: the reports must name the
// adapter, list every workload and find every output identical; without --allow-software the kit
// must refuse a software adapter.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPixels, hashPixels } from '../../bench/gpu-kit/check.js';
import { toMarkdown, type KitReport } from '../../bench/gpu-kit/report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILDER = join(ROOT, 'dist/bench/gpu-kit/build.js');
const WORKLOADS = ['W1', 'W2', 'W5', 'S1'];
const DIR = mkdtempSync(join(tmpdir(), 'rasterburn-kit-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('the kit\'s pixel check', () => {
  it('counts differing pixels, not bytes, and names the first ones', () => {
    const want = new Uint16Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const got = want.slice();
    got[2] = 0x0103; // both bytes differ: one pixel
    got[8] = 0;
    expect(diffPixels(want, got)).toEqual({ count: 2, first: [{ index: 2, expected: 3, got: 259 }, { index: 8, expected: 9, got: 0 }] });
    // on a 3 x 3 grid: column 2 of row 0, column 2 of row 2
    expect(diffPixels(want, got, 3).first).toEqual([{ index: 2, x: 2, y: 0, expected: 3, got: 259 }, { index: 8, x: 2, y: 2, expected: 9, got: 0 }]);
    expect(diffPixels(want, want.slice())).toEqual({ count: 0, first: [] });
  });

  it('compares bits: -0 is not 0, NaN equals the same NaN', () => {
    const a = new Float32Array([0, NaN, 1]);
    const b = new Float32Array([-0, NaN, 1]);
    expect(diffPixels(a, b).count).toBe(1);
    expect(diffPixels(a, a.slice()).count).toBe(0);
  });

  it('reads arrays that start off a word boundary (the byte tail too)', () => {
    const buf = new Uint8Array(12);
    const want = buf.subarray(1, 8);
    const got = new Uint8Array(7);
    got.set(want);
    got[6] = 9;
    expect(diffPixels(want, got)).toEqual({ count: 1, first: [{ index: 6, expected: 0, got: 9 }] });
  });

  it('refuses outputs of another shape', () => {
    expect(() => diffPixels(new Uint8Array(4), new Uint16Array(4))).toThrow(/differ in shape: Uint8Array\(4\) vs Uint16Array\(4\)/);
  });

  it('hashes: equal arrays alike, one flipped bit apart', () => {
    const a = new Uint8Array(4099).map((_, i) => i * 7);
    const b = a.slice();
    expect(hashPixels(b)).toBe(hashPixels(a));
    b[4098] ^= 1;
    expect(hashPixels(b)).not.toBe(hashPixels(a));
  });

  it('report.md puts a mismatch in the table and under its workload, with its count', () => {
    const report: KitReport = {
      kit: {}, date: 'd', quick: true, runs: 1, threads: 2, ok: false,
      machine: { adapter: 'GPU: nvidia', software: false, vendor: 'nvidia', architecture: '', device: '', description: '', driver: null, icd: null, loader: null, cpuModel: 'cpu', cores: 2, memoryGiB: 1, os: 'linux', node: '20' },
      workloads: [{
        id: 'W1', title: 't', kind: 'single', width: 3, height: 3, dtype: 'uint8', features: 1, vertices: 4, generateMs: 1, identical: false,
        webgpu: { engine: 'webgpu', how: 'h', warmupMs: 1, runsMs: [1], medianMs: 1, mismatches: [{ run: 'run 1', pixels: 1234, first: [{ index: 5, x: 2, y: 1, expected: 1, got: 0 }] }] },
      }],
    };
    const md = toMarkdown(report);
    expect(md).toMatch(/\| W1 \|.*\| \*\*MISMATCH\*\* \|/);
    expect(md).toContain('**MISMATCH** in run 1: 1,234 pixels differ (pixel (2, 1): 1 expected, 0)');
  });
});

// a child process to its end, asynchronously: a minute of a blocked event loop starves vitest's own messages
function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

// a PATH with every tool of /usr/bin except Node's, so the kit can only run on its own Node
function pathWithoutNode(): string {
  const bin = join(DIR, 'bin');
  mkdirSync(bin);
  for (const f of readdirSync('/usr/bin')) {
    if (!['node', 'nodejs', 'npm', 'npx', 'corepack'].includes(f)) symlinkSync(join('/usr/bin', f), join(bin, f));
  }
  return bin;
}

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? sizeOf(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

describe('npm run bench:gpu-kit', () => {
  const kit = join(DIR, 'kit');
  let software: boolean | null = null;

  it('builds a kit of Node, Dawn, the Vulkan loader and the bundled runner, under 60 MiB', async () => {
    expect(existsSync(BUILDER), `${BUILDER} is missing: build first (npx tsc -p tsconfig.json)`).toBe(true);
    const b = await run(process.execPath, [BUILDER, '--out', kit, '--node-from-path', '--fast'], { cwd: ROOT });
    expect(b.status, b.stderr).toBe(0);
    for (const f of ['run.sh', 'README.md', 'kit.json', 'payload/node.gz', 'payload/webgpu/dawn.node.gz', 'payload/webgpu/index.js', 'payload/app/runner.js', 'payload/app/burn/node-worker.js']) {
      expect(existsSync(join(kit, f)), f).toBe(true);
    }
    expect(readdirSync(join(kit, 'payload')).some((f) => /^libvulkan1_.*_amd64\.deb$/.test(f))).toBe(true);
    expect(sizeOf(kit)).toBeLessThan(60 * 2 ** 20);
    const manifest = JSON.parse(readFileSync(join(kit, 'kit.json'), 'utf8'));
    expect(manifest.node).toBe(process.versions.node);
    expect(manifest.compression).toMatch(/^gzip -1/);
  });

  it('run.sh --quick --allow-software: reports name the adapter, every workload, identical outputs', async () => {
    const out = join(DIR, 'results');
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutNode() };
    delete env.VK_ICD_FILENAMES;
    delete env.VK_DRIVER_FILES;
    const r = await run('/bin/bash', [join(kit, 'run.sh'), '--quick', '--allow-software', '--runs', '1', '--out', out], { cwd: DIR, env });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as KitReport;
    // SwiftShader here; a hardware adapter where there is one
    expect(report.machine.adapter).toMatch(/^(GPU|software adapter): ./);
    software = report.machine.software;
    expect(report.machine.loader).toMatch(/^libvulkan1_/);
    expect(report.machine.node).toBe(process.versions.node);
    expect(report.workloads.map((w) => w.id)).toEqual(WORKLOADS);
    for (const w of report.workloads) {
      expect(w.error, w.id).toBeUndefined();
      expect(w.identical, w.id).toBe(true);
      expect(w.cpu!.runsMs).toHaveLength(1);
      expect(w.webgpu!.fallbackReason, w.id).toBeUndefined();
      if (w.kind === 'single') expect(w.webgpu!.process!.identical, w.id).toBe(true);
    }
    expect(report.ok).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain(report.machine.adapter);
    for (const id of WORKLOADS) expect(md).toMatch(new RegExp(`^\\| ${id} \\|.*\\| identical \\|$`, 'm'));
    expect(r.stdout).toContain(`adapter: ${report.machine.adapter}`);
  });

  it('run.sh refuses a software adapter without --allow-software (exit 2)', async (ctx) => {
    // only a machine whose adapter is software (this one's SwiftShader) can show the refusal
    if (software !== true) ctx.skip();
    const env = { ...process.env };
    delete env.VK_ICD_FILENAMES;
    delete env.VK_DRIVER_FILES;
    const r = await run('/bin/bash', [join(kit, 'run.sh'), '--quick', '--only', 'W5', '--out', join(DIR, 'refused')], { cwd: DIR, env });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(/software adapter, not a GPU.*--allow-software/);
    expect(existsSync(join(DIR, 'refused/report.json'))).toBe(false);
  });
});
