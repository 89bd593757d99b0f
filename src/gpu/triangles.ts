import earcut, { deviation } from 'earcut';
import { KIND_POLYGON, type ShapeSet } from '../features/shapes.js';

/** A polygon shape whose earcut triangles cover exactly its even-odd interior. */
export interface TriangulatedShape {
  shape: number;
  /** ring vertices in pixel space, x,y interleaved, duplicates and closing vertices dropped */
  coords: Float64Array;
  /** earcut's triangles, three vertex indices each */
  tris: Uint32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Largest polygon extent (px) sent as triangles: tile-relative coordinates then stay below 2^15
 * even on 16384-pixel tiles, so float32 keeps them within 2^-9 px, under the rasterizer's snap.
 */
export const MAX_TRIANGLE_EXTENT = 8192;

/** Rings with more edges than this are checked with a sweep instead of all pairs. */
const BRUTE_FORCE_EDGES = 64;
/** Beyond this many holes the shape goes to the span path rather than an O(holes^2) nesting test. */
const MAX_HOLES = 256;

// sign of the turn a -> b -> c (exact for the small integers and halves users draw; elsewhere a
// wrong sign can only misjudge edges that nearly touch, which are tie pixels anyway)
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

// c lies on segment a-b, given the three are collinear
function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

// segments p1-p2 and p3-p4 share at least one point
function segmentsMeet(c: Float64Array, p1: number, p2: number, p3: number, p4: number): boolean {
  const ax = c[2 * p1], ay = c[2 * p1 + 1], bx = c[2 * p2], by = c[2 * p2 + 1];
  const cx = c[2 * p3], cy = c[2 * p3 + 1], dx = c[2 * p4], dy = c[2 * p4 + 1];
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

// even-odd point-in-ring test of (px, py) against ring [s, e)
function insideRing(c: Float64Array, s: number, e: number, px: number, py: number): boolean {
  let inside = false;
  for (let i = s, j = e - 1; i < e; j = i++) {
    const xi = c[2 * i], yi = c[2 * i + 1], xj = c[2 * j], yj = c[2 * j + 1];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// every ring is a simple closed curve, no two rings share a point: then the even-odd interior GDAL
// fills equals the union-with-holes earcut triangulates (given the nesting test below)
function ringsAreDisjointAndSimple(c: Float64Array, starts: number[], nv: number): boolean {
  const ringOf = new Uint32Array(nv);
  const next = new Uint32Array(nv);
  for (let r = 0; r < starts.length; r++) {
    const s = starts[r], e = r + 1 < starts.length ? starts[r + 1] : nv;
    for (let i = s; i < e; i++) {
      ringOf[i] = r;
      next[i] = i + 1 < e ? i + 1 : s;
    }
  }
  // edge i runs from vertex i to next[i]
  const check = (i: number, j: number): boolean => {
    const ni = next[i], nj = next[j];
    if (ni === j || nj === i) {
      // adjacent edges share one vertex; they must not fold back over each other
      const v = ni === j ? j : i;
      const p = ni === j ? i : j;
      const q = ni === j ? nj : ni;
      const vx = c[2 * v], vy = c[2 * v + 1];
      const ax = c[2 * p] - vx, ay = c[2 * p + 1] - vy, bx = c[2 * q] - vx, by = c[2 * q + 1] - vy;
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) return false;
      if (ni === j && nj === i) return false; // a two-vertex ring
      return true;
    }
    return !segmentsMeet(c, i, ni, j, nj);
  };
  if (nv <= BRUTE_FORCE_EDGES) {
    for (let i = 0; i < nv; i++) for (let j = i + 1; j < nv; j++) if (!check(i, j)) return false;
    return true;
  }
  // sweep over x: edges sorted by left end, compared only with edges still open at that x
  const order = new Uint32Array(nv);
  const lo = new Float64Array(nv), hi = new Float64Array(nv);
  for (let i = 0; i < nv; i++) {
    order[i] = i;
    const a = c[2 * i], b = c[2 * next[i]];
    lo[i] = Math.min(a, b);
    hi[i] = Math.max(a, b);
  }
  order.sort((a, b) => lo[a] - lo[b]);
  const active: number[] = [];
  for (let k = 0; k < nv; k++) {
    const i = order[k];
    let w = 0;
    for (let m = 0; m < active.length; m++) {
      const j = active[m];
      if (hi[j] < lo[i]) continue;
      active[w++] = j;
      const yi0 = c[2 * i + 1], yi1 = c[2 * next[i] + 1], yj0 = c[2 * j + 1], yj1 = c[2 * next[j] + 1];
      if (Math.max(yi0, yi1) < Math.min(yj0, yj1) || Math.max(yj0, yj1) < Math.min(yi0, yi1)) continue;
      if (!check(i, j)) return false;
    }
    active.length = w;
    active.push(i);
  }
  return true;
}

// a single ring turning the same way at every vertex and winding once is convex and simple, so a
// fan covers exactly its interior; null sends it to the general checks (collinear vertices,
// reflex corners, pentagrams that wind twice)
function convexFan(c: Float64Array, nv: number): Uint32Array | null {
  let sign = 0, turn = 0;
  for (let k = 0; k < nv; k++) {
    const a = k === 0 ? nv - 1 : k - 1, d = k + 1 === nv ? 0 : k + 1;
    const e1x = c[2 * k] - c[2 * a], e1y = c[2 * k + 1] - c[2 * a + 1];
    const e2x = c[2 * d] - c[2 * k], e2y = c[2 * d + 1] - c[2 * k + 1];
    const cross = e1x * e2y - e1y * e2x;
    if (cross === 0) return null;
    const s = cross > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return null;
    turn += Math.atan2(cross, e1x * e2x + e1y * e2y);
  }
  if (Math.abs(turn) > 3 * Math.PI) return null;
  const tris = new Uint32Array(3 * (nv - 2));
  for (let k = 1; k + 1 < nv; k++) {
    tris[3 * (k - 1)] = 0;
    tris[3 * (k - 1) + 1] = k;
    tris[3 * (k - 1) + 2] = k + 1;
  }
  return tris;
}

/**
 * Triangulates polygon shape `i` with earcut when that is exact: a single shell containing
 * disjoint simple holes, none nested in another, nothing touching, non-zero area, extent at most
 * MAX_TRIANGLE_EXTENT. Anything else (bowties, overlapping or stray rings, zero-area slivers that
 * GDAL still burns on centre rows) returns null and goes through GDAL's own rules as spans.
 */
export function triangulatePolygon(shapes: ShapeSet, i: number): TriangulatedShape | null {
  if (shapes.kind[i] !== KIND_POLYGON) return null;
  const { x, y, vertexStart, partStart } = shapes;
  const p0 = partStart[i], p1 = partStart[i + 1];
  if (p1 - p0 > MAX_HOLES + 1 || p1 === p0) return null;
  const total = vertexStart[p1] - vertexStart[p0];
  const c = new Float64Array(2 * total);
  const starts: number[] = [];
  let nv = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let p = p0; p < p1; p++) {
    const s = vertexStart[p], e = vertexStart[p + 1];
    const first = nv;
    for (let k = s; k < e; k++) {
      const vx = x[k], vy = y[k];
      if (nv > first && c[2 * nv - 2] === vx && c[2 * nv - 1] === vy) continue;
      c[2 * nv] = vx;
      c[2 * nv + 1] = vy;
      nv++;
    }
    if (nv - first > 1 && c[2 * first] === c[2 * nv - 2] && c[2 * first + 1] === c[2 * nv - 1]) nv--;
    if (nv - first < 3) return null;
    let area = 0;
    for (let k = first, j = nv - 1; k < nv; j = k++) area += (c[2 * j] - c[2 * k]) * (c[2 * j + 1] + c[2 * k + 1]);
    if (area === 0) return null;
    starts.push(first);
    for (let k = first; k < nv; k++) {
      const vx = c[2 * k], vy = c[2 * k + 1];
      if (vx < minX) minX = vx;
      if (vx > maxX) maxX = vx;
      if (vy < minY) minY = vy;
      if (vy > maxY) maxY = vy;
    }
  }
  if (maxX - minX > MAX_TRIANGLE_EXTENT || maxY - minY > MAX_TRIANGLE_EXTENT) return null;
  const coords = nv * 2 === c.length ? c : c.slice(0, 2 * nv);
  if (starts.length === 1) {
    const fan = convexFan(coords, nv);
    if (fan) return { shape: i, coords, tris: fan, minX, minY, maxX, maxY };
  }
  if (!ringsAreDisjointAndSimple(coords, starts, nv)) return null;
  // nesting: every hole inside the shell, no hole inside another (no two rings touch, so one
  // vertex decides)
  const end = (r: number): number => (r + 1 < starts.length ? starts[r + 1] : nv);
  for (let r = 1; r < starts.length; r++) {
    if (!insideRing(coords, starts[0], end(0), coords[2 * starts[r]], coords[2 * starts[r] + 1])) return null;
    for (let s = 1; s < starts.length; s++) {
      if (s !== r && insideRing(coords, starts[s], end(s), coords[2 * starts[r]], coords[2 * starts[r] + 1])) return null;
    }
  }
  // earcut and its area check on shape-local coordinates, which condition the arithmetic better
  const local = new Float64Array(2 * nv);
  for (let k = 0; k < nv; k++) {
    local[2 * k] = coords[2 * k] - minX;
    local[2 * k + 1] = coords[2 * k + 1] - minY;
  }
  const holes = starts.slice(1);
  const tris = earcut(local, holes, 2);
  if (tris.length === 0 || deviation(local, holes, 2, tris) > 1e-9) return null;
  return { shape: i, coords, tris: Uint32Array.from(tris), minX, minY, maxX, maxY };
}
