// The entry of rasterburn's own browser bundle (dist/browser, the web page): the core, with the
// GeoPackage reader's sql.js (inlined wasm) set, which the bundle's build knows how to take.
import { useInlineSqlJs } from './formats/sqljs-inline.js';
import { useWebEncodeThreads } from './io/tiff/web-encode.js';

export * from './index.js';

useInlineSqlJs();
// toGeoTIFFAsync compresses on Web Workers running the bundle's encode-worker.js, which sits beside this file
useWebEncodeThreads(new URL('./encode-worker.js', import.meta.url));
