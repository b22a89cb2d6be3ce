import type { PRF } from './prf.js';

/**
 * `micro_f1_tacred` of examples/utils_glue.py over label ids, with `none` (TACRED: `no_relation`,
 * id 28) excluded: a pair with both none is ignored; a guess other than none counts as guessed,
 * a gold other than none as gold, and a guess equal to a gold other than none as correct.
 * P = correct / guessed (**1** when nothing is guessed), R = correct / gold (0 when there is no
 * gold), F1 = 2PR / (P + R) (0 when P + R = 0).
 */
export function microF1ExcludingNone(predicted: readonly number[], gold: readonly number[], none: number): PRF {
  let guessed = 0;
  let golds = 0;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const guess = predicted[i] as number;
    const truth = gold[i] as number;
    if (guess !== none) guessed++;
    if (truth !== none) golds++;
    if (guess !== none && guess === truth) correct++;
  }
  const precision = guessed > 0 ? correct / guessed : 1;
  const recall = golds > 0 ? correct / golds : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
