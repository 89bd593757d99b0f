// The shared store of a job, a folder every worker sees at the same path (a network file system, or
// one machine's disk): the job's description, the submitter's partitions of the features, the tiles
// the workers write and the assembled VRT. Every file is written to a temporary name and renamed, so a
// retried tile replaces its own output whole and a killed worker leaves at most a temporary file.
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/node-files.js';
import type { TileJobSpec, TileRect } from './tile-grid.js';

export class JobStore {
  readonly dir: string;
  constructor(root: string, readonly jobId: string) {
    this.dir = resolve(root, jobId);
  }

  get specPath(): string { return join(this.dir, 'job.json'); }
  get vrtPath(): string { return join(this.dir, `${this.jobId}.vrt`); }
  shapesPath(index: number): string { return join(this.dir, 'shapes', `${index}.bin`); }
  /** a tile's file, relative to the job's folder */
  tileName(rect: Pick<TileRect, 'row' | 'col'>): string { return join('tiles', `r${rect.row}-c${rect.col}.tif`); }
  tilePath(rect: Pick<TileRect, 'row' | 'col'>): string { return join(this.dir, this.tileName(rect)); }

  async create(): Promise<void> {
    await mkdir(join(this.dir, 'shapes'), { recursive: true });
    await mkdir(join(this.dir, 'tiles'), { recursive: true });
  }

  async writeSpec(spec: TileJobSpec): Promise<void> {
    await writeFileAtomic(this.specPath, `${JSON.stringify(spec)}\n`);
  }

  async readSpec(): Promise<TileJobSpec> {
    let text: string;
    try {
      text = await readFile(this.specPath, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the job's description ${this.specPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is the store shared with this worker, at the same path?)' : (e as Error).message}`);
    }
    const spec = JSON.parse(text) as TileJobSpec;
    if (spec.version !== 1) throw new Error(`${this.specPath} is a version ${spec.version} job; this rasterburn runs version 1`);
    return spec;
  }

  async writeShapes(index: number, bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.shapesPath(index), bytes);
  }

  async readShapes(index: number): Promise<Uint8Array> {
    try {
      return await readFile(this.shapesPath(index));
    } catch (e) {
      throw new Error(`cannot read tile ${index}'s features ${this.shapesPath(index)}: ${(e as Error).message}`);
    }
  }

  async writeTile(rect: TileRect, parts: Uint8Array[]): Promise<void> {
    await writeFileAtomic(this.tilePath(rect), parts);
  }

  /** Removes what killed workers left: temporary files in the tiles folder. Returns how many. */
  async removeStaleTemps(): Promise<number> {
    const dir = join(this.dir, 'tiles');
    let n = 0;
    for (const name of await readdir(dir)) {
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        await unlink(join(dir, name)).catch(() => undefined);
        n++;
      }
    }
    return n;
  }

  /** The tile files in the store (names relative to the job's folder). */
  async tileFiles(): Promise<string[]> {
    return (await readdir(join(this.dir, 'tiles'))).filter((n) => n.endsWith('.tif')).map((n) => join('tiles', n));
  }
}
