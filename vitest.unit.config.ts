import { defineConfig } from 'vitest/config';

// The fast lane (npm run test:unit): the tests that need no GDAL, no browser, no GPU and no build,
// chosen by folder so that a new test joins it by where it is put. Exhaustive sweeps of one unit
// (millions of parsed numbers, every tile split of the scene corpus) live in test/sweep/: they need
// nothing either, but take minutes, so only `npm test` runs them. (mergeConfig with vitest.config.ts
// would append to its include list rather than replace it.)
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-node-crs.ts'],
    // the machine's cores are shared: a slow moment is no failure
    testTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
