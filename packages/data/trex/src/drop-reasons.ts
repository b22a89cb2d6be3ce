/**
 * Why a triple did not become an example. The first six follow the official cleaning
 * (clean_T_REx.py:81-106); `invalid_triple` is a malformed record (reported as an issue), where the
 * official script would crash on the whole file.
 */
export const TRIPLE_DROP_REASONS = [
  'subject_boundaries_null',
  'subject_boundaries_empty_list',
  'object_boundaries_null',
  'object_boundaries_empty_list',
  'subject_and_object_boundaries_empty',
  'not_aligned_too_few_matches',
  'not_aligned_too_many_matches',
  'invalid_triple',
] as const;
export type TripleDropReason = (typeof TRIPLE_DROP_REASONS)[number];

/** Why a cleaned example was left out of the sub-dataset (the notebook's rules plus the label list). */
export const RELATION_DROP_REASONS = [
  'relation_excluded',
  'relation_not_in_label_list',
  'relation_below_min_count',
] as const;
export type RelationDropReason = (typeof RELATION_DROP_REASONS)[number];

/** Bad input found while reading (skipped unless strict, where it is an error). */
export const ISSUE_REASONS = ['malformed_json', 'invalid_document', 'invalid_triple'] as const;
export type IssueReason = (typeof ISSUE_REASONS)[number];

/** A count per reason, every reason present (0 when it never happened), in the order of `reasons`. */
export function zeroCounts<R extends string>(reasons: readonly R[]): Record<R, number> {
  return Object.fromEntries(reasons.map((r) => [r, 0])) as Record<R, number>;
}

/** Adds `from` into `into`, key by key. */
export function addCounts<R extends string>(into: Record<R, number>, from: Readonly<Record<R, number>>): void {
  for (const key of Object.keys(from) as R[]) into[key] = (into[key] ?? 0) + from[key];
}
