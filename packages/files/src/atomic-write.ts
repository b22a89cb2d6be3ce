import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NotFoundError } from '@kadapter/core';

/** The temp name `<name>.tmp-<pid>-<random>` a file is written under, in the same directory. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** What `writeFileAtomic` writes: text (UTF-8), bytes, or a function that writes through the file handle. */
export type FileContent = string | Uint8Array | ((handle: FileHandle) => Promise<void>);

/**
 * Writes `path` atomically: the content goes to a temp file in the same directory, which is synced
 * and then renamed over `path`, so readers see the old file or the complete new one. If writing
 * (or closing) fails, the temp file is removed and `path` is untouched. A missing directory is a
 * NotFoundError naming the file (nothing is created).
 */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const { tmp, handle } = await openTemp(path);
  await finishTemp(handle, tmp, path, () =>
    typeof content === 'function'
      ? content(handle)
      : writeAll(handle, typeof content === 'string' ? Buffer.from(content, 'utf8') : content),
  );
}

/** Writes every byte of `bytes` at the handle's current position (file writes may be partial). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, null);
    done += bytesWritten;
  }
}

/** Creates the temp file for `path` (exclusively); a missing directory is a NotFoundError. */
export async function openTemp(path: string): Promise<{ tmp: string; handle: FileHandle }> {
  const tmp = tempPathFor(path);
  try {
    return { tmp, handle: await open(tmp, 'wx') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`directory ${dirname(path)} does not exist`, { file: path, cause: err });
    }
    throw err;
  }
}

/**
 * Runs `fill`, syncs and closes the temp file and renames it over `path`. On any failure the temp
 * file is removed and the error rethrown.
 */
export async function finishTemp(handle: FileHandle, tmp: string, path: string, fill: () => Promise<void>) {
  try {
    try {
      await fill();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
