import { isKAdapterError, serializeError } from '@kadapter/core';
import type { JobError } from './job-data.js';

/** A typed error as job data; undefined for other errors (those are retried, not stored). */
export function toJobError(err: unknown): JobError | undefined {
  return isKAdapterError(err) ? serializeError(err) : undefined;
}
