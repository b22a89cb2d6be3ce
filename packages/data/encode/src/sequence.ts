import type { TextTokenizer } from '@kadapter/core';

/** `_truncate_seq_pair` of the official code: pop from the end of the longer list (b on ties) until it fits. */
export function truncatePair(a: string[], b: string[], maxLength: number): void {
  while (a.length + b.length > maxLength) {
    if (a.length > b.length) a.pop();
    else b.pop();
  }
}

/**
 * `input_ids` and `attention_mask` of one sequence: ids of `tokens`, then `padId` up to `maxLen`
 * (mask 1 on the real tokens, 0 on the padding). The caller ensures `tokens.length <= maxLen`.
 */
export function idsAndMask(
  tokenizer: TextTokenizer,
  tokens: readonly string[],
  maxLen: number,
  padId: number,
): { ids: Int32Array; mask: Int32Array } {
  const ids = new Int32Array(maxLen).fill(padId);
  const mask = new Int32Array(maxLen);
  tokens.forEach((t, i) => {
    ids[i] = tokenizer.tokenToId(t);
    mask[i] = 1;
  });
  return { ids, mask };
}
