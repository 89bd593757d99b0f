// The CLI keeps WebAssembly on Liftoff only for an SQLite source, once, and not when asked for V8's default.
import { describe, expect, it } from 'vitest';
import { isSqlite, liftoffForSqlite } from '../../../src/cli/wasm-tiering.js';

const sqlite = (rest: number[] = [0x10, 0x00]): Uint8Array => new Uint8Array([...new TextEncoder().encode('SQLite format 3\0'), ...rest]);

describe('wasm tiering for a GeoPackage source', () => {
  it('knows SQLite by its 16-byte header', () => {
    expect(isSqlite(sqlite())).toBe(true);
    expect(isSqlite(sqlite([]))).toBe(true);
    expect(isSqlite(sqlite().subarray(0, 15))).toBe(false);
    expect(isSqlite(new TextEncoder().encode('SQLite format 4\0xx'))).toBe(false);
    expect(isSqlite(new TextEncoder().encode('{"type":"FeatureCollection"}'))).toBe(false);
    expect(isSqlite(new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00]))).toBe(false);
  });

  it('sets --liftoff-only for SQLite only, not when RASTERBURN_WASM_TIERUP=1, and once', () => {
    const calls: string[] = [];
    const set = (f: string): void => { calls.push(f); };
    expect(liftoffForSqlite(new Uint8Array([0, 0, 39, 10, 0, 0, 0, 0]), {}, set)).toBe(false);
    expect(liftoffForSqlite(sqlite(), { RASTERBURN_WASM_TIERUP: '1' }, set)).toBe(false);
    expect(calls).toEqual([]);
    expect(liftoffForSqlite(sqlite(), { RASTERBURN_WASM_TIERUP: '0' }, set)).toBe(true);
    expect(calls).toEqual(['--liftoff-only']);
    expect(liftoffForSqlite(sqlite(), {}, set)).toBe(false);
    expect(calls).toEqual(['--liftoff-only']);
  });
});
