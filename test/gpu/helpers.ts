// Test-only helpers for the WebGPU engine tests: a device (or a clear reason why none), ShapeSets
// built by hand in pixel space, a seeded generator, the CPU reference and the tie accounting.
import Flatbush from 'flatbush';
import { burnShapesCpu } from '../../src/cpu/engine.js';
import { KIND_LINE, KIND_POINT, KIND_POLYGON, type ShapeKind, type ShapeSet } from '../../src/features/shapes.js';
import { getWebGPUDevice } from '../../src/gpu/device.js';
import type { NumberArray, TypedArray } from '../../src/types.js';
import { makeNumbers, type NumberDType } from '../shared/pixels.js';

/** The shared device, or null plus the reason (tests skip with that message). */
export async function testDevice(): Promise<{ device: GPUDevice | null; why: string }> {
  try {
    return { device: await getWebGPUDevice(), why: '' };
  } catch (e) {
    return { device: null, why: (e as Error).message };
  }
}

export interface HandShape {
  kind: 'point' | 'line' | 'polygon';
  value: number;
  /** parts (rings, line parts, point lists) of [x, y] or [x, y, z] in pixel space */
  parts: number[][][];
}

/** Builds a ShapeSet straight from pixel-space parts (no orientation or reversal applied). */
export function shapeSet(list: HandShape[]): ShapeSet {
  const kinds = { point: KIND_POINT, line: KIND_LINE, polygon: KIND_POLYGON } as const;
  const kind = new Uint8Array(list.length);
  const value = new Float64Array(list.length);
  const feature = new Uint32Array(list.length);
  const partStart: number[] = [0];
  const vertexStart: number[] = [0];
  const xs: number[] = [], ys: number[] = [], zs: number[] = [];
  let withZ = false;
  list.forEach((s, i) => {
    kind[i] = kinds[s.kind] as ShapeKind;
    value[i] = s.value;
    feature[i] = i;
    for (const part of s.parts) {
      for (const p of part) {
        xs.push(p[0]);
        ys.push(p[1]);
        zs.push(p[2] ?? 0);
        if (p.length > 2) withZ = true;
      }
      vertexStart.push(xs.length);
    }
    partStart.push(vertexStart.length - 1);
  });
  return {
    count: list.length, kind, value, feature,
    partStart: Uint32Array.from(partStart), vertexStart: Uint32Array.from(vertexStart),
    x: Float64Array.from(xs), y: Float64Array.from(ys), z: withZ ? Float64Array.from(zs) : null,
  };
}

/** mulberry32, the seeded generator the workloads and every fuzz test share */
export { mulberry32 as rng } from '../../bench/random.js';

export interface BurnCase {
  width: number;
  height: number;
  /** the GPU engine burns number pixels only */
  dtype: NumberDType;
  allTouched?: boolean;
  merge?: 'replace' | 'add';
  burnZ?: boolean;
  /** fills the starting array (the `into` case) */
  start?: (k: number) => number;
}

/** The starting array of a case: zeros, or start(k) converted by the typed array itself. */
export function startArray(c: BurnCase): NumberArray {
  const a = makeNumbers(c.dtype, c.width * c.height);
  if (c.start) for (let k = 0; k < a.length; k++) a[k] = c.start(k);
  return a;
}

/** The CPU engine's answer for a case. */
export function cpuBurn(shapes: ShapeSet, c: BurnCase): NumberArray {
  const data = startArray(c);
  burnShapesCpu(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, { allTouched: c.allTouched, merge: c.merge, burnZ: c.burnZ });
  return data;
}

/** Pixels where two arrays differ (Object.is, so NaN equals NaN and -0 differs from 0). */
export function differences(a: TypedArray, b: TypedArray): number[] {
  const out: number[] = [];
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) out.push(k);
  return out;
}

// distance from (px, py) to segment a-b
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Tie accounting: for each pixel index, the distance from its centre to the nearest polygon edge
 * (ring segments, closing edges included) of any shape whose box reaches it.
 */
export function edgeDistances(shapes: ShapeSet, width: number, pixels: number[], reach = 1): number[] {
  const n = shapes.count;
  const index = new Flatbush(Math.max(1, n));
  for (let i = 0; i < n; i++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let v = shapes.vertexStart[shapes.partStart[i]]; v < shapes.vertexStart[shapes.partStart[i + 1]]; v++) {
      x0 = Math.min(x0, shapes.x[v]); x1 = Math.max(x1, shapes.x[v]);
      y0 = Math.min(y0, shapes.y[v]); y1 = Math.max(y1, shapes.y[v]);
    }
    if (x0 > x1) { x0 = y0 = x1 = y1 = -1e9; }
    index.add(x0, y0, x1, y1);
  }
  if (n === 0) index.add(-1e9, -1e9, -1e9, -1e9);
  index.finish();
  return pixels.map((k) => {
    const cx = (k % width) + 0.5, cy = Math.floor(k / width) + 0.5;
    let best = Infinity;
    for (const i of index.search(cx - reach, cy - reach, cx + reach, cy + reach)) {
      if (i >= n || shapes.kind[i] !== KIND_POLYGON) continue;
      for (let p = shapes.partStart[i]; p < shapes.partStart[i + 1]; p++) {
        const s = shapes.vertexStart[p], e = shapes.vertexStart[p + 1];
        for (let v = s; v < e; v++) {
          const w = v + 1 < e ? v + 1 : s;
          best = Math.min(best, segDist(cx, cy, shapes.x[v], shapes.y[v], shapes.x[w], shapes.y[w]));
        }
      }
    }
    return best;
  });
}

/**
 * How far from an edge a tie pixel's centre may be on this adapter: the rasterizer snaps each
 * vertex coordinate to 2^-bits px, moving an edge by up to sqrt(2) * 2^-(bits+1), plus float32's
 * 2^-10 for tile-relative coordinates. Hardware (D3D12, NVIDIA/AMD Vulkan) uses 8 bits: about
 * 1/256 px. SwiftShader uses Vulkan's minimum of 4 bits (1/16 px), measured here as ties up to
 * ~0.02 px: allow sqrt(2)/32 there.
 */
export function tieTolerance(software: boolean): number {
  const bits = software ? 4 : 8;
  return Math.SQRT2 * 2 ** -(bits + 1) + 2 ** -10;
}
