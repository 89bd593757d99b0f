// Reads a TIFF's header and first IFD where they lie in the file, either byte order, classic or BigTIFF: each
// entry with the file offsets of the entry and of its values, so that a caller can rewrite values in place.
// Browser-safe.
import { TYPE_SIZE, UNSIGNED_TYPES } from './tags.js';

/** One IFD entry as it lies in the file. */
export interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** file offset of the IFD entry */
  entryAt: number;
  /** file offset of the value: inside the entry when it fits there, else where the entry points */
  valueAt: number;
}

/** Bounds-checked reads of a TIFF's header and first IFD, in the file's byte order (classic or BigTIFF). */
export class IfdReader {
  readonly le: boolean;
  readonly big: boolean;
  private readonly dv: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 8) throw new Error(`not a TIFF: ${bytes.length} bytes`);
    const order = String.fromCharCode(bytes[0], bytes[1]);
    if (order !== 'II' && order !== 'MM') throw new Error('not a TIFF: no II/MM byte-order mark');
    this.le = order === 'II';
    const version = this.dv.getUint16(2, this.le);
    if (version !== 42 && version !== 43) throw new Error(`not a TIFF: version ${version}`);
    this.big = version === 43;
    if (this.big && (bytes.length < 16 || this.dv.getUint16(4, this.le) !== 8)) throw new Error('malformed BigTIFF header');
  }

  private u64(at: number): number {
    this.need(at, 8);
    const v = this.dv.getBigUint64(at, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`malformed TIFF: 64-bit value ${v} at byte ${at}`);
    return Number(v);
  }

  private need(at: number, n: number): void {
    if (!(at >= 0 && at + n <= this.bytes.length)) throw new Error(`malformed TIFF: ${n} bytes at ${at} lie past the end of the ${this.bytes.length}-byte file`);
  }

  /** the first IFD's entries */
  firstIfd(): IfdEntry[] {
    return this.ifdAt(this.big ? this.u64(8) : this.dv.getUint32(4, this.le));
  }

  /** the entries of the IFDs after the first, in the chain's order (at most 1000: a cycle ends there) */
  *laterIfds(): Generator<IfdEntry[]> {
    let at = this.nextOf(this.big ? this.u64(8) : this.dv.getUint32(4, this.le));
    for (let k = 0; at !== 0 && k < 1000; k++) {
      yield this.ifdAt(at);
      at = this.nextOf(at);
    }
  }

  // the offset of the IFD that follows the one at `at` (0: none)
  private nextOf(at: number): number {
    const n = this.big ? this.u64(at) : (this.need(at, 2), this.dv.getUint16(at, this.le));
    const next = at + (this.big ? 8 : 2) + n * (this.big ? 20 : 12);
    return this.big ? this.u64(next) : (this.need(next, 4), this.dv.getUint32(next, this.le));
  }

  private ifdAt(at: number): IfdEntry[] {
    const n = this.big ? this.u64(at) : (this.need(at, 2), this.dv.getUint16(at, this.le));
    const entrySize = this.big ? 20 : 12, first = at + (this.big ? 8 : 2);
    this.need(first, n * entrySize);
    const entries: IfdEntry[] = [];
    for (let i = 0; i < n; i++) {
      const e = first + i * entrySize;
      const tag = this.dv.getUint16(e, this.le), type = this.dv.getUint16(e + 2, this.le);
      const count = this.big ? this.u64(e + 4) : this.dv.getUint32(e + 4, this.le);
      const size = (TYPE_SIZE[type] ?? 1) * count;
      const field = e + (this.big ? 12 : 8);
      const valueAt = size <= (this.big ? 8 : 4) ? field : this.big ? this.u64(field) : this.dv.getUint32(field, this.le);
      entries.push({ tag, type, count, entryAt: e, valueAt });
    }
    return entries;
  }

  /** an entry's values, which must be unsigned integers */
  uints(e: IfdEntry): number[] {
    const size = TYPE_SIZE[e.type];
    if (!UNSIGNED_TYPES.has(e.type)) throw new Error(`malformed TIFF: tag ${e.tag} has type ${e.type}, not an unsigned integer`);
    this.need(e.valueAt, e.count * size);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) {
      const at = e.valueAt + i * size;
      out[i] = size === 1 ? this.bytes[at] : size === 2 ? this.dv.getUint16(at, this.le) : size === 4 ? this.dv.getUint32(at, this.le) : this.u64(at);
    }
    return out;
  }

  /** an ASCII entry's text, trailing NULs dropped */
  ascii(e: IfdEntry): string {
    this.need(e.valueAt, e.count);
    return new TextDecoder('latin1').decode(this.bytes.subarray(e.valueAt, e.valueAt + e.count)).replace(/\0+$/, '');
  }
}
