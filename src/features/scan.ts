// A GeoJSON reader that gives JSON.parse's object tree except for geometry coordinates, whose position
// lists are packed into Float64Arrays as they are scanned. On big files JSON.parse's one small array per
// position (and collecting them) costs several times the burn itself. Browser-safe.
import type { FeatureInput, PackedPositions } from './geojson.js';
import { decimalToDouble } from './decimal.js';
export { isPacked } from './geojson.js';

const GEOMETRY_DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

// deeper input is refused with a one-line error instead of overflowing the stack
const MAX_DEPTH = 1000;

// exact doubles: Clinger's fast path multiplies or divides by one of these
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
// m takes digits while below this: then m * 10 + 9 < 2^53, exact
const HI_STOP = 9e14;
const WINDOW = 1 << 20;
// doubles per shared packing buffer (4 MiB)
const POOL = 1 << 19;
const INTERN_SLOTS = 1024;
// strings up to this length are interned; V8 copies slices shorter than 13 characters
const INTERN_MAX = 12;

// where the object being parsed sits: only objects reachable as GeoJSON structure get packed coordinates
// CTX_PROPS: a feature's properties object, whose whole numbers beyond 2^53 are kept exactly as BigInts
const CTX_PLAIN = 0, CTX_GEO = 1, CTX_PROPS = 2;

/** thrown inside a coordinates member that cannot be packed; that member is then parsed as plain JSON */
class NotPackable { }
const NOT_PACKABLE = new NotPackable();

const utf8 = new TextDecoder('utf-8');

/**
 * Parses GeoJSON text or UTF-8 bytes into the structure JSON.parse gives, except that in every geometry
 * (Point ... MultiPolygon, also inside GeometryCollections) the innermost coordinate lists are
 * PackedPositions (a Point's position is one with n = 1, or n = 0 when empty). Numbers are bit-identical
 * to JSON.parse's. A geometry whose coordinates are not well-formed positions (1 or 4+ numbers, strings,
 * wrong nesting, a non-finite number) keeps them as plain arrays, so that flatten reports them as usual.
 * Throws a one-line error naming the byte offset on malformed JSON. A leading BOM is skipped.
 */
export function parseGeoJSON(input: Uint8Array | string): FeatureInput {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new Error(`parseGeoJSON needs a Uint8Array or a string, got ${typeof input}`);
  // a plain view: subarrays of a Node Buffer are Buffers, much dearer to make
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const p = new Scanner(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) p.i = 3;
  p.ws();
  const v = p.value(0, CTX_GEO);
  p.ws();
  if (p.i < bytes.length) p.fail('unexpected data after the JSON value');
  return v as FeatureInput;
}

/**
 * Digits read so far: the integer m * 10^k + lo. m takes digits while it stays below HI_STOP, so that
 * it is exact (m * 10 + 9 < 2^53); the k digits after those go to lo. Leading zeros leave m at 0.
 */
const DIGITS = { m: 0, lo: 0, k: 0 };

// the decimal digits of b from i on, appended to DIGITS; returns where they end
function digitsFrom(b: Uint8Array, i: number, n: number): number {
  let { m, lo, k } = DIGITS;
  let c: number;
  while (i < n && (c = b[i]) >= 0x30 && c <= 0x39 && m < HI_STOP) {
    m = m * 10 + (c - 0x30);
    i++;
  }
  while (i < n && (c = b[i]) >= 0x30 && c <= 0x39) {
    lo = lo * 10 + (c - 0x30);
    k++;
    i++;
  }
  DIGITS.m = m; DIGITS.lo = lo; DIGITS.k = k;
  return i;
}

class Scanner {
  i = 0;
  private readonly b: Uint8Array;
  private readonly n: number;
  // coordinates are packed into views of shared buffers: a buffer of its own per list (per ring of every
  // building) costs far more to allocate and to collect than the numbers themselves
  // the bytes [winAt, winAt + win.length) as text, decoded a chunk at a time for the number and short
  // string literals that need a string; a chunk is pure ASCII (offsets then match)
  private pool = new Float64Array(0);
  private poolUsed = 0;
  private win = '';
  private winAt = 0;
  // recent short strings (keys, type names), so that repeated ones are not made again
  private readonly interned: string[] = new Array(INTERN_SLOTS).fill('');

  constructor(b: Uint8Array) {
    this.b = b;
    this.n = b.length;
  }

  fail(what: string, at = this.i): never {
    throw new SyntaxError(`${what} at byte offset ${at}`);
  }

  private unexpected(): never {
    if (this.i >= this.n) this.fail('unexpected end of JSON input');
    const c = this.b[this.i];
    const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
    this.fail(`unexpected ${shown}`);
  }

