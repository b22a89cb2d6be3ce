import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, FormatError } from '@kadapter/core';
import { BUILDER_VERSION } from '@kadapter/data-trex';
import type { Job } from 'bullmq';
import type { JobProgress } from './job-data.js';

/** What a job processor gets besides the job: who runs it, the test delay and the log. */
export interface JobContext {
  /** worker name (`host:pid`), stored by BullMQ as the job's `processedBy` */
  worker: string;
  /**
   * TEST ONLY: wait this long before and after the real work of every job (while holding its
   * lock), so a test can kill a worker mid-job deterministically. 0 in normal use.
   */
  testDelayMs: number;
  log(line: string): void;
}

/** Reports progress; a lost update is logged, never fatal (the job itself goes on). */
export function reportProgress(job: Job, context: JobContext, progress: JobProgress): void {
  job.updateProgress(progress).catch((err: Error) => context.log(`progress of ${job.id}: ${err.message}`));
}

/** The test delay (see JobContext.testDelayMs), announced as progress so a test knows the job is held. */
export async function testDelay(job: Job, context: JobContext): Promise<void> {
  if (context.testDelayMs <= 0) return;
  reportProgress(job, context, { phase: 'test-delay', worker: context.worker });
  await sleep(context.testDelayMs);
}

/** Checks that job data from Redis has the fields a processor reads (FormatError naming the field). */
export function checkJobData(job: Job, fields: Record<string, 'string' | 'number' | 'boolean' | 'object'>): void {
  const data = job.data as Record<string, unknown> | null;
  const where = { file: `job ${job.id} (${job.name})` };
  if (typeof data !== 'object' || data === null) throw new FormatError('job data is not an object', where);
  for (const [field, type] of Object.entries(fields))
    if (typeof data[field] !== type || data[field] === null)
      throw new FormatError(`expected a ${type}`, { ...where, field: `data.${field}` });
  if (data.builderVersion !== BUILDER_VERSION)
    throw new ConfigError(
      `submitted for T-REx builder ${JSON.stringify(data.builderVersion)}, this worker runs ${BUILDER_VERSION}; run workers of the same version`,
      { ...where, field: 'data.builderVersion' },
    );
}
