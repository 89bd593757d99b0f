// The type OGR's GeoJSON reader gives a property, which decides what -a burns for a value: the reader
// looks at every feature's value first and settles one type per field, then GetFieldAsDouble reads each
// value through that type. So a boolean burns 1 in a numeric field but 0 in a String field (its text
// "true" has no numeric prefix), and Date, Time, DateTime and list fields burn 0 whatever they hold.
// The transitions below were checked value pair by value pair against gdal_rasterize 3.6 (pixel rule F13),
// the date syntax string by string against ogrinfo (test/oracle/date-fields.test.ts).
import type { FieldType } from '../formats/layer.js';

/** How -a reads a field's values: 'number' as they are, 'text' through their text, 'zero' never. */
export type FieldReading = 'number' | 'text' | 'zero';

type State = 'none' | 'number' | 'string' | 'date' | 'time' | 'datetime' | 'intlist' | 'reallist' | 'strlist';
type ListKind = 'intlist' | 'reallist' | 'strlist' | 'json';

/** The reading of a field, from every feature's value of it (null and missing values do not count). */
export function fieldReading(values: Iterable<unknown>): FieldReading {
  const t = fieldType(values);
  if (t === 'string') return 'text';
  return t === 'integer' || t === 'real' || t === 'none' ? 'number' : 'zero';
}

/** OGR's field types as the GeoJSON reader settles them ('none': no feature has a value). */
export type OgrFieldType = 'none' | 'integer' | 'real' | 'string' | 'date' | 'time' | 'datetime' | 'intlist' | 'reallist' | 'strlist';

/**
 * The type OGR's GeoJSON reader gives a field from every feature's value of it. JSON's 2.0 and 2 are the
 * same number here, so a field whose values are all whole numbers is 'integer' even where the file wrote
 * them as 2.0 (which OGR reads as Real).
 */
export function fieldType(values: Iterable<unknown>): OgrFieldType {
  let s: State = 'none';
  let real = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    s = step(s, v);
    if (typeof v === 'number' && !Number.isInteger(v)) real = true;
    if (s === 'string') return 'string';
  }
  if (s === 'number') return real ? 'real' : 'integer';
  return s;
}

/** A value burned through its field's reading; `atof` reads a text's numeric prefix as C does. */
export function readAs(reading: FieldReading, v: unknown, atof: (s: string) => number): number {
  if (reading === 'zero') return 0;
  if (typeof v === 'number') return v;
  // an Integer64 value beyond 2^53, as GetFieldAsDouble rounds it
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return reading === 'number' ? (v ? 1 : 0) : 0;
  if (typeof v === 'string') return atof(v);
  // lists and objects are kept as JSON text, which starts with '[' or '{'
  return 0;
}

function step(s: State, v: unknown): State {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    if (s === 'none' || s === 'number') return 'number';
    if (s === 'intlist' || s === 'reallist' || s === 'strlist') return s;
    return 'string';
  }
  if (typeof v === 'string') {
    const d = dateKind(v);
    if (s === 'none') return d ?? 'string';
    if (s === 'strlist') return s;
    if (s === 'date' && (d === 'date' || d === 'datetime')) return d;
    if (s === 'datetime' && (d === 'date' || d === 'datetime')) return 'datetime';
    if (s === 'time' && d === 'time') return 'time';
    return 'string';
  }
  if (Array.isArray(v)) {
    const k = listKind(v);
    if (k === 'json') return 'string';
    if (s === 'none' || s === 'number') return k;
    if (s === k) return s;
    if ((s === 'intlist' && k === 'reallist') || (s === 'reallist' && k === 'intlist')) return 'reallist';
    return 'string';
  }
  return 'string';
}

// a non-empty array of one scalar kind reads as a list field; anything else is kept as JSON text
function listKind(a: unknown[]): ListKind {
  if (a.length === 0) return 'json';
  let kind: ListKind | undefined;
  for (const e of a) {
    let k: ListKind;
    if (typeof e === 'number') k = Number.isInteger(e) ? 'intlist' : 'reallist';
    else if (typeof e === 'string') k = 'strlist';
    else return 'json';
    if (kind === undefined || kind === k) kind = k;
    else if ((kind === 'intlist' && k === 'reallist') || (kind === 'reallist' && k === 'intlist')) kind = 'reallist';
    else return 'json';
  }
  return kind as ListKind;
}

