// Node only: WebGPU through Dawn (the optional `webgpu` package). Not part of the browser core.
import { existsSync, mkdirSync } from 'node:fs';
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
 * Finds an adapter through Dawn: first with the Vulkan drivers the loader finds by itself; if
 * none gives an adapter and no ICD was chosen by the user, once more with SwiftShader.
 *
 * The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its Vulkan instance, which happens in
 * each create() call, not at process start: setting it in process.env and calling create() again
 * works (checked with webgpu 0.6.2), so no re-exec is needed.
 */
export async function requestDawnAdapter(): Promise<{ adapter: GPUAdapter | null; why?: string }> {
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
  if (gpu) {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) return { adapter };
  }
  let adapter = await attempt();
  if (adapter) return { adapter };
  tries.push(`Dawn found no adapter with the default Vulkan drivers${process.env.VK_ICD_FILENAMES ? ` (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES})` : ''}`);
  const userChose = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (!userChose && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    adapter = await attempt();
    if (adapter) return { adapter };
    delete process.env.VK_ICD_FILENAMES;
    tries.push(`nor with SwiftShader (${SWIFTSHADER_ICD})`);
  } else if (!userChose) {
    tries.push(`SwiftShader is not installed (${SWIFTSHADER_ICD} missing; install chromium)`);
  }
  return { adapter: null, why: tries.join(', ') };
}
