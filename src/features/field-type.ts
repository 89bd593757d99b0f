// The type OGR's GeoJSON reader gives a property from its values (docs/pixel-rules.md, rule F12):
// what decides whether -a burns a string's number prefix (String) or 0 (Date, Time, DateTime).
import type { FieldInfo, FieldType } from '../formats/layer.js';
import { iterateFeatures, type FeatureInput } from './geojson.js';

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

/** Date, Time or DateTime when OGR reads s as one (by which separators it holds), else null. */
export function dateKind(s: string): 'Date' | 'Time' | 'DateTime' | null {
  if (!parsesAsDate(s)) return null;
  const hasDate = s.includes('-') || s.includes('/');
  const hasTime = s.includes(':');
  return hasDate && hasTime ? 'DateTime' : hasDate ? 'Date' : 'Time';
}

/** The type one GeoJSON value asks for; null for null or a missing value, which asks for nothing. */
export function valueType(v: unknown): FieldType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? (v > 2147483647 || v < -2147483648 ? 'Integer64' : 'Integer') : 'Real';
  if (typeof v === 'string') return dateKind(v) ?? 'String';
  return 'String';
}

/** The field type that holds values of types a and b: numbers widen, Date and DateTime make DateTime, anything else String. */
export function mergeTypes(a: FieldType | null, b: FieldType | null): FieldType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const rank: Partial<Record<FieldType, number>> = { Boolean: 0, Integer: 1, Integer64: 2, Real: 3 };
  if (rank[a] !== undefined && rank[b] !== undefined) return (rank[a] as number) > (rank[b] as number) ? a : b;
  if ((a === 'Date' && b === 'DateTime') || (a === 'DateTime' && b === 'Date')) return 'DateTime';
  return 'String';
}

export const isDateType = (t: FieldType | null | undefined): boolean => t === 'Date' || t === 'DateTime' || t === 'Time';

/**
 * The type of the field -a reads: the layer's own when a reader listed its fields, else the one OGR's
 * GeoJSON reader would give the property from all the features' values; null when no feature has a
 * value. `input` must be iterable twice (not a generator).
 */
export function attributeType(input: FeatureInput, attribute: string): FieldType | null {
  const fields = (input as { fields?: unknown }).fields;
  if (Array.isArray(fields)) {
    const f = (fields as FieldInfo[]).find((x) => x && x.name === attribute);
    if (f) return f.type;
  }
  let t: FieldType | null = null;
  for (const f of iterateFeatures(input)) {
    const p = f.properties;
    if (!p || typeof p !== 'object') continue;
    t = mergeTypes(t, valueType((p as Record<string, unknown>)[attribute]));
    if (t === 'String') return t;
  }
  return t;
}

/** whether iterating `input` would consume it (a generator or other one-shot iterator) */
export function isOneShot(input: FeatureInput): boolean {
  const iterator = (input as { [Symbol.iterator]?: () => unknown })[Symbol.iterator];
  return typeof iterator === 'function' && !Array.isArray(input) && iterator.call(input) === input;
}
