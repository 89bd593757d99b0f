// Where an output really goes and how it is replaced, as a gdal_rasterize user expects: a symlink is written
// through (its target changes, the link stays), devices, FIFOs, sockets and directories are refused, an output
// that is one of the inputs is refused by identity (device and inode, not spelling), and a replaced file keeps
// its mode, owner and group. Where an atomic replace (temp file + rename) would break a hard link, change the
// owner, or needs a folder the user cannot write, the file is written in place instead.
import { accessSync, constants, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { open, rename, statfs } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { removeStaleTemps, removeTemp, tempDone, tempPathFor } from './node-temp.js';

/** How the output reached its path: a new file, an atomic replace of the old one, or an in-place rewrite. */
export type WriteMethod = 'created' | 'replaced' | 'in-place';

/** A checked destination. */
export interface Destination {
  /** the path as the user gave it, for messages */
  shown: string;
  /** the file written: symlinks resolved */
  path: string;
  /** the existing file, or null when it is created */
  existing: Stats | null;
}

/** Writes bytes at a position of the output, whichever way it is written. */
export interface Sink {
  write(bytes: Uint8Array, position: number): Promise<void>;
}

const MAX_LINKS = 40;

/**
 * Resolves `path` through symlinks (a dangling link names the file to create) and checks it: a regular file or
 * nothing, writable when it exists, and none of `inputs` (label -> path). Errors are one line.
 */
export function checkDestination(path: string, inputs: Record<string, string | undefined> = {}): Destination {
  const real = resolveLinks(path);
  let existing: Stats | null = null;
  try {
    existing = statSync(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new Error(`cannot write ${path}: ${reason(e)}`);
  }
  if (existing && !existing.isFile()) throw new Error(`cannot write ${path}: it is ${kindOf(existing)}, not a regular file`);
  for (const [label, input] of Object.entries(inputs)) {
    if (input === undefined || !existing) continue;
    let st: Stats;
    try {
      st = statSync(input);
    } catch {
      continue;
    }
    if (st.dev === existing.dev && st.ino === existing.ino) {
      throw new Error(`cannot write ${path}: it is the ${label} ${input}; choose another output`);
    }
  }
  if (existing) {
    try {
      accessSync(real, constants.W_OK);
    } catch (e) {
      throw new Error(`cannot write ${path}: ${reason(e)}`);
    }
  }
  return { shown: path, path: real, existing };
}

/**
 * Writes the output through `fill`, then puts it in place: a temp file renamed over the destination when that
 * keeps the file's identity, else the destination itself rewritten. `size`, when known, is checked against the
 * free space before an in-place write starts. `original` is the destination's current content: parts that are
 * views of it at their own offset are not written again in place. On failure the temp file is removed.
 */
export async function writeDestination(dest: Destination, parts: Uint8Array[], original?: Uint8Array): Promise<WriteMethod> {
  const size = parts.reduce((n, p) => n + p.byteLength, 0);
  return fillDestination(dest, async (sink, inPlace) => {
    let at = 0;
    for (const p of parts) {
      const unchanged = inPlace && original !== undefined && p.buffer === original.buffer && p.byteOffset - original.byteOffset === at;
      if (!unchanged) await sink.write(p, at);
      at += p.byteLength;
    }
  }, size);
}

/** Writes the output: `inPlace` tells whether the sink writes into the destination itself. */
export type Fill = (sink: Sink, inPlace: boolean) => Promise<void>;

/**
 * As writeDestination, for output produced piece by piece (the streamed GeoTIFF). `size` is the output's exact
 * size when known; `room`, an upper bound of it otherwise, for the free-space check of an in-place write.
 */
export async function fillDestination(dest: Destination, fill: Fill, size?: number, room?: number): Promise<WriteMethod> {
  const dir = dirname(dest.path);
  removeStaleTemps(dir);
  const method = writeMethodFor(dest);
  try {
    if (method === 'in-place') {
      await writeInPlace(dest, fill, size, room);
    } else {
      await writeReplacing(dest, fill);
    }
  } catch (e) {
    // system errors name the file; the burn's own errors pass as they are
    if (typeof (e as NodeJS.ErrnoException).code === 'string') throw new Error(`cannot write ${dest.shown}: ${reason(e)}`);
    throw e;
  }
  return method;
}

/**
 * How fillDestination will put the output in place. Only 'in-place' touches the destination before the
 * output is complete: a fill that can still fail (one that burns as it writes) must not start there.
 */
export function writeMethodFor(dest: Destination): WriteMethod {
  return !dest.existing ? 'created' : canReplace(dest.existing, dirname(dest.path)) ? 'replaced' : 'in-place';
}

// a rename keeps the destination's identity when it has no other hard link, its owner is ours (or we are root,
// who can give it back), and we may create files in its folder
function canReplace(st: Stats, dir: string): boolean {
  if (st.nlink > 1) return false;
  const uid = process.geteuid?.() ?? 0;
  if (uid !== 0 && (st.uid !== uid || !(process.getgroups?.() ?? []).concat(process.getegid?.() ?? -1).includes(st.gid))) return false;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return false;
  }
  return true;
}

async function writeReplacing(dest: Destination, fill: Fill): Promise<void> {
  const tmp = tempPathFor(dest.path);
  try {
    // 'wx': never clobber a file that happens to have the temp name
    const fh = await open(tmp, 'wx', 0o666);
    try {
      await fill(sinkOn(fh), false);
      const st = dest.existing;
      if (st) {
        // the replaced file's permissions and, where they differ from a new file's, its owner and group
        await fh.chmod(st.mode & 0o7777);
        const uid = process.geteuid?.() ?? 0, gid = process.getegid?.() ?? 0;
        if (st.uid !== uid || st.gid !== gid) await fh.chown(st.uid, st.gid);
        // chown clears set-id bits; put them back
        if (st.mode & 0o6000) await fh.chmod(st.mode & 0o7777);
      }
    } finally {
      await fh.close();
    }
    await rename(tmp, dest.path);
    tempDone(tmp);
  } catch (e) {
    removeTemp(tmp);
    throw e;
  }
}

// rewrites the destination's own bytes: its inode, links, owner, mode, ACLs and extended attributes stay. Not
// atomic, so the free space is checked first when the size is known
async function writeInPlace(dest: Destination, fill: Fill, size: number | undefined, room: number | undefined): Promise<void> {
  const old = dest.existing?.size ?? 0;
  const need = size ?? room;
  if (need !== undefined && need > old) {
    const fs = await statfs(dirname(dest.path));
    const free = Number(fs.bavail) * Number(fs.bsize);
    if (need - old > free) throw Object.assign(new Error(`needs ${need - old} more bytes, ${free} are free`), { code: 'ENOSPC' });
  }
  const fh = await open(dest.path, 'r+');
  try {
    if (size !== undefined && size > old) {
      // claim the room first, so that running out of space fails before a pixel is overwritten
      await fh.truncate(size);
    }
    const sink = sinkOn(fh);
    await fill(sink, true);
    const end = size ?? sink.end;
    if (end < old) await fh.truncate(end);
  } finally {
    await fh.close();
  }
}

const WRITE_SLICE = 1 << 24;

// also tracks the end of what was written
function sinkOn(fh: Awaited<ReturnType<typeof open>>): Sink & { end: number } {
  return {
    end: 0,
    async write(bytes, position) {
      this.end = Math.max(this.end, position + bytes.byteLength);
      let off = 0;
      while (off < bytes.byteLength) {
        // 16 MiB slices: a single write() of a few hundred MB took 0.3-1 s here (against ~0.1 s in slices; the
        // kernel throttles one call that dirties that much page cache at once), and a write() is capped near 2 GiB
        const { bytesWritten } = await fh.write(bytes, off, Math.min(bytes.byteLength - off, WRITE_SLICE), position + off);
        off += bytesWritten;
      }
    },
  };
}

// follows symlinks one hop at a time, so that a dangling link still names the file it would create
// (no lexical clean-up of '..': the system's own lookup decides what a path names)
function resolveLinks(path: string): string {
  let p = path;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    const target = readlinkSync(p);
    p = isAbsolute(target) ? target : `${dirname(p)}/${target}`;
  }
  throw new Error(`cannot write ${path}: too many levels of symbolic links`);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A system error as a few words. */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const messages: Record<string, string> = {
    ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory', EROFS: 'read-only file system',
    EPERM: 'operation not permitted', EEXIST: 'file exists', ELOOP: 'too many levels of symbolic links',
  };
  if (err && err.code === 'ENOSPC') return err.message.startsWith('needs ') ? `no space left on device (${err.message})` : 'no space left on device';
  if (err && typeof err.code === 'string' && messages[err.code]) return messages[err.code];
  const msg = err instanceof Error ? err.message : String(e);
  return msg.split('\n')[0];
}
