import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { BUILDER_VERSION, type BuildTrexOptions } from '@kadapter/data-trex';
import { hashFile, listInputFiles } from '@kadapter/files';
import type { FlowJob } from 'bullmq';
import { FILE_JOB, type FileJobData, MERGE_JOB, type MergeJobData, type PlannedInput } from './job-data.js';

/** The T-REx build options (those of `buildTrexDataset`, less the in-process worker threads and progress). */
export type TrexQueueBuildOptions = Omit<BuildTrexOptions, 'workers' | 'progress'>;

/** Retry policy of every job of a build (stalled jobs are brought back by BullMQ separately). */
export interface JobRetryOptions {
  /** attempts per job for errors that are not typed data errors (default 3) */
  attempts?: number;
  /** first retry delay in ms, doubled on each retry (default 1000) */
  backoffMs?: number;
}

/** A build as BullMQ jobs: ids derived from the inputs' sha256 and the build options. */
export interface TrexBuildPlan {
  /** sha256 of the build: builder version, inputs (path + sha256), work dir and every option */
  key: string;
  /** job id of the parent merge job */
  id: string;
  inputs: PlannedInput[];
  /** job id of each input's `trex-file` job, in input order */
  fileJobIds: string[];
  fileData: FileJobData[];
  mergeData: MergeJobData;
  outDir: string;
}

/**
 * Lists and hashes the inputs (sorted paths, as the in-process build) and derives the job ids. The
 * same inputs (bytes) and options always give the same ids, so a duplicated submission adds nothing.
 * Paths are made absolute: workers may start in other directories.
 */
export async function planTrexBuild(options: TrexQueueBuildOptions): Promise<TrexBuildPlan> {
  const paths = await listInputFiles(options.inputs);
  const inputs: PlannedInput[] = [];
  for (const path of paths) inputs.push({ path, ...(await hashFile(path)) });
  const outDir = resolve(options.outDir);
  const workDir = options.workDir === undefined ? join(outDir, '.per-file') : resolve(options.workDir);
  const alignment = options.alignment ?? 'official';
  const strict = options.strict === true;
  const merge = {
    outDir,
    minCount: options.minCount,
    excludeRelations: options.excludeRelations,
    labels: options.labels,
    seed: options.seed,
    devFraction: options.devFraction,
    shuffle: options.shuffle,
    shardSize: options.shardSize,
    strict,
  };
  const mergeData: MergeJobData = {
    builderVersion: BUILDER_VERSION,
    inputs,
    workDir,
    removeWorkDir: options.workDir === undefined,
    alignment,
    merge,
  };
  const key = createHash('sha256').update(JSON.stringify(mergeData)).digest('hex');
  const short = key.slice(0, 32);
  return {
    key,
    id: `trex-build-${short}`,
    inputs,
    fileJobIds: inputs.map((input, i) => `trex-file-${short}-${i}-${input.sha256.slice(0, 12)}`),
    fileData: inputs.map((input, index) => ({
      builderVersion: BUILDER_VERSION,
      index,
      input,
      workDir,
      alignment,
      strict,
    })),
    mergeData,
    outDir,
  };
}

/**
 * The BullMQ flow of a plan: the merge job as parent, one child per input. A child that fails for
 * good fails the parent (`failParentOnFailure`); other errors are retried with exponential backoff.
 */
export function planToFlow(plan: TrexBuildPlan, queueName: string, retry: JobRetryOptions = {}): FlowJob {
  const attempts = retry.attempts ?? 3;
  const backoff = { type: 'exponential', delay: retry.backoffMs ?? 1000 };
  return {
    name: MERGE_JOB,
    queueName,
    data: plan.mergeData,
    opts: { jobId: plan.id, attempts, backoff },
    children: plan.fileData.map((data, i) => ({
      name: FILE_JOB,
      queueName,
      data,
      opts: { jobId: plan.fileJobIds[i], attempts, backoff, failParentOnFailure: true },
    })),
  };
}
