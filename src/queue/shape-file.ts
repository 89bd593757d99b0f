// A tile's shapes as bytes: the pixel-space ShapeSet the submitter flattened on the whole grid,
// stored as is so that a worker burns the very coordinates the single-machine run burns (nothing is
// reprojected or re-parsed on the worker). Layout, little-endian: a 32-byte header (magic, version,
// shapes, parts, vertices, has-Z, 0, 0) then value, x, y, [z] as float64 and partStart, vertexStart,
// feature as uint32, then kind as uint8. Browser-safe.
import type { ShapeSet } from '../features/shapes.js';
import { LITTLE_ENDIAN_HOST } from '../io/endian.js';

const MAGIC = 0x53544252; // 'RBTS' read little-endian
const VERSION = 1;
const HEAD = 32;

function needLittleEndian(): void {
  if (!LITTLE_ENDIAN_HOST) throw new Error('tile partitions are little-endian: this host is big-endian');
}

/** The bytes of a shape set (one buffer). */
export function encodeShapes(s: ShapeSet): Uint8Array {
  needLittleEndian();
  const parts = s.vertexStart.length - 1;
  const verts = s.x.length;
  const f64 = s.count + verts * (s.z ? 3 : 2);
  const u32 = (s.count + 1) + (parts + 1) + s.count;
  const total = HEAD + 8 * f64 + 4 * u32 + s.count;
  const buf = new ArrayBuffer(total);
  new Uint32Array(buf, 0, 8).set([MAGIC, VERSION, s.count, parts, verts, s.z ? 1 : 0, 0, 0]);
  let at = HEAD;
  const put64 = (a: Float64Array) => { new Float64Array(buf, at, a.length).set(a); at += 8 * a.length; };
  const put32 = (a: Uint32Array) => { new Uint32Array(buf, at, a.length).set(a); at += 4 * a.length; };
  put64(s.value); put64(s.x); put64(s.y);
  if (s.z) put64(s.z);
  put32(s.partStart); put32(s.vertexStart); put32(s.feature);
  new Uint8Array(buf, at, s.count).set(s.kind);
  return new Uint8Array(buf);
}

/** The shape set back from encodeShapes's bytes; the arrays are views on a copy of them. */
export function decodeShapes(bytes: Uint8Array, name = 'partition'): ShapeSet {
  needLittleEndian();
  if (bytes.byteLength < HEAD) throw new Error(`${name} is not a tile partition: ${bytes.byteLength} bytes`);
  // a fresh, 8-aligned buffer: Node's file buffers may sit at any offset of a shared pool
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  const [magic, version, count, parts, verts, hasZ] = new Uint32Array(buf, 0, 8);
  if (magic !== MAGIC) throw new Error(`${name} is not a tile partition (bad magic)`);
  if (version !== VERSION) throw new Error(`${name} is a version ${version} tile partition; this rasterburn reads version ${VERSION}`);
  const expect = HEAD + 8 * (count + verts * (hasZ ? 3 : 2)) + 4 * ((count + 1) + (parts + 1) + count) + count;
  if (bytes.byteLength !== expect) throw new Error(`${name} is truncated or corrupt: ${bytes.byteLength} bytes, expected ${expect}`);
  let at = HEAD;
  const get64 = (n: number) => { const a = new Float64Array(buf, at, n); at += 8 * n; return a; };
  const get32 = (n: number) => { const a = new Uint32Array(buf, at, n); at += 4 * n; return a; };
  const value = get64(count), x = get64(verts), y = get64(verts);
  const z = hasZ ? get64(verts) : null;
  const partStart = get32(count + 1), vertexStart = get32(parts + 1), feature = get32(count);
  const kind = new Uint8Array(buf, at, count);
  return { count, kind, value, partStart, vertexStart, x, y, z, feature };
}
