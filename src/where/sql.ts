// The -sql statements users write for rasterizing, in OGR SQL (GDAL 3.6's swq grammar, the part a burn uses):
//   SELECT [DISTINCT] * | column[, column...] FROM layer [WHERE clause]
//     [ORDER BY field [ASC|DESC][, ...]] [LIMIT n] [OFFSET n]
// where a column is `*` or `field [[AS] alias]`. ORDER BY names the layer's fields (not aliases), LIMIT comes
// before OFFSET, each at most once, and their counts are unsigned integers, as in GDAL. What a burn cannot
// take from such a statement in the same way (joins, GROUP BY, functions and expressions in the select list,
// DISTINCT on several columns) is refused in one line naming it, never burned differently.
import { Parser, tokenize, WhereSyntaxError } from './parse.js';

/** One column of the select list: a field of the layer, under its alias when it has one. */
export interface SelectColumn { field: string; alias?: string }

/** One ORDER BY key. */
export interface OrderKey { field: string; desc: boolean }

export interface SelectStatement {
  layer: string;
  /** the selected field names, as the result names them (aliases applied); null for a lone * */
  fields: string[] | null;
  /** the select list: '*' for every field of the layer, in order */
  columns: Array<SelectColumn | '*'>;
  /** the WHERE clause's text, if any */
  where?: string;
  /** SELECT DISTINCT: one column's distinct values, a result without geometry */
  distinct?: boolean;
  orderBy: OrderKey[];
  limit?: number;
  offset?: number;
  /** the statement's text from ORDER BY, LIMIT or OFFSET to its end (for an SQL engine that runs it itself) */
  tail?: string;
}

const STOP = new Set(['FROM', 'WHERE', 'ORDER', 'LIMIT', 'OFFSET']);

/** Reads a SELECT statement; throws a one-line error for anything else. */
export function parseSelect(sql: string): SelectStatement {
  const toks = tokenize(sql);
  const p: Parser = new Parser(toks);
  if (!p.kw('SELECT')) throw new WhereSyntaxError(`-sql: only SELECT statements are supported, got ${JSON.stringify(sql.trim().split(/\s+/)[0] ?? '')}`);
  const distinct = p.kw('DISTINCT');
  const columns: Array<SelectColumn | '*'> = [];
  for (;;) {
    if (p.op('*')) {
      columns.push('*');
    } else {
      const t = p.peek();
      if (t.t !== 'id' || (!t.quoted && STOP.has(t.v.toUpperCase()))) p.fail('a field name');
      p.i++;
      const next = p.peek();
      if (next.t === 'op' && next.v === '(') throw new WhereSyntaxError(`-sql: functions in the select list (${t.v}(...)) are not supported`);
      if (next.t === 'op' && next.v !== ',') throw new WhereSyntaxError(`-sql: expressions in the select list ('${next.v}' at character ${next.at + 1}) are not supported`);
      if (next.t === 'num' || next.t === 'str') p.fail("',' or FROM");
      const col: SelectColumn = { field: t.v };
      if (p.kw('AS')) {
        const a = p.peek();
        if (a.t !== 'id') p.fail('an alias');
        col.alias = a.v;
        p.i++;
      } else {
        const a = p.peek();
        // an alias without AS: any name that is not the next keyword
        if (a.t === 'id' && (a.quoted || !STOP.has(a.v.toUpperCase()))) { col.alias = a.v; p.i++; }
      }
      columns.push(col);
    }
    if (!p.op(',')) break;
  }
  if (distinct && (columns.length !== 1 || columns[0] === '*')) throw new WhereSyntaxError('SELECT DISTINCT not supported on multiple columns.');
  if (!p.kw('FROM')) p.fail('FROM');
  const t = p.peek();
  if (t.t !== 'id' && t.t !== 'str') p.fail('a layer name');
  const layer = String(t.v);
  p.i++;
  if (p.isKw('JOIN') || p.isKw('LEFT') || p.op(',')) throw new WhereSyntaxError('-sql: joins are not supported');
  // a table alias (FROM layer l) is harmless: fields are named without it
  const alias = p.peek();
  if (alias.t === 'id' && !alias.quoted && !STOP.has(alias.v.toUpperCase()) && !['GROUP', 'HAVING', 'UNION'].includes(alias.v.toUpperCase())) p.i++;
  let where: string | undefined;
  if (p.kw('WHERE')) {
    const from = p.peek().at;
    if (p.peek().t === 'end') p.fail('a WHERE clause');
    p.or();
    where = sql.slice(from, p.peek().at).trim();
  }
  const tailAt = p.peek().t === 'end' ? undefined : p.peek().at;
  const orderBy: OrderKey[] = [];
  if (p.kw('ORDER')) {
    if (!p.kw('BY')) p.fail('BY');
    for (;;) {
      const k = p.peek();
      if (k.t !== 'id') p.fail('identifier');
      p.i++;
      const desc = p.kw('DESC');
      if (!desc) p.kw('ASC');
      orderBy.push({ field: k.v, desc });
      if (!p.op(',')) break;
    }
  }
  const count = (): number => {
    const n = p.peek();
    if (n.t !== 'num' || !n.int) p.fail('integer number');
    p.i++;
    return n.v;
  };
  const limit = p.kw('LIMIT') ? count() : undefined;
  const offset = p.kw('OFFSET') ? count() : undefined;
  const rest = p.peek();
  if (rest.t !== 'end') {
    if (rest.t === 'id' && !rest.quoted && ['GROUP', 'HAVING', 'UNION'].includes(rest.v.toUpperCase())) throw new WhereSyntaxError(`-sql: ${rest.v.toUpperCase()} is not supported`);
    p.fail('end of string');
  }
  const fields = columns.length === 1 && columns[0] === '*' ? null
    : columns.some((c) => c === '*') ? null : (columns as SelectColumn[]).map((c) => c.alias ?? c.field);
  const out: SelectStatement = { layer, fields, columns, orderBy };
  if (where !== undefined) out.where = where;
  if (distinct) out.distinct = true;
  if (limit !== undefined) out.limit = limit;
  if (offset !== undefined) out.offset = offset;
  if (tailAt !== undefined) out.tail = sql.slice(tailAt).trim();
  return out;
}

/** Whether the statement asks more of the layer than a filter and a field list (order, paging, renaming, DISTINCT). */
export function reshapes(sel: SelectStatement): boolean {
  return sel.orderBy.length > 0 || sel.limit !== undefined || sel.offset !== undefined || !!sel.distinct
    || sel.columns.some((c) => c !== '*' && c.alias !== undefined);
}
