import type { WordNetPos } from '../wordnet/pos.js';
import type { Candidate, ContextSource } from './lexical-example.js';
import { type LexicalRelation, RELATED, type RelatedRelation, relationCounts } from './relations.js';
import { BottomK, type Keyed, seededUnit } from './sampling.js';
import { type SkipReason, skipCounts } from './skip-reasons.js';

/** What one source offered, skipped and kept, per relation and per reason. */
export interface SourceCounts {
  /** eligible candidates offered, per relation */
  candidates: Record<LexicalRelation, number>;
  skipped: Record<SkipReason, number>;
  /** examples kept, per relation */
  selected: Record<LexicalRelation, number>;
}

const CATEGORIES: readonly WordNetPos[] = ['n', 'v', 'a', 'r'];

/**
 * Splits `total` over categories in proportion to `weights` (largest remainder, ties in n, v, a, r
 * order), so the parts add up to `total` exactly.
 */
export function proportionalQuota(
  total: number,
  weights: Partial<Record<WordNetPos, number>>,
): Partial<Record<WordNetPos, number>> {
  const sum = CATEGORIES.reduce((a, p) => a + (weights[p] ?? 0), 0);
  if (sum === 0 || total === 0) return {};
  const exact = CATEGORIES.map((p) => (total * (weights[p] ?? 0)) / sum);
  const quota = exact.map(Math.floor);
  let left = total - quota.reduce((a, b) => a + b, 0);
  const order = CATEGORIES.map((_, i) => i).sort((i, j) => exact[j]! - quota[j]! - (exact[i]! - quota[i]!) || i - j);
  for (const i of order) {
    if (left === 0) break;
    quota[i]!++;
    left--;
  }
  return Object.fromEntries(CATEGORIES.map((p, i) => [p, quota[i]]).filter(([, q]) => (q as number) > 0));
}

/**
 * The candidates of one context source, as seeded bottom-k samples (keys `seededUnit(seed, id)`):
 * one per related relation, at most `maxPerClass` each, and one per category for `unrelated`.
 * The balance rule (`select`): every related class keeps its sample; `unrelated` keeps
 * round(mean of the four related class sizes × `unrelatedRatio`), at most `maxPerClass`, spread
 * over the categories as the related examples are (`unrelatedQuota`), so neither the class sizes
 * nor the part of speech tell `unrelated` apart.
 */
export class ClassSampler {
  private readonly related: Record<RelatedRelation, BottomK<Candidate>>;
  private readonly unrelated = new Map<WordNetPos, BottomK<Candidate>>();
  readonly skipped = skipCounts();

  constructor(
    readonly source: ContextSource,
    private readonly seed: string,
    private readonly maxPerClass: number,
  ) {
    const samples = RELATED.map((r) => [r, new BottomK<Candidate>(maxPerClass)]);
    this.related = Object.fromEntries(samples) as Record<RelatedRelation, BottomK<Candidate>>;
  }

  /** Offers an eligible candidate; `make` builds it only when it may be kept. */
  offer(relation: LexicalRelation, pos: WordNetPos, id: string, make: () => Candidate): void {
    const key = seededUnit(this.seed, id);
    if (relation !== 'unrelated') {
      this.related[relation].offer(key, id, make);
      return;
    }
    let sample = this.unrelated.get(pos);
    if (!sample) {
      sample = new BottomK<Candidate>(this.maxPerClass);
      this.unrelated.set(pos, sample);
    }
    sample.offer(key, id, make);
  }

  skip(reason: SkipReason, n = 1): void {
    this.skipped[reason] += n;
  }

  /** The kept candidates of the four related classes (smallest key first within each). */
  relatedItems(): Keyed<Candidate>[] {
    return RELATED.flatMap((r) => this.related[r].items());
  }

  /** How many `unrelated` examples each category gets. */
  unrelatedQuota(unrelatedRatio: number): Partial<Record<WordNetPos, number>> {
    const sizes = RELATED.map((r) => Math.min(this.related[r].seen, this.maxPerClass));
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const target = Math.min(this.maxPerClass, Math.round(mean * unrelatedRatio));
    const weights: Partial<Record<WordNetPos, number>> = {};
    for (const { item } of this.relatedItems()) weights[item.example.pos] = (weights[item.example.pos] ?? 0) + 1;
    return proportionalQuota(target, weights);
  }

  /** Applies the balance rule; returns the kept candidates and the counts (with `not_sampled`). */
  select(unrelatedRatio: number): { kept: Keyed<Candidate>[]; counts: SourceCounts } {
    const candidates = relationCounts();
    const selected = relationCounts();
    const kept: Keyed<Candidate>[] = [];
    for (const r of RELATED) {
      const items = this.related[r].items();
      candidates[r] = this.related[r].seen;
      selected[r] = items.length;
      kept.push(...items);
    }
    const quota = this.unrelatedQuota(unrelatedRatio);
    for (const pos of CATEGORIES) {
      const sample = this.unrelated.get(pos);
      if (!sample) continue;
      const items = sample.items().slice(0, quota[pos] ?? 0);
      candidates.unrelated += sample.seen;
      selected.unrelated += items.length;
      kept.push(...items);
    }
    const skipped = { ...this.skipped };
    for (const r of Object.keys(candidates) as LexicalRelation[]) skipped.not_sampled += candidates[r] - selected[r];
    return { kept, counts: { candidates, skipped, selected } };
  }
}
