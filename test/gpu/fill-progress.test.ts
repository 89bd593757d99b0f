// The exact GPU fill's progress, which a page shows as a bar: it names each tile as it is drawn and read
// back, in order, and its fraction never falls (the tiles are pipelined: tile k+1 is drawing while tile k
// is read back, and the read-back of k is reported first).
import { describe, expect, test } from 'vitest';
import { burnShapesWebGPU } from '../../src/gpu/engine.js';
import type { ProgressInfo } from '../../src/types.js';
import { cpuBurn, differences, shapeSet, testDevice, type HandShape } from './helpers.js';

const { device, why } = await testDevice();
if (!device) console.warn(`skipping the GPU fill progress test: ${why}`);

describe.skipIf(!device)('exact GPU fill progress', () => {
  test('tiles drawn and read back in order, fractions rising to 1, pixels unchanged', async () => {
    const w = 40, h = 30;
    const list: HandShape[] = [
      { kind: 'polygon', value: 3, parts: [[[0.2 * w, 0.1 * h], [0.9 * w, 0.3 * h], [0.6 * w, 0.95 * h], [0.2 * w, 0.1 * h]]] },
      { kind: 'polygon', value: 7, parts: [[[0, 0], [0.5 * w, 0], [0.5 * w, 0.5 * h], [0, 0.5 * h], [0, 0]]] },
    ];
    const shapes = shapeSet(list);
    const data = new Uint16Array(w * h);
    const seen: ProgressInfo[] = [];
    const r = await burnShapesWebGPU(shapes, { data, width: w, height: h, dtype: 'uint16' }, { device: device!, maxTileSize: 16, onProgress: (p) => seen.push(p) });
    expect(r.tiles).toBe(6);
    expect(differences(data, cpuBurn(shapes, { width: w, height: h, dtype: 'uint16' }))).toEqual([]);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions.filter((f, i) => i > 0 && f < fractions[i - 1]), fractions.join(' ')).toEqual([]);
    expect(fractions.at(-1)).toBe(1);
    const stages = seen.map((p) => p.stage).filter((s): s is string => s !== undefined);
    const want: string[] = [];
    for (let t = 1; t <= 6; t++) {
      if (t > 1) want.push(`tile ${t - 1} of 6 read back`);
      want.push(`tile ${t} of 6 on the GPU`);
    }
    want.push('tile 6 of 6 read back');
    expect(stages).toEqual(want);
  });
});
