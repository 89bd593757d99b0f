// Node-only file helpers: atomic writes (an existing destination is never left half-written) and binary reads.
import { readFile } from 'node:fs/promises';
import { checkDestination, reason, writeDestination } from './node-destination.js';

type Chunk = ArrayBuffer | ArrayBufferView | string;

/**
 * Writes data (or pieces of it, in order) to `path` as rasterburn's CLI writes its outputs
 * (src/io/node-destination.ts): through symlinks, keeping an existing file's mode, owner and group, refusing
 * devices, FIFOs and directories; a temp file renamed into place where that keeps the file's identity, so that
 * on any failure the destination is left exactly as it was. No fsync: like GDAL we leave durability to the OS,
 * and a 200 MB sync would cost more than the whole burn. Errors are one line naming the path.
 */
export async function writeFileAtomic(path: string, data: Chunk | Chunk[]): Promise<void> {
  const chunks = (Array.isArray(data) ? data : [data]).map((c) => typeof c === 'string' ? Buffer.from(c, 'utf8')
    : c instanceof ArrayBuffer ? new Uint8Array(c)
    : new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  await writeDestination(checkDestination(path), chunks);
}

/** Reads a whole file into a fresh ArrayBuffer; errors are one line naming the path. */
export async function readFileAsArrayBuffer(path: string): Promise<ArrayBuffer> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${reason(e)}`);
  }
  // Buffers may share a pooled ArrayBuffer; hand out one that holds exactly this file
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    ? (buf.buffer as ArrayBuffer)
    : (buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}

