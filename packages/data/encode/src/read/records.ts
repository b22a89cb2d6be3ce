import { extname } from 'node:path';
import { ConfigError } from '@kadapter/core';
import { readJsonArray, readJsonLines } from '@kadapter/files';
import type { InputRecord } from '@kadapter/core';
import { readCsv } from './csv.js';

/** The official file formats: a JSON array (`json.load`), JSON lines, or CSV with a header. */
export type InputFormat = 'json' | 'jsonl' | 'csv';

export const INPUT_FORMATS: readonly InputFormat[] = ['json', 'jsonl', 'csv'];

/** The format a file name implies: `.jsonl` → jsonl, `.csv` → csv, anything else → json. */
export function formatOf(file: string): InputFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl') return 'jsonl';
  if (ext === '.csv') return 'csv';
  return 'json';
}

/**
 * Streams the records of an input file in file order, each with where it is: the byte offset of a
 * JSON array element, the line of a JSON-lines value or CSV row.
 */
export function readRecords(file: string, format: InputFormat = formatOf(file)): AsyncGenerator<InputRecord> {
  switch (format) {
    case 'json':
      return jsonArrayRecords(file);
    case 'jsonl':
      return jsonLinesRecords(file);
    case 'csv':
      return readCsv(file);
    default:
      throw new ConfigError(`unknown input format ${JSON.stringify(format)} (expected json, jsonl or csv)`, {
        field: 'format',
      });
  }
}

async function* jsonArrayRecords(file: string): AsyncGenerator<InputRecord> {
  for await (const { value, index, offset } of readJsonArray(file)) yield { value, index, where: { file, offset } };
}

async function* jsonLinesRecords(file: string): AsyncGenerator<InputRecord> {
  for await (const { value, index, line } of readJsonLines(file)) yield { value, index, where: { file, line } };
}
