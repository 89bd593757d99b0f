// `node --import bench/first-read-hook.mjs ...`: prints "first-read <epoch ms> <CPU ms>" on stderr when the
// file named by RB_FIRST_READ has just been read whole (the parse starts right after), or, with RB_FIRST_READ
// unset, when the main script calls globalThis.__rbMark(). bench/sweep.ts subtracts the spawn time to get
// start-up latency; the process's CPU time so far (user + system) is the steadier figure on a busy machine.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const target = process.env.RB_FIRST_READ;
const mark = () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`first-read ${performance.timeOrigin + performance.now()} ${(cpu.user + cpu.system) / 1000}\n`);
};
if (target) {
  const readFileSync = fs.readFileSync;
  let seen = false;
  fs.readFileSync = function (path, ...rest) {
    const out = readFileSync.call(this, path, ...rest);
    if (!seen && String(path) === target) {
      seen = true;
      mark();
    }
    return out;
  };
  // `import('node:fs')` namespaces see the patched function only after this
  syncBuiltinESMExports();
} else {
  globalThis.__rbMark = mark;
}
