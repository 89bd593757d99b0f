// Vector files from Node paths: a Shapefile's sidecar files found beside its .shp (any letter case),
// GDAL's /vsizip/ and /vsistdin/ spellings, and standard input ('-').
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openVectorBytes, readLayer } from '../formats/open.js';
import { useInlineSqlJs } from '../formats/sqljs-inline.js';
import type { FeatureLayer, ReadOptions, VectorSource } from '../formats/layer.js';
import { openShapefiles, type ShapefileParts } from '../formats/shapefile.js';
import { unzipEntries } from '../formats/zip.js';

// the GeoPackage reader's SQLite, in Node from the inlined-wasm build
useInlineSqlJs();

/** Reads all of standard input. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new Error(`cannot read source ${path}: ${errnoText(e)}`);
  }
}

// the sidecar of stem with extension ext, in whatever case it was written
async function sidecar(dir: string, stem: string, ext: string, listing: string[]): Promise<Uint8Array | undefined> {
  const want = `${stem}.${ext}`.toLowerCase();
  const hit = listing.find((f) => f === `${stem}.${ext}`) ?? listing.find((f) => f === `${stem}.${ext.toUpperCase()}`) ?? listing.find((f) => f.toLowerCase() === want);
  return hit === undefined ? undefined : bytesOf(join(dir, hit));
}

/**
 * Opens a vector file by path: '-' and '/vsistdin/' read standard input, '/vsizip/x.zip' (or a plain
 * .zip path) a zip's shapefiles, a .shp its .dbf/.prj/.cpg beside it, anything else by its content.
 */
export async function openVectorPath(path: string, stdin?: () => Promise<Uint8Array>): Promise<VectorSource> {
  if (path === '-' || path === '/vsistdin/' || path === '/vsistdin') return openVectorBytes(await (stdin ?? readStdin)(), 'stdin');
  const zip = /^\/vsizip\/(.+?\.zip)(?:\/(.*))?$/i.exec(path);
  if (zip) {
    const bytes = await bytesOf(zip[1]);
    if (!zip[2]) return openVectorBytes(bytes, zip[1]);
    const inner = zip[2].replace(/\/+$/, '');
    const entries = unzipEntries(bytes, zip[1]);
    const picked = new Map([...entries].filter(([p]) => p === inner || p.startsWith(`${inner}/`) || p.replace(/\.[^./]+$/, '') === inner.replace(/\.shp$/i, '')));
    if (!picked.size) throw new Error(`${zip[1]} holds no ${inner}`);
    const { groupShapefiles } = await import('../formats/shapefile.js');
    const shps = groupShapefiles(picked);
    if (shps.size) return openShapefiles(shps, path);
    if (picked.size === 1) { const [[p, b]] = [...picked]; return openVectorBytes(b, p); }
    throw new Error(`${path}: no single vector file there`);
  }
  if (/\.shp$/i.test(path)) {
    const dir = dirname(path);
    const stem = basename(path).replace(/\.shp$/i, '');
    // the directory is listed while the .shp is read; the .shp's error, if any, is the one reported
    const listed = readdir(dir).then((l) => l, (e: unknown) => new Error(`cannot read source ${path}: ${errnoText(e)}`));
    const shp = await bytesOf(path);
    const listing = await listed;
    if (listing instanceof Error) throw listing;
    const [dbf, prj, cpg] = await Promise.all(['dbf', 'prj', 'cpg'].map((x) => sidecar(dir, stem, x, listing)));
    const dec = new TextDecoder();
    const parts: ShapefileParts = { shp, dbf, prj: prj && dec.decode(prj), cpg: cpg && dec.decode(cpg) };
    return openShapefiles(new Map([[stem, parts]]), path);
  }
  return openVectorBytes(await bytesOf(path), path);
}

/**
 * readFeatures for Node: a path (see openVectorPath) or anything the browser-safe readFeatures takes.
 *
 * @example
 * import { readFeatures, rasterize } from 'rasterburn/node';
 * const roads = await readFeatures('data/roads.shp');
 * const parcels = await readFeatures('data/city.gpkg', { layer: 'parcels', where: (p) => p.zone === 'R1' });
 */
export async function readFeaturesFromPath(path: string, options: ReadOptions = {}): Promise<FeatureLayer> {
  const source = await openVectorPath(path);
  try {
    return await readLayer(source, options);
  } finally {
    source.close?.();
  }
}
