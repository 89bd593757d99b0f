// An edited TIFF as the old file's bytes with patches laid over them and new bytes appended: the chunk
// offsets and byte counts arrays rewritten (widened when they no longer fit), and the result assembled into
// few large parts for writing. Browser-safe.
import { encodeValues } from './ifd-write.js';
import type { IfdEntry } from './ifd-read.js';
import type { GeoTIFFLayout } from './layout.js';
import { TYPE } from './tags.js';

/** Bytes laid over the old file at `at`. */
export interface Patch { at: number; bytes: Uint8Array }

export function uint32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

// rewrites an offsets or byte-counts array: in place when the values fit its type, else as LONG/LONG8 values
// (inside the entry when they fit there, else appended to the file)
export class ArrayWriter {
  constructor(
    private readonly L: GeoTIFFLayout,
    private readonly place: (data: Uint8Array, align: number) => number,
    private readonly patches: Patch[],
  ) {}

  write(e: IfdEntry, values: number[]): void {
    const max = Math.max(...values.slice(0, e.count));
    const fits = e.type === TYPE.LONG8 || (e.type === TYPE.LONG && max <= 0xffffffff) || (e.type === TYPE.SHORT && max <= 0xffff);
    const type = fits ? e.type : this.L.bigTiff ? TYPE.LONG8 : TYPE.LONG;
    const data = encodeValues(type, values.slice(0, e.count), this.L.littleEndian);
    const inline = this.L.bigTiff ? 8 : 4;
    const le = this.L.littleEndian;
    if (fits) {
      this.patches.push({ at: e.valueAt, bytes: data });
      return;
    }
    if (this.L.bigTiff ? type === TYPE.LONG8 && e.count > 1 : e.count * 4 > 4) {
      // out of line: the entry's type and value offset change
      const at = this.place(data, 8);
      const entry = new Uint8Array(2 + (this.L.bigTiff ? 18 : 10));
      const dv = new DataView(entry.buffer);
      dv.setUint16(0, type, le);
      if (this.L.bigTiff) { dv.setBigUint64(2, BigInt(e.count), le); dv.setBigUint64(10, BigInt(at), le); } else { dv.setUint32(2, e.count, le); dv.setUint32(6, at, le); }
      this.patches.push({ at: e.entryAt + 2, bytes: entry });
    } else {
      const entry = new Uint8Array(2 + (this.L.bigTiff ? 8 : 4) + inline);
      const dv = new DataView(entry.buffer);
      dv.setUint16(0, type, le);
      if (this.L.bigTiff) dv.setBigUint64(2, BigInt(e.count), le); else dv.setUint32(2, e.count, le);
      entry.set(data, entry.length - inline);
      this.patches.push({ at: e.entryAt + 2, bytes: entry });
    }
  }

}

// the output as slices of the old file with patches laid over them, then the appended tail; small pieces are
// merged so that writing does not cost a system call per chunk
export function assemble(bytes: Uint8Array, patches: Patch[], tail: Uint8Array[]): Uint8Array[] {
  patches.sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const p of patches) {
    if (p.at < at) throw new Error(`overlapping regions in the TIFF at byte ${p.at}; the file's chunks or arrays share bytes`);
    if (p.at + p.bytes.length > bytes.length) throw new Error(`TIFF region at byte ${p.at} runs past the end of the file`);
    if (p.at > at) parts.push(bytes.subarray(at, p.at));
    parts.push(p.bytes);
    at = p.at + p.bytes.length;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  parts.push(...tail);
  const merged: Uint8Array[] = [];
  let run: Uint8Array[] = [], runBytes = 0;
  const flush = (): void => {
    if (run.length === 1) merged.push(run[0]);
    else if (run.length > 1) {
      const m = new Uint8Array(runBytes);
      let o = 0;
      for (const r of run) { m.set(r, o); o += r.length; }
      merged.push(m);
    }
    run = []; runBytes = 0;
  };
  for (const p of parts) {
    if (p.length >= 1 << 16) { flush(); merged.push(p); continue; }
    run.push(p); runBytes += p.length;
    if (runBytes >= 1 << 20) flush();
  }
  flush();
  return merged;
}
