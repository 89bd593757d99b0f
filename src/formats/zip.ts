// A .zip of vector files (what GDAL reads through /vsizip/), inflated with fflate: its shapefiles
// are the layers, or else the one other vector file it holds.
import { unzipSync } from 'fflate';

/** The zip's entries (directories and macOS resource forks left out). */
export function unzipEntries(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') && !/(^|\/)__MACOSX\//.test(f.name) });
  } catch (e) {
    throw new Error(`${name} is not a readable zip file: ${(e as Error).message}`);
  }
  return new Map(Object.entries(files));
}
