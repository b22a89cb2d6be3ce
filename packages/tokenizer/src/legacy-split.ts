import { pyStrip } from './python-strip.js';

/** One piece of a text after special tokens are split out: a special token, or stripped text to BPE-encode. */
export type LegacyChunk = { special: true; token: string } | { special: false; text: string };

/**
 * The first half of pytorch_transformers 1.2 `PreTrainedTokenizer.tokenize(text)`: the text is
 * split on every special / added token (`split_on_tokens`), each remaining piece is stripped
 * with Python's `str.strip()` and dropped when empty; special tokens are kept as they are.
 *
 * One deliberate difference: for a non-empty text that is all whitespace and holds no special
 * token, the original returns one special token (the first of `list(set(all_special_tokens))`,
 * which depends on the per-process string hash seed, so it is not reproducible). Here such a
 * text, like the empty text, gives no chunks.
 *
 * `specials` are tried longest first so that a token containing another one wins (the original
 * order is the hash-seeded set order; with RoBERTa's tokens no token contains another).
 */
export function splitLegacy(text: string, specials: readonly string[]): LegacyChunk[] {
  if (text.length === 0) return [];
  let pieces: LegacyChunk[] = [{ special: false, text }];
  for (const tok of specials) {
    const next: LegacyChunk[] = [];
    for (const piece of pieces) {
      if (piece.special) next.push(piece);
      else splitOnToken(tok, piece.text, next);
    }
    pieces = next;
  }
  return pieces;
}

/** `split_on_token`: pieces between occurrences of `tok`, stripped, empty ones dropped. */
function splitOnToken(tok: string, text: string, out: LegacyChunk[]): void {
  const parts = text.split(tok);
  parts.forEach((part, i) => {
    const stripped = pyStrip(part);
    if (stripped.length > 0) out.push({ special: false, text: stripped });
    if (i < parts.length - 1) out.push({ special: true, token: tok });
  });
}
