import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumError, errorDetail, FormatError } from '@kadapter/core';
import { AtomicFile, hashFile, readJsonArray } from '@kadapter/files';
import { BUILDER_VERSION } from './builder-version.js';
import { type Alignment, cleanTrexDocument } from './clean-document.js';
import { ISSUE_REASONS, TRIPLE_DROP_REASONS, zeroCounts } from './drop-reasons.js';
import {
  EXAMPLES_FILE,
  type FileIssue,
  type FileResult,
  fileOutputDir,
  issueError,
  type RelationCount,
  readFileResult,
  type StoredFileResult,
  writeFileResult,
} from './file-result.js';
import { isProblem } from './trex-document.js';

export interface ProcessFileOptions {
  /** where per-file outputs live (`<workDir>/<sha256>/`) */
  workDir: string;
  alignment?: Alignment;
  /** throw on the first bad record instead of skipping and reporting it */
  strict?: boolean;
  /** the input's sha256 when the caller knows it: a stored output for it is reused, and the bytes are checked */
  expectedSha256?: string;
  /** issues stored in the result (all are counted); default 100 */
  maxIssues?: number;
  onProgress?: (progress: { bytes: number; documents: number }) => void;
}

/**
 * Cleans ONE raw T-REx file (a JSON array of documents, streamed one document at a time) into its
 * per-file output: `examples.jsonl` (cleaned examples in file order) and `result.json` (counts,
 * drops by reason, relations in first-appearance order, issues), in a directory named after the
 * file's sha256. The directory appears complete or not at all (built under a temp name). Bad
 * records are skipped and reported, or raise a typed error when `strict`.
 */
export async function processTrexFile(input: string, options: ProcessFileOptions): Promise<StoredFileResult> {
  const alignment = options.alignment ?? 'official';
  if (options.expectedSha256 !== undefined) {
    const cached = await reusable(fileOutputDir(options.workDir, options.expectedSha256, alignment), alignment);
    if (cached) {
      if (options.strict) failOnIssues(cached.result);
      options.onProgress?.({ bytes: cached.result.bytes, documents: cached.result.documents });
      return cached;
    }
  }
  await mkdir(options.workDir, { recursive: true });
  const tmpDir = await mkdtemp(join(options.workDir, '.tmp-'));
  try {
    const result = await cleanFile(input, tmpDir, alignment, options);
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== result.sha256)
      throw new ChecksumError(`sha256 is ${result.sha256}, expected ${options.expectedSha256}`, { file: input });
    await writeFileResult(tmpDir, result);
    return await publish(tmpDir, fileOutputDir(options.workDir, result.sha256, alignment), alignment, result);
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

async function reusable(dir: string, alignment: Alignment): Promise<StoredFileResult | undefined> {
  const result = await readFileResult(dir);
  if (!result || result.builderVersion !== BUILDER_VERSION || result.alignment !== alignment) return undefined;
  try {
    await access(join(dir, result.examplesFile));
  } catch {
    return undefined;
  }
  return { dir, result };
}

/** Renames the finished temp dir into place; an identical output already there (same bytes built twice) wins. */
async function publish(tmpDir: string, dir: string, alignment: Alignment, result: FileResult) {
  const existing = await reusable(dir, alignment);
  if (existing) {
    await rm(tmpDir, { recursive: true, force: true });
    return existing;
  }
  await rm(dir, { recursive: true, force: true });
  await rename(tmpDir, dir);
  return { dir, result };
}

/** Throws the first stored issue of a result (strict builds reusing a non-strict output). */
export function failOnIssues(result: FileResult): void {
  const first = result.issues.first[0];
  if (first) throw issueError(first);
}

async function cleanFile(
  input: string,
  tmpDir: string,
  alignment: Alignment,
  options: ProcessFileOptions,
): Promise<FileResult> {
  const maxIssues = options.maxIssues ?? 100;
  const hash = createHash('sha256');
  const issues: FileResult['issues'] = { count: 0, byReason: zeroCounts(ISSUE_REASONS), first: [] };
  const report = (issue: FileIssue) => {
    if (options.strict) throw issueError(issue);
    issues.count++;
    issues.byReason[issue.reason]++;
    if (issues.first.length < maxIssues) issues.first.push(issue);
  };
  const triplesDropped = zeroCounts(TRIPLE_DROP_REASONS);
  const relations = new Map<string, RelationCount>();
  let bytes = 0;
  let documents = 0;
  let documentsSkipped = 0;
  let triples = 0;
  let examples = 0;
  let complete = true;
  const out = await AtomicFile.create(join(tmpDir, EXAMPLES_FILE));
  try {
    const items = readJsonArray(input, {
      onChunk: (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
    });
    try {
      for await (const item of items) {
        documents++;
        const cleaned = cleanTrexDocument(item.value, alignment);
        const at = { file: input, offset: item.offset, document: item.index };
        if (isProblem(cleaned)) {
          documentsSkipped++;
          report({ reason: 'invalid_document', ...at, field: cleaned.field, message: cleaned.message });
          continue;
        }
        triples += cleaned.triples;
        for (const drop of cleaned.drops) {
          triplesDropped[drop.reason]++;
          if (drop.problem)
            report({ reason: 'invalid_triple', ...at, field: drop.problem.field, message: drop.problem.message });
        }
        for (const example of cleaned.examples) {
          const seen = relations.get(example.relation);
          if (seen) seen.count++;
          else
            relations.set(example.relation, {
              relation: example.relation,
              count: 1,
              firstDocument: item.index,
              firstOffset: item.offset,
            });
          await out.write(`${JSON.stringify(example)}\n`);
        }
        examples += cleaned.examples.length;
        options.onProgress?.({ bytes, documents });
      }
    } catch (err) {
      if (!(err instanceof FormatError) || options.strict) throw err;
      complete = false;
      report({ reason: 'malformed_json', file: input, offset: err.location.offset ?? 0, message: errorDetail(err) });
    }
  } catch (err) {
    await out.abort();
    throw err;
  }
  await out.commit();
  const whole = complete ? { sha256: hash.digest('hex'), bytes } : await hashFile(input);
  options.onProgress?.({ bytes: whole.bytes, documents });
  return {
    builderVersion: BUILDER_VERSION,
    alignment,
    sha256: whole.sha256,
    bytes: whole.bytes,
    source: input,
    documents,
    documentsSkipped,
    triples,
    examples,
    triplesDropped,
    relations: [...relations.values()],
    issues,
    examplesFile: EXAMPLES_FILE,
  };
}
