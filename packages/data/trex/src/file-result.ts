import { join } from 'node:path';
import { DataError, FormatError, isKAdapterError, type KAdapterError } from '@kadapter/core';
import { readJsonFile, writeFileAtomic } from '@kadapter/files';
import type { Alignment } from './clean-document.js';
import type { IssueReason, TripleDropReason } from './drop-reasons.js';

/** Bad input found in a file: where (byte offset of the document, JSON path of the field) and why. */
export interface FileIssue {
  reason: IssueReason;
  file: string;
  /** byte offset of the document (or of the JSON error) in the file */
  offset: number;
  /** 0-based index of the document in the file's array, when the issue is inside one */
  document?: number;
  /** JSON path inside the document */
  field?: string;
  message: string;
}

/** How often a relation occurs among a file's cleaned examples, and where it first occurs. */
export interface RelationCount {
  relation: string;
  count: number;
  firstDocument: number;
  firstOffset: number;
}

/**
 * The output of cleaning ONE input file, stored in `<workDir>/<key>/result.json` beside its
 * `examples.jsonl` (the cleaned examples in file order). Keyed by the input's sha256, so it is the
 * unit of work of a queue job and is reused when the same bytes are built again.
 */
export interface FileResult {
  builderVersion: string;
  alignment: Alignment;
  sha256: string;
  bytes: number;
  /** the path it was built from (informational: the same bytes under another name reuse it) */
  source: string;
  documents: number;
  documentsSkipped: number;
  triples: number;
  examples: number;
  triplesDropped: Record<TripleDropReason, number>;
  /** relations of the cleaned examples, in order of first appearance */
  relations: RelationCount[];
  issues: { count: number; byReason: Record<IssueReason, number>; first: FileIssue[] };
  /** file name of the examples, relative to the result's directory */
  examplesFile: string;
}

/** A FileResult together with the directory that holds it. */
export interface StoredFileResult {
  dir: string;
  result: FileResult;
}

export const RESULT_FILE = 'result.json';
export const EXAMPLES_FILE = 'examples.jsonl';

/** The per-file output directory: `<workDir>/<sha256>` (`<sha256>.exact` for the exact alignment). */
export function fileOutputDir(workDir: string, sha256: string, alignment: Alignment): string {
  return join(workDir, alignment === 'official' ? sha256 : `${sha256}.${alignment}`);
}

export async function writeFileResult(dir: string, result: FileResult): Promise<void> {
  await writeFileAtomic(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 1)}\n`);
}

/** Reads `<dir>/result.json`; undefined when it does not exist. */
export async function readFileResult(dir: string): Promise<FileResult | undefined> {
  try {
    return (await readJsonFile(join(dir, RESULT_FILE))) as FileResult;
  } catch (err) {
    if (isKAdapterError(err, 'E_NOT_FOUND') && (err.cause as NodeJS.ErrnoException)?.code === 'ENOENT')
      return undefined;
    throw err;
  }
}

/** The typed error a strict build raises for an issue. */
export function issueError(issue: FileIssue): KAdapterError {
  const where = issue.document === undefined ? '' : `document ${issue.document}: `;
  const options = { file: issue.file, offset: issue.offset, field: issue.field };
  return issue.reason === 'malformed_json'
    ? new FormatError(issue.message, options)
    : new DataError(`${where}${issue.reason}: ${issue.message}`, options);
}
