import { basename, dirname, isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { DTypeError, FormatError } from '@kadapter/core';
import { type RawTensor, SafetensorsFile, saveSafetensors } from '@kadapter/io';
import type { EncodedFile } from './encode-file.js';
import type { Int32Tensor } from './features.js';

export const FEATURES_FORMAT = 'kadapter-features';
export const FEATURES_FORMAT_VERSION = '1';

/** What a features file records besides its tensors (safetensors `__metadata__`, values JSON-decoded). */
export interface FeatureMetadata {
  task: string;
  maxLen: number;
  /** the input file or dataset directory, relative to the features file's directory */
  input: string;
  /** the split, when the input was a dataset directory */
  split?: string;
  read: number;
  kept: number;
  skipped: Record<string, number>;
  notes: Record<string, number>;
  labels?: string[];
  options: Record<string, unknown>;
  /** the tokenizer's file name(s) (with `tokenizerSha256`, what identifies it) */
  tokenizer?: string;
  tokenizerSha256?: string;
}

/** Where the tokenizer came from, recorded in the file. */
export interface TokenizerInfo {
  source?: string;
  fingerprint?: string;
}

/**
 * `target` relative to the directory of `file`, with `/` separators, when the two share a folder
 * below the filesystem root; else only its name (a file meant to be shared names no local root).
 */
function relativeTo(target: string, file: string): string {
  const from = dirname(resolve(file));
  const to = resolve(target);
  const top = (p: string) => p.slice(parse(p).root.length).split(sep)[0];
  const rel = relative(from, to);
  if (isAbsolute(rel) || top(from) !== top(to)) return basename(to);
  return rel.split(sep).join('/') || '.';
}

/**
 * Writes features as int32 tensors (`input_ids`, `attention_mask`, the task's markers / labels and
 * `example_index`) to a safetensors file, atomically, with the skip counts, task, max length, label
 * list, options and tokenizer in `__metadata__`. Nothing in it is an absolute local path: the input
 * is recorded relative to the features file (or by name when they only share the root), the
 * tokenizer by file name(s) and sha256.
 */
export async function writeFeatures(path: string, encoded: EncodedFile, tokenizer: TokenizerInfo = {}): Promise<void> {
  const tensors = new Map<string, RawTensor>();
  for (const [name, t] of encoded.tensors) tensors.set(name, { dtype: 'I32', shape: t.shape, data: t.data });
  tensors.set('example_index', { dtype: 'I32', shape: [encoded.exampleIndex.length], data: encoded.exampleIndex });
  const { labels: _labels, ...options } = encoded.options;
  const metadata: Record<string, string> = {
    format: FEATURES_FORMAT,
    format_version: FEATURES_FORMAT_VERSION,
    task: encoded.task,
    max_len: String(encoded.maxLen),
    input: relativeTo(encoded.input, path),
    ...(encoded.split ? { split: encoded.split } : {}),
    read: String(encoded.read),
    kept: String(encoded.exampleIndex.length),
    skipped: JSON.stringify(encoded.skipped),
    notes: JSON.stringify(encoded.notes),
    options: JSON.stringify(options),
    ...(encoded.labels ? { labels: JSON.stringify(encoded.labels) } : {}),
    ...(tokenizer.source
      ? {
          tokenizer: tokenizer.source
            .split(' + ')
            .map((p) => basename(p))
            .join(' + '),
        }
      : {}),
    ...(tokenizer.fingerprint ? { tokenizer_sha256: tokenizer.fingerprint } : {}),
  };
  await saveSafetensors(path, tensors, { metadata });
}

/** Reads a features file written by `writeFeatures`. */
export async function readFeatures(
  path: string,
): Promise<{ tensors: Map<string, Int32Tensor>; exampleIndex: Int32Array; metadata: FeatureMetadata }> {
  const file = await SafetensorsFile.open(path);
  try {
    const m = file.metadata;
    if (m.format !== FEATURES_FORMAT) {
      throw new FormatError(`not a ${FEATURES_FORMAT} file (metadata format = ${JSON.stringify(m.format)})`, {
        file: path,
        field: '__metadata__.format',
      });
    }
    const json = (key: string): unknown => {
      try {
        return JSON.parse(m[key] ?? 'null');
      } catch (err) {
        throw new FormatError(`metadata ${key} is not JSON`, { file: path, field: `__metadata__.${key}`, cause: err });
      }
    };
    const tensors = new Map<string, Int32Tensor>();
    for (const name of file.names) {
      const raw = await file.readRaw(name);
      if (raw.dtype !== 'I32') throw new DTypeError(`expected I32, got ${raw.dtype}`, { file: path, tensor: name });
      tensors.set(name, { shape: raw.shape, data: raw.data as Int32Array });
    }
    const exampleIndex = tensors.get('example_index');
    if (!exampleIndex) throw new FormatError('no example_index tensor', { file: path, tensor: 'example_index' });
    tensors.delete('example_index');
    const labels = json('labels');
    const metadata: FeatureMetadata = {
      task: m.task ?? '',
      maxLen: Number(m.max_len),
      input: m.input ?? '',
      ...(m.split ? { split: m.split } : {}),
      read: Number(m.read),
      kept: Number(m.kept),
      skipped: json('skipped') as Record<string, number>,
      notes: json('notes') as Record<string, number>,
      options: json('options') as Record<string, unknown>,
      ...(Array.isArray(labels) ? { labels: labels as string[] } : {}),
      ...(m.tokenizer ? { tokenizer: m.tokenizer } : {}),
      ...(m.tokenizer_sha256 ? { tokenizerSha256: m.tokenizer_sha256 } : {}),
    };
    return { tensors, exampleIndex: exampleIndex.data, metadata };
  } finally {
    await file.close();
  }
}
