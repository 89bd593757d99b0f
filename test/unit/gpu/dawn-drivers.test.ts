// Whether Dawn's first, default-driver try is worth making: the Vulkan loader's manifest search, read
// without loading Vulkan (a doomed try prints the loader's and Dawn's warnings on stderr).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vulkanDriversVisible, vulkanManifestDirs } from '../../../src/gpu/dawn.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-vk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vulkanManifestDirs', () => {
  it("follows the loader's order: XDG config, sysconfdir, XDG data, with the XDG defaults", () => {
    expect(vulkanManifestDirs({ HOME: '/home/u' })).toEqual([
      '/home/u/.config/vulkan/icd.d', '/etc/xdg/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/etc/vulkan/icd.d',
      '/home/u/.local/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d',
    ]);
  });

  it('uses the XDG variables when they are set', () => {
    const dirs = vulkanManifestDirs({ HOME: '/home/u', XDG_CONFIG_HOME: '/c', XDG_CONFIG_DIRS: '/c1:/c2', XDG_DATA_HOME: '/d', XDG_DATA_DIRS: '/d1:/d2' });
    expect(dirs).toEqual(['/c', '/c1', '/c2', '/etc', '/usr/local/etc', '/d', '/d1', '/d2'].map((d) => `${d}/vulkan/icd.d`));
  });
});

describe('vulkanDriversVisible', () => {
  it('is true when the environment names a driver', () => {
    for (const k of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES']) {
      expect(vulkanDriversVisible({ [k]: '/nowhere/icd.json' }), k).toBe(true);
    }
  });

  it('is true when a manifest lies in a searched directory, and ignores other files there', () => {
    const home = join(dir, 'home');
    const icd = join(home, '.local/share/vulkan/icd.d');
    mkdirSync(icd, { recursive: true });
    const env = { HOME: home, XDG_CONFIG_DIRS: join(dir, 'none'), XDG_DATA_DIRS: join(dir, 'none') };
    // without our manifest only /etc and /usr/local/etc can answer, which this machine may or may not fill
    const system = ['/etc/vulkan/icd.d', '/usr/local/etc/vulkan/icd.d'].some((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith('.json')));
    writeFileSync(join(icd, 'README'), 'not a manifest');
    expect(vulkanDriversVisible(env)).toBe(system);
    writeFileSync(join(icd, 'lvp_icd.x86_64.json'), '{}');
    expect(vulkanDriversVisible(env)).toBe(true);
  });
});
