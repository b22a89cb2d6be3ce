import { DataError } from '@kadapter/core';
import { readJsonLines } from '@kadapter/files';
import type { BenchmarkTask, Score, ScoreOptions } from './task.js';

/**
 * Scores a predictions file: JSON lines, one object per example (`{"logits": [...], "gold": ...}`,
 * see the README), each checked by the task; then the task's metrics over all rows. Malformed JSON
 * is a FormatError, a bad row a DataError, naming the file, line and field; an empty file is a
 * DataError.
 */
export async function scorePredictionsFile<R, S extends Score>(
  task: Pick<BenchmarkTask<object, unknown, R, S>, 'parsePrediction' | 'metrics'>,
  file: string,
  options: ScoreOptions = {},
): Promise<S> {
  const rows: R[] = [];
  for await (const { value, index, line } of readJsonLines(file)) {
    rows.push(task.parsePrediction({ value, index, where: { file, line } }, options));
  }
  if (rows.length === 0) throw new DataError('no predictions in the file', { file });
  return task.metrics(rows, options);
}

/** A task from its parts: `score` reads a predictions file with `parsePrediction` and `metrics`. */
export function defineTask<E extends object, G, R, S extends Score>(
  parts: Omit<BenchmarkTask<E, G, R, S>, 'score'>,
): BenchmarkTask<E, G, R, S> {
  const task: BenchmarkTask<E, G, R, S> = {
    ...parts,
    score: (file, options) => scorePredictionsFile(task, file, options),
  };
  return task;
}
