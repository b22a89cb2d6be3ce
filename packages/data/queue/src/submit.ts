import { BudgetError, ConfigError, DataError, deserializeError, type KAdapterError } from '@kadapter/core';
import { type BuildTrexResult, readTrexManifest, type TrexManifest } from '@kadapter/data-trex';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import {
  type JobRetryOptions,
  planToFlow,
  planTrexBuild,
  type TrexBuildPlan,
  type TrexQueueBuildOptions,
} from './build-plan.js';
import { DEFAULT_QUEUE_NAME, type FileJobData, type MergeJobData } from './job-data.js';
import { type BuildProgressOptions, BuildProgressReporter } from './progress-reporter.js';
import { RedisClients, redactRedisUrl } from './redis-connection.js';

export interface SubmitTrexBuildOptions extends TrexQueueBuildOptions, JobRetryOptions {
  /** `redis://host:port[/db]` (or `rediss://`) */
  redis: string;
  queueName?: string;
  /** stop waiting after this many ms (BudgetError; the build stays queued). Default: wait until it ends */
  timeoutMs?: number;
  progress?: BuildProgressOptions;
}

/** What one job of the build did (from BullMQ's job record). */
export interface QueueJobInfo {
  id: string;
  name: string;
  /** the input file of a `trex-file` job */
  input?: string;
  /** the worker that finished it */
  processedBy?: string;
  /** times a worker started it (more than 1 after a crash, stall or retry) */
  attemptsStarted: number;
  /** times it stalled (its worker stopped renewing the lock) and went back to the queue */
  stalledCounter: number;
}

export interface QueueBuildResult extends BuildTrexResult {
  /** the parent job id, derived from the inputs' sha256 and the options */
  buildId: string;
  /** the same build was already queued, running or done: nothing was added */
  deduplicated: boolean;
  /** the file jobs in input order, then the merge job */
  jobs: QueueJobInfo[];
}

/**
 * Runs the T-REx build as BullMQ jobs and waits for it: one `trex-file` job per input (ids from the
 * input's sha256 and the build options) under one `trex-merge` parent, which merges and writes the
 * split once every file is cleaned. Workers (`kadapter-queue-worker`, or `kadapter build-data trex
 * --queue URL --worker`) must see the same paths. Submitting the same build again adds nothing and
 * returns the stored result; a build that failed, or whose output is gone or changed, is replaced and
 * run again. Typed errors raised in a worker are rethrown here with their class, message and location.
 */
export async function submitTrexBuild(options: SubmitTrexBuildOptions): Promise<QueueBuildResult> {
  const started = performance.now();
  const clients = await RedisClients.connect(options.redis);
  const plan = await planTrexBuild(options);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue(queueName, { connection: clients.create() });
  const events = new QueueEvents(queueName, { connection: clients.create() });
  const flow = new FlowProducer({ connection: clients.create() });
  const reporter = new BuildProgressReporter(plan, options.progress);
  try {
    await events.waitUntilReady();
    reporter.listen(events);
    let parent = await Job.fromId<MergeJobData, TrexManifest>(queue, plan.id);
    if (parent && !(await stillValid(parent, plan.outDir))) {
      await replaceBuild(parent);
      parent = undefined;
    }
    const deduplicated = parent !== undefined;
    const workers = await queue.getWorkersCount();
    const where = `${redactRedisUrl(options.redis)}, queue ${queueName}; ${workers} workers connected`;
    const what = deduplicated ? 'already submitted (nothing added)' : 'queued';
    reporter.message(`build ${plan.id}: ${plan.inputs.length} files ${what} on ${where}`);
    if (workers === 0)
      reporter.message(
        `start workers with: kadapter build-data trex --queue ${redactRedisUrl(options.redis)} --worker`,
      );
    parent ??= (await flow.add(planToFlow(plan, queueName, options))).job as Job<MergeJobData, TrexManifest>;
    let manifest: TrexManifest;
    try {
      manifest = await parent.waitUntilFinished(events, options.timeoutMs);
    } catch (err) {
      throw await buildFailure(queue, plan, err as Error, options.timeoutMs);
    }
    const jobs = await jobInfos(queue, plan);
    const seconds = (performance.now() - started) / 1000;
    const documents = manifest.counts.documents;
    return {
      manifest,
      outDir: plan.outDir,
      buildId: plan.id,
      deduplicated,
      jobs,
      stats: {
        seconds,
        documents,
        documentsPerSecond: documents / seconds,
        bytes: plan.inputs.reduce((sum, input) => sum + input.bytes, 0),
        workers: new Set(jobs.map((j) => j.processedBy).filter((w) => w !== undefined)).size,
      },
    };
  } finally {
    reporter.stop();
    await events.close();
    await flow.close();
    await queue.close();
    await clients.close();
  }
}

