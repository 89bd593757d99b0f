// dBASE (.dbf) attribute tables as GDAL's Shapefile driver reads them. Hand-written rather than the
// `shapefile` package's reader: that one reads a record per promise, parses numbers with Number() instead
// of strtod's prefix rule GDAL applies, and drops the field's decimal count, which decides whether GDAL
// calls a numeric field Integer, Integer64 or Real (and so what -a burns and what type -a creates).
import type { FieldInfo, FieldType, Properties } from './layer.js';
import { atof } from '../features/field.js';

interface DbfField extends FieldInfo { offset: number; length: number; code: string; decimals: number }

export interface DbfTable {
  fields: FieldInfo[];
  count: number;
  /** record i's values (0-based) of the fields asked for */
  record(i: number): Properties;
  /** the fields asked for, in the file's order; numeric: their values are numbers or null */
  columns: { name: string; numeric: boolean }[];
  /** record i's value of columns[k], as record(i) holds it */
  cell(i: number, k: number): unknown;
}

/** The TextDecoder label for a .cpg text, or for the DBF header's language driver id when there is no .cpg. */
export function dbfEncoding(cpg: string | undefined, ldid: number): string {
  if (cpg !== undefined) {
    const c = cpg.trim().toUpperCase().replace(/^(CP|WINDOWS-?|ANSI\s*)/, '');
    if (c === 'UTF-8' || c === 'UTF8' || c === '65001') return 'utf-8';
    if (/^(ISO[-_ ]?)?8859[-_ ]?(\d+)$/.test(c) || /^8859\d+$/.test(c)) return `iso-8859-${(/(\d+)$/.exec(c) as RegExpExecArray)[1].replace(/^8859/, '')}`;
    if (/^125\d$/.test(c)) return `windows-${c}`;
    if (c === '866') return 'ibm866';
    if (c === '874') return 'windows-874';
    if (c === '932' || c === 'SJIS' || c === 'SHIFT_JIS') return 'shift_jis';
    if (c === '936' || c === 'GBK') return 'gbk';
    if (c === '949') return 'euc-kr';
    if (c === '950' || c === 'BIG5') return 'big5';
    if (c === 'KOI8-R') return 'koi8-r';
  }
  // a few language driver ids GDAL maps; others (and 0) read as Latin-1, GDAL's default
  const byLdid: Record<number, string> = { 0x57: 'windows-1252', 0x03: 'windows-1252', 0x58: 'windows-1252', 0x59: 'windows-1252', 0x64: 'ibm866', 0x65: 'ibm866', 0x66: 'ibm866', 0xc8: 'windows-1250', 0xc9: 'windows-1251', 0xca: 'windows-1254', 0xcb: 'windows-1253', 0x4d: 'gbk', 0x4e: 'euc-kr', 0x4f: 'big5', 0x13: 'shift_jis' };
  return byLdid[ldid] ?? 'iso-8859-1';
}

function typeOf(code: string, length: number, decimals: number): FieldType {
  if (code === 'N' || code === 'F') {
    if (decimals > 0 || length >= 19) return 'Real';
    return length < 10 ? 'Integer' : 'Integer64';
  }
  if (code === 'D' && length === 8) return 'Date';
  // GDAL reads logical fields as text (T, F, Y, N, ?)
  return 'String';
}

/**
 * Reads a .dbf held in memory; text decoded with `encoding` (a TextDecoder label). `only` names the
 * fields records decode (case-insensitively; default all): a burn needs one, and decoding the others is
 * most of a wide table's reading time.
 */
