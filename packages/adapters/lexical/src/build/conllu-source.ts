import { basename } from 'node:path';
import { type ConlluIssue, readConllu } from '@kadapter/data-dependency';
import type { Progress } from '@kadapter/progress';
import type { WordNetLexicon } from '../wordnet/lexicon.js';
import type { WordNetPos } from '../wordnet/pos.js';
import type { ClassSampler } from './class-sampler.js';
import { lexicalExample, pairGroup } from './lexical-example.js';
import { lemmaPairRelation, type RelationRules } from './pair-relation.js';

/** Universal POS tags that can be a WordNet word of a category (PROPN, AUX and the rest cannot). */
const UPOS_CATEGORY: Readonly<Record<string, WordNetPos>> = { NOUN: 'n', VERB: 'v', ADJ: 'a' };

/** A run of sentence words that is one WordNet lemma. Indices are 0-based and inclusive. */
export interface WordSpan {
  start: number;
  end: number;
  /** the WordNet lemma: lower case, `_` between words */
  lemma: string;
  pos: WordNetPos;
}

/** What the matching reads of a treebank word: LEMMA, UPOS and HEAD (1-based, 0 = root). */
export interface TaggedWord {
  lemma: string;
  upos: string;
  head: number;
}

/**
 * Finds WordNet lemmas in a sentence by its lemmas, left to right, longest first, without
 * overlaps: at each word, the longest run of treebank lemmas (lower-cased, joined by `_`) that is
 * a WordNet lemma of a category one of its words is tagged with (NOUN → noun, VERB → verb,
 * ADJ → adjective). A run of several words must also be one unit of the tree: all its words but
 * one depend on a word inside it (`ice cream`, `give up`, `not bad` are; the `going to` of
 * `going to attend`, whose `to` belongs to `attend`, is not). Other words are skipped.
 */
export function wordNetSpans(words: readonly TaggedWord[], lexicon: WordNetLexicon): WordSpan[] {
  const lemmas = words.map((w) => w.lemma.toLowerCase());
  const tags = words.map((w) => UPOS_CATEGORY[w.upos]);
  const spans: WordSpan[] = [];
  for (let i = 0; i < words.length; ) {
    const span = longestAt(i, words, lemmas, tags, lexicon);
    if (span) spans.push(span);
    i = span ? span.end + 1 : i + 1;
  }
  return spans;
}

/** True when exactly one word of words[start..end] has its head outside that run. */
function oneUnit(words: readonly TaggedWord[], start: number, end: number): boolean {
  let outside = 0;
  for (let i = start; i <= end; i++) {
    const head = (words[i] as TaggedWord).head - 1;
    if (head < start || head > end) outside++;
  }
  return outside === 1;
}

function longestAt(
  i: number,
  words: readonly TaggedWord[],
  lemmas: readonly string[],
  tags: readonly (WordNetPos | undefined)[],
  lexicon: WordNetLexicon,
): WordSpan | undefined {
  for (let n = Math.min(lexicon.longestLemma, lemmas.length - i); n >= 1; n--) {
    const part = lemmas.slice(i, i + n);
    if (part.some((l) => l === '' || l === '_' || l.includes(' '))) continue;
    if (n > 1 && !oneUnit(words, i, i + n - 1)) continue;
    const lemma = part.join('_');
    const partTags = tags.slice(i, i + n);
    for (const pos of ['n', 'v', 'a'] as const)
      if (partTags.includes(pos) && lexicon.has(lemma, pos)) return { start: i, end: i + n - 1, lemma, pos };
  }
  return undefined;
}

/** Per-sentence counts of the treebank pass. */
export interface SentenceCounts {
  read: number;
  /** rejected by the CoNLL-U reader (not counted in `read`) */
  invalid: number;
  /** more than `maxWords` words: not searched */
  tooLong: number;
  /** gave at least one candidate pair */
  used: number;
}

export interface ConlluSourceOptions {
  rules: RelationRules;
  maxWords: number;
  /** an invalid sentence is an error instead of a skip */
  strict: boolean;
  progress: Progress;
}

/**
 * Streams the sentences of CoNLL-U files and offers every ordered pair of WordNet spans of one
 * category in one sentence to the sampler, labelled by `lemmaPairRelation` (or counts why not).
 * The context is the sentence's words (FORM); `docid` its `sent_id` (else `<file>:<line>`).
 */
export async function offerConlluContexts(
  files: readonly string[],
  lexicon: WordNetLexicon,
  sampler: ClassSampler,
  options: ConlluSourceOptions,
): Promise<SentenceCounts> {
  const counts: SentenceCounts = { read: 0, invalid: 0, tooLong: 0, used: 0 };
  const onInvalid = options.strict ? undefined : (_issue: ConlluIssue) => void counts.invalid++;
  for (const file of files) {
    for await (const sentence of readConllu(file, { onInvalid })) {
      counts.read++;
      options.progress.tick();
      if (sentence.words.length > options.maxWords) {
        counts.tooLong++;
        continue;
      }
      const spans = wordNetSpans(sentence.words, lexicon);
      const docid = sentence.sentId ?? `${basename(file)}:${sentence.line}`;
      const token = sentence.words.map((w) => w.form);
      let offered = false;
      for (const subj of spans)
        for (const obj of spans) {
          if (subj === obj || subj.pos !== obj.pos) continue;
          const verdict = lemmaPairRelation(lexicon, subj.pos, subj.lemma, obj.lemma, options.rules);
          if ('skip' in verdict) {
            sampler.skip(verdict.skip);
            continue;
          }
          offered = true;
          const { relation } = verdict;
          const id = `conllu|${docid}|${subj.start}-${subj.end}|${obj.start}-${obj.end}`;
          sampler.offer(relation, subj.pos, id, () => ({
            group: pairGroup(subj.pos, subj.lemma, obj.lemma),
            example: lexicalExample({ docid, token, relation, subj, obj, source: 'conllu', pos: subj.pos }),
          }));
        }
      if (offered) counts.used++;
    }
  }
  return counts;
}
