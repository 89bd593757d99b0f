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
export class ColorMap implements ValueColors {
  private readonly cache = new Map<number, PackedRGBA>();

  constructor(readonly background: number) {}

  // the last value asked for: neighbouring pixels mostly hold the same value, and a Map lookup per
  // pixel is what a full-canvas redraw of a large raster would otherwise spend its time on
  private lastValue = NaN;
  private lastColor: PackedRGBA = 0;

  packed(v: number): PackedRGBA {
    if (v === this.lastValue) return this.lastColor;
    if (v === this.background || v !== v) return 0;
    this.lastValue = v;
    let c = this.cache.get(v);
    if (c === undefined) {
      const [r, g, b] = valueColor(v);
      c = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
      this.cache.set(v, c);
    }
    this.lastColor = c;
    return c;
  }
}

/** Anything that colours raster values for the viewer and the map. */
export interface ValueColors {
  packed(v: number): PackedRGBA;
}

// viridis at nine stops: perceptually even and readable by most colour-blind viewers
const RAMP_STOPS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The ramp's colour at t in 0..1 (clamped). */
export function rampColor(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t)) * (RAMP_STOPS.length - 1);
  const i = Math.min(RAMP_STOPS.length - 2, Math.floor(u)), f = u - i;
  const a = RAMP_STOPS[i], b = RAMP_STOPS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** The CSS linear-gradient of the ramp, for the legend. */
export function rampGradient(): string {
  return `linear-gradient(to right, ${RAMP_STOPS.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((100 * i) / (RAMP_STOPS.length - 1)).toFixed(1)}%`).join(', ')})`;
}

/**
 * Maps values continuously from `min` (dark) to `max` (bright) through a 256-entry table. The
 * background and NaN are transparent; one value alone (min = max) gets the middle colour.
 */
export class RampMap implements ValueColors {
  private readonly table = new Uint32Array(256);

  constructor(readonly background: number, readonly min: number, readonly max: number) {
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = rampColor(i / 255);
      this.table[i] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    }
  }

  packed(v: number): PackedRGBA {
    if (v === this.background || v !== v) return 0;
    const span = this.max - this.min;
    const t = span > 0 ? (v - this.min) / span : 0.5;
    return this.table[Math.min(255, Math.max(0, Math.round(t * 255)))];
  }
}

/** How a result is coloured: 'auto' picks categories for whole numbers (IDs, classes) and a ramp otherwise. */
export type ColorMode = 'auto' | 'categories' | 'ramp';

export function chooseColors(mode: ColorMode, s: { background: number; integers: boolean; min: number; max: number }): { kind: 'categories' | 'ramp'; colors: ValueColors } {
  const kind = mode === 'auto' ? (s.integers ? 'categories' : 'ramp') : mode;
  return { kind, colors: kind === 'categories' ? new ColorMap(s.background) : new RampMap(s.background, s.min, s.max) };
}
