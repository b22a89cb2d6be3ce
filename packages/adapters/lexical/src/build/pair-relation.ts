import type { WordNetLexicon } from '../wordnet/lexicon.js';
import type { SynsetId, WordNetPos } from '../wordnet/pos.js';
import type { LexicalRelation, RelatedRelation } from './relations.js';

/** Which senses and how deep a hierarchy count when two lemmas are labelled. */
export interface RelationRules {
  /** only a lemma's first `maxSenseRank` senses (index order, most frequent first) give a label */
  maxSenseRank: number;
  /** a hypernym at most this many `@` steps up (1 = direct hypernyms only) */
  maxHypernymDepth: number;
}

/** Why a pair of lemmas found in one context gives no example. */
export type PairSkip = 'same_lemma' | 'conflicting_relations' | 'weakly_related';

/**
 * The relations that object sense `sb` (word `b`) has to subject sense `sa` (word `a`): the same
 * synset (synonym), `sb` a hypernym of `sa` within the depth (hypernym) or the reverse (hyponym),
 * an antonym pointer from word `a` of `sa` to word `b` of `sb` (antonym).
 */
export function senseRelations(
  lexicon: WordNetLexicon,
  sa: SynsetId,
  a: string,
  sb: SynsetId,
  b: string,
  maxHypernymDepth: number,
): RelatedRelation[] {
  const found: RelatedRelation[] = [];
  if (sa === sb) found.push('synonym');
  if (lexicon.hypernymDistance(sa, sb, maxHypernymDepth) !== undefined) found.push('hypernym');
  if (lexicon.hypernymDistance(sb, sa, maxHypernymDepth) !== undefined) found.push('hyponym');
  const from = lexicon.synset(sa);
  const to = lexicon.synset(sb);
  if (from && to) {
    const word = from.lemmas.indexOf(a) + 1;
    const targetWord = to.lemmas.indexOf(b) + 1;
    if (from.antonyms.some((x) => x.word === word && x.synset === sb && x.targetWord === targetWord))
      found.push('antonym');
  }
  return found;
}

/**
 * True when some sense of one lemma and some sense of the other are the same synset, lie on one
 * hypernym path (`@` or `@i`, any depth), or are joined by a pointer of any kind (antonym,
 * meronym, similar-to, derivation, ...). Pairs for which this is false are `unrelated`.
 */
export function sensesLinked(lexicon: WordNetLexicon, A: readonly SynsetId[], B: readonly SynsetId[]): boolean {
  for (const sa of A)
    for (const sb of B) {
      if (sa === sb || lexicon.ancestors(sa).has(sb) || lexicon.ancestors(sb).has(sa)) return true;
      if (lexicon.synset(sa)?.linked.includes(sb) || lexicon.synset(sb)?.linked.includes(sa)) return true;
    }
  return false;
}

/**
 * Labels two lemmas of one category found in one context, `relation(a, b)`:
 * - the same lemma: skipped (`same_lemma`);
 * - exactly one relation between their first `maxSenseRank` senses: that relation;
 * - more than one (say synonyms in one sense, hypernym in another): skipped (`conflicting_relations`);
 * - none there, but linked through rarer senses, deeper hypernyms or other pointers: skipped
 *   (`weakly_related`), neither related enough nor safely unrelated;
 * - not linked at all: `unrelated`.
 */
export function lemmaPairRelation(
  lexicon: WordNetLexicon,
  pos: WordNetPos,
  a: string,
  b: string,
  rules: RelationRules,
): { relation: LexicalRelation } | { skip: PairSkip } {
  if (a === b) return { skip: 'same_lemma' };
  const A = lexicon.senses(a, pos);
  const B = lexicon.senses(b, pos);
  const found = new Set<RelatedRelation>();
  for (const sa of A.slice(0, rules.maxSenseRank))
    for (const sb of B.slice(0, rules.maxSenseRank))
      for (const r of senseRelations(lexicon, sa, a, sb, b, rules.maxHypernymDepth)) found.add(r);
  if (found.size === 1) return { relation: [...found][0] as RelatedRelation };
  if (found.size > 1) return { skip: 'conflicting_relations' };
  return sensesLinked(lexicon, A, B) ? { skip: 'weakly_related' } : { relation: 'unrelated' };
}
