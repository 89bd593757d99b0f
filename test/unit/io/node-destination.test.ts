// Where an output goes and how it is put there (src/io/node-destination.ts, src/io/node-temp.ts): symlinks
// followed, non-regular files and inputs refused, identity kept on replace, in place for hard links (only the
// changed parts written), temp files named by process and cleaned up.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDestination, fillDestination, writeDestination } from '../../../src/io/node-destination.js';
import { removeStaleTemps, tempPathFor, removeTemp } from '../../../src/io/node-temp.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rb-dest-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
const P = (n: string) => join(dir, n);
const bytes = (...v: number[]) => new Uint8Array(v);

describe('checkDestination', () => {
  it('follows symlinks (chains and dangling ones) to the file written', () => {
    writeFileSync(P('real'), 'x');
    symlinkSync('real', P('l1'));
    symlinkSync(P('l1'), P('l2'));
    expect(checkDestination(P('l2')).path).toBe(`${dir}/real`);
    symlinkSync('nowhere', P('dangling'));
    const d = checkDestination(P('dangling'));
    expect(d.path).toBe(`${dir}/nowhere`);
    expect(d.existing).toBeNull();
  });

  it('refuses a symlink loop, a directory and a FIFO with one line', () => {
    symlinkSync('loopB', P('loopA'));
    symlinkSync('loopA', P('loopB'));
    expect(() => checkDestination(P('loopA'))).toThrow(/too many levels of symbolic links/);
    mkdirSync(P('d'));
    expect(() => checkDestination(P('d'))).toThrow(`cannot write ${P('d')}: it is a directory, not a regular file`);
    spawnSync('mkfifo', [P('fifo')]);
    expect(() => checkDestination(P('fifo'))).toThrow('it is a FIFO, not a regular file');
    expect(() => checkDestination('/dev/null')).toThrow('it is a character device, not a regular file');
  });

  it('refuses an input by identity: the same inode under another name', () => {
    writeFileSync(P('in.geojson'), '{}');
    linkSync(P('in.geojson'), P('alias.tif'));
    expect(() => checkDestination(P('alias.tif'), { source: P('in.geojson') })).toThrow(/it is the source .*in\.geojson; choose another output/);
    expect(() => checkDestination(P('other.tif'), { source: P('in.geojson') })).not.toThrow();
  });
});

describe('writeDestination', () => {
  it('creates, then replaces keeping the mode; a hard-linked file is rewritten in place', async () => {
    const d = P('out.bin');
    expect(await writeDestination(checkDestination(d), [bytes(1, 2, 3)])).toBe('created');
    chmodSync(d, 0o640);
    const ino = statSync(d).ino;
    expect(await writeDestination(checkDestination(d), [bytes(4, 5)])).toBe('replaced');
    expect(statSync(d).mode & 0o777).toBe(0o640);
    expect(statSync(d).ino).not.toBe(ino);
    expect([...readFileSync(d)]).toEqual([4, 5]);
    linkSync(d, P('out.link'));
    expect(await writeDestination(checkDestination(d), [bytes(6, 7, 8, 9)])).toBe('in-place');
    expect([...readFileSync(P('out.link'))]).toEqual([6, 7, 8, 9]);
    // shorter: truncated
    expect(await writeDestination(checkDestination(d), [bytes(1)])).toBe('in-place');
    expect([...readFileSync(P('out.link'))]).toEqual([1]);
  });

  it('in place, parts that are views of the unchanged original at their own offset are not written again', async () => {
    const d = P('views.bin');
    writeFileSync(d, bytes(0, 1, 2, 3, 4, 5));
    linkSync(d, P('views.link'));
    const original = new Uint8Array(readFileSync(d));
    // the file changes under us where a skipped part lies: it must stay as it is now, proving no write there
    writeFileSync(P('views.link'), bytes(9, 9, 9, 9, 9, 9));
    const w = await writeDestination(checkDestination(d), [original.subarray(0, 2), bytes(7, 7), original.subarray(4)], original);
    expect(w).toBe('in-place');
    expect([...readFileSync(d)]).toEqual([9, 9, 7, 7, 9, 9]);
  });

  it('a failing fill leaves no temp file and the destination as it was', async () => {
    const d = P('keep.bin');
    writeFileSync(d, 'old');
    await expect(fillDestination(checkDestination(d), async (sink) => { await sink.write(bytes(1), 0); throw new Error('burn failed'); })).rejects.toThrow('burn failed');
    expect(readFileSync(d, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('temp files', () => {
  it("are named by host and process; only a dead process's are removed", () => {
    const sub = P('temps');
    mkdirSync(sub);
    const mine = tempPathFor(join(sub, 'a.tif'));
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    expect(mine).toMatch(new RegExp(`/\\.a\\.tif\\.rasterburn-${host}-${process.pid}-[0-9a-f]{12}\\.tmp$`));
    writeFileSync(mine, 'in progress');
    const dead = spawnSync('true').pid as number;
    const deadName = `.b.tif.rasterburn-${host}-${dead}-aaaaaaaaaaaa.tmp`;
    writeFileSync(join(sub, deadName), 'left by a killed run');
    writeFileSync(join(sub, '.c.tif.aaaaaaaaaaaa.tmp'), 'not ours to judge');
    expect(removeStaleTemps(sub)).toEqual([deadName]);
    expect(readdirSync(sub).sort()).toEqual(['.c.tif.aaaaaaaaaaaa.tmp', mine.slice(sub.length + 1)].sort());
    removeTemp(mine);
    expect(lstatSync(sub).isDirectory()).toBe(true);
    expect(readdirSync(sub)).toEqual(['.c.tif.aaaaaaaaaaaa.tmp']);
  });
});
