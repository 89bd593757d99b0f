import { describe, expect, test } from 'vitest';
import { DTYPES } from '../../src/dtype.js';
import { alignedBytesPerRow, describeAdapterInfo } from '../../src/gpu/device.js';
import { burnShapesWebGPU, GpuUnsupportedError, type WebGPUBurnOptions } from '../../src/gpu/engine.js';
import type { NumberDType } from '../shared/pixels.js';
import { cpuBurn, differences, shapeSet, startArray, testDevice, type BurnCase, type HandShape } from './helpers.js';

const DTYPE_LIST: NumberDType[] = ['uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'];

describe('pure helpers', () => {
  test('bytesPerRow is rounded up to 256', () => {
    expect(alignedBytesPerRow(1, 1)).toBe(256);
    expect(alignedBytesPerRow(128, 2)).toBe(256);
    expect(alignedBytesPerRow(129, 2)).toBe(512);
    expect(alignedBytesPerRow(8192, 4)).toBe(32768);
  });

  test('a software adapter is never called a GPU', () => {
    const info = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' } as GPUAdapterInfo;
    expect(describeAdapterInfo(info).software).toBe(true);
    expect(describeAdapterInfo(info).label).toMatch(/^software adapter: /);
    expect(describeAdapterInfo({ vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: '' } as GPUAdapterInfo).software).toBe(true);
    expect(describeAdapterInfo({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100' } as GPUAdapterInfo, true).software).toBe(true);
    const gpu = describeAdapterInfo({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100' } as GPUAdapterInfo);
    expect(gpu.software).toBe(false);
    expect(gpu.label).toBe('GPU: nvidia hopper (NVIDIA H100)');
  });
});

const { device, why } = await testDevice();
if (!device) console.warn(`skipping WebGPU engine tests: ${why}`);

// runs a case on the GPU from the same starting array the CPU reference gets
async function gpuBurn(shapes: ReturnType<typeof shapeSet>, c: BurnCase, extra: Partial<WebGPUBurnOptions> = {}) {
  const data = startArray(c);
  const result = await burnShapesWebGPU(shapes, { data, width: c.width, height: c.height, dtype: c.dtype }, {
    allTouched: c.allTouched ?? false, merge: c.merge ?? 'replace', burnZ: c.burnZ ?? false, device: device!, ...extra,
  });
  return { data, result };
}

// a few shapes of every kind over a w x h grid, values chosen per dtype
function mixed(w: number, h: number, v: (k: number) => number): HandShape[] {
  return [
    { kind: 'polygon', value: v(0), parts: [[[0.2 * w, 0.1 * h], [0.9 * w, 0.3 * h], [0.6 * w, 0.95 * h], [0.2 * w, 0.1 * h]]] },
    { kind: 'polygon', value: v(1), parts: [
      [[0, 0], [0.5 * w, 0], [0.5 * w, 0.5 * h], [0, 0.5 * h], [0, 0]],
      [[0.1 * w, 0.1 * h], [0.3 * w, 0.1 * h], [0.3 * w, 0.3 * h], [0.1 * w, 0.3 * h], [0.1 * w, 0.1 * h]],
    ] },
    { kind: 'line', value: v(2), parts: [[[0.05 * w, 0.9 * h], [0.95 * w, 0.2 * h], [0.4 * w, 0.05 * h]]] },
    { kind: 'point', value: v(3), parts: [[[0.5 * w, 0.5 * h], [0.99 * w, 0.01 * h], [w + 3, 1]]] },
    { kind: 'polygon', value: v(4), parts: [[[0.7 * w, 0.6 * h], [1.1 * w, 0.6 * h], [1.1 * w, 1.2 * h], [0.7 * w, 1.2 * h], [0.7 * w, 0.6 * h]]] },
  ];
}

// per-dtype burn values that exercise range ends and conversion (all exact in float32)
function valuesFor(dtype: NumberDType): (k: number) => number {
  const t = DTYPES[dtype];
  // float32 rounds 1e30 and 0.1 itself; float64 must get values float32 holds exactly
  if (dtype === 'float32') return (k) => [1.5, -2.25, 1e30, 0.1, -0.5][k % 5];
  if (dtype === 'float64') return (k) => [1.5, -2.25, 2 ** 100, 7, -0.5][k % 5];
  if (t.min < 0) return (k) => [t.min, -7, 3, t.max, 1.5][k % 5];
  return (k) => [t.max, 1, 2.5, 7, t.max + 100][k % 5];
}

describe.skipIf(!device)('tiny exact targets (Dawn)', () => {
  test('1x1: a point at (0.3, 0.6) burns the only pixel', async () => {
    const shapes = shapeSet([{ kind: 'point', value: 9, parts: [[[0.3, 0.6]]] }]);
    const { data } = await gpuBurn(shapes, { width: 1, height: 1, dtype: 'uint8' });
    expect(Array.from(data)).toEqual([9]);
  });

  test('3x3: a box 0.7..2.2 x 0.2..1.9 burns the centres inside it', async () => {
    // centres (1.5, 0.5) and (1.5, 1.5) only: x 0.5 and 2.5 are outside 0.7..2.2, y 2.5 too
    const shapes = shapeSet([{ kind: 'polygon', value: 300, parts: [[[0.7, 0.2], [2.2, 0.2], [2.2, 1.9], [0.7, 1.9], [0.7, 0.2]]] }]);
    for (const dtype of DTYPE_LIST) {
      const { data } = await gpuBurn(shapes, { width: 3, height: 3, dtype });
      const v = dtype === 'uint8' ? 255 : 300;
      expect(Array.from(data), dtype).toEqual([0, v, 0, 0, v, 0, 0, 0, 0]);
    }
  });

  test('3x3: later shapes overwrite earlier ones, a line ends on its first vertex', async () => {
    // GDAL walks lines from their last vertex (ShapeSet stores them reversed); a 3-pixel row
    const shapes = shapeSet([
      { kind: 'polygon', value: 1, parts: [[[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]]] },
      { kind: 'line', value: 2, parts: [[[2.5, 1.5], [0.5, 1.5]]] },
      { kind: 'point', value: 3, parts: [[[1.5, 1.5]]] },
    ]);
    const { data } = await gpuBurn(shapes, { width: 3, height: 3, dtype: 'int16' });
    expect(Array.from(data)).toEqual([1, 1, 1, 2, 3, 2, 1, 1, 1]);
    expect(differences(data, cpuBurn(shapes, { width: 3, height: 3, dtype: 'int16' }))).toEqual([]);
  });

  for (const size of [1, 3, 10]) {
    for (const dtype of DTYPE_LIST) {
      for (const allTouched of [false, true]) {
        test(`${size}x${size} ${dtype}${allTouched ? ' allTouched' : ''}: replace equals the CPU engine, both fills, into and init`, async () => {
          const shapes = shapeSet(mixed(size, size, valuesFor(dtype)));
          const c: BurnCase = { width: size, height: size, dtype, allTouched, start: (k) => (k % 3) - 1 };
          const want = cpuBurn(shapes, c);
          for (const gpuFill of ['spans', 'triangles'] as const) {
            const { data } = await gpuBurn(shapes, c, { gpuFill });
            if (gpuFill === 'spans') expect(differences(data, want), `${gpuFill} into`).toEqual([]);
            // init: the starting content is ignored
            const fresh: BurnCase = { ...c, start: undefined };
            const wantInit = cpuBurn(shapes, { ...fresh, start: () => 5 });
            const { data: d2 } = await gpuBurn(shapes, { ...fresh, start: () => 77 }, { gpuFill, init: 5 });
            if (gpuFill === 'spans') expect(differences(d2, wantInit), `${gpuFill} init`).toEqual([]);
          }
        });
      }
    }
  }

  for (const dtype of DTYPE_LIST.filter((d) => DTYPES[d].integer)) {
    test(`10x10 ${dtype}: merge 'add' equals the CPU engine (atomics), up and down, saturating`, async () => {
      const t = DTYPES[dtype];
      for (const sign of [1, -1]) {
        for (const allTouched of [false, true]) {
          const big = Math.min(t.max, 2 ** 31) - 5;
          const shapes = shapeSet(mixed(10, 10, (k) => sign * [3, 1, big, 2, 7][k % 5]));
          const c: BurnCase = { width: 10, height: 10, dtype, merge: 'add', allTouched, start: (k) => (sign > 0 ? k * 3 : t.max - k * 3) };
          const want = cpuBurn(shapes, c);
          const { data } = await gpuBurn(shapes, c);
          expect(differences(data, want), `sign ${sign} allTouched ${allTouched}`).toEqual([]);
          const wantInit = cpuBurn(shapes, { ...c, start: () => (sign > 0 ? t.min + 1 : t.max - 1) });
          const { data: d2 } = await gpuBurn(shapes, { ...c, start: () => 9 }, { init: sign > 0 ? t.min + 1 : t.max - 1 });
          expect(differences(d2, wantInit), `init, sign ${sign}`).toEqual([]);
        }
      }
    });
  }

  test("uint8 merge 'add' saturates at 255 and uint32 at 2^32-1 (compare-exchange path)", async () => {
    const box = (v: number): HandShape => ({ kind: 'polygon', value: v, parts: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] });
    const u8 = await gpuBurn(shapeSet([box(200), box(200), box(3)]), { width: 2, height: 2, dtype: 'uint8', merge: 'add' });
    expect(Array.from(u8.data)).toEqual([255, 255, 255, 255]);
    const u32 = await gpuBurn(shapeSet([box(4e9), box(4e9), box(1)]), { width: 2, height: 2, dtype: 'uint32', merge: 'add' });
    expect(Array.from(u32.data)).toEqual([4294967295, 4294967295, 4294967295, 4294967295]);
    const i32 = await gpuBurn(shapeSet([box(-2e9), box(-2e9)]), { width: 2, height: 2, dtype: 'int32', merge: 'add' });
    expect(Array.from(i32.data)).toEqual([-2147483648, -2147483648, -2147483648, -2147483648]);
  });

  test("float32 merge 'add' blends exactly like the CPU engine", async () => {
    if (!device!.features.has('float32-blendable')) return;
    const shapes = shapeSet(mixed(10, 10, (k) => [0.1875, -3.5, 1e-20, 2 ** 24, 1 / 3][k % 5]).map((s) => ({ ...s, value: Math.fround(s.value) })));
    for (const allTouched of [false, true]) {
      const c: BurnCase = { width: 10, height: 10, dtype: 'float32', merge: 'add', allTouched, start: (k) => k / 8 };
      const { data } = await gpuBurn(shapes, c);
      expect(differences(data, cpuBurn(shapes, c))).toEqual([]);
    }
  });

  test('burnZ: Z variants reach the GPU as per-span values', async () => {
    const shapes = shapeSet([
      { kind: 'line', value: 1, parts: [[[0.5, 0.5, 0], [8.5, 6.5, 80]]] },
      { kind: 'polygon', value: 2, parts: [[[1, 6, 30], [9, 6, 0], [9, 9, 0], [1, 9, 0], [1, 6, 30]]] },
      { kind: 'point', value: 0, parts: [[[4.5, 1.5, 12], [6.5, 2.5, -3]]] },
    ]);
    for (const allTouched of [false, true]) {
      for (const merge of ['replace', 'add'] as const) {
        const c: BurnCase = { width: 10, height: 10, dtype: 'int32', burnZ: true, allTouched, merge };
        if (merge === 'add') {
          // -3 against positive burns: mixed signs are order-dependent, so the GPU refuses
          await expect(gpuBurn(shapes, c)).rejects.toThrow(GpuUnsupportedError);
          continue;
        }
        const { data } = await gpuBurn(shapes, c);
        expect(differences(data, cpuBurn(shapes, c))).toEqual([]);
      }
    }
  });
});

describe.skipIf(!device)('refusals and failures (Dawn)', () => {
  const box: HandShape = { kind: 'polygon', value: 0.1, parts: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };

  test('float64 values float32 cannot hold are refused before the target is touched', async () => {
    const data = new Float64Array([1, 2, 3, 4]);
    await expect(burnShapesWebGPU(shapeSet([box]), { data, width: 2, height: 2, dtype: 'float64' }, { device: device! }))
      .rejects.toThrow(/float64 value 0\.1 .*not exactly representable in float32/);
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
    const into = new Float64Array([0.1, 0, 0, 0]);
    await expect(burnShapesWebGPU(shapeSet([{ ...box, value: 1 }]), { data: into, width: 2, height: 2, dtype: 'float64' }, { device: device! }))
      .rejects.toThrow(GpuUnsupportedError);
  });

  test("merge 'add' with fractional or mixed-sign burns, or into float64, is refused", async () => {
    const data = new Uint8Array(4);
    await expect(burnShapesWebGPU(shapeSet([{ ...box, value: 0.5 }]), { data, width: 2, height: 2, dtype: 'uint8' }, { merge: 'add', device: device! }))
      .rejects.toThrow(/whole-number burns; shape 0 burns 0\.5/);
    await expect(burnShapesWebGPU(shapeSet([{ ...box, value: 2 }, { ...box, value: -1 }]), { data, width: 2, height: 2, dtype: 'uint8' }, { merge: 'add', device: device! }))
      .rejects.toThrow(/burns of one sign; shape 1 burns -1/);
    await expect(burnShapesWebGPU(shapeSet([{ ...box, value: 2 }]), { data: new Float64Array(4), width: 2, height: 2, dtype: 'float64' }, { merge: 'add', device: device! }))
      .rejects.toThrow(GpuUnsupportedError);
    expect(Array.from(data)).toEqual([0, 0, 0, 0]);
  });

  test('bad targets and options name the bad value', async () => {
    await expect(burnShapesWebGPU(shapeSet([]), { data: new Uint8Array(3), width: 2, height: 2, dtype: 'uint8' }, { device: device! }))
      .rejects.toThrow(/has 3 pixels, expected 2 x 2 = 4/);
    await expect(burnShapesWebGPU(shapeSet([]), { data: new Uint8Array(4), width: 2, height: 2, dtype: 'uint8' }, { device: device!, gpuFill: 'quads' as never }))
      .rejects.toThrow(/gpuFill must be 'spans' or 'triangles', got quads/);
  });

  test('every buffer and texture is destroyed, also when a burn fails', async () => {
    const live = new Set<{ destroy(): void }>();
    const d = device! as GPUDevice & Record<string, unknown>;
    const origBuffer = d.createBuffer, origTexture = d.createTexture;
    const track = <T extends { destroy(): void }>(o: T): T => {
      live.add(o);
      const destroy = o.destroy.bind(o);
      o.destroy = () => { live.delete(o); destroy(); };
      return o;
    };
    d.createBuffer = (desc: GPUBufferDescriptor) => track(origBuffer.call(d, desc));
    d.createTexture = (desc: GPUTextureDescriptor) => track(origTexture.call(d, desc));
    try {
      const shapes = shapeSet(mixed(40, 30, (k) => k + 1));
      for (const merge of ['replace', 'add'] as const) {
        for (const gpuFill of ['spans', 'triangles'] as const) {
          await gpuBurn(shapes, { width: 40, height: 30, dtype: 'uint16', merge }, { gpuFill, maxTileSize: 16 });
          expect(live.size, `${merge} ${gpuFill}`).toBe(0);
        }
      }
      const ctl = new AbortController();
      let calls = 0;
      const p = gpuBurn(shapes, { width: 40, height: 30, dtype: 'uint16' }, { maxTileSize: 8, signal: ctl.signal, onProgress: () => { if (++calls === 2) ctl.abort(); } });
      await expect(p).rejects.toThrow(/abort/i);
      expect(live.size).toBe(0);
    } finally {
      d.createBuffer = origBuffer;
      d.createTexture = origTexture;
    }
  });

  test('a lost device gives a clear error, not a hang', async () => {
    const adapter = await (await import('../../src/gpu/dawn.js')).requestDawnAdapter();
    const own = await adapter.adapter!.requestDevice();
    own.destroy();
    const data = new Uint8Array(100);
    const shapes = shapeSet(mixed(10, 10, () => 1));
    await expect(burnShapesWebGPU(shapes, { data, width: 10, height: 10, dtype: 'uint8' }, { device: own })).rejects.toThrow(/device lost|destroyed/i);
  });
});
