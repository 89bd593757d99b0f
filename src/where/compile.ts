// A parsed WHERE clause checked against a layer's fields and turned into a predicate over a feature's
// properties, with OGR SQL's semantics as GDAL 3.6 evaluates an attribute filter (checked against ogrinfo
// and gdal_rasterize, see test/oracle/diff-where.test.ts):
// - a comparison, IN, LIKE or BETWEEN with a NULL operand is false, and NOT of it is true (two-valued);
// - strings compare case-insensitively with = < > etc.; LIKE is case-sensitive, ILIKE is not;
// - an integer field against a string literal reads the literal as a number (an error when it is none); a
//   string field against a number is a type error, as are LIKE on a number and arithmetic on a string;
// - integer arithmetic stays integer (7 / 2 is 3), with a real operand it is real;
// - Date, Time and DateTime fields compare with string literals as dates.
import { dateKind, fieldType, type OgrFieldType } from '../features/field-type.js';
import { parseWhere, type Expr } from './parse.js';

/** A field of the layer: its key in the properties and OGR's type for it. */
export interface WhereField { key: string; type: OgrFieldType }

type Kind = 'int' | 'real' | 'string' | 'date' | 'list' | 'null' | 'bool';
type Val = number | string | null;
type Props = Record<string, unknown> | null | undefined;
// a row is a feature's properties, or a feature's index into flat columns; `Read` gives a field's getter over rows
type Row = unknown;
type Read = (f: WhereField) => (r: Row) => unknown;
// `constant`: a literal, the same for every row (worked on once, not per feature)
interface Node { kind: Kind; fn: (p: Row) => Val | boolean; constant?: boolean }

/** A WHERE clause that cannot be evaluated on this layer, in GDAL's words. */
export class WhereError extends Error {}

/**
 * The fields of a layer as OGR's GeoJSON reader sees them: property keys (case-insensitive) and their types.
 * With `only` (lower-case names), just those fields are read: a filter then costs about what reading the
 * attributes it names costs, not a pass over every property.
 */
export function layerFields(features: Iterable<{ properties?: Record<string, unknown> | null }>, only?: ReadonlySet<string>): Map<string, WhereField> {
  const values = new Map<string, { key: string; values: unknown[] }>();
  const add = (k: string, v: unknown): void => {
    const lk = k.toLowerCase();
    let e = values.get(lk);
    if (!e) values.set(lk, (e = { key: k, values: [] }));
    e.values.push(v);
  };
  for (const f of features) {
    const p = f.properties;
    if (!p) continue;
    if (!only) {
      for (const [k, v] of Object.entries(p)) add(k, v);
      continue;
    }
    for (const name of only) {
      const known = values.get(name)?.key;
      if (known !== undefined && Object.prototype.hasOwnProperty.call(p, known)) { add(known, p[known]); continue; }
      if (Object.prototype.hasOwnProperty.call(p, name)) { add(name, p[name]); continue; }
      for (const k of Object.keys(p)) if (k.toLowerCase() === name) { add(k, p[k]); break; }
    }
  }
  return typedFields(values);
}

// each field's OGR type from its values
function typedFields(values: Map<string, { key: string; values: unknown[] }>): Map<string, WhereField> {
  const out = new Map<string, WhereField>();
  for (const [lk, e] of values) {
    const t = fieldType(e.values);
    // a field with no value at all is read as a String field
    out.set(lk, { key: e.key, type: t === 'none' ? 'string' : t });
  }
  return out;
}

/** The fields a WHERE clause names, lower-cased. */
export function fieldsNamed(where: string): Set<string> {
  const out = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.k === 'field') { out.add(e.name.toLowerCase()); return; }
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object' && 'k' in v) walk(v as Expr);
    }
  };
  walk(parseWhere(where));
  return out;
}

/** Compiles `where` for a layer with `fields`; the predicate says whether a feature's properties pass. */
export function compileWhere(where: string, fields: Map<string, WhereField>): (props: Props) => boolean {
  return compileOver(where, fields, (f) => { const key = f.key; return (p) => (p ? (p as Record<string, unknown>)[key] : undefined); });
}

/** A column of feature values, as FlatFeatures holds them (features/flat.ts). */
export type WhereColumn = { name: string; numeric: true; values: Float64Array; nulls: Uint8Array } | { name: string; numeric: false; values: unknown[] };

/**
 * Compiles `where` over `count` features held as columns; the predicate takes a feature's index. The clause is
 * evaluated on the columns themselves (no properties object per feature), and only the columns it names are
 * read to type its fields, so that a filter costs about what reading those attributes costs.
 */
