import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, DataError } from '@kadapter/core';
import { createProgress, type ProgressOptions } from '@kadapter/progress';
import { AtomicFile, readLines, writeFileAtomic } from '@kadapter/files';
import { BUILDER_VERSION } from './builder-version.js';
import { addCounts, ISSUE_REASONS, TRIPLE_DROP_REASONS, zeroCounts } from './drop-reasons.js';
import type { FileIssue, StoredFileResult } from './file-result.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, type ShardInfo, type SplitInfo, type TrexManifest } from './manifest.js';
import { failOnIssues } from './process-file.js';
import { seededPermutation, splitSizes } from './seeded-split.js';
import { type RelationSelection, type SubdatasetOptions, selectRelations } from './subdataset.js';

/** One per-file output and the input path it stands for (manifest order = array order). */
export interface MergeInput {
  path: string;
  stored: StoredFileResult;
}

export interface MergeOptions extends SubdatasetOptions {
  outDir: string;
  /** shuffle seed (default 42) */
  seed?: string | number;
  /** share of the shuffled examples that goes to dev (default 0.1, the notebook's 90/10) */
  devFraction?: number;
  /** false keeps the notebook's group order (all examples of the first relation, then the next, ...) */
  shuffle?: boolean;
  /** examples per output shard (default 50,000); also bounds the merge's memory */
  shardSize?: number;
  /** a relation outside a fixed label list, or any stored issue, is an error instead of a skip */
  strict?: boolean;
  /** progress output (default: stderr) */
  progress?: Pick<ProgressOptions, 'stream' | 'silent' | 'intervalMs'>;
}

export const RELATIONS_FILE = 'relations.json';
const SHARD_NAME = /^(train|dev)-\d{5}-of-\d{5}\.jsonl$/;
const MAX_PENDING_CHARS = 8 << 20;

interface MergedRelation {
  relation: string;
  count: number;
  input: number;
  offset: number;
  document: number;
}

/** Per-relation counts over all inputs, in order of first appearance (inputs in the given order). */
function mergeRelations(inputs: readonly MergeInput[]): MergedRelation[] {
  const merged = new Map<string, MergedRelation>();
  inputs.forEach(({ stored }, input) => {
    for (const r of stored.result.relations) {
      const seen = merged.get(r.relation);
      if (seen) seen.count += r.count;
      else
        merged.set(r.relation, {
          relation: r.relation,
          count: r.count,
          input,
          offset: r.firstOffset,
          document: r.firstDocument,
        });
    }
  });
  return [...merged.values()];
}

function checkStrict(inputs: readonly MergeInput[], relations: MergedRelation[], selection: RelationSelection) {
  for (const { stored } of inputs) failOnIssues(stored.result);
  const missing = selection.decisions.find((d) => d.dropReason === 'relation_not_in_label_list');
  if (!missing) return;
  const at = relations.find((r) => r.relation === missing.relation) as MergedRelation;
  throw new DataError(
    `document ${at.document}: relation ${missing.relation} (${missing.count} examples) is not in the fixed label list`,
    { file: (inputs[at.input] as MergeInput).path, offset: at.offset, field: 'predicate.uri' },
  );
}

/**
 * Merges per-file outputs into the dataset: applies the sub-dataset rules to the merged relation
 * counts, flattens the kept examples in the notebook's group order, shuffles them with a seeded
 * permutation, splits train/dev and writes `train-*.jsonl` / `dev-*.jsonl` shards, `relations.json`
 * (label -> index) and, last, `manifest.json`. Every file is written under a temp name and renamed.
 * Memory is bounded by one shard plus 4 bytes per kept example (the permutation): examples are
 * spread over per-shard bucket files first, then each shard is ordered in memory and written.
 */
