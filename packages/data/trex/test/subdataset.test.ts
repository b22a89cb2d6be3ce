import { ConfigError } from '@kadapter/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_TREX_RELATIONS, seededPermutation, selectRelations, splitSizes } from '../src/index.js';
import { CLEAN_FIXTURE, readJson } from './helpers.js';

interface SubCounts {
  groups_before_p31_drop: Record<string, number>;
  relations_kept: string[];
  relations_discarded: string[];
  examples_kept: number;
  examples_dropped_by_min_predicate_num: number;
  notebook_relations_json: Record<string, number>;
}
interface Counts {
  subdataset: { min1: SubCounts; min50: SubCounts };
  utils_glue_trex_relations: { size: number; index_of_kept_relations: Record<string, number | null> };
}

describe('selectRelations (the notebook rules)', () => {
  let counts: Counts;
  let groups: Array<{ relation: string; count: number }>;
  beforeAll(async () => {
    counts = await readJson<Counts>(CLEAN_FIXTURE('counts.json'));
    groups = Object.entries(counts.subdataset.min1.groups_before_p31_drop).map(([relation, count]) => ({
      relation,
      count,
    }));
  });

  it('min 1 keeps all 8 relations with the notebook relations.json order', () => {
    const s = selectRelations(groups, { minCount: 1 });
    const min1 = counts.subdataset.min1;
    expect(s.labels).toEqual(min1.relations_kept);
    expect(Object.fromEntries(s.labels.map((r, i) => [r, i]))).toEqual(min1.notebook_relations_json);
    expect(s.decisions.filter((d) => d.label !== undefined).reduce((n, d) => n + d.count, 0)).toBe(min1.examples_kept);
  });

  it('min 50 (the default) discards everything on the sample', () => {
    const s = selectRelations(groups);
    const min50 = counts.subdataset.min50;
    expect(s.labels).toEqual([]);
    expect(s.decisions.filter((d) => d.dropReason === 'relation_below_min_count').map((d) => d.relation)).toEqual(
      min50.relations_discarded,
    );
    expect(s.examplesDropped.relation_below_min_count).toBe(min50.examples_dropped_by_min_predicate_num);
  });

  it('the official label list: 410 ids, indices as in utils_glue, P729 dropped as outside the list', () => {
    expect(OFFICIAL_TREX_RELATIONS).toHaveLength(counts.utils_glue_trex_relations.size);
    const s = selectRelations(groups, { minCount: 1, labels: 'official' });
    expect(s.labels).toEqual(OFFICIAL_TREX_RELATIONS);
    const expectedIndex = counts.utils_glue_trex_relations.index_of_kept_relations;
    for (const d of s.decisions) {
      if (expectedIndex[d.relation] === null) expect(d.dropReason).toBe('relation_not_in_label_list');
      else expect(d.label).toBe(expectedIndex[d.relation]);
    }
    expect(s.examplesDropped.relation_not_in_label_list).toBe(counts.subdataset.min1.groups_before_p31_drop.P729);
  });

  it('the official label list is pinned: 410 distinct ids from P178 to P720, without P31, in the fixture order', () => {
    // utils_glue.py:384-418 of the official code (kadapter-spec.md: a fixed, ordered list of 410 ids)
    expect(OFFICIAL_TREX_RELATIONS).toHaveLength(410);
    expect(new Set(OFFICIAL_TREX_RELATIONS).size).toBe(410);
    expect([OFFICIAL_TREX_RELATIONS[0], OFFICIAL_TREX_RELATIONS.at(-1)]).toEqual(['P178', 'P720']);
    expect(OFFICIAL_TREX_RELATIONS).not.toContain('P31');
    expect(Object.isFrozen(OFFICIAL_TREX_RELATIONS)).toBe(true);
    for (const [relation, index] of Object.entries(counts.utils_glue_trex_relations.index_of_kept_relations)) {
      if (index !== null) expect(OFFICIAL_TREX_RELATIONS[index], relation).toBe(relation);
      else expect(OFFICIAL_TREX_RELATIONS).not.toContain(relation);
    }
  });

  it('drops P31 first, charges each relation to the first rule that drops it', () => {
    const s = selectRelations(
      [
        { relation: 'P31', count: 100 },
        { relation: 'P729', count: 2 },
        { relation: 'P17', count: 3 },
        { relation: 'P47', count: 60 },
      ],
      { minCount: 50, labels: 'official' },
    );
    expect(s.decisions.map((d) => d.dropReason ?? d.label)).toEqual([
      'relation_excluded',
      'relation_not_in_label_list',
      'relation_below_min_count',
      7,
    ]);
    expect(s.examplesDropped).toEqual({
      relation_excluded: 100,
      relation_not_in_label_list: 2,
      relation_below_min_count: 3,
    });
  });

  it('rejects bad options with ConfigError', () => {
    expect(() => selectRelations(groups, { minCount: 0 })).toThrow(ConfigError);
    expect(() => selectRelations(groups, { labels: ['P1', 'P1'] })).toThrow(ConfigError);
  });
});

describe('seeded split', () => {
  it('uses seedrandom (ARC4) with the documented values', () => {
    // seedrandom README: seedrandom('hello.') gives 0.9282578795792454, then 0.3752569768646784.
    // n=3, i=2: j=floor(0.928*3)=2 (no swap); i=1: j=floor(0.375*2)=0 (swap 0 and 1).
    expect(Array.from(seededPermutation(3, 'hello.'))).toEqual([1, 0, 2]);
  });

  it('is a permutation, reproducible by seed, different across seeds', () => {
    const a = seededPermutation(1000, 42);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(seededPermutation(1000, '42')).toEqual(a);
    expect(seededPermutation(1000, 43)).not.toEqual(a);
  });

  it('train = int(n * 0.9) like the notebook', () => {
    // values of Python int(n * 0.9): 99 -> 89, 10 -> 9, 0 -> 0, 1 -> 0, 5532 -> 4978
    expect([99, 10, 0, 1, 5532].map((n) => splitSizes(n, 0.1).train)).toEqual([89, 9, 0, 0, 4978]);
    expect(splitSizes(99, 0.1)).toEqual({ train: 89, dev: 10 });
    expect(splitSizes(7, 0)).toEqual({ train: 7, dev: 0 });
    expect(() => splitSizes(7, 1.5)).toThrow(ConfigError);
  });
});
