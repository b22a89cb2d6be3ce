import type { Candidate, ContextSource } from './lexical-example.js';
import { LEXICAL_RELATIONS, type LexicalRelation, RELATED, relationCounts } from './relations.js';
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

/**
 * The candidates of one context source, one seeded bottom-k sample per relation (at most
 * `maxPerClass` each; keys `seededUnit(seed, id)`), plus the skip counts. `select` applies the
 * balance rule: every related class keeps its sample, `unrelated` keeps
 * round(mean of the related classes' sizes × `unrelatedRatio`), at most `maxPerClass`.
 */
export class ClassSampler {
  private readonly samples: Record<LexicalRelation, BottomK<Candidate>>;
  readonly skipped = skipCounts();

  constructor(
    readonly source: ContextSource,
    private readonly seed: string,
    private readonly maxPerClass: number,
  ) {
    this.samples = Object.fromEntries(LEXICAL_RELATIONS.map((r) => [r, new BottomK<Candidate>(maxPerClass)])) as Record<
      LexicalRelation,
      BottomK<Candidate>
    >;
  }

  /** Offers an eligible candidate; `make` builds it only when it may be kept. */
  offer(relation: LexicalRelation, id: string, make: () => Candidate): void {
    this.samples[relation].offer(seededUnit(this.seed, id), id, make);
  }

  skip(reason: SkipReason, n = 1): void {
    this.skipped[reason] += n;
  }

  /** The kept candidates of the four related classes (smallest key first within each). */
  related(): Keyed<Candidate>[] {
    return RELATED.flatMap((r) => this.samples[r].items());
  }

  /** The size `unrelated` is cut to, given the related classes' sizes. */
  unrelatedTarget(unrelatedRatio: number): number {
    const sizes = RELATED.map((r) => Math.min(this.samples[r].seen, this.maxPerClass));
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    return Math.min(this.maxPerClass, Math.round(mean * unrelatedRatio));
  }

  /** Applies the balance rule; returns the kept candidates and the counts (with `not_sampled`). */
  select(unrelatedRatio: number): { kept: Keyed<Candidate>[]; counts: SourceCounts } {
    const target = this.unrelatedTarget(unrelatedRatio);
    const candidates = relationCounts();
    const selected = relationCounts();
    const kept: Keyed<Candidate>[] = [];
    for (const r of LEXICAL_RELATIONS) {
      const items = this.samples[r].items();
      const keep = r === 'unrelated' ? items.slice(0, target) : items;
      candidates[r] = this.samples[r].seen;
      selected[r] = keep.length;
      kept.push(...keep);
    }
    const skipped = { ...this.skipped };
    for (const r of LEXICAL_RELATIONS) skipped.not_sampled += candidates[r] - selected[r];
    return { kept, counts: { candidates, skipped, selected } };
  }
}
