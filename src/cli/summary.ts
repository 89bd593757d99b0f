/** The --json line: what a run burned and how long it took. */
export interface Summary {
  width: number;
  height: number;
  dtype: string;
  backend: string;
  features: number;
  shapes: number;
  pixelsBurned: number;
  seconds: number;
}

// NaN equals NaN here: an unburned NaN-initialised pixel has not changed
export function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
