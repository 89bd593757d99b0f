import { describe, expect, test } from 'vitest';
import { burnShapesCpu } from '../../src/cpu/engine.js';
import { describeAdapter } from '../../src/gpu/device.js';
import { burnShapesWebGPU, type GpuFill } from '../../src/gpu/engine.js';
import { triangulatePolygon } from '../../src/gpu/triangles.js';
import type { NumberDType } from '../shared/pixels.js';
import { cpuBurn, differences, edgeDistances, rng, shapeSet, startArray, testDevice, tieTolerance, type BurnCase, type HandShape } from './helpers.js';

const { device, why } = await testDevice();
if (!device) console.warn(`skipping WebGPU fuzz tests: ${why}`);
const adapter = device ? await describeAdapter(device) : null;
const tie = adapter ? tieTolerance(adapter.software) : 0;

/** GPU_FUZZ_SEED=n reruns one scene set; the default keeps CI deterministic. */
const SEED = Number(process.env.GPU_FUZZ_SEED ?? 20251125);

// star-shaped ring around (cx, cy): always simple; radii between rMin and rMax
function star(r: () => number, cx: number, cy: number, rMin: number, rMax: number, n: number, snap: number): number[][] {
  const angles = Array.from({ length: n }, () => r() * 2 * Math.PI).sort((a, b) => a - b);
  const pts = angles.map((a) => {
    const d = rMin + r() * (rMax - rMin);
    let x = cx + d * Math.cos(a), y = cy + d * Math.sin(a);
    if (snap) { x = Math.round(x * snap) / snap; y = Math.round(y * snap) / snap; }
    return [x, y];
  });
  return [...pts, pts[0]];
}

