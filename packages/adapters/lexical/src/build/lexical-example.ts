import type { TrexExample } from '@kadapter/data-trex';
import type { SynsetId, WordNetPos } from '../wordnet/pos.js';
import type { LexicalRelation } from './relations.js';

/** Where an example's context comes from: a treebank sentence, or a WordNet gloss. */
export type ContextSource = 'conllu' | 'gloss';

export const CONTEXT_SOURCES: readonly ContextSource[] = ['conllu', 'gloss'];

/**
 * One lexical example: a `trex-rc` example (the fields and order of `@kadapter/data-trex`, which the
 * `trex` encoder of `@kadapter/data-encode` reads) whose subject and object are the two words of a
 * WordNet lemma pair, plus where it came from. `subj_label` / `obj_label` are the WordNet lemmas
 * (lower case, spaces between words); `docid` is the sentence id or the two synsets.
 */
export interface LexicalExample extends TrexExample {
  relation: LexicalRelation;
  source: ContextSource;
  /** the WordNet category of both words */
  pos: WordNetPos;
}

/** A word of a synset, as one side of a gloss example. */
export interface SynsetWordRef {
  synset: SynsetId;
  /** lower case, `_` between words */
  lemma: string;
}

/** An example before sampling: its split group (the unordered lemma pair) and, for glosses, its sides. */
export interface Candidate {
  group: string;
  example: LexicalExample;
  sides?: { subj: SynsetWordRef; obj: SynsetWordRef };
}

/** The split group of a lemma pair: category and the two lemmas in code-unit order. */
export function pairGroup(pos: WordNetPos, a: string, b: string): string {
  return a < b ? `${pos}:${a}|${b}` : `${pos}:${b}|${a}`;
}

/** A WordNet lemma as a label: `domestic_dog` → `domestic dog`. */
export const lemmaLabel = (lemma: string): string => lemma.replace(/_/g, ' ');

/** Builds an example with the fields in the written order (trex-rc order, then source and pos). */
export function lexicalExample(e: {
  docid: string;
  token: string[];
  relation: LexicalRelation;
  subj: { start: number; end: number; lemma: string };
  obj: { start: number; end: number; lemma: string };
  source: ContextSource;
  pos: WordNetPos;
}): LexicalExample {
  return {
    docid: e.docid,
    token: e.token,
    relation: e.relation,
    subj_start: e.subj.start,
    subj_end: e.subj.end,
    obj_start: e.obj.start,
    obj_end: e.obj.end,
    subj_label: lemmaLabel(e.subj.lemma),
    obj_label: lemmaLabel(e.obj.lemma),
    source: e.source,
    pos: e.pos,
  };
}
