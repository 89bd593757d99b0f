const EPSILON = 1e-5;

/**
 * OGR's OGRLinearRing::isClockwise on ring[start .. start+n): pivot on the lowest, then rightmost
 * vertex (the last vertex is skipped as the closing repeat), sign of the cross product of its
 * neighbours; the shoelace sum decides when the pivot is degenerate. GDAL reverses every ring this
 * calls counter-clockwise before burning (pixel rule F4), and that order decides pixel rule P6.
 */
export function isClockwise(x: ArrayLike<number>, y: ArrayLike<number>, start: number, n: number): boolean {
  if (n < 2) return true;
  let fallback = false;
  let v = start;
  const last = start + n - 1;
  for (let i = start + 1; i < last; i++) {
    if (y[i] < y[v] || (y[i] === y[v] && x[i] > x[v])) {
      v = i;
      fallback = false;
    } else if (y[i] === y[v] && x[i] === x[v]) {
      fallback = true;
    }
  }
  let prev = v - 1;
  if (prev < start) prev = last - 1;
  if (Math.abs(x[prev] - x[v]) < EPSILON && Math.abs(y[prev] - y[v]) < EPSILON) fallback = true;
  const dx0 = x[prev] - x[v];
  const dy0 = y[prev] - y[v];
  let next = v + 1;
  if (next >= last) next = start;
  if (Math.abs(x[next] - x[v]) < EPSILON && Math.abs(y[next] - y[v]) < EPSILON) fallback = true;
  const dx1 = x[next] - x[v];
  const dy1 = y[next] - y[v];
  const cross = dx1 * dy0 - dx0 * dy1;
  if (!fallback) {
    if (cross > 0) return false;
    if (cross < 0) return true;
  }
  let sum = x[start] * (y[start + 1] - y[last]);
  for (let i = start + 1; i < last; i++) sum += x[i] * (y[i + 1] - y[i - 1]);
  sum += x[last] * (y[start] - y[last - 1]);
  return sum < 0;
}