  ws(): void {
    const b = this.b;
    let i = this.i;
    while (i < this.n) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number, ctx: number): unknown {
    if (this.i >= this.n) this.unexpected();
    const c = this.b[this.i];
    if (c === 0x7b) return this.object(depth + 1, ctx);
    if (c === 0x5b) return this.array(depth + 1, ctx);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.unexpected();
  }

  private literal<T>(word: string, v: T): T {
    for (let k = 0; k < word.length; k++) {
      if (this.b[this.i] !== word.charCodeAt(k)) this.unexpected();
      this.i++;
    }
    return v;
  }

  private object(depth: number, ctx: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
    const b = this.b;
    const o: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.b[this.i] === 0x7d) { this.i++; return o; }
    // GeoJSON members parsed in a GeoJSON way, with their byte ranges in case the object's type
    // turns out not to justify it (then they are parsed again as plain JSON)
    let coordsAt = -1, packedLevel = -1;
    let special: [string, number][] | null = null;
    for (;;) {
      this.ws();
      if (b[this.i] !== 0x22) this.unexpected();
      const key = this.string();
      this.ws();
      if (b[this.i] !== 0x3a) this.unexpected();
      this.i++;
      this.ws();
      let v: unknown;
      if (ctx === CTX_GEO && key === 'coordinates') {
        coordsAt = this.i;
        packedLevel = geometryDepth(o.type);
        v = packedLevel >= 0 ? this.coordinates(packedLevel, depth) : this.value(depth, CTX_PLAIN);
      } else if (ctx === CTX_GEO && (key === 'geometry' || key === 'features' || key === 'geometries')) {
        (special ??= []).push([key, this.i]);
        v = this.value(depth, CTX_GEO);
      } else if (ctx === CTX_GEO && key === 'properties' && b[this.i] === 0x7b) {
        v = this.object(depth + 1, CTX_PROPS);
      } else if (ctx === CTX_PROPS && (b[this.i] === 0x2d || (b[this.i] >= 0x30 && b[this.i] <= 0x39))) {
        v = this.propertyNumber();
      } else {
        v = this.value(depth, CTX_PLAIN);
      }
      if (key === '__proto__') Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      else o[key] = v;
      this.ws();
      const c = b[this.i];
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x7d) { this.i++; break; }
      this.unexpected();
    }
    if (ctx === CTX_GEO) this.settle(o, coordsAt, packedLevel, special, depth);
    return o;
  }

  // makes a GeoJSON-context object exactly what JSON.parse gives wherever its final type does not call for
  // packing, and packs coordinates that came before the type
  private settle(o: Record<string, unknown>, coordsAt: number, packedLevel: number, special: [string, number][] | null, depth: number): void {
    const t = o.type;
    const level = geometryDepth(t);
    if (coordsAt >= 0 && level !== packedLevel) {
      o.coordinates = this.reparse(coordsAt, () => level >= 0 ? this.coordinates(level, depth) : this.value(depth, CTX_PLAIN));
    }
    if (special) {
      for (const [key, at] of special) {
        const keep = key === 'geometry' ? t === 'Feature' : key === 'features' ? t === 'FeatureCollection' : t === 'GeometryCollection';
        if (keep) continue;
        const v = this.reparse(at, () => this.value(depth, CTX_PLAIN));
        o[key] = v;
      }
    }
  }

  private reparse<T>(at: number, f: () => T): T {
    const save = this.i;
    this.i = at;
    try {
      return f();
    } finally {
      this.i = save;
    }
  }

  private array(depth: number, ctx: number): unknown[] {
    if (depth > MAX_DEPTH) this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
    const b = this.b;
    const a: unknown[] = [];
    this.i++;
    this.ws();
    if (b[this.i] === 0x5d) { this.i++; return a; }
    for (;;) {
      this.ws();
      a.push(this.value(depth, ctx));
      this.ws();
      const c = b[this.i];
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x5d) { this.i++; break; }
      this.unexpected();
    }
    return a;
  }

  // coordinates of a geometry whose positions sit `level` arrays deep; plain JSON when they do not fit
  private coordinates(level: number, depth: number): unknown {
    const start = this.i;
    try {
      return level === 0 ? this.point() : this.nested(level, depth);
    } catch (e) {
      if (e !== NOT_PACKABLE) throw e;
      this.i = start;
      return this.value(depth, CTX_PLAIN);
    }
  }

  private nested(level: number, depth: number): unknown {
    if (level === 1) return this.positions();
    const b = this.b;
    if (b[this.i] !== 0x5b) throw NOT_PACKABLE;
    if (depth + 1 > MAX_DEPTH) throw NOT_PACKABLE;
    this.i++;
    const a: unknown[] = [];
    this.ws();
    if (b[this.i] === 0x5d) { this.i++; return a; }
    for (;;) {
      this.ws();
      a.push(this.nested(level - 1, depth + 1));
      this.ws();
      const c = b[this.i];
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x5d) { this.i++; break; }
      throw NOT_PACKABLE;
    }
    return a;
  }

  // a packing buffer of at least `min` doubles: POOL, or less when the rest of the text cannot hold that
  // many positions (a position of 3 doubles takes at least 4 bytes, "[0,0]"), so that many small parses do not
  // each keep 4 MiB alive
  private newPool(min: number): Float64Array<ArrayBuffer> {
    const bound = Math.ceil((3 * (this.n - this.i)) / 4) + 6;
    return new Float64Array(Math.max(min, Math.min(POOL, bound)));
  }

  // a Point's position: [x, y] or [x, y, z], or [] (an empty point)
  private point(): PackedPositions {
    const b = this.b;
    if (b[this.i] !== 0x5b) throw NOT_PACKABLE;
    this.i++;
    this.ws();
    if (b[this.i] === 0x5d) { this.i++; return { xyz: new Float64Array(0), n: 0, hasZ: false }; }
    if (this.poolUsed + 3 > this.pool.length) { this.pool = this.newPool(3); this.poolUsed = 0; }
    const at = this.poolUsed;
    const hasZ = this.position(this.pool, at);
    this.poolUsed = at + 3;
    return { xyz: this.pool, off: at, n: 1, hasZ };
  }

  // a list of positions, the '[' of the list at this.i
  private positions(): PackedPositions {
    const b = this.b;
    if (b[this.i] !== 0x5b) throw NOT_PACKABLE;
    this.i++;
    this.ws();
    let count = 0;
    let hasZ = false;
    // written straight into the free end of the pool, which moves to a new pool when it fills
    let base = this.poolUsed;
    if (b[this.i] === 0x5d) {
      this.i++;
    } else {
      for (;;) {
        this.ws();
        if (b[this.i] !== 0x5b) throw NOT_PACKABLE;
        this.i++;
        this.ws();
        if (base + 3 * count + 3 > this.pool.length) {
          const grown = this.newPool(6 * count + 3);
          grown.set(this.pool.subarray(base, base + 3 * count));
          this.pool = grown;
          this.poolUsed = base = 0;
        }
        if (this.position(this.pool, base + 3 * count)) hasZ = true;
        count++;
        this.ws();
        const c = b[this.i];
        if (c === 0x2c) { this.i++; continue; }
        if (c === 0x5d) { this.i++; break; }
        throw NOT_PACKABLE;
      }
    }
    this.poolUsed = base + 3 * count;
    return { xyz: this.pool, off: base, n: count, hasZ };
  }

  // the numbers of one position after its '[', through its ']'; true when it has a Z
  private position(out: Float64Array, k: number): boolean {
    const b = this.b;
    out[k] = this.coordinate();
    this.ws();
    if (b[this.i] !== 0x2c) throw NOT_PACKABLE;
    this.i++;
    this.ws();
    out[k + 1] = this.coordinate();
    this.ws();
    if (b[this.i] === 0x5d) { this.i++; out[k + 2] = 0; return false; }
    if (b[this.i] !== 0x2c) throw NOT_PACKABLE;
    this.i++;
    this.ws();
    out[k + 2] = this.coordinate();
    this.ws();
    if (b[this.i] !== 0x5d) throw NOT_PACKABLE;
    this.i++;
    return true;
  }

  private coordinate(): number {
    const c = this.b[this.i];
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) throw NOT_PACKABLE;
    const v = this.number();
    // 1e999 parses to Infinity: flatten reports such positions, from the plain array
    if (v - v !== 0) throw NOT_PACKABLE;
    return v;
  }

  /**
   * A property's number: JSON.parse's, except that a whole number written without fraction or exponent
   * beyond 2^53 is a BigInt holding every digit (OGR reads it as Integer64, exactly), clamped to Int64's
   * range as OGR's reader clamps it.
   */
  private propertyNumber(): number | bigint {
    const start = this.i;
    const v = this.number();
    if (Number.isSafeInteger(v) || !Number.isInteger(v)) return v;
    const t = this.text(start, this.i);
    if (!/^-?\d+$/.test(t)) return v;
    const n = BigInt(t);
    return n > 2n ** 63n - 1n ? 2n ** 63n - 1n : n < -(2n ** 63n) ? -(2n ** 63n) : n;
  }

  /** a JSON number, bit-identical to JSON.parse's */
  number(): number {
    const b = this.b, n = this.n;
    const start = this.i;
    let i = start;
    let neg = false;
    if (b[i] === 0x2d) { neg = true; i++; }
    // the digits of the integer and fraction parts as one integer m * 10^k + lo (see digitsFrom)
    DIGITS.m = 0; DIGITS.lo = 0; DIGITS.k = 0;
    let c = i < n ? b[i] : -1;
    if (c === 0x30) {
      i++;
    } else if (c >= 0x31 && c <= 0x39) {
      i = digitsFrom(b, i, n);
    } else {
      this.i = i;
      this.unexpected();
    }
    let scale = 0;
    if (i < n && b[i] === 0x2e) {
      i++;
      const fracStart = i;
      i = digitsFrom(b, i, n);
      if (i === fracStart) { this.i = i; this.unexpected(); }
      scale = fracStart - i;
    }
    const { m, lo } = DIGITS;
    let { k } = DIGITS;
    if (i < n && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      let eneg = false;
      if (b[i] === 0x2b) i++;
      else if (b[i] === 0x2d) { eneg = true; i++; }
      const expStart = i;
      let e = 0;
      while (i < n && (c = b[i]) >= 0x30 && c <= 0x39) {
        if (e < 100000) e = e * 10 + (c - 0x30);
        i++;
      }
      if (i === expStart) { this.i = i; this.unexpected(); }
      scale += eneg ? -e : e;
    }
    this.i = i;
    // trailing zeros only scale m
    if (k !== 0 && lo === 0) { scale += k; k = 0; }
    // Clinger's fast path: m is exact, below 2^53, and so is 10^|scale|: one correctly rounded operation
    if (k === 0 && scale >= -22 && scale <= 22) {
      const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
      return neg ? -v : v;
    }
    // 16 to 23 significant digits (projected coordinates such as 500018.02223746054): from the digits.
    // Number() only for the rest, and for exact ties between two doubles, which need more precision
    if (k <= 7) {
      const v = decimalToDouble(m, lo, k, scale, neg);
      if (v === v) return v;
    }
    return Number(this.text(start, i));
  }

  // bytes [s, e) of ASCII text as a string
  private text(s: number, e: number): string {
    if (s < this.winAt || e > this.winAt + this.win.length) {
      // the window stops before the first non-ASCII byte, so string offsets stay byte offsets; a file
      // with accented names therefore gets shorter windows, never a re-decode per number
      const b = this.b;
      const limit = Math.min(this.n, Math.max(e, s + WINDOW));
      let end = s;
      while (end < limit && b[end] < 0x80) end++;
      if (end < e) return utf8.decode(b.subarray(s, e));
      this.win = utf8.decode(b.subarray(s, end)); this.winAt = s;
    }
    return this.win.slice(s - this.winAt, e - this.winAt);
  }

  // an ASCII string literal's text without escapes, shared with its last occurrence when short
  private ascii(s: number, e: number): string {
    const len = e - s;
    if (len > INTERN_MAX) return len < 13 ? this.text(s, e) : utf8.decode(this.b.subarray(s, e));
    const b = this.b;
    let h = len;
    for (let k = s; k < e; k++) h = (h * 31 + b[k]) | 0;
    const slot = h & (INTERN_SLOTS - 1);
    const known = this.interned[slot];
    if (known.length === len) {
      let k = 0;
      while (k < len && known.charCodeAt(k) === b[s + k]) k++;
      if (k === len) return known;
    }
    // copied out of the window (a slice under 13 characters is a copy in V8), so that it keeps no chunk alive
    const str = this.text(s, e);
    this.interned[slot] = str;
    return str;
  }

  string(): string {
    const b = this.b, n = this.n;
    const start = this.i + 1;
    let i = start;
    let simple = true;
    for (;;) {
      if (i >= n) this.fail('unterminated string', start - 1);
      const c = b[i];
      if (c === 0x22) break;
      if (c === 0x5c) { simple = false; i += 2; continue; }
      if (c < 0x20) { this.i = i; this.fail(`control character 0x${c.toString(16).padStart(2, '0')} in a string`); }
      if (c >= 0x80) simple = false;
      i++;
    }
    this.i = i + 1;
    if (simple) return this.ascii(start, i);
    // escapes and non-ASCII text: JSON.parse's own string rules on the (UTF-8 decoded) literal
    try {
      return JSON.parse(utf8.decode(b.subarray(start - 1, i + 1))) as string;
    } catch {
      this.badEscape(start, i);
    }
  }

  // where a string literal JSON.parse refused goes wrong: its first bad escape
  private badEscape(start: number, end: number): never {
    const b = this.b;
    for (let k = start; k < end; k++) {
      if (b[k] !== 0x5c) continue;
      const e = b[k + 1];
      if (e === 0x75) {
        for (let h = 2; h < 6; h++) {
          const d = b[k + h];
          const hex = (d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x46) || (d >= 0x61 && d <= 0x66);
          if (!hex) this.fail('bad \\u escape in a string', k);
        }
        k += 5;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        k++;
      } else {
        this.fail('bad escape in a string', k);
      }
    }
    this.fail('bad string', start - 1);
  }
}

function geometryDepth(t: unknown): number {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(GEOMETRY_DEPTH, t) ? GEOMETRY_DEPTH[t] : -1;
}
