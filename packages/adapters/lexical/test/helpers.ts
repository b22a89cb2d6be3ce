import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Two license-header lines as the Princeton files have them (two leading spaces). */
export const HEADER = [
  '  1 This software and database is being provided to you, the LICENSEE, by  ',
  '  2 Princeton.  ',
];

/**
 * A synset of a hand-made WordNet: `key` names it, pointers name their target by key and are
 * written `symbol {key} pos source/target`.
 */
export interface TinySynset {
  key: string;
  type: 'n' | 'v' | 'a' | 's';
  words: string[];
  pointers?: Array<[symbol: string, target: string, pos: string, sourceTarget: string]>;
  gloss: string;
}

const pad8 = (n: number) => String(n).padStart(8, '0');

/**
 * The text of a `data.*` file whose offsets are the byte offsets of the lines (every offset is 8
 * digits, so line lengths do not depend on them), with the header first. Returns the text and the
 * offset of every key.
 */
export function dataFileText(synsets: readonly TinySynset[]): { text: string; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  let at = HEADER.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const line = (s: TinySynset, offsetOf: (key: string) => string) => {
    const words = s.words.map((w) => `${w} 0`).join(' ');
    const ptrs = (s.pointers ?? []).map(([sym, key, pos, st]) => `${sym} ${offsetOf(key)} ${pos} ${st}`).join(' ');
    const count = String((s.pointers ?? []).length).padStart(3, '0');
    const frames = s.type === 'v' ? ' 01 + 01 00' : '';
    const wcnt = s.words.length.toString(16).padStart(2, '0');
    return `${offsetOf(s.key)} 03 ${s.type} ${wcnt} ${words} ${count}${ptrs ? ` ${ptrs}` : ''}${frames} | ${s.gloss}  `;
  };
  for (const s of synsets) {
    offsets.set(s.key, at);
    at += Buffer.byteLength(line(s, () => '00000000')) + 1;
  }
  const offsetOf = (key: string) => {
    const o = offsets.get(key);
    if (o === undefined) throw new Error(`no synset ${key}`);
    return pad8(o);
  };
  return { text: `${[...HEADER, ...synsets.map((s) => line(s, offsetOf))].join('\n')}\n`, offsets };
}

/** The text of an `index.*` file for the given lemma → synset keys (in sense order). */
export function indexFileText(pos: string, senses: Record<string, string[]>, offsets: Map<string, number>): string {
  const lines = Object.keys(senses)
    .sort()
    .map((lemma) => {
      const keys = senses[lemma] as string[];
      const offs = keys.map((k) => pad8(offsets.get(k) as number)).join(' ');
      return `${lemma} ${pos} ${keys.length} 0 ${keys.length} 0 ${offs}  `;
    });
  return `${[...HEADER, ...lines].join('\n')}\n`;
}

/** Writes a one-category dictionary (data + index) into `dir`; returns the offsets by key. */
export async function writeTinyNouns(
  dir: string,
  synsets: readonly TinySynset[],
  senses: Record<string, string[]>,
): Promise<Map<string, number>> {
  const { text, offsets } = dataFileText(synsets);
  await writeFile(join(dir, 'data.noun'), text);
  await writeFile(join(dir, 'index.noun'), indexFileText('n', senses, offsets));
  return offsets;
}

/**
 * The raw line of a synset in a real WordNet data file, found by seeking to its offset (the
 * database's own addressing), without this package's reader.
 */
const raw = new Map<string, Buffer>();
export function rawSynsetLine(dataFile: string, offset: number): string {
  let bytes = raw.get(dataFile);
  if (!bytes) {
    bytes = readFileSync(dataFile);
    raw.set(dataFile, bytes);
  }
  const end = bytes.indexOf(0x0a, offset);
  return bytes.toString('latin1', offset, end);
}

/** The lines of a JSONL file, parsed. */
export function jsonl<T = Record<string, unknown>>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}
