import { DataError, FormatError, KAdapterError } from '@kadapter/core';
import { openReadStream } from '@kadapter/files';

/** The 1-based line that byte `offset` of `file` is on. */
async function lineAt(file: string, offset: number): Promise<number> {
  const stream = await openReadStream(file);
  let line = 1;
  let seen = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, Math.max(0, offset - seen));
      for (let i = part.indexOf(10); i >= 0; i = part.indexOf(10, i + 1)) line++;
      seen += chunk.length;
      if (seen >= offset) break;
    }
  } finally {
    stream.destroy();
  }
  return line;
}

/**
 * A DataError / FormatError that names a byte offset in a file but no line (records of a JSON
 * array, malformed JSON) made again with the line added, so that it reads `file:line @byte n`;
 * any other error as it is. The file is read up to the offset only when there is such an error.
 */
export async function withLine(err: unknown): Promise<unknown> {
  if (!(err instanceof DataError || err instanceof FormatError)) return err;
  const { file, offset, line } = err.location;
  if (file === undefined || offset === undefined || line !== undefined) return err;
  const prefix = new KAdapterError(err.code, '', err.location).message;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  const Located = err instanceof DataError ? DataError : FormatError;
  return new Located(message, { ...err.location, line: await lineAt(file, offset), cause: err });
}
