// Writes a TIFF header and one IFD, classic or BigTIFF, little-endian: the entries sorted by tag, values
// that do not fit an entry placed after the IFD on 8-byte boundaries, the image data from the next
// 16-byte boundary. Also the value encoder the in-place updater uses in either byte order. Browser-safe.
import { TAGS, TYPE, TYPE_SIZE } from './tags.js';

/** One IFD entry to write: numbers, or ASCII text (written with its NUL). */
export interface Field {
  tag: number;
  type: number;
  values?: number[];
  text?: string;
}

/** Where everything of a one-image TIFF goes. */
export interface IfdPlan {
  /** every entry, sorted by tag, the chunk offsets and byte counts included */
  fields: Field[];
  /** the chunk offsets and byte counts entries, whose values the caller fills in before writing */
  chunkFields: [Field, Field];
  ifdStart: number;
  /** file offsets of the values that do not fit inside their entry */
  valueOffsets: Map<Field, number>;
  /** where the image data starts */
  dataStart: number;
  /** the file's length */
  total: number;
}

/**
 * Places the IFD, the out-of-line values and `dataBytes` of image data in `chunks` chunks; the chunk
 * offsets and byte counts (TileOffsets/TileByteCounts or StripOffsets/StripByteCounts) are added as
 * LONG, or LONG8 in BigTIFF.
 */
export function planIfd(base: Field[], chunks: number, dataBytes: number, big: boolean, tiled: boolean): IfdPlan {
  const offType = big ? TYPE.LONG8 : TYPE.LONG;
  const zeros = new Array<number>(chunks).fill(0);
  const offsetsField: Field = { tag: tiled ? TAGS.TileOffsets.code : TAGS.StripOffsets.code, type: offType, values: zeros };
  const countsField: Field = { tag: tiled ? TAGS.TileByteCounts.code : TAGS.StripByteCounts.code, type: offType, values: zeros };
  const fields = [...base, offsetsField, countsField].sort((a, b) => a.tag - b.tag);
  const headerSize = big ? 16 : 8;
  const ifdSize = big ? 8 + fields.length * 20 + 8 : 2 + fields.length * 12 + 4;
  const inline = big ? 8 : 4;
  let at = headerSize + ifdSize;
  const valueOffsets = new Map<Field, number>();
  for (const f of fields) {
    const size = byteLength(f);
    if (size > inline) {
      at = align(at, 8);
      valueOffsets.set(f, at);
      at += size;
    }
  }
  const dataStart = align(at, 16);
  return { fields, chunkFields: [offsetsField, countsField], ifdStart: headerSize, valueOffsets, dataStart, total: dataStart + dataBytes };
}

/**
 * Writes the header, the IFD and its values into `bytes` (zeroed, at least plan.dataStart long). Returns the
 * file offset of every field's values, inside its entry or out of line.
 */
export function writeHeaderAndIfd(bytes: Uint8Array, plan: IfdPlan, big: boolean): Map<Field, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const valueAt = new Map<Field, number>();
  bytes[0] = 0x49; bytes[1] = 0x49; // 'II': little-endian
  if (big) {
    view.setUint16(2, 43, true);
    view.setUint16(4, 8, true);
    view.setUint16(6, 0, true);
    view.setBigUint64(8, BigInt(plan.ifdStart), true);
  } else {
    view.setUint16(2, 42, true);
    view.setUint32(4, plan.ifdStart, true);
  }
  let p = plan.ifdStart;
  if (big) { view.setBigUint64(p, BigInt(plan.fields.length), true); p += 8; } else { view.setUint16(p, plan.fields.length, true); p += 2; }
  for (const f of plan.fields) {
    view.setUint16(p, f.tag, true);
    view.setUint16(p + 2, f.type, true);
    const n = count(f);
    if (big) view.setBigUint64(p + 4, BigInt(n), true); else view.setUint32(p + 4, n, true);
    const valueField = p + (big ? 12 : 8);
    const outOfLine = plan.valueOffsets.get(f);
    if (outOfLine !== undefined) {
      if (big) view.setBigUint64(valueField, BigInt(outOfLine), true); else view.setUint32(valueField, outOfLine, true);
    }
    const at = outOfLine ?? valueField;
    writeField(view, bytes, at, f);
    valueAt.set(f, at);
    p += big ? 20 : 12;
  }
  // next IFD offset: none (the bytes are already zero)
  return valueAt;
}

/** Unsigned integer or DOUBLE values of one field type as bytes in the given byte order. */
export function encodeValues(type: number, values: number[], littleEndian: boolean): Uint8Array {
  const size = TYPE_SIZE[type];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) setValue(view, i * size, type, values[i], littleEndian);
  return out;
}

function byteLength(f: Field): number {
  return count(f) * TYPE_SIZE[f.type];
}

function count(f: Field): number {
  return f.text !== undefined ? f.text.length + 1 : f.values!.length;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function writeField(view: DataView, bytes: Uint8Array, at: number, f: Field): void {
  if (f.text !== undefined) {
    for (let i = 0; i < f.text.length; i++) bytes[at + i] = f.text.charCodeAt(i) & 0x7f;
    bytes[at + f.text.length] = 0;
    return;
  }
  const vs = f.values!;
  const size = TYPE_SIZE[f.type];
  for (let i = 0; i < vs.length; i++) setValue(view, at + i * size, f.type, vs[i], true);
}

function setValue(view: DataView, at: number, type: number, v: number, le: boolean): void {
  switch (type) {
    case TYPE.SHORT: view.setUint16(at, v, le); break;
    case TYPE.LONG: view.setUint32(at, v, le); break;
    case TYPE.LONG8: view.setBigUint64(at, BigInt(v), le); break;
    case TYPE.DOUBLE: view.setFloat64(at, v, le); break;
    default: throw new Error(`internal: TIFF type ${type}`);
  }
}
