// Node only: WebGPU through Dawn (the optional `webgpu` package). Not part of the browser core.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's chromium ships SwiftShader's Vulkan driver here. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface DawnModule {
  create(options: string[]): GPU;
}

// Dawn keeps the process alive only while the object from create() is referenced; it lives here,
// for the life of the process, so devices created from it stay usable.
let gpu: GPU | null = null;

/**
 * Where the Vulkan loader looks for driver manifests on Linux when VK_ICD_FILENAMES/VK_DRIVER_FILES are
 * unset (the loader's documented search order: XDG config dirs, sysconfdir, XDG data dirs).
 */
export function vulkanManifestDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? '';
  const configHome = env.XDG_CONFIG_HOME || (home && join(home, '.config'));
  const dataHome = env.XDG_DATA_HOME || (home && join(home, '.local/share'));
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  return [configHome, ...configDirs, '/etc', '/usr/local/etc', dataHome, ...dataDirs]
    .filter((d) => d !== '')
    .map((d) => join(d, 'vulkan', 'icd.d'));
}

/** Whether the Vulkan loader would find a driver by itself: a manifest in a standard place, or one named in the environment. */
export function vulkanDriversVisible(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES) return true;
  return vulkanManifestDirs(env).some((dir) => {
    try {
      return readdirSync(dir).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

export interface DawnAdapterOptions {
  /**
   * Verbose mode: the default drivers are tried even when no manifest is installed, so that Dawn and the
   * loader say on stderr why they find none, and each step is reported here.
   */
  verbose?: (message: string) => void;
}

/**
 * Finds an adapter through Dawn: first with the Vulkan drivers the loader finds by itself; if
 * none gives an adapter and no ICD was chosen by the user, once more with SwiftShader.
 *
 * Dawn and the Vulkan loader print their own warnings on stderr when an instance finds no driver
 * ("vkCreateInstance: Found no drivers!"); webgpu's create() has no option to quiet them. So when no
 * driver manifest is installed the doomed first try is skipped, unless options.verbose asks to see it.
 *
 * The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its Vulkan instance, which happens in
 * each create() call, not at process start: setting it in process.env and calling create() again
 * works (checked with webgpu 0.6.2), so no re-exec is needed.
 */
export async function requestDawnAdapter(options: DawnAdapterOptions = {}): Promise<{ adapter: GPUAdapter | null; why?: string }> {
  const say = options.verbose ?? (() => {});
  let mod: DawnModule;
  try {
    mod = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    return { adapter: null, why: `the optional 'webgpu' package (Dawn) could not be loaded: ${(e as Error).message}` };
  }
  // Vulkan's window-system code prints an error per instance when XDG_RUNTIME_DIR is unset (headless
  // servers, CI); a private empty directory satisfies it and keeps the CLI's stderr to our own lines
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), `rasterburn-xdg-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  const tries: string[] = [];
  const attempt = async (): Promise<GPUAdapter | null> => {
    const g = mod.create([]);
    const adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) gpu = g;
    return adapter;
  };
  // verbose mode names the adapter and the driver it came through
  const found = (adapter: GPUAdapter): { adapter: GPUAdapter } => {
    const info = (adapter as { info?: GPUAdapterInfo }).info;
    say(`adapter: ${[info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unnamed'}${process.env.VK_ICD_FILENAMES ? ` (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES})` : ''}`);
    return { adapter };
  };
  if (gpu) {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) return found(adapter);
  }
  let adapter: GPUAdapter | null = null;
  if (vulkanDriversVisible() || options.verbose) {
    say('asking Dawn for an adapter with the default Vulkan drivers');
    adapter = await attempt();
    if (adapter) return found(adapter);
    tries.push(`Dawn found no adapter with the default Vulkan drivers${process.env.VK_ICD_FILENAMES ? ` (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES})` : ''}`);
  } else {
    tries.push('no Vulkan driver is installed');
  }
  const userChose = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (!userChose && existsSync(SWIFTSHADER_ICD)) {
    say(`${tries[tries.length - 1]}; trying SwiftShader (${SWIFTSHADER_ICD})`);
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    adapter = await attempt();
    if (adapter) return found(adapter);
    delete process.env.VK_ICD_FILENAMES;
    tries.push(`nor did SwiftShader (${SWIFTSHADER_ICD})`);
  } else if (!userChose) {
    tries.push(`SwiftShader is not installed (${SWIFTSHADER_ICD} missing; install chromium)`);
  }
  const why = tries.join(', ');
  say(`no adapter: ${why}`);
  return { adapter: null, why };
}
