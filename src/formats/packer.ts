// Packs coordinate lists into shared Float64Array pools as PackedPositions (x, y, z per position), the
// form the engine flattens directly: one typed array per ring of 100k buildings would cost more in
// allocation and garbage collection than the coordinates themselves (see features/geojson.ts).
import type { AnyGeometry, PackedPositions } from '../features/geojson.js';

const POOL = 1 << 19;

export class Packer {
  private pool = new Float64Array(0);
  private used = 0;

  /** room for n positions; write position i at xyz[off + 3i ..] */
  take(n: number, hasZ: boolean): PackedPositions {
    const len = 3 * n;
    if (this.used + len > this.pool.length) {
      this.pool = new Float64Array(Math.max(POOL, len));
      this.used = 0;
    }
    const p: PackedPositions = { xyz: this.pool, off: this.used, n, hasZ };
    this.used += len;
    return p;
  }
}

/** the [xmin, ymin, xmax, ymax] of a geometry's packed or plain positions; null when it has none */
export function geometryBox(g: AnyGeometry): [number, number, number, number] | null {
  const b = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
  const visit = (c: unknown): void => {
    if (!c || typeof c !== 'object') return;
    const p = c as PackedPositions;
    if (p.xyz instanceof Float64Array) {
      const off = p.off ?? 0;
      for (let i = 0, k = off; i < p.n; i++, k += 3) {
        const x = p.xyz[k], y = p.xyz[k + 1];
        if (x < b[0]) b[0] = x; if (x > b[2]) b[2] = x;
        if (y < b[1]) b[1] = y; if (y > b[3]) b[3] = y;
      }
      return;
    }
    if (Array.isArray(c)) {
      if (typeof c[0] === 'number') {
        const x = c[0], y = c[1] as number;
        if (x < b[0]) b[0] = x; if (x > b[2]) b[2] = x;
        if (y < b[1]) b[1] = y; if (y > b[3]) b[3] = y;
      } else for (const m of c) visit(m);
    }
  };
  if (g.type === 'GeometryCollection') {
    for (const m of g.geometries) { const mb = geometryBox(m); if (mb) visit([[mb[0], mb[1]], [mb[2], mb[3]]]); }
  } else visit(g.coordinates);
  return b[0] <= b[2] ? b : null;
}
