import { DataError } from '@kadapter/core';
import { readLines } from '@kadapter/files';
import type { ConlluMultiwordToken, ConlluSentence, ConlluWord } from './conllu-sentence.js';

/** Why a CoNLL-U sentence was rejected. */
export const CONLLU_ISSUE_REASONS = [
  'wrong_column_count',
  'bad_id',
  'bad_head',
  'bad_deprel',
  'non_consecutive_ids',
  'head_out_of_range',
  'bad_multiword_range',
  'empty_sentence',
] as const;
export type ConlluIssueReason = (typeof CONLLU_ISSUE_REASONS)[number];

/** A rejected sentence: file, line, column and why. */
export interface ConlluIssue {
  reason: ConlluIssueReason;
  file: string;
  line: number;
  field: string;
  message: string;
}

export interface ReadConlluOptions {
  /** called for each bad sentence, which is then skipped; without it the first one throws a DataError */
  onInvalid?: (issue: ConlluIssue) => void;
}

const COLUMNS = ['ID', 'FORM', 'LEMMA', 'UPOS', 'XPOS', 'FEATS', 'HEAD', 'DEPREL', 'DEPS', 'MISC'];

class Reject {
  constructor(
    readonly reason: ConlluIssueReason,
    readonly line: number,
    readonly field: string,
    readonly message: string,
  ) {}
}

const spaceAfter = (misc: string) => !misc.split('|').includes('SpaceAfter=No');

/** Parses one token line into the sentence being built. */
function addLine(s: ConlluSentence, text: string, line: number): void {
  const cols = text.split('\t');
  if (cols.length !== COLUMNS.length)
    throw new Reject('wrong_column_count', line, 'columns', `expected 10 tab-separated columns, got ${cols.length}`);
  const [id, form, lemma, upos, , , head, deprel, , misc] = cols as [string, string, ...string[]];
  if (/^\d+\.\d+$/.test(id)) {
    s.emptyNodes++;
    return;
  }
  const range = /^(\d+)-(\d+)$/.exec(id);
  if (range) {
    const mw: ConlluMultiwordToken = {
      start: Number(range[1]),
      end: Number(range[2]),
      form,
      spaceAfter: spaceAfter(misc as string),
      line,
    };
    if (mw.start > mw.end || mw.start !== s.words.length + 1)
      throw new Reject('bad_multiword_range', line, 'ID', `range ${id} does not start at the next word`);
    s.multiwordTokens.push(mw);
    return;
  }
  if (!/^[1-9]\d*$/.test(id))
    throw new Reject('bad_id', line, 'ID', `not a word, range or empty-node ID: ${JSON.stringify(id)}`);
  if (Number(id) !== s.words.length + 1)
    throw new Reject('non_consecutive_ids', line, 'ID', `expected word ${s.words.length + 1}, got ${id}`);
  if (!/^\d+$/.test(head as string))
    throw new Reject('bad_head', line, 'HEAD', `expected an integer head, got ${JSON.stringify(head)}`);
  if (!deprel || deprel === '_') throw new Reject('bad_deprel', line, 'DEPREL', 'missing relation');
  const word: ConlluWord = {
    id: Number(id),
    form,
    lemma: lemma as string,
    upos: upos as string,
    head: Number(head),
    deprel,
    spaceAfter: spaceAfter(misc as string),
    line,
  };
  s.words.push(word);
}

/** Checks what needs the whole sentence: heads inside it, ranges covering words that exist. */
function finish(s: ConlluSentence): void {
  if (s.words.length === 0) throw new Reject('empty_sentence', s.line, 'ID', 'sentence without words');
  for (const w of s.words)
    if (w.head > s.words.length)
      throw new Reject('head_out_of_range', w.line, 'HEAD', `head ${w.head} > ${s.words.length} words`);
  for (const mw of s.multiwordTokens)
    if (mw.end > s.words.length)
      throw new Reject('bad_multiword_range', mw.line, 'ID', `range ${mw.start}-${mw.end} beyond the last word`);
}

/**
 * Streams the sentences of a CoNLL-U file (https://universaldependencies.org/format.html). Keeps
 * the basic tree (integer-ID lines), multiword-token ranges (for the surface text) and counts empty
 * nodes. A bad sentence (wrong column count, bad ID or HEAD, IDs out of order, head beyond the
 * sentence) is reported with its file, line and column, then skipped through `onInvalid`, or
 * thrown as a DataError without it.
 */
export async function* readConllu(file: string, options: ReadConlluOptions = {}): AsyncGenerator<ConlluSentence> {
  let current: ConlluSentence | undefined;
  let rejected: Reject | undefined;
  const fresh = (line: number): ConlluSentence => ({ words: [], multiwordTokens: [], emptyNodes: 0, line });
  const report = (r: Reject) => {
    const issue: ConlluIssue = { reason: r.reason, file, line: r.line, field: r.field, message: r.message };
    if (!options.onInvalid) throw new DataError(`${r.reason}: ${r.message}`, { file, line: r.line, field: r.field });
    options.onInvalid(issue);
  };
  const close = (): ConlluSentence | undefined => {
    const s = current;
    const r = rejected;
    current = undefined;
    rejected = undefined;
    if (r) {
      report(r);
      return undefined;
    }
    if (!s) return undefined;
    try {
      finish(s);
    } catch (err) {
      if (!(err instanceof Reject)) throw err;
      report(err);
      return undefined;
    }
    return s;
  };
  for await (const { line, number } of readLines(file)) {
    if (line.trim() === '') {
      const s = close();
      if (s) yield s;
      continue;
    }
    current ??= fresh(number);
    if (rejected) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(sent_id|text)\s*=\s?(.*)$/.exec(line);
      if (m && current.words.length === 0) {
        if (m[1] === 'sent_id') current.sentId = m[2];
        else current.text = m[2];
      }
      continue;
    }
    try {
      addLine(current, line, number);
    } catch (err) {
      if (!(err instanceof Reject)) throw err;
      rejected = err;
    }
  }
  const last = close();
  if (last) yield last;
}
