// The CPU engine's API and the parts the GDAL corpus cannot reach cheaply: Bresenham's closed-form
// skipping against the literal loop, huge coordinates, per-visit ADD conversion, the sink contract
// shared with the GPU span path and abort/progress (medium-size shapes against GDAL: test/oracle/cpu-engine-gdal.test.ts).
import { describe, expect, it } from 'vitest';
import { bresenhamParts } from '../../../src/rules/line.js';
import { cint } from '../../../src/rules/point.js';
import { emitShape } from '../../../src/rules/emit.js';
import { ArraySink } from '../../../src/cpu/array-sink.js';
import { burnShapesCpu, burnShapesCpuAsync } from '../../../src/cpu/engine.js';
import type { BurnSink } from '../../../src/rules/sink.js';
import type { ProgressInfo } from '../../../src/types.js';
import { YD, burnArray, burnRows, mulberry32, shapesFrom, wkt, type Geom, type TestGrid } from '../../shared/cpu-helpers.js';
import { fuzzCase } from '../../shared/cpu-fuzz.js';

// GDALdllImageLine for one part, literally (C int arithmetic), as the reference for the skipping
function literalBresenham(xs: number[], ys: number[], zs: number[] | null, w: number, h: number): string[] {
  const out: string[] = [];
  for (let j = 1; j < xs.length; j++) {
    let x = cint(Math.floor(xs[j - 1]));
    let y = cint(Math.floor(ys[j - 1]));
    const x1 = cint(Math.floor(xs[j]));
    const y1 = cint(Math.floor(ys[j]));
    let v = zs ? zs[j - 1] : 0;
    const v1 = zs ? zs[j] : 0;
    let dx = Math.abs((x1 - x) | 0) | 0;
    let dy = Math.abs((y1 - y) | 0) | 0;
    const sx = x > x1 ? -1 : 1;
    const sy = y > y1 ? -1 : 1;
    const last = j === xs.length - 1;
    if (dx >= dy) {
      const ex = (dy << 1) | 0;
      const ey = (ex - (dx << 1)) | 0;
      let e = (ex - dx) | 0;
      const dv = dx === 0 ? 0 : (v1 - v) / dx;
      if (!last) dx = (dx - 1) | 0;
      while (dx-- >= 0) {
        if (x >= 0 && x < w && y >= 0 && y < h) out.push(`${y},${x},${v}`);
        v += dv;
        x = (x + sx) | 0;
        if (e > 0) { y = (y + sy) | 0; e = (e + ey) | 0; } else e = (e + ex) | 0;
      }
    } else {
      const ex = (dx << 1) | 0;
      const ey = (ex - (dy << 1)) | 0;
      let e = (ex - dy) | 0;
      const dv = dy === 0 ? 0 : (v1 - v) / dy;
      if (!last) dy = (dy - 1) | 0;
      while (dy-- >= 0) {
        if (x >= 0 && x < w && y >= 0 && y < h) out.push(`${y},${x},${v}`);
        v += dv;
        y = (y + sy) | 0;
        if (e > 0) { x = (x + sx) | 0; e = (e + ey) | 0; } else e = (e + ex) | 0;
      }
    }
  }
  return out;
}

function recorder(): BurnSink & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    span(y, x0, x1, v) { for (let x = x0; x <= x1; x++) log.push(`${y},${x},${v}`); },
    point(y, x, v) { log.push(`${y},${x},${v}`); },
  };
}

describe('Bresenham skipping reproduces the literal loop', () => {
  it('random segments far off the grid, with and without Z', () => {
    const rnd = mulberry32(20240607);
    const W = 40;
    const H = 30;
    for (let t = 0; t < 3000; t++) {
      const n = 2 + Math.floor(rnd() * 3);
      const span = rnd() < 0.5 ? 60 : 6000;
      const xs = Array.from({ length: n }, () => (rnd() - 0.4) * span);
      const ys = Array.from({ length: n }, () => (rnd() - 0.4) * span);
      const zs = rnd() < 0.5 ? Array.from({ length: n }, () => rnd() * 100) : null;
      const sink = recorder();
      bresenhamParts(Float64Array.from(xs), Float64Array.from(ys), zs ? Float64Array.from(zs) : null,
        Uint32Array.from([0, n]), 0, 1, W, H, sink);
      expect(sink.log, `case ${t}: ${JSON.stringify({ xs, ys, zs })}`).toEqual(literalBresenham(xs, ys, zs, W, H));
    }
  });
});

