// backend 'auto' burns on WebGPU only on a hardware adapter: on a software one (SwiftShader, llvmpipe)
// it burns on the CPU and says why; 'webgpu' still runs there when asked, and reports stats.gpu.
import { afterEach, describe, expect, it } from 'vitest';
import { getWebGPUDevice, releaseWebGPUDevice, setWebGPUProvider } from '../../src/gpu/device.js';
import { createRasterizer } from '../../src/rasterizer.js';
import { rasterize } from '../../src/rasterize.js';
import type { GeoJSONFeatureCollection } from '../../src/features/geojson.js';
import type { Grid } from '../../src/types.js';
import { testDevice } from './helpers.js';

const grid: Grid = { width: 6, height: 5, transform: [0, 1, 0, 5, 0, -1] };
const fc: GeoJSONFeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { v: 3 }, geometry: { type: 'Polygon', coordinates: [[[0.2, 0.3], [4.6, 0.8], [3.1, 4.4], [0.2, 0.3]]] } },
    { type: 'Feature', properties: { v: 9 }, geometry: { type: 'LineString', coordinates: [[0.1, 4.9], [5.9, 0.2]] } },
  ],
};

// an adapter that only describes itself: its device cannot burn anything
function fakeAdapter(info: { vendor: string; architecture: string; description: string }): GPUAdapter {
  const device = { lost: new Promise(() => undefined), destroy() {} };
  return {
    features: new Set<string>(), limits: {}, info: { ...info, device: '' }, isFallbackAdapter: false,
    requestDevice: async () => device,
  } as unknown as GPUAdapter;
}

async function useAdapter(adapter: GPUAdapter): Promise<void> {
  await releaseWebGPUDevice();
  setWebGPUProvider(async () => ({ adapter }));
}

afterEach(async () => {
  setWebGPUProvider(null);
  await releaseWebGPUDevice();
});

describe("backend 'auto' and the adapter", () => {
  it('a software adapter: rasterize() burns on the CPU, the reason names the adapter, the pixels are the CPU\'s', async () => {
    await useAdapter(fakeAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }));
    const cpu = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8' });
    const auto = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8', backend: 'auto' });
    expect(auto.stats.backend).toBe('cpu');
    expect(auto.stats.fallbackReason).toMatch(/^software adapter: .*swiftshader.* is a software rasterizer.*backend 'auto' burns on the CPU/);
    expect(auto.stats.gpu).toBeUndefined();
    expect(Array.from(auto.data)).toEqual(Array.from(cpu.data));
  });

  it('a software adapter: createRasterizer({ backend: "auto" }) is a CPU rasterizer that says why', async () => {
    await useAdapter(fakeAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' }));
    const r = await createRasterizer({ backend: 'auto' });
    expect(r.backend).toBe('cpu');
    expect(r.fallbackReason).toMatch(/llvmpipe.* is a software rasterizer/);
    const out = await r.rasterize(fc, grid, { attribute: 'v', dtype: 'uint8' });
    expect(out.stats.backend).toBe('cpu');
    r.destroy();
  });

  it('a hardware adapter is tried: a device that cannot burn falls back with its own error, not the software reason', async () => {
    await useAdapter(fakeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' }));
    const auto = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8', backend: 'auto' });
    expect(auto.stats.backend).toBe('cpu');
    expect(auto.stats.fallbackReason).toBeTruthy();
    expect(auto.stats.fallbackReason).not.toMatch(/software rasterizer/);
  });
});

describe("'webgpu' on the real adapter (Dawn)", () => {
  it("runs when asked, even on a software adapter, and reports stats.gpu; 'auto' follows the adapter's kind", async () => {
    const { device, why } = await testDevice();
    if (!device) {
      console.warn(`skipped: ${why}`);
      return;
    }
    const cpu = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8' });
    const gpu = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8', backend: 'webgpu' });
    expect(gpu.stats.backend).toBe('webgpu');
    expect(Array.from(gpu.data)).toEqual(Array.from(cpu.data));
    const g = gpu.stats.gpu!;
    expect(g.adapter).toBe(gpu.stats.adapter);
    expect(g.software).toBe(/^software adapter/.test(g.adapter));
    for (const k of ['crossings', 'exactFallbacks', 'hostMs'] as const) expect(g[k]).toBeGreaterThanOrEqual(0);
    expect(gpu.stats.stages.burn).toBeGreaterThan(0);

    const auto = await rasterize(fc, grid, { attribute: 'v', dtype: 'uint8', backend: 'auto' });
    expect(auto.stats.backend).toBe(g.software ? 'cpu' : 'webgpu');
    if (g.software) expect(auto.stats.fallbackReason).toMatch(/is a software rasterizer/);
    expect(Array.from(auto.data)).toEqual(Array.from(cpu.data));
    expect(await getWebGPUDevice()).toBe(device);
  });
});
