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

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
}
