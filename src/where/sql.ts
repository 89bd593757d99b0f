// The -sql statements users write for rasterizing, in OGR SQL: SELECT * | field[, field...] FROM layer
// [WHERE clause]. What gdal_rasterize burns from such a statement is the layer's features that pass the
// clause, with only the selected fields (so -a must name one of them). Anything else (joins, ORDER BY,
// GROUP BY, functions in the select list) is refused rather than burned differently.
import { Parser, tokenize, WhereSyntaxError } from './parse.js';

export interface SelectStatement {
  layer: string;
  /** the selected field names; null for * */
  fields: string[] | null;
  /** the WHERE clause's text, if any */
  where?: string;
}

/** Reads a SELECT statement; throws a one-line error for anything else. */
export function parseSelect(sql: string): SelectStatement {
  const toks = tokenize(sql);
  const p: Parser = new Parser(toks);
  if (!p.kw('SELECT')) throw new WhereSyntaxError(`-sql: only SELECT ... FROM layer [WHERE ...] statements are supported, got ${JSON.stringify(sql.trim().split(/\s+/)[0] ?? '')}`);
  let fields: string[] | null = [];
  if (p.op('*')) {
    fields = null;
  } else {
    for (;;) {
      const t = p.peek();
      if (t.t !== 'id') p.fail('a field name');
      fields.push(t.v as string);
      p.i++;
      if (!p.op(',')) break;
    }
  }
  if (!p.kw('FROM')) p.fail('FROM');
  const t = p.peek();
  if (t.t !== 'id' && t.t !== 'str') p.fail('a layer name');
  const layer = String(t.v);
  p.i++;
  let where: string | undefined;
  if (p.isKw('WHERE')) {
    const at = p.peek().at;
    where = sql.slice(at + 'WHERE'.length).trim();
    if (where === '') p.fail('a WHERE clause');
  } else if (p.peek().t !== 'end') {
    const next = p.peek();
    throw new WhereSyntaxError(`-sql: only SELECT ... FROM layer [WHERE ...] is supported; ${JSON.stringify(String((next as { v?: unknown }).v ?? ''))} at character ${next.at + 1} is not`);
  }
  return { layer, fields, where };
}