const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** C's atoi: optional sign, then digits; 0 when there are none */
function atoi(s: string, i: number): number {
  const m = /^[+-]?\d+/.exec(s.slice(i));
  return m ? Number(m[0]) : 0;
}

function skipDigits(s: string, i: number): number {
  while (digit(s[i])) i++;
  return i;
}

/**
 * Whether OGR takes s for a date, a time or both (OGRParseDate's acceptance): "Y-M-D" or "Y/M/D"
 * (year within 16 bits, month 1-12, day 1-31, not checked against the month), then optionally "T",
 * "Z" or spaces and "H:M[:S]" (hour 0-23, minute 0-59, seconds 0-60); text after a complete time
 * is ignored, text after a date that holds no ':' is not.
 */
function parsesAsDate(input: string): boolean {
  let s = input, i = 0;
  while (s[i] === ' ') i++;
  let gotSomething = false;
  if (s.includes('-', i) || s.includes('/', i)) {
    if (!(s[i] === '-' || s[i] === '+' || digit(s[i]))) return false;
    const year = atoi(s, i);
    if (year > 32767 || year < -32768) return false;
    if (s[i] === '-') i++;
    i = skipDigits(s, i);
    if (s[i] !== '-' && s[i] !== '/') return false;
    i++;
    const month = atoi(s, i);
    if (month <= 0 || month > 12) return false;
    i = skipDigits(s, i);
    if (s[i] !== '-' && s[i] !== '/') return false;
    i++;
    const day = atoi(s, i);
    if (day <= 0 || day > 31) return false;
    i = skipDigits(s, i);
    if (i >= s.length) return true;
    gotSomething = true;
    if (s[i] === 'T') i++;
    else if (s[i] === 'Z') return true;
    else if (s[i] !== ' ') return false;
  }
  while (s[i] === ' ') i++;
  s = s.slice(i); i = 0;
  if (s.includes(':')) {
    if (!digit(s[0])) return false;
    const hour = atoi(s, 0);
    if (hour < 0 || hour > 23) return false;
    i = skipDigits(s, 0);
    if (s[i] !== ':') return false;
    i++;
    const minute = atoi(s, i);
    if (minute < 0 || minute > 59) return false;
    i = skipDigits(s, i);
    if (s[i] === ':') {
      i++;
      if (!digit(s[i])) return false;
      const seconds = Number(/^\d*\.?\d*/.exec(s.slice(i))?.[0] ?? '0');
      if (seconds > 60) return false;
    }
    return true;
  }
  return gotSomething && s.length === 0;
}

/**
 * Whether OGR's date parser takes a string, and what it saw: a date (has '-' or '/'), a time (has ':')
 * or both. null for any other string.
 */
export function dateKind(text: string): 'date' | 'time' | 'datetime' | null {
  if (!parsesAsDate(text)) return null;
  const hasDate = text.includes('-') || text.includes('/');
  const hasTime = text.includes(':');
  return hasDate && hasTime ? 'datetime' : hasDate ? 'date' : 'time';
}

const KIND_TYPE = { date: 'Date', time: 'Time', datetime: 'DateTime' } as const;

/** The layer field type one GeoJSON value asks for; null for null or a missing value, which asks for nothing. */
export function valueType(v: unknown): FieldType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? (v > 2147483647 || v < -2147483648 ? 'Integer64' : 'Integer') : 'Real';
  if (typeof v === 'bigint') return 'Integer64';
  if (typeof v === 'string') { const d = dateKind(v); return d ? KIND_TYPE[d] : 'String'; }
  return 'String';
}

/** The layer field type that holds values of types a and b: numbers widen, Date and DateTime make DateTime, anything else String. */
export function mergeTypes(a: FieldType | null, b: FieldType | null): FieldType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const rank: Partial<Record<FieldType, number>> = { Boolean: 0, Integer: 1, Integer64: 2, Real: 3 };
  if (rank[a] !== undefined && rank[b] !== undefined) return (rank[a] as number) > (rank[b] as number) ? a : b;
  if ((a === 'Date' && b === 'DateTime') || (a === 'DateTime' && b === 'Date')) return 'DateTime';
  return 'String';
}
