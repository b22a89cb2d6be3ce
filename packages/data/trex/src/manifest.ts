import { join } from 'node:path';
import { FormatError } from '@kadapter/core';
import { readJsonFile } from '@kadapter/files';
import type { Alignment } from './clean-document.js';
import type { IssueReason, RelationDropReason, TripleDropReason } from './drop-reasons.js';
import type { FileIssue } from './file-result.js';
import type { RelationDecision } from './subdataset.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'kadapter-trex-rc-jsonl';

/** One output shard: JSONL, one `trex-rc` example per line. */
export interface ShardInfo {
  file: string;
  examples: number;
  bytes: number;
  sha256: string;
}

export interface SplitInfo {
  examples: number;
  shards: ShardInfo[];
}

/**
 * `manifest.json` of a built dataset. It holds no timestamps or machine details, so the same
 * inputs and options give the same bytes.
 */
export interface TrexManifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: 1;
  builderVersion: string;
  options: {
    alignment: Alignment;
    minCount: number;
    excludeRelations: string[];
    labelSource: 'derived' | 'official' | 'custom';
    seed: string;
    devFraction: number;
    shuffle: boolean;
    shardSize: number;
    strict: boolean;
  };
  /** inputs in build order (sorted paths), with their hashes and counts */
  inputs: Array<{
    path: string;
    sha256: string;
    bytes: number;
    documents: number;
    documentsSkipped: number;
    triples: number;
    examples: number;
    issues: number;
  }>;
  counts: {
    documents: number;
    documentsSkipped: number;
    triples: number;
    /** examples after cleaning, before the sub-dataset rules */
    cleaned: number;
    triplesDropped: Record<TripleDropReason, number>;
    examplesDropped: Record<RelationDropReason, number>;
    kept: number;
    train: number;
    dev: number;
    issues: Record<IssueReason, number>;
  };
  /** the label space: label index = position */
  labels: string[];
  /** every relation seen after cleaning, in order of first appearance, with its fate */
  relations: RelationDecision[];
  /** the first issues found (all are counted in counts.issues) */
  issues: FileIssue[];
  splits: { train: SplitInfo; dev: SplitInfo };
}

/** Reads `<dir>/manifest.json`. */
export async function readTrexManifest(dir: string): Promise<TrexManifest> {
  const file = join(dir, MANIFEST_FILE);
  const manifest = (await readJsonFile(file)) as TrexManifest;
  if (manifest?.format !== MANIFEST_FORMAT)
    throw new FormatError(`format is ${JSON.stringify(manifest?.format)}, expected ${MANIFEST_FORMAT}`, {
      file,
      field: 'format',
    });
  return manifest;
}
