import { ConfigError } from '@kadapter/core';
import { RELATION_DROP_REASONS, type RelationDropReason, zeroCounts } from './drop-reasons.js';
import { OFFICIAL_TREX_RELATIONS } from './official-relations.js';

/** Which labels the dataset uses: derived from the data, the official 410, or a given list. */
export type LabelSource = 'derived' | 'official' | readonly string[];

export interface SubdatasetOptions {
  /** keep relations with at least this many cleaned examples (the notebook's `min_predicate_num`, default 50) */
  minCount?: number;
  /** relations removed first (default `['P31']`, the notebook's `del examples_fpre['P31']`) */
  excludeRelations?: readonly string[];
  /**
   * `derived` (default): the kept relations in order of first appearance, which is the notebook's
   * `relations.json` order. `official`: the 410 `trex_relations` of utils_glue.py, in their order;
   * a relation outside the list is dropped (`relation_not_in_label_list`). A custom list works the same.
   */
  labels?: LabelSource;
}

/** A relation's fate in the sub-dataset. */
export interface RelationDecision {
  relation: string;
  /** cleaned examples of the relation */
  count: number;
  /** label index when kept */
  label?: number;
  /** why it was dropped, when it was */
  dropReason?: RelationDropReason;
}

export interface RelationSelection {
  /** the label space, label index = position */
  labels: string[];
  /** every relation seen, in order of first appearance (the notebook's group order) */
  decisions: RelationDecision[];
  /** examples dropped per reason */
  examplesDropped: Record<RelationDropReason, number>;
}

/** The label list a `LabelSource` stands for, or undefined for `derived`. */
export function fixedLabels(source: LabelSource): readonly string[] | undefined {
  if (source === 'derived') return undefined;
  if (source === 'official') return OFFICIAL_TREX_RELATIONS;
  if (new Set(source).size !== source.length)
    throw new ConfigError('the label list has duplicates', { field: 'labels' });
  return source;
}

/**
 * The notebook's sub-dataset rules on per-relation counts (given in first-appearance order):
 * drop the excluded relations (P31), drop relations outside a fixed label list, drop relations with
 * fewer than `minCount` examples. A relation is charged to the first rule that drops it.
 */
export function selectRelations(
  counts: ReadonlyArray<{ relation: string; count: number }>,
  options: SubdatasetOptions = {},
): RelationSelection {
  const minCount = options.minCount ?? 50;
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new ConfigError(`minCount must be a positive integer, got ${minCount}`, { field: 'minCount' });
  const excluded = new Set(options.excludeRelations ?? ['P31']);
  const fixed = fixedLabels(options.labels ?? 'derived');
  const index = fixed ? new Map(fixed.map((r, i) => [r, i])) : undefined;
  const examplesDropped = zeroCounts(RELATION_DROP_REASONS);
  const derived: string[] = [];
  const decisions = counts.map(({ relation, count }): RelationDecision => {
    let dropReason: RelationDropReason | undefined;
    if (excluded.has(relation)) dropReason = 'relation_excluded';
    else if (index && !index.has(relation)) dropReason = 'relation_not_in_label_list';
    else if (count < minCount) dropReason = 'relation_below_min_count';
    if (dropReason) {
      examplesDropped[dropReason] += count;
      return { relation, count, dropReason };
    }
    derived.push(relation);
    return { relation, count, label: index ? (index.get(relation) as number) : derived.length - 1 };
  });
  return { labels: fixed ? [...fixed] : derived, decisions, examplesDropped };
}
