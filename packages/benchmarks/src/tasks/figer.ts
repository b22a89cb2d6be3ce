import { ConfigError } from '@kadapter/core';
import { figerLabelsFromTrain, readRecords } from '@kadapter/data-encode';
import { cumulativeLooseScores, entityTypingScores } from '../metrics/entity-typing.js';
import type { PRF } from '../metrics/prf.js';
import { type Example, readExamples } from '../read/examples.js';
import { withLine } from '../read/with-line.js';
import { defineTask } from '../score.js';
import type { ReadOptions } from '../task.js';
import {
  checkEntityRecord,
  type EntityTypingExample,
  type EntityTypingRow,
  multiHot,
  parseEntityTypingRow,
  typeSets,
} from './entity-typing.js';

/** FIGER's type count (Ling & Weld 2012); a run's labels.json may list fewer (those seen in train.json). */
export const FIGER_TYPE_COUNT = 113;

/** run_finetune_figer_adapter.sh: `--per_gpu_eval_batch_size=4` on one GPU. */
export const FIGER_SCRIPT_EVAL_BATCH_SIZE = 4;

export interface FigerScore {
  examples: number;
  /** strict accuracy (the script's `ERINE_accuracy`), a type predicted iff logit > 0 or = the row maximum */
  accuracy: number;
  /** loose micro P/R/F1 over the whole set, same prediction rule (what the script means to report) */
  micro: PRF;
  /** loose macro P/R/F1 over the whole set, same prediction rule */
  macro: PRF;
  /** what the script reports as `ERINE_micro` / `ERINE_macro`: cumulative predictions, see `cumulativeLooseScores` */
  official_script_cumulative: { eval_batch_size: number; micro: PRF; macro: PRF };
  /** utils_figer.py `figer_scores` (computed by the script, then overwritten): prediction iff logit > 0 only */
  figer_scores_logit_gt_0: { accuracy: number; micro: PRF; macro: PRF };
}

async function* readFiger(file: string, options: ReadOptions): AsyncGenerator<Example<EntityTypingExample>> {
  let labels = options.labels;
  if (labels === undefined) {
    try {
      labels = await figerLabelsFromTrain(readRecords(file, options.format));
    } catch (err) {
      throw await withLine(err);
    }
  }
  const list = labels;
  yield* readExamples(file, options.format, (record) => checkEntityRecord(record, list));
}

function labelCount(options: { labels?: readonly string[] }): number {
  return options.labels?.length ?? FIGER_TYPE_COUNT;
}

/**
 * FIGER fine-grained entity typing (kadapter-spec.md §5.2). The label list is the run's: the
 * data dir's labels.json, else the labels of train.json in order of first appearance, which is what
 * `read` derives when no `labels` are given (read test.json with train's list!). Predictions rows
 * have one logit per label (113 without a list). The main metrics use the script's prediction rule
 * over the whole set; the script's cumulative weighting and the `> 0`-only `figer_scores` variant
 * come under their own names.
 */
export const figer = defineTask<EntityTypingExample, number[], EntityTypingRow, FigerScore>({
  name: 'figer',
  description: 'FIGER fine-grained entity typing (multi-label; strict accuracy, loose micro/macro P/R/F1)',
  read: (file, options = {}) => readFiger(file, options),
  gold(example, options = {}) {
    if (options.labels === undefined)
      throw new ConfigError('FIGER gold rows need the label list the examples were read with', { field: 'labels' });
    return multiHot(example.types, options.labels.length);
  },
  parsePrediction: (record, options = {}) => parseEntityTypingRow(record, labelCount(options)),
  metrics(rows, options = {}) {
    const batch = options.evalBatchSize ?? FIGER_SCRIPT_EVAL_BATCH_SIZE;
    const script = typeSets(rows, 'positive-or-max');
    const whole = entityTypingScores(script.predicted, script.gold);
    const cumulative = cumulativeLooseScores(script.predicted, script.gold, batch);
    const positive = typeSets(rows, 'positive');
    const gt0 = entityTypingScores(positive.predicted, positive.gold);
    return {
      examples: rows.length,
      accuracy: whole.accuracy,
      micro: whole.micro,
      macro: whole.macro,
      official_script_cumulative: { eval_batch_size: batch, micro: cumulative.micro, macro: cumulative.macro },
      figer_scores_logit_gt_0: { accuracy: gt0.accuracy, micro: gt0.micro, macro: gt0.macro },
    };
  },
});
