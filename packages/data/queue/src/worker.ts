import { hostname } from 'node:os';
import { ConfigError } from '@kadapter/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { runFileJob } from './file-job.js';
import type { JobContext } from './job-context.js';
import { DEFAULT_QUEUE_NAME, FILE_JOB, MERGE_JOB } from './job-data.js';
import { toJobError } from './job-error.js';
import { runMergeJob } from './merge-job.js';
import { RedisClients, redactRedisUrl } from './redis-connection.js';

export interface TrexWorkerOptions {
  /** `redis://host:port[/db]` (or `rediss://`) */
  redis: string;
  queueName?: string;
  /** jobs this worker runs at once (default 1; run one worker process per core) */
  concurrency?: number;
  /** BullMQ lock duration: a job whose worker stops renewing its lock this long is stalled (default 30000) */
  lockDurationMs?: number;
  /** how often this worker looks for stalled jobs and puts them back in the queue (default 30000) */
  stalledIntervalMs?: number;
  /** times a job may stall before it fails (default 1, BullMQ's) */
  maxStalledCount?: number;
  /** TEST ONLY: hold every job this long before and after its work (see JobContext.testDelayMs) */
  testDelayMs?: number;
  /** where log lines go (default stderr); null for none */
  log?: NodeJS.WritableStream | null;
}

export interface TrexWorker {
  /** `host:pid` (plus `#n` for a second worker in the same process): the jobs' `processedBy` */
  name: string;
  /** stops taking jobs, waits for the active ones (or abandons them with `force`) and disconnects */
  close(force?: boolean): Promise<void>;
}

let workersInProcess = 0;

/**
 * A BullMQ worker for T-REx builds: `trex-file` jobs clean one input, `trex-merge` jobs merge and
 * write the split. A typed error (bad data, wrong checksum, ...) fails the job at once, stored in the
 * job's data so the submitter rethrows the same error; other errors are retried. A worker that dies
 * mid-job loses its lock, and another worker's stalled-job check puts the job back in the queue.
 */
export async function startTrexWorker(options: TrexWorkerOptions): Promise<TrexWorker> {
  const clients = await RedisClients.connect(options.redis);
  const n = workersInProcess++;
  const name = `${hostname()}:${process.pid}${n === 0 ? '' : `#${n}`}`;
  const out = options.log === undefined ? process.stderr : options.log;
  const log = (line: string) => out?.write(`kadapter-queue-worker ${name}: ${line}\n`);
  const context: JobContext = { worker: name, testDelayMs: options.testDelayMs ?? 0, log };
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const worker = new Worker(queueName, (job: Job) => processJob(job, context), {
    connection: clients.create(),
    name,
    concurrency: options.concurrency ?? 1,
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
    ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
  });
  worker.on('error', (err) => log(`error: ${err.message}`));
  worker.on('active', (job) => log(`${job.name} ${job.id} started${describeInput(job)}`));
  worker.on('completed', (job) => log(`${job.name} ${job.id} done`));
  worker.on('failed', (job, err) => log(`${job?.name} ${job?.id} failed: ${err.message}`));
  await worker.waitUntilReady();
  log(`ready: queue ${queueName} on ${redactRedisUrl(options.redis)}, concurrency ${options.concurrency ?? 1}`);
  return {
    name,
    async close(force = false) {
      await worker.close(force);
      await clients.close();
    },
  };
}

function describeInput(job: Job): string {
  const path = (job.data as { input?: { path?: unknown } } | undefined)?.input?.path;
  return typeof path === 'string' ? ` (${path})` : '';
}

async function processJob(job: Job, context: JobContext): Promise<unknown> {
  try {
    if (job.name === FILE_JOB) return await runFileJob(job, context);
    if (job.name === MERGE_JOB) return await runMergeJob(job, context);
    throw new ConfigError(`unknown job name ${JSON.stringify(job.name)}`, { file: `job ${job.id}`, field: 'name' });
  } catch (err) {
    const error = toJobError(err);
    if (!error) throw err;
    await job.updateData({ ...job.data, error });
    throw new UnrecoverableError((err as Error).message);
  }
}

/**
 * Runs a worker as the main work of this process, until SIGINT/SIGTERM (or `signal` aborts): it then
 * stops taking jobs and finishes the active ones. A second signal exits at once; the abandoned jobs
 * stall and another worker takes them over.
 */
export async function runTrexWorker(options: TrexWorkerOptions & { signal?: AbortSignal }): Promise<void> {
  const worker = await startTrexWorker(options);
  let requestStop = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = resolve;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      process.stderr.write(`kadapter-queue-worker ${worker.name}: ${signal} again, abandoning active jobs\n`);
      process.exit(130);
    }
    requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (options.signal?.aborted) requestStop();
  options.signal?.addEventListener('abort', requestStop, { once: true });
  try {
    await stopRequested;
    await worker.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
