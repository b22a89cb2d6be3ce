import { openReadStream } from '@kadapter/files';

/** A line of a file with its 1-based number and the byte offset where it starts. */
export interface ByteLine {
  line: string;
  number: number;
  offset: number;
}

/**
 * Streams the lines of a file split at LF only, each with its byte offset: the WordNet database
 * addresses a synset by the byte offset of its line, which a text reader cannot give. A CR before
 * the LF stays in the line (and shifts every later offset, as it does in the file). Lines are
 * decoded as UTF-8; the Princeton files are ASCII.
 */
export async function* readByteLines(file: string): AsyncGenerator<ByteLine> {
  const input = await openReadStream(file, { highWaterMark: 1 << 20 });
  let rest: Buffer = Buffer.alloc(0);
  let offset = 0;
  let number = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
        yield { line: bytes.toString('utf8', start, end), number: ++number, offset };
        offset += end + 1 - start;
        start = end + 1;
      }
      rest = bytes.subarray(start);
    }
    if (rest.length > 0) yield { line: rest.toString('utf8'), number: ++number, offset };
  } finally {
    input.destroy();
  }
}
