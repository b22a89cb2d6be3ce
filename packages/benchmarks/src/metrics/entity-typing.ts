import { InputError } from '@kadapter/core';
import type { PRF } from './prf.js';

/**
 * When a type counts as predicted: `positive` = logit > 0 (OpenEntity's `entity_typing_accuracy`,
 * utils_figer.py `figer_scores`); `positive-or-max` = logit > 0 or logit equal to the row's
 * maximum, so at least one type is always predicted (run_finetune_figer_adapter.py `accuracy()`).
 */
export type TypeRule = 'positive' | 'positive-or-max';

/** The predicted type ids of one row of logits under `rule`, ascending. */
export function predictedTypes(logits: ArrayLike<number>, rule: TypeRule): number[] {
  let top = Number.NEGATIVE_INFINITY;
  if (rule === 'positive-or-max') for (let i = 0; i < logits.length; i++) top = Math.max(top, logits[i] as number);
  const ids: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i] as number;
    if (x > 0 || x === top) ids.push(i);
  }
  return ids;
}

/** The gold type ids of a multi-hot row (entries > 0, as the official code reads them), ascending. */
export function goldTypes(multiHot: ArrayLike<number>): number[] {
  const ids: number[] = [];
  for (let i = 0; i < multiHot.length; i++) if ((multiHot[i] as number) > 0) ids.push(i);
  return ids;
}

/** What the loose metrics need of one example: |P|, |G| and |P∩G|. */
interface Overlap {
  predicted: number;
  gold: number;
  common: number;
}

function overlaps(predicted: readonly number[][], gold: readonly number[][]): Overlap[] {
  return gold.map((g, e) => {
    const p = new Set(predicted[e]);
    const set = new Set(g);
    let common = 0;
    for (const x of p) if (set.has(x)) common++;
    return { predicted: p.size, gold: set.size, common };
  });
}

/** The official `f1(p, r)`: 0 when recall is 0 (even if precision is not). */
function f1(precision: number, recall: number): number {
  return recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** The examples in order, once each. */
function once(n: number): number[] {
  return Array.from({ length: n }, (_, e) => e);
}

/**
 * Loose micro over the examples listed in `order` (repeats count again): P = Σ|P∩G| / Σ|P| (0
 * when nothing is predicted), R = Σ|P∩G| / Σ|G| (0 when there is no gold type at all, where the
 * official code divides by zero).
 */
function microOver(o: readonly Overlap[], order: readonly number[]): PRF {
  let nPredicted = 0;
  let nGold = 0;
  let nCommon = 0;
  for (const e of order) {
    const x = o[e] as Overlap;
    nPredicted += x.predicted;
    nGold += x.gold;
    nCommon += x.common;
  }
  const precision = nPredicted > 0 ? nCommon / nPredicted : 0;
  const recall = nGold > 0 ? nCommon / nGold : 0;
  return { precision, recall, f1: f1(precision, recall) };
}

/**
 * Loose macro over the examples listed in `order`: |P∩G|/|P| and |P∩G|/|G| summed in that order
 * over the entries where the set is non-empty, each sum divided by the number of entries.
 */
function macroOver(o: readonly Overlap[], order: readonly number[]): PRF {
  let p = 0;
  let r = 0;
  for (const e of order) {
    const x = o[e] as Overlap;
    if (x.predicted > 0) p += x.common / x.predicted;
    if (x.gold > 0) r += x.common / x.gold;
  }
  const precision = p / order.length;
  const recall = r / order.length;
  return { precision, recall, f1: f1(precision, recall) };
}

/**
 * Loose micro P/R/F1 of the official `loose_micro` over type-id sets: P = Σ|P∩G| / Σ|P| (0 when
 * nothing is predicted), R = Σ|P∩G| / Σ|G|. Where the official code divides by zero (no gold type
 * at all), R = 0 here.
 */
export function looseMicro(predicted: readonly number[][], gold: readonly number[][]): PRF {
  return microOver(overlaps(predicted, gold), once(gold.length));
}

/**
 * Loose macro P/R/F1 of the official `loose_macro`: the per-example |P∩G|/|P| and |P∩G|/|G|
 * summed in example order over the examples where the set is non-empty, each divided by N (every
 * example counts in N).
 */
export function looseMacro(predicted: readonly number[][], gold: readonly number[][]): PRF {
  return macroOver(overlaps(predicted, gold), once(gold.length));
}

/** Strict accuracy, loose micro and loose macro over one set of examples. */
export interface EntityTypingScores {
  /** examples whose predicted set equals the gold set (the official `cnt`) */
  correct: number;
  /** correct / N */
  accuracy: number;
  micro: PRF;
  macro: PRF;
}

function checkRows(predicted: readonly number[][], gold: readonly number[][]): void {
  if (gold.length === 0) throw new InputError('no examples to score');
  if (predicted.length !== gold.length)
    throw new InputError(`${predicted.length} predicted rows for ${gold.length} gold rows`);
}

/**
 * `entity_typing_accuracy` of examples/utils_glue.py over predicted and gold type-id sets: the
 * strict count (as a count and divided by N), loose micro and loose macro.
 */
export function entityTypingScores(predicted: readonly number[][], gold: readonly number[][]): EntityTypingScores {
  checkRows(predicted, gold);
  const o = overlaps(predicted, gold);
  const order = once(gold.length);
  const correct = o.filter((x) => x.predicted === x.gold && x.common === x.gold).length;
  return { correct, accuracy: correct / gold.length, micro: microOver(o, order), macro: macroOver(o, order) };
}

/**
 * The loose micro and macro that run_finetune_figer_adapter.py `evaluate()` reports as
 * `ERINE_micro` / `ERINE_macro`: after each evaluation batch it appends the sets of *every*
 * example seen so far, so the example in batch k of K is counted K - k + 1 times (a bug; see
 * kadapter-spec.md §5.2). Reproduced literally, in the script's order, for `batchSize` (its
 * `per_gpu_eval_batch_size` × GPUs; the released run script uses 4).
 */
export function cumulativeLooseScores(
  predicted: readonly number[][],
  gold: readonly number[][],
  batchSize: number,
): { micro: PRF; macro: PRF } {
  checkRows(predicted, gold);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new InputError(`evaluation batch size must be a positive integer, got ${batchSize}`);
  const order: number[] = [];
  for (let end = 0; end < gold.length; ) {
    end = Math.min(end + batchSize, gold.length);
    for (let e = 0; e < end; e++) order.push(e);
  }
  const o = overlaps(predicted, gold);
  return { micro: microOver(o, order), macro: macroOver(o, order) };
}
