// The CLI's own V8 setting for a GeoPackage source: SQLite (sql.js's WebAssembly) compiled by Liftoff
// alone, with no tier-up to TurboFan. A run reads the file once, so optimising SQLite's ~1 MB of wasm
// costs more CPU than its faster code saves: W1 from .gpkg (100k polygons) and a 2,000-polygon .gpkg onto
// 1,000^2 both take 10-20% less CPU (bench/results/2026-12-06-small-jobs.md). The flag is process-wide and
// touches only WebAssembly, so it is set here, in the CLI, and only once a source is known to be SQLite:
// runs of other formats, and the library, compile as before. It must precede sql.js's compile, which
// happens when the GeoPackage reader opens the bytes.
import { setFlagsFromString } from 'node:v8';

/** SQLite's 16-byte file header, "SQLite format 3\0": every GeoPackage starts with it. */
const SQLITE_MAGIC = 'SQLite format 3\0';

let set = false;

/** True when `bytes` begin like an SQLite database (a GeoPackage). */
export function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.length < SQLITE_MAGIC.length) return false;
  for (let i = 0; i < SQLITE_MAGIC.length; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Keeps WebAssembly on Liftoff for the rest of this process when `bytes` are an SQLite database, unless
 * RASTERBURN_WASM_TIERUP=1 asks for V8's default. Returns whether the flag was set by this call.
 */
export function liftoffForSqlite(bytes: Uint8Array, env: NodeJS.ProcessEnv = process.env, setFlags: (flags: string) => void = setFlagsFromString): boolean {
  if (set || env.RASTERBURN_WASM_TIERUP === '1' || !isSqlite(bytes)) return false;
  setFlags('--liftoff-only');
  set = true;
  return true;
}