export function compileWhereOnColumns(where: string, columns: readonly WhereColumn[], count: number): (feature: number) => boolean {
  const names = fieldsNamed(where);
  const byKey = new Map<string, WhereColumn>();
  const values = new Map<string, { key: string; values: unknown[] }>();
  for (const c of columns) {
    const lk = c.name.toLowerCase();
    if (!names.has(lk) || values.has(lk)) continue;
    const vs = new Array<unknown>(count);
    for (let f = 0; f < count; f++) vs[f] = c.numeric ? (c.nulls[f] ? null : c.values[f]) : c.values[f] ?? null;
    values.set(lk, { key: c.name, values: vs });
    byKey.set(c.name, c);
  }
  const fields = typedFields(values);
  return compileOver(where, fields, (field) => {
    const c = byKey.get(field.key)!;
    if (c.numeric) { const v = c.values, nulls = c.nulls; return (r) => (nulls[r as number] ? null : v[r as number]); }
    const v = c.values;
    return (r) => v[r as number];
  });
}

function compileOver(where: string, fields: Map<string, WhereField>, read: Read): (row: Row) => boolean {
  const node = build(parseWhere(where), fields, read);
  if (node.kind !== 'bool') throw new WhereError(`WHERE clause ${JSON.stringify(where)} does not evaluate to a true or false value`);
  const fn = node.fn;
  return (p) => fn(p) === true;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const isNum = (k: Kind): boolean => k === 'int' || k === 'real';
const mismatch = (op: string): never => { throw new WhereError(`Type mismatch or improper type of arguments to ${op} operator.`); };
// OGR folds ASCII letters only; most values have no capital to fold, and testing for one is far cheaper than a replace
const UPPER = /[A-Z]/;
const lower = (s: string): string => (UPPER.test(s) ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);

function build(e: Expr, fields: Map<string, WhereField>, read: Read): Node {
  const sub = (x: Expr): Node => build(x, fields, read);
  switch (e.k) {
    case 'num': { const v = e.v; return { kind: e.int ? 'int' : 'real', fn: () => v, constant: true }; }
    case 'str': { const v = e.v; return { kind: 'string', fn: () => v, constant: true }; }
    case 'null': return { kind: 'null', fn: () => null, constant: true };
    case 'field': {
      const f = fields.get(e.name.toLowerCase());
      if (!f) throw new WhereError(`"${e.name}" not recognised as an available field.`);
      return fieldNode(f, read(f));
    }
    case 'neg': {
      const a = sub(e.e);
      if (!isNum(a.kind)) mismatch('-');
      return { kind: a.kind, fn: (p) => { const v = a.fn(p) as number | null; return v === null ? null : -v; } };
    }
    case 'arith': return arith(e.op, sub(e.a), sub(e.b));
    case 'cmp': {
      const [a, b] = comparable(sub(e.a), sub(e.b), e.op);
      const test = CMP[e.op];
      return { kind: 'bool', fn: (p) => { const x = a(p), y = b(p); return x !== null && y !== null && test(order(x, y)); } };
    }
    case 'in': {
      const lhs = sub(e.e);
      const items = e.list.map((i) => comparable(lhs, sub(i), 'IN'));
      return { kind: 'bool', fn: (p) => items.some(([a, b]) => { const x = a(p), y = b(p); return x !== null && y !== null && order(x, y) === 0; }) };
    }
    case 'between': {
      const lhs = sub(e.e);
      const [a, lo] = comparable(lhs, sub(e.lo), 'BETWEEN');
      const [a2, hi] = comparable(lhs, sub(e.hi), 'BETWEEN');
      return { kind: 'bool', fn: (p) => { const x = a(p), l = lo(p), x2 = a2(p), h = hi(p); return x !== null && l !== null && x2 !== null && h !== null && order(x, l) >= 0 && order(x2, h) <= 0; } };
    }
    case 'like': {
      const a = sub(e.e), pat = sub(e.pattern);
      const op = e.insensitive ? 'ILIKE' : 'LIKE';
      if (a.kind !== 'string' || pat.kind !== 'string') mismatch(op);
      const cache = new Map<string, RegExp>();
      const escape = e.escape;
      const insensitive = e.insensitive;
      return {
        kind: 'bool',
        fn: (p) => {
          const s = a.fn(p) as string | null, q = pat.fn(p) as string | null;
          if (s === null || q === null) return false;
          let re = cache.get(q);
          if (!re) cache.set(q, (re = likeRegExp(q, escape, insensitive)));
          return re.test(s);
        },
      };
    }
    case 'isnull': {
      const a = sub(e.e);
      return { kind: 'bool', fn: (p) => a.fn(p) === null };
    }
    case 'not': {
      const a = sub(e.e);
      if (a.kind !== 'bool') mismatch('NOT');
      return { kind: 'bool', fn: (p) => a.fn(p) !== true };
    }
    case 'and': case 'or': {
      const a = sub(e.a), b = sub(e.b);
      if (a.kind !== 'bool' || b.kind !== 'bool') mismatch(e.k.toUpperCase());
      return e.k === 'and'
        ? { kind: 'bool', fn: (p) => a.fn(p) === true && b.fn(p) === true }
        : { kind: 'bool', fn: (p) => a.fn(p) === true || b.fn(p) === true };
    }
  }
}

// a field's value as OGR holds it for the field's type; missing and null read as NULL
function fieldNode(f: WhereField, get: (r: Row) => unknown): Node {
  switch (f.type) {
    case 'integer': case 'real':
      return { kind: f.type === 'integer' ? 'int' : 'real', fn: (p) => { const v = get(p); return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : null; } };
    case 'date': case 'time': case 'datetime':
      return { kind: 'date', fn: (p) => { const v = get(p); return typeof v === 'string' ? v : null; } };
    case 'string':
      return {
        kind: 'string',
        fn: (p) => {
          const v = get(p);
          if (v === null || v === undefined) return null;
          return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
        },
      };
    default:
      return { kind: 'list', fn: (p) => { const v = get(p); return v === null || v === undefined ? null : JSON.stringify(v); } };
  }
}

// two operands made comparable as OGR makes them, or GDAL's type error
function comparable(a: Node, b: Node, op: string): [(p: Row) => Val, (p: Row) => Val] {
  const va = a.fn as (p: Row) => Val, vb = b.fn as (p: Row) => Val;
  if (a.kind === 'null' || b.kind === 'null') return [va, vb];
  if (isNum(a.kind) && isNum(b.kind)) return [va, vb];
  if (a.kind === 'string' && b.kind === 'string') return [lowered(a), lowered(b)];
  if (isNum(a.kind) && b.kind === 'string') return [va, numericLiteral(b, op)];
  if (a.kind === 'string' && isNum(b.kind)) {
    // a numeric expression on the left reads a string literal on the right the same way
    return mismatch(op);
  }
  if (a.kind === 'date' && (b.kind === 'string' || b.kind === 'date')) return [(p) => dateKey(va(p)), (p) => dateKey(vb(p))];
  if (a.kind === 'string' && b.kind === 'date') return [(p) => dateKey(va(p)), (p) => dateKey(vb(p))];
  return mismatch(op);
}

// a string operand folded to lower case, once for a literal
function lowered(n: Node): (p: Row) => Val {
  const f = n.fn as (p: Row) => Val;
  if (n.constant) { const v = lowerOf(f(undefined)); return () => v; }
  return (p) => lowerOf(f(p));
}

function lowerOf(v: Val): Val {
  return typeof v === 'string' ? lower(v) : v;
}

// a string beside a number must be a number itself: read once if it is constant
function numericLiteral(n: Node, op: string): (p: Row) => Val {
  const s = n.fn(undefined);
  if (typeof s !== 'string' || !NUMERIC.test(s)) return mismatch(op);
  const v = Number(s);
  return () => v;
}

// a date, time or date-time as a sortable number (null when it does not parse, as GDAL then compares nothing)
function dateKey(v: Val): number | null {
  if (typeof v !== 'string' || dateKind(v) === null) return null;
  const m = /^\s*([+-]?\d+)[-/](\d\d)[-/](\d\d)(?:[T ]+(\d\d):?(\d\d)(?::?(\d\d(?:\.\d*)?))?)?/.exec(v);
  if (m) return ((Number(m[1]) * 12 + Number(m[2])) * 31 + Number(m[3])) * 86400 + Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
  const t = /^\s*T?(\d\d):?(\d\d)(?::?(\d\d(?:\.\d*)?))?/.exec(v);
  return t ? Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3] ?? 0) : null;
}

