// toNpy read by numpy.load: dtype, shape and every byte.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DTYPES } from '../../src/dtype.js';
import { toNpy } from '../../src/io/npy.js';
import type { DType, Raster } from '../../src/types.js';
import { pythonJson } from './gdal/oracle.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rb-io-npy-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const EDGES: Record<DType, Array<number | bigint>> = {
  uint8: [0, 255, 7], int16: [-32768, 32767, -1], uint16: [0, 65535, 1], int32: [-2147483648, 2147483647, -1],
  uint32: [0, 4294967295, 1], float32: [NaN, -Infinity, -0, 1.401298464324817e-45, 3.4028234663852886e38],
  float64: [NaN, Infinity, -0, 5e-324, 1.7976931348623157e308, 0.1],
  int64: [-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n, -1n], uint64: [0n, 2n ** 64n - 1n, 9007199254740993n],
};
const NUMPY: Record<DType, string> = { uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8', int64: '<i8', uint64: '<u8' };

describe('toNpy', () => {
  it('numpy.load reads every dtype as (height, width) with identical bytes', () => {
    const jobs: Array<{ path: string }> = [];
    const want: Array<{ descr: string; shape: [number, number]; sha: string }> = [];
    const sizes: Array<[number, number]> = [[1, 1], [3, 2], [37, 21], [1000, 3]];
    for (const dtype of Object.keys(DTYPES) as DType[]) {
      for (const [width, height] of sizes) {
        const data = DTYPES[dtype].make(width * height);
        const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
        const put = (i: number, v: number | bigint) => { (data as unknown as Array<number | bigint>)[i] = big ? BigInt(v) : Number(v); };
        for (let i = 0; i < data.length; i++) put(i, (i * 7919) % 251 - (DTYPES[dtype].min < 0 ? 125 : 0));
        EDGES[dtype].forEach((v, i) => { if (i < data.length) put(i, v); });
        const raster: Raster = { width, height, data, dtype, transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata: null };
        const buf = toNpy(raster);
        const headerLen = new DataView(buf).getUint16(8, true);
        expect((10 + headerLen) % 64).toBe(0);
        const path = join(dir, `${dtype}-${width}x${height}.npy`);
        writeFileSync(path, new Uint8Array(buf));
        jobs.push({ path });
        want.push({ descr: NUMPY[dtype], shape: [height, width], sha: createHash('sha256').update(new Uint8Array(data.buffer)).digest('hex') });
      }
    }
    const got = pythonJson(String.raw`
import sys, json, hashlib
import numpy as np
out = []
for j in json.load(sys.stdin):
    a = np.load(j['path'], allow_pickle=False)
    out.append({'descr': a.dtype.str, 'shape': list(a.shape), 'sha': hashlib.sha256(a.tobytes()).hexdigest(), 'c': bool(a.flags['C_CONTIGUOUS'])})
print(json.dumps(out))
`, jobs);
    got.forEach((g: { descr: string; shape: number[]; sha: string; c: boolean }, i: number) => {
      expect({ descr: g.descr, shape: g.shape, sha: g.sha }, jobs[i].path).toEqual(want[i]);
      expect(g.c).toBe(true);
    });
  });

  it('rejects data that does not fit the raster, naming the numbers', () => {
    const r: Raster = { width: 3, height: 2, data: new Uint8Array(5), dtype: 'uint8', transform: [0, 1, 0, 0, 0, -1], crs: undefined, nodata: null };
    expect(() => toNpy(r)).toThrow('raster data has 5 values, expected 3x2 = 6');
    expect(() => toNpy({ ...r, dtype: 'int8' as DType })).toThrow("unsupported raster dtype 'int8'");
  });
});
