import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, isKAdapterError } from '@kadapter/core';
import { createProgress, type ProgressOptions } from '@kadapter/progress';
import { hashFile, listInputFiles, writeFileAtomic } from '@kadapter/files';
import { CONLLU_ISSUE_REASONS, type ConlluIssue, type ConlluIssueReason, readConllu } from './conllu-reader.js';
import { conlluToFindHead } from './conllu-to-find-head.js';
import type { FindHeadExample } from './find-head.js';
import { FindHeadWriter, readFindHead } from './find-head-io.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};
export const FIND_HEAD_BUILDER_VERSION = `${pkg.name}@${pkg.version}`;

const CONLLU_EXTENSIONS = ['.conllu', '.conll'];
const JSON_EXTENSIONS = ['.json'];

/** Reasons a sentence or example was not written. */
export type FindHeadSkipReason = ConlluIssueReason | 'invalid_find_head_example';

export interface BuildFindHeadOptions {
  /** CoNLL-U files (`.conllu`, `.conll`) and/or find_head JSON files (`.json`), or directories of them */
  inputs: readonly string[];
  /** the find_head JSON file to write; its manifest goes beside it (`<name>.manifest.json`) */
  out: string;
  /** the first bad sentence is an error instead of a counted skip */
  strict?: boolean;
  progress?: Pick<ProgressOptions, 'stream' | 'silent' | 'intervalMs'>;
}

export interface FindHeadInputStats {
  path: string;
  format: 'conllu' | 'find_head';
  sha256: string;
  bytes: number;
  sentences: number;
  words: number;
  multiwordTokens: number;
  emptyNodes: number;
  textMismatches: number;
  skipped: number;
}

/** `<out>.manifest.json`: inputs with hashes, counts, skips by reason. No timestamps. */
export interface FindHeadManifest {
  format: 'kadapter-find-head';
  formatVersion: 1;
  builderVersion: string;
  output: { file: string; examples: number };
  inputs: FindHeadInputStats[];
  counts: {
    sentences: number;
    written: number;
    words: number;
    multiwordTokens: number;
    emptyNodes: number;
    /** sentences whose rebuilt text differs from `# text` (written with the rebuilt text) */
    textMismatches: number;
    /** multiword tokens whose words do not concatenate to the surface form */
    multiwordMismatches: number;
    skipped: Record<FindHeadSkipReason, number>;
  };
  /** the first 100 skips with file, line (CoNLL-U) or byte offset (JSON), field and message */
  issues: Array<{
    reason: FindHeadSkipReason;
    file: string;
    line?: number;
    offset?: number;
    field?: string;
    message: string;
  }>;
  /** the first 100 text mismatches: sentence id, `# text`, rebuilt text */
  textMismatches: Array<{ file: string; line: number; sentId?: string; text: string; rebuilt: string }>;
}

/** `train.json` -> `train.manifest.json` */
export function findHeadManifestPath(out: string): string {
  const name = basename(out).replace(/\.json$/, '');
  return join(dirname(out), `${name}.manifest.json`);
}

/**
 * Builds a `find_head` file from CoNLL-U (basic trees; multiword ranges and empty nodes skipped and
 * counted) and/or existing find_head JSON, in sorted input order, then writes its manifest.
 */
export async function buildFindHead(options: BuildFindHeadOptions): Promise<FindHeadManifest> {
  const files = await listInputFiles(options.inputs, { extensions: [...CONLLU_EXTENSIONS, ...JSON_EXTENSIONS] });
  const skipped = Object.fromEntries(
    [...CONLLU_ISSUE_REASONS, 'invalid_find_head_example'].map((r) => [r, 0]),
  ) as Record<FindHeadSkipReason, number>;
  const manifest: FindHeadManifest = {
    format: 'kadapter-find-head',
    formatVersion: 1,
    builderVersion: FIND_HEAD_BUILDER_VERSION,
    output: { file: basename(options.out), examples: 0 },
    inputs: [],
    counts: {
      sentences: 0,
      written: 0,
      words: 0,
      multiwordTokens: 0,
      emptyNodes: 0,
      textMismatches: 0,
      multiwordMismatches: 0,
      skipped,
    },
    issues: [],
    textMismatches: [],
  };
  const progress = createProgress({ label: 'find_head', unit: 'sentences', ...options.progress });
  const writer = await FindHeadWriter.create(options.out);
  try {
    for (const path of files) {
      const { sha256, bytes } = await hashFile(path);
      const stats: FindHeadInputStats = {
        path,
        format: JSON_EXTENSIONS.some((e) => path.endsWith(e)) ? 'find_head' : 'conllu',
        sha256,
        bytes,
        sentences: 0,
        words: 0,
        multiwordTokens: 0,
        emptyNodes: 0,
        textMismatches: 0,
        skipped: 0,
      };
      if (!CONLLU_EXTENSIONS.some((e) => path.endsWith(e)) && stats.format === 'conllu')
        throw new InputError('expected a .conllu/.conll or .json file', { file: path });
      const write = async (example: FindHeadExample) => {
        await writer.write(example);
        stats.sentences++;
        progress.tick();
      };
      const skip = (issue: FindHeadManifest['issues'][number]) => {
        stats.skipped++;
        skipped[issue.reason]++;
        if (manifest.issues.length < 100) manifest.issues.push(issue);
      };
      if (stats.format === 'conllu')
        await convertConllu(path, stats, manifest, write, options.strict ? undefined : skip);
      else {
        const onInvalid = options.strict
          ? undefined
          : (e: Error) => {
              const loc = isKAdapterError(e) ? e.location : {};
              skip({
                reason: 'invalid_find_head_example',
                file: path,
                offset: loc.offset,
                field: loc.field,
                message: e.message,
              });
            };
        for await (const example of readFindHead(path, { onInvalid })) {
          stats.words += example.tokens.length;
          await write(example);
        }
      }
      manifest.inputs.push(stats);
      manifest.counts.sentences += stats.sentences + stats.skipped;
      manifest.counts.words += stats.words;
      manifest.counts.multiwordTokens += stats.multiwordTokens;
      manifest.counts.emptyNodes += stats.emptyNodes;
      manifest.counts.textMismatches += stats.textMismatches;
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    progress.stop();
  }
  manifest.counts.written = writer.written;
  manifest.output.examples = writer.written;
  await writeFileAtomic(findHeadManifestPath(options.out), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

async function convertConllu(
  path: string,
  stats: FindHeadInputStats,
  manifest: FindHeadManifest,
  write: (example: FindHeadExample) => Promise<void>,
  skip: ((issue: ConlluIssue) => void) | undefined,
): Promise<void> {
  for await (const sentence of readConllu(path, { onInvalid: skip })) {
    const { example, notes } = conlluToFindHead(sentence);
    stats.words += sentence.words.length;
    stats.multiwordTokens += sentence.multiwordTokens.length;
    stats.emptyNodes += sentence.emptyNodes;
    manifest.counts.multiwordMismatches += notes.multiwordMismatches;
    if (notes.textMismatch) {
      stats.textMismatches++;
      if (manifest.textMismatches.length < 100)
        manifest.textMismatches.push({
          file: path,
          line: sentence.line,
          sentId: sentence.sentId,
          text: sentence.text as string,
          rebuilt: example.sent,
        });
    }
    await write(example);
  }
}
