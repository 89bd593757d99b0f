/**
 * The flat form every engine consumes: what GDAL calls a "shape" (one call of rasterize_one_shape)
 * after its multi-geometry splitting, already in GDAL's vertex order and in pixel space.
 *
 * - rings are re-oriented clockwise in world coordinates (OGR's test) before the pixel transform;
 * - line parts are stored in reverse order (GDAL walks lines from their last vertex);
 * - coordinates are pixel-space float64 from GDAL's inverse-geotransform formula;
 * - kind decides the burn routine, exactly as GDAL dispatches on the shape's own geometry type.
 */
export const KIND_POINT = 0;
export const KIND_LINE = 1;
export const KIND_POLYGON = 2;
export type ShapeKind = typeof KIND_POINT | typeof KIND_LINE | typeof KIND_POLYGON;

export interface ShapeSet {
  /** number of shapes */
  count: number;
  /** per shape: KIND_POINT | KIND_LINE | KIND_POLYGON */
  kind: Uint8Array;
  /** per shape: burn value before any Z is added (constant or attribute value) */
  value: Float64Array;
  /** per shape: index of its first part; length count + 1 */
  partStart: Uint32Array;
  /** per part: index of its first vertex; length nParts + 1 */
  vertexStart: Uint32Array;
  /** per vertex: pixel-space x and y */
  x: Float64Array;
  y: Float64Array;
  /** per vertex: world Z (only when burning Z, else null) */
  z: Float64Array | null;
  /** per shape: index of the source feature it came from */
  feature: Uint32Array;
  /**
   * per shape: the Int64 value of an Integer64 attribute, exact where `value` rounds it to a double;
   * an Int64 band burns these instead (pixel rule V10). Absent for any other burn value.
   */
  value64?: BigInt64Array;
}
