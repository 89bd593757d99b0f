// Tests run the sources in Node as 'rasterburn/node' runs them: proj4 and the EPSG table load
// synchronously on first need (src/io/node-crs.ts). test/unit/crs/lazy.test.ts takes the loader out
// to check the browser's behaviour (loadCrs() first, a clear error otherwise).
import { useNodeCrsLoader } from '../src/io/node-crs.js';

useNodeCrsLoader();