export async function mergeTrexOutputs(inputs: readonly MergeInput[], options: MergeOptions): Promise<TrexManifest> {
  const shardSize = options.shardSize ?? 50_000;
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new ConfigError(`shardSize must be a positive integer, got ${shardSize}`, { field: 'shardSize' });
  const seed = String(options.seed ?? 42);
  const shuffle = options.shuffle ?? true;
  const devFraction = options.devFraction ?? 0.1;
  const alignments = new Set(inputs.map((i) => i.stored.result.alignment));
  if (alignments.size > 1)
    throw new ConfigError('per-file outputs were built with different alignments', { field: 'alignment' });
  const relations = mergeRelations(inputs);
  const selection = selectRelations(relations, options);
  if (options.strict) checkStrict(inputs, relations, selection);

  const offsets = new Map<string, number>();
  let kept = 0;
  for (const d of selection.decisions) {
    if (d.label === undefined) continue;
    offsets.set(d.relation, kept);
    kept += d.count;
  }
  const sizes = splitSizes(kept, devFraction);
  const layout = shardLayout(sizes, shardSize);
  const perm = shuffle ? seededPermutation(kept, seed) : undefined;

  await mkdir(options.outDir, { recursive: true });
  const tmp = join(options.outDir, `.merge-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  const progress = createProgress({ label: 'trex merge', unit: 'examples', total: kept * 2, ...options.progress });
  try {
    await spreadToBuckets(inputs, offsets, perm, layout.length, bucketLocator(sizes, shardSize), tmp, progress.tick);
    const shards = await writeShards(layout, tmp, options.outDir, progress.tick);
    const splits = {
      train: splitInfo(shards.filter((s) => s.file.startsWith('train-'))),
      dev: splitInfo(shards.filter((s) => s.file.startsWith('dev-'))),
    };
    const labelIndex = Object.fromEntries(selection.labels.map((r, i) => [r, i]));
    await writeFileAtomic(join(options.outDir, RELATIONS_FILE), `${JSON.stringify(labelIndex)}\n`);
    const manifest = buildManifest(inputs, options, selection, { seed, shuffle, devFraction, shardSize }, kept, splits);
    await writeFileAtomic(join(options.outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    await removeStaleShards(options.outDir, new Set(shards.map((s) => s.file)));
    return manifest;
  } finally {
    progress.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

interface Bucket {
  file: string;
  /** first output position in the bucket (global) */
  start: number;
  size: number;
}

/** Output shards: train positions [0, train), dev positions [train, n), each cut into shardSize pieces. */
function shardLayout(sizes: { train: number; dev: number }, shardSize: number): Bucket[] {
  const buckets: Bucket[] = [];
  for (const [split, from, count] of [
    ['train', 0, sizes.train],
    ['dev', sizes.train, sizes.dev],
  ] as const) {
    const n = Math.ceil(count / shardSize);
    for (let i = 0; i < n; i++) {
      const file = `${split}-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.jsonl`;
      buckets.push({ file, start: from + i * shardSize, size: Math.min(shardSize, count - i * shardSize) });
    }
  }
  return buckets;
}

/** The bucket (shard) index of an output position. */
function bucketLocator(sizes: { train: number }, shardSize: number): (position: number) => number {
  const trainShards = Math.ceil(sizes.train / shardSize);
  return (p) => (p < sizes.train ? Math.floor(p / shardSize) : trainShards + Math.floor((p - sizes.train) / shardSize));
}

/** Pass 1: every kept example, read in input order, goes to the bucket file of its output position. */
async function spreadToBuckets(
  inputs: readonly MergeInput[],
  offsets: Map<string, number>,
  perm: Uint32Array | undefined,
  buckets: number,
  locate: (position: number) => number,
  tmp: string,
  tick: (n?: number) => void,
): Promise<void> {
  const seen = new Map<string, number>();
  const pending: string[][] = Array.from({ length: buckets }, () => []);
  let pendingChars = 0;
  const flush = async () => {
    for (let b = 0; b < pending.length; b++) {
      const lines = pending[b] as string[];
      if (lines.length === 0) continue;
      await appendFile(join(tmp, String(b)), lines.join(''));
      pending[b] = [];
    }
    pendingChars = 0;
  };
  for (const { stored } of inputs) {
    for await (const { line, number } of readLines(join(stored.dir, stored.result.examplesFile))) {
      if (line === '') continue;
      const relation = relationOf(line, join(stored.dir, stored.result.examplesFile), number);
      const offset = offsets.get(relation);
      if (offset === undefined) continue;
      const rank = seen.get(relation) ?? 0;
      seen.set(relation, rank + 1);
      const flat = offset + rank;
      const position = perm ? (perm[flat] as number) : flat;
      const entry = `${position}\t${line}\n`;
      (pending[locate(position)] as string[]).push(entry);
      pendingChars += entry.length;
      if (pendingChars >= MAX_PENDING_CHARS) await flush();
      tick();
    }
  }
  await flush();
}

function relationOf(line: string, file: string, number: number): string {
  try {
    const relation = (JSON.parse(line) as { relation?: unknown }).relation;
    if (typeof relation === 'string') return relation;
  } catch {
    // reported below
  }
  throw new DataError('per-file output line is not a trex-rc example', { file, line: number });
}

/**
 * Pass 2: each bucket holds exactly its shard's positions. The bucket is read as bytes, its lines
 * are indexed by position, and the shard is written in position order (memory: one bucket's bytes).
 */
async function writeShards(
  layout: Bucket[],
  tmp: string,
  outDir: string,
  tick: (n?: number) => void,
): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  for (let b = 0; b < layout.length; b++) {
    const bucket = layout[b] as Bucket;
    const bytes = await readFile(join(tmp, String(b)));
    const starts = new Int32Array(bucket.size).fill(-1);
    const ends = new Int32Array(bucket.size);
    for (let at = 0; at < bytes.length; ) {
      const tab = bytes.indexOf(0x09, at);
      const newline = bytes.indexOf(0x0a, tab);
      const slot = Number(bytes.toString('latin1', at, tab)) - bucket.start;
      starts[slot] = tab + 1;
      ends[slot] = newline + 1;
      at = newline + 1;
    }
    const out = await AtomicFile.create(join(outDir, bucket.file));
    const hash = createHash('sha256');
    let size = 0;
    try {
      for (let i = 0; i < bucket.size; i++) {
        const start = starts[i] as number;
        if (start < 0) throw new Error(`merge bug: position ${bucket.start + i} of ${bucket.file} is empty`);
        const row = bytes.subarray(start, ends[i]);
        hash.update(row);
        size += row.length;
        await out.write(row);
      }
    } catch (err) {
      await out.abort();
      throw err;
    }
    await out.commit();
    tick(bucket.size);
    shards.push({ file: bucket.file, examples: bucket.size, bytes: size, sha256: hash.digest('hex') });
  }
  return shards;
}

function splitInfo(shards: ShardInfo[]): SplitInfo {
  return { examples: shards.reduce((n, s) => n + s.examples, 0), shards };
}

async function removeStaleShards(outDir: string, keep: Set<string>): Promise<void> {
  for (const name of await readdir(outDir)) {
    if (SHARD_NAME.test(name) && !keep.has(name)) await rm(join(outDir, name), { force: true });
  }
}

function buildManifest(
  inputs: readonly MergeInput[],
  options: MergeOptions,
  selection: RelationSelection,
  split: { seed: string; shuffle: boolean; devFraction: number; shardSize: number },
  kept: number,
  splits: { train: SplitInfo; dev: SplitInfo },
): TrexManifest {
  const triplesDropped = zeroCounts(TRIPLE_DROP_REASONS);
  const issueCounts = zeroCounts(ISSUE_REASONS);
  const issues: FileIssue[] = [];
  let documents = 0;
  let documentsSkipped = 0;
  let triples = 0;
  let cleaned = 0;
  for (const { stored } of inputs) {
    const r = stored.result;
    documents += r.documents;
    documentsSkipped += r.documentsSkipped;
    triples += r.triples;
    cleaned += r.examples;
    addCounts(triplesDropped, r.triplesDropped);
    addCounts(issueCounts, r.issues.byReason);
    for (const issue of r.issues.first) if (issues.length < 100) issues.push(issue);
  }
  const labels = options.labels ?? 'derived';
  const first = inputs[0]?.stored.result;
  return {
    format: MANIFEST_FORMAT,
    formatVersion: 1,
    builderVersion: BUILDER_VERSION,
    options: {
      alignment: first?.alignment ?? 'official',
      minCount: options.minCount ?? 50,
      excludeRelations: [...(options.excludeRelations ?? ['P31'])],
      labelSource: typeof labels === 'string' ? labels : 'custom',
      seed: split.seed,
      devFraction: split.devFraction,
      shuffle: split.shuffle,
      shardSize: split.shardSize,
      strict: options.strict ?? false,
    },
    inputs: inputs.map(({ path, stored: { result: r } }) => ({
      path,
      sha256: r.sha256,
      bytes: r.bytes,
      documents: r.documents,
      documentsSkipped: r.documentsSkipped,
      triples: r.triples,
      examples: r.examples,
      issues: r.issues.count,
    })),
    counts: {
      documents,
      documentsSkipped,
      triples,
      cleaned,
      triplesDropped,
      examplesDropped: selection.examplesDropped,
      kept,
      train: splits.train.examples,
      dev: splits.dev.examples,
      issues: issueCounts,
    },
    labels: selection.labels,
    relations: selection.decisions,
    issues,
    splits,
  };
}
