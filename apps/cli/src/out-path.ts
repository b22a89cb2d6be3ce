import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '@kadapter/core';

export interface OutputKind {
  /** the output is a directory (else a file) */
  directory?: boolean;
  /**
   * for a directory: the value of the command's `--overwrite` flag; when false, an existing
   * non-empty directory is refused (before any work). Leave it out for commands that replace their
   * own output by design.
   */
  overwrite?: boolean;
}

/**
 * The one rule for every command's output, applied before the work starts: a missing parent
 * directory is created; a file output must not be a directory; a directory output must not be a
 * file, and with `overwrite: false` must be absent or empty. Problems are InputErrors naming the path.
 */
export async function prepareOutput(path: string, kind: OutputKind = {}): Promise<void> {
  const target = resolve(path);
  const existing = await stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new InputError(`cannot use the output path (${err.code ?? err.message})`, { file: path, cause: err });
  });
  if (kind.directory) {
    if (existing && !existing.isDirectory())
      throw new InputError('output path exists and is not a directory', { file: path });
    if (existing && kind.overwrite === false && (await readdir(target)).length > 0)
      throw new InputError('output directory exists and is not empty; pass --overwrite to replace it', { file: path });
  } else if (existing?.isDirectory()) {
    throw new InputError('output path is a directory; give a file name', { file: path });
  }
  await mkdir(dirname(target), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`cannot create the output's directory ${dirname(target)} (${err.code ?? err.message})`, {
      file: path,
      cause: err,
    });
  });
}