describe('coordinates near and beyond 2^31 px (GDAL 3.6.2 output)', () => {
  // measured with gdal_rasterize on 3.6.2; GDAL itself loops for seconds on most of these
  const grid: TestGrid = YD(12, 10);
  const empty = '000000000000/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000';
  const cases: [string, string][] = [
    ['LINESTRING(-1e9 2.5,1e9 3.5)', '000000000000/000000000000/000000000000/111111111111/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000'],
    ['LINESTRING(-1e9 -5e8,1e9 5e8)', '100000000000/011000000000/000110000000/000001100000/000000011000/000000000110/000000000001/000000000000/000000000000/000000000000'],
    ['LINESTRING(-1.5e9 -1e9,6 5)', '000000000000/100000000000/011000000000/000100000000/000011000000/000000100000/000000000000/000000000000/000000000000/000000000000'],
    ['LINESTRING(-2e9 5.5,2e9 5.5)', empty],
    ['LINESTRING(5.5 -2e9,5.5 2e9)', empty],
    ['LINESTRING(-1e9 -1e9,1e9 1e9,5 1e9)', '100000000000/010000000000/001000000000/000100000000/000010000000/000001000000/000000100000/000000010000/000000001000/000000000100'],
    ['LINESTRING(0 0,3e9 3e9,4 4)', '100000000000/010000000000/001000000000/000100000000/000010000000/000000000000/000000000000/000000000000/000000000000/000000000000'],
    ['LINESTRING(1e8 -3e8,-2e8 4e8)', empty],
    ['LINESTRING(-5e8 3.5,7.5 3.2)', '000000000000/000000000000/000000000000/111111110000/000000000000/000000000000/000000000000/000000000000/000000000000/000000000000'],
  ];
  for (const [w, expected] of cases) {
    it(w, () => {
      const t0 = performance.now();
      expect(burnRows([w], grid)).toBe(expected);
      expect(performance.now() - t0).toBeLessThan(2000);
    });
  }
  it('Z accumulated over 5e8 off-grid steps stays bit-identical', () => {
    const got = burnArray([{ geometry: wkt('LINESTRING Z(-5e8 3.5 0,7.5 3.2 100)'), value: 0 }], grid, { burnZ: true });
    expect(Array.from(got).filter((v) => v !== 0)).toEqual(
      [99.99999859999998, 99.99999879999999, 99.99999899999999, 99.99999919999999, 99.9999994, 99.9999996, 99.9999998, 100]);
  });
});

describe('ArraySink: GDAL conversion after every visit (pixel rule V2)', () => {
  const square = 'POLYGON((0 0,1 0,1 1,0 1,0 0))';
  const three = (v: number) => [1, 2, 3].map(() => ({ geometry: wkt(square), value: v }));
  it('Byte ADD rounds per visit', () => {
    expect(Array.from(burnArray(three(0.5), YD(1, 1), { merge: 'add', dtype: 'uint8' }))).toEqual([3]);
    expect(Array.from(burnArray(three(0.4), YD(1, 1), { merge: 'add', dtype: 'uint8' }))).toEqual([0]);
    expect(Array.from(burnArray(three(200), YD(1, 1), { merge: 'add', dtype: 'uint8' }))).toEqual([255]);
    const minusOne = [1, 2].map(() => ({ geometry: wkt(square), value: -1 }));
    expect(Array.from(burnArray(minusOne, YD(1, 1), { merge: 'add', dtype: 'uint8', init: 5 }))).toEqual([3]);
  });
  it('REPLACE converts the burn value once (0.49999999999999994 -> 1, clamp, NaN -> 0)', () => {
    const one = (v: number, dtype: 'uint8' | 'int16' | 'float32') =>
      burnArray([{ geometry: wkt(square), value: v }], YD(1, 1), { dtype })[0];
    expect(one(0.49999999999999994, 'uint8')).toBe(1);
    expect(one(-2.5, 'int16')).toBe(-3);
    expect(one(300, 'uint8')).toBe(255);
    expect(one(NaN, 'int16')).toBe(0);
    expect(one(0.1, 'float32')).toBe(Math.fround(0.1));
  });
  it('spans and points write the same values', () => {
    const data = new Uint16Array(8);
    const sink = new ArraySink(data, 4, 'uint16', 'add');
    sink.setValue(2.5);
    sink.span(0, 1, 3, 0);
    sink.point(1, 2, 1);
    sink.span(0, 2, 2, 0);
    expect(Array.from(data)).toEqual([0, 3, 6, 3, 0, 0, 4, 0]);
    expect(sink.visits).toBe(5);
  });
});

describe('emitShape contract (shared with the GPU span path)', () => {
  it('emits only on-grid pixels and spans with x0 <= x1', () => {
    for (let s = 0; s < 400; s++) {
      const c = fuzzCase(7000 + s, true);
      for (const merge of ['replace', 'add'] as const) {
        const shapes = shapesFrom(c.geoms, c.grid, merge);
        for (const allTouched of [false, true]) {
          const bad: string[] = [];
          const sink: BurnSink = {
            span(y, x0, x1) {
              if (!(y >= 0 && y < c.grid.height && x0 >= 0 && x0 <= x1 && x1 < c.grid.width)) bad.push(`span ${y} ${x0} ${x1}`);
            },
            point(y, x) {
              if (!(y >= 0 && y < c.grid.height && x >= 0 && x < c.grid.width)) bad.push(`point ${y} ${x}`);
            },
          };
          for (let i = 0; i < shapes.count; i++) {
            emitShape(shapes, i, c.grid.width, c.grid.height, { allTouched, merge, burnZ: true }, sink);
          }
          expect(bad, `seed ${7000 + s}`).toEqual([]);
        }
      }
    }
  });
});

