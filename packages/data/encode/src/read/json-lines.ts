import { createInterface } from 'node:readline';
import { FormatError } from '@kadapter/core';
import type { InputRecord } from '../types.js';
import { openInput } from './open-input.js';

/**
 * Streams a JSON-lines file (CosmosQA's train.jsonl / valid.jsonl): one JSON value per line.
 * Blank lines are skipped (the official reader would fail on them); a leading BOM is ignored.
 * A line that is not valid JSON is a FormatError naming the file and line.
 */
export async function* readJsonLines(file: string): AsyncGenerator<InputRecord> {
  const lines = createInterface({ input: await openInput(file), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let index = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new FormatError(`not valid JSON (${(err as Error).message})`, { file, line: lineNo, cause: err });
    }
    yield { value, index: index++, where: { file, line: lineNo } };
  }
}
