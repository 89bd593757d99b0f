// The entry of rasterburn's own browser bundle (dist/browser, the web page): the core, with the
// GeoPackage reader's sql.js (inlined wasm) set, which the bundle's build knows how to take.
import { useInlineSqlJs } from './formats/sqljs-inline.js';

export * from './index.js';

useInlineSqlJs();
