/**
 * Why a candidate pair (one ordered pair of words in one context) gave no example:
 * - `same_lemma`: both words are the same lemma;
 * - `conflicting_relations`: the lemmas' first senses relate in more than one way;
 * - `weakly_related`: related only through rarer senses, deeper hypernyms or other pointers;
 * - `context_too_long`: the gloss context has more than `maxWords` words;
 * - `repaired_pair_related`: a re-paired gloss pair drawn for `unrelated` turned out linked (or a repeat);
 * - `not_sampled`: eligible, but left out to balance the classes (over the cap or the unrelated target).
 * Treebank sentences that are too long or invalid are counted per sentence, not here.
 */
export const SKIP_REASONS = [
  'same_lemma',
  'conflicting_relations',
  'weakly_related',
  'context_too_long',
  'repaired_pair_related',
  'not_sampled',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export function skipCounts(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
}
