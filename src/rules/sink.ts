/**
 * Where the GDAL-rule walkers send pixels. The CPU engine writes them into a typed array; the GPU
 * span path collects them into instance buffers. Coordinates are already clipped to the grid.
 * `variant` is the Z term GDAL adds to the burn value (0 unless burning Z).
 */
export interface BurnSink {
  /** burn columns x0..x1 inclusive of row y */
  span(y: number, x0: number, x1: number, variant: number): void;
  /** burn one pixel */
  point(y: number, x: number, variant: number): void;
}
