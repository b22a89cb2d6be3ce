import { ConfigError } from '@kadapter/core';
import type { BenchmarkTask } from './task.js';
import { cosmosQa } from './tasks/cosmosqa.js';
import { figer } from './tasks/figer.js';
import { openEntity } from './tasks/openentity.js';
import { quasarT } from './tasks/quasart.js';
import { searchQa } from './tasks/searchqa.js';
import { tacred } from './tasks/tacred.js';

/** The built-in benchmark tasks by name, in the order of the paper. */
export const BENCHMARK_TASKS: ReadonlyMap<string, BenchmarkTask> = new Map(
  ([openEntity, figer, tacred, cosmosQa, searchQa, quasarT] as BenchmarkTask[]).map((t) => [t.name, t]),
);

/** The task named `name`; an unknown name is a ConfigError listing the known ones. */
export function getTask(name: string): BenchmarkTask {
  const task = BENCHMARK_TASKS.get(name);
  if (!task) {
    throw new ConfigError(`unknown task '${name}' (known: ${[...BENCHMARK_TASKS.keys()].join(', ')})`, {
      field: 'task',
    });
  }
  return task;
}
