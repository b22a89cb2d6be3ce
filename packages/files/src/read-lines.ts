import { createInterface } from 'node:readline';
import { openReadStream } from './read-stream.js';

/** One line of a text file, without its terminator, and its 1-based number. */
export interface TextLine {
  line: string;
  number: number;
}

/**
 * Streams the lines of a UTF-8 text file (LF or CRLF, terminators removed, a leading BOM dropped).
 * A missing or unreadable file is a NotFoundError naming it.
 */
export async function* readLines(file: string): AsyncGenerator<TextLine> {
  const input = await openReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      yield { line: number === 1 && line.startsWith('\uFEFF') ? line.slice(1) : line, number };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
