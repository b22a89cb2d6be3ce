import { FormatError } from '@kadapter/core';
import { isWordNetPos, posOfType, type SynsetType, type WordNetPos } from './pos.js';

/** A word (lemma) of a synset as `data.*` stores it: spaces as `_`, case kept. */
export interface SynsetWord {
  lemma: string;
  /** `lex_id`, with `lemma` and the lexicographer file it identifies the sense */
  lexId: number;
  /** adjectives only: the syntactic marker `(a)`, `(p)` or `(ip)` that followed the lemma */
  marker?: 'a' | 'p' | 'ip';
}

/**
 * A pointer from this synset (or one of its words) to another synset (or one of its words).
 * `source` and `target` are 1-based word numbers; 0 and 0 make a semantic pointer between whole
 * synsets, anything else a lexical pointer between two words (antonyms are always lexical).
 */
export interface Pointer {
  symbol: PointerSymbol;
  offset: number;
  pos: WordNetPos;
  source: number;
  target: number;
}

/** A verb frame (`data.verb` only): frame number, and the word it applies to (0 = all words). */
export interface VerbFrame {
  frame: number;
  word: number;
}

/** One line of a `data.*` file. */
export interface Synset {
  /** byte offset of the line in its file, the synset's address */
  offset: number;
  /** lexicographer file number (`lexnames`) */
  lexFilenum: number;
  type: SynsetType;
  /** the file's category (`s` becomes `a`) */
  pos: WordNetPos;
  words: SynsetWord[];
  pointers: Pointer[];
  frames: VerbFrame[];
  /** definition and example sentences, as stored (`splitGloss` separates them) */
  gloss: string;
  /** the line of the file it was read from (1-based) */
  line: number;
}

/**
 * The pointer symbols of wninput(5WN), all categories together: antonym `!`, hypernym `@` and
 * instance hypernym `@i`, hyponym `~` and instance hyponym `~i`, holonyms `#m #s #p`, meronyms
 * `%m %s %p`, attribute `=`, derivation `+`, domains `;c ;r ;u` and their members `-c -r -u`,
 * entailment `*`, cause `>`, also-see `^`, verb group `$`, similar-to `&`, participle `<` and
 * pertainym / derived-from `\`.
 */
export const POINTER_SYMBOLS = [
  '!',
  '@',
  '@i',
  '~',
  '~i',
  '#m',
  '#s',
  '#p',
  '%m',
  '%s',
  '%p',
  '=',
  '+',
  ';c',
  '-c',
  ';r',
  '-r',
  ';u',
  '-u',
  '*',
  '>',
  '^',
  '$',
  '&',
  '<',
  '\\',
] as const;
export type PointerSymbol = (typeof POINTER_SYMBOLS)[number];

const SYMBOLS: ReadonlySet<string> = new Set(POINTER_SYMBOLS);

/** Where a line is, for error messages. */
export interface LineLocation {
  file: string;
  line: number;
}

/** Reads the space-separated fields before the gloss one at a time, naming the field on failure. */
class Fields {
  private at = 0;
  constructor(
    private readonly fields: string[],
    private readonly where: LineLocation,
  ) {}

  next(field: string): string {
    const value = this.fields[this.at++];
    if (value === undefined) throw this.error(field, 'missing (the line ends too early)');
    return value;
  }

  int(field: string, pattern: RegExp, radix: number): number {
    const value = this.next(field);
    if (!pattern.test(value)) throw this.error(field, `unexpected value ${JSON.stringify(value)}`);
    return Number.parseInt(value, radix);
  }

  /** every field was read; extra ones mean the count in `field` is wrong */
  done(field: string): void {
    if (this.at < this.fields.length)
      throw this.error(field, `${this.fields.length - this.at} fields left over before the gloss`);
  }

  error(field: string, message: string): FormatError {
    return new FormatError(message, { ...this.where, field });
  }
}

const DEC8 = /^\d{8}$/;
const DEC2 = /^\d{2}$/;
const DEC3 = /^\d{3}$/;
const HEX1 = /^[0-9a-f]$/i;
const HEX2 = /^[0-9a-f]{2}$/i;
const HEX4 = /^[0-9a-f]{4}$/i;
const MARKED = /^(.+)\((a|p|ip)\)$/;

function parseWord(text: string, lexId: number): SynsetWord {
  const marked = MARKED.exec(text);
  if (!marked) return { lemma: text, lexId };
  return { lemma: marked[1] as string, lexId, marker: marked[2] as SynsetWord['marker'] };
}

/**
 * Parses one synset line of a `data.*` file (wndb(5WN)):
 * `offset lex_filenum ss_type w_cnt [word lex_id]… p_cnt [symbol offset pos source/target]…
 * [f_cnt [+ f_num w_num]…] | gloss`. Every field is checked; a bad one is a FormatError naming
 * the file, line and field.
 */
export function parseSynsetLine(text: string, where: LineLocation): Synset {
  const bar = text.indexOf(' | ');
  if (bar < 0) throw new FormatError('no " | " before the gloss', { ...where, field: 'gloss' });
  const gloss = text.slice(bar + 3).trimEnd();
  const f = new Fields(text.slice(0, bar).trim().split(/ +/), where);
  const offset = f.int('synset_offset', DEC8, 10);
  const lexFilenum = f.int('lex_filenum', DEC2, 10);
  const type = f.next('ss_type');
  if (!isWordNetPos(type) && type !== 's') throw f.error('ss_type', `unknown synset type ${JSON.stringify(type)}`);
  const pos = posOfType(type);
  const wordCount = f.int('w_cnt', HEX2, 16);
  if (wordCount === 0) throw f.error('w_cnt', 'a synset without words');
  const words: SynsetWord[] = [];
  for (let i = 0; i < wordCount; i++) {
    const word = f.next('word');
    words.push(parseWord(word, f.int('lex_id', HEX1, 16)));
  }
  const pointerCount = f.int('p_cnt', DEC3, 10);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++) {
    const symbol = f.next('pointer_symbol');
    if (!SYMBOLS.has(symbol)) throw f.error('pointer_symbol', `unknown pointer symbol ${JSON.stringify(symbol)}`);
    const target = f.int('pointer_offset', DEC8, 10);
    const targetPos = f.next('pointer_pos');
    if (!isWordNetPos(targetPos)) throw f.error('pointer_pos', `unknown category ${JSON.stringify(targetPos)}`);
    const st = f.next('source_target');
    if (!HEX4.test(st)) throw f.error('source_target', `expected 4 hex digits, got ${JSON.stringify(st)}`);
    const source = Number.parseInt(st.slice(0, 2), 16);
    const targetWord = Number.parseInt(st.slice(2), 16);
    if (source > wordCount) throw f.error('source_target', `source word ${source} > ${wordCount} words`);
    pointers.push({ symbol: symbol as PointerSymbol, offset: target, pos: targetPos, source, target: targetWord });
  }
  const frames: VerbFrame[] = [];
  if (pos === 'v') {
    const frameCount = f.int('f_cnt', DEC2, 10);
    for (let i = 0; i < frameCount; i++) {
      if (f.next('frame') !== '+') throw f.error('frame', 'expected + before a frame');
      const frame = f.int('f_num', DEC2, 10);
      const word = f.int('w_num', HEX2, 16);
      frames.push({ frame, word });
    }
  }
  f.done(pos === 'v' ? 'f_cnt' : 'p_cnt');
  return { offset, lexFilenum, type, pos, words, pointers, frames, gloss, line: where.line };
}
