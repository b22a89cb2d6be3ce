import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  DataError,
  type EncoderOptions,
  type HostTensor,
  NotFoundError,
  type TaskEncoder,
  type TextTokenizer,
} from '@kadapter/core';
import { encodeFile } from '@kadapter/data-encode';
import { hashFile } from '@kadapter/files';
import type { FeatureColumns } from '@kadapter/train';

/** The encoded examples of one or more data files, concatenated, and what encoding them did. */
export interface EncodedData {
  columns: FeatureColumns;
  /** for each kept example, the file and the 0-based record it came from */
  origin: Array<{ file: string; record: number }>;
  /** records read, per file */
  read: Record<string, number>;
  /** dropped records by reason (all files) */
  skipped: Record<string, number>;
  /** the label list the encoder's label ids index, when the task has one */
  labels?: readonly string[];
}

/** Where each data file is and what it holds (recorded in run.json; a resume must see the same bytes). */
export async function fingerprintFiles(
  files: readonly string[],
): Promise<Array<{ file: string; sha256: string; bytes: number }>> {
  const out = [];
  for (const file of files) {
    if (!existsSync(file)) throw new NotFoundError('data file not found', { file });
    if ((await stat(file)).isDirectory()) {
      throw new DataError('is a directory; give the data files (e.g. the shards of a build-data output)', { file });
    }
    out.push({ file, ...(await hashFile(file)) });
  }
  return out;
}

/**
 * Encodes data files in the task's official format with its encoder (L = `maxLength`) and
 * concatenates them. A record in the wrong format is a DataError naming the file, line and field;
 * files that keep no example at all are refused with the counts by reason.
 */
export async function encodeData(
  encoder: TaskEncoder,
  files: readonly string[],
  tokenizer: TextTokenizer,
  maxLength: number,
  options: EncoderOptions = {},
): Promise<EncodedData> {
  const parts = [];
  for (const input of files)
    parts.push(await encodeFile({ task: encoder, input, tokenizer, maxLen: maxLength, options }));
  const skipped: Record<string, number> = {};
  for (const p of parts) for (const [r, n] of Object.entries(p.skipped)) skipped[r] = (skipped[r] ?? 0) + n;
  const kept = parts.reduce((n, p) => n + p.exampleIndex.length, 0);
  if (kept === 0) {
    const reasons =
      Object.entries(skipped)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'the files hold no records';
    throw new DataError(`no example could be encoded for '${encoder.name}' at max length ${maxLength} (${reasons})`, {
      file: files.join(', '),
    });
  }
  const columns = new Map<string, HostTensor>();
  for (const name of parts[0]?.tensors.keys() ?? []) {
    const tensors = parts.map((p) => p.tensors.get(name) as { shape: number[]; data: Int32Array });
    const data = new Int32Array(tensors.reduce((n, t) => n + t.data.length, 0));
    let at = 0;
    for (const t of tensors) {
      data.set(t.data, at);
      at += t.data.length;
    }
    columns.set(name, { shape: [kept, ...(tensors[0]?.shape.slice(1) ?? [])], data });
  }
  return {
    columns,
    origin: parts.flatMap((p) => Array.from(p.exampleIndex, (record) => ({ file: p.input, record }))),
    read: Object.fromEntries(parts.map((p) => [p.input, p.read])),
    skipped,
    ...(parts[0]?.labels ? { labels: parts[0].labels } : {}),
  };
}

/** The examples `rows` of encoded data (columns and origins). */
export function selectRows(data: EncodedData, rows: readonly number[]): EncodedData {
  const columns = new Map<string, HostTensor>();
  for (const [name, t] of data.columns) {
    const inner = t.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = new Int32Array(rows.length * inner);
    rows.forEach((r, i) => {
      out.set((t.data as Int32Array).subarray(r * inner, (r + 1) * inner), i * inner);
    });
    columns.set(name, { shape: [rows.length, ...t.shape.slice(1)], data: out });
  }
  return { ...data, columns, origin: rows.map((r) => data.origin[r] as EncodedData['origin'][number]) };
}
