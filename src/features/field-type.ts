// The type OGR's GeoJSON reader gives a property, which decides what -a burns for a value: the reader
// looks at every feature's value first and settles one type per field, then GetFieldAsDouble reads each
// value through that type. So a boolean burns 1 in a numeric field but 0 in a String field (its text
// "true" has no numeric prefix), and Date, Time, DateTime and list fields burn 0 whatever they hold.
// The transitions below were checked value pair by value pair against gdal_rasterize 3.6 (pixel rule F13).

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
  if (typeof v === 'boolean') return reading === 'number' ? (v ? 1 : 0) : 0;
  if (typeof v === 'string') return atof(v);
  // lists and objects are kept as JSON text, which starts with '[' or '{'
  return 0;
}

function step(s: State, v: unknown): State {
  if (typeof v === 'number' || typeof v === 'boolean') {
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

const digit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/**
 * Whether OGR's date parser (strict mode) takes a string, and what it saw: a date (has '-' or '/'),
 * a time (has ':') or both. null for any other string.
 */
export function dateKind(text: string): 'date' | 'time' | 'datetime' | null {
  if (!parsesAsDate(text)) return null;
  const hasDate = text.includes('-') || text.includes('/');
  const hasTime = text.includes(':');
  return hasDate && hasTime ? 'datetime' : hasDate ? 'date' : 'time';
}

function parsesAsDate(text: string): boolean {
  let i = 0;
  const s = text;
  while (s[i] === ' ') i++;
  let got = false;
  let tFound = false;
  if (s.includes('-', i) || s.includes('/', i)) {
    const c = s[i];
    if (!(c === '-' || c === '+' || digit(s, i))) return false;
    const year = Number.parseInt(s.slice(i), 10);
    if (Number.isFinite(year) && (year > 32767 || year < -32768)) return false;
    if (s[i] === '-') i++;
    while (digit(s, i)) i++;
    if (s[i] !== '-' && s[i] !== '/') return false;
    i++;
    if (!digit(s, i) || !digit(s, i + 1)) return false;
    const month = Number(s.slice(i, i + 2));
    if (month === 0 || month > 12) return false;
    i += 2;
    if (s[i] !== '-' && s[i] !== '/') return false;
    i++;
    if (!digit(s, i) || !digit(s, i + 1)) return false;
    const day = Number(s.slice(i, i + 2));
    if (day === 0 || day > 31) return false;
    i += 2;
    if (i >= s.length) return true;
    got = true;
    if (s[i] === 'T') { tFound = true; i++; } else if (s[i] === 'Z') return true;
    else if (s[i] !== ' ') return false;
  }
  while (s[i] === ' ') i++;
  if (s[i] === 'T') { tFound = true; i++; }
  if (tFound || s.includes(':', i)) {
    if (!digit(s, i) || !digit(s, i + 1)) return false;
    if (!(tFound || s[i + 2] === ':')) return false;
    if (Number(s.slice(i, i + 2)) > 23) return false;
    i += 2;
    if (s[i] === ':') i++;
    if (!digit(s, i) || !digit(s, i + 1)) return false;
    if (Number(s.slice(i, i + 2)) > 59) return false;
    i += 2;
    if ((tFound && digit(s, i)) || s[i] === ':') {
      if (s[i] === ':') i++;
      if (!digit(s, i) || !digit(s, i + 1)) return false;
      const m = /^[0-9]+(\.[0-9]*)?/.exec(s.slice(i));
      if (m && Number(m[0]) > 60) return false;
    }
    got = true;
  } else if (got && i < s.length) {
    return false;
  }
  // whatever follows the time (a time zone or not) is not checked
  return got;
}
