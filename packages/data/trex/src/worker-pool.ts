import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError } from '@kadapter/core';
import type { StoredFileResult } from './file-result.js';
import { type ProcessFileOptions, processTrexFile } from './process-file.js';

export interface FileTask {
  input: string;
  options: Omit<ProcessFileOptions, 'onProgress'>;
}

/** Cumulative progress of one task. */
export type TaskProgress = (task: number, progress: { bytes: number; documents: number }) => void;

type WorkerMessage =
  | { type: 'progress'; id: number; bytes: number; documents: number }
  | { type: 'done'; id: number; stored: StoredFileResult }
  | { type: 'error'; id: number; error: SerializedError };

/** tsx's ESM register API, from its package.json exports (a CommonJS resolve would give the .cjs build). */
function tsxEsmApi(packageJson: string): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const target = pkg.exports['./esm/api']?.import?.default;
  if (!target) throw new Error(`${packageJson} has no ./esm/api import export`);
  return join(dirname(packageJson), target);
}

/**
 * Starts the worker. From the built package it runs `trex-worker.js`; from the TypeScript sources
 * (tests, `tsx`) it registers tsx inside the worker first, since worker threads do not inherit the
 * parent's loader.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./trex-worker.js', here));
  const api = pathToFileURL(tsxEsmApi(createRequire(here).resolve('tsx/package.json'))).href;
  const entry = new URL('./trex-worker.ts', here).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    execArgv: ['--conditions=@kadapter/source'],
  });
}

/**
 * Runs `processTrexFile` on every task with up to `workers` worker threads (0: in this thread, one
 * file after another). Results come back in task order, whatever order the workers finish in. The
 * first error stops all workers and is thrown (typed errors keep their code and location).
 */
export async function processFiles(
  tasks: readonly FileTask[],
  workers: number,
  onProgress: TaskProgress = () => {},
): Promise<StoredFileResult[]> {
  if (workers <= 0 || tasks.length === 0) {
    const results: StoredFileResult[] = [];
    for (const [i, task] of tasks.entries())
      results.push(await processTrexFile(task.input, { ...task.options, onProgress: (p) => onProgress(i, p) }));
    return results;
  }
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, startWorker);
  const results = new Array<StoredFileResult>(tasks.length);
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const feed = (worker: Worker) => {
        if (next >= tasks.length) {
          if (running === 0) resolve();
          return;
        }
        const id = next++;
        running++;
        worker.postMessage({ id, ...tasks[id] });
      };
      for (const worker of pool) {
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') onProgress(m.id, m);
          else if (m.type === 'error') reject(deserializeError(m.error));
          else {
            results[m.id] = m.stored;
            onProgress(m.id, { bytes: m.stored.result.bytes, documents: m.stored.result.documents });
            running--;
            feed(worker);
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`trex worker exited with code ${code}`));
        });
      }
      for (const worker of pool) feed(worker);
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
