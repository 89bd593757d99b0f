// The CLI's choice of parser: small sources through JSON.parse, big ones (and anything JSON.parse refuses)
// through the packing scanner, whose one-line errors name the byte offset.
import { describe, expect, it } from 'vitest';
import { parseSource, SCANNER_MIN_BYTES } from '../../../src/cli/parse-source.js';
import { isPacked, parseGeoJSON } from '../../../src/features/scan.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const square = '{"type":"Feature","properties":{"id":7},"geometry":{"type":"Polygon","coordinates":[[[0,0],[500018.02223746054,0],[1,1],[0,0]]]}}';

describe('parseSource', () => {
  it('gives JSON.parse\'s tree for a small source, a leading BOM skipped', () => {
    expect(parseSource(enc(square), parseGeoJSON)).toEqual(JSON.parse(square));
    expect(parseSource(new Uint8Array([0xef, 0xbb, 0xbf, ...enc(square)]), parseGeoJSON)).toEqual(JSON.parse(square));
  });

  it('leaves malformed or non-UTF-8 text to the scanner and its error', () => {
    const scanned: Uint8Array[] = [];
    const scan = (b: Uint8Array) => { scanned.push(b); return parseGeoJSON(b); };
    expect(() => parseSource(enc('{"type": "Feature",}'), scan)).toThrow(/byte|offset|position/i);
    expect(scanned).toHaveLength(1);
    // a lone 0xff byte inside a string: JSON.parse would see U+FFFD, the scanner decides
    const bad = new Uint8Array([...enc('{"type":"Feature","properties":{"n":"'), 0xff, ...enc('"},"geometry":null}')]);
    let viaScanner: unknown = null;
    let scannerError: unknown = null;
    try { viaScanner = parseGeoJSON(bad); } catch (e) { scannerError = e; }
    scanned.length = 0;
    if (scannerError) expect(() => parseSource(bad, scan)).toThrow();
    else expect(parseSource(bad, scan)).toEqual(viaScanner);
    expect(scanned).toHaveLength(1);
  });

  it('packs the coordinates of a source from SCANNER_MIN_BYTES on', () => {
    const ring = Array.from({ length: 4 }, (_, i) => `[${i}.25,${i % 2}]`).join(',');
    const pad = ' '.repeat(SCANNER_MIN_BYTES);
    const big = enc(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[${ring},[0.25,0]]]}}${pad}`);
    const small = enc(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[${ring},[0.25,0]]]}}`);
    const rings = (f: unknown) => (f as { geometry: { coordinates: unknown[] } }).geometry.coordinates;
    expect(isPacked(rings(parseSource(big, parseGeoJSON))[0])).toBe(true);
    expect(isPacked(rings(parseSource(small, parseGeoJSON))[0])).toBe(false);
  });
});