/** A random scene: valid polygons (some with holes, some on the half-pixel lattice), invalid ones, lines, points. */
function scene(r: () => number, w: number, h: number, n: number, value: () => number): HandShape[] {
  const out: HandShape[] = [];
  for (let k = 0; k < n; k++) {
    const t = r();
    const cx = r() * w * 1.1 - 0.05 * w, cy = r() * h * 1.1 - 0.05 * h;
    const R = 1 + r() * Math.min(w, h) * 0.25;
    // vertices on pixel corners and centres half the time: the tie-prone input users draw
    const snap = r() < 0.5 ? 2 : 0;
    if (t < 0.45) {
      const parts = [star(r, cx, cy, 0.5 * R, R, 3 + Math.floor(r() * 10), snap)];
      if (r() < 0.3 && R > 6) parts.push(star(r, cx, cy, 0.1 * R, 0.4 * R, 3 + Math.floor(r() * 6), snap));
      out.push({ kind: 'polygon', value: value(), parts });
    } else if (t < 0.6) {
      // axis-aligned box on the half-pixel lattice: every edge is a tie candidate
      const x0 = Math.round(cx * 2) / 2, y0 = Math.round(cy * 2) / 2;
      const x1 = x0 + Math.round(r() * R * 2) / 2 + 0.5, y1 = y0 + Math.round(r() * R * 2) / 2 + 0.5;
      out.push({ kind: 'polygon', value: value(), parts: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
    } else if (t < 0.75) {
      // random vertices: mostly self-intersecting, the triangle path must hand these to spans
      const m = 4 + Math.floor(r() * 6);
      const ring = Array.from({ length: m }, () => [cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R]);
      out.push({ kind: 'polygon', value: value(), parts: [[...ring, ring[0]]] });
    } else if (t < 0.9) {
      const m = 2 + Math.floor(r() * 4);
      out.push({ kind: 'line', value: value(), parts: [Array.from({ length: m }, () => [cx + (r() - 0.5) * 2 * R, cy + (r() - 0.5) * 2 * R])] });
    } else {
      out.push({ kind: 'point', value: value(), parts: [Array.from({ length: 1 + Math.floor(r() * 4) }, () => [cx + (r() - 0.5) * R, cy + (r() - 0.5) * R])] });
    }
  }
  return out;
}

describe.skipIf(!device)(`GPU vs CPU on random shapes (seed ${SEED})`, () => {
  test('spans are identical to the CPU engine; triangles differ only at counted ties', async () => {
    console.log(`seed ${SEED} (rerun with GPU_FUZZ_SEED=${SEED})`);
    const r = rng(SEED);
    let pixels = 0, ties = 0, farthest = 0, triangulated = 0, asSpans = 0;
    let crossings = 0, exact = 0, gpuLines = 0, touched = 0;
    const modes: { dtype: NumberDType; merge: 'replace' | 'add'; allTouched: boolean }[] = [
      { dtype: 'uint16', merge: 'replace', allTouched: false },
      { dtype: 'uint8', merge: 'replace', allTouched: true },
      { dtype: 'int32', merge: 'replace', allTouched: false },
      { dtype: 'float32', merge: 'replace', allTouched: false },
      { dtype: 'uint16', merge: 'add', allTouched: false },
      { dtype: 'int16', merge: 'add', allTouched: true },
    ];
    for (let s = 0; s < 24; s++) {
      const w = 20 + Math.floor(r() * 280), h = 20 + Math.floor(r() * 280);
      const mode = modes[s % modes.length];
      const sign = mode.dtype === 'int16' ? -1 : 1;
      const shapes = shapeSet(scene(r, w, h, 5 + Math.floor(r() * 60), () => sign * (1 + Math.floor(r() * 200))));
      const c: BurnCase = { width: w, height: h, ...mode, start: mode.merge === 'add' ? (k) => k % 7 : undefined };
      const want = cpuBurn(shapes, c);
      for (const gpuFill of ['spans', 'triangles'] as GpuFill[]) {
        const data = startArray(c);
        const res = await burnShapesWebGPU(shapes, { data, width: w, height: h, dtype: c.dtype }, { ...mode, burnZ: false, gpuFill, device: device!, maxTileSize: s % 3 === 0 ? 64 : undefined });
        const diff = differences(data, want);
        const where = `scene ${s} (${w} x ${h}, ${shapes.count} shapes, ${mode.dtype} ${mode.merge}${mode.allTouched ? ' allTouched' : ''}, ${gpuFill})`;
        if (gpuFill === 'spans') {
          expect(diff, where).toEqual([]);
          crossings += res.crossings;
          exact += res.exactFallbacks;
          gpuLines += res.linesOnGpu ?? 0;
          touched += res.touchSegments ?? 0;
          continue;
        }
        if (mode.merge === 'replace' && !mode.allTouched) {
          // the only modes where polygons can go as triangles
          triangulated += res.polygonsTriangulated;
          asSpans += res.polygonsAsSpans;
        }
        pixels += w * h;
        ties += diff.length;
        const dist = edgeDistances(shapes, w, diff);
        for (const d of dist) farthest = Math.max(farthest, d);
        expect(dist.filter((d) => d > tie), where).toEqual([]);
      }
    }
    console.log(`exact fill: ${crossings} crossings on the GPU, ${exact} by the exact path; ${gpuLines} lines walked on the GPU, ${touched} all-touched segments`);
    expect(gpuLines).toBeGreaterThan(20);
    // the replace-mode all-touched scenes walk on the GPU
    expect(touched).toBeGreaterThan(0);
    console.log(`triangle path: ${ties} tie pixels of ${pixels} (${((100 * ties) / pixels).toFixed(4)}%), farthest ${farthest.toFixed(4)} px from an edge (allowed ${tie.toFixed(4)}); in replace modes ${triangulated} polygons triangulated, ${asSpans} sent as spans (invalid rings)`);
    expect(triangulated).toBeGreaterThan(50);
    expect(asSpans).toBeGreaterThan(10);
  }, 300_000);

  test('the triangle path sends invalid rings to spans and triangulates valid ones', () => {
    const shapes = shapeSet([
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]] },
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]] }, // bowtie
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[8, 8], [12, 8], [12, 12], [8, 12], [8, 8]]] }, // hole sticks out
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[1, 1], [9, 1], [9, 9], [1, 9], [1, 1]], [[3, 3], [6, 3], [6, 6], [3, 6], [3, 3]]] }, // island in a hole
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]] }, // ring twice
      { kind: 'polygon', value: 1, parts: [[[0, 5], [10, 5], [0, 5]]] }, // zero area: GDAL burns centre rows
      { kind: 'polygon', value: 1, parts: [[[0, 0], [10, 0], [10, 10], [5, 0], [0, 10], [0, 0]]] }, // touches itself
    ]);
    expect(triangulatePolygon(shapes, 0)).not.toBeNull();
    for (let i = 1; i < shapes.count; i++) expect(triangulatePolygon(shapes, i), `shape ${i}`).toBeNull();
  });

  test('speed: CPU engine vs GPU spans vs GPU triangles on 20,000 buildings over 4000 x 4000 uint16', async () => {
    const seed = 4000;
    const r = rng(seed);
    const list: HandShape[] = [];
    for (let k = 0; k < 20_000; k++) {
      const cx = r() * 4000, cy = r() * 4000, R = 4 + r() * 16;
      list.push({ kind: 'polygon', value: 1 + (k % 60000), parts: [star(r, cx, cy, 0.6 * R, R, 4 + Math.floor(r() * 8), 0)] });
    }
    const shapes = shapeSet(list);
    const c: BurnCase = { width: 4000, height: 4000, dtype: 'uint16' };
    const cpu = new Uint16Array(4000 * 4000);
    const t0 = performance.now();
    burnShapesCpu(shapes, { data: cpu, ...c }, {});
    const cpuMs = performance.now() - t0;
    const lines = [`speed (seed ${seed}, ${adapter!.label}; software numbers are for correctness only): CPU engine ${cpuMs.toFixed(0)} ms`];
    for (const gpuFill of ['spans', 'triangles'] as GpuFill[]) {
      // second run: pipelines compiled, shared device warm
      for (let run = 0; run < 2; run++) {
        const data = new Uint16Array(4000 * 4000);
        const t1 = performance.now();
        const res = await burnShapesWebGPU(shapes, { data, ...c }, { gpuFill, device: device! });
        const ms = performance.now() - t1;
        if (run === 1) {
          const diff = differences(data, cpu);
          lines.push(`GPU ${gpuFill}: ${ms.toFixed(0)} ms (prepare ${res.ms.prepare.toFixed(0)}, GPU ${res.ms.gpu.toFixed(0)}), ${res.rects} rects, ${res.triangles} triangles, ${diff.length} pixels differ`);
          if (gpuFill === 'spans') expect(diff.length).toBe(0);
          else expect(edgeDistances(shapes, 4000, diff).filter((d) => d > tie)).toEqual([]);
        }
      }
    }
    console.log(lines.join('\n'));
  }, 300_000);
});
