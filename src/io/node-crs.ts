// Node: proj4 and the EPSG table load synchronously on first need (require), so the synchronous calls
// (flattenFeatures, prepare, toGeoTIFF) take any CRS without an `await loadCrs()` first. Still lazy: a
// job on built-in CRSs that does not reproject evaluates neither.
import { createRequire } from 'node:module';
import { setCrsLoader } from '../crs.js';

const require = createRequire(import.meta.url);

/** Installs the require-based loader; importing 'rasterburn/node' does it. */
export function useNodeCrsLoader(): void {
  setCrsLoader({
    proj4: () => require('proj4') as unknown,
    table: () => require('proj4js-definitions') as Array<[string, string]>,
  });
}
