import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeTrexOutputs, processTrexFile, type StoredFileResult, type TrexManifest } from '@kadapter/data-trex';
import type { Job } from 'bullmq';
import { checkJobData, type JobContext, reportProgress, testDelay } from './job-context.js';
import type { MergeJobData } from './job-data.js';

/** Temp names the merge writes under (`.merge-tmp-<pid>-<hex>` dirs, `<name>.tmp-<pid>-<hex>` files). */
const MERGE_LEFTOVER = /^\.merge-tmp-\d+-[0-9a-f]{8}$|\.tmp-\d+-[0-9a-f]{8}$/;

/**
 * Removes temp files a merge left in `outDir` when its worker was killed (the job is then run again
 * by another worker). Only this build's parent job writes `outDir`, and BullMQ runs it once at a time.
 */
async function removeMergeLeftovers(outDir: string): Promise<void> {
  const names = await readdir(outDir).catch(() => [] as string[]);
  for (const name of names)
    if (MERGE_LEFTOVER.test(name)) await rm(join(outDir, name), { recursive: true, force: true });
}

/**
 * The `trex-merge` parent job, run once every `trex-file` child has completed: loads each input's
 * stored output in build order (`processTrexFile` with the known sha256 reuses it; a missing one is
 * rebuilt), then `mergeTrexOutputs` applies the sub-dataset rules and writes the shards,
 * `relations.json` and `manifest.json`. The result depends on the input order only, never on which
 * worker ran which file. A default work dir is removed afterwards, as in the in-process build.
 */
export async function runMergeJob(job: Job<MergeJobData>, context: JobContext): Promise<TrexManifest> {
  checkJobData(job, {
    inputs: 'object',
    workDir: 'string',
    removeWorkDir: 'boolean',
    alignment: 'string',
    merge: 'object',
  });
  const { inputs, workDir, alignment, merge } = job.data;
  const stored: StoredFileResult[] = [];
  for (const [i, input] of inputs.entries()) {
    stored.push(
      await processTrexFile(input.path, { workDir, alignment, strict: merge.strict, expectedSha256: input.sha256 }),
    );
    reportProgress(job, context, {
      phase: 'merge-inputs',
      worker: context.worker,
      files: i + 1,
      totalFiles: inputs.length,
    });
  }
  await testDelay(job, context);
  await removeMergeLeftovers(merge.outDir);
  reportProgress(job, context, { phase: 'merge-write', worker: context.worker });
  const manifest = await mergeTrexOutputs(
    inputs.map((input, i) => ({ path: input.path, stored: stored[i] as StoredFileResult })),
    { ...merge, progress: { silent: true } },
  );
  if (job.data.removeWorkDir) await rm(workDir, { recursive: true, force: true });
  return manifest;
}
