import { createReadStream, type ReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { NotFoundError } from '@kadapter/core';

/** A read stream of an input file; a missing or unreadable file is a NotFoundError naming it. */
export async function openInput(file: string, highWaterMark = 1 << 20): Promise<ReadStream> {
  await access(file).catch((err: NodeJS.ErrnoException) => {
    throw new NotFoundError(`cannot read input file (${err.code ?? 'error'})`, { file, cause: err });
  });
  return createReadStream(file, { highWaterMark });
}
