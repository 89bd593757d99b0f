// A statement's rows read where SQLite leaves them, for the GeoPackage reader's hot loop. sql.js's own
// Statement.get() copies every blob out of the wasm heap byte by byte and makes an array per row: on W1
// (100,000 buildings, 14.8 MB of geometry) that copy cost 0.4 to 0.5 s of a 0.6 s loop, the step itself
// the rest. sql.js exports SQLite's C functions (_sqlite3_step, _sqlite3_column_blob, ...) but no view of
// its heap; the one place its glue hands the heap to a JavaScript API is UTF8ToString, which decodes a
// subarray of it with TextDecoder. heapOf() borrows that once, synchronously (TextDecoder's decode is
// wrapped for one call and restored before anything else can run), and checks the view against bytes it
// wrote. Where that fails (another sql.js build), rows are read through Statement as before.
import type { Database, SqlValue, Statement } from 'sql.js';

/** The parts of sql.js's module this file calls (all exported by its builds). */
interface SqlJsExports {
  UTF8ToString(ptr: number, maxBytes?: number): string;
  stringToNewUTF8(s: string): number;
  _malloc(n: number): number;
  _free(ptr: number): void;
  _sqlite3_prepare_v2(db: number, sql: number, n: number, stmt: number, tail: number): number;
  _sqlite3_step(stmt: number): number;
  _sqlite3_reset(stmt: number): number;
  _sqlite3_finalize(stmt: number): number;
  _sqlite3_errmsg(db: number): number;
  _sqlite3_bind_double(stmt: number, i: number, v: number): number;
  _sqlite3_column_type(stmt: number, i: number): number;
  _sqlite3_column_double(stmt: number, i: number): number;
  _sqlite3_column_text(stmt: number, i: number): number;
  _sqlite3_column_blob(stmt: number, i: number): number;
  _sqlite3_column_bytes(stmt: number, i: number): number;
}

const SQLITE_ROW = 100, SQLITE_DONE = 101;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** SQLite's storage classes, as column type() gives them */
export const SQL_INTEGER = 1, SQL_FLOAT = 2, SQL_TEXT = 3, SQL_BLOB = 4, SQL_NULL = 5;

/** One prepared statement's rows, column by column; a blob is a range of `heap` valid until the next step. */
export interface SqlRows {
  /** binds parameter 1 (an integer id) and rewinds */
  bindId(id: number): void;
  step(): boolean;
  reset(): void;
  free(): void;
  type(col: number): number;
  number(col: number): number;
  text(col: number): string;
  /**
   * the value as sql.js's get() gives it (numbers as doubles, text, blobs copied, null), except an integer
   * beyond 2^53, which a double cannot hold: a BigInt of every digit, as GDAL reads an Integer64
   */
  value(col: number): SqlValue | bigint;
  /** the blob of column col: its bytes are heap[start, start + length) (see blobView) */
  blob(col: number): { view: DataView; start: number; length: number };
}

const PROBE = 'rasterburn reads sql.js rows in place: heap probe';

// the ArrayBuffer under sql.js's heap, or null when this build's UTF8ToString does not show it
function heapOf(M: SqlJsExports): ArrayBuffer | null {
  const TD = (globalThis as { TextDecoder?: typeof TextDecoder }).TextDecoder;
  if (!TD) return null;
  const ptr = M.stringToNewUTF8(PROBE);
  const proto = TD.prototype;
  const decode = proto.decode;
  const seen: { buf: ArrayBufferLike | null } = { buf: null };
  proto.decode = function (this: TextDecoder, input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
    if (input && ArrayBuffer.isView(input)) seen.buf = input.buffer;
    return decode.call(this, input, options);
  };
  let text = '';
  try {
    text = M.UTF8ToString(ptr);
  } finally {
    proto.decode = decode;
  }
  let ok = false;
  const buf = seen.buf;
  if (text === PROBE && buf instanceof ArrayBuffer && buf.byteLength >= ptr + PROBE.length) {
    const at = new Uint8Array(buf, ptr, PROBE.length);
    ok = true;
    for (let k = 0; k < PROBE.length; k++) if (at[k] !== PROBE.charCodeAt(k)) { ok = false; break; }
  }
  M._free(ptr);
  return ok ? buf as ArrayBuffer : null;
}

const usable = (M: unknown, db: unknown): M is SqlJsExports =>
  typeof (db as { db?: unknown }).db === 'number'
  && ['UTF8ToString', 'stringToNewUTF8', '_malloc', '_free', '_sqlite3_prepare_v2', '_sqlite3_step', '_sqlite3_reset', '_sqlite3_finalize', '_sqlite3_errmsg',
    '_sqlite3_bind_double', '_sqlite3_column_type', '_sqlite3_column_double', '_sqlite3_column_text', '_sqlite3_column_blob', '_sqlite3_column_bytes']
    .every((k) => typeof (M as Record<string, unknown>)[k] === 'function');

/**
 * The rows of `sql` on `db`, read in place when sql.js lets its heap be seen (see the top of this file),
 * else through a Statement (or when inPlace is false). `M` is sql.js's module (what initSqlJs resolves to).
 */
