import { InputError } from '@kadapter/core';

/** OpenQA's (DrQA's) default `--max-len`: the longest answer span considered, in tokens. */
export const MAX_SPAN_TOKENS = 15;

/**
 * The best answer span from start and end logits, as OpenQA's `DocReader.decode` picks it: the
 * (s, e) with s ≤ e < s + maxLen maximising p_start(s) · p_end(e), which for softmax probabilities
 * is the pair with the largest start[s] + end[e]; the first such pair in (s, e) order on ties.
 */
export function decodeSpan(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  maxLen: number = MAX_SPAN_TOKENS,
): [number, number] {
  if (start.length === 0 || start.length !== end.length)
    throw new InputError(`start and end logits must be non-empty and equally long (${start.length}, ${end.length})`);
  if (!Number.isSafeInteger(maxLen) || maxLen < 1)
    throw new InputError(`the longest span must be a positive integer, got ${maxLen}`);
  let best: [number, number] = [0, 0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < start.length; s++) {
    const last = Math.min(end.length, s + maxLen);
    for (let e = s; e < last; e++) {
      const score = (start[s] as number) + (end[e] as number);
      if (score > bestScore) {
        bestScore = score;
        best = [s, e];
      }
    }
  }
  return best;
}
