// Which parser reads the CLI's GeoJSON source. The packing scanner (src/features/scan.ts) spares a big file
// its one small array per position, but on a small file it runs mostly before V8 has compiled it, where
// JSON.parse (native code) and the plain-array flatten finish first. CPU time of a fresh process, parse plus
// rasterize() (2-core VM, 3 runs each, scanner / JSON.parse): 1,000 buildings (0.3 MiB) 233 / 140 ms, US counties
// (3.0 MiB) 504 / 421 ms, 20,000 buildings (6.2 MiB) 547 / 511 ms, 5,000 polylines (9.0 MiB, 250k vertices)
// 449 / 496 ms, the 300,000-vertex polygon (11 MiB) 711 / 858 ms. Both give the same numbers (JSON.parse's).
import type { FeatureInput } from '../features/geojson.js';

/** Sources from this size on go through the packing scanner. */
export const SCANNER_MIN_BYTES = 4 * 2 ** 20;

// an integer literal of 16 digits or more (not a fraction's or exponent's digits)
const LONG_INTEGER = /(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/;

// fatal: a file that is not UTF-8 goes to the scanner, whose error names the byte
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses GeoJSON bytes: JSON.parse below SCANNER_MIN_BYTES, else (and for any text JSON.parse refuses, so
 * that the one-line error is the scanner's, naming the byte offset) `scan`. A leading BOM is skipped either way.
 */
export function parseSource(bytes: Uint8Array, scan: (bytes: Uint8Array) => FeatureInput): FeatureInput {
  if (bytes.length < SCANNER_MIN_BYTES) {
    let parsed: unknown;
    let ok = false;
    try {
      // the decoder drops a leading BOM
      const text = strictUtf8.decode(bytes);
      // a whole number of 16+ digits may be an Integer64 beyond 2^53, which only the scanner keeps exact
      if (LONG_INTEGER.test(text)) return scan(bytes);
      parsed = JSON.parse(text);
      ok = true;
    } catch { /* not UTF-8, not JSON or nested too deep: the scanner says why */ }
    if (ok) return parsed as FeatureInput;
  }
  return scan(bytes);
}
