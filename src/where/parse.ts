// OGR SQL's WHERE syntax (GDAL 3.6's swq grammar, as far as an attribute filter uses it) to a syntax tree:
// comparisons = <> != < <= > >=, AND/OR/NOT, [NOT] IN (...), [NOT] LIKE/ILIKE [ESCAPE], [NOT] BETWEEN,
// IS [NOT] NULL, + - * / % and unary minus, string literals in single quotes ('' for a quote), integer and
// decimal literals (no leading '.' or '+', as in GDAL), field names bare or in double quotes. Keywords and
// field names are case-insensitive. Precedence, loosest first: OR, AND, NOT, comparisons, + -, * / %, unary -.

export type Expr =
  | { k: 'num'; v: number; int: boolean }
  | { k: 'str'; v: string }
  | { k: 'null' }
  | { k: 'field'; name: string }
  | { k: 'neg'; e: Expr }
  | { k: 'arith'; op: '+' | '-' | '*' | '/' | '%'; a: Expr; b: Expr }
  | { k: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; a: Expr; b: Expr }
  | { k: 'in'; e: Expr; list: Expr[] }
  | { k: 'like'; e: Expr; pattern: Expr; escape?: string; insensitive: boolean }
  | { k: 'between'; e: Expr; lo: Expr; hi: Expr }
  | { k: 'isnull'; e: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr };

type Tok = { t: 'num'; v: number; int: boolean; at: number } | { t: 'str'; v: string; at: number } | { t: 'id'; v: string; quoted: boolean; at: number } | { t: 'op'; v: string; at: number } | { t: 'end'; at: number };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'ESCAPE', 'BETWEEN', 'IS', 'NULL']);

/** A one-line error in GDAL's words for a WHERE clause it cannot parse. */
export class WhereSyntaxError extends Error {}

export function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), int: m[1] === undefined && m[2] === undefined, at });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= n) throw new WhereSyntaxError('Did not find end-of-string character');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push({ t: 'str', v: s, at });
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new WhereSyntaxError('Did not find end-of-string character');
      out.push({ t: 'id', v: text.slice(i + 1, end), quoted: true, at });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      out.push({ t: 'id', v: m[0], quoted: false, at });
      i += m[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<>' || two === '!=' || two === '<=' || two === '>=') { out.push({ t: 'op', v: two === '!=' ? '<>' : two, at }); i += 2; continue; }
    if ('=<>+-*/%(),'.includes(c)) { out.push({ t: 'op', v: c, at }); i++; continue; }
    throw new WhereSyntaxError(`SQL Expression Parsing Error: syntax error, unexpected '${c}' at character ${i + 1}`);
  }
  out.push({ t: 'end', at: n });
  return out;
}

/** Parses a WHERE clause (without the word WHERE). Throws WhereSyntaxError naming where it failed. */
export function parseWhere(text: string): Expr {
  const p = new Parser(tokenize(text));
  const e = p.or();
  p.expectEnd();
  return e;
}

/** Parses the WHERE syntax from tokens, for the SELECT reader. */
export class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}

  peek(): Tok { return this.toks[this.i]; }
  kw(word: string): boolean {
    const t = this.peek();
    if (t.t === 'id' && !t.quoted && t.v.toUpperCase() === word) { this.i++; return true; }
    return false;
  }
  isKw(word: string, ahead = 0): boolean {
    const t = this.toks[this.i + ahead];
    return !!t && t.t === 'id' && !t.quoted && t.v.toUpperCase() === word;
  }
  op(v: string): boolean {
    const t = this.peek();
    if (t.t === 'op' && t.v === v) { this.i++; return true; }
    return false;
  }
  fail(what?: string): never {
    const t = this.peek();
    const got = t.t === 'end' ? 'end of string' : t.t === 'str' ? `'${t.v}'` : `'${String(t.v)}'`;
    throw new WhereSyntaxError(`SQL Expression Parsing Error: syntax error, unexpected ${got}${what ? `, expecting ${what}` : ''} at character ${t.at + 1}`);
  }
  expectEnd(): void { if (this.peek().t !== 'end') this.fail('end of string'); }

  or(): Expr {
    let a = this.and();
    while (this.kw('OR')) a = { k: 'or', a, b: this.and() };
    return a;
  }
  and(): Expr {
    let a = this.not();
    while (this.kw('AND')) a = { k: 'and', a, b: this.not() };
    return a;
  }
  not(): Expr {
    if (this.kw('NOT')) return { k: 'not', e: this.not() };
    return this.predicate();
  }
  predicate(): Expr {
    const e = this.sum();
    const t = this.peek();
    if (t.t === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      return { k: 'cmp', op: t.v as '=', a: e, b: this.sum() };
    }
    if (this.kw('IS')) {
      const negate = this.kw('NOT');
      if (!this.kw('NULL')) this.fail('NULL');
      const r: Expr = { k: 'isnull', e };
      return negate ? { k: 'not', e: r } : r;
    }
    const negate = this.isKw('NOT') && (this.isKw('IN', 1) || this.isKw('LIKE', 1) || this.isKw('ILIKE', 1) || this.isKw('BETWEEN', 1)) ? (this.i++, true) : false;
    let r: Expr | null = null;
    if (this.kw('IN')) {
      if (!this.op('(')) this.fail("'('");
      const list = [this.sum()];
      while (this.op(',')) list.push(this.sum());
      if (!this.op(')')) this.fail("')'");
      r = { k: 'in', e, list };
    } else if (this.isKw('LIKE') || this.isKw('ILIKE')) {
      const insensitive = this.isKw('ILIKE');
      this.i++;
      const pattern = this.sum();
      let escape: string | undefined;
      if (this.kw('ESCAPE')) {
        const t2 = this.peek();
        if (t2.t !== 'str') this.fail('a string');
        escape = t2.v;
        this.i++;
      }
      r = { k: 'like', e, pattern, escape, insensitive };
    } else if (this.kw('BETWEEN')) {
      const lo = this.sum();
      if (!this.kw('AND')) this.fail('AND');
      r = { k: 'between', e, lo, hi: this.sum() };
    } else if (negate) {
      this.fail();
    }
    if (!r) return e;
    return negate ? { k: 'not', e: r } : r;
  }
  sum(): Expr {
    let a = this.product();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.v === '+' || t.v === '-')) { this.i++; a = { k: 'arith', op: t.v, a, b: this.product() }; } else return a;
    }
  }
  product(): Expr {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.v === '*' || t.v === '/' || t.v === '%')) { this.i++; a = { k: 'arith', op: t.v, a, b: this.unary() }; } else return a;
    }
  }
  unary(): Expr {
    if (this.op('-')) return { k: 'neg', e: this.unary() };
    return this.atom();
  }
  atom(): Expr {
    const t = this.peek();
    if (t.t === 'num') { this.i++; return { k: 'num', v: t.v, int: t.int }; }
    if (t.t === 'str') { this.i++; return { k: 'str', v: t.v }; }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      const e = this.or();
      if (!this.op(')')) this.fail("')'");
      return e;
    }
    if (t.t === 'id') {
      if (!t.quoted && t.v.toUpperCase() === 'NULL') { this.i++; return { k: 'null' }; }
      if (!t.quoted && KEYWORDS.has(t.v.toUpperCase())) this.fail();
      this.i++;
      return { k: 'field', name: t.v };
    }
    return this.fail();
  }
}
