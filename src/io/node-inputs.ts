// Node: grids and features straight from files, for `rasterburn/node`. A string is a path (relative to
// the working directory) unless it is an http(s) URL; a file: URL is a path too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseGeoJSON } from '../features/scan.js';
import type { FeatureInput } from '../features/geojson.js';
import { gridFromGeoTIFF as gridFromGeoTIFFSource, type GeoTIFFSource } from './tiff/read.js';
import type { Grid } from '../types.js';

// a local file's path, or null for what the browser-safe reader takes as it is (bytes, Blob, http URL)
function localPath(src: unknown): string | null {
  if (src instanceof URL) return src.protocol === 'file:' ? fileURLToPath(src) : null;
  if (typeof src !== 'string') return null;
  if (/^file:/i.test(src)) return fileURLToPath(src);
  return /^https?:\/\//i.test(src) ? null : src;
}

async function readLocal(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message}`);
  }
}

/**
 * gridFromGeoTIFF() that also takes a file path or a file: URL (http(s) URLs, bytes and Blobs as in the browser).
 *
 * @example
 * const grid = await gridFromGeoTIFF('examples/template.tif');
 */
export async function gridFromGeoTIFF(src: GeoTIFFSource): Promise<Grid> {
  const path = localPath(src);
  if (path === null) return gridFromGeoTIFFSource(src);
  const bytes = await readLocal(path, 'GeoTIFF');
  return gridFromGeoTIFFSource(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * A GeoJSON file (path or file: URL) read for rasterize(): coordinates packed into typed arrays, numbers
 * exactly as JSON.parse reads them, the legacy `crs` member kept. One-line errors name the file.
 *
 * @example
 * const buildings = await readGeoJSON('examples/buildings.geojson');
 */
export async function readGeoJSON(path: string | URL): Promise<FeatureInput> {
  const p = localPath(path);
  if (p === null) throw new Error(`readGeoJSON reads local files; fetch ${String(path)} and pass the parsed JSON to rasterize()`);
  const bytes = await readLocal(p, 'GeoJSON');
  try {
    return parseGeoJSON(bytes);
  } catch (e) {
    throw new Error(`${p} is not valid JSON: ${(e as Error).message}`);
  }
}