/**
 * Whether an earlier build of the same id stands: queued, running, or done with its manifest still in
 * `outDir`. A failed build, or a finished one whose output was removed or changed since, is run again.
 */
async function stillValid(parent: Job<MergeJobData, TrexManifest>, outDir: string): Promise<boolean> {
  const state = await parent.getState();
  if (state === 'failed') return false;
  if (state !== 'completed') return true;
  const onDisk = await readTrexManifest(outDir).catch(() => undefined);
  return JSON.stringify(onDisk) === JSON.stringify(parent.returnvalue);
}

/** Removes an earlier build of the same id with its jobs, so it can be added again. */
async function replaceBuild(parent: Job): Promise<void> {
  try {
    await parent.remove({ removeChildren: true });
  } catch (err) {
    throw new ConfigError(
      `build ${parent.id} must run again but still has running jobs (${(err as Error).message}); submit again when they are over`,
      { field: 'queue', cause: err },
    );
  }
}

/** The error to throw when the parent job failed: the typed error a worker stored, or one naming the job. */
async function buildFailure(
  queue: Queue,
  plan: TrexBuildPlan,
  err: Error,
  timeoutMs: number | undefined,
): Promise<KAdapterError> {
  const parent = await Job.fromId<MergeJobData>(queue, plan.id);
  if (parent === undefined || (await parent.getState()) !== 'failed') {
    if (timeoutMs !== undefined)
      return new BudgetError(`build ${plan.id} did not finish within ${timeoutMs} ms; it stays queued`, {
        field: 'timeoutMs',
        cause: err,
      });
    return new DataError(`build ${plan.id} did not finish: ${err.message}`, { file: plan.outDir, cause: err });
  }
  if (parent.data.error) return deserializeError(parent.data.error);
  for (const [i, id] of plan.fileJobIds.entries()) {
    const child = await Job.fromId<FileJobData>(queue, id);
    if (!child || (await child.getState()) !== 'failed') continue;
    if (child.data.error) return deserializeError(child.data.error);
    const input = plan.inputs[i]?.path;
    return new DataError(
      `job ${id} failed after ${child.attemptsStarted} attempts (${child.stalledCounter} stalls): ${child.failedReason}`,
      { file: input },
    );
  }
  return new DataError(`merge job ${plan.id} failed: ${parent.failedReason}`, { file: plan.outDir });
}

async function jobInfos(queue: Queue, plan: TrexBuildPlan): Promise<QueueJobInfo[]> {
  const infos: QueueJobInfo[] = [];
  for (const [i, id] of [...plan.fileJobIds, plan.id].entries()) {
    const job = await Job.fromId(queue, id);
    if (!job) continue;
    infos.push({
      id,
      name: job.name,
      ...(i < plan.inputs.length ? { input: plan.inputs[i]?.path } : {}),
      ...(job.processedBy === undefined ? {} : { processedBy: job.processedBy }),
      attemptsStarted: job.attemptsStarted,
      stalledCounter: job.stalledCounter,
    });
  }
  return infos;
}
