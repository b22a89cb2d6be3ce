import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { NotFoundError } from '@kadapter/core';

/** Streams the lines of a UTF-8 text file with their 1-based numbers (LF or CRLF, no terminators). */
export async function* readLines(file: string): AsyncGenerator<{ line: string; number: number }> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const line of lines) yield { line, number: ++number };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError('file not found', { file, cause: err });
    throw err;
  } finally {
    lines.close();
    input.destroy();
  }
}
