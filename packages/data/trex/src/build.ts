import { readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createProgress, type ProgressOptions } from '@kadapter/progress';
import { hashFile, listInputFiles } from '@kadapter/files';
import type { Alignment } from './clean-document.js';
import type { TrexManifest } from './manifest.js';
import { type MergeOptions, mergeTrexOutputs } from './merge.js';
import { type FileTask, processFiles } from './worker-pool.js';

export interface BuildTrexOptions extends Omit<MergeOptions, 'progress'> {
  /** raw T-REx files, or directories of them */
  inputs: readonly string[];
  alignment?: Alignment;
  /**
   * where per-file outputs go. Default: `<outDir>/.per-file`, removed after the build. A given
   * directory is kept and acts as a cache: inputs whose sha256 already has an output are not re-read.
   */
  workDir?: string;
  /** worker threads (default: available cores, at most one per file; 0 = in this thread) */
  workers?: number;
  progress?: Pick<ProgressOptions, 'stream' | 'silent' | 'intervalMs'>;
}

export interface BuildTrexResult {
  manifest: TrexManifest;
  outDir: string;
  /** measured, not part of the manifest */
  stats: { seconds: number; documents: number; documentsPerSecond: number; bytes: number; workers: number };
}

/**
 * Builds a `trex-rc` dataset from raw T-REx files in this process: every input file is cleaned by
 * `processTrexFile` (in worker threads), then `mergeTrexOutputs` applies the sub-dataset rules and
 * writes the split and the manifest. The output does not depend on worker scheduling.
 */
export async function buildTrexDataset(options: BuildTrexOptions): Promise<BuildTrexResult> {
  const started = performance.now();
  const files = await listInputFiles(options.inputs);
  const cache = options.workDir !== undefined;
  const workDir = options.workDir ?? join(options.outDir, '.per-file');
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const tasks: FileTask[] = [];
  for (const input of files) {
    const expectedSha256 = cache ? (await hashFile(input)).sha256 : undefined;
    tasks.push({ input, options: { workDir, alignment: options.alignment, strict: options.strict, expectedSha256 } });
  }
  const workers = Math.min(options.workers ?? availableParallelism(), files.length);
  const progress = createProgress({ label: 'trex clean', unit: 'docs', ...options.progress });
  const seen = files.map(() => ({ bytes: 0, documents: 0 }));
  let bytes = 0;
  let documents = 0;
  let cleaning = true;
  const stopCleaning = () => {
    if (cleaning) progress.stop();
    cleaning = false;
  };
  try {
    const stored = await processFiles(tasks, workers, (task, p) => {
      const before = seen[task] as { bytes: number; documents: number };
      bytes += p.bytes - before.bytes;
      documents += p.documents - before.documents;
      progress.tick(p.documents - before.documents);
      seen[task] = { bytes: p.bytes, documents: p.documents };
      if (bytes > 0) progress.setTotal(Math.max(documents, Math.round((documents * totalBytes) / bytes)));
    });
    stopCleaning();
    const manifest = await mergeTrexOutputs(
      files.map((path, i) => ({ path, stored: stored[i] as (typeof stored)[number] })),
      { ...options, progress: options.progress },
    );
    if (!cache) await rm(workDir, { recursive: true, force: true });
    const seconds = (performance.now() - started) / 1000;
    return {
      manifest,
      outDir: options.outDir,
      stats: { seconds, documents, documentsPerSecond: documents / seconds, bytes: totalBytes, workers },
    };
  } catch (err) {
    stopCleaning();
    await removeLeftovers(workDir, cache);
    throw err;
  }
}

/** After a failure: the whole default work dir, or the temp dirs of unfinished files in a kept one. */
async function removeLeftovers(workDir: string, keep: boolean): Promise<void> {
  if (!keep) {
    await rm(workDir, { recursive: true, force: true });
    return;
  }
  const names = await readdir(workDir).catch(() => [] as string[]);
  for (const name of names)
    if (name.startsWith('.tmp-')) await rm(join(workDir, name), { recursive: true, force: true });
}
