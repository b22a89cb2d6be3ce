import { join } from 'node:path';

/**
 * WordNet's four syntactic categories, as the database names them (wndb(5WN)): noun, verb,
 * adjective, adverb. One pair of files (`index.<name>`, `data.<name>`) holds each.
 */
export type WordNetPos = 'n' | 'v' | 'a' | 'r';

/** A synset's `ss_type`: the category, with `s` for an adjective satellite (stored in `data.adj`). */
export type SynsetType = WordNetPos | 's';

export const WORDNET_POS: readonly WordNetPos[] = ['n', 'v', 'a', 'r'];

const FILE_NAME: Record<WordNetPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

/** `<dir>/data.noun` etc. */
export function dataFilePath(dir: string, pos: WordNetPos): string {
  return join(dir, `data.${FILE_NAME[pos]}`);
}

/** `<dir>/index.noun` etc. */
export function indexFilePath(dir: string, pos: WordNetPos): string {
  return join(dir, `index.${FILE_NAME[pos]}`);
}

/** The file a synset type lives in: satellites (`s`) are adjectives. */
export function posOfType(type: SynsetType): WordNetPos {
  return type === 's' ? 'a' : type;
}

export function isWordNetPos(value: string): value is WordNetPos {
  return value === 'n' || value === 'v' || value === 'a' || value === 'r';
}

/**
 * A synset's identity across the four data files: its category and byte offset, `n02086723`.
 * Offsets are only unique within one file, so the category is part of the id.
 */
export type SynsetId = string;

export function synsetId(pos: WordNetPos, offset: number): SynsetId {
  return `${pos}${String(offset).padStart(8, '0')}`;
}
