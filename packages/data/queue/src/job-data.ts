import type { SerializedTypedError } from '@kadapter/core';
import type { Alignment, MergeOptions } from '@kadapter/data-trex';

/** Default BullMQ queue name of the T-REx build (children and parent share it). */
export const DEFAULT_QUEUE_NAME = 'kadapter-trex';
/** Job names: one `trex-file` job per input file, one `trex-merge` parent per build. */
export const FILE_JOB = 'trex-file';
export const MERGE_JOB = 'trex-merge';

/** One input of a build, as hashed by the submitter (workers see the same path on shared storage). */
export interface PlannedInput {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * A typed error stored in the failed job's data (`serializeError` of `@kadapter/core`), so the
 * submitter rebuilds the same class and location with `deserializeError`.
 */
export type JobError = SerializedTypedError;

/** Data of a `trex-file` job: clean one input into `<workDir>/<sha256>/`. */
export interface FileJobData {
  builderVersion: string;
  /** position of the input in the build order (sorted paths) */
  index: number;
  input: PlannedInput;
  workDir: string;
  alignment: Alignment;
  strict: boolean;
  error?: JobError;
}

/** Data of the `trex-merge` parent: merge the per-file outputs (inputs in build order) and write the split. */
export interface MergeJobData {
  builderVersion: string;
  inputs: PlannedInput[];
  workDir: string;
  /** the work dir is the build's own (`<outDir>/.per-file`) and is removed after the merge */
  removeWorkDir: boolean;
  alignment: Alignment;
  merge: Omit<MergeOptions, 'progress'>;
  error?: JobError;
}

/** What a `trex-file` job returns. */
export interface FileJobResult {
  sha256: string;
  documents: number;
  examples: number;
}

/** Progress a job reports (BullMQ job progress, seen by the submitter through QueueEvents). */
export type JobProgress =
  | { phase: 'test-delay'; worker: string }
  | { phase: 'clean'; worker: string; bytes: number; totalBytes: number; documents: number }
  | { phase: 'cleaned'; worker: string; documents: number; examples: number }
  | { phase: 'merge-inputs'; worker: string; files: number; totalFiles: number }
  | { phase: 'merge-write'; worker: string };
