// The folder backend of the store: a folder every worker and the submitter see at the same path (a
// network file system, or one machine's disk). Each object is written to a temporary name and
// renamed, so a replaced object is never seen half-written and a killed writer leaves at most a
// temporary file (removeStaleTemps).
import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../io/node-files.js';
import type { ObjectStore } from './store.js';

export class FolderStore implements ObjectStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, parts: readonly Uint8Array[]): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, [...parts]);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`cannot read ${this.path(key)}: ${code === 'ENOENT' ? 'no such file (is the store shared with this host, at the same path?)' : (e as Error).message}`);
    }
  }

  async has(key: string): Promise<boolean> {
    return stat(this.path(key)).then(() => true, () => false);
  }

  gdalName(key: string): string {
    return this.path(key);
  }

  displayName(key: string): string {
    return key === '' ? this.root : this.path(key);
  }

  async prepare(prefixes: readonly string[]): Promise<void> {
    for (const p of prefixes) await mkdir(this.path(p), { recursive: true });
  }

  async removeStaleTemps(prefix: string): Promise<number> {
    const dir = this.path(prefix);
    let n = 0;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      // writeFileAtomic's temporary names (src/io/node-destination.ts)
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        await unlink(dir + sep + name).catch(() => undefined);
        n++;
      }
    }
    return n;
  }
}
