// writeFileAtomic / readFileAsArrayBuffer: all-or-nothing writes, no stray temp files, one-line errors naming the path.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileAsArrayBuffer, writeFileAtomic } from '../../../src/io/node-files.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rb-io-files-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('writeFileAtomic', () => {
  it('writes ArrayBuffer, typed-array views and strings, replacing an existing file', async () => {
    const p = join(dir, 'out.bin');
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]).buffer);
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
    const big = new Uint16Array([0x0102, 0x0304, 0x0506]);
    await writeFileAtomic(p, big.subarray(1));
    expect([...readFileSync(p)]).toEqual([4, 3, 6, 5]);
    await writeFileAtomic(p, 'héllo');
    expect(readFileSync(p, 'utf8')).toBe('héllo');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('on failure leaves the destination untouched and no temp file behind', async () => {
    const sub = join(dir, 'keep');
    mkdirSync(sub);
    // the destination is a directory: rename fails after the temp file was written
    const target = join(sub, 'isdir');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow(new RegExp(`^cannot write ${target}: `));
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('x');
    expect(readdirSync(sub)).toEqual(['isdir']);

    const missing = join(dir, 'no', 'such', 'dir', 'f.tif');
    await expect(writeFileAtomic(missing, 'x')).rejects.toThrow(`cannot write ${missing}: no such file or directory`);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('messages are one line', async () => {
    const err = await writeFileAtomic(join(dir, 'missing-dir', 'x'), 'x').catch((e: Error) => e);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('readFileAsArrayBuffer', () => {
  it('returns exactly the file, in a buffer of its own', async () => {
    const p = join(dir, 'small.bin');
    writeFileSync(p, Buffer.from([9, 8, 7]));
    const ab = await readFileAsArrayBuffer(p);
    expect(ab.byteLength).toBe(3);
    expect([...new Uint8Array(ab)]).toEqual([9, 8, 7]);
  });

  it('names the path in a one-line error', async () => {
    const p = join(dir, 'nope.tif');
    await expect(readFileAsArrayBuffer(p)).rejects.toThrow(`cannot read ${p}: no such file or directory`);
    await expect(readFileAsArrayBuffer(dir)).rejects.toThrow(`cannot read ${dir}: is a directory`);
  });
});
