import { FormatError } from '@kadapter/core';
import { type ParsedTokenInfo, Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { openReadStream } from './read-stream.js';

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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Streams the elements of a file that holds one JSON array (the official `json.load` files), one
 * element at a time, with each element's index and byte offset: memory holds the element being
 * parsed and at most one read chunk of elements, whatever the file size. A leading UTF-8 BOM is
 * skipped. Malformed JSON, a top-level value that is not an array, an empty element (`[1,,2]`,
 * `[1,]`), a truncated file or data after the array raise a `FormatError` naming the file and the
 * byte offset; elements read before the fault are delivered first. A missing file is a
 * NotFoundError.
 */
export async function* readJsonArray(file: string, options: ReadJsonArrayOptions = {}): AsyncGenerator<JsonArrayItem> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.*'], keepStack: false });
  const ready: JsonArrayItem[] = [];
  let base = 0; // bytes of a leading BOM, which is not fed to the tokenizer
  let head: Buffer | undefined = Buffer.alloc(0); // first bytes, held until it is known whether they are a BOM
  let depth = 0;
  let sawRoot = false;
  let rootClosed = false;
  let previous: TokenType | undefined; // the last token directly inside the array
  let elementStart = 0;
  let lastOffset = 0;
  let index = 0;

  tokenizer.onToken = (parsed: ParsedTokenInfo) => {
    const { token } = parsed;
    const offset = parsed.offset + base;
    lastOffset = offset;
    if (rootClosed) throw new FormatError('malformed JSON: unexpected data after the JSON array', { file, offset });
    if (!sawRoot) {
      sawRoot = true;
      if (token !== TokenType.LEFT_BRACKET)
        throw new FormatError('expected a JSON array at the top level', { file, offset });
    } else if (depth === 1) {
      const separator = token === TokenType.COMMA || token === TokenType.RIGHT_BRACKET;
      if (separator && (previous === TokenType.COMMA || (token === TokenType.COMMA && previous === undefined)))
        throw new FormatError('malformed JSON: empty array element', { file, offset });
      if (!separator) elementStart = offset;
      previous = token;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    if (depth === 0) rootClosed = true;
    parser.write(parsed);
  };
  parser.onValue = ({ value }) => {
    ready.push({ value, index: index++, offset: elementStart });
  };

  const fail = (err: unknown): never => {
    if (err instanceof FormatError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const at = /absolute position "(\d+)"/.exec(message);
    const offset = at ? Number(at[1]) + base : lastOffset;
    throw new FormatError(
      rootClosed
        ? `malformed JSON: unexpected data after the JSON array (${message})`
        : `malformed JSON in array element ${index}: ${message}`,
      { file, offset, cause: err },
    );
  };
  const feed = (chunk: Buffer) => {
    let bytes = chunk;
    if (head !== undefined) {
      bytes = Buffer.concat([head, chunk]);
      if (bytes.length < BOM.length && BOM.subarray(0, bytes.length).equals(bytes)) {
        head = bytes; // still possibly a BOM
        return;
      }
      head = undefined;
      if (bytes.subarray(0, BOM.length).equals(BOM)) {
        base = BOM.length;
        bytes = bytes.subarray(BOM.length);
      }
    }
    if (bytes.length > 0) tokenizer.write(bytes);
  };

  const stream = await openReadStream(file, { highWaterMark: options.chunkSize ?? 1 << 16 });
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    options.onChunk?.(chunk);
    bytes += chunk.length;
    let failure: unknown;
    try {
      feed(chunk);
    } catch (err) {
      failure = err;
    }
    // elements completed before an error in the same chunk are still delivered
    while (ready.length > 0) yield ready.shift() as JsonArrayItem;
    if (failure !== undefined) fail(failure);
  }
  // a file of one or two bytes that begin a BOM
  if (head !== undefined && head.length > 0)
    throw new FormatError('expected a JSON array at the top level', { file, offset: 0 });
  try {
    if (sawRoot && !tokenizer.isEnded) tokenizer.end();
  } catch (err) {
    if (err instanceof FormatError || rootClosed) fail(err);
    throw new FormatError(`truncated: the JSON array is not closed (${(err as Error).message})`, {
      file,
      offset: bytes,
      cause: err,
    });
  }
  if (!sawRoot) throw new FormatError('empty file: expected a JSON array', { file, offset: bytes });
  if (!parser.isEnded) throw new FormatError('truncated: the JSON array is not closed', { file, offset: bytes });
  while (ready.length > 0) yield ready.shift() as JsonArrayItem;
}
