// Which shapes each tile of a job needs, and each tile's own copy of them. A shape goes to every tile
// its pixels may reach: its vertices' rows and columns widened by the margin every GDAL routine stays
// within (shapeRows's), the whole grid when a coordinate is NaN or huge (the int conversions then
// wrap). The tile burn clips to its window exactly, so the margin only decides who looks at a shape.
// Shapes keep their order in every partition: last-wins REPLACE and ADD's per-visit rounding see the
// writes of the whole-grid burn in the same order. Browser-safe.
import { shapeRows } from '../cpu/bands.js';
import type { ShapeSet } from '../features/shapes.js';
import { tileCount, tilesAcross, type TileJobSpec } from './tile-grid.js';

// the same reach as shapeRows's rows (cpu/bands.ts), for columns
const MARGIN = 2;
const FAR = 2 ** 30;

/** Per shape, the columns it can write: [colMin, colMax], the whole grid when a coordinate is NaN or huge. */
export function shapeCols(shapes: ShapeSet, width: number): { colMin: Int32Array; colMax: Int32Array } {
  const { count, partStart, vertexStart, x } = shapes;
  const colMin = new Int32Array(count);
  const colMax = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const v0 = vertexStart[partStart[s]];
    const v1 = vertexStart[partStart[s + 1]];
    let lo = Infinity, hi = -Infinity, wild = false;
    for (let v = v0; v < v1; v++) {
      const xx = x[v];
      if (!(xx > -FAR && xx < FAR)) { wild = true; break; }
      if (xx < lo) lo = xx;
      if (xx > hi) hi = xx;
    }
    if (wild) {
      colMin[s] = 0;
      colMax[s] = width - 1;
    } else if (v1 === v0) {
      colMin[s] = 1;
      colMax[s] = 0;
    } else {
      colMin[s] = Math.floor(lo) - MARGIN;
      colMax[s] = Math.floor(hi) + MARGIN;
    }
  }
  return { colMin, colMax };
}

/** Shapes per tile: tile t's shapes are order[start[t]..start[t+1]-1], ascending. */
export interface TilePartition {
  start: Uint32Array;
  order: Uint32Array;
}

/** Assigns every shape to the tiles it may reach (a counting sort: two passes, no per-tile arrays). */
export function partitionShapes(shapes: ShapeSet, spec: Pick<TileJobSpec, 'grid' | 'tileSize'>): TilePartition {
  const { width, height } = spec.grid;
  const size = spec.tileSize;
  const across = tilesAcross(spec);
  const tiles = tileCount(spec);
  const { rowMin, rowMax } = shapeRows(shapes, height, (n) => new Int32Array(n));
  const { colMin, colMax } = shapeCols(shapes, width);
  const n = shapes.count;
  const t0 = new Int32Array(n * 4);
  const counts = new Float64Array(tiles + 1);
  for (let s = 0; s < n; s++) {
    const r0 = Math.max(0, rowMin[s]), r1 = Math.min(height - 1, rowMax[s]);
    const c0 = Math.max(0, colMin[s]), c1 = Math.min(width - 1, colMax[s]);
    if (r0 > r1 || c0 > c1) {
      t0[4 * s] = 1; t0[4 * s + 1] = 0;
      continue;
    }
    const tr0 = Math.floor(r0 / size), tr1 = Math.floor(r1 / size), tc0 = Math.floor(c0 / size), tc1 = Math.floor(c1 / size);
    t0[4 * s] = tr0; t0[4 * s + 1] = tr1; t0[4 * s + 2] = tc0; t0[4 * s + 3] = tc1;
    for (let r = tr0; r <= tr1; r++) for (let c = tc0; c <= tc1; c++) counts[r * across + c + 1]++;
  }
  for (let t = 1; t <= tiles; t++) counts[t] += counts[t - 1];
  if (counts[tiles] > 2 ** 32 - 1) throw new Error(`the shapes reach ${counts[tiles]} tile cells: use a larger --tile-size`);
  const start = Uint32Array.from(counts);
  const fill = start.slice(0, tiles);
  const order = new Uint32Array(start[tiles]);
  for (let s = 0; s < n; s++) {
    const tr0 = t0[4 * s], tr1 = t0[4 * s + 1], tc0 = t0[4 * s + 2], tc1 = t0[4 * s + 3];
    for (let r = tr0; r <= tr1; r++) for (let c = tc0; c <= tc1; c++) order[fill[r * across + c]++] = s;
  }
  return { start, order };
}

/** A ShapeSet holding only shapes `only` (ascending) of `shapes`, in that order. */
export function subsetShapes(shapes: ShapeSet, only: ArrayLike<number>): ShapeSet {
  const { partStart, vertexStart } = shapes;
  let parts = 0, verts = 0;
  for (let k = 0; k < only.length; k++) {
    const s = only[k];
    parts += partStart[s + 1] - partStart[s];
    verts += vertexStart[partStart[s + 1]] - vertexStart[partStart[s]];
  }
  const count = only.length;
  const out: ShapeSet = {
    count,
    kind: new Uint8Array(count),
    value: new Float64Array(count),
    partStart: new Uint32Array(count + 1),
    vertexStart: new Uint32Array(parts + 1),
    x: new Float64Array(verts),
    y: new Float64Array(verts),
    z: shapes.z ? new Float64Array(verts) : null,
    feature: new Uint32Array(count),
  };
  let p = 0, v = 0;
  for (let k = 0; k < count; k++) {
    const s = only[k];
    out.kind[k] = shapes.kind[s];
    out.value[k] = shapes.value[s];
    out.feature[k] = shapes.feature[s];
    out.partStart[k] = p;
    const vs0 = vertexStart[partStart[s]], vs1 = vertexStart[partStart[s + 1]];
    for (let q = partStart[s]; q < partStart[s + 1]; q++) out.vertexStart[p++] = v + (vertexStart[q] - vs0);
    out.x.set(shapes.x.subarray(vs0, vs1), v);
    out.y.set(shapes.y.subarray(vs0, vs1), v);
    if (out.z && shapes.z) out.z.set(shapes.z.subarray(vs0, vs1), v);
    v += vs1 - vs0;
  }
  out.partStart[count] = p;
  out.vertexStart[p] = v;
  return out;
}
