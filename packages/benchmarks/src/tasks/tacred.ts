import {
  labelIndex,
  NO_RELATION,
  objectOf,
  parseRelation,
  type RelationExample,
  recordError,
  TACRED_RELATIONS,
} from '@kadapter/data-encode';
import type { InputRecord } from '@kadapter/core';
import { argmax } from '../metrics/argmax.js';
import type { PRF } from '../metrics/prf.js';
import { microF1ExcludingNone } from '../metrics/relation.js';
import { readExamples } from '../read/examples.js';
import { labelGold, numbersField } from '../read/prediction-fields.js';
import { defineTask } from '../score.js';

/** A TACRED example with its relation as an id in the label list. */
export interface TacredExample extends RelationExample {
  label: number;
}

/** A predictions row of TACRED: one logit per relation, the gold relation as an id. */
export interface TacredRow {
  logits: number[];
  gold: number;
}

export interface TacredScore {
  examples: number;
  /** micro P/R/F1 over the relations other than no_relation (`micro_f1_tacred`) */
  micro: PRF;
}

function checkSpan(record: InputRecord, words: number, start: number, end: number, prefix: 'subj' | 'obj'): void {
  if (start < 0 || start >= words)
    throw recordError(record, `${start} is not a word index (0..${words - 1})`, `${prefix}_start`);
  if (end < start || end >= words)
    throw recordError(record, `${end} must be in ${start}..${words - 1} (inclusive end)`, `${prefix}_end`);
}

/**
 * One record of the official TACRED JSON (`token`, `subj_start`…`obj_end` inclusive word indices,
 * `relation`; other keys ignored): both spans must lie inside `token` and the relation must be one
 * of `labels`.
 */
function checkTacredRecord(record: InputRecord, labels: readonly string[]): TacredExample {
  const example = parseRelation(record);
  checkSpan(record, example.words.length, example.subjStart, example.subjEnd, 'subj');
  checkSpan(record, example.words.length, example.objStart, example.objEnd, 'obj');
  return { ...example, label: labelIndex(record, labels, example.relation, 'relation') };
}

/**
 * TACRED relation classification (kadapter-spec.md §5.3): the 42 relations in the order of
 * examples/utils_glue.py, prediction = argmax of the logits (first maximum on ties, as numpy),
 * micro P/R/F1 of `micro_f1_tacred` with `no_relation` excluded (P = 1 when nothing is guessed).
 * With a replacement label list, `no_relation` is wherever that list has it (nowhere: nothing is
 * excluded).
 */
export const tacred = defineTask<TacredExample, string, TacredRow, TacredScore>({
  name: 'tacred',
  description: 'TACRED relation classification (42 relations; micro P/R/F1 without no_relation)',
  labels: TACRED_RELATIONS,
  read: (file, options = {}) =>
    readExamples(file, options.format, (record) => checkTacredRecord(record, options.labels ?? TACRED_RELATIONS)),
  gold: (example) => example.relation,
  parsePrediction(record, options = {}) {
    const labels = options.labels ?? TACRED_RELATIONS;
    const obj = objectOf(record);
    return {
      logits: numbersField(record, obj, 'logits', labels.length, 'one per relation'),
      gold: labelGold(record, obj, labels),
    };
  },
  metrics(rows, options = {}) {
    const none = (options.labels ?? TACRED_RELATIONS).indexOf(NO_RELATION);
    const micro = microF1ExcludingNone(
      rows.map((r) => argmax(r.logits)),
      rows.map((r) => r.gold),
      none,
    );
    return { examples: rows.length, micro };
  },
});
