import type { ConlluSentence } from './conllu-sentence.js';
import type { CharSpan, FindHeadExample } from './find-head.js';

/** What the conversion noticed (counted by the builder). */
export interface ConversionNotes {
  /** the rebuilt `sent` differs from `# text` */
  textMismatch: boolean;
  /** multiword tokens whose word forms do not concatenate to the surface form (words get the whole span) */
  multiwordMismatches: number;
}

const cpLength = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Converts a CoNLL-U sentence to `find_head`: `sent` is rebuilt from the surface tokens (FORM of
 * words and of multiword ranges, a space after each token unless `SpaceAfter=No`, none after the
 * last); each word's span is its token's span, and words inside a multiword token get the slices
 * of the surface form that their forms concatenate to (all of it when they do not); `pairs` lists
 * every word's head and relation in word order. Offsets are code points.
 */
export function conlluToFindHead(sentence: ConlluSentence): { example: FindHeadExample; notes: ConversionNotes } {
  const spans: CharSpan[] = new Array(sentence.words.length);
  const ranges = new Map(sentence.multiwordTokens.map((m) => [m.start, m]));
  const parts: string[] = [];
  let offset = 0;
  let multiwordMismatches = 0;
  const emit = (form: string, spaceAfter: boolean, last: boolean): number => {
    const start = offset;
    parts.push(form);
    offset += cpLength(form);
    if (spaceAfter && !last) {
      parts.push(' ');
      offset += 1;
    }
    return start;
  };
  let i = 0;
  while (i < sentence.words.length) {
    const word = sentence.words[i] as (typeof sentence.words)[number];
    const mw = ranges.get(word.id);
    if (!mw) {
      const start = emit(word.form, word.spaceAfter, i === sentence.words.length - 1);
      spans[i] = { start, end: start + cpLength(word.form) };
      i++;
      continue;
    }
    const inner = sentence.words.slice(mw.start - 1, mw.end);
    const start = emit(mw.form, mw.spaceAfter, mw.end === sentence.words.length);
    const whole = { start, end: start + cpLength(mw.form) };
    const concatenates = inner.map((w) => w.form).join('') === mw.form;
    if (!concatenates) multiwordMismatches++;
    let at = start;
    for (const w of inner) {
      const len = cpLength(w.form);
      spans[w.id - 1] = concatenates ? { start: at, end: at + len } : { ...whole };
      at += len;
    }
    i = mw.end;
  }
  const sent = parts.join('');
  return {
    example: {
      sent,
      tokens: spans.map((span, k) => ({ [String(k + 1)]: span })),
      pairs: sentence.words.map((w) => ({ dependent_index: w.id, governor_index: w.head, relation: w.deprel })),
    },
    notes: { textMismatch: sentence.text !== undefined && sentence.text !== sent, multiwordMismatches },
  };
}
