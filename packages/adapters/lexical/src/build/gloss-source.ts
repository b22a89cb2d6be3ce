import type { Progress } from '@kadapter/progress';
import type { LexiconSynset, WordNetLexicon } from '../wordnet/lexicon.js';
import type { WordNetPos } from '../wordnet/pos.js';
import type { ClassSampler } from './class-sampler.js';
import { type Candidate, lexicalExample, pairGroup, type SynsetWordRef } from './lexical-example.js';
import { sensesLinked } from './pair-relation.js';
import type { LexicalRelation } from './relations.js';
import { type Keyed, seededUnit } from './sampling.js';

/**
 * Words and punctuation of a definition: runs of letters and digits (with inner `'`, `-` or `.`),
 * and every other non-space character on its own. `(probably descended from the common wolf)` →
 * `( probably descended from the common wolf )`.
 */
export function tokenizeText(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

/** One side of a gloss example: a word of a synset, as it is written and as a lemma. */
interface Side {
  synset: LexiconSynset;
  /** word number - 1 */
  word: number;
}

const wordsOf = (side: Side) => (side.synset.words[side.word] as string).split('_');
const lemmaOf = (side: Side) => side.synset.lemmas[side.word] as string;
const ref = (side: Side): SynsetWordRef => ({ synset: side.synset.id, lemma: lemmaOf(side) });

/**
 * The gloss context of a pair: `<subject> : <definition of the subject's synset> ; <object>`.
 * Only the subject's sense is defined: a context showing both definitions would give synonyms
 * away (their definitions are one and the same).
 */
function glossCandidate(subj: Side, obj: Side, relation: LexicalRelation): Candidate {
  const s = wordsOf(subj);
  const o = wordsOf(obj);
  const token = [...s, ':', ...tokenizeText(subj.synset.definition), ';', ...o];
  const pos = subj.synset.pos;
  return {
    group: pairGroup(pos, lemmaOf(subj), lemmaOf(obj)),
    example: lexicalExample({
      docid: `wordnet:${subj.synset.id}>${obj.synset.id}`,
      token,
      relation,
      subj: { start: 0, end: s.length - 1, lemma: lemmaOf(subj) },
      obj: { start: token.length - o.length, end: token.length - 1, lemma: lemmaOf(obj) },
      source: 'gloss',
      pos,
    }),
    sides: { subj: ref(subj), obj: ref(obj) },
  };
}

const contextLength = (subj: Side, obj: Side, definitionWords: number) =>
  wordsOf(subj).length + definitionWords + 2 + wordsOf(obj).length;

const candidateId = (subj: Side, obj: Side, relation: LexicalRelation) =>
  `gloss|${subj.synset.id}|${lemmaOf(subj)}|${obj.synset.id}|${lemmaOf(obj)}|${relation}`;

export interface GlossSourceOptions {
  maxHypernymDepth: number;
  maxWords: number;
  progress: Progress;
}

/**
 * Offers the related pairs WordNet states, with the gloss context of the subject's synset:
 * two words of one synset (synonym, both orders), a word of a synset and a word of a hypernym
 * within `maxHypernymDepth` `@` steps (hypernym, and the reverse pair as hyponym), and the two
 * words of an antonym pointer (antonym; WordNet lists antonyms both ways). Here the sense is
 * explicit, so the label is the synsets' relation; no rank rule applies. Returns the number of
 * synsets read.
 */
export function offerGlossContexts(
  lexicon: WordNetLexicon,
  sampler: ClassSampler,
  options: GlossSourceOptions,
): number {
  // the number of words of each definition seen so far (the tokens are made again for kept pairs only)
  const lengths = new Map<string, number>();
  const definitionLength = (s: LexiconSynset) => {
    let n = lengths.get(s.id);
    if (n === undefined) {
      n = tokenizeText(s.definition).length;
      lengths.set(s.id, n);
    }
    return n;
  };
  const offer = (subj: Side, obj: Side, relation: LexicalRelation) => {
    if (lemmaOf(subj) === lemmaOf(obj)) return sampler.skip('same_lemma');
    if (contextLength(subj, obj, definitionLength(subj.synset)) > options.maxWords)
      return sampler.skip('context_too_long');
    sampler.offer(relation, subj.synset.pos, candidateId(subj, obj, relation), () =>
      glossCandidate(subj, obj, relation),
    );
  };
  let read = 0;
  for (const synset of lexicon.synsets()) {
    read++;
    options.progress.tick();
    const n = synset.words.length;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) if (a !== b) offer({ synset, word: a }, { synset, word: b }, 'synonym');
    for (const level of lexicon.hypernymLevels(synset.id, options.maxHypernymDepth))
      for (const id of level) {
        const up = lexicon.synset(id);
        if (!up) continue;
        for (let a = 0; a < n; a++)
          for (let b = 0; b < up.words.length; b++) {
            offer({ synset, word: a }, { synset: up, word: b }, 'hypernym');
            offer({ synset: up, word: b }, { synset, word: a }, 'hyponym');
          }
      }
    for (const x of synset.antonyms) {
      const to = lexicon.synset(x.synset);
      if (to) offer({ synset, word: x.word - 1 }, { synset: to, word: x.targetWord - 1 }, 'antonym');
    }
  }
  return read;
}

