import type { ShapeSet } from '../features/shapes.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON } from '../features/shapes.js';
import type { BurnSink } from './sink.js';
import { burnPoints } from './point.js';
import { bresenhamParts } from './line.js';
import { walkParts } from './walker.js';
import { fillPolygon } from './polygon.js';

export interface EmitOptions {
  allTouched: boolean;
  merge: 'replace' | 'add';
  burnZ: boolean;
}

/**
 * Sends the pixels of shape `i` to `sink`, dispatching on the shape's kind as GDAL's
 * rasterize_one_shape does (gdal-rules §1 step 7): points -> point rule; lines -> ALL_TOUCHED
 * walker or Bresenham; polygons -> (ALL_TOUCHED: walker over every ring segment, intersect-only)
 * then the scanline fill. The variant (Z term) is per vertex for points and lines and the first
 * vertex's Z for a whole polygon (§2.5); it is 0 when Z is not burned. Shared by the CPU engine and
 * the GPU span path, so it knows nothing about output arrays.
 */
export function emitShape(
  shapes: ShapeSet,
  i: number,
  width: number,
  height: number,
  opts: EmitOptions,
  sink: BurnSink,
): void {
  const { x, y, vertexStart, partStart } = shapes;
  const p0 = partStart[i];
  const p1 = partStart[i + 1];
  if (p0 === p1) return;
  const z = opts.burnZ ? shapes.z : null;
  const kind = shapes.kind[i];

  if (kind === KIND_POINT) {
    burnPoints(x, y, z, vertexStart[p0], vertexStart[p1], width, height, sink);
  } else if (kind === KIND_LINE) {
    if (opts.allTouched) {
      walkParts(x, y, vertexStart, p0, p1, width, height,
        { intersectOnly: false, avoidSame: opts.merge === 'add', variants: z }, sink);
    } else {
      bresenhamParts(x, y, z, vertexStart, p0, p1, width, height, sink);
    }
  } else if (kind === KIND_POLYGON) {
    const first = vertexStart[p0];
    if (first === vertexStart[p1]) return;
    const variant = z === null ? 0 : z[first];
    if (opts.allTouched) {
      walkParts(x, y, vertexStart, p0, p1, width, height,
        { intersectOnly: true, avoidSame: opts.merge === 'add', variants: z === null ? null : variant }, sink);
    }
    fillPolygon(x, y, vertexStart, p0, p1, width, height, variant, sink);
  } else {
    throw new Error(`shape ${i} has unknown kind ${kind}`);
  }
}
