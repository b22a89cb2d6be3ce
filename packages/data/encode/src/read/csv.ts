import { FormatError } from '@kadapter/core';
import { openReadStream } from '@kadapter/files';
import { CsvError, parse } from 'csv-parse';
import type { InputRecord } from '@kadapter/core';

/**
 * Streams a CSV file with a header row (CosmosQA's upstream `valid.csv`: RFC 4180, CRLF, quoted
 * fields with doubled quotes) as one object per row keyed by the header. Malformed CSV is a
 * FormatError naming the file and line.
 */
export async function* readCsv(file: string): AsyncGenerator<InputRecord> {
  const parser = (await openReadStream(file, { highWaterMark: 1 << 20 })).pipe(
    parse({ columns: true, bom: true, info: true }),
  );
  let index = 0;
  try {
    for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { value: row.record, index: index++, where: { file, line: row.info.lines } };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new FormatError(`malformed CSV (${err.message})`, { file, ...(line ? { line } : {}), cause: err });
    }
    throw err;
  }
}
