import { extname } from 'node:path';
import { ConfigError } from '@kadapter/core';
import type { InputRecord } from '../types.js';
import { readCsv } from './csv.js';
import { readJsonArray } from './json-array.js';
import { readJsonLines } from './json-lines.js';

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

/** Streams the records of an input file in file order. */
export function readRecords(file: string, format: InputFormat = formatOf(file)): AsyncGenerator<InputRecord> {
  switch (format) {
    case 'json':
      return readJsonArray(file);
    case 'jsonl':
      return readJsonLines(file);
    case 'csv':
      return readCsv(file);
    default:
      throw new ConfigError(`unknown input format ${JSON.stringify(format)} (expected json, jsonl or csv)`, {
        field: 'format',
      });
  }
}
