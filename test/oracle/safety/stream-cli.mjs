// The CLI's streaming path (src/cli/stream.ts) at a size the tests can afford: main.ts only streams grids over
// its memory budget, so this runs the same steps main.ts runs for them, from the built dist/, as a process of
// its own that the kill test can SIGKILL. Usage: node stream-cli.mjs <rasterburn arguments>
import { readFileSync } from 'node:fs';
import { parseArgs } from '../../../dist/src/cli/args.js';
import { planOutput } from '../../../dist/src/cli/plan.js';
import { streamGeoTIFF } from '../../../dist/src/cli/stream.js';
import { checkDestination } from '../../../dist/src/io/node-destination.js';

const parsed = parseArgs(process.argv.slice(2));
if (parsed.kind !== 'run') throw new Error('stream-cli: expected a run');
const args = parsed.args;
const source = JSON.parse(readFileSync(args.src, 'utf8'));
const plan = planOutput({ args, source, srcPath: args.src, mode: 'create' });
const dest = checkDestination(args.dst, { source: args.src });
const r = await streamGeoTIFF({ args, dest, source, plan, bar: { update() {}, clear() {} }, notice() {}, budget: 1e9, t0: performance.now() });
process.stdout.write(`${JSON.stringify({ write: r.write, tiles: r.streamed.tiles })}\n`);
