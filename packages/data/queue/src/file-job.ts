import { processTrexFile } from '@kadapter/data-trex';
import type { Job } from 'bullmq';
import { checkJobData, type JobContext, reportProgress, testDelay } from './job-context.js';
import type { FileJobData, FileJobResult } from './job-data.js';

const PROGRESS_EVERY_MS = 250;

/**
 * A `trex-file` job: `processTrexFile` on one input with its known sha256. The output lands in
 * `<workDir>/<sha256>/`, built under a temp name and renamed; an output already there for the same
 * bytes is reused. So a retried job (after a crash or a stall) or a duplicated one changes nothing.
 */
export async function runFileJob(job: Job<FileJobData>, context: JobContext): Promise<FileJobResult> {
  checkJobData(job, { input: 'object', workDir: 'string', alignment: 'string', strict: 'boolean' });
  const { input, workDir, alignment, strict } = job.data;
  await testDelay(job, context);
  let last = 0;
  const stored = await processTrexFile(input.path, {
    workDir,
    alignment,
    strict,
    expectedSha256: input.sha256,
    onProgress: ({ bytes, documents }) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      reportProgress(job, context, {
        phase: 'clean',
        worker: context.worker,
        bytes,
        totalBytes: input.bytes,
        documents,
      });
    },
  });
  const { documents, examples, sha256 } = stored.result;
  reportProgress(job, context, { phase: 'cleaned', worker: context.worker, documents, examples });
  await testDelay(job, context);
  return { sha256, documents, examples };
}
