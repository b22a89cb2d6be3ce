import { FormatError } from '@kadapter/core';
import { readLines } from './read-lines.js';

/** One value of a JSON-lines file: its 0-based position among the values and its 1-based line. */
export interface JsonLine {
  value: unknown;
  index: number;
  line: number;
}

/**
 * Streams a JSON-lines file: one JSON value per line. Blank lines are skipped and a leading BOM is
 * ignored. A line that is not valid JSON is a FormatError naming the file and line.
 */
export async function* readJsonLines(file: string): AsyncGenerator<JsonLine> {
  let index = 0;
  for await (const { line, number } of readLines(file)) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new FormatError(`invalid JSON (${(err as Error).message})`, { file, line: number, cause: err });
    }
    yield { value, index: index++, line: number };
  }
}
