import { FormatError } from '@kadapter/core';
import { readLines } from '@kadapter/files';
import { isHeaderLine } from './data-file.js';
import { isWordNetPos, type WordNetPos } from './pos.js';
import type { LineLocation } from './synset.js';

/** One line of an `index.*` file: a lemma and its senses in one category. */
export interface IndexEntry {
  /** lower case, spaces as `_` */
  lemma: string;
  pos: WordNetPos;
  /** the kinds of pointer any sense of the lemma has */
  pointerSymbols: string[];
  /** senses tagged in the semantic concordances */
  tagSenseCount: number;
  /** the synset offsets of the lemma's senses, most frequent sense first (the sense rank) */
  offsets: number[];
  /** the line of the file it was read from (1-based) */
  line: number;
}

/**
 * Parses an `index.*` line (wndb(5WN)): `lemma pos synset_cnt p_cnt [symbol]… sense_cnt
 * tagsense_cnt [synset_offset]…`. The counts must agree with each other and with the offsets.
 */
export function parseIndexLine(text: string, where: LineLocation): IndexEntry {
  const fields = text.trim().split(/ +/);
  const fail = (field: string, message: string) => new FormatError(message, { ...where, field });
  const int = (i: number, field: string) => {
    const value = fields[i];
    if (value === undefined || !/^\d+$/.test(value))
      throw fail(field, `expected a count, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    return Number(value);
  };
  const lemma = fields[0] as string;
  const pos = fields[1];
  if (pos === undefined || !isWordNetPos(pos)) throw fail('pos', `unknown category ${JSON.stringify(pos ?? '')}`);
  const synsetCount = int(2, 'synset_cnt');
  const pointerCount = int(3, 'p_cnt');
  const pointerSymbols = fields.slice(4, 4 + pointerCount);
  const senseCount = int(4 + pointerCount, 'sense_cnt');
  const tagSenseCount = int(5 + pointerCount, 'tagsense_cnt');
  const offsets = fields.slice(6 + pointerCount);
  if (senseCount !== synsetCount) throw fail('sense_cnt', `sense_cnt ${senseCount} != synset_cnt ${synsetCount}`);
  if (offsets.length !== synsetCount)
    throw fail('synset_offset', `${offsets.length} offsets for synset_cnt ${synsetCount}`);
  const bad = offsets.find((o) => !/^\d{8}$/.test(o));
  if (bad !== undefined) throw fail('synset_offset', `not an 8-digit offset: ${JSON.stringify(bad)}`);
  return { lemma, pos, pointerSymbols, tagSenseCount, offsets: offsets.map(Number), line: where.line };
}

/** Streams the entries of an `index.noun` / `.verb` / `.adj` / `.adv` file (license header skipped). */
export async function* readIndexFile(file: string): AsyncGenerator<IndexEntry> {
  for await (const { line, number } of readLines(file)) {
    if (isHeaderLine(line)) continue;
    if (line === '') throw new FormatError('blank line inside the file', { file, line: number });
    yield parseIndexLine(line, { file, line: number });
  }
}
