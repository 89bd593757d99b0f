// `rasterburn job --redis URL status|cancel ID`: inspects or cancels a queued tile job. Cancelling
// leaves a marker in the job's folder of the store: workers fail the job's remaining tiles as they
// take them (without burning), which fails the job; tiles already written stay in the store.
import { connectionFor, loadBullMQ, QUEUE_NAME } from './node-bullmq.js';
import type { AssembleTaskData } from './node-worker.js';
import { JobStore } from './job-store.js';
import { openStore } from './node-open-store.js';

export const JOB_USAGE = 'Usage: rasterburn job --redis redis://HOST:PORT status|cancel JOB_ID';

export async function runJobCli(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  let redis: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      io.stdout.write(`${JOB_USAGE}\n`);
      return 0;
    }
    if (a === '--redis') {
      if (i + 1 >= argv.length) throw new Error('--redis needs a redis:// URL');
      redis = argv[++i];
    } else if (a.startsWith('--redis=')) redis = a.slice(8);
    else if (a.startsWith('-')) throw new Error(`Unknown option name '${a}' (${JOB_USAGE})`);
    else rest.push(a);
  }
  if (redis === undefined) throw new Error(`--redis is required: ${JOB_USAGE}`);
  const [action, jobId] = rest;
  if ((action !== 'status' && action !== 'cancel') || jobId === undefined || rest.length !== 2) throw new Error(JOB_USAGE);
  const mq = await loadBullMQ();
  const queue = new mq.Queue(QUEUE_NAME, { connection: connectionFor(redis) });
  queue.on('error', () => {});
  try {
    const job = await mq.Job.fromId(queue, jobId);
    if (!job || job.name !== 'assemble') throw new Error(`no job ${jobId} in Redis at ${redis} (not queued yet, removed, or another Redis)`);
    const data = job.data as AssembleTaskData;
    const store = new JobStore(openStore(data.store), data.jobId);
    if (action === 'cancel') await store.markCancelled();
    const state = await job.getState();
    const c = await job.getDependenciesCount();
    const done = c.processed ?? 0, total = done + (c.unprocessed ?? 0) + (c.failed ?? 0) + (c.ignored ?? 0);
    io.stdout.write(`${JSON.stringify({ jobId, state: action === 'cancel' && state !== 'completed' ? 'cancelling' : state, tilesDone: done, tilesQueued: total, failed: c.failed ?? 0, store: store.dir, ...(job.failedReason ? { failedReason: job.failedReason } : {}) })}\n`);
    return 0;
  } finally {
    await queue.close().catch(() => undefined);
  }
}
