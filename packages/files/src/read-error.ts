import { NotFoundError } from '@kadapter/core';

/** The typed error for a file that cannot be opened or read: missing, a directory, no permission. */
export function readError(err: unknown, file: string): NotFoundError {
  const code = (err as NodeJS.ErrnoException).code;
  const message = code === 'ENOENT' ? 'no such file' : `cannot read file (${code ?? String(err)})`;
  return new NotFoundError(message, { file, cause: err });
}
