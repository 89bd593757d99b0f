// The test files are TypeScript the build never compiles (tsconfig.json covers src/, bench/ and scripts/):
// they type-check here, under tsconfig.test.json (the project's compiler options, no output), so that a
// type error in a test or a helper fails `npm test` with tsc's own messages. Incremental: the build info
// in test/out/ (ignored) makes a run after a small change take seconds.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('test files', () => {
  it('type-check under tsconfig.test.json with no errors', async () => {
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve, reject) => {
      execFile(process.execPath, [TSC, '-p', 'tsconfig.test.json', '--pretty', 'false'], { cwd: ROOT, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? Number(err.code) : 0, out: `${stdout}${stderr}`.trim() });
      });
    });
    // tsc's messages are the failure: file(line,col): error TSxxxx: ...
    expect(out, `tsc -p tsconfig.test.json exited ${code}`).toBe('');
    expect(code).toBe(0);
  });
});