export function readDbf(bytes: Uint8Array, encoding: string, name: string, only?: readonly string[]): DbfTable {
  if (bytes.length < 33) throw new Error(`${name} is not a dBASE file: ${bytes.length} bytes`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(4, true);
  const headerLength = v.getUint16(8, true);
  const recordLength = v.getUint16(10, true);
  if (headerLength < 33 || headerLength > bytes.length || recordLength < 1) throw new Error(`${name} is not a dBASE file: bad header`);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new Error(`${name}: text encoding "${encoding}" is not supported`);
  }
  const fields: DbfField[] = [];
  let offset = 1;
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    let end = at;
    while (end < at + 11 && bytes[end] !== 0) end++;
    const fname = decoder.decode(bytes.subarray(at, end)).trim();
    const code = String.fromCharCode(bytes[at + 11]).toUpperCase();
    const length = bytes[at + 16], decimals = bytes[at + 17];
    fields.push({ name: fname, type: typeOf(code, length, decimals), offset, length, code, decimals });
    offset += length;
  }
  if (offset > recordLength) throw new Error(`${name}: fields need ${offset} bytes a record, the header says ${recordLength}`);
  const available = Math.floor((bytes.length - headerLength) / recordLength);
  const n = Math.min(count, available);
  const wanted = only === undefined ? fields : fields.filter((f) => only.some((o) => o.toLowerCase() === f.name.toLowerCase()));
  const cell = (i: number, k: number): unknown => {
    const f = wanted[k];
    const a = headerLength + i * recordLength + f.offset, b = a + f.length;
    const whole = f.code === 'N' || f.code === 'F' ? wholeNumber(bytes, a, b) : undefined;
    return whole !== undefined ? whole : value(bytes.subarray(a, b), f, decoder);
  };
  return {
    fields: fields.map((f) => ({ name: f.name, type: f.type })),
    count: n,
    record(i: number): Properties {
      const p: Properties = {};
      for (let k = 0; k < wanted.length; k++) p[wanted[k].name] = cell(i, k);
      return p;
    },
    columns: wanted.map((f) => ({ name: f.name, numeric: f.type === 'Integer' || f.type === 'Integer64' || f.type === 'Real' })),
    cell,
  };
}

// a numeric cell that is blanks, an optional sign and at most 15 digits, then blanks: its value, exact as
// a double (what atof gives, and what Math.trunc keeps); undefined for anything else, which value() reads.
// The common integer cell this way costs no string.
function wholeNumber(b: Uint8Array, a: number, e: number): number | undefined {
  while (a < e && b[a] === 0x20) a++;
  let neg = false;
  if (a < e && (b[a] === 0x2d || b[a] === 0x2b)) { neg = b[a] === 0x2d; a++; }
  const first = a;
  let x = 0;
  while (a < e && b[a] >= 0x30 && b[a] <= 0x39) x = x * 10 + (b[a++] - 0x30);
  const digits = a - first;
  while (a < e && b[a] === 0x20) a++;
  if (a !== e || digits === 0 || digits > 15) return undefined;
  return neg ? -x : x;
}

// OGR's value for one cell: null for the DBF null markers, numbers for numeric fields, Date objects for
// dates (GetFieldAsDouble reads 0 for a date, as fieldAsDouble does for an object), text without surrounding blanks
function value(cell: Uint8Array, f: DbfField, decoder: TextDecoder): unknown {
  let ascii = true;
  for (let k = 0; k < cell.length; k++) if (cell[k] > 0x7e) { ascii = false; break; }
  const text = ascii ? String.fromCharCode(...cell) : decoder.decode(cell);
  if (f.type === 'Integer' || f.type === 'Integer64' || f.type === 'Real') {
    const t = text.trim();
    if (t === '' || /^\*+$/.test(t) || t.charCodeAt(0) === 0) return null;
    const x = atof(t);
    return f.type === 'Real' ? x : Math.trunc(x);
  }
  if (f.type === 'Date') {
    const t = text.trim();
    if (!/^\d{8}$/.test(t) || t === '00000000') return null;
    return new Date(Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8)));
  }
  // GDAL strips the blanks on both sides of a text value
  const s = text.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (f.code === 'L' && s === '?') return null;
  // shapelib reads a text cell that trims to nothing as NULL (what it writes for a NULL), whatever the type
  return s === '' ? null : s;
}
