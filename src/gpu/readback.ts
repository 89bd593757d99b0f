// Tile readback: a tile's bytes copied into a staging buffer are mapped, then de-padded straight
// into the caller's array. Two staging buffers let the GPU fill one while the CPU reads the other.
import { MAP_READ } from './flags.js';
import type { TileRect, WebGPUTarget } from './target.js';

/** A tile whose copy into `staging` is submitted and whose map is in flight. */
export interface Pending {
  tile: TileRect;
  staging: GPUBuffer;
  /** bytes from one tile row to the next in staging */
  pitch: number;
  /** bytes mapped */
  bytes: number;
  map: Promise<void>;
  /** the tile's error scopes */
  errors: Promise<void>;
}

/** Starts mapping the first `drawn` bytes of `staging` (rounded up to whole words, as mapAsync wants). */
export function startReadback(tile: TileRect, staging: GPUBuffer, pitch: number, drawn: number, errors: Promise<void>): Pending {
  const bytes = Math.ceil(drawn / 4) * 4;
  const map = staging.mapAsync(MAP_READ, 0, bytes);
  map.catch(() => { /* reported when the tile is read back */ });
  return { tile, staging, pitch, bytes, map, errors };
}

/** Waits for a tile's map and de-pads it into the target; `gpuBytes` is the GPU's bytes per pixel. */
export async function finishReadback(
  p: Pending, target: WebGPUTarget, gpuBytes: number, guard: <T>(p: Promise<T>) => Promise<T>,
): Promise<void> {
  try {
    await guard(p.map);
  } catch (e) {
    await guard(p.errors);
    throw e;
  }
  await guard(p.errors);
  const mapped = p.staging.getMappedRange(0, p.bytes);
  try {
    depad(target, mapped, p.pitch, p.tile, gpuBytes);
  } finally {
    p.staging.unmap();
  }
}

// one tile's rows from `src` (each `pitch` bytes apart) into their place in the target
function depad(target: WebGPUTarget, src: ArrayBuffer, pitch: number, tile: TileRect, gpuBytes: number): void {
  const { data, width } = target;
  if (target.dtype === 'float64') {
    // the GPU held float32 (exact by the engine's checks): widen row by row into the result
    const f = new Float32Array(src);
    const out = data as Float64Array;
    for (let r = 0; r < tile.h; r++) out.set(f.subarray((r * pitch) / 4, (r * pitch) / 4 + tile.w), (tile.y + r) * width + tile.x);
    return;
  }
  const dst = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const rowBytes = tile.w * gpuBytes;
  if (pitch === rowBytes && tile.w === width) {
    dst.set(new Uint8Array(src, 0, rowBytes * tile.h), tile.y * width * gpuBytes);
    return;
  }
  const s = new Uint8Array(src);
  for (let r = 0; r < tile.h; r++) dst.set(s.subarray(r * pitch, r * pitch + rowBytes), ((tile.y + r) * width + tile.x) * gpuBytes);
}
