// 'rasterburn' as Node resolves it (package.json's "node" condition): the same core, with proj4 and the
// EPSG table loaded synchronously on first need, so that prepare(), flattenFeatures() and toGeoTIFF()
// take any CRS without an `await loadCrs()` first, as in 'rasterburn/node'. Bundlers for browsers take
// src/index.ts, where they load on demand through dynamic imports.
import { useInlineSqlJs } from './formats/sqljs-inline.js';
import { useNodeCrsLoader } from './io/node-crs.js';
import { useNodeEncodeThreads } from './io/node-encode.js';

export * from './index.js';

useNodeCrsLoader();
useInlineSqlJs();
useNodeEncodeThreads();
