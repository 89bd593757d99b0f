// Node-only file helpers: atomic writes (an existing destination is never left half-written) and binary reads.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

type Chunk = ArrayBuffer | ArrayBufferView | string;

const WRITE_SLICE = 1 << 24;

/**
 * Writes data (or pieces of it, in order) to a temporary file beside `path` and renames it over `path`. On
 * any failure the temporary file is removed and the destination is left exactly as it was. No fsync: like
 * GDAL we leave durability to the OS, and a 200 MB sync would cost more than the whole burn.
 * Errors are one line naming the path.
 */
export async function writeFileAtomic(path: string, data: Chunk | Chunk[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const chunks = (Array.isArray(data) ? data : [data]).map((c) => typeof c === 'string' ? Buffer.from(c, 'utf8')
    : c instanceof ArrayBuffer ? new Uint8Array(c)
    : new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  let created = false;
  try {
    // 'wx': never clobber a file that happens to have the temp name
    const fh = await open(tmp, 'wx', 0o666);
    created = true;
    try {
      for (const bytes of chunks) {
        let off = 0;
        while (off < bytes.byteLength) {
          // 16 MiB slices: a single write() of a few hundred MB took 0.3-1 s here (against ~0.1 s in
          // slices; the kernel throttles one call that dirties that much page cache at once), and a
          // write() is capped near 2 GiB anyway
          const { bytesWritten } = await fh.write(bytes, off, Math.min(bytes.byteLength - off, WRITE_SLICE));
          off += bytesWritten;
        }
      }
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (e) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw new Error(`cannot write ${path}: ${reason(e)}`);
  }
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

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const messages: Record<string, string> = {
    ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory', ENOSPC: 'no space left on device', EROFS: 'read-only file system',
    EPERM: 'operation not permitted', EEXIST: 'file exists',
  };
  if (err && typeof err.code === 'string' && messages[err.code]) return messages[err.code];
  const msg = err instanceof Error ? err.message : String(e);
  return msg.split('\n')[0];
}