/**
 * Draws the unrelated gloss pairs by re-pairing the sides of the kept related ones: for each
 * category, `quota[pos]` times the subject (word and synset) of one kept pair with the object of
 * another, both drawn with seeded numbers. The words of `unrelated` thus follow the distribution of
 * those of the related classes, category by category (a model cannot tell the classes apart by
 * word frequency or part of speech). A draw whose lemmas are linked in any way (`sensesLinked`,
 * over every sense and the two synsets), or that repeats an earlier one, is rejected
 * (`repaired_pair_related`); after 20 draws per pair wanted the category stays smaller.
 */
export function offerRepairedUnrelated(
  lexicon: WordNetLexicon,
  related: readonly Keyed<Candidate>[],
  quota: Partial<Record<WordNetPos, number>>,
  seed: string,
  sampler: ClassSampler,
  maxWords: number,
): void {
  for (const [pos, wanted] of Object.entries(quota) as [WordNetPos, number][]) {
    const pool = related.filter((c) => c.item.sides !== undefined && c.item.example.pos === pos);
    const drawn = new Set<string>();
    for (let draw = 1; drawn.size < wanted && draw <= 20 * wanted && pool.length > 0; draw++) {
      const pick = (role: string) =>
        pool[Math.floor(seededUnit(seed, `repair|${pos}|${role}|${draw}`) * pool.length)] as Keyed<Candidate>;
      const subj = side(lexicon, pick('subject').item.sides?.subj as SynsetWordRef);
      const obj = side(lexicon, pick('object').item.sides?.obj as SynsetWordRef);
      const id = candidateId(subj, obj, 'unrelated');
      const A = [subj.synset.id, ...lexicon.senses(lemmaOf(subj), pos)];
      const B = [obj.synset.id, ...lexicon.senses(lemmaOf(obj), pos)];
      if (drawn.has(id) || lemmaOf(subj) === lemmaOf(obj) || sensesLinked(lexicon, A, B)) {
        sampler.skip('repaired_pair_related');
        continue;
      }
      if (contextLength(subj, obj, tokenizeText(subj.synset.definition).length) > maxWords) {
        sampler.skip('context_too_long');
        continue;
      }
      drawn.add(id);
      sampler.offer('unrelated', pos, id, () => glossCandidate(subj, obj, 'unrelated'));
    }
  }
}

function side(lexicon: WordNetLexicon, r: SynsetWordRef): Side {
  const synset = lexicon.synset(r.synset) as LexiconSynset;
  return { synset, word: synset.lemmas.indexOf(r.lemma) };
}
