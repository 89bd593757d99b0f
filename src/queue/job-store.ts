// A job's objects in the shared store: its description, the submitter's partitions of the features,
// the tiles the workers write, the assembled VRT and the cancel marker, all under `<job id>/`.
// Browser-safe: the backend (a folder, S3) is the ObjectStore given.
import type { ObjectStore } from './store.js';
import type { TileJobSpec, TileRect } from './tile-grid.js';

export class JobStore {
  constructor(readonly store: ObjectStore, readonly jobId: string) {}

  /** where the job lives, as a path or an s3:// URL */
  get dir(): string { return this.store.displayName(this.jobId); }
  private key(name: string): string { return `${this.jobId}/${name}`; }

  get specKey(): string { return this.key('job.json'); }
  get vrtKey(): string { return this.key(`${this.jobId}.vrt`); }
  get cancelKey(): string { return this.key('cancelled'); }
  shapesKey(index: number): string { return this.key(`shapes/${index}.bin`); }
  /** a tile's name, relative to the job's folder */
  tileName(rect: Pick<TileRect, 'row' | 'col'>): string { return `tiles/r${rect.row}-c${rect.col}.tif`; }
  tileKey(rect: Pick<TileRect, 'row' | 'col'>): string { return this.key(this.tileName(rect)); }

  async create(): Promise<void> {
    await this.store.prepare([this.key('shapes'), this.key('tiles')]);
  }

  async writeSpec(spec: TileJobSpec): Promise<void> {
    await this.store.put(this.specKey, [new TextEncoder().encode(`${JSON.stringify(spec)}\n`)]);
  }

  async readSpec(): Promise<TileJobSpec> {
    let text: string;
    try {
      text = new TextDecoder().decode(await this.store.get(this.specKey));
    } catch (e) {
      throw new Error(`cannot read the job's description: ${(e as Error).message}`);
    }
    const spec = JSON.parse(text) as TileJobSpec;
    if (spec.version !== 1) throw new Error(`${this.store.displayName(this.specKey)} is a version ${spec.version} job; this rasterburn runs version 1`);
    return spec;
  }

  async writeShapes(index: number, bytes: Uint8Array): Promise<void> {
    await this.store.put(this.shapesKey(index), [bytes]);
  }

  async readShapes(index: number): Promise<Uint8Array> {
    try {
      return await this.store.get(this.shapesKey(index));
    } catch (e) {
      throw new Error(`cannot read tile ${index}'s features: ${(e as Error).message}`);
    }
  }

  async writeTile(rect: TileRect, parts: Uint8Array[]): Promise<void> {
    await this.store.put(this.tileKey(rect), parts);
  }

  async readTile(rect: TileRect): Promise<Uint8Array> {
    try {
      return await this.store.get(this.tileKey(rect));
    } catch (e) {
      throw new Error(`cannot read the tile: ${(e as Error).message}`);
    }
  }

  async writeVrt(xml: string): Promise<void> {
    await this.store.put(this.vrtKey, [new TextEncoder().encode(xml)]);
  }

  /** Removes what killed workers left among the tiles (temporary files of a folder store). Returns how many. */
  removeStaleTemps(): Promise<number> {
    return this.store.removeStaleTemps(this.key('tiles'));
  }

  async markCancelled(): Promise<void> {
    await this.store.put(this.cancelKey, [new TextEncoder().encode(`${new Date().toISOString()}\n`)]);
  }

  isCancelled(): Promise<boolean> {
    return this.store.has(this.cancelKey);
  }
}