function order(x: number | string, y: number | string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const CMP: Record<string, (o: number) => boolean> = {
  '=': (o) => o === 0, '<>': (o) => o !== 0, '<': (o) => o < 0, '<=': (o) => o <= 0, '>': (o) => o > 0, '>=': (o) => o >= 0,
};

function arith(op: '+' | '-' | '*' | '/' | '%', a: Node, b: Node): Node {
  if (!isNum(a.kind) && a.kind !== 'null') mismatch(op);
  if (!isNum(b.kind) && b.kind !== 'null') mismatch(op);
  const int = a.kind !== 'real' && b.kind !== 'real';
  const fa = a.fn as (p: Row) => number | null, fb = b.fn as (p: Row) => number | null;
  const f: (x: number, y: number) => number | null = {
    '+': (x: number, y: number) => x + y,
    '-': (x: number, y: number) => x - y,
    '*': (x: number, y: number) => x * y,
    // C's integer division truncates; dividing by zero gives no value (an integer) or the largest one (a real)
    '/': int ? (x: number, y: number) => (y === 0 ? null : Math.trunc(x / y)) : (x: number, y: number) => (y === 0 ? Infinity : x / y),
    '%': (x: number, y: number) => (y === 0 ? null : x % y),
  }[op];
  return { kind: int ? 'int' : 'real', fn: (p) => { const x = fa(p), y = fb(p); return x === null || y === null ? null : f(x, y); } };
}

// LIKE's pattern: % any run, _ one character, the escape character takes the next one literally
function likeRegExp(pattern: string, escape: string | undefined, insensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== undefined && c === escape && i + 1 < pattern.length) { re += quote(pattern[++i]); continue; }
    re += c === '%' ? '[\\s\\S]*' : c === '_' ? '[\\s\\S]' : quote(c);
  }
  return new RegExp(`^${re}$`, insensitive ? 'i' : '');
}

function quote(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
