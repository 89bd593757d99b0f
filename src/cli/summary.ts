import type { BurnStages, GpuStats } from '../burn/stats.js';

/** The --json line: what a run burned and how long it took. */
export interface Summary {
  width: number;
  height: number;
  dtype: string;
  backend: string;
  features: number;
  /** features that burned nothing: no geometry, or one GDAL's reader rejects (absent where a run cannot tell, e.g. queued tiles) */
  skipped?: number;
  shapes: number;
  pixelsBurned: number;
  seconds: number;
  /** milliseconds per stage: read, parse, prepare, burn, write */
  stages: BurnStages;
  /**
   * how the output reached its path: 'created', 'replaced' (a temp file renamed over it) or 'in-place' (its own
   * bytes rewritten, where a rename would break a hard link, change its owner, or needs a folder not writable)
   */
  write?: 'created' | 'replaced' | 'in-place';
  /** warnings about a likely wrong result, as printed on stderr */
  warnings?: string[];
  /** the WebGPU burn's adapter and figures, when the WebGPU backend ran */
  gpu?: GpuStats;
}

// NaN equals NaN here: an unburned NaN-initialised pixel has not changed
export function same(a: number | bigint, b: number | bigint): boolean {
  return a === b || (a !== a && b !== b);
}

/** Stages to a hundredth of a millisecond, for the --json line. */
export function roundStages(s: BurnStages): BurnStages {
  const r = (ms: number) => Math.round(ms * 100) / 100;
  return { read: r(s.read), parse: r(s.parse), prepare: r(s.prepare), burn: r(s.burn), write: r(s.write) };
}