export function sqlRows(M: unknown, db: Database, sql: string, inPlace = true): SqlRows {
  if (inPlace && usable(M, db)) {
    const heap = heapOf(M);
    if (heap) return new HeapRows(M, (db as unknown as { db: number }).db, sql);
  }
  return new StatementRows(db.prepare(sql));
}

class HeapRows implements SqlRows {
  private stmt: number;
  private buf: ArrayBuffer;
  private view: DataView;

  constructor(private readonly M: SqlJsExports, private readonly db: number, sql: string) {
    const text = M.stringToNewUTF8(sql);
    const out = M._malloc(4);
    try {
      const rc = M._sqlite3_prepare_v2(db, text, -1, out, 0);
      this.buf = this.heap();
      if (rc !== 0) throw new Error(this.error());
      this.stmt = new DataView(this.buf).getInt32(out, true);
    } finally {
      M._free(out);
      M._free(text);
    }
    this.view = new DataView(this.buf);
  }

  // the heap's buffer now: a grown heap is a new buffer (the old one detached)
  private heap(): ArrayBuffer {
    const b = heapOf(this.M);
    if (!b) throw new Error('sql.js heap no longer readable');
    return b;
  }

  private error(): string {
    return this.M.UTF8ToString(this.M._sqlite3_errmsg(this.db));
  }

  bindId(id: number): void {
    this.M._sqlite3_reset(this.stmt);
    if (this.M._sqlite3_bind_double(this.stmt, 1, id) !== 0) throw new Error(this.error());
  }

  step(): boolean {
    const rc = this.M._sqlite3_step(this.stmt);
    if (rc === SQLITE_ROW) {
      if (this.buf.byteLength === 0) {
        this.buf = this.heap();
        this.view = new DataView(this.buf);
      }
      return true;
    }
    if (rc === SQLITE_DONE) return false;
    throw new Error(this.error());
  }

  reset(): void { this.M._sqlite3_reset(this.stmt); }

  free(): void { this.M._sqlite3_finalize(this.stmt); }

  type(col: number): number { return this.M._sqlite3_column_type(this.stmt, col); }

  number(col: number): number { return this.M._sqlite3_column_double(this.stmt, col); }

  text(col: number): string { return this.M.UTF8ToString(this.M._sqlite3_column_text(this.stmt, col)); }

  value(col: number): SqlValue | bigint {
    switch (this.type(col)) {
      case SQL_INTEGER: {
        // SQLite writes an integer as text with every digit
        const d = this.number(col);
        return Math.abs(d) > Number.MAX_SAFE_INTEGER ? BigInt(this.text(col)) : d;
      }
      case SQL_FLOAT: return this.number(col);
      case SQL_TEXT: return this.text(col);
      case SQL_BLOB: { const b = this.blob(col); return new Uint8Array(b.view.buffer, b.start, b.length).slice(); }
      default: return null;
    }
  }

  blob(col: number): { view: DataView; start: number; length: number } {
    // column_bytes after column_blob, as SQLite asks (the pointer stays valid)
    const start = this.M._sqlite3_column_blob(this.stmt, col);
    const length = this.M._sqlite3_column_bytes(this.stmt, col);
    if (this.buf.byteLength === 0) {
      this.buf = this.heap();
      this.view = new DataView(this.buf);
    }
    return { view: this.view, start, length };
  }
}

// sql.js's Statement: a row fetched whole (get) on first use
// sql.js's get() takes { useBigInt } (integers as BigInts), which its type declarations do not list
type GetWithConfig = (params: null, config: { useBigInt: boolean }) => (SqlValue | bigint)[];

class StatementRows implements SqlRows {
  private row: (SqlValue | bigint)[] | null = null;

  constructor(private readonly stmt: Statement) {}

  bindId(id: number): void {
    this.stmt.reset();
    this.stmt.bind([id]);
  }

  step(): boolean {
    this.row = null;
    return this.stmt.step();
  }

  reset(): void { this.stmt.reset(); }

  free(): void { this.stmt.free(); }

  // integers as BigInts only beyond 2^53, where a double loses digits
  private get(): (SqlValue | bigint)[] {
    this.row ??= (this.stmt.get as unknown as GetWithConfig).call(this.stmt, null, { useBigInt: true })
      .map((v) => (typeof v === 'bigint' && v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v));
    return this.row;
  }

  type(col: number): number {
    const v = this.get()[col];
    return v === null || v === undefined ? SQL_NULL : typeof v === 'bigint' ? SQL_INTEGER : typeof v === 'number' ? (Number.isInteger(v) ? SQL_INTEGER : SQL_FLOAT) : typeof v === 'string' ? SQL_TEXT : SQL_BLOB;
  }

  number(col: number): number { return Number(this.get()[col]); }

  text(col: number): string { return String(this.get()[col]); }

  value(col: number): SqlValue | bigint { return this.get()[col]; }

  blob(col: number): { view: DataView; start: number; length: number } {
    const b = this.get()[col];
    if (!(b instanceof Uint8Array)) return { view: new DataView(new ArrayBuffer(0)), start: 0, length: 0 };
    return { view: new DataView(b.buffer, b.byteOffset, b.byteLength), start: 0, length: b.length };
  }
}
