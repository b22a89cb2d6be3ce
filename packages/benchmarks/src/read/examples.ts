import { type InputFormat, readRecords } from '@kadapter/data-encode';
import type { InputRecord, RecordLocation } from '@kadapter/core';
import { withLine } from './with-line.js';

/** An example read from a dataset file: the task's fields, its 0-based position and where it is. */
export type Example<E> = E & { readonly index: number; readonly where: RecordLocation };

/**
 * Streams the records of a dataset file in an official format (JSON array, JSON lines, CSV; see
 * `readRecords` of @kadapter/data-encode), each checked by `check`, which throws a DataError naming
 * the record and field at fault. Errors name the file and line (and the byte offset in a JSON array).
 */
export async function* readExamples<E extends object>(
  file: string,
  format: InputFormat | undefined,
  check: (record: InputRecord) => E,
): AsyncGenerator<Example<E>> {
  try {
    for await (const record of readRecords(file, format)) {
      yield { ...check(record), index: record.index, where: record.where };
    }
  } catch (err) {
    throw await withLine(err);
  }
}

/** Every example of an example stream, in order. */
export async function collect<T>(examples: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of examples) out.push(e);
  return out;
}