describe('burnShapesCpu API', () => {
  const grid = YD(50, 40);
  const many = Array.from({ length: 5000 }, (_, i) =>
    wkt(`POLYGON((${i % 50} ${i % 40},${(i % 50) + 1.5} ${i % 40},${(i % 50) + 1} ${(i % 40) + 2},${i % 50} ${i % 40}))`));
  const shapes = shapesFrom(many, grid);

  it('burns in order, last wins, and reports stats', () => {
    const set = shapesFrom([{ geometry: wkt('POLYGON((0 0,3 0,3 1,0 1,0 0))'), value: 1 }, { geometry: wkt('POLYGON((1 0,4 0,4 1,1 1,1 0))'), value: 2 }], YD(4, 1));
    const data = new Uint8Array(4);
    const stats = burnShapesCpu(set, { data, width: 4, height: 1, dtype: 'uint8' });
    expect(Array.from(data)).toEqual([1, 2, 2, 2]);
    expect(stats).toEqual({ shapesBurned: 2, pixelsVisited: 6 });
  });
  it('reports progress up to fraction 1', () => {
    const seen: ProgressInfo[] = [];
    burnShapesCpu(shapes, { data: new Uint16Array(2000), width: 50, height: 40, dtype: 'uint16' }, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen[seen.length - 1]).toEqual({ fraction: 1, done: 5000, total: 5000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThan(seen[i - 1].done);
  });
  it('throws the abort reason, also when aborted from onProgress', () => {
    const pre = new AbortController();
    pre.abort(new Error('stop now'));
    expect(() => burnShapesCpu(shapes, { data: new Uint16Array(2000), width: 50, height: 40, dtype: 'uint16' }, { signal: pre.signal }))
      .toThrow('stop now');
    const mid = new AbortController();
    let calls = 0;
    const data = new Uint16Array(2000);
    expect(() => burnShapesCpu(shapes, { data, width: 50, height: 40, dtype: 'uint16' }, {
      signal: mid.signal,
      onProgress: () => { if (++calls === 2) mid.abort(); },
    })).toThrow(/abort/i);
    expect(calls).toBe(2);
  });
  it('the async variant lets a timer abort it', async () => {
    // a million tall triangles, built directly: far more than one 50 ms slice of work
    const n = 1_000_000;
    const big = {
      count: n,
      kind: new Uint8Array(n).fill(2),
      value: new Float64Array(n).fill(1),
      partStart: Uint32Array.from({ length: n + 1 }, (_, i) => i),
      vertexStart: Uint32Array.from({ length: n + 1 }, (_, i) => 3 * i),
      x: Float64Array.from({ length: 3 * n }, (_, k) => ((k / 3) | 0) % 50 + (k % 3 === 1 ? 2.5 : 0)),
      y: Float64Array.from({ length: 3 * n }, (_, k) => (k % 3 === 2 ? 39.5 : 0)),
      z: null,
      feature: new Uint32Array(n),
    };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('timer abort')), 0);
    let last = 0;
    await expect(burnShapesCpuAsync(big, { data: new Uint16Array(2000), width: 50, height: 40, dtype: 'uint16' }, {
      signal: ctl.signal,
      onProgress: (p) => { last = p.done; },
    })).rejects.toThrow('timer abort');
    expect(last).toBeLessThan(n);
    const data = new Uint16Array(2000);
    const stats = await burnShapesCpuAsync(shapes, { data, width: 50, height: 40, dtype: 'uint16' });
    const ref = new Uint16Array(2000);
    burnShapesCpu(shapes, { data: ref, width: 50, height: 40, dtype: 'uint16' });
    expect(stats.shapesBurned).toBe(5000);
    expect(Array.from(data)).toEqual(Array.from(ref));
  });
  it('rejects a mismatched target with a message naming the value', () => {
    expect(() => burnShapesCpu(shapes, { data: new Uint16Array(10), width: 50, height: 40, dtype: 'uint16' }))
      .toThrow('target data has 10 pixels, expected 50 x 40 = 2000');
    expect(() => burnShapesCpu(shapes, { data: new Uint16Array(2000), width: 50, height: 40, dtype: 'uint16' }, { merge: 'max' as 'add' }))
      .toThrow("merge must be 'replace' or 'add', got max");
  });
});
