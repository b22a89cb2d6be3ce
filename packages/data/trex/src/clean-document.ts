import type { TripleDropReason } from './drop-reasons.js';
import {
  type CheckedDocument,
  checkTrexDocument,
  checkTrexTriple,
  isProblem,
  type RecordProblem,
  type Span,
  type TrexTriple,
} from './trex-document.js';
import type { TrexExample } from './trex-example.js';

/**
 * How entity boundaries are matched to words.
 * - `official`: clean_T_REx.py exactly: one pass over the sentence's words, the boundary list is
 *   overwritten in place as it matches (later comparisons see the word index), and the triple is
 *   kept when the total number of matches is 4. Duplicate word boundaries can then leave a
 *   character offset in the output, as in the official data.
 * - `exact`: each of the four entity ends must match exactly one word of the sentence (compared with
 *   the original character offsets), and start <= end for both entities.
 */
export type Alignment = 'official' | 'exact';

/** A triple that did not become an example, with its index in the document's `triples`. */
export interface TripleDrop {
  triple: number;
  reason: TripleDropReason;
  /** for `invalid_triple`: what is wrong */
  problem?: RecordProblem;
}

export interface CleanedDocument {
  examples: TrexExample[];
  /** triples in the document */
  triples: number;
  drops: TripleDrop[];
}

interface Sentence {
  bounds: Span[];
  words: string[];
}

const lastSegment = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

function emptyReason(subject: number[] | null, object: number[] | null): TripleDropReason | undefined {
  const subjectEmpty = subject === null || subject === undefined || subject.length === 0;
  const objectEmpty = object === null || object === undefined || object.length === 0;
  if (subjectEmpty && objectEmpty) return 'subject_and_object_boundaries_empty';
  if (subjectEmpty)
    return subject === null || subject === undefined ? 'subject_boundaries_null' : 'subject_boundaries_empty_list';
  if (objectEmpty)
    return object === null || object === undefined ? 'object_boundaries_null' : 'object_boundaries_empty_list';
  return undefined;
}

/** clean_T_REx.py:89-106, on copies of the boundary lists. Returns the word indices or the drop reason. */
function alignOfficial(words: Span[], e1: number[], e2: number[]): number[] | TripleDropReason {
  const s = [e1[0] as number, e1[1] as number];
  const o = [e2[0] as number, e2[1] as number];
  let count = 0;
  for (let j = 0; j < words.length; j++) {
    const [start, end] = words[j] as Span;
    if (start === s[0]) {
      s[0] = j;
      count++;
    }
    if (end === s[1]) {
      s[1] = j;
      count++;
    }
    if (start === o[0]) {
      o[0] = j;
      count++;
    }
    if (end === o[1]) {
      o[1] = j;
      count++;
    }
  }
  if (count < 4) return 'not_aligned_too_few_matches';
  if (count > 4) return 'not_aligned_too_many_matches';
  return [s[0] as number, s[1] as number, o[0] as number, o[1] as number];
}

/** Each end must match exactly one word; spans must not be reversed. */
function alignExact(words: Span[], e1: number[], e2: number[]): number[] | TripleDropReason {
  const targets = [e1[0], e1[1], e2[0], e2[1]] as number[];
  const found = [-1, -1, -1, -1];
  for (let j = 0; j < words.length; j++) {
    const [start, end] = words[j] as Span;
    for (let k = 0; k < 4; k++) {
      if ((k % 2 === 0 ? start : end) !== targets[k]) continue;
      if (found[k] !== -1) return 'not_aligned_too_many_matches';
      found[k] = j;
    }
  }
  if (found.includes(-1)) return 'not_aligned_too_few_matches';
  if ((found[0] as number) > (found[1] as number) || (found[2] as number) > (found[3] as number))
    return 'not_aligned_too_few_matches';
  return found;
}

/**
 * The official cleaning of one raw T-REx document (clean_T_REx.py `func`, lines 66-116) as a pure
 * function: each triple becomes a `trex-rc` example (sentence words, inclusive word indices of
 * both entities inside the sentence) or a drop with its reason. Examples come out in triple order.
 * The input is never modified. A malformed document is returned as a `RecordProblem`.
 */
export function cleanTrexDocument(value: unknown, alignment: Alignment = 'official'): CleanedDocument | RecordProblem {
  const checked = checkTrexDocument(value);
  if (isProblem(checked)) return checked;
  return cleanChecked(checked, alignment);
}

function cleanChecked({ doc, text }: CheckedDocument, alignment: Alignment): CleanedDocument {
  const sentences = new Map<number, Sentence>();
  const sentenceOf = (id: number): Sentence => {
    let sentence = sentences.get(id);
    if (sentence === undefined) {
      const [from, to] = doc.sentences_boundaries[id] as Span;
      const bounds = doc.words_boundaries.filter(([start, end]) => start >= from && end <= to);
      sentence = { bounds, words: bounds.map(([start, end]) => text.slice(start, end)) };
      sentences.set(id, sentence);
    }
    return sentence;
  };
  const docid = lastSegment(doc.docid);
  const align = alignment === 'exact' ? alignExact : alignOfficial;
  const examples: TrexExample[] = [];
  const drops: TripleDrop[] = [];
  doc.triples.forEach((raw, t) => {
    const triple = checkTrexTriple(raw, doc.sentences_boundaries.length, `triples[${t}]`);
    if (isProblem(triple)) {
      drops.push({ triple: t, reason: 'invalid_triple', problem: triple });
      return;
    }
    const example = cleanTriple(triple, sentenceOf, align, docid);
    if (typeof example === 'string') drops.push({ triple: t, reason: example });
    else examples.push(example);
  });
  return { examples, triples: doc.triples.length, drops };
}

function cleanTriple(
  triple: TrexTriple,
  sentenceOf: (id: number) => Sentence,
  align: (words: Span[], e1: number[], e2: number[]) => number[] | TripleDropReason,
  docid: string,
): TrexExample | TripleDropReason {
  const e1 = triple.subject.boundaries;
  const e2 = triple.object.boundaries;
  const empty = emptyReason(e1, e2);
  if (empty) return empty;
  const sentence = sentenceOf(triple.sentence_id);
  const aligned = align(sentence.bounds, e1 as number[], e2 as number[]);
  if (typeof aligned === 'string') return aligned;
  return {
    docid,
    token: sentence.words.slice(),
    relation: lastSegment(triple.predicate.uri),
    subj_start: aligned[0] as number,
    subj_end: aligned[1] as number,
    obj_start: aligned[2] as number,
    obj_end: aligned[3] as number,
    subj_label: lastSegment(triple.subject.uri),
    obj_label: lastSegment(triple.object.uri),
  };
}
