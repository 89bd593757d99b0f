// TIFF's predictors, undone after decoding a chunk and applied before encoding it, row by row: horizontal
// differencing (PREDICTOR=2) and libtiff's floating-point predictor (PREDICTOR=3). `stride` is the samples per
// pixel of the chunk. Browser-safe.

type UintView = Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

function uintView(d: Uint8Array, bps: number): UintView {
  const n = d.length / bps;
  if (bps === 1) return d;
  if (bps === 2) return new Uint16Array(d.buffer, d.byteOffset, n);
  if (bps === 4) return new Uint32Array(d.buffer, d.byteOffset, n);
  return new BigUint64Array(d.buffer, d.byteOffset, n);
}

// PREDICTOR=2: each sample is stored as the difference from the same band's previous sample in the row
// (modulo the sample size; the array setter wraps)
export function horizontalAccumulate(d: Uint8Array, rows: number, rowBytes: number, bps: number, stride: number): void {
  const v = uintView(d, bps), n = rowBytes / bps;
  if (v instanceof BigUint64Array) {
    for (let r = 0; r < rows; r++) for (let i = r * n + stride, e = (r + 1) * n; i < e; i++) v[i] += v[i - stride];
    return;
  }
  for (let r = 0; r < rows; r++) for (let i = r * n + stride, e = (r + 1) * n; i < e; i++) v[i] += v[i - stride];
}

export function horizontalDifference(d: Uint8Array, rows: number, rowBytes: number, bps: number, stride: number): void {
  const v = uintView(d, bps), n = rowBytes / bps;
  if (v instanceof BigUint64Array) {
    for (let r = 0; r < rows; r++) for (let i = (r + 1) * n - 1, s = r * n + stride; i >= s; i--) v[i] -= v[i - stride];
    return;
  }
  for (let r = 0; r < rows; r++) for (let i = (r + 1) * n - 1, s = r * n + stride; i >= s; i--) v[i] -= v[i - stride];
}

// PREDICTOR=3 (libtiff's fpAcc): a row holds its samples' bytes as planes, most significant first, byte-differenced
export function fpAccumulate(d: Uint8Array, rows: number, rowBytes: number, bps: number, stride: number): void {
  const tmp = new Uint8Array(rowBytes), wc = rowBytes / bps;
  for (let r = 0; r < rows; r++) {
    const row = d.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = (row[i] + row[i - stride]) & 0xff;
    tmp.set(row);
    for (let c = 0; c < wc; c++) for (let b = 0; b < bps; b++) row[bps * c + b] = tmp[(bps - b - 1) * wc + c];
  }
}

export function fpDifference(d: Uint8Array, rows: number, rowBytes: number, bps: number, stride: number): void {
  const tmp = new Uint8Array(rowBytes), wc = rowBytes / bps;
  for (let r = 0; r < rows; r++) {
    const row = d.subarray(r * rowBytes, (r + 1) * rowBytes);
    tmp.set(row);
    for (let c = 0; c < wc; c++) for (let b = 0; b < bps; b++) row[(bps - b - 1) * wc + c] = tmp[bps * c + b];
    for (let i = rowBytes - 1; i >= stride; i--) row[i] = (row[i] - row[i - stride]) & 0xff;
  }
}
