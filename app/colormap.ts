// Colours for ID rasters. Neighbouring IDs (41, 42, 43) must not get neighbouring colours, so each
// value is hashed to a hue instead of being placed on a gradient; the hash is fixed, so a value keeps
// its colour from run to run and between the GPU and the CPU paths.

/** RGBA packed for a Uint32Array view of ImageData (little-endian: 0xAABBGGRR); 0 is transparent. */
export type PackedRGBA = number;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

// mixes a value's float64 bits into 32 well-spread bits (murmur3's finalizer on each half)
function hashValue(v: number): number {
  f64[0] = v === 0 ? 0 : v; // -0 and 0 are the same pixel value
  let h = Math.imul(u32[0] ^ 0x9e3779b9, 0x85ebca6b) ^ u32[1];
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// HSL (h in degrees, s and l in 0..1) to 8-bit RGB, as CSS defines it
function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** The colour of one burned value: a hashed hue, saturated and mid-light so it reads on white and black. */
export function valueColor(v: number): [number, number, number] {
  const h = hashValue(v);
  const hue = ((h & 0xffff) / 0x10000) * 360;
  const sat = 0.6 + (((h >>> 16) & 0xff) / 255) * 0.3;
  const light = 0.42 + ((h >>> 24) / 255) * 0.2;
  return hslToRgb(hue, sat, light);
}

/**
 * Maps raster values to packed RGBA, caching each distinct value's colour. `background` (the init or
 * nodata value: what unburned pixels hold) and NaN are transparent.
 */
export class ColorMap {
  private readonly cache = new Map<number, PackedRGBA>();

  constructor(readonly background: number) {}

  packed(v: number): PackedRGBA {
    if (v === this.background || v !== v) return 0;
    let c = this.cache.get(v);
    if (c === undefined) {
      const [r, g, b] = valueColor(v);
      c = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
      this.cache.set(v, c);
    }
    return c;
  }
}
