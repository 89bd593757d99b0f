// sql.js's build with the wasm inlined (base64): neither Node nor our own browser bundle has to locate a
// .wasm file. It holds Node-only branches (node:fs, node:crypto) that a browser bundler must be told to
// skip (scripts/build-browser.mjs does), which is why the core does not import it: the Node entry
// points and our bundle's entry do.
import { useSqlJs } from './geopackage.js';

/** Makes the GeoPackage reader use sql.js's inlined-wasm build. */
export function useInlineSqlJs(): void {
  useSqlJs(() => import('sql.js/dist/sql-wasm-inline.js').then((m) => (m.default ?? (m as unknown as typeof m.default))()));
}
