import { InputError } from '@kadapter/core';
import { argmax } from './argmax.js';

/**
 * Multiple-choice accuracy as run_finetune_cosmosqa_adapter.py computes it: the count of rows whose
 * argmax (first maximum on ties) is the gold choice, divided by N.
 */
export function choiceAccuracy(
  logits: readonly ArrayLike<number>[],
  gold: readonly number[],
): { correct: number; accuracy: number } {
  if (gold.length === 0) throw new InputError('no examples to score');
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (argmax(logits[i] as ArrayLike<number>) === gold[i]) correct++;
  return { correct, accuracy: correct / gold.length };
}
