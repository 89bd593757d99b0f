import { defineConfig } from 'vitest/config';

// Every test: test/unit (no GDAL, browser, GPU or build needed), test/oracle (against the real GDAL 3.6.2),
// test/gpu (WebGPU through Dawn), test/browser (headless Chromium), test/built (the compiled package in dist/).
// Differential tests run the real gdal_rasterize; give them room, and keep to the machine's 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-node-crs.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
