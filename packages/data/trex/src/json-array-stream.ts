import { createReadStream } from 'node:fs';
import { FormatError, NotFoundError } from '@kadapter/core';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';

/** One element of a top-level JSON array, with where it starts in the file. */
export interface JsonArrayItem {
  value: unknown;
  /** 0-based position in the array */
  index: number;
  /** byte offset of the element's first byte in the file */
  offset: number;
}

export interface ReadJsonArrayOptions {
  /** called with every chunk read from disk (hashing, byte progress) */
  onChunk?: (chunk: Buffer) => void;
  /** read size in bytes (default 64 KiB) */
  chunkSize?: number;
}

/**
 * Streams the elements of a file that holds one JSON array, one element at a time: memory holds
 * the element being parsed and at most one read chunk of elements, whatever the file size.
 * Malformed JSON, a top-level value that is not an array, a truncated file or data after the
 * array raise a `FormatError` naming the file and the byte offset.
 */
export async function* readJsonArray(file: string, options: ReadJsonArrayOptions = {}): AsyncGenerator<JsonArrayItem> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.*'], keepStack: false });
  const ready: JsonArrayItem[] = [];
  let depth = 0;
  let elementStart = 0;
  let lastOffset = 0;
  let sawRoot = false;
  let index = 0;

  tokenizer.onToken = (parsed) => {
    const { token, offset } = parsed;
    lastOffset = offset;
    if (!sawRoot) {
      sawRoot = true;
      if (token !== TokenType.LEFT_BRACKET)
        throw new FormatError('expected a JSON array at the top level', { file, offset });
    }
    if (depth === 1 && token !== TokenType.COMMA && token !== TokenType.RIGHT_BRACKET) elementStart = offset;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    parser.write(parsed);
  };
  parser.onValue = ({ value }) => {
    ready.push({ value, index: index++, offset: elementStart });
  };

  const fail = (err: unknown): never => {
    if (err instanceof FormatError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const at = /absolute position "(\d+)"/.exec(message);
    throw new FormatError(`malformed JSON: ${message}`, { file, offset: at ? Number(at[1]) : lastOffset, cause: err });
  };

  const stream: AsyncIterable<Buffer> = createReadStream(file, { highWaterMark: options.chunkSize ?? 1 << 16 });
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      options.onChunk?.(chunk);
      let failure: unknown;
      try {
        tokenizer.write(chunk);
      } catch (err) {
        failure = err;
      }
      bytes += chunk.length;
      // elements completed before an error in the same chunk are still delivered
      while (ready.length > 0) yield ready.shift() as JsonArrayItem;
      if (failure !== undefined) fail(failure);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError('file not found', { file, cause: err });
    throw err;
  }
  if (!sawRoot) throw new FormatError('empty file: expected a JSON array', { file, offset: 0 });
  if (!tokenizer.isEnded || !parser.isEnded) {
    try {
      if (!tokenizer.isEnded) tokenizer.end();
    } catch (err) {
      fail(err);
    }
    if (!parser.isEnded) throw new FormatError('truncated: the JSON array is not closed', { file, offset: bytes });
  }
  while (ready.length > 0) yield ready.shift() as JsonArrayItem;
}
